/**
 * `leadguard report example`: a complete request body for `POST /v1/reports` (evidence inline),
 * to try a server with curl. `leadguard report verify RECEIPT --pubkey KEY`: checks a receipt's
 * signature and that the report and evidence beside it (the history page's export: a folder per
 * report holding report.json, receipt.json and the evidence files, or the export's zip) are
 * unaltered since the server filed them. Exit 0 when everything verifies, 1 with the reason.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import type { Report } from '../core/report';
import { describeError, errorLine, escapeForTerminal } from './cli-error';
import { options, UsageError } from './feed';
import type { Command, CommandIO } from './main';

const usage = [
  'usage: leadguard report example                      a request body for POST /v1/reports',
  '       leadguard report verify RECEIPT.json|EXPORT.zip --pubkey KEY.pub|BASE64',
].join('\n');

/** A small PNG (a red frame on white): real evidence bytes for the example. */
export function examplePng(width = 64, height = 32): Uint8Array {
  const rows = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const edge = x < 2 || y < 2 || x >= width - 2 || y >= height - 2;
      const at = y * (width * 3 + 1) + 1 + x * 3;
      rows[at] = 255;
      rows[at + 1] = edge ? 0 : 255;
      rows[at + 2] = edge ? 0 : 255;
    }
  }
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const typed = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(typed));
    return Buffer.concat([length, typed, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // truecolour
  return new Uint8Array(
    Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      chunk('IHDR', header),
      chunk('IDAT', deflateSync(rows)),
      chunk('IEND', Buffer.alloc(0)),
    ]),
  );
}

/** A complete, valid request: a lead on a Douyin video with a screenshot and an HTML snippet. */
export async function exampleRequest(now = new Date()) {
  const { evidenceRef, REPORT_FORMAT, requestBody } = await import('../core/report');
  const screenshot = examplePng();
  const snippet = new TextEncoder().encode(
    '<div class="comment"><a href="https://www.douyin.com/user/MS4wLjABAAAAexample">征信顾问小王</a><span>征信修复 加V: zx8888</span></div>',
  );
  const evidence = [
    await evidenceRef('screenshot', screenshot),
    await evidenceRef('snippet', snippet),
  ];
  const report: Report = {
    format: REPORT_FORMAT,
    idempotencyKey: randomUUID(),
    clientTime: now.toISOString(),
    reporter: { name: '示例审核员', org: '示例联盟', contact: '' },
    platform: 'douyin',
    account: {
      id: 'MS4wLjABAAAAexample',
      handle: '征信顾问小王',
      url: 'https://www.douyin.com/user/MS4wLjABAAAAexample',
    },
    contentUrl: 'https://www.douyin.com/video/7300000000000000001',
    text: '征信修复 加V: zx8888',
    textTruncated: false,
    verdict: 'lead',
    categories: ['征信修复', '引流'],
    matches: [
      { ruleId: 'topic.credit-repair', category: '征信修复', start: 0, end: 4, text: '征信修复' },
      { ruleId: 'lure.add-v', category: '引流', start: 5, end: 7, text: '加V' },
    ],
    ruleIds: ['topic.credit-repair', 'lure.add-v'],
    contacts: [{ type: 'wechat', value: 'zx8888' }],
    score: 7.5,
    probability: 0.97,
    list: { id: 'leadguard-default', version: 1, sha256: null },
    reason: { preset: '征信修复', note: '' },
    source: 'card',
    evidence,
    omitted: [],
    client: { name: 'leadguard', version: 'example' },
  };
  return requestBody(report, [
    { name: 'screenshot.png', bytes: screenshot },
    { name: 'snippet.html', bytes: snippet },
  ]);
}

async function readKey(value: string): Promise<string> {
  const text = existsSync(value) ? (await readFile(value, 'utf8')).trim() : value.trim();
  if (Buffer.from(text, 'base64').length !== 32)
    throw new UsageError(
      '--pubkey is an Ed25519 public key (32 bytes in base64) or a file holding one',
    );
  return text;
}

interface ExportedReport {
  where: string;
  receipt: unknown;
  report: unknown;
  files: Map<string, Uint8Array>;
}

/** The exported reports at `path`: a zip of folders, or a receipt.json with its folder. */
async function readExport(path: string): Promise<ExportedReport[]> {
  const { unzipSync } = await import('fflate');
  const parse = (where: string, bytes: Uint8Array | undefined) => {
    if (!bytes) return undefined;
    try {
      return JSON.parse(new TextDecoder().decode(bytes)) as unknown;
    } catch {
      throw new Error(`${where} is not valid JSON`);
    }
  };
  if (path.endsWith('.zip')) {
    const entries = unzipSync(new Uint8Array(await readFile(path)));
    const folders = new Map<string, Map<string, Uint8Array>>();
    for (const [name, bytes] of Object.entries(entries)) {
      const parts = name.split('/');
      if (parts.length !== 2 || !parts[1]) continue;
      if (!folders.has(parts[0]!)) folders.set(parts[0]!, new Map());
      folders.get(parts[0]!)!.set(parts[1], bytes);
    }
    const out: ExportedReport[] = [];
    for (const [folder, files] of folders) {
      if (!files.has('receipt.json')) continue;
      out.push({
        where: `${path}:${folder}`,
        receipt: parse(`${folder}/receipt.json`, files.get('receipt.json')),
        report: parse(`${folder}/report.json`, files.get('report.json')),
        files,
      });
    }
    if (out.length === 0) throw new Error(`${path} holds no report with a receipt`);
    return out;
  }
  const dir = statSync(path).isDirectory() ? path : dirname(path);
  const receiptPath = statSync(path).isDirectory() ? join(path, 'receipt.json') : path;
  const files = new Map<string, Uint8Array>();
  for (const name of await readdir(dir)) {
    const full = join(dir, name);
    if (statSync(full).isFile()) files.set(name, new Uint8Array(await readFile(full)));
  }
  return [
    {
      where: receiptPath,
      receipt: parse(receiptPath, new Uint8Array(await readFile(receiptPath))),
      report: parse('report.json', files.get('report.json')),
      files,
    },
  ];
}

async function verify(args: string[], io: CommandIO): Promise<number> {
  const { out, positional } = options(args, { pubkey: 'values' });
  if (positional.length !== 1 || !out.pubkey)
    throw new UsageError('verify needs RECEIPT and --pubkey');
  // Loaded when a command needs them, not whenever `leadguard` starts.
  const { Report, verifyReceipt } = await import('../core/report');
  const { defaultVerifier } = await import('../core/signature');
  const keys = await Promise.all((out.pubkey as string[]).map(readKey));
  const verifier = await defaultVerifier();
  let failed = 0;
  const path = positional[0]!;
  const exported = await readExport(path).catch((error: NodeJS.ErrnoException) => {
    // A file system error names the file; anything else already says what is wrong.
    throw error.code ? new Error(`cannot read ${describeError(error, path)}`) : error;
  });
  for (const item of exported) {
    const report = item.report === undefined ? undefined : Report.safeParse(item.report);
    if (report && !report.success) {
      io.stdout.write(`FAIL ${escapeForTerminal(item.where)}: report.json is not a report\n`);
      failed++;
      continue;
    }
    const artifacts = [...item.files].map(([name, bytes]) => ({ name, bytes }));
    const check = await verifyReceipt(item.receipt, {
      trustedKeys: keys,
      verifier,
      ...(report?.success ? { report: report.data } : {}),
      artifacts,
    });
    if (check.ok) {
      const r = check.receipt;
      io.stdout.write(
        `ok   ${escapeForTerminal(item.where)}: report ${escapeForTerminal(r.reportId)} filed ${escapeForTerminal(r.serverTime)}; ${report ? 'report' : 'receipt only (no report.json)'} and ${r.artifacts.length} evidence file(s) unaltered\n`,
      );
    } else {
      io.stdout.write(
        `FAIL ${escapeForTerminal(item.where)}: ${escapeForTerminal(check.reason)}\n`,
      );
      failed++;
    }
  }
  return failed ? 1 : 0;
}

export const reportCommand: Command = {
  name: 'report',
  summary: 'report tools: an example request body, verify a receipt against exported evidence',
  async run(args, io) {
    const [sub, ...rest] = args;
    try {
      if (sub === 'example') {
        io.stdout.write(`${JSON.stringify(await exampleRequest(), null, 2)}\n`);
        return 0;
      }
      if (sub === 'verify') return await verify(rest, io);
      if (sub === '--help' || sub === '-h') {
        io.stdout.write(`${usage}\n`);
        return 0;
      }
      throw new UsageError(sub ? `unknown report command '${sub}'` : 'report needs a command');
    } catch (error) {
      // One line, escaped; a usage error points at the usage instead of printing it.
      const message = describeError(error);
      io.stderr.write(
        errorLine(
          'leadguard report',
          error instanceof UsageError ? `${message} (see leadguard report --help)` : message,
        ),
      );
      return error instanceof UsageError ? 2 : 1;
    }
  },
};

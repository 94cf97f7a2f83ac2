/**
 * `leadguard report verify` against a real receipt from the report server (in-process, SQLite):
 * an untouched export verifies, a changed evidence file or report fails with the reason; and the
 * report and serve commands' errors are one escaped line each, never a stack trace (issue 10).
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escapeForTerminal } from '../../../src/cli/cli-error';
import { main } from '../../../src/cli/main';
import { exampleRequest } from '../../../src/cli/report';
import type { Receipt, ReportRequest } from '../../../src/core/report';
import { createApp } from '../../../src/server/app';
import { addToken } from '../../../src/server/report-db';
import { openReportService, type ReportService } from '../../../src/server/report-service';

async function cli(args: string[]) {
  let stdout = '';
  let stderr = '';
  const out = new PassThrough();
  const err = new PassThrough();
  out.on('data', (d) => (stdout += d));
  err.on('data', (d) => (stderr += d));
  const code = await main(args, { stdin: new PassThrough(), stdout: out, stderr: err });
  return { code, stdout, stderr };
}

/** Every line of stderr is `leadguard <command>: …`, printable, with no stack trace. */
function oneEscapedLine(stderr: string, command: string) {
  expect(stderr).not.toMatch(/\n\s+at |node:internal/);
  expect(stderr.endsWith('\n')).toBe(true);
  const lines = stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(new RegExp(`^leadguard ${command}: `));
  expect(escapeForTerminal(lines[0]!)).toBe(lines[0]);
}

let dir: string;
let service: ReportService;
let body: ReportRequest;
let receipt: Receipt;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'leadguard-cli-report-'));
  service = await openReportService({
    db: join(dir, 'reports.sqlite'),
    evidenceDir: join(dir, 'evidence'),
    keyPath: join(dir, 'receipt.key'),
  });
  const { token } = await addToken(service.db.db, 'alice');
  body = await exampleRequest();
  const response = await createApp(service.modules).request('/v1/reports', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(201);
  receipt = ((await response.json()) as { receipt: Receipt }).receipt;
}, 60_000);
afterAll(async () => {
  await service?.close();
  await rm(dir, { recursive: true, force: true });
});

/** The history page's export of the report: a folder with report.json, receipt.json, evidence. */
function exportFolder(name: string, change: Partial<Record<string, Uint8Array | string>> = {}) {
  const folder = join(dir, name);
  mkdirSync(folder, { recursive: true });
  const files: Record<string, Uint8Array | string> = {
    'report.json': JSON.stringify(body.report),
    'receipt.json': JSON.stringify(receipt),
    ...Object.fromEntries(body.artifacts.map((a) => [a.name, Buffer.from(a.base64, 'base64')])),
    ...change,
  };
  for (const [file, bytes] of Object.entries(files)) writeFileSync(join(folder, file), bytes!);
  return folder;
}

describe('leadguard report verify', () => {
  it('says a receipt and the evidence beside it are unaltered (exit 0)', async () => {
    const folder = exportFolder('ok');
    const r = await cli(['report', 'verify', folder, '--pubkey', service.signer.publicKey]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      new RegExp(`^ok   .*receipt\\.json: report ${receipt.reportId} filed .*2 evidence file`),
    );
  });

  it('fails a changed screenshot and a changed report with the reason (exit 1)', async () => {
    const shot = exportFolder('shot', { 'screenshot.png': new Uint8Array([1, 2, 3]) });
    const r = await cli(['report', 'verify', shot, '--pubkey', service.signer.publicKey]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^FAIL .*screenshot\.png/);
    const text = exportFolder('text', {
      'report.json': JSON.stringify({ ...body.report, text: `${body.report.text}!` }),
    });
    const t = await cli(['report', 'verify', text, '--pubkey', service.signer.publicKey]);
    expect(t.code).toBe(1);
    expect(t.stdout).toMatch(/^FAIL .*changed after it was filed/);
  });

  it('fails a receipt under a key it does not trust', async () => {
    const folder = exportFolder('key');
    const other = Buffer.alloc(32, 7).toString('base64');
    const r = await cli(['report', 'verify', folder, '--pubkey', other]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^FAIL /);
  });

  it('escapes a folder name from the zip that carries terminal escapes', async () => {
    const name = 'evil\u001b[2J\u202e';
    const zip = join(dir, 'export.zip');
    writeFileSync(
      zip,
      zipSync({
        [name]: {
          'report.json': new TextEncoder().encode(JSON.stringify(body.report)),
          'receipt.json': new TextEncoder().encode(JSON.stringify(receipt)),
        },
      }),
    );
    const r = await cli(['report', 'verify', zip, '--pubkey', service.signer.publicKey]);
    expect(r.stdout).toContain('evil\\x1b[2J\\u202e');
    expect(r.stdout).not.toContain('\u001b');
  });
});

describe('report and serve errors', () => {
  it.each([
    [['report'], 2, 'report', /report needs a command \(see leadguard report --help\)$/],
    [['report', 'nope\u001b[31m'], 2, 'report', /unknown report command 'nope\\x1b\[31m'/],
    [['report', 'verify', '/nonexistent/r.json', '--pubkey', 'x'], 2, 'report', /--pubkey is/],
    [
      [
        'report',
        'verify',
        '/nonexistent/\u001b[31mr\u001b[0m.json',
        '--pubkey',
        Buffer.alloc(32).toString('base64'),
      ],
      1,
      'report',
      /cannot read \/nonexistent\/\\x1b\[31mr\\x1b\[0m\.json: no such file$/,
    ],
    [['serve', 'token'], 2, 'serve', /token commands: token add NAME/],
    [['serve', 'token', 'add', 'a\u202eb'], 2, 'serve', /a token NAME is/],
    [['serve', '--port', 'x'], 2, 'serve', /--port is a number/],
  ])('%j: exit %i, one escaped line', async (args, exit, command, message) => {
    const r = await cli(args);
    expect(r.code).toBe(exit);
    oneEscapedLine(r.stderr, command);
    expect(r.stderr.trimEnd()).toMatch(message);
  });

  it('says which database cannot be opened, in one line', async () => {
    const r = await cli(['serve', 'token', 'add', 'alice', '--db', dir]);
    expect(r.code).toBe(1);
    oneEscapedLine(r.stderr, 'serve');
    expect(r.stderr).toContain(`cannot open the report database ${dir}`);
  });

  it('prints a token for a reporter on stdout, and what it is on stderr', async () => {
    const db = join(dir, 'tokens.sqlite');
    const r = await cli(['serve', 'token', 'add', 'alice', '--db', db]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^\S{20,}\n$/);
    expect(r.stderr).toMatch(/^reporter token for alice in .*tokens\.sqlite/);
  });
});

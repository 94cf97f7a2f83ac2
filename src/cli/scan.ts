/**
 * `leadguard scan [FILE…] [--list FILE] [--text]`: reads JSON Lines {"id", "text"} (or plain text
 * lines with --text) from files or stdin and writes one JSON line per input line. A malformed line
 * yields an error line naming the file and line number; the scan goes on and the exit code is 1.
 */
import { createReadStream } from 'node:fs';
import { access, readFile, stat } from 'node:fs/promises';
import { constants } from 'node:fs';
import { createInterface } from 'node:readline';
import { z } from 'zod';
import { compileList } from '../core/compile-list';
import { defaultList } from '../core/default-list';
import { parseList } from '../core/list-schema';
import { loadMatcher, type Matcher } from '../core/matcher';
import { assess, blockKinds, type AssessOptions } from '../core/score';
import { describeError, errorLine } from './cli-error';
import type { Command, CommandIO } from './main';

const InputLine = z.object({
  id: z.union([z.string(), z.number()]),
  text: z.string(),
  author: z.object({ platform: z.string(), id: z.string() }).optional(),
  /** Where the text sat on the page (post, comment, reply, bio, name …). */
  kind: z.enum(blockKinds).optional(),
  /** For a reply: the text it answers. */
  parent: z.string().optional(),
});

export interface ScanOptions {
  files: string[];
  list?: string;
  text: boolean;
}

export function parseScanArgs(args: string[]): ScanOptions {
  const options: ScanOptions = { files: [], text: false };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--text') options.text = true;
    else if (arg === '--list') {
      const file = args[++i];
      if (!file) throw new Error('--list needs a file');
      options.list = file;
    } else if (arg.startsWith('--list=')) options.list = arg.slice('--list='.length);
    else if (arg === '-') options.files.push('-');
    else if (arg.startsWith('-')) throw new Error(`unknown option ${arg}`);
    else options.files.push(arg);
  }
  return options;
}

export async function loadListMatcher(file?: string): Promise<Matcher> {
  if (!file) return loadMatcher(compileList(defaultList()));
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new Error(`cannot read list ${describeError(error, file)}`, { cause: error });
  }
  return loadMatcher(compileList(parseList(json)));
}

/** One output line for one input, in the documented shape. */
export function scanLine(
  matcher: Matcher,
  id: string | number,
  text: string,
  options: AssessOptions = {},
) {
  const a = assess(matcher, text, options);
  return {
    id,
    verdict: a.verdict,
    score: a.score,
    probability: a.probability,
    categories: a.categories,
    matches: a.matches.map(({ ruleId, category, start, end, text: t }) => ({
      ruleId,
      category,
      start,
      end,
      text: t,
    })),
    contacts: a.contacts.map(({ type, value, start, end }) => ({ type, value, start, end })),
    why: a.why,
    ...(a.features ? { features: a.features } : {}),
    ...(a.window ? { window: a.window } : {}),
    ...(a.account ? { account: a.account.ruleId } : {}),
  };
}

export async function runScan(args: string[], io: CommandIO): Promise<number> {
  let options: ScanOptions;
  let matcher: Matcher;
  try {
    options = parseScanArgs(args);
    matcher = await loadListMatcher(options.list);
  } catch (error) {
    io.stderr.write(errorLine('leadguard scan', (error as Error).message));
    return 2;
  }
  const sources = options.files.length ? options.files : ['-'];
  let failed = 0;
  // A reader that stops early (`| head`) closes the pipe: stop writing, quietly.
  let closed = false;
  const onOutputError = (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') closed = true;
    else io.stderr.write(errorLine('leadguard scan', describeError(error, '<stdout>')));
  };
  io.stdout.on('error', onOutputError);
  const write = (value: unknown) => {
    if (!closed) io.stdout.write(`${JSON.stringify(value)}\n`);
  };
  for (const source of sources) {
    if (closed) break;
    const name = source === '-' ? '<stdin>' : source;
    if (source !== '-') {
      try {
        await access(source, constants.R_OK);
        if ((await stat(source)).isDirectory())
          throw Object.assign(new Error(), { code: 'EISDIR' });
      } catch (error) {
        io.stderr.write(errorLine('leadguard scan', `cannot read ${describeError(error, name)}`));
        failed++;
        continue;
      }
    }
    const stream = source === '-' ? io.stdin : createReadStream(source, 'utf8');
    const lines = createInterface({ input: stream, crlfDelay: Infinity });
    let lineNumber = 0;
    try {
      for await (const line of lines) {
        if (closed) break;
        lineNumber++;
        if (line.trim() === '') continue;
        if (options.text) {
          write(scanLine(matcher, lineNumber, line));
          continue;
        }
        let input: z.infer<typeof InputLine>;
        try {
          const parsed = InputLine.safeParse(JSON.parse(line));
          if (!parsed.success) {
            throw new Error(
              parsed.error.issues
                .map((i) => `${i.path.join('.') || 'line'}: ${i.message}`)
                .join('; '),
            );
          }
          input = parsed.data;
        } catch (error) {
          failed++;
          const message =
            error instanceof SyntaxError
              ? `invalid JSON: ${error.message}`
              : (error as Error).message;
          write({ error: message, file: name, line: lineNumber });
          io.stderr.write(errorLine('leadguard scan', `${name}:${lineNumber}: ${message}`));
          continue;
        }
        const { author, kind, parent } = input;
        write(
          scanLine(matcher, input.id, input.text, {
            ...(author ? { author } : {}),
            ...(kind ? { kind } : {}),
            ...(parent !== undefined ? { parent } : {}),
          }),
        );
      }
    } catch (error) {
      // A file that fails while it is read (a device, a vanished file) loses only itself.
      io.stderr.write(errorLine('leadguard scan', `cannot read ${describeError(error, name)}`));
      failed++;
    }
  }
  return failed > 0 ? 1 : 0;
}

export const scanCommand: Command = {
  name: 'scan',
  summary: 'scan JSON Lines {"id","text"} (or --text lines) from files or stdin; --list FILE',
  run: runScan,
};

/**
 * The command line's errors (issue 10): one line each, in words, escaped, never a stack trace —
 * for a directory given as input, a reader that closes the pipe, input that carries terminal
 * escapes, and a list with a bad pattern.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { escapeForTerminal } from '../../../src/cli/cli-error';
import { sampleList } from '../core/sample-list';

const bin = join(import.meta.dirname, '../../../bin/leadguard.js');
const run = (args: string[], input = '') =>
  spawnSync('node', [bin, ...args], { input, encoding: 'utf8', timeout: 60_000 });
const noStack = (stderr: string) => {
  expect(stderr).not.toMatch(/\n\s+at |node:internal|Error: /);
  for (const line of stderr.trim().split('\n')) expect(line).toMatch(/^leadguard( scan)?: /);
};

describe('leadguard errors', () => {
  it('name a directory given as input, go on with the other files, and exit 1', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lg-cli-'));
    const sub = join(dir, 'posts');
    mkdirSync(sub);
    const file = join(dir, 'ok.jsonl');
    writeFileSync(file, '{"id":1,"text":"征信修复 加V"}\n');
    const r = run(['scan', sub, file]);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(`leadguard scan: cannot read ${sub}: is a directory, not a file\n`);
    expect(JSON.parse(r.stdout)).toMatchObject({ id: 1 });
  });

  it('stop quietly when the reader closes the pipe (| head -1)', async () => {
    const lines = Array.from({ length: 20_000 }, (_, i) => `{"id":${i},"text":"征信修复 加V"}`);
    const child = spawn('sh', ['-c', `node ${JSON.stringify(bin)} scan | head -1`], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.stdin.on('error', () => {
      // The command may stop reading before all of it is written: that's what is tested.
    });
    child.stdin.end(lines.join('\n'));
    const code = await new Promise<number | null>((ok) => child.on('close', ok));
    expect(code).toBe(0);
    expect(out.trim().split('\n')).toHaveLength(1);
    expect(err).toBe('');
  });

  it('escape control characters and bidi overrides from the input', () => {
    const r = run(['scan'], '\u202e\u001b[2J\u001b]0;pwned\u0007{"id":\n');
    expect(r.status).toBe(1);
    noStack(r.stderr);
    // Nothing but printable text and the final newline.
    expect(escapeForTerminal(r.stderr.trimEnd())).toBe(r.stderr.trimEnd());
    expect(r.stderr).toContain('\\x1b[2J');
    expect(r.stderr).toContain('\\u202e');
  });

  it('escape a file name with escapes in it', () => {
    const r = run(['scan', `/nonexistent/\u001b[31mred\u001b[0m.jsonl`]);
    expect(r.status).toBe(1);
    noStack(r.stderr);
    expect(r.stderr).toContain('\\x1b[31mred\\x1b[0m.jsonl: no such file');
  });

  it('name the entry of a bad pattern in a list', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lg-cli-'));
    const file = join(dir, 'list.json');
    const bad = {
      ...sampleList,
      entries: [
        ...sampleList.entries,
        {
          kind: 'pattern',
          id: 'pat.reversed',
          pattern: '[z-a]征信修复',
          category: '征信修复',
          signal: 'strong',
          provenance: { source: 'test', addedAt: '2026-12-01' },
        },
      ],
    };
    writeFileSync(file, JSON.stringify(bad));
    const r = run(['scan', '--list', file], '{"id":1,"text":"x"}\n');
    expect(r.status).toBe(2);
    noStack(r.stderr);
    expect(r.stderr).toMatch(
      /^leadguard scan: entry pat\.reversed: pattern "\[z-a\]征信修复": is not a valid regular expression/,
    );
  });

  it.each([
    ['model', ['model', 'eval', '/nonexistent/\u202e\u001b[31mred.jsonl']],
    [
      'feed',
      ['feed', 'verify', '/nonexistent/feed', '--pubkey', '/nonexistent/\u202e\u001b[31mkey'],
    ],
  ])('escape bidi overrides and escapes in a %s error', (name, args) => {
    const r = run(args);
    expect(r.status).not.toBe(0);
    expect(r.stderr).not.toMatch(/\n\s+at |node:internal/);
    const first = r.stderr.split('\n')[0]!;
    expect(first).toMatch(new RegExp(`^leadguard ${name}: `));
    expect(first).toContain('\\u202e\\x1b[31m');
    expect(escapeForTerminal(first)).toBe(first);
  });

  it('name a list file that is a directory', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lg-cli-'));
    const r = run(['scan', '--list', dir], '{"id":1,"text":"x"}\n');
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`leadguard scan: cannot read list ${dir}: is a directory, not a file\n`);
  });
});

describe('escapeForTerminal', () => {
  it.each([
    ['\u001b[2J', '\\x1b[2J'],
    ['a\nb\r\tc', 'a\\nb\\r\\tc'],
    ['\u202e\u2066x\u2069', '\\u202e\\u2066x\\u2069'],
    ['\u0000\u007f\u009b', '\\x00\\x7f\\x9b'],
    ['\ud800x', '\\ud800x'],
    ['征信修复 😀', '征信修复 😀'],
  ])('%j → %j', (input, expected) => {
    expect(escapeForTerminal(input)).toBe(expected);
  });
});

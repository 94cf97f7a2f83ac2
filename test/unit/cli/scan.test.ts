import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runScan } from '../../../src/cli/scan';
import { sampleList } from '../core/sample-list';

const root = join(import.meta.dirname, '../../..');

async function scan(args: string[], input: string) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d) => (out += d));
  stderr.on('data', (d) => (err += d));
  const code = await runScan(args, { stdin: Readable.from([input]), stdout, stderr });
  return {
    code,
    lines: out
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l)),
    err,
  };
}

describe('leadguard scan', () => {
  it('writes one JSON line per input line, with UTF-16 offsets into the original text', async () => {
    const text = '征*信*修*复，加V详聊 tuibao_laoshi888';
    const { code, lines } = await scan(
      [],
      `${JSON.stringify({ id: 'a', text })}\n${JSON.stringify({ id: 2, text: '今天吃什么' })}\n`,
    );
    expect(code).toBe(0);
    expect(lines).toHaveLength(2);
    const [lead, clean] = lines;
    expect(lead).toMatchObject({ id: 'a', verdict: 'lead' });
    expect(Object.keys(lead)).toEqual([
      'id',
      'verdict',
      'score',
      'probability',
      'categories',
      'matches',
      'contacts',
      'why',
      'features',
    ]);
    // The lead model's probability and the features that pushed it, in words.
    expect(lead.probability).toBeGreaterThan(0.5);
    expect(lead.features.length).toBeGreaterThan(0);
    expect(typeof lead.features[0].text).toBe('string');
    const topic = lead.matches.find((m: { text: string }) => m.text === '征*信*修*复');
    expect(text.slice(topic.start, topic.end)).toBe('征*信*修*复');
    expect(topic).toMatchObject({ category: '征信修复' });
    expect(lead.contacts).toContainEqual({
      type: 'wechat',
      value: 'tuibao_laoshi888',
      start: 13,
      end: 29,
    });
    expect(clean).toMatchObject({ id: 2, verdict: 'clean', matches: [] });
  });

  it('reports a malformed line by number, goes on, and exits 1', async () => {
    const { code, lines, err } = await scan(
      [],
      `{"id":1,"text":"征信修复 加V"}\nnot json\n{"id":3}\n{"id":4,"text":"ok"}\n`,
    );
    expect(code).toBe(1);
    expect(lines.map((l) => l.id ?? l.line)).toEqual([1, 2, 3, 4]);
    expect(lines[1]).toMatchObject({ line: 2, file: '<stdin>' });
    expect(lines[1].error).toMatch(/invalid JSON/);
    expect(lines[2].error).toMatch(/text/);
    expect(err).toContain('<stdin>:2');
  });

  it('reads plain text lines with --text and another list with --list', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lg-'));
    const listFile = join(dir, 'list.json');
    writeFileSync(listFile, JSON.stringify(sampleList));
    const { code, lines } = await scan(
      ['--text', '--list', listFile],
      '代理退bao 不成功不收费\n普通的一天\n',
    );
    expect(code).toBe(0);
    expect(lines.map((l) => [l.id, l.verdict])).toEqual([
      [1, 'lead'],
      [2, 'clean'],
    ]);
  });

  it('refuses an invalid list with a clear error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lg-'));
    const listFile = join(dir, 'list.json');
    writeFileSync(listFile, '{"format":"leadguard-list/1","entries":[]}');
    const { code, err } = await scan(['--list', listFile], '{"id":1,"text":"x"}\n');
    expect(code).toBe(2);
    expect(err).toMatch(/invalid list/);
  });

  it('runs as the installed `leadguard` command on files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lg-'));
    const input = join(dir, 'in.jsonl');
    writeFileSync(input, `${JSON.stringify({ id: 'x', text: '徵信修復 ＶＸ：ｔｘ６６６' })}\n`);
    const out = execFileSync('node', [join(root, 'bin/leadguard.js'), 'scan', input], {
      encoding: 'utf8',
    });
    expect(JSON.parse(out)).toMatchObject({ id: 'x', verdict: 'lead' });
    const missing = spawnSync(
      'node',
      [join(root, 'bin/leadguard.js'), 'scan', join(dir, 'nope.jsonl')],
      { encoding: 'utf8' },
    );
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('cannot read');
    // Two node processes that load the list and its model: seconds on a busy machine.
  }, 30_000);
});

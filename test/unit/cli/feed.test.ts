import { mkdtempSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main';
import { testList } from '../../e2e/feed-faults';

async function run(...args: string[]) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d) => (out += d));
  stderr.on('data', (d) => (err += d));
  const code = await main(args, { stdin: new PassThrough(), stdout, stderr });
  return { code, out, err };
}

describe('leadguard feed', () => {
  it('generates a key, builds two versions with a delta, and verifies the feed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lg-feed-cli-'));
    const keys = join(dir, 'keys');
    const out = join(dir, 'feed');
    expect((await run('feed', 'keygen', '--out', keys)).code).toBe(0);
    expect((await run('feed', 'keygen', '--out', keys)).err).toMatch(/exists/);
    const list = join(dir, 'list.json');
    await writeFile(list, JSON.stringify(testList(1, ['屏幕修复'])));
    expect(
      (await run('feed', 'build', '--in', list, '--out', out, '--key', join(keys, 'feed.key')))
        .code,
    ).toBe(0);
    await writeFile(list, JSON.stringify(testList(1, ['屏幕修复', '手机修复'])));
    const second = await run(
      'feed',
      'build',
      '--in',
      list,
      '--out',
      out,
      '--key',
      join(keys, 'feed.key'),
    );
    expect(second.out).toMatch(/version 2/);
    expect(second.out).toMatch(/delta 1→2/);
    const verified = await run('feed', 'verify', out, '--pubkey', join(keys, 'feed.pub'));
    expect(verified.code).toBe(0);
    expect(verified.out).toMatch(/feed e2e-feed version 2 verifies/);

    // Any tampering is a non-zero exit with the reason.
    const manifest = join(out, 'manifest.json');
    const original = await readFile(manifest, 'utf8');
    await writeFile(manifest, original.replace('"version": 2', '"version": 3'));
    const tampered = await run('feed', 'verify', out, '--pubkey', join(keys, 'feed.pub'));
    expect(tampered.code).toBe(1);
    expect(tampered.err).toMatch(/signature does not verify/);
    await writeFile(manifest, original);
    const snapshot = join(out, 'snapshot-2.json');
    await writeFile(snapshot, (await readFile(snapshot, 'utf8')).replace('手机', '平板'));
    expect((await run('feed', 'verify', out, '--pubkey', join(keys, 'feed.pub'))).err).toMatch(
      /SHA-256/,
    );
  });

  it('builds from CSV entries with a header file, and refuses a list tabs could not load', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lg-feed-csv-'));
    await run('feed', 'keygen', '--out', dir);
    const header = join(dir, 'header.json');
    await writeFile(header, JSON.stringify({ ...testList(1, []), entries: [] }));
    const csv = join(dir, 'entries.csv');
    await writeFile(csv, 'kind,id,text,category,signal\nphrase,p.a,屏幕修复,征信修复,strong\n');
    const built = await run(
      'feed',
      'build',
      '--in',
      csv,
      '--header',
      header,
      '--out',
      join(dir, 'feed'),
      '--key',
      join(dir, 'feed.key'),
      '--id',
      'My Feed',
    );
    expect(built.code).toBe(0);
    expect(built.out).toMatch(/feed my-feed version 1: 1 entries/);
    await writeFile(
      csv,
      'kind,id,pattern,category,signal\npattern,pat.bad,征信[z-a]修复,征信修复,strong\n',
    );
    const bad = await run(
      'feed',
      'build',
      '--in',
      csv,
      '--header',
      header,
      '--out',
      join(dir, 'feed'),
      '--key',
      join(dir, 'feed.key'),
    );
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/entry pat\.bad/);
  });
});

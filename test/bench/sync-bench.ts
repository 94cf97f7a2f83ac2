/**
 * `npm run bench:sync`: a feed of 1,000,000 accounts + 100,000 phrases + 100,000 contacts.
 *
 * In Node, with the code the extension runs:
 * - snapshot size, raw and gzip, against the same list as one JSON object per account (the naive
 *   wire format); the delta for a 1% change (accounts, phrases and contacts) against the snapshot;
 * - time to verify (Ed25519 + SHA-256 + JSON + zod) and apply a snapshot and a delta, and to
 *   compile (compile + serialize + load exactly as a tab does);
 * - the content script's account lookup: ns per lookup (hits and misses, key built per lookup as
 *   the scorer does) and bytes per account, against a Map<string, number> of the same keys.
 * In Chromium (skip with --node-only), the built extension following the feed from the reference
 * server on 127.0.0.1: snapshot sync and delta sync end to end (download, verify, validate, apply,
 * compile, publish to tabs), storage used, and the JS heap a platform tab adds to hold the matcher.
 *
 * Phrases are plain (pinyin off): pinyin on 100k phrases is a ~160 MB matcher that the size gate
 * refuses. Everything is generated from a seeded PRNG; it stops by itself (deadline below).
 */
import { execSync } from 'node:child_process';
import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdtempSync, statSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { buildFeed, publicKeyBase64 } from '../../src/cli/feed';
import {
  chromeBuildDir,
  chromiumArgs,
  EXTENSION_ID,
  findChromium,
  freshProfileDir,
} from '../../src/cli/chromium';
import { startDemoServer } from '../../src/cli/demo-server';
import { sha256Hex } from '../../src/core/bytes';
import { compileForTabs } from '../../src/core/compile-for-tabs';
import { defaultList } from '../../src/core/default-list';
import {
  applyDelta,
  checkArtifact,
  parseDelta,
  parseManifest,
  parseSignatureFile,
  parseSnapshot,
  verifyManifestSignature,
  type Manifest,
} from '../../src/core/feed-format';
import type { List } from '../../src/core/list-schema';
import { accountKey, deserializeMatcher, loadMatcher } from '../../src/core/matcher';
import { defaultVerifier } from '../../src/core/signature';
import { createApp } from '../../src/server/app';
import { feedRoutes } from '../../src/server/routes/feed';
import { startServer } from '../../src/server/serve';
import { rng } from './corpus-gen';

const ACCOUNTS = Number(process.env.BENCH_ACCOUNTS ?? 1_000_000);
const PHRASES = Number(process.env.BENCH_PHRASES ?? 100_000);
const CONTACTS = Number(process.env.BENCH_CONTACTS ?? 100_000);
const CHANGE = 0.01;
const NODE_ONLY = process.argv.includes('--node-only');
const DEADLINE_MS = 12 * 60_000;
const ROOT = resolve(import.meta.dirname, '../..');
const targets = { deltaShare: 0.02, applyDeltaMs: 1000, lookupNs: 1000, bytesPerAccount: 12 };

const deadline = setTimeout(() => {
  console.error(`bench:sync: stopped after ${DEADLINE_MS / 60_000} minutes`);
  process.exit(2);
}, DEADLINE_MS);
deadline.unref();

const log = (line = '') => console.log(line);
const mb = (n: number) => `${(n / 1e6).toFixed(1)} MB`;
const ms = (n: number) => `${Math.round(n).toLocaleString('en-US')} ms`;
const verdict = (ok: boolean) => (ok ? 'PASS' : 'MISS');
const time = async <T>(f: () => T | Promise<T>): Promise<[T, number]> => {
  const t = performance.now();
  const out = await f();
  return [out, performance.now() - t];
};

// ---------------------------------------------------------------------------------------------
// The list

const rand = rng(20261124);
const provenance = { source: 'bench', addedAt: '2026-11-24' };
const b36 = (n: number, width: number) => Math.floor(n).toString(36).padStart(width, '0');
const accountId = () => `MS4wLjABAAAA${b36(rand() * 36 ** 10, 10)}${b36(rand() * 36 ** 10, 10)}`;
const hanzi = () => String.fromCharCode(0x4e00 + Math.floor(rand() * 20_000));
const phraseText = () => hanzi() + hanzi() + hanzi() + (rand() < 0.5 ? hanzi() : '');
const wechat = () => `wx_${b36(rand() * 36 ** 9, 9)}`;

function listOf(version: number, accounts: string[], phrases: string[], contacts: string[]): List {
  const base = defaultList();
  return {
    ...base,
    id: 'bench-feed',
    version,
    entries: [
      // The bundled entries too, so a platform tab has something to highlight.
      ...base.entries,
      ...phrases.map((text, i) => ({
        kind: 'phrase' as const,
        id: `bench.p.${b36(i, 6)}`,
        text,
        category: '征信修复' as const,
        signal: 'strong' as const,
        provenance,
      })),
      {
        kind: 'account-set',
        id: 'bench.accounts',
        platform: 'douyin',
        category: '代理退保',
        ids: accounts,
        provenance,
      },
      {
        kind: 'contact-set',
        id: 'bench.contacts',
        type: 'wechat',
        category: '引流',
        values: contacts,
        provenance,
      },
    ] as List['entries'],
  };
}

const accounts = Array.from({ length: ACCOUNTS }, accountId);
const phrases = Array.from({ length: PHRASES }, phraseText);
const contacts = Array.from({ length: CONTACTS }, wechat);
const v1 = listOf(1, accounts, phrases, contacts);
// Version 2: 1% of each part replaced.
const replace = <T>(xs: T[], make: () => T) => {
  const out = xs.slice();
  for (let i = 0; i < xs.length * CHANGE; i++) out[Math.floor(rand() * xs.length)] = make();
  return out;
};
const v2 = listOf(
  2,
  replace(accounts, accountId),
  replace(phrases, phraseText),
  replace(contacts, wechat),
);

log(
  `bench:sync — ${ACCOUNTS.toLocaleString('en-US')} accounts, ${PHRASES.toLocaleString('en-US')} phrases, ` +
    `${CONTACTS.toLocaleString('en-US')} contacts; version 2 replaces ${CHANGE * 100}% of each`,
);

// ---------------------------------------------------------------------------------------------
// Building the feed (the publisher's side)

const dir = mkdtempSync(join(tmpdir(), 'leadguard-bench-feed-'));
const feedDir = join(dir, 'feed');
const { privateKey } = generateKeyPairSync('ed25519');
const pub = publicKeyBase64(createPublicKey(privateKey));
const build = async (list: List) => {
  const input = join(dir, 'list.json');
  await writeFile(input, JSON.stringify(list));
  const [result, took] = await time(() =>
    buildFeed({ input, out: feedDir, keys: [privateKey], feedId: 'bench-feed' }),
  );
  return { manifest: result.manifest, took };
};
const built1 = await build(v1);
const snapshot1 = await readFile(join(feedDir, built1.manifest.snapshot.url));
const built2 = await build(v2);
const m2 = built2.manifest;
const snapshot2 = await readFile(join(feedDir, m2.snapshot.url));
const deltaRef = m2.deltas.at(-1)!;
const delta = await readFile(join(feedDir, deltaRef.url));
/** The same list with one JSON object per account and contact (measured, then let go). */
const naiveSizes = () => {
  const naive = Buffer.from(
    JSON.stringify({
      ...v1,
      entries: [
        ...v1.entries.filter((e) => e.kind === 'phrase'),
        ...accounts.map((platformId, i) => ({
          kind: 'account',
          id: `a.${b36(i, 6)}`,
          platform: 'douyin',
          platformId,
          category: '代理退保',
          provenance,
        })),
        ...contacts.map((value, i) => ({
          kind: 'contact',
          id: `c.${b36(i, 6)}`,
          type: 'wechat',
          value,
          category: '引流',
          provenance,
        })),
      ],
    }),
  );
  return { naive: naive.byteLength, naiveGz: gz(naive) };
};
const gz = (b: Uint8Array) => gzipSync(b).byteLength;
const sizes = {
  snapshot: snapshot2.byteLength,
  snapshotGz: gz(snapshot2),
  delta: delta.byteLength,
  deltaGz: gz(delta),
  ...naiveSizes(),
};
// Measurements below run on a heap without the 215 MB comparison string.
globalThis.gc?.();
log();
log('Wire');
log(
  `  snapshot            ${mb(sizes.snapshot)} raw, ${mb(sizes.snapshotGz)} gzip (feed build ${ms(built1.took)})`,
);
log(
  `  one object/account  ${mb(sizes.naive)} raw, ${mb(sizes.naiveGz)} gzip — sets are ${(sizes.naive / sizes.snapshot).toFixed(1)}× smaller raw, ${(sizes.naiveGz / sizes.snapshotGz).toFixed(1)}× gzip`,
);
log(
  `  delta for 1%        ${mb(sizes.delta)} raw, ${mb(sizes.deltaGz)} gzip = ${((100 * sizes.delta) / sizes.snapshot).toFixed(2)}% of the snapshot (${((100 * sizes.deltaGz) / sizes.snapshotGz).toFixed(2)}% gzip)`,
);

// ---------------------------------------------------------------------------------------------
// The client's work in Node

const manifestBytes = await readFile(join(feedDir, 'manifest.json'));
const sigBytes = await readFile(join(feedDir, 'manifest.json.sig'));
const verifier = await defaultVerifier();
const [, verifyManifestMs] = await time(async () => {
  await verifyManifestSignature(manifestBytes, parseSignatureFile(sigBytes), [pub], verifier);
  return parseManifest(manifestBytes);
});
const m1: Manifest = built1.manifest;
const [list1, snapshotVerifyMs] = await time(async () => {
  checkArtifact('snapshot', snapshot1, await sha256Hex(snapshot1), m1.snapshot);
  return parseSnapshot(snapshot1);
});
const [parsedDelta, deltaVerifyMs] = await time(async () => {
  checkArtifact('delta', delta, await sha256Hex(delta), deltaRef);
  return parseDelta(delta);
});
const [list2, deltaApplyMs] = await time(() => applyDelta(list1, parsedDelta));
const [tab, compileMs] = await time(() => compileForTabs(list2));
// What the background holds while it applies: one parsed version of the list.
globalThis.gc?.();
const heapBefore = process.memoryUsage().heapUsed;
const held: List[] = [parseSnapshot(snapshot2)];
globalThis.gc?.();
const heapAfter = process.memoryUsage().heapUsed;
held.length = 0;
log();
log('Verify and apply (Node, the extension background code)');
log(`  manifest signature + parse   ${ms(verifyManifestMs)}`);
log(`  snapshot: hash + JSON + zod  ${ms(snapshotVerifyMs)}`);
log(`  delta: hash + JSON + zod     ${ms(deltaVerifyMs)}`);
log(`  delta: apply to version 1    ${ms(deltaApplyMs)}`);
log(
  `  compile + serialize + load as a tab (version 2)  ${ms(compileMs)}; compiled ${mb(tab.bytes.byteLength)}`,
);
log(`  background heap for one parsed version of the list: ${mb(heapAfter - heapBefore)}`);
const same = tab.sha256 === (await compileForTabs(parseSnapshot(snapshot2))).sha256;
log(`  delta result compiles to the snapshot's bytes: ${same ? 'yes' : 'NO'}`);

// The content script's lookup, on the bytes tabs receive.
const matcher = loadMatcher(deserializeMatcher(tab.bytes));
const index = matcher.accounts;
const ids = v2.entries.find((e) => e.kind === 'account-set')!.ids;
const probes = Array.from({ length: 200_000 }, (_, i) =>
  i % 2 ? ids[Math.floor(rand() * ids.length)]! : accountId(),
);
const map = new Map<string, number>(ids.map((id, i) => [accountKey('douyin', id), i]));
const lookups = (get: (key: string) => number | undefined) => {
  let found = 0;
  const t = performance.now();
  for (let r = 0; r < 5; r++)
    for (const id of probes) if (get(accountKey('douyin', id)) !== undefined) found++;
  return { ns: ((performance.now() - t) * 1e6) / (probes.length * 5), found };
};
lookups((k) => index.get(k));
lookups((k) => map.get(k));
const indexRun = lookups((k) => index.get(k));
const mapRun = lookups((k) => map.get(k));
globalThis.gc?.();
const heapWithMap = process.memoryUsage().heapUsed;
map.clear();
globalThis.gc?.();
const mapBytes = heapWithMap - process.memoryUsage().heapUsed;
const bytesPerAccount = index.byteLength / index.size;
log();
log('Account lookup in the content script (half hits, key built per lookup as the scorer does)');
log(
  `  LeadGuard index   ${indexRun.ns.toFixed(0)} ns/lookup, ${bytesPerAccount.toFixed(1)} bytes/account (${mb(index.byteLength)} for ${index.size.toLocaleString('en-US')} keys)`,
);
log(
  `  Map<string, int>  ${mapRun.ns.toFixed(0)} ns/lookup` +
    (globalThis.gc
      ? `, ${(mapBytes / ids.length).toFixed(0)} bytes/account — the index is ${(mapBytes / index.byteLength).toFixed(1)}× smaller`
      : ' (run with --expose-gc for its heap)'),
);
if (indexRun.found !== mapRun.found)
  log(`  MISMATCH: index found ${indexRun.found}, Map ${mapRun.found}`);

// ---------------------------------------------------------------------------------------------
// The built extension in Chromium

let browser: { snapshotMs: number; deltaMs: number; storage: number; tabHeap: number } | null =
  null;
const executablePath = findChromium();
if (!NODE_ONLY && executablePath) {
  if (
    !existsSync(join(chromeBuildDir, 'manifest.json')) ||
    statSync(join(chromeBuildDir, 'manifest.json')).mtimeMs <
      statSync(join(ROOT, 'src/platform/sync.ts')).mtimeMs
  ) {
    log();
    log('building the extension (wxt build)…');
    execSync('npx wxt build', { cwd: ROOT, stdio: 'ignore' });
  }
  // Serve version 1 first: rebuild the feed directory at version 1, then publish version 2.
  await rm(feedDir, { recursive: true, force: true });
  await build(v1);
  const fixtures = await startDemoServer();
  const server = await startServer(createApp([feedRoutes(feedDir)]));
  const context = await chromium.launchPersistentContext(freshProfileDir(), {
    executablePath,
    headless: true,
    args: chromiumArgs({ fixturePort: fixtures.port }),
    ignoreHTTPSErrors: true,
  });
  try {
    const options = await context.newPage();
    await options.goto(`chrome-extension://${EXTENSION_ID}/options.html`);
    const send = (type: string, data: object) =>
      options.evaluate(
        ([t, d]) =>
          (
            globalThis as unknown as {
              chrome: {
                runtime: {
                  sendMessage(m: unknown): Promise<{ ok: boolean; data: unknown; error?: string }>;
                };
              };
            }
          ).chrome.runtime.sendMessage({ type: t, data: d }),
        [type, data] as const,
      );
    const tabHeap = async () => {
      const page = await context.newPage();
      await page.goto('https://www.douyin.com/video/7300000000000000001');
      await page.waitForFunction(
        () => (CSS as unknown as { highlights: Map<string, unknown> }).highlights.size > 0,
        null,
        { timeout: 120_000 },
      );
      const cdp = await context.newCDPSession(page);
      await cdp.send('HeapProfiler.collectGarbage');
      const { usedSize } = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number };
      await page.close();
      return usedSize;
    };
    const bundledHeap = await tabHeap();
    const [added, snapshotMs] = await time(() =>
      send('addFeed', { url: `${server.origin}/feed/manifest.json`, keys: [pub] }),
    );
    if (!added.ok) throw new Error(added.error);
    await build(v2);
    const [synced, deltaMs] = await time(() => send('syncNow', {}));
    const status = synced.data as {
      feeds: { version: number; via: string; lastError: string | null }[];
      history: { outcome: string; to: number | null; millis: number }[];
    };
    const switchMs =
      status.history.find((h) => h.outcome === 'updated' && h.to === 2)?.millis ?? NaN;
    if (status.feeds[0]?.version !== 2 || status.feeds[0].via !== 'delta') {
      throw new Error(`delta sync did not land: ${JSON.stringify(status.feeds[0])}`);
    }
    const storage = await options.evaluate(
      async () => (await navigator.storage.estimate()).usage ?? 0,
    );
    const heap = (await tabHeap()) - bundledHeap;
    browser = { snapshotMs, deltaMs, storage, tabHeap: heap };
    log();
    log('The built extension in Chromium (reference server on 127.0.0.1)');
    log(
      `  first sync (snapshot): download, verify, validate, apply, compile, publish   ${ms(snapshotMs)}`,
    );
    log(
      `  next sync (1% delta):  the same steps                                        ${ms(deltaMs)}`,
    );
    log(
      `    of which compile, publish to tabs and the Dexie switch                     ${ms(switchMs)}`,
    );
    log(
      `  storage used by the extension (IndexedDB + storage.local, current and previous version): ${mb(storage)}`,
    );
    log(
      `  a platform tab's JS heap with this matcher, over one with the bundled list: ${mb(heap)}`,
    );
  } finally {
    await context.close();
    await server.close();
    await fixtures.close();
  }
}
await rm(dir, { recursive: true, force: true });

log();
log('Targets');
log(
  `  ${verdict(sizes.delta <= targets.deltaShare * sizes.snapshot)}  delta for a 1% change ≤ 2% of the snapshot: ${((100 * sizes.delta) / sizes.snapshot).toFixed(2)}%`,
);
log(
  `  ${verdict(deltaVerifyMs + deltaApplyMs <= targets.applyDeltaMs)}  verify + apply a delta ≤ 1 s (Node): ${ms(deltaVerifyMs + deltaApplyMs)} (compile ${ms(compileMs)} more)`,
);
log(
  `  ${verdict(indexRun.ns <= targets.lookupNs)}  account lookup ≤ 1 µs: ${indexRun.ns.toFixed(0)} ns`,
);
log(
  `  ${verdict(bytesPerAccount <= targets.bytesPerAccount)}  ≤ 12 bytes per account in memory: ${bytesPerAccount.toFixed(1)}`,
);
log(`  ${same ? 'PASS' : 'MISS'}  a delta gives exactly the snapshot's compiled matcher`);
if (browser) log(`  info  delta sync end to end in Chromium: ${ms(browser.deltaMs)}`);
clearTimeout(deadline);

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { compileForTabs } from '../../../src/core/compile-for-tabs';
import { parseSnapshot } from '../../../src/core/feed-format';
import { readFile } from 'node:fs/promises';
import { nobleVerifier } from '../../../src/core/signature';
import { db, type FeedRecord } from '../../../src/platform/db';
import { activeListInfo, reconcile } from '../../../src/platform/list-store';
import { readPointer, loadPublishedMatcher } from '../../../src/platform/matcher-delivery';
import {
  addFeed,
  parseRetryAfter,
  retryDelay,
  syncFeed,
  syncStatus,
  writeSettings,
  type SyncDeps,
} from '../../../src/platform/sync';
import { assess } from '../../../src/core/score';
import { newKey, testList, TestFeed, type Fault } from '../../e2e/feed-faults';

const url = 'http://127.0.0.1:9/feed/manifest.json';
let feed: TestFeed;
let subscription: FeedRecord;
let clock = Date.parse('2026-11-25T00:00:00Z');
const deps = (): SyncDeps => ({
  // The app in-process, with fetch's one extra behaviour: an aborted request rejects.
  fetch: (async (input: RequestInfo | URL, init?: RequestInit) => {
    const response = await feed.app.request(String(input), init);
    if (init?.signal?.aborted) throw new DOMException('The operation was aborted.', 'AbortError');
    return response;
  }) as typeof fetch,
  now: () => clock,
  random: () => 0.5,
});
const sync = () => syncFeed(subscription, deps());
const activeSha = async () => (await readPointer())?.sha256;

beforeEach(async () => {
  await Promise.all(db.tables.map((t) => t.clear()));
  fakeBrowser.reset();
  clock = Date.now();
  feed = new TestFeed();
  await feed.publish(testList(1, ['屏幕修复']));
  subscription = await addFeed({ url, keys: [feed.keys[0]!.pub] });
  await reconcile();
});
afterEach(() => feed.close());

describe('syncing a feed', () => {
  it('takes the snapshot on the first sync and records the status', async () => {
    expect(await sync()).toEqual({ outcome: 'updated', version: 1, via: 'snapshot', note: null });
    const info = await activeListInfo();
    expect(info.sources).toEqual([{ source: `feed:${subscription.id}`, version: 1 }]);
    const { matcher } = (await loadPublishedMatcher())!;
    expect(assess(matcher, '屏幕修复找我').verdict).toBe('lead');
    const status = await syncStatus();
    expect(status.feeds[0]).toMatchObject({
      version: 1,
      feedId: 'e2e-feed',
      lastError: null,
      failures: 0,
      phase: 'idle',
    });
    expect(status.feeds[0]!.nextCheckAt! - clock).toBeGreaterThan(25 * 60_000);
  });

  it('applies the delta chain to the newest version, to exactly what the snapshot compiles to', async () => {
    await sync();
    await feed.publish(testList(2, ['屏幕修复', '手机修复']));
    await feed.publish(testList(3, ['手机修复', '电脑修复']));
    const outcome = await sync();
    expect(outcome).toMatchObject({ outcome: 'updated', version: 3, via: 'delta' });
    const snapshot = parseSnapshot(await readFile(join(feed.dir, 'snapshot-3.json')));
    expect(await activeSha()).toBe((await compileForTabs(snapshot)).sha256);
    const requested = feed.requests.map((r) => r.path);
    expect(requested).toContain('delta-1-2.json');
    expect(requested).toContain('delta-2-3.json');
    expect(requested.filter((p) => p.startsWith('snapshot'))).toEqual(['snapshot-1.json']);
  });

  it('falls back to the snapshot when a delta is missing', async () => {
    await sync();
    await feed.publish(testList(2, ['屏幕修复', '手机修复']));
    await rm(join(feed.dir, 'delta-1-2.json'));
    const outcome = await sync();
    expect(outcome).toMatchObject({ outcome: 'updated', version: 2, via: 'snapshot' });
    expect((outcome as { note: string }).note).toMatch(/delta chain failed .*404/);
  });

  it('asks with If-None-Match and downloads nothing more on 304', async () => {
    await sync();
    feed.requests.length = 0;
    expect(await sync()).toEqual({ outcome: 'unchanged', version: 1 });
    expect(feed.requests).toHaveLength(1);
    expect(feed.requests[0]!.ifNoneMatch).toMatch(/^"[0-9a-f]{32}"$/);
  });

  it('follows a key rotation: the old key, both, then the new key alone', async () => {
    const next = newKey();
    subscription = await addFeed({ url, keys: [feed.keys[0]!.pub, next.pub] });
    await sync();
    feed.keys = [feed.keys[0]!, next];
    await feed.publish(testList(2, ['手机修复']));
    expect(await sync()).toMatchObject({ outcome: 'updated', version: 2 });
    feed.keys = [next];
    await feed.publish(testList(3, ['电脑修复']));
    expect(await sync()).toMatchObject({ outcome: 'updated', version: 3 });
    // A key the subscription never trusted is refused.
    feed.keys = [newKey()];
    await feed.publish(testList(4, ['平板修复']));
    expect(await sync()).toMatchObject({ outcome: 'rejected', code: 'unknown-key' });
  });

  it('verifies with the pure-JS verifier too (browsers without WebCrypto Ed25519)', async () => {
    expect(await syncFeed(subscription, { ...deps(), verifier: nobleVerifier })).toMatchObject({
      outcome: 'updated',
    });
  });

  it('refuses a list that loses most of its entries unless the manifest allows it', async () => {
    const many = Array.from(
      { length: 150 },
      (_, i) => `修复${String.fromCharCode(0x4e00 + i)}${String.fromCharCode(0x4e80 + i)}`,
    );
    await feed.publish(testList(2, many));
    await sync();
    await feed.publish(testList(3, ['屏幕修复']));
    expect(await sync()).toMatchObject({ outcome: 'rejected', code: 'shrink' });
    await feed.publish(testList(4, ['屏幕修复']), { allowShrink: true });
    expect(await sync()).toMatchObject({ outcome: 'updated', version: 4 });
  });

  describe('refuses a faulty feed and keeps the last good list', () => {
    it.each<[Fault, string, RegExp]>([
      ['bad-signature', 'bad-signature', /signature does not verify/],
      ['unknown-key', 'unknown-key', /keys this subscription does not trust/],
      ['hash-mismatch', 'hash-mismatch', /SHA-256/],
      ['truncated', 'truncated', /broke off|truncated/],
      ['invalid-json', 'invalid-json', /not valid JSON/],
      ['schema', 'schema', /does not match its schema/],
      ['oversize', 'oversize', /than the 1048576 bytes allowed/],
      ['rollback', 'rollback', /goes back to version 1 from version 2/],
      ['replay', 'replay', /replayed the old manifest of version 1/],
      ['expired', 'expired', /expired/],
      ['html', 'not-json', /HTML page/],
      ['404', 'http', /404/],
      ['500', 'http', /500/],
      ['503', 'http', /503.*retry after 120 s/],
      ['delta-gap-no-snapshot', 'http', /listed as 1→3 is 2→3.*snapshot failed too.*404/],
    ])('%s', async (fault, code, message) => {
      await sync();
      await feed.publish(testList(2, ['屏幕修复', '手机修复']));
      // The client takes version 2 (the gap cases stay at 1), the feed moves on to 3.
      if (!fault.startsWith('delta-gap')) await sync();
      await feed.publish(testList(3, ['手机修复', '电脑修复']));
      const before = await activeSha();
      const versionBefore = (await syncStatus()).feeds[0]!.version;
      feed.fault = fault;
      const outcome = await sync();
      expect(outcome).toMatchObject({ code });
      expect((outcome as { message: string }).message).toMatch(message);
      expect(await activeSha()).toBe(before);
      const status = (await syncStatus()).feeds[0]!;
      expect(status.version).toBe(versionBefore);
      expect(status.lastError).toMatch(message);
      // Fixed: the next sync goes through.
      feed.fault = null;
      expect(await sync()).toMatchObject({ outcome: 'updated', version: 3 });
    });

    it('gives up on a server that does not answer within the timeout', async () => {
      await writeSettings({ intervalMinutes: 30, timeoutSeconds: 1 });
      feed.fault = 'timeout';
      const started = performance.now();
      expect(await sync()).toMatchObject({ outcome: 'failed', code: 'timeout' });
      expect(performance.now() - started).toBeLessThan(20_000);
    });

    it('never applies a delta made from another version (delta gap), using the snapshot instead', async () => {
      await sync();
      await feed.publish(testList(2, ['屏幕修复', '手机修复']));
      await feed.publish(testList(3, ['手机修复']));
      feed.fault = 'delta-gap';
      const outcome = await sync();
      expect(outcome).toMatchObject({ outcome: 'updated', version: 3, via: 'snapshot' });
      expect((outcome as { note: string }).note).toMatch(/listed as 1→3 is 2→3/);
    });
  });

  it('backs off exponentially with jitter and honours Retry-After', async () => {
    expect(retryDelay(1, null, () => 0)).toBe(30_000);
    expect(retryDelay(1, null, () => 1)).toBe(60_000);
    expect(retryDelay(4, null, () => 1)).toBe(8 * 60_000);
    expect(retryDelay(30, null, () => 1)).toBe(6 * 3600_000);
    expect(retryDelay(1, 900, () => 0)).toBe(900_000);
    expect(parseRetryAfter('120', 0)).toBe(120);
    expect(
      parseRetryAfter('Wed, 25 Nov 2026 00:02:00 GMT', Date.parse('2026-11-25T00:00:00Z')),
    ).toBe(120);
    feed.fault = '503';
    feed.retryAfter = 3600;
    await sync();
    const state = (await syncStatus()).feeds[0]!;
    expect(state.failures).toBe(1);
    expect(state.nextCheckAt! - clock).toBeGreaterThanOrEqual(3600_000);
  });
});

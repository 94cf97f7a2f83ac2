/**
 * Following a signed feed in the built extension, against the reference server on 127.0.0.1:
 * subscribing on the options page, delta chains, the snapshot when a delta is missing, a new
 * version reaching an open tab without a reload, key rotation, and a fault-injecting server whose
 * every fault is refused with a clear status while the last good list stays active and unchanged,
 * down to the service worker being stopped in the middle of applying a version.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ListInfo, SyncStatus } from '../../src/platform/messages';
import { startServer, type RunningServer } from '../../src/server/serve';
import { newKey, testList, TestFeed, type Fault } from './feed-faults';
import { launchExtension, type ExtensionSession } from './harness';
import { readHighlights, waitForHighlights } from './highlights';

const video = 'https://www.douyin.com/video/7300000000000000001';
let session: ExtensionSession;
let feed: TestFeed;
let server: RunningServer;
let options: Page;
let manifestUrl: string;
let version = 0;

beforeAll(async () => {
  feed = new TestFeed();
  server = await startServer(feed.app);
  manifestUrl = `${server.origin}/feed/manifest.json`;
  session = await launchExtension();
  options = await session.openExtensionPage('options.html');
});
afterAll(async () => {
  await session?.close();
  await server?.close();
  await feed?.close();
});

/** A message to the background from the options page, as the UI sends it. */
async function send<T>(type: string, data: object = {}): Promise<T> {
  const reply = (await options.evaluate(
    ([t, d]) =>
      (
        globalThis as unknown as {
          chrome: { runtime: { sendMessage(m: unknown): Promise<unknown> } };
        }
      ).chrome.runtime.sendMessage({ type: t, data: d }),
    [type, data] as const,
  )) as { ok: boolean; data?: T; error?: string };
  if (!reply?.ok) throw new Error(`${type}: ${reply?.error}`);
  return reply.data!;
}
const syncNow = () => send<SyncStatus>('syncNow');
const listInfo = () => send<ListInfo>('getListInfo');
const leadTexts = async (page: Page) => (await readHighlights(page))['leadguard-lead'] ?? [];
const publish = (phrases: string[], extra: object[] = []) =>
  feed.publish(testList(++version, phrases, extra));

describe('following a feed', () => {
  let tab: Page;

  it('subscribes on the options page and the open tab switches to the feed without a reload', async () => {
    tab = await session.openSite(video);
    await waitForHighlights(tab);
    expect(await leadTexts(tab)).toContain('征*信*修*复');
    await publish(['屏幕修复']);

    await options.reload();
    await options.locator('#add-feed input[name=url]').fill(manifestUrl);
    await options.locator('#add-feed textarea[name=keys]').fill(feed.keys[0]!.pub);
    await options.locator('#add-feed button[type=submit]').click();
    await expect
      .poll(() => options.locator('#feed-message').textContent(), { timeout: 20_000 })
      .toContain('已订阅并同步到版本 1');
    await expect
      .poll(() => options.locator('#feed-list li.feed').getAttribute('data-version'))
      .toBe('1');
    expect(await options.locator('#list-info dd').nth(3).textContent()).toContain('订阅');

    await expect.poll(() => leadTexts(tab), { timeout: 15_000 }).toContain('屏幕修复');
    // The bundled list is no longer active once a feed has synced.
    expect(await leadTexts(tab)).not.toContain('征*信*修*复');
  });

  it('applies a chain of deltas and the open tab picks the new version up', async () => {
    await publish(['屏幕修复']);
    await publish(['屏幕修复', '征信修复']);
    feed.requests.length = 0;
    const status = await syncNow();
    expect(status.feeds[0]).toMatchObject({ version: 3, via: 'delta', lastError: null });
    const fetched = feed.requests.map((r) => r.path);
    expect(fetched).toEqual(expect.arrayContaining(['delta-1-2.json', 'delta-2-3.json']));
    expect(fetched.some((p) => p.startsWith('snapshot'))).toBe(false);
    await expect.poll(() => leadTexts(tab), { timeout: 15_000 }).toContain('征*信*修*复');
  });

  it('takes the snapshot when a delta is missing', async () => {
    await publish(['征信修复']);
    await rm(join(feed.dir, `delta-${version - 1}-${version}.json`));
    const status = await syncNow();
    expect(status.feeds[0]).toMatchObject({ version, via: 'snapshot', lastError: null });
    expect(status.history.find((h) => h.message)?.message).toMatch(
      /delta chain failed .*404.*snapshot was used/,
    );
  });

  it('answers an unchanged feed with 304 and nothing else', async () => {
    feed.requests.length = 0;
    await syncNow();
    expect(feed.requests.map((r) => r.path)).toEqual(['manifest.json']);
    expect(feed.requests[0]!.ifNoneMatch).toMatch(/^"/);
  });

  it('follows a key rotation and refuses a key it was never given', async () => {
    const next = newKey();
    await send('addFeed', { url: manifestUrl, keys: [feed.keys[0]!.pub, next.pub] });
    feed.keys = [feed.keys[0]!, next];
    await publish(['征信修复', '屏幕修复']);
    expect((await syncNow()).feeds[0]).toMatchObject({ version, lastError: null });
    feed.keys = [next];
    await publish(['征信修复', '屏幕修复']);
    expect((await syncNow()).feeds[0]).toMatchObject({ version, lastError: null });
    const stranger = newKey();
    feed.keys = [stranger];
    await publish(['征信修复']);
    const refused = (await syncNow()).feeds[0]!;
    expect(refused.version).toBe(version - 1);
    expect(refused.lastError).toMatch(/does not trust/);
    feed.keys = [next];
    await publish(['征信修复', '屏幕修复']);
    expect((await syncNow()).feeds[0]).toMatchObject({ version, lastError: null });
  });
});

describe('a fault-injecting server', () => {
  it.each<[Fault, RegExp]>([
    ['bad-signature', /signature does not verify/],
    ['unknown-key', /does not trust/],
    ['hash-mismatch', /SHA-256/],
    ['truncated', /broke off|truncated/],
    ['invalid-json', /not valid JSON/],
    ['schema', /does not match its schema/],
    ['oversize', /than the 1048576 bytes allowed/],
    ['rollback', /goes back to version/],
    ['replay', /replayed the old manifest/],
    ['expired', /expired/],
    ['html', /HTML page/],
    ['404', /404/],
    ['500', /500/],
    ['503', /503.*retry after 120 s/],
    ['timeout', /no answer .* for 2 s/],
    ['delta-gap-no-snapshot', /listed as .* is .*snapshot failed too/],
  ])(
    '%s: refused with a clear status, the last good list active and unchanged',
    async (fault, message) => {
      await send('setSyncSettings', { intervalMinutes: 30, timeoutSeconds: 2 });
      await publish(['征信修复', '屏幕修复']);
      // A client two versions behind for the delta gap, one behind otherwise.
      if (fault.startsWith('delta-gap')) await publish(['征信修复', '屏幕修复', '找我']);
      else await syncNow();
      if (!fault.startsWith('delta-gap')) await publish(['征信修复', '屏幕修复']);
      const before = await listInfo();
      const versionBefore = (await send<SyncStatus>('getSyncStatus')).feeds[0]!.version;
      feed.fault = fault;
      const refused = (await syncNow()).feeds[0]!;
      feed.fault = null;
      feed.release();
      expect(refused.lastError).toMatch(message);
      expect(refused.version).toBe(versionBefore);
      expect((await listInfo()).sha256).toBe(before.sha256);
      // The options page says it in words.
      await options.reload();
      await expect
        .poll(() => options.locator('#feed-list [data-field=error]').textContent())
        .toMatch(message);
      const fixed = (await syncNow()).feeds[0]!;
      expect(fixed).toMatchObject({ version, lastError: null });
    },
  );

  it('keeps the last good list when the service worker is stopped in the middle of applying', async () => {
    const ids = Array.from(
      { length: 1_500_000 },
      (_, i) => `MS4wLjABAAAA${i.toString(36).padStart(8, '0')}`,
    );
    await publish(
      ['征信修复', '屏幕修复'],
      [
        {
          kind: 'account-set',
          id: 'e2e.accounts',
          platform: 'douyin',
          category: '代理退保',
          ids,
          provenance: { source: 'e2e', addedAt: '2026-11-24' },
        },
      ],
    );
    const before = await listInfo();
    const versionBefore = (await send<SyncStatus>('getSyncStatus')).feeds[0]!.version;
    // Start the sync without waiting for its reply (the worker will not live to send it).
    await options.evaluate(() => {
      void (
        globalThis as unknown as {
          chrome: { runtime: { sendMessage(m: unknown): Promise<unknown> } };
        }
      ).chrome.runtime
        .sendMessage({ type: 'syncNow', data: {} })
        .catch(() => {});
    });
    const phase = () =>
      options.evaluate(
        () =>
          new Promise<string | null>((resolve) => {
            const open = indexedDB.open('leadguard');
            open.onsuccess = () => {
              const get = open.result.transaction('syncState').objectStore('syncState').getAll();
              get.onsuccess = () => {
                resolve((get.result[0] as { phase?: string } | undefined)?.phase ?? null);
                open.result.close();
              };
            };
          }),
      );
    await expect.poll(phase, { timeout: 120_000, interval: 25 }).toBe('applying');
    const cdp = await session.context.newCDPSession(options);
    await cdp.send('ServiceWorker.enable');
    await cdp.send('ServiceWorker.stopAllWorkers');

    // A message wakes a new worker; it finds the interrupted sync and the last good list.
    await expect
      .poll(async () => (await listInfo().catch(() => null))?.sha256, { timeout: 30_000 })
      .toBe(before.sha256);
    const status = (await send<SyncStatus>('getSyncStatus')).feeds[0]!;
    expect(status.version).toBe(versionBefore);
    expect(status.lastError).toMatch(/stopped while applying/);
    expect(status.phase).toBe('idle');
    const tab = await session.openSite(video);
    await waitForHighlights(tab);
    expect(await leadTexts(tab)).toContain('征*信*修*复');

    // The next sync applies it whole.
    const done = (await syncNow()).feeds[0]!;
    expect(done).toMatchObject({ version, lastError: null, members: 1_500_000 + 63 });
    expect((await listInfo()).sha256).not.toBe(before.sha256);
  }, 300_000);
});

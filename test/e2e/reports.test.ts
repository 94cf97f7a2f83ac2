/**
 * One-click reports in the built extension against the reference report server on 127.0.0.1:
 * click 举报 on a fixture lead's card → the server holds the report with its screenshot, whose
 * SHA-256 matches the report, the right account and matches, and the history page shows it
 * delivered with a verified receipt. Then faults, each ending with every report delivered exactly
 * once: the server down and started later; 500, 503 with Retry-After, a timeout and a connection
 * reset mid-upload; the service worker stopped mid-send; the browser closed with a queued outbox
 * and relaunched on the same profile. Permanent rejections (400, 401, 413) end rejected with the
 * server's reason shown, and are not retried.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshProfileDir } from '../../src/cli/chromium';
import { Report } from '../../src/core/report';
import { launchExtension, type ExtensionSession } from './harness';
import { waitForHighlights } from './highlights';
import { TestReportServer } from './report-faults';
import {
  acceptDisclosure,
  clickReportOnLead,
  clickToolbarButton,
  disclosureText,
  historyRows,
  noticeText,
} from './reporting';

const video = 'https://www.douyin.com/video/7300000000000000001';
const lead = '征*信*修*复';
const args = ['--enable-unsafe-extension-debugging'];
let profile: string;
let session: ExtensionSession;
let server: TestReportServer;
let options: Page;
let history: Page;
let tab: Page;

beforeAll(async () => {
  server = new TestReportServer();
  await server.open();
  await server.start();
  profile = freshProfileDir();
  session = await launchExtension({ userDataDir: profile, args });
  options = await session.openExtensionPage('options.html');
});
afterAll(async () => {
  await session?.close();
  await server?.close();
});

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

/** Files one report of the lead and returns its id (from the history page's newest row). */
async function fileOne(page: Page): Promise<string> {
  const before = new Set((await historyRows(history)).map((r) => r.id));
  await clickReportOnLead(page, lead);
  let id: string | undefined;
  await expect
    .poll(async () => (id = (await historyRows(history)).find((r) => !before.has(r.id))?.id), {
      timeout: 15_000,
    })
    .toBeDefined();
  await expect.poll(() => noticeText(page)).toMatch(/已加入举报队列/);
  return id!;
}

const row = async (id: string) => (await historyRows(history)).find((r) => r.id === id);
const status = async (id: string) => (await row(id))?.status;
const rowsFor = async (key: string) =>
  (
    await server.service.db.db
      .selectFrom('reports')
      .selectAll()
      .where('idempotency_key', '=', key)
      .execute()
  ).length;

describe('a report from the hover card', () => {
  it('reaches the server with its screenshot, account and matches, and shows delivered with a verified receipt', async () => {
    await options.locator('#report-settings input[name=serverUrl]').fill(server.origin);
    await options.locator('#report-settings input[name=token]').fill(server.token);
    await options.locator('#report-settings input[name=name]').fill('审核员甲');
    await options.locator('#report-settings input[name=org]').fill('e2e 联盟');
    await options.locator('#report-settings button[type=submit]').click();
    await expect
      .poll(() => options.locator('#report-settings-status').textContent())
      .toBe('已保存');
    history = await session.openExtensionPage('reports.html');

    tab = await session.openSite(video);
    await waitForHighlights(tab);
    // A click on LeadGuard's toolbar button lets it capture this tab (activeTab).
    await clickToolbarButton(session, tab);
    await clickReportOnLead(tab, lead);
    await expect.poll(() => disclosureText(tab), { timeout: 10_000 }).toMatch(/第一次举报/);
    const disclosure = (await disclosureText(tab))!;
    expect(disclosure).toMatch(/截图/);
    expect(disclosure).toMatch(/HTML 片段/);
    await acceptDisclosure(tab);

    await expect.poll(() => server.rows(), { timeout: 20_000 }).toBe(1);
    const stored = await server.service.db.db.selectFrom('reports').selectAll().execute();
    const report = Report.parse(JSON.parse(stored[0]!.report_json));
    expect(report).toMatchObject({
      platform: 'douyin',
      account: { id: 'MS4wLjABAAAAleadDouyin02zxXiufuQ7LmRt', handle: '小林聊信用' },
      contentUrl: video,
      verdict: 'lead',
      reporter: { name: '审核员甲', org: 'e2e 联盟' },
      source: 'card',
      omitted: [],
    });
    expect(report.text).toContain('征*信*修*复 找我');
    expect(report.matches.map((m) => m.text)).toContain(lead);
    expect(report.ruleIds.length).toBeGreaterThan(0);
    expect(report.categories).toContain('征信修复');
    // The screenshot the server stored is the one the report names, byte for byte.
    const shot = report.evidence.find((e) => e.kind === 'screenshot')!;
    const bytes = await readFile(server.service.evidence.pathOf(shot.sha256));
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(shot.sha256);
    expect(bytes.subarray(1, 4).toString()).toBe('PNG');
    expect(bytes.byteLength).toBe(shot.bytes);
    const snippet = report.evidence.find((e) => e.kind === 'snippet')!;
    const html = (await readFile(server.service.evidence.pathOf(snippet.sha256))).toString();
    expect(html).toContain('小林聊信用');
    expect(html).not.toMatch(/<script|onerror|javascript:/i);

    const id = report.idempotencyKey;
    await expect.poll(() => status(id), { timeout: 15_000 }).toBe('delivered');
    await expect.poll(async () => (await row(id))?.receipt).toBe('回执已验证');
    expect(await noticeText(tab)).toMatch(/已加入举报队列/);
  });

  it('asks only once, and without a gesture on LeadGuard it files the report saying why there is no screenshot', async () => {
    const other = await session.openSite(video);
    await waitForHighlights(other);
    const id = await fileOne(other);
    expect(await disclosureText(other)).toBeNull();
    await expect.poll(() => status(id), { timeout: 15_000 }).toBe('delivered');
    const stored = await server.service.db.db
      .selectFrom('reports')
      .select('report_json')
      .where('idempotency_key', '=', id)
      .executeTakeFirstOrThrow();
    const report = Report.parse(JSON.parse(stored.report_json));
    expect(report.evidence.map((e) => e.kind)).toEqual(['snippet']);
    expect(report.omitted).toEqual([
      { kind: 'screenshot', reason: expect.stringMatching(/未授权截图/) },
    ]);
    await other.close();
  });
});

describe('faults, each ending with every report delivered exactly once', () => {
  it('the server down while reporting, started later', async () => {
    await server.stop();
    const id = await fileOne(tab);
    await expect.poll(() => status(id), { timeout: 15_000 }).toBe('retrying');
    expect((await row(id))?.reason).toMatch(/无法连接举报服务器 127\.0\.0\.1/);
    await server.start();
    await expect.poll(() => status(id), { timeout: 40_000 }).toBe('delivered');
    expect(await rowsFor(id)).toBe(1);
  });

  it('500, 503 with Retry-After, a timeout and a connection reset mid-upload before success', async () => {
    await send('setReportSettings', { timeoutSeconds: 2 });
    server.faults = [500, [503, { 'retry-after': '3' }], 'timeout', 'reset'];
    const posts = server.posts;
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) ids.push(await fileOne(tab));
    for (const id of ids)
      await expect.poll(() => status(id), { timeout: 90_000 }).toBe('delivered');
    expect(server.faults).toEqual([]);
    for (const id of ids) expect(await rowsFor(id)).toBe(1);
    // Each fault cost one request, and each report was filed by one more: nothing sent twice.
    expect(server.posts - posts).toBe(8);
    await send('setReportSettings', { timeoutSeconds: 30 });
  }, 120_000);

  it('the service worker stopped mid-send, after the server filed the report', async () => {
    server.faults = ['hold'];
    const before = server.posts;
    const filing = fileOne(tab);
    await server.whenHeld();
    const id = await filing;
    const cdp = await session.context.newCDPSession(history);
    await cdp.send('ServiceWorker.enable');
    await cdp.send('ServiceWorker.stopAllWorkers');
    server.release();
    // The next worker (woken by the options page's message) finds the report mid-send.
    await expect
      .poll(() =>
        send('getReportPrefs').then(
          () => true,
          () => false,
        ),
      )
      .toBe(true);
    await expect.poll(() => status(id), { timeout: 40_000 }).toBe('delivered');
    expect(await rowsFor(id)).toBe(1);
    expect(server.posts - before).toBe(2);
  });

  it.each<[string, () => Promise<void>, RegExp]>([
    ['400', async () => void (server.faults = [400]), /服务器拒绝（400）：injected 400/],
    [
      '401',
      () => send('setReportSettings', { token: 'lg_not-a-token' }).then(() => {}),
      /服务器拒绝（401）：unknown or revoked token/,
    ],
    [
      '413',
      async () => void (server.faults = ['too-large']),
      /服务器拒绝（413）：the body is larger than the 1000 bytes/,
    ],
  ])(
    'a permanent %s ends rejected with the reason shown, not retried',
    async (_, arrange, reason) => {
      await arrange();
      const before = server.posts;
      const id = await fileOne(tab);
      await expect.poll(() => status(id), { timeout: 15_000 }).toBe('rejected');
      expect((await row(id))?.reason).toMatch(reason);
      expect(await rowsFor(id)).toBe(0);
      expect(server.posts - before).toBe(1);
      await send('setReportSettings', { token: server.token });
    },
  );

  it('the browser closed with a queued outbox, relaunched on the same profile', async () => {
    await server.stop();
    const id = await fileOne(tab);
    await expect.poll(() => status(id), { timeout: 15_000 }).toBe('retrying');
    await session.close();
    await server.start();
    session = await launchExtension({ userDataDir: profile, args });
    options = await session.openExtensionPage('options.html');
    history = await session.openExtensionPage('reports.html');
    await expect.poll(() => status(id), { timeout: 60_000 }).toBe('delivered');
    expect(await rowsFor(id)).toBe(1);
  }, 120_000);
});

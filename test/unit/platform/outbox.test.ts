/**
 * The outbox against the real report server in-process (SQLite in a temporary directory), with
 * faults injected in front of it: every report ends delivered exactly once or rejected with the
 * server's reason, and a full store is said in words.
 */
import { mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hono } from 'hono';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exampleRequest } from '../../../src/cli/report';
import type { Report } from '../../../src/core/report';
import { nobleVerifier } from '../../../src/core/signature';
import { db } from '../../../src/platform/db';
import {
  drain,
  enqueue,
  OutboxFullError,
  prune,
  recoverOutbox,
  reportRetryDelay,
  type Artifact,
  type OutboxDeps,
} from '../../../src/platform/outbox';
import { readStorageFull, writeReportSettings } from '../../../src/platform/report-settings';
import { createApp } from '../../../src/server/app';
import { addToken, countRows } from '../../../src/server/report-db';
import { openReportService, type ReportService } from '../../../src/server/report-service';

let dir: string;
let service: ReportService;
let server: Hono;
let clock: number;
/** Answers to give before the real server's, one per request. */
let faults: (number | 'reset' | [number, Record<string, string>])[];
let requests: number;

const deps = (): OutboxDeps => ({
  fetch: (async (input: RequestInfo | URL, init?: RequestInit) => {
    requests++;
    const fault = faults.shift();
    if (fault === 'reset') throw new TypeError('Failed to fetch (connection reset)');
    if (fault !== undefined) {
      const [status, headers] = Array.isArray(fault) ? fault : [fault, {}];
      return new Response(JSON.stringify({ error: `injected ${status}` }), { status, headers });
    }
    const url = new URL(String(input));
    return server.request(url.pathname, init);
  }) as typeof fetch,
  now: () => clock,
  random: () => 0.5,
  verifier: nobleVerifier,
});

async function queued(): Promise<{ report: Report; artifacts: Artifact[] }> {
  const body = await exampleRequest();
  return {
    report: body.report,
    artifacts: body.artifacts.map((a) => ({
      name: a.name,
      kind: a.name === 'screenshot.png' ? 'screenshot' : 'snippet',
      bytes: new Uint8Array(Buffer.from(a.base64, 'base64')),
    })),
  };
}

beforeEach(async () => {
  await Promise.all(db.tables.map((t) => t.clear()));
  dir = mkdtempSync(join(tmpdir(), 'leadguard-outbox-'));
  service = await openReportService({
    db: join(dir, 'reports.sqlite'),
    evidenceDir: join(dir, 'evidence'),
    keyPath: join(dir, 'receipt.key'),
  });
  server = createApp(service.modules);
  const { token } = await addToken(service.db.db, 'alice');
  await writeReportSettings({ serverUrl: 'http://127.0.0.1:9', token });
  clock = Date.parse('2026-12-01T00:00:00Z');
  faults = [];
  requests = 0;
});
afterEach(async () => {
  await service.close();
  await rm(dir, { recursive: true, force: true });
});

const record = async (id: string) => (await db.reports.get(id))!;
const rows = async () => (await countRows(service.db.db)).reports;

describe('the outbox', () => {
  it('delivers a report once, keeps the receipt and checks it against the pinned key', async () => {
    const { report, artifacts } = await queued();
    await enqueue(report, artifacts, () => clock);
    await drain(deps());
    const r = await record(report.idempotencyKey);
    expect(r).toMatchObject({ status: 'delivered', receiptCheck: 'ok', attempts: 1 });
    expect(r.serverId).toMatch(/^[0-9a-f-]{36}$/);
    expect(await rows()).toBe(1);
    expect(requests).toBe(1);
  });

  it.each<[string, (typeof faults)[number], RegExp, number]>([
    ['500', 500, /服务器回复 500：injected 500/, 5_000],
    ['503 with Retry-After', [503, { 'retry-after': '120' }], /503.*120 秒后重试/, 120_000],
    ['429 with Retry-After', [429, { 'retry-after': '30' }], /429.*30 秒后重试/, 30_000],
    ['a connection reset', 'reset', /无法连接举报服务器 127\.0\.0\.1:9：Failed to fetch/, 5_000],
  ])(
    'retries after %s, not before the server asks, then delivers once',
    async (_, fault, message, wait) => {
      const { report, artifacts } = await queued();
      await enqueue(report, artifacts, () => clock);
      faults = [fault];
      await drain(deps());
      const waiting = await record(report.idempotencyKey);
      expect(waiting.status).toBe('retrying');
      expect(waiting.lastError).toMatch(message);
      expect(waiting.nextAttemptAt! - clock).toBeGreaterThanOrEqual(wait);
      // Not due yet: nothing is sent.
      await drain(deps());
      expect(requests).toBe(1);
      clock = waiting.nextAttemptAt!;
      await drain(deps());
      expect(await record(report.idempotencyKey)).toMatchObject({
        status: 'delivered',
        attempts: 2,
      });
      expect(await rows()).toBe(1);
    },
  );

  it.each([
    [400, /服务器拒绝（400）/],
    [401, /服务器拒绝（401）/],
    [413, /服务器拒绝（413）/],
  ])('ends %s as rejected with the reason, never retried', async (status, message) => {
    const { report, artifacts } = await queued();
    await enqueue(report, artifacts, () => clock);
    faults = [status];
    await drain(deps());
    const r = await record(report.idempotencyKey);
    expect(r).toMatchObject({ status: 'rejected', nextAttemptAt: null });
    expect(r.lastError).toMatch(message);
    clock += 86_400_000;
    await drain(deps());
    expect(requests).toBe(1);
  });

  it('sends again a report a stopped worker left mid-send, and the server files it once', async () => {
    const { report, artifacts } = await queued();
    await enqueue(report, artifacts, () => clock);
    await drain(deps());
    // The server had it, but the worker stopped before recording the answer.
    await db.reports.update(report.idempotencyKey, {
      status: 'sending',
      leaseUntil: clock + 60_000,
      serverId: null,
    });
    await recoverOutbox(() => clock);
    expect((await record(report.idempotencyKey)).lastError).toMatch(/后台被浏览器停止/);
    await drain(deps());
    expect(await record(report.idempotencyKey)).toMatchObject({ status: 'delivered' });
    expect(await rows()).toBe(1);
    expect(requests).toBe(2);
  });

  it('waits for a server and token, saying so, and then sends', async () => {
    await writeReportSettings({ token: '' });
    const { report, artifacts } = await queued();
    await enqueue(report, artifacts, () => clock);
    await drain(deps());
    expect((await record(report.idempotencyKey)).lastError).toMatch(/尚未设置举报服务器/);
    expect(requests).toBe(0);
  });

  it('refuses a report that would pass the storage cap, in words, and keeps the note', async () => {
    await writeReportSettings({ maxStorageMB: 1 });
    const { report } = await queued();
    const big: Artifact = {
      name: 'screenshot.png',
      kind: 'screenshot',
      bytes: new Uint8Array(1_200_000),
    };
    await expect(enqueue(report, [big], () => clock)).rejects.toThrow(OutboxFullError);
    await expect(enqueue(report, [big], () => clock)).rejects.toThrow(/存储已满.*上限 1\.0 MB/);
    expect((await readStorageFull())?.message).toMatch(/存储已满/);
    expect(await db.reports.count()).toBe(0);
  });

  it('prunes delivered evidence after the retention period and keeps the report', async () => {
    await writeReportSettings({ retentionDays: 7 });
    const { report, artifacts } = await queued();
    await enqueue(report, artifacts, () => clock);
    await drain(deps());
    expect(await prune(() => clock + 6 * 86_400_000)).toBe(0);
    expect(await prune(() => clock + 8 * 86_400_000)).toBe(1);
    expect(await db.evidence.count()).toBe(0);
    expect(await record(report.idempotencyKey)).toMatchObject({
      status: 'delivered',
      evidenceBytes: 0,
    });
  });

  it('backs off exponentially with jitter and honours Retry-After', () => {
    expect(reportRetryDelay(1, null, () => 0)).toBe(5_000);
    expect(reportRetryDelay(3, null, () => 1)).toBe(40_000);
    expect(reportRetryDelay(30, null, () => 1)).toBe(3_600_000);
    expect(reportRetryDelay(1, 600, () => 1)).toBe(600_000);
  });
});

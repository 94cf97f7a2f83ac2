/**
 * `npm run bench:report`: the report outbox and the report server, on loopback only and bounded.
 *
 * 1. The built extension in Chromium: 1,000 reports with 200 KB screenshots are queued while the
 *    report server is down (written to the outbox's database as enqueue writes them, so the
 *    measure is the outbox, not 1,000 clicks), the outbox tries and backs off, then the server
 *    starts: time to drain, peak extension storage, requests per report and attempts per report,
 *    against a plain Node client posting the same 1,000 bodies one after another.
 * 2. The server alone: concurrent submitters (1, 8, 32) posting 200 KB reports, on SQLite and on a
 *    PostgreSQL started for the run: reports per second, MB/s and latency, PostgreSQL vs SQLite.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { execSync } from 'node:child_process';
import { existsSync, mkdtempSync, statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Hono } from 'hono';
import { chromium } from 'playwright-core';
import {
  chromeBuildDir,
  chromiumArgs,
  EXTENSION_ID,
  findChromium,
  freshProfileDir,
} from '../../src/cli/chromium';
import { exampleRequest } from '../../src/cli/report';
import { evidenceRef, type Report } from '../../src/core/report';
import { createApp } from '../../src/server/app';
import { addToken, countRows } from '../../src/server/report-db';
import { openReportService } from '../../src/server/report-service';
import { startServer } from '../../src/server/serve';
import { startPostgres } from '../unit/server/postgres';

const ROOT = resolve(import.meta.dirname, '../..');
const REPORTS = Number(process.env.BENCH_REPORTS ?? 1000);
const SHOT_BYTES = 200_000;
const log = (line = '') => process.stdout.write(`${line}\n`);
const mb = (n: number) => `${(n / 1e6).toFixed(1)} MB`;
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** A report like the extension files, with its own idempotency key and random screenshot bytes. */
async function reportWithShot(template: Report): Promise<{ report: Report; shot: Uint8Array }> {
  const shot = new Uint8Array(randomBytes(SHOT_BYTES));
  return {
    report: {
      ...template,
      idempotencyKey: randomUUID(),
      evidence: [await evidenceRef('screenshot', shot)],
    },
    shot,
  };
}

const body = (report: Report, shot: Uint8Array) =>
  JSON.stringify({
    report,
    artifacts: [{ name: 'screenshot.png', base64: Buffer.from(shot).toString('base64') }],
  });

const template = (await exampleRequest()).report;

// ---------------------------------------------------------------------------------------------
// 1. The outbox in Chromium

async function outboxBench(): Promise<void> {
  const executablePath = findChromium();
  if (!executablePath) {
    log('Chromium not found: the outbox part is skipped (install chromium or set CHROME_PATH)');
    return;
  }
  const manifest = join(chromeBuildDir, 'manifest.json');
  if (
    !existsSync(manifest) ||
    statSync(manifest).mtimeMs < statSync(join(ROOT, 'src/platform/outbox.ts')).mtimeMs
  ) {
    log('building the extension (wxt build)…');
    execSync('npx wxt build', { cwd: ROOT, stdio: 'ignore' });
  }
  const dir = mkdtempSync(join(tmpdir(), 'leadguard-bench-report-'));
  const service = await openReportService({
    db: join(dir, 'reports.sqlite'),
    evidenceDir: join(dir, 'evidence'),
    keyPath: join(dir, 'receipt.key'),
    rateLimit: { perMinute: 1e6, burst: 1e6 },
  });
  const { token } = await addToken(service.db.db, 'bench');
  let posts = 0;
  let preflights = 0;
  const counted = new Hono();
  counted.use('/v1/reports', async (c, next) => {
    if (c.req.method === 'POST') posts++;
    else if (c.req.method === 'OPTIONS') preflights++;
    await next();
  });
  counted.route('/', createApp(service.modules));
  // A port that is free now and closed while the reports are queued: the server is "down".
  const probe = await startServer(counted);
  const port = probe.port;
  await probe.close();

  const context = await chromium.launchPersistentContext(freshProfileDir(), {
    executablePath,
    headless: true,
    args: chromiumArgs({}),
  });
  let server: Awaited<ReturnType<typeof startServer>> | null = null;
  try {
    const page = await context.newPage();
    await page.goto(`chrome-extension://${EXTENSION_ID}/options.html`);
    // tsx names functions with a helper the page doesn't have; evaluated functions need it there.
    await page.evaluate('globalThis.__name = (f) => f');
    const send = (type: string, data: object) =>
      page.evaluate(
        ([t, d]) =>
          (
            globalThis as unknown as {
              chrome: {
                runtime: { sendMessage(m: unknown): Promise<{ ok: boolean; error?: string }> };
              };
            }
          ).chrome.runtime.sendMessage({ type: t, data: d }),
        [type, data] as const,
      );
    await send('setReportSettings', {
      serverUrl: `http://127.0.0.1:${port}`,
      token,
      maxStorageMB: 2000,
      timeoutSeconds: 30,
    });
    const usage = () => page.evaluate(async () => (await navigator.storage.estimate()).usage ?? 0);
    const before = await usage();
    let peak = before;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        peak = Math.max(peak, await usage().catch(() => 0));
        await new Promise((r) => setTimeout(r, 1000));
      }
    })();

    // Queue the reports in the outbox's tables, as enqueue() writes them, 50 at a time.
    const queueStart = performance.now();
    for (let done = 0; done < REPORTS; done += 50) {
      const n = Math.min(50, REPORTS - done);
      await page.evaluate(
        async ([tpl, count, size]) => {
          const hex = (b: ArrayBuffer) =>
            [...new Uint8Array(b)].map((x) => x.toString(16).padStart(2, '0')).join('');
          const open = await new Promise<IDBDatabase>((res, rej) => {
            const r = indexedDB.open('leadguard');
            r.onsuccess = () => res(r.result);
            r.onerror = () => rej(r.error);
          });
          const rows: { record: unknown; evidence: unknown }[] = [];
          for (let i = 0; i < count; i++) {
            const shot = new Uint8Array(size);
            for (let at = 0; at < size; at += 65536)
              crypto.getRandomValues(shot.subarray(at, Math.min(size, at + 65536)));
            const id = crypto.randomUUID();
            const sha256 = hex(await crypto.subtle.digest('SHA-256', shot));
            const report = {
              ...(tpl as object),
              idempotencyKey: id,
              clientTime: new Date().toISOString(),
              evidence: [
                {
                  kind: 'screenshot',
                  name: 'screenshot.png',
                  mediaType: 'image/png',
                  bytes: size,
                  sha256,
                },
              ],
            };
            const now = Date.now();
            rows.push({
              record: {
                id,
                report,
                status: 'queued',
                createdAt: now,
                updatedAt: now,
                attempts: 0,
                lastError: null,
                nextAttemptAt: now,
                leaseUntil: null,
                serverId: null,
                receipt: null,
                receiptCheck: null,
                deliveredAt: null,
                evidenceBytes: size,
                evidencePrunedAt: null,
                account: 'MS4wLjABAAAAexample',
              },
              evidence: { reportId: id, name: 'screenshot.png', kind: 'screenshot', bytes: shot },
            });
          }
          await new Promise<void>((res, rej) => {
            const tx = open.transaction(['reports', 'evidence'], 'readwrite');
            for (const r of rows) {
              tx.objectStore('reports').put(r.record);
              tx.objectStore('evidence').put(r.evidence);
            }
            tx.oncomplete = () => res();
            tx.onerror = () => rej(tx.error);
          });
          open.close();
        },
        [template, n, SHOT_BYTES] as const,
      );
    }
    const queuedMs = performance.now() - queueStart;
    // The outbox tries while the server is down: every report fails and backs off.
    // Polling reads counts off the status index, which costs the outbox's writes next to nothing.
    const counts = (withAttempts = false) =>
      page.evaluate(async (attemptsToo) => {
        const open = await new Promise<IDBDatabase>((res) => {
          const r = indexedDB.open('leadguard');
          r.onsuccess = () => res(r.result);
        });
        const store = open.transaction('reports').objectStore('reports');
        const by: Record<string, number> = {};
        for (const status of ['queued', 'sending', 'retrying', 'delivered', 'rejected']) {
          by[status] = await new Promise<number>((res) => {
            const q = store.index('status').count(status);
            q.onsuccess = () => res(q.result);
          });
        }
        let attempts = 0;
        if (attemptsToo) {
          const all = await new Promise<{ attempts: number }[]>((res) => {
            const q = store.getAll();
            q.onsuccess = () => res(q.result as { attempts: number }[]);
          });
          for (const r of all) attempts += r.attempts;
        }
        open.close();
        return { by, attempts };
      }, withAttempts);
    await send('setReportSettings', {});
    const downStart = performance.now();
    while ((await counts()).by.retrying !== REPORTS) {
      if (performance.now() - downStart > 300_000) throw new Error('the outbox never backed off');
      await new Promise((r) => setTimeout(r, 250));
    }
    const downMs = performance.now() - downStart;
    server = await startServer(counted, port);
    const drainStart = performance.now();
    let firstDelivered = 0;
    for (;;) {
      const c = await counts();
      if (!firstDelivered && (c.by.delivered ?? 0) > 0) firstDelivered = performance.now();
      if (c.by.delivered === REPORTS) break;
      if (performance.now() - drainStart > 600_000)
        throw new Error(`drain stalled: ${JSON.stringify(c.by)}`);
      await new Promise((r) => setTimeout(r, 500));
    }
    const drainMs = performance.now() - drainStart;
    const sendMs = performance.now() - firstDelivered;
    const { attempts } = await counts(true);
    const extensionPosts = posts;
    const extensionPreflights = preflights;
    sampling = false;
    await sampler;
    const rows = (await countRows(service.db.db)).reports;

    // The competitor: a plain Node client posting the same kind of bodies one after another.
    const bodies: string[] = [];
    for (let i = 0; i < REPORTS; i++) {
      const { report, shot } = await reportWithShot(template);
      bodies.push(body(report, shot));
    }
    const rawStart = performance.now();
    for (const b of bodies) {
      const r = await fetch(`http://127.0.0.1:${port}/v1/reports`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: b,
      });
      if (r.status !== 201) throw new Error(`raw client got ${r.status}`);
      await r.arrayBuffer();
    }
    const rawMs = performance.now() - rawStart;

    log(`outbox in Chromium: ${REPORTS} reports × ${SHOT_BYTES / 1000} KB screenshot`);
    log(`  queued (written to the outbox)          ${seconds(queuedMs)}`);
    log(`  all tried and backing off, server down  ${seconds(downMs)}`);
    log(
      `  drained after the server started        ${seconds(drainMs)} (first delivery after ${seconds(firstDelivered - drainStart)}: the backoff; then ${seconds(sendMs)} sending, ${(REPORTS / (sendMs / 1000)).toFixed(0)} reports/s)`,
    );
    log(
      `  server rows ${rows} for ${REPORTS} reports; requests per report ${((extensionPosts + extensionPreflights) / REPORTS).toFixed(2)} (${extensionPosts} POSTs and ${extensionPreflights} CORS preflights reached the server); attempts per report ${(attempts / REPORTS).toFixed(2)} (the failed ones while down included)`,
    );
    log(
      `  peak extension storage ${mb(peak)} (before ${mb(before)}; evidence ${mb(REPORTS * SHOT_BYTES)})`,
    );
    log(
      `  plain Node client, same ${REPORTS} bodies one by one: ${seconds(rawMs)}; outbox sending / plain client = ${(sendMs / rawMs).toFixed(2)}×`,
    );
  } finally {
    await context.close();
    await server?.close();
    await service.close();
    await rm(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// 2. The server with concurrent submitters

async function serverBench(kind: 'sqlite' | 'postgres', spec: string) {
  const dir = mkdtempSync(join(tmpdir(), 'leadguard-bench-server-'));
  const service = await openReportService({
    db: spec === 'sqlite' ? join(dir, 'reports.sqlite') : spec,
    evidenceDir: join(dir, 'evidence'),
    keyPath: join(dir, 'receipt.key'),
    rateLimit: { perMinute: 1e7, burst: 1e7 },
  });
  const { token } = await addToken(service.db.db, `bench-${kind}`);
  const server = await startServer(createApp(service.modules));
  const results: { concurrency: number; rps: number; mbps: number; p50: number; p95: number }[] =
    [];
  try {
    for (const concurrency of [1, 8, 32]) {
      const total = Number(process.env.BENCH_SERVER_REPORTS ?? 400);
      const bodies: string[] = [];
      for (let i = 0; i < total; i++) {
        const { report, shot } = await reportWithShot(template);
        bodies.push(body(report, shot));
      }
      const bytes = bodies.reduce((n, b) => n + b.length, 0);
      const latencies: number[] = [];
      let next = 0;
      const deadline = performance.now() + 60_000;
      const start = performance.now();
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (next < bodies.length && performance.now() < deadline) {
            const b = bodies[next++]!;
            const t = performance.now();
            const r = await fetch(`${server.origin}/v1/reports`, {
              method: 'POST',
              headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
              body: b,
            });
            if (r.status !== 201) throw new Error(`${kind}: ${r.status} ${await r.text()}`);
            await r.arrayBuffer();
            latencies.push(performance.now() - t);
          }
        }),
      );
      const ms = performance.now() - start;
      latencies.sort((a, b) => a - b);
      results.push({
        concurrency,
        rps: latencies.length / (ms / 1000),
        mbps: (bytes * (latencies.length / bodies.length)) / 1e6 / (ms / 1000),
        p50: latencies[Math.floor(latencies.length * 0.5)]!,
        p95: latencies[Math.floor(latencies.length * 0.95)]!,
      });
    }
    const rows = (await countRows(service.db.db)).reports;
    return { results, rows };
  } finally {
    await server.close();
    await service.close();
    await rm(dir, { recursive: true, force: true });
  }
}

await outboxBench();
log();
const sqlite = await serverBench('sqlite', 'sqlite');
const pg = await startPostgres();
let postgres: Awaited<ReturnType<typeof serverBench>>;
try {
  postgres = await serverBench('postgres', pg.url);
} finally {
  await pg.stop();
}
log(`report server, ${SHOT_BYTES / 1000} KB screenshot per report, over loopback HTTP:`);
log(
  '  submitters   SQLite reports/s  MB/s  p50 ms  p95 ms   PostgreSQL reports/s  MB/s  p50 ms  p95 ms   PG/SQLite',
);
for (let i = 0; i < sqlite.results.length; i++) {
  const s = sqlite.results[i]!;
  const p = postgres.results[i]!;
  log(
    `  ${String(s.concurrency).padStart(10)}   ${s.rps.toFixed(0).padStart(16)} ${s.mbps.toFixed(1).padStart(5)} ${s.p50.toFixed(0).padStart(7)} ${s.p95.toFixed(0).padStart(7)}   ${p.rps.toFixed(0).padStart(20)} ${p.mbps.toFixed(1).padStart(5)} ${p.p50.toFixed(0).padStart(7)} ${p.p95.toFixed(0).padStart(7)}   ${(p.rps / s.rps).toFixed(2)}×`,
  );
}
log(`  rows stored: SQLite ${sqlite.rows}, PostgreSQL ${postgres.rows}`);

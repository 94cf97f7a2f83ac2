/**
 * The report outbox. A report and its evidence go into Dexie first (enqueue), then the background
 * delivers them: queued → sending → delivered / rejected (permanent, with the server's reason) /
 * retrying (the last error and the next attempt). Retries back off exponentially with jitter and
 * never come before a server's Retry-After. The schedule lives in an alarm and in the database, so
 * delivery resumes after the service worker is stopped or the browser restarts; a report caught
 * mid-send is sent again, and its idempotency key makes the server file it once. One sender at a
 * time across contexts (a Web Lock). Evidence held is capped; delivered evidence is pruned after
 * the retention period, and a full store is reported to the user, never swallowed.
 */
import { browser } from 'wxt/browser';
import {
  ReportAccepted,
  requestBody,
  verifyReceipt,
  type EvidenceKind,
  type Report,
} from '../core/report';
import { defaultVerifier, type Verifier } from '../core/signature';
import { db, type ReportRecord, type ReportStatus } from './db';
import { messageOf } from './list-store';
import {
  noteStorageFull,
  readReportSettings,
  writeReportSettings,
  type ReportSettings,
} from './report-settings';
import { parseRetryAfter } from './sync';

export const OUTBOX_ALARM = 'leadguard-outbox';

const SECOND = 1000;
const DAY = 86_400_000;
const MAX_BACKOFF = 60 * 60 * SECOND;
const MAX_RETRY_AFTER = DAY;
/** Uploads in flight at once (each its own report; the server files each key once). */
const PARALLEL_UPLOADS = 3;
/** Transient failures are retried this long before the report is given up as rejected. */
const GIVE_UP_AFTER = 14 * DAY;

/** Statuses a server answer makes permanent: sending the same request again can't succeed. */
const permanent = new Set([400, 401, 403, 404, 405, 409, 410, 413, 415, 422]);

export class OutboxFullError extends Error {
  override name = 'OutboxFullError';
}

export interface OutboxDeps {
  fetch?: typeof fetch;
  now?: () => number;
  random?: () => number;
  verifier?: Verifier;
}

/**
 * When to try again after `failures` failures in a row: 10 s, 20 s, 40 s … up to an hour, with
 * "equal jitter" so many clients don't retry in step, and never before the server's Retry-After.
 */
export function reportRetryDelay(
  failures: number,
  retryAfterSeconds: number | null,
  random = Math.random,
): number {
  const base = Math.min(MAX_BACKOFF, 10 * SECOND * 2 ** Math.max(0, failures - 1));
  const jittered = base / 2 + random() * (base / 2);
  const asked =
    retryAfterSeconds === null ? 0 : Math.min(MAX_RETRY_AFTER, retryAfterSeconds * SECOND);
  return Math.max(jittered, asked);
}

export interface Artifact {
  name: string;
  kind: EvidenceKind;
  bytes: Uint8Array;
}

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

/** Evidence bytes the outbox holds now. */
export async function heldBytes(): Promise<number> {
  let total = 0;
  await db.reports.each((r) => {
    total += r.evidenceBytes;
  });
  return total;
}

/** Stores a report and its evidence; throws OutboxFullError (in words) when there is no room. */
export async function enqueue(
  report: Report,
  artifacts: Artifact[],
  now = Date.now,
): Promise<ReportRecord> {
  const settings = await readReportSettings();
  const bytes = artifacts.reduce((n, a) => n + a.bytes.byteLength, 0);
  const held = await heldBytes();
  const cap = settings.maxStorageMB * 1e6;
  if (held + bytes > cap) {
    const message = `存储已满：举报证据已占 ${mb(held)}，上限 ${mb(cap)}，这份举报（${mb(bytes)}）没有保存。请在举报记录页导出并清理已送达的举报，或在选项页调高上限。`;
    await noteStorageFull(message, now);
    throw new OutboxFullError(message);
  }
  const at = now();
  const record: ReportRecord = {
    id: report.idempotencyKey,
    report,
    status: 'queued',
    createdAt: at,
    updatedAt: at,
    attempts: 0,
    lastError: null,
    nextAttemptAt: at,
    notBefore: null,
    leaseUntil: null,
    serverId: null,
    receipt: null,
    receiptCheck: null,
    deliveredAt: null,
    evidenceBytes: bytes,
    evidencePrunedAt: null,
    account: report.account?.id ?? null,
  };
  try {
    await db.transaction('rw', db.reports, db.evidence, async () => {
      await db.reports.add(record);
      await db.evidence.bulkAdd(
        artifacts.map((a) => ({ reportId: record.id, name: a.name, kind: a.kind, bytes: a.bytes })),
      );
    });
  } catch (error) {
    if (isQuotaError(error)) {
      const message = `浏览器存储配额已满，这份举报没有保存（${messageOf(error)}）。请导出并清理已送达的举报后再试。`;
      await noteStorageFull(message, now);
      throw new OutboxFullError(message);
    }
    throw error;
  }
  await noteStorageFull(null);
  return record;
}

function isQuotaError(error: unknown): boolean {
  for (let e = error as { name?: string; inner?: unknown } | undefined; e; e = e.inner as never) {
    if (e.name === 'QuotaExceededError') return true;
  }
  return false;
}

let draining: Promise<void> | null = null;
let again = false;
let timer: ReturnType<typeof setTimeout> | undefined;

/** Starts delivering whatever is due, without waiting (the message handlers' and alarm's call). */
export function kick(deps: OutboxDeps = {}): void {
  void drain(deps).catch((error) => console.warn('[LeadGuard] outbox', error));
}

/**
 * Delivers every due report, one at a time, then schedules the next attempt. Calls while a drain
 * runs in this context make it look once more; other contexts wait for the lock.
 */
export function drain(deps: OutboxDeps = {}): Promise<void> {
  if (draining) {
    again = true;
    return draining;
  }
  const run = async () => {
    do {
      again = false;
      await withLock(() => drainDue(deps));
    } while (again);
  };
  draining = run().finally(() => {
    draining = null;
  });
  return draining;
}

async function withLock(task: () => Promise<void>): Promise<void> {
  const locks = (globalThis.navigator as Navigator | undefined)?.locks;
  if (!locks) return task();
  await locks.request('leadguard-outbox', task);
}

const isDue = (r: ReportRecord, at: number) =>
  r.status === 'sending' ? (r.leaseUntil ?? 0) <= at : (r.nextAttemptAt ?? 0) <= at;

async function drainDue(deps: OutboxDeps): Promise<void> {
  const now = deps.now ?? Date.now;
  await prune(now);
  for (;;) {
    const settings = await readReportSettings();
    const due = (
      await db.reports.where('status').anyOf('queued', 'retrying', 'sending').toArray()
    ).filter((r) => isDue(r, now()));
    if (due.length === 0) break;
    if (!settings.serverUrl || !settings.token) {
      await db.reports
        .where('status')
        .anyOf('queued', 'retrying')
        .modify((r) => {
          r.status = 'queued';
          r.lastError = '尚未设置举报服务器和令牌（选项页 → 举报）；设置后自动发送';
          r.nextAttemptAt = null;
        });
      break;
    }
    due.sort((a, b) => a.createdAt - b.createdAt);
    let pulled = false;
    // A few uploads in flight at once, oldest first: one upload at a time leaves the link idle
    // while each report is read, hashed and recorded (bench:report).
    const lanes = Array.from({ length: Math.min(PARALLEL_UPLOADS, due.length) }, async () => {
      for (let record = due.shift(); record; record = due.shift()) {
        const outcome = await sendOne(record.id, settings, deps);
        // The first delivery of a pass shows the server is back: the rest need not wait.
        if (outcome === 'delivered' && !pulled) {
          pulled = true;
          await pullForward(now());
        }
      }
    });
    await Promise.all(lanes);
  }
  await schedule(now);
}

/**
 * The server just took a report: it is back. Reports backing off from earlier failures go now
 * rather than at their jittered times, except where the server itself asked for a wait.
 */
async function pullForward(at: number): Promise<void> {
  await db.reports
    .where('status')
    .equals('retrying')
    .modify((r) => {
      if ((r.notBefore ?? 0) <= at && (r.nextAttemptAt ?? 0) > at) r.nextAttemptAt = at;
    });
}

/** Claims a due report for one attempt (in a transaction: another sender can't claim it too). */
async function claim(id: string, settings: ReportSettings, at: number) {
  return db.transaction('rw', db.reports, async () => {
    const record = await db.reports.get(id);
    if (!record || !['queued', 'retrying', 'sending'].includes(record.status)) return null;
    if (!isDue(record, at)) return null;
    const claimed: ReportRecord = {
      ...record,
      status: 'sending',
      attempts: record.attempts + 1,
      leaseUntil: at + settings.timeoutSeconds * SECOND + 15 * SECOND,
      updatedAt: at,
    };
    await db.reports.put(claimed);
    return claimed;
  });
}

async function settle(id: string, update: Partial<ReportRecord>, now: () => number) {
  await db.reports.update(id, { ...update, leaseUntil: null, updatedAt: now() });
}

async function sendOne(
  id: string,
  settings: ReportSettings,
  deps: OutboxDeps,
): Promise<'delivered' | 'failed' | 'skipped'> {
  const now = deps.now ?? Date.now;
  const random = deps.random ?? Math.random;
  const fetcher = deps.fetch ?? globalThis.fetch.bind(globalThis);
  const record = await claim(id, settings, now());
  if (!record) return 'skipped';
  const evidence = await db.evidence.where('reportId').equals(id).toArray();
  const missing = record.report.evidence.filter((e) => !evidence.some((x) => x.name === e.name));
  if (missing.length) {
    await settle(
      id,
      {
        status: 'rejected',
        lastError: `证据 ${missing.map((m) => m.name).join('、')} 不在本机存储中，无法发送`,
        nextAttemptAt: null,
      },
      now,
    );
    return 'failed';
  }
  const retry = async (message: string, retryAfter: number | null) => {
    const failures = record.attempts;
    if (now() - record.createdAt > GIVE_UP_AFTER) {
      await settle(
        id,
        {
          status: 'rejected',
          lastError: `${message}；已重试 ${failures} 次、超过 14 天，不再重试`,
          nextAttemptAt: null,
        },
        now,
      );
      return 'failed';
    }
    await settle(
      id,
      {
        status: 'retrying',
        lastError: message,
        nextAttemptAt: now() + reportRetryDelay(failures, retryAfter, random),
        notBefore: retryAfter === null ? null : now() + retryAfter * SECOND,
      },
      now,
    );
  };
  const body = JSON.stringify(
    requestBody(
      record.report,
      evidence.map((e) => ({ name: e.name, bytes: e.bytes })),
    ),
  );
  const url = new URL(
    'v1/reports',
    settings.serverUrl.endsWith('/') ? settings.serverUrl : `${settings.serverUrl}/`,
  );
  const controller = new AbortController();
  let timedOut = false;
  const timeout = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, settings.timeoutSeconds * SECOND);
  let response: Response;
  let text: string;
  try {
    response = await fetcher(url.toString(), {
      method: 'POST',
      headers: { authorization: `Bearer ${settings.token}`, 'content-type': 'application/json' },
      body,
      signal: controller.signal,
      credentials: 'omit',
      // No cache: 'no-store' here: it would bypass the CORS preflight cache too, and cost every
      // report an OPTIONS round trip (POST answers are never cached anyway).
      redirect: 'error',
    });
    text = await response.text();
  } catch (error) {
    clearTimeout(timeout);
    await retry(
      timedOut
        ? `服务器 ${settings.timeoutSeconds} 秒内没有回复（${url.host}）`
        : `无法连接举报服务器 ${url.host}：${messageOf(error)}`,
      null,
    );
    return 'failed';
  }
  clearTimeout(timeout);
  const reason = serverReason(text);
  if (response.ok) {
    let parsed: ReportAccepted;
    try {
      parsed = ReportAccepted.parse(JSON.parse(text));
    } catch {
      await retry(`服务器回复了 ${response.status}，但回复无法解析`, null);
      return 'failed';
    }
    const receiptCheck = await checkReceipt(record, parsed, settings, evidence, deps);
    await settle(
      id,
      {
        status: 'delivered',
        notBefore: null,
        serverId: parsed.id,
        receipt: parsed.receipt,
        receiptCheck,
        deliveredAt: now(),
        lastError: null,
        nextAttemptAt: null,
      },
      now,
    );
    return 'delivered';
  }
  if (permanent.has(response.status)) {
    await settle(
      id,
      {
        status: 'rejected',
        lastError: `服务器拒绝（${response.status}）：${reason}`,
        nextAttemptAt: null,
      },
      now,
    );
    return 'failed';
  }
  const retryAfter = parseRetryAfter(response.headers.get('retry-after'), now());
  await retry(
    `服务器回复 ${response.status}${reason ? `：${reason}` : ''}${retryAfter !== null ? `（${retryAfter} 秒后重试）` : ''}`,
    retryAfter,
  );
  return 'failed';
}

/** The server's reason from an error body (`{"error": …}`), as plain short text. */
function serverReason(text: string): string {
  let reason = text;
  try {
    const body = JSON.parse(text) as { error?: unknown };
    if (typeof body.error === 'string') reason = body.error;
  } catch {
    // Not JSON: the text itself (an HTML error page says little; cut it short).
  }
  // Control characters never reach the page.
  // eslint-disable-next-line no-control-regex -- matching them is the point
  const controls = /[\u0000-\u001f\u007f]/g;
  return reason.replace(controls, ' ').trim().slice(0, 300);
}

/** Verifies the receipt against the pinned server keys (the first key seen is pinned). */
async function checkReceipt(
  record: ReportRecord,
  accepted: ReportAccepted,
  settings: ReportSettings,
  evidence: { name: string; bytes: Uint8Array }[],
  deps: OutboxDeps,
): Promise<string> {
  let keys = settings.receiptKeys;
  if (keys.length === 0) {
    keys = [accepted.receipt.key];
    await writeReportSettings({ receiptKeys: keys });
  }
  const check = await verifyReceipt(accepted.receipt, {
    trustedKeys: keys,
    verifier: deps.verifier ?? (await defaultVerifier()),
    report: record.report,
    artifacts: evidence,
  });
  return check.ok ? 'ok' : check.reason;
}

/** One alarm at the earliest next attempt, and a timer for it while this worker lives. */
export async function schedule(now = Date.now): Promise<void> {
  const pending = await db.reports.where('status').anyOf('queued', 'retrying', 'sending').toArray();
  const times = pending
    .map((r) => (r.status === 'sending' ? r.leaseUntil : r.nextAttemptAt))
    .filter((t): t is number => t !== null);
  clearTimeout(timer);
  if (times.length === 0) {
    await browser.alarms.clear(OUTBOX_ALARM);
    return;
  }
  const next = Math.min(...times);
  // The alarm survives the worker (Chrome may run it up to 30 s late); the timer is on time.
  await browser.alarms.create(OUTBOX_ALARM, { when: Math.max(next, now() + SECOND) });
  timer = setTimeout(() => kick(), Math.max(0, next - now()));
}

/** At worker start: a report caught mid-send by a stopped worker is sent again, now. */
export async function recoverOutbox(now = Date.now): Promise<void> {
  await db.reports
    .where('status')
    .equals('sending')
    .modify((r) => {
      r.status = 'retrying';
      r.leaseUntil = null;
      r.nextAttemptAt = now();
      r.lastError = '发送途中后台被浏览器停止；重新发送（服务器按幂等键只收一次）';
    });
}

/** Drops the evidence of reports delivered longer ago than the retention period. */
export async function prune(now = Date.now): Promise<number> {
  const { retentionDays } = await readReportSettings();
  const before = now() - retentionDays * DAY;
  const old = await db.reports
    .where('status')
    .equals('delivered')
    .filter((r) => r.evidencePrunedAt === null && (r.deliveredAt ?? 0) < before)
    .toArray();
  for (const r of old) {
    await db.transaction('rw', db.reports, db.evidence, async () => {
      await db.evidence.where('reportId').equals(r.id).delete();
      await db.reports.update(r.id, { evidenceBytes: 0, evidencePrunedAt: now() });
    });
  }
  return old.length;
}

/** The user retries a rejected or waiting report now. */
export async function retryReport(id: string, now = Date.now): Promise<void> {
  const record = await db.reports.get(id);
  if (!record) throw new Error('没有这份举报');
  if (!(['rejected', 'retrying', 'queued', 'cancelled'] as ReportStatus[]).includes(record.status))
    throw new Error(`这份举报${record.status === 'delivered' ? '已送达' : '正在发送'}，无需重试`);
  if (record.evidencePrunedAt !== null) throw new Error('这份举报的证据已清理，无法重新发送');
  await db.reports.update(id, {
    status: 'queued',
    nextAttemptAt: now(),
    lastError: null,
    updatedAt: now(),
  });
  kick();
}

/** The user cancels a report that is not delivered: it is kept as cancelled, its evidence freed. */
export async function cancelReport(id: string, now = Date.now): Promise<void> {
  await db.transaction('rw', db.reports, db.evidence, async () => {
    const record = await db.reports.get(id);
    if (!record) throw new Error('没有这份举报');
    if (record.status === 'delivered') throw new Error('这份举报已送达，不能取消');
    if (record.status === 'sending') throw new Error('这份举报正在发送，请稍后再试');
    await db.evidence.where('reportId').equals(id).delete();
    await db.reports.update(id, {
      status: 'cancelled',
      nextAttemptAt: null,
      evidenceBytes: 0,
      evidencePrunedAt: now(),
      updatedAt: now(),
    });
  });
}

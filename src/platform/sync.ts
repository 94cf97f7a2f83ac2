/**
 * Following feeds (feed-format.ts): fetch the manifest (conditionally, with its ETag), verify its
 * signature against the subscription's trusted keys, refuse rollback, replay and expiry, download
 * the shortest delta chain or else the snapshot (size-capped, hashed), validate, and hand the new
 * version to list-store.ts, which makes it active only once tabs can run it. Any failure leaves the
 * last good list active and records why; the next try backs off exponentially with jitter and
 * never comes before a server's Retry-After.
 * Scheduled with one alarm at the earliest next check; runs at browser start and on "sync now".
 */
import { browser } from 'wxt/browser';
import { storage } from 'wxt/utils/storage';
import { z } from 'zod';
import { base64ToBytes, sha256Hex } from '../core/bytes';
import {
  applyDelta,
  checkArtifact,
  checkCounts,
  checkManifest,
  checkShrink,
  countList,
  FeedError,
  headerOf,
  MAX_MANIFEST_BYTES,
  MAX_SIGNATURE_BYTES,
  parseDelta,
  rejectHtml,
  parseManifest,
  parseSignatureFile,
  parseSnapshot,
  planUpdate,
  verifyManifestSignature,
  type Artifact,
  type Manifest,
} from '../core/feed-format';
import type { List } from '../core/list-schema';
import { defaultVerifier, type Verifier } from '../core/signature';
import { db, type FeedRecord, type HistoryRecord, type SourceId, type SyncStateRecord } from './db';
import { addHistory, applyChange, messageOf } from './list-store';

export const SYNC_ALARM = 'leadguard-sync';

export const SyncSettings = z.object({
  /** Minutes between checks of a feed that answered. */
  intervalMinutes: z
    .number()
    .int()
    .min(1)
    .max(24 * 60),
  /** Seconds a request may go without a byte before it is abandoned. */
  timeoutSeconds: z.number().int().min(1).max(300),
});
export type SyncSettings = z.infer<typeof SyncSettings>;
const defaultSettings: SyncSettings = { intervalMinutes: 30, timeoutSeconds: 30 };

export const settingsItem = storage.defineItem<SyncSettings>('local:sync-settings', {
  fallback: defaultSettings,
  version: 1,
});

export async function readSettings(): Promise<SyncSettings> {
  const parsed = SyncSettings.safeParse(await settingsItem.getValue());
  return parsed.success ? parsed.data : defaultSettings;
}

export async function writeSettings(settings: SyncSettings): Promise<SyncSettings> {
  const parsed = SyncSettings.parse(settings);
  await settingsItem.setValue(parsed);
  await schedule();
  return parsed;
}

const MINUTE = 60_000;
const MAX_BACKOFF = 6 * 60 * MINUTE;
const MAX_RETRY_AFTER = 24 * 60 * MINUTE;

/**
 * When to try again after `failures` failures in a row: 1, 2, 4 … minutes up to 6 hours, with
 * "equal jitter" (half fixed, half random) so clients of one feed don't retry in step, and never
 * before the server's Retry-After (capped at a day).
 */
export function retryDelay(
  failures: number,
  retryAfterSeconds: number | null,
  random = Math.random,
): number {
  const base = Math.min(MAX_BACKOFF, MINUTE * 2 ** Math.max(0, failures - 1));
  const jittered = base / 2 + random() * (base / 2);
  const asked =
    retryAfterSeconds === null ? 0 : Math.min(MAX_RETRY_AFTER, retryAfterSeconds * 1000);
  return Math.max(jittered, asked);
}

/** Retry-After as seconds: a number of seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, now: number): number | null {
  if (!value) return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, Math.round((at - now) / 1000));
}

export interface SyncDeps {
  fetch?: typeof fetch;
  now?: () => number;
  random?: () => number;
  verifier?: Verifier;
}

interface Download {
  status: number;
  bytes: Uint8Array;
  etag: string | null;
}

/**
 * GET with an idle timeout and a byte cap. The cap is enforced while reading: a server that sends
 * more is cut off at the cap, not buffered.
 */
async function download(
  url: string,
  what: string,
  options: {
    maxBytes: number;
    timeoutMs: number;
    headers?: Record<string, string>;
    fetch: typeof fetch;
    now: () => number;
  },
): Promise<Download> {
  const controller = new AbortController();
  let timedOut = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, options.timeoutMs);
  };
  const timeoutError = () =>
    new FeedError(
      'timeout',
      `the ${what} did not arrive: no answer from ${url} for ${Math.round(options.timeoutMs / 1000)} s`,
    );
  arm();
  try {
    let response: Response;
    try {
      response = await options.fetch(url, {
        headers: options.headers,
        signal: controller.signal,
        cache: 'no-store',
        credentials: 'omit',
        redirect: 'follow',
      });
    } catch (error) {
      if (timedOut) throw timeoutError();
      throw new FeedError('network', `cannot reach ${url}: ${messageOf(error)}`);
    }
    if (timedOut) throw timeoutError();
    if (response.status === 304)
      return { status: 304, bytes: new Uint8Array(0), etag: response.headers.get('etag') };
    if (!response.ok) {
      const retryAfter = parseRetryAfter(response.headers.get('retry-after'), options.now());
      void response.body?.cancel().catch(() => {});
      throw new FeedError(
        'http',
        `the server answered ${response.status}${response.statusText ? ` ${response.statusText}` : ''} for the ${what}${retryAfter !== null ? ` (retry after ${retryAfter} s)` : ''}`,
        retryAfter,
      );
    }
    const declared = Number(response.headers.get('content-length'));
    if (
      Number.isFinite(declared) &&
      declared > options.maxBytes &&
      !response.headers.get('content-encoding')
    ) {
      void response.body?.cancel().catch(() => {});
      throw new FeedError(
        'oversize',
        `the ${what} is ${declared} bytes, more than the ${options.maxBytes} bytes allowed`,
      );
    }
    const reader = response.body!.getReader();
    const parts: Uint8Array[] = [];
    let total = 0;
    for (;;) {
      let chunk: ReadableStreamReadResult<Uint8Array>;
      try {
        chunk = await reader.read();
      } catch (error) {
        if (timedOut) throw timeoutError();
        throw new FeedError(
          'truncated',
          `the ${what} broke off after ${total} bytes: ${messageOf(error)}`,
        );
      }
      if (chunk.done) break;
      arm();
      total += chunk.value.byteLength;
      if (total > options.maxBytes) {
        void reader.cancel().catch(() => {});
        throw new FeedError(
          'oversize',
          `the ${what} is larger than the ${options.maxBytes} bytes allowed; stopped reading`,
        );
      }
      parts.push(chunk.value);
    }
    const bytes = new Uint8Array(total);
    let at = 0;
    for (const p of parts) {
      bytes.set(p, at);
      at += p.byteLength;
    }
    return { status: response.status, bytes, etag: response.headers.get('etag') };
  } finally {
    clearTimeout(timer);
  }
}

export const feedSource = (feed: Pick<FeedRecord, 'id'>): SourceId => `feed:${feed.id}`;
export const signatureUrl = (manifestUrl: string) => {
  const url = new URL(manifestUrl);
  url.pathname = `${url.pathname}.sig`;
  return url.toString();
};

async function activeVersionOf(source: SourceId) {
  const state = await db.sources.get(source);
  if (!state) return null;
  const record = await db.lists.get([source, state.active]);
  return record ?? null;
}

export type SyncOutcome =
  | { outcome: 'updated'; version: number; via: 'snapshot' | 'delta'; note: string | null }
  | { outcome: 'unchanged'; version: number | null }
  | { outcome: 'rejected' | 'failed'; code: string; message: string };

const retryable = new Set(['http', 'timeout', 'network']);

/** One sync of one feed. Never throws: the outcome and the feed's state say what happened. */
export async function syncFeed(feed: FeedRecord, deps: SyncDeps = {}): Promise<SyncOutcome> {
  const fetcher = deps.fetch ?? globalThis.fetch.bind(globalThis);
  const now = deps.now ?? Date.now;
  const random = deps.random ?? Math.random;
  const settings = await readSettings();
  const timeoutMs = settings.timeoutSeconds * 1000;
  const source = feedSource(feed);
  const started = now();
  const previous = (await db.syncState.get(feed.id)) ?? initialState(feed.id);
  const setState = (update: Partial<SyncStateRecord>) =>
    db.syncState.put({ ...previous, ...update, feed: feed.id });
  await setState({ phase: 'fetching', lastAttemptAt: started });
  let applying = false;
  let manifest: Manifest | null = null;
  let manifestSha256: string | null = null;
  let bytes = 0;
  const active = await activeVersionOf(source);
  try {
    const get = (url: string, what: string, maxBytes: number, headers?: Record<string, string>) =>
      download(new URL(url, feed.url).toString(), what, {
        maxBytes,
        timeoutMs,
        headers,
        fetch: fetcher,
        now,
      });
    const etagHeaders: Record<string, string> | undefined =
      active && previous.etag ? { 'if-none-match': previous.etag } : undefined;
    const manifestResponse = await get(feed.url, 'manifest', MAX_MANIFEST_BYTES, etagHeaders);
    if (manifestResponse.status === 304) {
      await setState(success(previous, now(), settings, random, previous.etag));
      return { outcome: 'unchanged', version: active?.version ?? null };
    }
    // An HTML error page is told as such before anything else looks at the bytes.
    rejectHtml(manifestResponse.bytes, 'manifest');
    const signatures = parseSignatureFile(
      (await get(signatureUrl(feed.url), 'signature', MAX_SIGNATURE_BYTES)).bytes,
    );
    await verifyManifestSignature(
      manifestResponse.bytes,
      signatures,
      feed.keys,
      deps.verifier ?? (await defaultVerifier()),
    );
    manifest = parseManifest(manifestResponse.bytes);
    manifestSha256 = await sha256Hex(manifestResponse.bytes);
    const seen = new Map<number, string>();
    for (const row of await db.history.where('source').equals(source).toArray()) {
      if (row.outcome === 'updated' && row.to !== null && row.manifestSha256)
        seen.set(row.to, row.manifestSha256);
    }
    const verdict = checkManifest(manifest, {
      now: now(),
      feedId: active?.feedId ?? null,
      active: active
        ? { version: active.version, manifestSha256: active.manifestSha256 ?? null }
        : null,
      manifestSha256,
      seen,
    });
    if (verdict === 'current') {
      await setState(success(previous, now(), settings, random, manifestResponse.etag));
      return { outcome: 'unchanged', version: active!.version };
    }
    const fetchArtifact = async (ref: Artifact, what: string) => {
      const body = await get(ref.url, what, ref.size);
      bytes += body.bytes.byteLength;
      checkArtifact(what, body.bytes, await sha256Hex(body.bytes), ref);
      return body.bytes;
    };
    let list: List | null = null;
    let via: 'snapshot' | 'delta' = 'snapshot';
    let note: string | null = null;
    const plan = planUpdate(manifest, active?.version ?? null);
    if (plan.kind === 'deltas' && active) {
      try {
        let current: List = {
          ...(active.header as Omit<List, 'entries'>),
          entries: active.entries,
        };
        for (const ref of plan.chain) {
          const delta = parseDelta(await fetchArtifact(ref, `delta ${ref.from}→${ref.to}`));
          if (delta.feed !== manifest.feed || delta.from !== ref.from || delta.to !== ref.to) {
            throw new FeedError(
              'delta-gap',
              `the delta listed as ${ref.from}→${ref.to} is ${delta.from}→${delta.to} of feed ${delta.feed}`,
            );
          }
          current = applyDelta(current, delta);
        }
        checkCounts(current, manifest);
        list = current;
        via = 'delta';
      } catch (error) {
        // A missing or broken delta costs a bigger download, not the update.
        note = `the delta chain failed (${messageOf(error)}); the snapshot was used`;
      }
    }
    if (!list) {
      try {
        list = parseSnapshot(await fetchArtifact(manifest.snapshot, 'snapshot'));
      } catch (error) {
        if (!note || !(error instanceof FeedError)) throw error;
        throw new FeedError(
          error.code,
          `${note.replace(/; the snapshot was used$/, '')}; the snapshot failed too: ${error.message}`,
          error.retryAfter,
        );
      }
      if (list.version !== manifest.version) {
        throw new FeedError(
          'schema',
          `the snapshot is version ${list.version}, the manifest says ${manifest.version}`,
        );
      }
      checkCounts(list, manifest);
    }
    checkShrink(active ? active.counts : null, countList(list), manifest);
    applying = true;
    await setState({ phase: 'applying' });
    await applyChange(
      {
        kind: 'put',
        record: {
          source,
          version: manifest.version,
          header: headerOf(list),
          entries: list.entries,
          counts: countList(list),
          appliedAt: now(),
          via,
          manifestSha256,
          feedId: manifest.feed,
        },
      },
      {
        history: {
          source,
          from: active?.version ?? null,
          to: manifest.version,
          via,
          bytes,
          manifestSha256,
        },
      },
    );
    if (note) {
      await addHistory({
        source,
        at: now(),
        outcome: 'updated',
        from: active?.version ?? null,
        to: manifest.version,
        via,
        message: note,
        millis: now() - started,
        bytes,
        manifestSha256,
      });
    }
    await setState(success(previous, now(), settings, random, manifestResponse.etag));
    return { outcome: 'updated', version: manifest.version, via, note };
  } catch (error) {
    const code = error instanceof FeedError ? error.code : applying ? 'compile' : 'network';
    const message = messageOf(error);
    const failures = previous.failures + 1;
    const retryAfter = error instanceof FeedError ? error.retryAfter : null;
    await setState({
      phase: 'idle',
      lastError: message,
      failures,
      nextCheckAt: now() + retryDelay(failures, retryAfter, random),
    });
    const outcome: HistoryRecord['outcome'] = retryable.has(code) ? 'failed' : 'rejected';
    // list-store records its own refusals; everything before it is recorded here.
    if (!applying) {
      await addHistory({
        source,
        at: now(),
        outcome,
        from: active?.version ?? null,
        to: manifest?.version ?? null,
        via: null,
        message,
        millis: now() - started,
        bytes,
        manifestSha256,
      });
    }
    return { outcome, code, message };
  }
}

function initialState(feed: string): SyncStateRecord {
  return {
    feed,
    etag: null,
    lastAttemptAt: null,
    lastSuccessAt: null,
    lastError: null,
    failures: 0,
    nextCheckAt: null,
    phase: 'idle',
  };
}

function success(
  previous: SyncStateRecord,
  at: number,
  settings: SyncSettings,
  random: () => number,
  etag: string | null,
): SyncStateRecord {
  // Up to a tenth of the interval of jitter, so a feed's clients spread out over time.
  const interval = settings.intervalMinutes * MINUTE;
  return {
    ...previous,
    etag,
    phase: 'idle',
    lastSuccessAt: at,
    lastError: null,
    failures: 0,
    nextCheckAt: at + interval - random() * interval * 0.1,
  };
}

let running: Promise<void> = Promise.resolve();

/** Syncs every feed that is due (or all, when forced), one after another, then reschedules. */
export function syncAll(options: { force?: boolean } & SyncDeps = {}): Promise<void> {
  // An alarm and "sync now" at once run one after the other, not interleaved.
  const run = running.then(() => syncDue(options));
  running = run.catch(() => {});
  return run;
}

async function syncDue(options: { force?: boolean } & SyncDeps): Promise<void> {
  const now = options.now ?? Date.now;
  const feeds = await db.feeds.orderBy('order').toArray();
  for (const feed of feeds) {
    const state = await db.syncState.get(feed.id);
    if (!options.force && state?.nextCheckAt && state.nextCheckAt > now()) continue;
    await syncFeed(feed, options);
  }
  await schedule();
}

/** One alarm at the earliest next check (alarms survive the worker; the worker doesn't). */
export async function schedule(): Promise<void> {
  const feeds = await db.feeds.toArray();
  if (feeds.length === 0) {
    await browser.alarms.clear(SYNC_ALARM);
    return;
  }
  const states = await db.syncState.bulkGet(feeds.map((f) => f.id));
  const times = states.map((s) => s?.nextCheckAt ?? Date.now());
  // Chrome runs alarms at most every 30 s.
  await browser.alarms.create(SYNC_ALARM, {
    when: Math.max(Date.now() + 30_000, Math.min(...times)),
  });
}

/** A worker stopped mid-sync left its phase set: record it, keep the last good list, retry soon. */
export async function recoverInterruptedSyncs(now = Date.now): Promise<void> {
  for (const state of await db.syncState.toArray()) {
    if (state.phase === 'idle') continue;
    const message =
      state.phase === 'applying'
        ? 'the last sync stopped while applying a new version (the browser stopped the service worker); the last good list stayed active'
        : 'the last sync stopped while downloading (the browser stopped the service worker)';
    await db.syncState.put({ ...state, phase: 'idle', lastError: message, nextCheckAt: now() });
    await addHistory({
      source: `feed:${state.feed}`,
      at: now(),
      outcome: 'failed',
      from: null,
      to: null,
      via: null,
      message,
      millis: 0,
      bytes: 0,
      manifestSha256: null,
    });
  }
}

const Key = z
  .string()
  .trim()
  .refine((k) => {
    try {
      return base64ToBytes(k).length === 32;
    } catch {
      return false;
    }
  }, 'an Ed25519 public key is 32 bytes in base64 (the content of feed.pub)');

export const FeedInput = z.object({
  url: z
    .string()
    .trim()
    .url()
    .refine((u) => /^https?:$/.test(new URL(u).protocol), 'feeds are fetched over http or https'),
  keys: z.array(Key).min(1).max(8),
});

/** Subscribes to a feed (or updates the trusted keys of one already followed). */
export async function addFeed(
  input: z.input<typeof FeedInput>,
  now = Date.now,
): Promise<FeedRecord> {
  const { url, keys } = FeedInput.parse(input);
  const id = (await sha256Hex(new TextEncoder().encode(url))).slice(0, 16);
  const existing = await db.feeds.get(id);
  const order = existing?.order ?? (await db.feeds.count());
  const feed: FeedRecord = {
    id,
    url,
    keys: [...new Set(keys)],
    addedAt: existing?.addedAt ?? now(),
    order,
  };
  await db.feeds.put(feed);
  return feed;
}

/** Unsubscribes: the feed's list leaves the active list (recompiled without it). */
export async function removeFeed(id: string): Promise<void> {
  const feed = await db.feeds.get(id);
  if (!feed) return;
  if (await db.sources.get(feedSource(feed))) {
    await applyChange(
      { kind: 'remove', source: feedSource(feed) },
      { history: { source: feedSource(feed) } },
    );
  }
  await db.transaction('rw', [db.feeds, db.syncState], async () => {
    await db.feeds.delete(id);
    await db.syncState.delete(id);
  });
  await schedule();
}

/** What the options page and popup show about the feeds. */
export async function syncStatus() {
  const feeds = await db.feeds.orderBy('order').toArray();
  const settings = await readSettings();
  const out = [];
  for (const feed of feeds) {
    const state = (await db.syncState.get(feed.id)) ?? initialState(feed.id);
    const active = await activeVersionOf(feedSource(feed));
    out.push({
      id: feed.id,
      url: feed.url,
      keys: feed.keys,
      feedId: active?.feedId ?? null,
      name: typeof active?.header.name === 'string' ? active.header.name : null,
      version: active?.version ?? null,
      entries: active?.counts.entries ?? null,
      members: active?.counts.members ?? null,
      via: active?.via ?? null,
      lastSuccessAt: state.lastSuccessAt,
      lastAttemptAt: state.lastAttemptAt,
      lastError: state.lastError,
      nextCheckAt: state.nextCheckAt,
      phase: state.phase,
      failures: state.failures,
    });
  }
  const history = await db.history.orderBy('seq').reverse().limit(20).toArray();
  return { settings, feeds: out, history: history.map(({ seq: _seq, ...row }) => row) };
}

/**
 * The active list and how it changes. Its sources (feeds' active versions, an imported file, the
 * user's own entries) live in Dexie; what tabs run is their merge (list-merge.ts), compiled.
 *
 * A change becomes active only after the merged list has been compiled and loaded exactly as a tab
 * loads it, and its compiled form fits the path to the tabs (matcher-delivery.ts). Then one Dexie
 * transaction switches the source versions and the active record, and the pointer the tabs watch
 * moves. Any failure leaves the last good list active and unchanged, with the reason recorded.
 * The active list is known by the SHA-256 of its compiled bytes, so a list re-imported under the
 * same id and version, or a reset to the bundled list, still reaches every tab.
 * Changes run one at a time, in the background.
 */
import { storage } from 'wxt/utils/storage';
import { compileForTabs } from '../core/compile-for-tabs';
import { defaultList } from '../core/default-list';
import { countList, headerOf } from '../core/feed-format';
import { mergeLists, type ListPart } from '../core/list-merge';
import { Entry, List, ListError, parseList } from '../core/list-schema';
import { MATCHER_FORMAT, type CompiledMatcher } from '../core/matcher';
import {
  db,
  HISTORY_PER_SOURCE,
  type ActiveRecord,
  type HistoryRecord,
  type ListVersionRecord,
  type LocalEntryRecord,
  type SourceId,
} from './db';
import {
  CHUNK_BYTES,
  dropChunksExcept,
  hasChunks,
  pointTabsTo,
  readPointer,
  storeChunks,
  type MatcherPointer,
} from './matcher-delivery';
import { ActivationError } from './staged-import';

export { ActivationError };

export type Change =
  /** A new version of a source becomes its active one (the active one is kept as previous). */
  | { kind: 'put'; record: ListVersionRecord }
  /** A source is dropped (reset an import, unsubscribe a feed). */
  | { kind: 'remove'; source: SourceId }
  /** The user's own entries change. */
  | { kind: 'local'; put?: LocalEntryRecord[]; remove?: string[] }
  /** Nothing changes; the active list is compiled and published again (repair). */
  | { kind: 'rebuild' };

export interface ChangeOptions {
  /** What the history row says about this change (source, from/to, via, bytes, manifest). */
  history?: Partial<HistoryRecord>;
  maxBytes?: number;
  compile?: (list: List) => CompiledMatcher;
  now?: () => number;
  /** Called once the list has compiled, right before the switch (the sync's "applying" phase). */
  beforeSwitch?: () => Promise<void>;
}

let queue: Promise<unknown> = Promise.resolve();

/** Applies a change (one at a time). Resolves with the new active record; rejects and changes nothing. */
export function applyChange(change: Change, options: ChangeOptions = {}): Promise<ActiveRecord> {
  const run = queue.then(() => applyNow(change, options));
  queue = run.catch(() => {});
  return run;
}

type Part = ListPart & { source: SourceId; version: number };

/** Feeds in subscription order, then an imported file. */
async function sourceRank(): Promise<(source: SourceId) => number> {
  const feeds = await db.feeds.toArray();
  const order = new Map(feeds.map((f) => [`feed:${f.id}`, f.order]));
  return (source) => (source === 'import' ? Infinity : (order.get(source) ?? Infinity - 1));
}

async function activeParts(): Promise<Part[]> {
  const sources = await db.sources.toArray();
  const records = await db.lists.bulkGet(
    sources.map((s) => [s.source, s.active] as [SourceId, number]),
  );
  return records
    .filter((r): r is ListVersionRecord => r !== undefined)
    .map((r) => ({ source: r.source, version: r.version, header: r.header, entries: r.entries }));
}

async function applyNow(change: Change, options: ChangeOptions): Promise<ActiveRecord> {
  const now = options.now ?? Date.now;
  const started = now();
  const source = options.history?.source ?? sourceOf(change);
  const historyBase: Omit<HistoryRecord, 'outcome' | 'message' | 'millis'> = {
    source,
    at: started,
    from: null,
    to: null,
    via: null,
    bytes: 0,
    manifestSha256: null,
    ...options.history,
  };
  try {
    const parts = await activeParts();
    let local = await db.localEntries.toArray();
    let nextParts = parts;
    if (change.kind === 'put') {
      const { source, version, header, entries } = change.record;
      nextParts = [
        ...parts.filter((p) => p.source !== source),
        { source, version, header, entries },
      ];
    } else if (change.kind === 'remove') {
      nextParts = parts.filter((p) => p.source !== change.source);
    } else if (change.kind === 'local') {
      const removed = new Set([...(change.remove ?? []), ...(change.put ?? []).map((e) => e.id)]);
      local = [...local.filter((e) => !removed.has(e.id)), ...(change.put ?? [])];
    }
    const rank = await sourceRank();
    nextParts.sort((a, b) => rank(a.source) - rank(b.source));
    const { list } = mergeLists(
      nextParts,
      local.map((e) => e.entry),
      defaultList(),
    );
    const built = await compileForTabs(list, options);
    const current = await db.active.get('active');
    const published = await readPointer();
    const pointer =
      published?.sha256 === built.sha256 && (await hasChunks(published))
        ? published
        : await storeChunks(built.sha256, built.bytes);
    await options.beforeSwitch?.();
    const counts = countList(list);
    const active: ActiveRecord = {
      key: 'active',
      matcherSha256: built.sha256,
      bytes: built.bytes.length,
      sources:
        nextParts.length > 0
          ? nextParts.map((p) => ({ source: p.source, version: p.version }))
          : [{ source: 'bundled', version: defaultList().version }],
      listId: list.id,
      listVersion: list.version,
      name: list.name ?? null,
      counts,
      activatedAt: now(),
    };
    await db.transaction(
      'rw',
      [db.lists, db.sources, db.active, db.history, db.localEntries],
      async () => {
        if (change.kind === 'put') {
          const { source, header, entries: _entries, ...facts } = change.record;
          const info = { ...facts, name: typeof header.name === 'string' ? header.name : null };
          const state = await db.sources.get(source);
          await db.lists.put(change.record);
          let previous = state?.previous ?? null;
          if (state && state.active !== facts.version) {
            // The version before the active one is dropped; the active one becomes the previous.
            if (state.previous !== null && state.previous !== facts.version) {
              await db.lists.delete([source, state.previous]);
            }
            previous = state.active;
          }
          await db.sources.put({ source, active: facts.version, previous, info });
        } else if (change.kind === 'remove') {
          await db.lists.where('source').equals(change.source).delete();
          await db.sources.delete(change.source);
        } else if (change.kind === 'local') {
          if (change.remove?.length) await db.localEntries.bulkDelete(change.remove);
          if (change.put?.length) await db.localEntries.bulkPut(change.put);
        }
        await db.active.put(active);
        await addHistory({
          ...historyBase,
          outcome: 'updated',
          message: null,
          millis: now() - started,
        });
      },
    );
    await pointTabsTo(pointer);
    await dropChunksExcept([built.sha256, ...(current ? [current.matcherSha256] : [])]);
    return active;
  } catch (error) {
    await addHistory({
      ...historyBase,
      outcome: 'rejected',
      message: messageOf(error),
      millis: now() - started,
    }).catch(() => {});
    throw error;
  }
}

function sourceOf(change: Change): HistoryRecord['source'] {
  if (change.kind === 'put') return change.record.source;
  if (change.kind === 'remove') return change.source;
  if (change.kind === 'local') return 'local';
  return 'bundled';
}

export async function addHistory(row: Omit<HistoryRecord, 'seq'>): Promise<void> {
  await db.history.add(row);
  const old = await db.history
    .where('source')
    .equals(row.source)
    .reverse()
    .offset(HISTORY_PER_SOURCE)
    .primaryKeys();
  if (old.length) await db.history.bulkDelete(old);
}

const legacyList = storage.defineItem<unknown>('local:active-list', { fallback: null });
const legacyCompiled = storage.defineItem<unknown>('local:compiled-matcher', { fallback: null });

/**
 * Run when the background starts: brings an imported list from the storage item of earlier
 * versions into Dexie, and makes sure tabs point at the active list (a worker stopped between the
 * switch and moving the pointer, or a first run, leaves them without it).
 */
export async function reconcile(): Promise<void> {
  const legacy = await legacyList.getValue();
  if (legacy !== null) {
    const parsed = List.safeParse(legacy);
    if (parsed.success && !(await db.sources.get('import'))) {
      await applyChange({ kind: 'put', record: importRecord(parsed.data, Date.now()) }).catch(
        (error: unknown) =>
          console.warn(
            '[LeadGuard] the imported list of an earlier version does not compile',
            error,
          ),
      );
    }
    await legacyList.removeValue();
  }
  if ((await legacyCompiled.getValue()) !== null) await legacyCompiled.removeValue();

  const active = await db.active.get('active');
  const pointer = await readPointer();
  if (active && pointer?.sha256 === active.matcherSha256 && (await hasChunks(pointer))) return;
  if (active) {
    const stored: MatcherPointer = {
      format: MATCHER_FORMAT,
      sha256: active.matcherSha256,
      bytes: active.bytes,
      chunks: Math.max(1, Math.ceil(active.bytes / CHUNK_BYTES)),
    };
    if (await hasChunks(stored)) {
      await pointTabsTo(stored);
      return;
    }
  }
  await applyChange({ kind: 'rebuild' });
}

export function importRecord(list: List, now: number): ListVersionRecord {
  return {
    source: 'import',
    version: list.version,
    header: headerOf(list),
    entries: list.entries,
    counts: countList(list),
    appliedAt: now,
    via: 'import',
  };
}

/** Background: validates, compiles and activates a staged list file. The staged copy is removed. */
export async function importStaged(id: string, now = Date.now): Promise<ActiveRecord> {
  const staged = await db.staged.get(id);
  if (!staged) throw new ActivationError('the file to import is gone; choose it again');
  try {
    let json: unknown;
    try {
      json = JSON.parse(await staged.file.text());
    } catch (error) {
      throw new ActivationError(`${staged.name} is not valid JSON: ${messageOf(error)}`, {
        cause: error,
      });
    }
    const list = parseList(json);
    return await applyChange(
      { kind: 'put', record: importRecord(list, now()) },
      { history: { source: 'import', via: 'import', to: list.version, bytes: staged.file.size } },
    );
  } finally {
    await db.staged.delete(id);
  }
}

/** Drops an imported list: back to the feeds, or to the bundled list. */
export function resetImport(): Promise<ActiveRecord> {
  return applyChange({ kind: 'remove', source: 'import' }, { history: { source: 'import' } });
}

/** Adds or replaces the user's own entries, each validated as a list entry. */
export async function putLocalEntries(input: unknown[], now = Date.now): Promise<ActiveRecord> {
  const entries = input.map((raw, i) => {
    const parsed = Entry.safeParse(raw);
    if (!parsed.success) {
      const problems = parsed.error.issues
        .slice(0, 3)
        .map((issue) => `${issue.path.join('.') || 'entry'}: ${issue.message}`);
      throw new ActivationError(`entry ${i + 1}: ${problems.join('; ')}`);
    }
    return parsed.data;
  });
  return applyChange(
    { kind: 'local', put: entries.map((entry) => ({ id: entry.id, entry, addedAt: now() })) },
    { history: { source: 'local' } },
  );
}

/** The user's own entries, summarized for the options page. */
export async function localEntrySummaries() {
  return (await db.localEntries.toArray()).map(({ entry }) => ({
    id: entry.id,
    kind: entry.kind,
    summary:
      'text' in entry
        ? entry.text
        : 'pattern' in entry
          ? entry.pattern
          : 'platformId' in entry
            ? `${entry.platform}:${entry.platformId}`
            : 'value' in entry
              ? `${entry.type}:${entry.value}`
              : entry.kind === 'account-set'
                ? `${entry.platform} ×${entry.ids.length}`
                : `${entry.type} ×${entry.values.length}`,
  }));
}

export function removeLocalEntries(ids: string[]): Promise<ActiveRecord> {
  return applyChange({ kind: 'local', remove: ids });
}

/** The active list for the options page and popup. */
export async function activeListInfo() {
  const active = await db.active.get('active');
  const imported = await db.sources.get('import');
  const local = await db.localEntries.count();
  return {
    sha256: active?.matcherSha256 ?? null,
    id: active?.listId ?? defaultList().id,
    version: active?.listVersion ?? defaultList().version,
    name: active?.name ?? defaultList().name ?? null,
    entries: active?.counts.entries ?? defaultList().entries.length,
    members: active?.counts.members ?? countList(defaultList()).members,
    sources: active?.sources ?? [{ source: 'bundled' as const, version: defaultList().version }],
    isDefault: !active || active.sources.every((s) => s.source === 'bundled'),
    hasImport: imported !== undefined,
    localEntries: local,
    activatedAt: active?.activatedAt ?? null,
    bytes: active?.bytes ?? null,
  };
}

export function messageOf(error: unknown): string {
  if (error instanceof ListError || error instanceof ActivationError) return error.message;
  if (error instanceof Error) return error.message;
  return String(error);
}

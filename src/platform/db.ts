/**
 * The extension's database (IndexedDB through Dexie): subscribed feeds, each list source's active
 * and previous version, the user's own entries, sync state and history, list files staged for
 * import, and the report outbox with its evidence. Lists are kept here rather than in `storage.local` because a feed may hold a million
 * accounts; tabs never read this (they read the compiled matcher from storage, matcher-delivery.ts).
 *
 * Schema changes add a numbered `db.version(n)` with an `upgrade` that migrates the rows; versions
 * already shipped are never edited.
 */
import { Dexie, type EntityTable } from 'dexie';
import type { Entry } from '../core/list-schema';
import type { ListHeader } from '../core/feed-format';
import type { EvidenceKind, Receipt, Report } from '../core/report';

/** A subscription: where the feed is and which Ed25519 keys may sign it (several, for rotation). */
export interface FeedRecord {
  id: string;
  url: string;
  /** Trusted public keys, base64 of the 32 raw bytes. */
  keys: string[];
  addedAt: number;
  /** Subscription order: the first feed with a list supplies the scoring header. */
  order: number;
}

/** Where an active list part comes from: a feed (`feed:<id>`) or an imported file (`import`). */
export type SourceId = `feed:${string}` | 'import';

/** One version of one source's list, validated. */
export interface ListVersionRecord {
  source: SourceId;
  version: number;
  header: ListHeader;
  entries: Entry[];
  /** Entries, and members of account/contact sets, for status and the shrink check. */
  counts: { entries: number; members: number };
  appliedAt: number;
  via: 'snapshot' | 'delta' | 'import';
  /** SHA-256 of the signed manifest this version came from (feeds). */
  manifestSha256?: string;
  /** The feed's id as its manifest names it (feeds). */
  feedId?: string;
}

/**
 * Which versions of a source are active and kept from before. Switching versions rewrites this small
 * row, never the (possibly huge) list rows.
 */
export interface SourceRecord {
  source: SourceId;
  active: number;
  previous: number | null;
  /** The active version's facts, so status and sync checks don't read a million-entry row. */
  info: Omit<ListVersionRecord, 'source' | 'header' | 'entries'> & { name: string | null };
}

/** The user's own entries, merged into whatever list is active. */
export interface LocalEntryRecord {
  id: string;
  entry: Entry;
  addedAt: number;
}

export interface SyncStateRecord {
  feed: string;
  etag: string | null;
  lastAttemptAt: number | null;
  lastSuccessAt: number | null;
  /** The last failure in words, cleared by the next success. */
  lastError: string | null;
  failures: number;
  nextCheckAt: number | null;
  /** Set while a sync runs, so a stopped worker's half-done sync is told apart on restart. */
  phase: 'idle' | 'fetching' | 'applying';
}

export interface HistoryRecord {
  seq?: number;
  source: SourceId | 'bundled' | 'local';
  at: number;
  outcome: 'updated' | 'unchanged' | 'rejected' | 'failed';
  from: number | null;
  to: number | null;
  via: 'snapshot' | 'delta' | 'import' | null;
  /** The reason in words (rejections and failures), or what fell back (a missing delta). */
  message: string | null;
  millis: number;
  bytes: number;
  manifestSha256: string | null;
}

/** What the tabs run: the compiled matcher's content hash and the source versions behind it. */
export interface ActiveRecord {
  key: 'active';
  matcherSha256: string;
  bytes: number;
  sources: { source: SourceId | 'bundled' | 'local'; version: number }[];
  listId: string;
  listVersion: number;
  name: string | null;
  counts: { entries: number; members: number };
  activatedAt: number;
}

/** A list file the options page handed to the background without a giant message. */
export interface StagedImportRecord {
  id: string;
  name: string;
  file: Blob;
  at: number;
}

/** Where a report is in the outbox (outbox.ts). */
export type ReportStatus =
  'queued' | 'sending' | 'delivered' | 'rejected' | 'retrying' | 'cancelled';

/** A report in the outbox: what was filed, where delivery stands, and what the server said. */
export interface ReportRecord {
  /** The report's idempotency key. */
  id: string;
  report: Report;
  status: ReportStatus;
  createdAt: number;
  updatedAt: number;
  attempts: number;
  /** The last failure in words (retrying), or the server's reason (rejected). */
  lastError: string | null;
  nextAttemptAt: number | null;
  /** The server's Retry-After: no attempt before this, whatever else happens. */
  notBefore?: number | null;
  /** While sending: until when this attempt holds the report (a stopped worker's lapses). */
  leaseUntil: number | null;
  serverId: string | null;
  receipt: Receipt | null;
  /** 'ok', or why the receipt does not verify. */
  receiptCheck: string | null;
  deliveredAt: number | null;
  /** Bytes of evidence held for this report (0 once pruned). */
  evidenceBytes: number;
  evidencePrunedAt: number | null;
  /** Account id and searchable text, for the history page's index and search. */
  account: string | null;
}

/** One artifact's bytes, kept until the report is delivered and the retention period passes. */
export interface EvidenceRecord {
  reportId: string;
  name: string;
  kind: EvidenceKind;
  bytes: Uint8Array;
}

export class LeadGuardDb extends Dexie {
  feeds!: EntityTable<FeedRecord, 'id'>;
  lists!: Dexie.Table<ListVersionRecord, [SourceId, number]>;
  sources!: EntityTable<SourceRecord, 'source'>;
  localEntries!: EntityTable<LocalEntryRecord, 'id'>;
  syncState!: EntityTable<SyncStateRecord, 'feed'>;
  history!: EntityTable<HistoryRecord, 'seq'>;
  active!: EntityTable<ActiveRecord, 'key'>;
  staged!: EntityTable<StagedImportRecord, 'id'>;
  reports!: EntityTable<ReportRecord, 'id'>;
  evidence!: Dexie.Table<EvidenceRecord, [string, string]>;

  constructor(name = 'leadguard') {
    super(name);
    this.version(1).stores({
      feeds: 'id, order',
      lists: '[source+version], source',
      sources: 'source',
      localEntries: 'id',
      syncState: 'feed',
      history: '++seq, source, at',
      active: 'key',
      staged: 'id',
    });
    // The report outbox (issue 13).
    this.version(2).stores({
      reports: 'id, status, createdAt, nextAttemptAt, account',
      evidence: '[reportId+name], reportId',
    });
  }
}

export const db = new LeadGuardDb();

/** Sync history kept per source; older rows are dropped. */
export const HISTORY_PER_SOURCE = 50;

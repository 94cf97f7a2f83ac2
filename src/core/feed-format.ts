/**
 * The feed: static files any web server or CDN can host.
 * - `manifest.json`: feed id, version, issued-at, expiry, entry counts, the snapshot's URL/size/
 *   SHA-256 and the deltas from recent versions with theirs;
 * - `manifest.json.sig`: detached Ed25519 signatures over the manifest's exact bytes (one per key,
 *   so a publisher rotating keys signs with both);
 * - a snapshot: a list in the list format (list-schema.ts), entries sorted by id;
 * - deltas: header fields set/unset, entries put/removed by id, and members added to or removed
 *   from account/contact sets, between two versions.
 * Pure: parsing, planning and applying; fetching and storing live in the extension and the CLI.
 */
import { z } from 'zod';
import {
  Entry,
  List,
  ListError,
  MAX_SET_MEMBERS,
  type AccountSetEntry,
  type ContactSetEntry,
} from './list-schema';
import { base64ToBytes } from './bytes';
import type { Verifier } from './signature';

export const MANIFEST_FORMAT = 'leadguard-feed/1';
export const SIGNATURE_FORMAT = 'leadguard-signature/1';
export const DELTA_FORMAT = 'leadguard-delta/1';

/** Caps on what a client downloads before it has checked a byte of it. */
export const MAX_MANIFEST_BYTES = 1 << 20;
export const MAX_SIGNATURE_BYTES = 64 << 10;
export const MAX_ARTIFACT_BYTES = 512 << 20;
/** A list that keeps less than this share of its entries needs `allowShrink` in its manifest. */
export const SHRINK_LIMIT = 0.5;

/** Everything in a list but its entries (format, id, version, scoring, homophones, model …). */
export type ListHeader = Record<string, unknown>;

/** Why a feed was refused, as a code for programs and a message in words for people. */
export type FeedErrorCode =
  | 'http'
  | 'timeout'
  | 'network'
  | 'oversize'
  | 'truncated'
  | 'not-json'
  | 'invalid-json'
  | 'schema'
  | 'bad-signature'
  | 'unknown-key'
  | 'hash-mismatch'
  | 'feed-mismatch'
  | 'rollback'
  | 'replay'
  | 'expired'
  | 'delta-gap'
  | 'shrink'
  | 'compile';

export class FeedError extends Error {
  override name = 'FeedError';
  constructor(
    readonly code: FeedErrorCode,
    message: string,
    /** Seconds the server asked us to wait (Retry-After). */
    readonly retryAfter: number | null = null,
  ) {
    super(message);
  }
}

const Sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256 in lower-case hex');
const Artifact = z.object({
  url: z.string().min(1).max(2048),
  size: z.number().int().positive().max(MAX_ARTIFACT_BYTES),
  sha256: Sha256,
});
export type Artifact = z.infer<typeof Artifact>;
const DeltaRef = Artifact.extend({
  from: z.number().int().nonnegative(),
  to: z.number().int().positive(),
});
export type DeltaRef = z.infer<typeof DeltaRef>;

export const Manifest = z
  .object({
    format: z.literal(MANIFEST_FORMAT),
    feed: z
      .string()
      .regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'feed ids are lower-case ascii, digits, . _ -'),
    name: z.string().max(200).optional(),
    version: z.number().int().positive(),
    issuedAt: z.string().datetime(),
    expires: z.string().datetime(),
    /** The version's size: entries, and entries plus set members (the shrink check). */
    entries: z.number().int().nonnegative(),
    members: z.number().int().nonnegative(),
    /** The publisher means this version to drop most of the list. */
    allowShrink: z.boolean().optional(),
    snapshot: Artifact,
    deltas: z.array(DeltaRef).max(64),
  })
  .refine((m) => Date.parse(m.expires) > Date.parse(m.issuedAt), 'expires must be after issuedAt')
  .refine((m) => m.deltas.every((d) => d.to <= m.version && d.from < d.to), {
    message: 'every delta goes from an older version to one no newer than the manifest',
  });
export type Manifest = z.infer<typeof Manifest>;

export const SignatureFile = z.object({
  format: z.literal(SIGNATURE_FORMAT),
  signatures: z
    .array(z.object({ key: z.string().min(40).max(64), sig: z.string().min(80).max(96) }))
    .min(1)
    .max(8),
});
export type SignatureFile = z.infer<typeof SignatureFile>;

const Member = z.string().min(1).max(256);
export const Delta = z.object({
  format: z.literal(DELTA_FORMAT),
  feed: z.string(),
  from: z.number().int().nonnegative(),
  to: z.number().int().positive(),
  header: z.object({
    set: z.record(z.string(), z.unknown()),
    unset: z.array(z.string()),
  }),
  remove: z.array(z.string()).max(1_000_000),
  put: z.array(Entry).max(500_000),
  members: z
    .array(
      z.object({
        id: z.string(),
        add: z.array(Member).max(MAX_SET_MEMBERS),
        remove: z.array(Member).max(MAX_SET_MEMBERS),
      }),
    )
    .max(10_000),
});
export type Delta = z.infer<typeof Delta>;

type SetEntry = AccountSetEntry | ContactSetEntry;
const isSet = (e: Entry): e is SetEntry => e.kind === 'account-set' || e.kind === 'contact-set';
const membersOf = (e: SetEntry): string[] => (e.kind === 'account-set' ? e.ids : e.values);
const withMembers = (e: SetEntry, members: string[]): SetEntry =>
  e.kind === 'account-set' ? { ...e, ids: members } : { ...e, values: members };

export function headerOf(list: List): ListHeader {
  const { entries: _entries, ...header } = list;
  return header;
}

/** Entries, and entries plus set members. */
export function countList(list: Pick<List, 'entries'>): { entries: number; members: number } {
  let members = 0;
  for (const e of list.entries) members += isSet(e) ? membersOf(e).length : 1;
  return { entries: list.entries.length, members };
}

/** JSON with object keys sorted: equal values give equal text, whatever their key order. */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) =>
            a < b ? -1 : a > b ? 1 : 0,
          ),
        )
      : v,
  );
}

const byId = (a: Entry, b: Entry) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
const ascending = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The form a feed publishes: entries sorted by id, set members sorted and unique. A delta applied to
 * version n gives exactly the canonical snapshot of version n+1, so every client compiles the same.
 */
export function canonicalList(list: List): List {
  const entries = list.entries
    .map((e) => (isSet(e) ? withMembers(e, [...new Set(membersOf(e))].sort(ascending)) : e))
    .sort(byId);
  return { ...list, entries };
}

/** The delta that turns `from` into `to` (both canonical). Header fields are compared generically. */
export function diffLists(feed: string, from: List, to: List): Delta {
  const a = headerOf(from);
  const b = headerOf(to);
  const set: Record<string, unknown> = {};
  for (const key of Object.keys(b))
    if (stableJson(a[key]) !== stableJson(b[key])) set[key] = b[key];
  const unset = Object.keys(a).filter((key) => !(key in b));
  const before = new Map(from.entries.map((e) => [e.id, e]));
  const after = new Set(to.entries.map((e) => e.id));
  const put: Entry[] = [];
  const members: Delta['members'] = [];
  for (const entry of to.entries) {
    const old = before.get(entry.id);
    if (!old) {
      put.push(entry);
      continue;
    }
    if (isSet(old) && isSet(entry) && old.kind === entry.kind) {
      // A set whose other fields are unchanged travels as a member patch, not the whole set.
      if (stableJson(withMembers(old, [])) === stableJson(withMembers(entry, []))) {
        const was = new Set(membersOf(old));
        const now = new Set(membersOf(entry));
        const add = membersOf(entry).filter((m) => !was.has(m));
        const remove = membersOf(old).filter((m) => !now.has(m));
        if (add.length || remove.length) members.push({ id: entry.id, add, remove });
        continue;
      }
    }
    if (stableJson(old) !== stableJson(entry)) put.push(entry);
  }
  const remove = from.entries.filter((e) => !after.has(e.id)).map((e) => e.id);
  return {
    format: DELTA_FORMAT,
    feed,
    from: from.version,
    to: to.version,
    header: { set, unset },
    remove,
    put,
    members,
  };
}

/**
 * Applies a delta to the list it was made from. Anything that shows the delta was made from another
 * list (an unknown id removed, a member patch on a missing set, a member removed that isn't there)
 * throws: the client then falls back to the snapshot. The result is validated and canonical.
 */
export function applyDelta(list: List, delta: Delta): List {
  const fail = (why: string): never => {
    throw new FeedError(
      'delta-gap',
      `delta ${delta.from}→${delta.to} does not apply to version ${list.version}: ${why}`,
    );
  };
  if (delta.from !== list.version) fail(`it starts from version ${delta.from}`);
  const header: ListHeader = { ...headerOf(list) };
  for (const key of delta.header.unset) delete header[key];
  for (const [key, value] of Object.entries(delta.header.set)) {
    if (key === 'entries' || key === '__proto__') fail(`it sets the header field ${key}`);
    header[key] = value;
  }
  const entries = new Map(list.entries.map((e) => [e.id, e]));
  for (const id of delta.remove)
    if (!entries.delete(id)) fail(`it removes ${id}, which isn't there`);
  for (const entry of delta.put) entries.set(entry.id, entry);
  for (const patch of delta.members) {
    const entry = entries.get(patch.id);
    if (!entry || !isSet(entry)) fail(`it patches the members of ${patch.id}, which is not a set`);
    const set = entry as SetEntry;
    const limits = set.kind === 'account-set' ? [1, 128] : [3, 256];
    for (const m of patch.add) {
      if (m.length < limits[0]! || m.length > limits[1]!)
        fail(`member ${JSON.stringify(m.slice(0, 40))} of ${patch.id} has a bad length`);
    }
    const result = patchSorted(membersOf(set), patch.add, patch.remove);
    if (typeof result === 'string') fail(`${result} is not a member of ${patch.id}`);
    if ((result as string[]).length > MAX_SET_MEMBERS)
      fail(`${patch.id} would hold more than ${MAX_SET_MEMBERS} members`);
    entries.set(set.id, withMembers(set, result as string[]));
  }
  // The header is validated through the list schema (with no entries, which were validated on
  // arrival): whatever the schema knows it checks, fields it doesn't know are dropped as in a parse.
  const parsed = List.safeParse({ ...header, entries: [] });
  if (!parsed.success) {
    const problems = parsed.error.issues
      .slice(0, 3)
      .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
      .join('; ');
    throw new FeedError(
      'schema',
      `delta ${delta.from}→${delta.to} makes an invalid list header: ${problems}`,
    );
  }
  if (parsed.data.version !== delta.to) fail(`the result says version ${parsed.data.version}`);
  if (entries.size > 500_000) throw new ListError('the list would have more than 500,000 entries');
  const out = [...entries.values()];
  return { ...parsed.data, entries: isSorted(out, (e) => e.id) ? out : out.sort(byId) };
}

function isSorted<T>(xs: readonly T[], key: (x: T) => string): boolean {
  for (let i = 1; i < xs.length; i++) if (key(xs[i - 1]!) >= key(xs[i]!)) return false;
  return true;
}

/**
 * Members minus `remove` plus `add`, sorted and unique: one merge pass over a canonical (sorted)
 * set, so patching 1% of a million members costs a scan, not a sort of a million strings.
 * Returns the first member to remove that isn't there.
 */
function patchSorted(
  members: readonly string[],
  add: readonly string[],
  remove: readonly string[],
): string[] | string {
  const base = isSorted(members, (m) => m) ? members : [...new Set(members)].sort(ascending);
  const gone = new Set(remove);
  const adds = [...new Set(add)].sort(ascending);
  const out: string[] = [];
  let found = 0;
  let j = 0;
  for (const m of base) {
    while (j < adds.length && adds[j]! < m) out.push(adds[j++]!);
    const readded = j < adds.length && adds[j] === m;
    if (readded) j++;
    if (gone.has(m)) {
      found++;
      // Removed and added again in one patch: it stays.
      if (readded) out.push(m);
      continue;
    }
    out.push(m);
  }
  while (j < adds.length) out.push(adds[j++]!);
  if (found < gone.size) {
    const present = new Set(base);
    for (const m of gone) if (!present.has(m)) return m;
  }
  return out;
}

/**
 * How to get from the active version to the manifest's: the shortest chain of listed deltas (the
 * smaller download on a tie), or the snapshot when there is no chain or it is not smaller.
 */
export function planUpdate(
  manifest: Manifest,
  active: number | null,
): { kind: 'snapshot' } | { kind: 'deltas'; chain: DeltaRef[] } {
  if (active === null || active >= manifest.version) return { kind: 'snapshot' };
  const best = new Map<number, { hops: number; size: number; chain: DeltaRef[] }>([
    [active, { hops: 0, size: 0, chain: [] }],
  ]);
  // Versions only go up along a delta, so one pass in order of `from` settles every path.
  const edges = [...manifest.deltas].sort((x, y) => x.from - y.from || x.to - y.to);
  for (const edge of edges) {
    const at = best.get(edge.from);
    if (!at) continue;
    const candidate = { hops: at.hops + 1, size: at.size + edge.size, chain: [...at.chain, edge] };
    const known = best.get(edge.to);
    if (
      !known ||
      candidate.hops < known.hops ||
      (candidate.hops === known.hops && candidate.size < known.size)
    ) {
      best.set(edge.to, candidate);
    }
  }
  const path = best.get(manifest.version);
  if (!path || path.size >= manifest.snapshot.size) return { kind: 'snapshot' };
  return { kind: 'deltas', chain: path.chain };
}

/** An HTML page (an error page, a login wall, a captive portal) where JSON should be. */
export function rejectHtml(bytes: Uint8Array, what: string): void {
  const head = new TextDecoder().decode(bytes.subarray(0, 256)).trimStart();
  if (head.startsWith('<')) {
    throw new FeedError(
      'not-json',
      `the ${what} is an HTML page, not JSON (an error page or a login wall?)`,
    );
  }
}

/** Parses JSON bytes, telling an HTML error page and broken JSON apart. */
export function parseJsonBytes(bytes: Uint8Array, what: string): unknown {
  rejectHtml(bytes, what);
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new FeedError(
      'invalid-json',
      `the ${what} is not valid JSON: ${(error as Error).message}`,
    );
  }
}

function schemaError(what: string, error: z.ZodError): FeedError {
  const problems = error.issues
    .slice(0, 3)
    .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
    .join('; ');
  return new FeedError('schema', `the ${what} does not match its schema: ${problems}`);
}

export function parseManifest(bytes: Uint8Array): Manifest {
  const parsed = Manifest.safeParse(parseJsonBytes(bytes, 'manifest'));
  if (!parsed.success) throw schemaError('manifest', parsed.error);
  return parsed.data;
}

export function parseSignatureFile(bytes: Uint8Array): SignatureFile {
  const parsed = SignatureFile.safeParse(parseJsonBytes(bytes, 'signature file'));
  if (!parsed.success) throw schemaError('signature file', parsed.error);
  return parsed.data;
}

export function parseDelta(bytes: Uint8Array): Delta {
  const parsed = Delta.safeParse(parseJsonBytes(bytes, 'delta'));
  if (!parsed.success) throw schemaError('delta', parsed.error);
  return parsed.data;
}

export function parseSnapshot(bytes: Uint8Array): List {
  const parsed = List.safeParse(parseJsonBytes(bytes, 'snapshot'));
  if (!parsed.success) throw schemaError('snapshot', parsed.error);
  return parsed.data;
}

/** Size and SHA-256 of a downloaded artifact against what the signed manifest says. */
export function checkArtifact(
  what: string,
  bytes: Uint8Array,
  sha256: string,
  ref: Artifact,
): void {
  if (bytes.byteLength < ref.size) {
    throw new FeedError(
      'truncated',
      `the ${what} is truncated: ${bytes.byteLength} of ${ref.size} bytes`,
    );
  }
  if (bytes.byteLength > ref.size) {
    throw new FeedError(
      'oversize',
      `the ${what} is larger than its manifest says (${ref.size} bytes)`,
    );
  }
  if (sha256 !== ref.sha256) {
    throw new FeedError(
      'hash-mismatch',
      `the ${what}'s SHA-256 is ${sha256.slice(0, 12)}…, the manifest says ${ref.sha256.slice(0, 12)}…`,
    );
  }
}

/**
 * The checks on a verified manifest before anything is downloaded: the feed it claims to be, not
 * expired, and strictly newer than the active version (no rollback, no replay).
 */
export function checkManifest(
  manifest: Manifest,
  context: {
    now: number;
    feedId: string | null;
    active: { version: number; manifestSha256: string | null } | null;
    manifestSha256: string;
    /** SHA-256 of manifests this client has already applied, by version. */
    seen?: ReadonlyMap<number, string>;
  },
): 'newer' | 'current' {
  if (context.feedId !== null && manifest.feed !== context.feedId) {
    throw new FeedError(
      'feed-mismatch',
      `the manifest is for feed "${manifest.feed}", this subscription follows "${context.feedId}"`,
    );
  }
  if (Date.parse(manifest.expires) <= context.now) {
    throw new FeedError(
      'expired',
      `the manifest of version ${manifest.version} expired at ${manifest.expires}`,
    );
  }
  const active = context.active;
  if (!active) return 'newer';
  if (manifest.version > active.version) return 'newer';
  if (manifest.version === active.version) {
    if (active.manifestSha256 === null || active.manifestSha256 === context.manifestSha256)
      return 'current';
    throw new FeedError(
      'replay',
      `version ${manifest.version} was re-issued with different content; the active one is kept`,
    );
  }
  if (context.seen?.get(manifest.version) === context.manifestSha256) {
    throw new FeedError(
      'replay',
      `the server replayed the old manifest of version ${manifest.version} (version ${active.version} is active)`,
    );
  }
  throw new FeedError(
    'rollback',
    `the manifest goes back to version ${manifest.version} from version ${active.version}`,
  );
}

/** A list that loses most of its entries is refused unless the signed manifest says it means to. */
export function checkShrink(
  before: { members: number } | null,
  after: { members: number },
  manifest: Pick<Manifest, 'allowShrink' | 'version'>,
): void {
  if (!before || manifest.allowShrink || before.members === 0) return;
  if (after.members < before.members * SHRINK_LIMIT) {
    throw new FeedError(
      'shrink',
      `version ${manifest.version} keeps ${after.members} of ${before.members} entries; a shrink like that needs allowShrink in the manifest`,
    );
  }
}

/** The version's counts must be what the signed manifest says (a cheap end-to-end check on deltas). */
export function checkCounts(
  list: List,
  manifest: Pick<Manifest, 'entries' | 'members' | 'version'>,
): void {
  const counts = countList(list);
  if (counts.entries !== manifest.entries || counts.members !== manifest.members) {
    throw new FeedError(
      'delta-gap',
      `version ${manifest.version} has ${counts.entries} entries / ${counts.members} members here, the manifest says ${manifest.entries} / ${manifest.members}`,
    );
  }
}

/**
 * The manifest's bytes must carry a valid signature by one of the trusted keys. A signature by a
 * key not trusted is an unknown key; a trusted key whose signature fails is a bad signature.
 */
export async function verifyManifestSignature(
  manifestBytes: Uint8Array,
  signatures: SignatureFile,
  trustedKeys: readonly string[],
  verify: Verifier,
): Promise<string> {
  const trusted = new Set(trustedKeys.map((k) => k.trim()));
  const candidates = signatures.signatures.filter((s) => trusted.has(s.key));
  if (candidates.length === 0) {
    const keys = signatures.signatures.map((s) => `${s.key.slice(0, 10)}…`).join(', ');
    throw new FeedError(
      'unknown-key',
      `the manifest is signed only by keys this subscription does not trust (${keys})`,
    );
  }
  for (const { key, sig } of candidates) {
    let publicKey: Uint8Array;
    let signature: Uint8Array;
    try {
      publicKey = base64ToBytes(key);
      signature = base64ToBytes(sig);
    } catch {
      continue;
    }
    if (publicKey.length !== 32 || signature.length !== 64) continue;
    if (await verify(publicKey, signature, manifestBytes)) return key;
  }
  throw new FeedError(
    'bad-signature',
    'the manifest signature does not verify with the trusted key: the manifest was changed or signed by someone else',
  );
}

/**
 * `leadguard feed keygen|build|verify`: the publisher's tools for a signed feed (feed-format.ts).
 * - keygen --out DIR: DIR/feed.key (Ed25519 private key, PKCS#8 PEM, mode 0600) and DIR/feed.pub
 *   (the 32-byte public key in base64, what subscribers paste into the options page).
 * - build --in LIST.json|ENTRIES.csv --out FEEDDIR --key DIR/feed.key [--key OLD.key]
 *   [--header HEADER.json] [--id FEED] [--expires-days 30] [--allow-shrink]: writes the next
 *   version (snapshot, a delta from the version already there, manifest, signatures). The list
 *   passes the same compile-and-load gate as in the extension first.
 * - verify FEEDDIR|URL --pubkey feed.pub [--pubkey …]: checks the feed end to end like a client
 *   and exits 1 with the reason on the first fault.
 */
import { errorLine } from './cli-error';
import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  type KeyObject,
} from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { sha256Hex } from '../core/bytes';
import { compileForTabs } from '../core/compile-for-tabs';
import { defaultList } from '../core/default-list';
import {
  canonicalList,
  checkArtifact,
  checkCounts,
  countList,
  DELTA_FORMAT,
  diffLists,
  FeedError,
  headerOf,
  MANIFEST_FORMAT,
  MAX_MANIFEST_BYTES,
  MAX_SIGNATURE_BYTES,
  parseDelta,
  parseManifest,
  parseSignatureFile,
  parseSnapshot,
  rejectHtml,
  SIGNATURE_FORMAT,
  verifyManifestSignature,
  type Artifact,
  type Delta,
  type Manifest,
} from '../core/feed-format';
import { entriesFromCsv } from '../core/list-csv';
import { List, parseList, type Entry } from '../core/list-schema';
import { defaultVerifier } from '../core/signature';
import type { Command, CommandIO } from './main';

/** How many deltas a manifest keeps listed (older clients take the snapshot). */
const KEEP_DELTAS = 16;

export class UsageError extends Error {}

export function options(args: string[], spec: Record<string, 'value' | 'values' | 'flag'>) {
  const out: Record<string, string | string[] | boolean> = {};
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const [name, inline] = arg.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
    const kind = spec[name];
    if (!kind) throw new UsageError(`unknown option --${name}`);
    if (kind === 'flag') {
      out[name] = true;
      continue;
    }
    const value = inline ?? args[++i];
    if (value === undefined) throw new UsageError(`--${name} needs a value`);
    if (kind === 'values') out[name] = [...((out[name] as string[]) ?? []), value];
    else out[name] = value;
  }
  return { out, positional };
}

// ---------------------------------------------------------------------------------------------
// Keys

/** The raw 32-byte public key of an Ed25519 key object, in base64. */
export function publicKeyBase64(key: KeyObject): string {
  const jwk = key.export({ format: 'jwk' }) as { x: string };
  return Buffer.from(jwk.x, 'base64url').toString('base64');
}

export async function keygen(dir: string, force = false): Promise<{ key: string; pub: string }> {
  const keyPath = join(dir, 'feed.key');
  const pubPath = join(dir, 'feed.pub');
  if (!force && existsSync(keyPath)) {
    throw new UsageError(
      `${keyPath} exists; a new key would orphan every subscriber (use --force)`,
    );
  }
  await mkdir(dir, { recursive: true });
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  await writeFile(keyPath, privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600 });
  await chmod(keyPath, 0o600);
  await writeFile(pubPath, `${publicKeyBase64(publicKey)}\n`);
  return { key: keyPath, pub: pubPath };
}

export async function readPrivateKey(path: string): Promise<KeyObject> {
  const key = createPrivateKey(await readFile(path));
  if (key.asymmetricKeyType !== 'ed25519') throw new UsageError(`${path} is not an Ed25519 key`);
  return key;
}

export async function readPublicKey(path: string): Promise<string> {
  const text = (await readFile(path, 'utf8')).trim();
  if (Buffer.from(text, 'base64').length !== 32) {
    throw new UsageError(`${path} is not an Ed25519 public key (32 bytes in base64)`);
  }
  return text;
}

export function signManifest(bytes: Uint8Array, keys: KeyObject[]): Uint8Array {
  const signatures = keys.map((key) => ({
    key: publicKeyBase64(createPublicKey(key)),
    sig: sign(null, bytes, key).toString('base64'),
  }));
  return new TextEncoder().encode(`${JSON.stringify({ format: SIGNATURE_FORMAT, signatures })}\n`);
}

// ---------------------------------------------------------------------------------------------
// Build

export interface BuildOptions {
  input: string;
  out: string;
  keys: KeyObject[];
  header?: string;
  feedId?: string;
  expiresDays?: number;
  allowShrink?: boolean;
  now?: Date;
}

export interface BuildResult {
  manifest: Manifest;
  snapshotBytes: number;
  delta: { from: number; to: number; bytes: number } | null;
}

const sanitizeId = (id: string) =>
  id
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[^a-z0-9]+/, '')
    .slice(0, 64) || 'feed';

async function readJson(path: string, what: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new UsageError(`cannot read ${what} ${path}: ${(error as Error).message}`);
  }
}

async function readPrevious(out: string): Promise<{ manifest: Manifest; list: List } | null> {
  const path = join(out, 'manifest.json');
  if (!existsSync(path)) return null;
  const manifest = parseManifest(await readFile(path));
  const bytes = await readFile(join(out, manifest.snapshot.url));
  checkArtifact('previous snapshot', bytes, await sha256Hex(bytes), manifest.snapshot);
  return { manifest, list: parseSnapshot(bytes) };
}

export async function buildFeed(options: BuildOptions): Promise<BuildResult> {
  const now = options.now ?? new Date();
  const previous = await readPrevious(options.out);
  let list: List;
  if (options.input.endsWith('.csv')) {
    const entries: Entry[] = entriesFromCsv(
      await readFile(options.input, 'utf8'),
      now.toISOString().slice(0, 10),
    );
    const header = options.header
      ? headerOf(
          parseList({ ...((await readJson(options.header, 'header')) as object), entries: [] }),
        )
      : previous
        ? headerOf(previous.list)
        : {
            ...headerOf(defaultList()),
            id: options.feedId ?? 'feed',
            name: undefined,
            description: undefined,
          };
    list = parseList({ ...header, entries });
  } else {
    list = parseList(await readJson(options.input, 'list'));
  }
  const feed = options.feedId ?? previous?.manifest.feed ?? sanitizeId(list.id);
  if (previous && previous.manifest.feed !== feed) {
    throw new UsageError(`${options.out} holds feed "${previous.manifest.feed}", not "${feed}"`);
  }
  const version = Math.max(list.version, (previous?.manifest.version ?? 0) + 1, 1);
  const next = canonicalList({ ...list, version, issuedAt: now.toISOString() });
  // The same gate the extension runs: a list tabs can't load is never published.
  await compileForTabs(next);

  await mkdir(options.out, { recursive: true });
  const write = async (name: string, bytes: Uint8Array) => {
    const tmp = join(options.out, `.${name}.tmp`);
    await writeFile(tmp, bytes);
    await rename(tmp, join(options.out, name));
  };
  const encode = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
  const artifact = async (name: string, bytes: Uint8Array): Promise<Artifact> => {
    await write(name, bytes);
    return { url: name, size: bytes.byteLength, sha256: await sha256Hex(bytes) };
  };

  const snapshotBytes = encode(next);
  const snapshot = await artifact(`snapshot-${version}.json`, snapshotBytes);
  let deltas: Manifest['deltas'] = [];
  let made: BuildResult['delta'] = null;
  if (previous) {
    const delta: Delta = diffLists(feed, previous.list, next);
    const bytes = encode(delta);
    const ref = await artifact(`delta-${delta.from}-${delta.to}.json`, bytes);
    deltas = [...previous.manifest.deltas, { ...ref, from: delta.from, to: delta.to }].slice(
      -KEEP_DELTAS,
    );
    made = { from: delta.from, to: delta.to, bytes: bytes.byteLength };
  }
  const counts = countList(next);
  const manifest: Manifest = {
    format: MANIFEST_FORMAT,
    feed,
    ...(next.name ? { name: next.name } : {}),
    version,
    issuedAt: now.toISOString(),
    expires: new Date(now.getTime() + (options.expiresDays ?? 30) * 86_400_000).toISOString(),
    entries: counts.entries,
    members: counts.members,
    ...(options.allowShrink ? { allowShrink: true } : {}),
    snapshot,
    deltas,
  };
  const manifestBytes = new TextEncoder().encode(`${JSON.stringify(manifest, null, 2)}\n`);
  // Signature first, then the manifest: a client never sees a manifest without its signature.
  await write('manifest.json.sig.next', signManifest(manifestBytes, options.keys));
  await write('manifest.json.next', manifestBytes);
  await rename(join(options.out, 'manifest.json.sig.next'), join(options.out, 'manifest.json.sig'));
  await rename(join(options.out, 'manifest.json.next'), join(options.out, 'manifest.json'));

  // Old snapshots and deltas no longer listed go (the manifest names every file a client needs).
  const listed = new Set([
    'manifest.json',
    'manifest.json.sig',
    snapshot.url,
    ...deltas.map((d) => d.url),
  ]);
  for (const name of await readdir(options.out)) {
    if (/^(snapshot|delta)-[\d-]+\.json$/.test(name) && !listed.has(name))
      await rm(join(options.out, name));
  }
  return { manifest, snapshotBytes: snapshotBytes.byteLength, delta: made };
}

// ---------------------------------------------------------------------------------------------
// Verify

type Fetcher = (name: string, maxBytes: number) => Promise<Uint8Array>;

function dirFetcher(dir: string): Fetcher {
  return async (name, maxBytes) => {
    if (name.includes('/') || name.includes('\\') || name.startsWith('.')) {
      throw new FeedError('schema', `the manifest names a file outside the feed: ${name}`);
    }
    const bytes = await readFile(join(dir, name)).catch(() => {
      throw new FeedError('http', `${name} is missing from ${dir}`);
    });
    if (bytes.byteLength > maxBytes)
      throw new FeedError('oversize', `${name} is larger than ${maxBytes} bytes`);
    return new Uint8Array(bytes);
  };
}

function urlFetcher(manifestUrl: string): Fetcher {
  return async (name, maxBytes) => {
    const url = new URL(name, manifestUrl).toString();
    const response = await fetch(url, { signal: AbortSignal.timeout(60_000) }).catch(
      (error: unknown) => {
        throw new FeedError('network', `cannot reach ${url}: ${(error as Error).message}`);
      },
    );
    if (!response.ok)
      throw new FeedError('http', `${url} answered ${response.status} ${response.statusText}`);
    const bytes = new Uint8Array(await response.arrayBuffer());
    if (bytes.byteLength > maxBytes)
      throw new FeedError('oversize', `${url} is larger than ${maxBytes} bytes`);
    return bytes;
  };
}

export interface VerifyReport {
  manifest: Manifest;
  key: string;
  lines: string[];
}

export async function verifyFeed(
  target: string,
  trusted: string[],
  now = Date.now(),
): Promise<VerifyReport> {
  const isUrl = /^https?:\/\//.test(target);
  const manifestName = isUrl
    ? new URL(target).pathname.split('/').pop() || 'manifest.json'
    : 'manifest.json';
  const get = isUrl ? urlFetcher(target) : dirFetcher(target);
  const lines: string[] = [];
  const manifestBytes = await get(manifestName, MAX_MANIFEST_BYTES);
  rejectHtml(manifestBytes, 'manifest');
  const signatures = parseSignatureFile(await get(`${manifestName}.sig`, MAX_SIGNATURE_BYTES));
  const key = await verifyManifestSignature(
    manifestBytes,
    signatures,
    trusted,
    await defaultVerifier(),
  );
  lines.push(`signature: valid, by ${key}`);
  const manifest = parseManifest(manifestBytes);
  if (Date.parse(manifest.expires) <= now) {
    throw new FeedError(
      'expired',
      `the manifest of version ${manifest.version} expired at ${manifest.expires}`,
    );
  }
  lines.push(
    `manifest: feed ${manifest.feed} version ${manifest.version}, expires ${manifest.expires}`,
  );
  const snapshotBytes = await get(manifest.snapshot.url, manifest.snapshot.size);
  checkArtifact('snapshot', snapshotBytes, await sha256Hex(snapshotBytes), manifest.snapshot);
  const snapshot = parseSnapshot(snapshotBytes);
  if (snapshot.version !== manifest.version) {
    throw new FeedError(
      'schema',
      `the snapshot is version ${snapshot.version}, the manifest says ${manifest.version}`,
    );
  }
  checkCounts(snapshot, manifest);
  const tab = await compileForTabs(snapshot);
  lines.push(
    `snapshot: ${manifest.entries} entries, ${manifest.members} with set members, ${snapshotBytes.byteLength} bytes; compiles for tabs to ${tab.bytes.byteLength} bytes`,
  );
  const byId = new Map(snapshot.entries.map((e) => [e.id, e]));
  const reaches = new Set([manifest.version]);
  for (const ref of [...manifest.deltas].sort((a, b) => b.to - a.to || b.from - a.from)) {
    const bytes = await get(ref.url, ref.size);
    checkArtifact(`delta ${ref.from}→${ref.to}`, bytes, await sha256Hex(bytes), ref);
    const delta = parseDelta(bytes);
    if (
      delta.format !== DELTA_FORMAT ||
      delta.feed !== manifest.feed ||
      delta.from !== ref.from ||
      delta.to !== ref.to
    ) {
      throw new FeedError(
        'delta-gap',
        `the delta listed as ${ref.from}→${ref.to} is ${delta.from}→${delta.to} of feed ${delta.feed}`,
      );
    }
    if (!reaches.has(ref.to)) {
      throw new FeedError(
        'delta-gap',
        `delta ${ref.from}→${ref.to} leads to no version that reaches ${manifest.version}`,
      );
    }
    reaches.add(ref.from);
    if (ref.to === manifest.version) checkDeltaAgainst(delta, byId);
    lines.push(
      `delta ${ref.from}→${ref.to}: ${bytes.byteLength} bytes, ${delta.put.length} put, ${delta.remove.length} removed, ${delta.members.length} set patches`,
    );
  }
  return { manifest, key, lines };
}

/** A delta into the current version must leave exactly what the snapshot holds. */
function checkDeltaAgainst(delta: Delta, byId: Map<string, Entry>): void {
  const stable = (v: unknown) => JSON.stringify(v);
  const fail = (why: string): never => {
    throw new FeedError(
      'delta-gap',
      `delta ${delta.from}→${delta.to} disagrees with the snapshot: ${why}`,
    );
  };
  for (const id of delta.remove) if (byId.has(id)) fail(`it removes ${id}, which the snapshot has`);
  for (const entry of delta.put) {
    const there = byId.get(entry.id);
    if (
      !there ||
      stable(canonicalList({ entries: [entry] } as List).entries[0]) !== stable(there)
    ) {
      fail(`entry ${entry.id} differs`);
    }
  }
  for (const patch of delta.members) {
    const set = byId.get(patch.id);
    if (!set || (set.kind !== 'account-set' && set.kind !== 'contact-set'))
      fail(`${patch.id} is not a set in the snapshot`);
    const members = new Set(
      set!.kind === 'account-set' ? set!.ids : (set as { values: string[] }).values,
    );
    for (const m of patch.add)
      if (!members.has(m)) fail(`${m} is added to ${patch.id} but not in the snapshot`);
    for (const m of patch.remove)
      if (members.has(m)) fail(`${m} is removed from ${patch.id} but still in the snapshot`);
  }
}

// ---------------------------------------------------------------------------------------------
// The command

const feedUsage = [
  'usage: leadguard feed keygen --out DIR [--force]',
  '       leadguard feed build --in LIST.json|ENTRIES.csv --out FEEDDIR --key DIR/feed.key [--key OLD.key]',
  '                            [--header HEADER.json] [--id FEED] [--expires-days 30] [--allow-shrink]',
  '       leadguard feed verify FEEDDIR|URL --pubkey DIR/feed.pub [--pubkey …]',
].join('\n');

async function run(args: string[], io: CommandIO): Promise<number> {
  const [sub, ...rest] = args;
  const say = (line: string) => io.stdout.write(`${line}\n`);
  if (sub === 'keygen') {
    const { out } = options(rest, { out: 'value', force: 'flag' });
    if (typeof out.out !== 'string') throw new UsageError('keygen needs --out DIR');
    const { key, pub } = await keygen(out.out, out.force === true);
    say(`wrote ${key} (private, keep it secret) and ${pub} (give it to subscribers)`);
    say(`public key: ${(await readFile(pub, 'utf8')).trim()}`);
    return 0;
  }
  if (sub === 'build') {
    const { out } = options(rest, {
      in: 'value',
      out: 'value',
      key: 'values',
      header: 'value',
      id: 'value',
      'expires-days': 'value',
      'allow-shrink': 'flag',
    });
    if (typeof out.in !== 'string' || typeof out.out !== 'string' || !out.key) {
      throw new UsageError('build needs --in, --out and --key');
    }
    const days = out['expires-days'] === undefined ? 30 : Number(out['expires-days']);
    if (!Number.isFinite(days) || days <= 0)
      throw new UsageError('--expires-days must be a positive number');
    const result = await buildFeed({
      input: out.in,
      out: out.out,
      keys: await Promise.all((out.key as string[]).map(readPrivateKey)),
      header: out.header as string | undefined,
      feedId: out.id === undefined ? undefined : sanitizeId(out.id as string),
      expiresDays: days,
      allowShrink: out['allow-shrink'] === true,
    });
    const m = result.manifest;
    say(
      `feed ${m.feed} version ${m.version}: ${m.entries} entries (${m.members} with set members)`,
    );
    say(`  snapshot ${m.snapshot.url}: ${result.snapshotBytes} bytes`);
    if (result.delta)
      say(`  delta ${result.delta.from}→${result.delta.to}: ${result.delta.bytes} bytes`);
    say(
      `  manifest.json signed by ${(out.key as string[]).map((k) => basename(k)).join(', ')}; expires ${m.expires}`,
    );
    return 0;
  }
  if (sub === 'verify') {
    const { out, positional } = options(rest, { pubkey: 'values' });
    if (positional.length !== 1 || !out.pubkey)
      throw new UsageError('verify needs FEEDDIR|URL and --pubkey');
    const keys = await Promise.all((out.pubkey as string[]).map(readPublicKey));
    const report = await verifyFeed(positional[0]!, keys);
    for (const line of report.lines) say(`ok  ${line}`);
    say(`feed ${report.manifest.feed} version ${report.manifest.version} verifies`);
    return 0;
  }
  throw new UsageError(sub ? `unknown feed command '${sub}'` : 'feed needs a command');
}

export const feedCommand: Command = {
  name: 'feed',
  summary: 'publish a signed list feed: keygen, build, verify',
  async run(args, io) {
    if (args.length === 0 || args[0] === '--help' || args[0] === '-h') {
      io.stdout.write(`${feedUsage}\n`);
      return args.length === 0 ? 2 : 0;
    }
    try {
      return await run(args, io);
    } catch (error) {
      const usage = error instanceof UsageError;
      // Control characters and bidi overrides from a file or a server never reach the terminal raw.
      io.stderr.write(
        `${errorLine('leadguard feed', (error as Error).message)}${usage ? `${feedUsage}\n` : ''}`,
      );
      return usage ? 2 : 1;
    }
  },
};

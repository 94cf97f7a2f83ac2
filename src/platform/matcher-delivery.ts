/**
 * How the compiled matcher reaches tabs: as base64 chunks in `storage.local` that content scripts
 * read themselves, never as one message (Chrome caps a message at 64 MiB, and a tab would wait on a
 * busy service worker). The background writes a version's chunks under its content hash, then moves
 * the pointer; tabs watch the pointer. A tab that finds a chunk gone (a newer version replaced it
 * mid-read) starts again from the pointer. The previous version's chunks stay until the next switch.
 */
import { storage, type StorageItemKey } from 'wxt/utils/storage';
import { z } from 'zod';
import { bytesToBase64 } from '../core/bytes';
import { deserializeMatcher, loadMatcher, MATCHER_FORMAT, type Matcher } from '../core/matcher';

/** Bytes per chunk: each storage value stays far below any message limit. */
export const CHUNK_BYTES = 4 << 20;

export const MatcherPointer = z.object({
  format: z.literal(MATCHER_FORMAT),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  bytes: z.number().int().positive(),
  chunks: z.number().int().positive(),
});
export type MatcherPointer = z.infer<typeof MatcherPointer>;

const pointerItem = storage.defineItem<unknown>('local:matcher', { fallback: null });
/** Which hashes have chunks in storage, so stale ones can be removed without listing storage. */
const chunkRegistry = storage.defineItem<Record<string, number>>('local:matcher-chunks', {
  fallback: {},
});
const chunkKey = (sha256: string, i: number): StorageItemKey =>
  `local:matcher-chunk:${sha256}:${i}`;

export async function readPointer(): Promise<MatcherPointer | null> {
  const parsed = MatcherPointer.safeParse(await pointerItem.getValue());
  return parsed.success ? parsed.data : null;
}

/** Writes a version's chunks (before anything points at them). */
export async function storeChunks(sha256: string, bytes: Uint8Array): Promise<MatcherPointer> {
  const chunks = Math.max(1, Math.ceil(bytes.length / CHUNK_BYTES));
  const registry = await chunkRegistry.getValue();
  await chunkRegistry.setValue({ ...registry, [sha256]: chunks });
  for (let i = 0; i < chunks; i++) {
    const part = bytes.subarray(i * CHUNK_BYTES, (i + 1) * CHUNK_BYTES);
    await storage.setItem(chunkKey(sha256, i), bytesToBase64(part));
  }
  return { format: MATCHER_FORMAT, sha256, bytes: bytes.length, chunks };
}

/** Whether every chunk of a version is in storage (after a worker stopped mid-write, not all are). */
export async function hasChunks(pointer: MatcherPointer): Promise<boolean> {
  for (let i = 0; i < pointer.chunks; i++) {
    if (typeof (await storage.getItem(chunkKey(pointer.sha256, i))) !== 'string') return false;
  }
  return true;
}

/** Points tabs at a stored version; their pointer watchers load it. */
export async function pointTabsTo(pointer: MatcherPointer): Promise<void> {
  await pointerItem.setValue(pointer);
}

/** Removes the chunks of every version but `keep`. */
export async function dropChunksExcept(keep: readonly string[]): Promise<void> {
  const registry = await chunkRegistry.getValue();
  const kept: Record<string, number> = {};
  for (const [sha256, chunks] of Object.entries(registry)) {
    if (keep.includes(sha256)) {
      kept[sha256] = chunks;
      continue;
    }
    await storage.removeItems(Array.from({ length: chunks }, (_, i) => chunkKey(sha256, i)));
  }
  await chunkRegistry.setValue(kept);
}

export interface LoadedMatcher {
  sha256: string;
  matcher: Matcher;
}

/**
 * The tab side: the published matcher, or null when there is none yet or it is the one `have`
 * names. Retries from the pointer when a switch replaces the chunks mid-read.
 */
export async function loadPublishedMatcher(
  have: string | null = null,
): Promise<LoadedMatcher | null> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const pointer = await readPointer();
    if (!pointer || pointer.sha256 === have) return null;
    const bytes = new Uint8Array(pointer.bytes);
    let complete = true;
    for (let i = 0; i < pointer.chunks && complete; i++) {
      const chunk = await storage.getItem<string>(chunkKey(pointer.sha256, i));
      if (typeof chunk !== 'string') complete = false;
      else if (!decodeInto(chunk, bytes, i * CHUNK_BYTES)) complete = false;
    }
    if (complete)
      return { sha256: pointer.sha256, matcher: loadMatcher(deserializeMatcher(bytes)) };
  }
  throw new Error('the published matcher changed three times while loading');
}

/** Calls `onChange` when the background publishes another matcher. Returns the unwatch function. */
export function watchPointer(onChange: () => void): () => void {
  return pointerItem.watch(() => onChange());
}

/** Decodes a base64 chunk into `into` at `offset`; false if it doesn't fit where it should. */
function decodeInto(text: string, into: Uint8Array, offset: number): boolean {
  const binary = atob(text);
  if (offset + binary.length > into.length) return false;
  if (binary.length !== Math.min(CHUNK_BYTES, into.length - offset)) return false;
  for (let i = 0; i < binary.length; i++) into[offset + i] = binary.charCodeAt(i);
  return true;
}

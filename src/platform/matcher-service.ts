/**
 * The background's one compiled matcher: compiled once from the active list (the default list until
 * a feed or an import replaces it), cached in storage so a restarted service worker doesn't
 * recompile, and pushed to tabs when the list changes. Tabs never compile.
 */
import { browser } from 'wxt/browser';
import { storage } from 'wxt/utils/storage';
import { z } from 'zod';
import { compileList } from '../core/compile-list';
import { defaultList } from '../core/default-list';
import { List, parseList } from '../core/list-schema';
import { serializeMatcher } from '../core/matcher';
import { bytesToBase64 } from '../core/signature';
import { sendMessage } from './messages';

const activeListItem = storage.defineItem<unknown>('local:active-list', { fallback: null });
const CompiledCache = z.object({ key: z.string(), matcher: z.string() });
const compiledItem = storage.defineItem<unknown>('local:compiled-matcher', { fallback: null });

let current: Promise<z.infer<typeof CompiledCache>> | null = null;

const keyOf = (list: List) => `${list.id}@${list.version}`;

async function activeList(): Promise<List> {
  const stored = await activeListItem.getValue();
  if (stored === null) return defaultList();
  const parsed = List.safeParse(stored);
  if (parsed.success) return parsed.data;
  // A stored list that no longer parses (schema change, corruption) falls back, loudly.
  console.warn('[LeadGuard] stored list is invalid; using the default list', parsed.error);
  return defaultList();
}

async function compileActive(): Promise<z.infer<typeof CompiledCache>> {
  const list = await activeList();
  const key = keyOf(list);
  const cached = CompiledCache.safeParse(await compiledItem.getValue());
  if (cached.success && cached.data.key === key) return cached.data;
  const compiled = { key, matcher: bytesToBase64(serializeMatcher(compileList(list))) };
  await compiledItem.setValue(compiled);
  return compiled;
}

export function currentMatcher(): Promise<z.infer<typeof CompiledCache>> {
  current ??= compileActive().catch((error: unknown) => {
    current = null;
    throw error;
  });
  return current;
}

/**
 * Makes `input` the active list (after validating and compiling it) and tells every tab.
 * An invalid list is rejected with a clear error and the previous list stays active.
 */
export async function setActiveList(input: unknown): Promise<string> {
  const list = parseList(input);
  const compiled = {
    key: keyOf(list),
    matcher: bytesToBase64(serializeMatcher(compileList(list))),
  };
  await activeListItem.setValue(list);
  await compiledItem.setValue(compiled);
  current = Promise.resolve(compiled);
  await broadcast('matcherUpdated', { key: compiled.key });
  return compiled.key;
}

/** Drops an imported list and returns to the default list. */
export async function resetActiveList(): Promise<string> {
  await activeListItem.setValue(null);
  current = null;
  const compiled = await currentMatcher();
  await broadcast('matcherUpdated', { key: compiled.key });
  return compiled.key;
}

export async function activeListInfo() {
  const stored = await activeListItem.getValue();
  const list = await activeList();
  return {
    key: keyOf(list),
    id: list.id,
    version: list.version,
    name: list.name ?? null,
    entries: list.entries.length,
    isDefault: stored === null,
  };
}

export async function broadcast<T extends 'matcherUpdated' | 'pauseChanged'>(
  type: T,
  data: T extends 'matcherUpdated' ? { key: string } : { paused: boolean },
  filter: (tab: { url?: string }) => boolean = () => true,
): Promise<void> {
  const tabs = await browser.tabs.query({});
  await Promise.all(
    tabs
      .filter((tab) => tab.id !== undefined && filter(tab))
      .map((tab) =>
        sendMessage(type, data as never, tab.id).catch(() => {
          // Tabs without a LeadGuard content script don't answer; that's fine.
        }),
      ),
  );
}

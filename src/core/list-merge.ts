/**
 * The one list the extension runs, merged from its sources: the user's own entries, each subscribed
 * feed's active version (in subscription order) and an imported file, or the bundled list while
 * none of those has a list. The first source with a list supplies the header (scoring weights,
 * model, id and version); homophone tables are united. An entry id already taken by an earlier
 * source is left out (the user's own entries come first). Allow entries win over listings of the
 * same text or account wherever they come from: the compiler and scanner apply them across the list.
 */
import { headerOf, type ListHeader } from './feed-format';
import type { Entry, List } from './list-schema';

export interface ListPart {
  source: string;
  header: ListHeader;
  entries: readonly Entry[];
}

export interface MergedList {
  list: List;
  /** Entries left out because an earlier source had their id. */
  shadowed: { source: string; id: string }[];
}

export function mergeLists(
  parts: readonly ListPart[],
  local: readonly Entry[],
  bundled: List,
): MergedList {
  const bases =
    parts.length > 0
      ? parts
      : [{ source: 'bundled', header: headerOf(bundled), entries: bundled.entries }];
  const header = bases[0]!.header;
  const homophones: Record<string, string[]> = {};
  for (const part of bases) {
    const table = (part.header.homophones ?? {}) as Record<string, string[]>;
    for (const [char, variants] of Object.entries(table)) {
      homophones[char] = [...new Set([...(homophones[char] ?? []), ...variants])].slice(0, 16);
    }
  }
  const seen = new Set<string>();
  const entries: Entry[] = [];
  const shadowed: MergedList['shadowed'] = [];
  const take = (source: string, list: readonly Entry[]) => {
    for (const entry of list) {
      if (seen.has(entry.id)) {
        shadowed.push({ source, id: entry.id });
        continue;
      }
      seen.add(entry.id);
      entries.push(entry);
    }
  };
  take('local', local);
  for (const part of bases) take(part.source, part.entries);
  return { list: { ...(header as Omit<List, 'entries'>), homophones, entries }, shadowed };
}

/**
 * The list shipped inside the extension, built from ../shared/domain/taxonomy.md, so LeadGuard
 * works with no feed at all. Parsed with the same schema as any feed.
 */
import raw from './default-list.json';
import { parseList, type List } from './list-schema';

let parsed: List | null = null;

export function defaultList(): List {
  parsed ??= parseList(raw);
  return parsed;
}

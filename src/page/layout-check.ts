/**
 * Whether a platform page still looks the way its adapter expects (issue 9): when the adapter knows
 * the page kind but finds no blocks, or far fewer words than the page holds, the site's layout has
 * most likely changed, and the page is scanned with the generic adapter instead. The diagnostic
 * says what a bug report needs: which adapter, which page kind, which of its selectors found nothing.
 */
import { z } from 'zod';
import type { PageKind, SiteAdapter } from '../sites/adapter';
import { generic } from '../sites/generic';

export const LayoutDiagnostic = z.object({
  adapter: z.string(),
  pageKind: z.string(),
  /** Host and path only: queries can hold tokens. */
  page: z.string(),
  blocks: z.number().int().nonnegative(),
  blockChars: z.number().int().nonnegative(),
  pageChars: z.number().int().nonnegative(),
  /** `name: selector` of each selector the adapter declares that matched nothing on the page. */
  selectorsNotFound: z.array(z.string()),
  extensionVersion: z.string(),
  userAgent: z.string(),
});
export type LayoutDiagnostic = z.infer<typeof LayoutDiagnostic>;

/** Generic blocks (and their characters) that make a page one with content to scan. */
const MIN_GENERIC_BLOCKS = 3;
const MIN_GENERIC_CHARS = 60;
/**
 * Below this share of the page's own text, an adapter that found something (a title) still missed
 * most (the comments). Kept low: a live video page before its comments load can be mostly
 * recommendations around a short title, and falling back loses the account ids (a guess until
 * captures of live pages tune it).
 */
const MIN_COVERAGE = 0.03;
/** …on a page with at least this much text (small pages are mostly chrome). */
const MIN_PAGE_CHARS = 8_000;
/** Generic blocks looked at to decide (the check is a probe, not a scan). */
const PROBE_BLOCKS = 50;

export interface LayoutCheckInput {
  adapter: SiteAdapter;
  kind: PageKind;
  doc: Document;
  /** What the adapter's scan found: blocks and characters of their text. */
  blocks: number;
  chars: number;
  version: string;
}

/** A diagnostic when the page should fall back to the generic adapter, else null. */
export function layoutCheck(input: LayoutCheckInput): LayoutDiagnostic | null {
  const { adapter, doc, blocks, chars } = input;
  if (adapter.id === 'generic') return null;
  // Most pages are read well: an upper bound of the page's text (no copy, no regex) settles them.
  if (blocks > 0 && chars >= (doc.body?.textContent?.length ?? 0) * MIN_COVERAGE) return null;
  const pageChars = lightText(doc);
  let fallBack: boolean;
  if (blocks === 0) {
    // Nothing found: fall back if the page has prose for the generic adapter (not only chrome).
    let n = 0;
    let text = 0;
    for (const block of generic.blocks(doc)) {
      text += block.text.reduce((sum, e) => sum + (e.textContent?.trim().length ?? 0), 0);
      if (++n >= PROBE_BLOCKS || (n >= MIN_GENERIC_BLOCKS && text >= MIN_GENERIC_CHARS)) break;
    }
    fallBack = n >= MIN_GENERIC_BLOCKS && text >= MIN_GENERIC_CHARS;
  } else {
    fallBack = pageChars >= MIN_PAGE_CHARS && chars < pageChars * MIN_COVERAGE;
  }
  if (!fallBack) return null;
  return {
    adapter: adapter.id,
    pageKind: input.kind,
    page: `${doc.location.host}${doc.location.pathname}`,
    blocks,
    blockChars: chars,
    pageChars,
    selectorsNotFound: selectorsNotFound(adapter, doc),
    extensionVersion: input.version,
    userAgent: doc.defaultView?.navigator.userAgent ?? '',
  };
}

/** The diagnostic as text a user pastes into a bug report. */
export function diagnosticText(d: LayoutDiagnostic): string {
  return [
    `LeadGuard ${d.extensionVersion}: this site's layout looks changed — scanning in generic mode`,
    `adapter: ${d.adapter}`,
    `page kind: ${d.pageKind}`,
    `page: ${d.page}`,
    `blocks found: ${d.blocks} (${d.blockChars} chars of ${d.pageChars} on the page)`,
    `selectors that found nothing (${d.selectorsNotFound.length}):`,
    ...d.selectorsNotFound.map((s) => `  ${s}`),
    `browser: ${d.userAgent}`,
  ].join('\n');
}

/**
 * The adapter's declared selectors (`SiteAdapter.selectors`) that match nothing in the document or
 * its open shadow roots. Text labels kept beside them (举报) are not selectors and are skipped.
 */
export function selectorsNotFound(adapter: SiteAdapter, doc: Document): string[] {
  const scopes = openScopes(doc);
  const missing: string[] = [];
  for (const [name, value] of Object.entries(adapter.selectors ?? {})) {
    const list = typeof value === 'string' ? [value] : value;
    for (const selector of list) {
      if (!/[.#[:a-z*]/i.test(selector)) continue;
      try {
        if (!scopes.some((s) => s.querySelector(selector) !== null))
          missing.push(`${name}: ${selector}`);
      } catch {
        // Not a selector: nothing to report.
      }
    }
  }
  return missing;
}

/** The document and its open shadow roots (bounded: a diagnostic, not a scan). */
function openScopes(doc: Document, max = 2_000): ParentNode[] {
  const scopes: ParentNode[] = [doc];
  for (let i = 0; i < scopes.length && scopes.length < max; i++) {
    for (const el of scopes[i]!.querySelectorAll('*')) {
      if (el.shadowRoot) scopes.push(el.shadowRoot);
      if (scopes.length >= max) break;
    }
  }
  return scopes;
}

/** Characters of text in the page's light DOM, without scripts and styles (no layout). */
function lightText(doc: Document): number {
  const body = doc.body;
  if (!body) return 0;
  let chars = body.textContent?.replace(/\s+/g, '').length ?? 0;
  for (const el of body.querySelectorAll('script, style, noscript, template')) {
    chars -= el.textContent?.replace(/\s+/g, '').length ?? 0;
  }
  return Math.max(0, chars);
}

/**
 * The generic adapter: any page the user enables, and the fallback for platform pages an adapter
 * doesn't know. Blocks are the page's leaf text containers (paragraphs, list items, table cells,
 * headings, quotes, and divs that hold text directly), in open shadow roots too (an unknown
 * Bilibili page renders its comments in them, issue 10); no author is known.
 */
import type { SiteAdapter, TextBlock } from './adapter';

const containers =
  'p, li, dd, td, th, blockquote, h1, h2, h3, h4, h5, h6, figcaption, pre, div, span, a, article, section';
const MIN_TEXT = 4;
const MAX_BLOCKS = 20_000;

/** Stable per-element keys for the life of the page (elements have no item id here). */
const keys = new WeakMap<Element, string>();
let nextKey = 0;
const keyOf = (el: Element) => {
  let key = keys.get(el);
  if (!key) keys.set(el, (key = `generic:${++nextKey}`));
  return key;
};

/** Text directly inside an element (not in child elements), where most page prose lives. */
function ownText(el: Element): number {
  let length = 0;
  for (let n = el.firstChild; n; n = n.nextSibling) {
    if (n.nodeType === 3) length += (n as Text).data.trim().length;
    else if (n.nodeType === 1 && ((n as Element).tagName === 'IMG' || isInline(n as Element))) {
      length += (n as Element).textContent?.trim().length ?? 1;
    }
  }
  return length;
}

const inlineTags = new Set([
  'A',
  'B',
  'I',
  'EM',
  'STRONG',
  'SMALL',
  'MARK',
  'CODE',
  'SUB',
  'SUP',
  'U',
  'S',
  'FONT',
  'BR',
  'WBR',
]);
const isInline = (el: Element) => inlineTags.has(el.tagName);

/** Leaf containers only, so no text is assessed twice. */
function hasBlockChild(el: Element): boolean {
  for (let c = el.firstElementChild; c; c = c.nextElementSibling) {
    if (c.tagName !== 'IMG' && !isInline(c)) return true;
  }
  return false;
}

export const generic: SiteAdapter = {
  id: 'generic',
  matches: [],
  examples: [
    { url: 'https://example.org/forum/thread/1', kind: 'other', fixture: 'demo/generic.html' },
  ],
  pageKind: () => 'other',
  *blocks(root) {
    let count = 0;
    // Each scope (the root, then every open shadow root found below it) is read natively; a
    // queue instead of recursion, so 2,000 nested roots can't overflow the stack.
    const scopes: ParentNode[] = [root];
    if (root.nodeType === 1 && (root as Element).shadowRoot)
      scopes.push((root as Element).shadowRoot!);
    for (let i = 0; i < scopes.length && count < MAX_BLOCKS; i++) {
      const scope = scopes[i]!;
      const candidates: Element[] = [];
      if (i === 0 && root.nodeType === 1 && (root as Element).matches(containers))
        candidates.push(root as Element);
      candidates.push(...scope.querySelectorAll(containers));
      for (const el of candidates) {
        if (count >= MAX_BLOCKS) break;
        // Inline text is read with its parent, unless the parent holds blocks too and so isn't one
        // (a card's title link beside the card's footer).
        const parent = el.parentElement;
        if (isInline(el) && parent?.matches(containers) && !hasBlockChild(parent)) continue;
        if (
          el.closest(
            '[data-leadguard-ui], script, style, noscript, nav, header, footer, [contenteditable="true"]',
          )
        )
          continue;
        if (ownText(el) < MIN_TEXT || hasBlockChild(el)) continue;
        count++;
        yield { key: keyOf(el), kind: 'post', element: el, text: [el] } satisfies TextBlock;
      }
      for (const el of scope.querySelectorAll('*')) {
        if (el.shadowRoot && !el.hasAttribute('data-leadguard-ui')) scopes.push(el.shadowRoot);
      }
    }
  },
};

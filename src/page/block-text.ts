/**
 * The text of a block as the matcher sees it, with a map back to the DOM so a match at offsets
 * [start, end) becomes a Range over exactly the characters the page shows.
 * - Emoji and stickers drawn as `img[alt]` are text (Zhihu stickers, Kuaishou emoji: platforms.md §3.2).
 * - @mentions, `[表情]` codes and the adapter's `ignore` selectors are not the author's words.
 * - Separate text elements are joined by a newline that maps to no node.
 */
export interface TextSegment {
  /** Offset of this segment in the block text. */
  start: number;
  end: number;
  /** A Text node (offsets inside it) or an element standing for its alt text (an img). */
  node: Text | Element;
}

export interface BlockText {
  text: string;
  segments: TextSegment[];
}

/** Mentions on the supported platforms (plus the adapter's own ignore selectors). */
const mentionSelectors = [
  'a[href*="/n/"]', // Weibo @name
  'a.mention',
  'a[data-type="mention"]',
  '.member_mention',
  'a[href^="/user/"][data-mention]',
];
/** Bracketed emote codes: [微笑] [doge] [打call]. Replaced by a character that breaks phrases. */
const emoteCode = /\[[\p{Script=Han}A-Za-z0-9_]{1,8}\]/gu;
const BREAK = '\uf8ff';
const NOISE = '\u200b';

const skippedTags = new Set([
  'SCRIPT',
  'STYLE',
  'NOSCRIPT',
  'TEMPLATE',
  'TEXTAREA',
  'INPUT',
  'SELECT',
]);

interface Ignore {
  selector: string;
  /** Every selector's subject needs a class, id or attribute, so a bare <span> can't match. */
  needsAttributes: boolean;
}

const ignores = new WeakMap<readonly string[], Ignore>();

function ignoreOf(extra: readonly string[]): Ignore {
  let ignore = ignores.get(extra);
  if (!ignore) {
    const all = [...mentionSelectors, ...extra, '[data-leadguard-ui]'];
    ignore = {
      selector: all.join(','),
      needsAttributes: all.every((s) => /[.#[]/.test(s.split(/[\s>+~]+/).pop() ?? '')),
    };
    ignores.set(extra, ignore);
  }
  return ignore;
}

/** One array for adapters without ignores, so the selector cache keeps hitting. */
const noIgnores: readonly string[] = [];

export function blockText(
  elements: readonly Element[],
  ignore: readonly string[] = noIgnores,
): BlockText {
  const { selector: ignoreSelector, needsAttributes } = ignoreOf(ignore);
  // Matching the ignore list costs a selector match per node; most text spans have no attributes.
  const isIgnored = (el: Element) =>
    (!needsAttributes || el.hasAttributes()) && el.matches(ignoreSelector);
  const parts: string[] = [];
  const segments: TextSegment[] = [];
  let length = 0;
  const push = (value: string, node: Text | Element) => {
    if (!value) return;
    parts.push(value);
    segments.push({ start: length, end: length + value.length, node });
    length += value.length;
  };
  const walk = (node: Node) => {
    if (node.nodeType === 3) {
      push((node as Text).data, node as Text);
      return;
    }
    if (node.nodeType !== 1) return;
    const el = node as Element;
    if (skippedTags.has(el.tagName) || isIgnored(el)) return;
    if (el.tagName === 'IMG') {
      const alt = el.getAttribute('alt');
      // A sticker named like an emote code ([哇R]) is decoration between characters (征[哇R]信):
      // one noise character, so it neither hides a phrase nor adds words.
      if (alt && emoteCode.test(alt)) push(NOISE, el);
      else if (alt && alt.length <= 12) push(alt, el);
      emoteCode.lastIndex = 0;
      return;
    }
    if (el.tagName === 'BR') {
      parts.push('\n');
      length += 1;
      return;
    }
    for (let child = el.firstChild; child; child = child.nextSibling) walk(child);
  };
  elements.forEach((el, i) => {
    if (i > 0 && length > 0) {
      parts.push('\n');
      length += 1;
    }
    walk(el);
  });
  const text = parts.join('').replace(emoteCode, (code) => BREAK.repeat(code.length));
  return { text, segments };
}

/** A Range over [start, end) of a block's text, or null when the span maps to no node. */
export function rangeFor(
  block: BlockText,
  start: number,
  end: number,
  doc: Document,
): Range | null {
  const { segments } = block;
  // Segments are in text order: binary searches keep a block with many nodes and many matches
  // linear in its matches (a spammer's wall of text has both).
  const firstIndex = firstEndingAfter(segments, start);
  const lastIndex = firstStartingAtOrAfter(segments, end) - 1;
  const first = segments[firstIndex];
  const last = lastIndex >= 0 ? segments[lastIndex] : undefined;
  if (!first || !last || first.start >= end) return null;
  const range = doc.createRange();
  if (first.node.nodeType === 3) range.setStart(first.node, Math.max(0, start - first.start));
  else range.setStartBefore(first.node);
  if (last.node.nodeType === 3) range.setEnd(last.node, Math.min(last.end, end) - last.start);
  else range.setEndAfter(last.node);
  return range;
}

/** The first segment whose end lies after `offset` (segments.length when none). */
function firstEndingAfter(segments: readonly TextSegment[], offset: number): number {
  let lo = 0;
  let hi = segments.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (segments[mid]!.end > offset) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** The first segment that starts at or after `offset` (segments.length when none). */
function firstStartingAtOrAfter(segments: readonly TextSegment[], offset: number): number {
  let lo = 0;
  let hi = segments.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (segments[mid]!.start >= offset) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

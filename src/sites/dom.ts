/**
 * How the site adapters walk a page. What to read (selectors, URL patterns, labels) is each
 * adapter's own data, passed in; nothing here knows a site.
 */
import type { Account, ReportMenu, TextBlock } from './adapter';
import type { PlatformId } from './platforms';

/**
 * How to ask a scope for the elements matching a selector, in document order (Douyin splits
 * descendant selectors). Callers that want the first accepted match stop iterating there.
 */
export type Query = (scope: ParentNode, selector: string) => Iterable<Element>;

export const queryAll: Query = (scope, selector) => scope.querySelectorAll(selector);

const always = () => true;

/**
 * The blocks of one `blocks(root)` call, the first read of each key only: one item is reached from
 * several selectors, and from `root` as well as from below it.
 */
export class BlockSet {
  private readonly found = new Map<string, TextBlock>();

  /** `block` when its key is new, else null. */
  add(block: TextBlock | null): TextBlock | null {
    if (!block || this.found.has(block.key)) return null;
    this.found.set(block.key, block);
    return block;
  }

  /** The block `read` gives when its key is new; null when it gives none or throws. */
  read(read: () => TextBlock | null): TextBlock | null {
    return this.add(tryRead(read));
  }

  /** Reads each element's block now. */
  readAll(elements: Iterable<Element>, read: (element: Element) => TextBlock | null): void {
    for (const element of elements) this.read(() => read(element));
  }

  /** Reads each element's block only when the caller pulls it (the scanner's time slices). */
  *readLazily(
    elements: Iterable<Element>,
    read: (element: Element) => TextBlock | null,
  ): Generator<TextBlock> {
    for (const element of elements) {
      const block = this.read(() => read(element));
      if (block) yield block;
    }
  }

  list(): TextBlock[] {
    return [...this.found.values()];
  }
}

/** Matches under `root`, and `root` itself first: the scanner re-reads a changed block from it. */
export function select(root: ParentNode, selector: string, query: Query = queryAll): Element[] {
  const found = [...query(root, selector)];
  if (isElement(root) && root.matches(selector)) found.unshift(root);
  return found;
}

/**
 * Matches under `root`, plus the match `root` is or sits in (a changed node inside a block),
 * unless a `barrier` lies between them (a reply inside a comment is not the comment).
 */
export function within(root: ParentNode, selector: string, barrier?: string): Element[] {
  const found = [...root.querySelectorAll(selector)];
  const up = isElement(root) ? root.closest(selector) : null;
  const wall = up && barrier && isElement(root) ? root.closest(barrier) : null;
  if (up && !(wall && up.contains(wall)) && !found.includes(up)) found.unshift(up);
  return found;
}

/** The first match of the first candidate that has one: candidates go from exact to loose. */
export function firstOf(scope: ParentNode, candidates: readonly string[]): Element | null {
  for (const selector of candidates) {
    const found = scope.querySelector(selector);
    if (found) return found;
  }
  return null;
}

/**
 * The first accepted match of the first candidate that has one. A named link beats a bare avatar
 * link to the same account, so the badge sits by the name.
 */
export function firstNamed(
  scope: ParentNode,
  candidates: readonly string[],
  accept: (element: Element) => boolean = always,
  query: Query = queryAll,
): Element | null {
  for (const selector of candidates) {
    let unnamed: Element | null = null;
    for (const match of query(scope, selector)) {
      if (!accept(match)) continue;
      if (isNamed(match)) return match;
      unnamed ??= match;
    }
    if (unnamed) return unnamed;
  }
  return null;
}

const visible = /\S/;

export function isNamed(element: Element): boolean {
  return visible.test(element.textContent ?? '');
}

/**
 * The first match that belongs to `item` itself, not to an item nested in it (replies) nor to
 * `notIn` (the text, whose user links are mentions).
 */
export function firstOwn(
  item: Element,
  candidates: readonly string[],
  itemSelector: string,
  notIn?: Element,
  query: Query = queryAll,
): Element | null {
  return firstNamed(
    item,
    candidates,
    (found) => found.closest(itemSelector) === item && !notIn?.contains(found),
    query,
  );
}

/** The first match in `scope` outside any `exclude` element inside it (a post's author, not a commenter). */
export function firstOutside(
  scope: Element,
  candidates: readonly string[],
  exclude: string,
  query: Query = queryAll,
): Element | null {
  return firstNamed(
    scope,
    candidates,
    (found) => {
      const excluded = found.closest(exclude);
      return !excluded || !scope.contains(excluded);
    },
    (from, selector) => select(from, selector, query),
  );
}

/**
 * A leaf element whose whole text is one of `labels`: report controls (举报, 投诉) have no stable
 * class or attribute, only their label. Callers look only inside the platform's control areas
 * (reportControl): anything else labelled 举报 may be user-written.
 */
export function labelled(
  scope: Element,
  labels: readonly string[],
  accept: (element: Element) => boolean = always,
): Element | null {
  if (scope.childElementCount === 0 && labels.includes(scope.textContent?.trim() ?? '')) {
    return accept(scope) ? scope : null;
  }
  for (const element of scope.querySelectorAll('*')) {
    if (element.childElementCount > 0) continue;
    if (labels.includes(element.textContent?.trim() ?? '') && accept(element)) return element;
  }
  return null;
}

/**
 * The platform's own report control in `scope`: a leaf labelled with one of `labels` inside one of
 * the platform's control areas (`areas`: its menus, toolbars and report buttons), and never inside
 * `userContent` (the block's text, the author's name). A commenter named 举报, or 举报 written into
 * a comment after an emoji, is not the platform's control, and the card's 打开平台举报 must not
 * click it (issue 10).
 */
export function reportControl(
  scope: Element,
  areas: string,
  labels: readonly string[],
  userContent: readonly (Element | null | undefined)[],
  accept: (element: Element) => boolean = always,
): Element | null {
  const written = userContent.filter((e): e is Element => !!e);
  const isWritten = (e: Element) => written.some((w) => w === e || w.contains(e) || e.contains(w));
  for (const area of select(scope, areas)) {
    // An area the caller would refuse (a comment's menu, asked for its post's control) holds
    // only refused controls: it is not searched. A post's scope can hold 5,000 comment menus.
    if (isWritten(area) || !accept(area)) continue;
    const found = labelled(area, labels, (e) => !isWritten(e) && accept(e));
    if (found) return found;
  }
  return null;
}

/**
 * A report control behind `trigger`'s menu. Once the menu is open, the control is a leaf labelled
 * with one of `labels` inside one of `menus` (the platform's own popups): in `near` (the block,
 * where menus render in place), and with `anywhere` then in the trigger's whole document or shadow
 * root (popups rendered at the end of the page).
 */
export function menuReport(
  trigger: Element,
  menus: string,
  labels: readonly string[],
  options: { open?: ReportMenu['open']; near?: Element; anywhere?: boolean } = {},
): ReportMenu {
  return {
    trigger,
    ...(options.open ? { open: options.open } : {}),
    control() {
      const roots: ParentNode[] = [];
      if (options.near) roots.push(options.near);
      if (options.anywhere || !options.near) {
        roots.push(trigger.getRootNode() as unknown as ParentNode);
      }
      for (const root of roots) {
        for (const menu of select(root, menus)) {
          const found = labelled(menu, labels);
          if (found) return found;
        }
      }
      return null;
    },
  };
}

/** Whether an element is `scope`'s own, not an item's nested inside it (a reply's 举报 in a comment). */
export function notNestedIn(scope: Element, nested: string): (element: Element) => boolean {
  return (element) => {
    const owner = element.closest(nested);
    return !owner || owner === scope || !scope.contains(owner);
  };
}

/** The value of the first of `names` the element carries: sites move ids between attributes. */
export function attr(element: Element, names: readonly string[]): string | null {
  for (const name of names) {
    const value = element.getAttribute(name);
    if (value) return value;
  }
  return null;
}

/** An id from page JSON, which writes them as numbers or strings. */
export function stringOf(value: unknown): string | null {
  return typeof value === 'number' || (typeof value === 'string' && value !== '')
    ? String(value)
    : null;
}

/** The URL of the page `root` belongs to: ids and profile owners are often only in the URL. */
export function pageUrl(root: ParentNode): URL | null {
  const node = root as Node;
  const doc = node.nodeType === 9 ? (node as Document) : node.ownerDocument;
  return parseUrl(doc?.URL ?? null, undefined);
}

/** Page hrefs are untrusted input: a malformed one reads as no link. */
export function parseUrl(href: string | null, base: string | undefined): URL | null {
  if (!href) return null;
  try {
    return new URL(href, base);
  } catch {
    return null;
  }
}

/**
 * Resolved links, by base and href: a page names the same accounts over and over, and `new URL`
 * was 4 % of a 5,000-comment scan (bench:page profile). Entries are shared: read them, never set
 * their fields. Cleared when full, so a page of millions of links stays bounded.
 */
const resolved = new Map<string, URL | null>();
const MAX_RESOLVED = 4_096;

/** Where an element's own href points, resolved as the page resolves it (relative, `//host`). */
export function hrefOf(element: Element | null | undefined): URL | null {
  const href = element?.getAttribute('href');
  if (!element || !href) return null;
  const base = element.ownerDocument.baseURI;
  const key = `${base}\n${href}`;
  let url = resolved.get(key);
  if (url === undefined) {
    if (resolved.size >= MAX_RESOLVED) resolved.clear();
    url = parseUrl(href, base);
    resolved.set(key, url);
  }
  return url;
}

/** Where the link an element is, sits in or holds points: names are spans in links, avatars wrap links. */
export function linkUrl(element: Element): URL | null {
  return hrefOf(element.closest('a[href]') ?? element.querySelector('a[href]'));
}

/** The first id a link inside `scope` gives: a card's item id is often only in its links. */
export function linkedId(
  scope: Element,
  idOf: (url: URL) => string | null | undefined,
): string | null {
  for (const link of scope.querySelectorAll('a[href]')) {
    const url = hrefOf(link);
    const id = url && idOf(url);
    if (id) return id;
  }
  return null;
}

export function isElement(node: unknown): node is Element {
  return (node as Node | null)?.nodeType === 1;
}

const space = /\s/;

/** Text as shown: handles and fallback keys must not change when the page re-indents. */
export function textOf(element: Element): string {
  const text = element.textContent ?? '';
  // Most names and comments hold no white space at all: no copy for them.
  return space.test(text) ? text.replace(/\s+/g, ' ').trim() : text;
}

export type Author = Pick<TextBlock, 'author' | 'authorElement'>;

/** An account as a page names it: the handle as shown, without the @ that replies and cards add. */
export function namedAccount(
  platform: PlatformId,
  id: string,
  name: string,
  url?: string,
): Account {
  const handle = name.replace(/^@/, '').trim();
  return { platform, id, ...(handle ? { handle } : {}), ...(url ? { url } : {}) };
}

/** The author a profile link names; `refOf` reads the site's account reference from its URL. */
export function linkAuthor<T>(
  link: Element | null | undefined,
  refOf: (url: URL | null) => T | null,
  account: (ref: T, name: string) => Account,
): Author {
  const ref = link ? refOf(linkUrl(link)) : null;
  return link && ref ? { author: account(ref, textOf(link)), authorElement: link } : {};
}

/** A page that differs from the fixtures yields fewer blocks, never an exception. */
export function tryRead<T>(read: () => T | null): T | null {
  try {
    return read();
  } catch {
    return null;
  }
}

/** FNV-1a, for items without an id in the DOM: the same author and text give the same key. */
export function hash(value: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < value.length; i++) {
    h ^= value.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(36);
}

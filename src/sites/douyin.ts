/**
 * Douyin (抖音): video/note descriptions, 精选 and search cards, profile bios, comments and replies.
 * Hooks are data-e2e attributes, aweme ids and /user/<sec_uid> links; hashed classes (`.tpc3FG9j`)
 * only as a last resort. DOM facts and sources: /work/shared/domain/platforms.md §1, §2.1.
 */
import type { Account, PageKind, SiteAdapter, SiteExample, TextBlock } from './adapter';
import { platformMatches } from './platforms';

const examples: readonly SiteExample[] = [
  {
    url: 'https://www.douyin.com/video/7300000000000000001',
    kind: 'video',
    fixture: 'douyin/video/7300000000000000001.html',
  },
  {
    url: 'https://www.douyin.com/note/7300000000000000101',
    kind: 'note',
    fixture: 'douyin/note/7300000000000000101.html',
  },
  {
    url: 'https://www.douyin.com/user/MS4wLjABAAAAleadguardDemoAgent01',
    kind: 'profile',
    fixture: 'douyin/user/MS4wLjABAAAAleadguardDemoAgent01.html',
  },
  // A video opened as a modal over a profile keeps the profile path (MC-dy-help).
  {
    url: 'https://www.douyin.com/user/MS4wLjABAAAAleadguardDemoAgent01?modal_id=7300000000000000201',
    kind: 'video',
    fixture: 'douyin/user/MS4wLjABAAAAleadguardDemoAgent01.html',
  },
  {
    url: 'https://www.douyin.com/search/%E5%81%9C%E6%81%AF%E6%8C%82%E8%B4%A6',
    kind: 'search',
    fixture: 'douyin/search/停息挂账.html',
  },
  { url: 'https://www.douyin.com/root/search/%E5%81%9C%E6%81%AF?type=video', kind: 'search' },
  {
    url: 'https://www.douyin.com/root/search/%E5%81%9C%E6%81%AF?modal_id=7300000000000000301',
    kind: 'video',
  },
  { url: 'https://www.douyin.com/jingxuan', kind: 'feed', fixture: 'douyin/jingxuan.html' },
  { url: 'https://www.douyin.com/jingxuan?modal_id=7300000000000000401', kind: 'video' },
  { url: 'https://www.douyin.com/', kind: 'feed' },
  { url: 'https://www.douyin.com/hashtag/1580000000000000', kind: 'feed' },
  { url: 'https://www.iesdouyin.com/share/video/7300000000000000001/', kind: 'video' },
  { url: 'https://www.iesdouyin.com/share/user/MS4wLjABAAAAleadguardDemoAgent01', kind: 'profile' },
];

/** URL patterns (WS-dy-router, MC-dy-help). */
const urls = {
  host: /(^|\.)(douyin|iesdouyin)\.com$/,
  live: /^live\./,
  modalId: /^\d+$/,
  video: /^\/(?:share\/)?video\/\d+/,
  note: /^\/(?:share\/)?note\/\d+/,
  search: /^\/(?:root\/)?search\/|^\/user\/[\w-]+\/search\//,
  profile: /^\/(?:share\/)?user\/([\w-]+)\/?$/,
  feed: /^\/(?:jingxuan|discover|channel\/\d+|hot|follow|hashtag\/\d+|collection\/\d+|music\/\d+)?\/?$/,
  /** `/user/<sec_uid>` and `/share/user/<sec_uid>`; `self` is the viewer's own page. */
  account: /^\/(?:share\/)?user\/([\w-]+)/,
  item: /^\/(?:share\/)?(?:video|note)\/(\d+)/,
};

const selectors = {
  /** Description of a video or image note: detail page, feed slide, modal (SX-dy, WS-dy-filter). */
  desc: '[data-e2e="video-desc"]',
  /** The item a description sits in; its author and 举报 are found inside it, outside comments. */
  item: '[data-e2e="video-detail"], [data-e2e="note-detail"], [data-e2e="feed-active-video"], [data-e2e="feed-item"], .sliderVideo',
  /** Attributes that carry the aweme id (`.sliderVideo` also has a `video_<id>` class). */
  awemeIdAttributes: ['data-e2e-aweme-id', 'data-e2e-vid', 'data-aweme-id'],
  /** Where the item's author link is. */
  itemAuthor: [
    '[data-e2e="user-info"] a[href*="/user/"]',
    '[data-e2e="feed-video-nickname"]',
    '[data-e2e="video-avatar"]',
  ],
  /** Comment and reply items, in `[data-e2e="comment-list"]` inside `#videoSideCard` (WS-dy-player). */
  comment: '[data-e2e="comment-item"]',
  commentAuthor: ['.comment-item-info-wrap a[href*="/user/"]', 'a[href*="/user/"]'],
  /** The comment text: hashed class seen in scrapers, then the block after the name line. */
  commentText: ['.C7LroK_h', '.comment-item-info-wrap + div', 'span.WFJiGxr7'],
  /** 精选 cards (SX-dy), search results and a profile's post list. */
  card: '.discover-video-card-item[data-aweme-id], [data-e2e="scroll-list"] > li',
  cardTitle: ['.tpc3FG9j', '[data-e2e="video-title"]'],
  cardAuthor: ['.hNV3zCze a[href*="/user/"]', 'a.hNV3zCze', 'a[href*="/user/"]'],
  /** A profile's own posts: cards there without an author line are the profile owner's. */
  ownPosts: '[data-e2e="user-post-list"]',
  /** Profile header (WS-dy-user). */
  profile: '[data-e2e="user-detail"] [data-e2e="user-info"]',
  profileName: ['h1'],
  bio: ['[data-e2e="user-info-desc"]', '[class*="signature"]'],
  /** Label of the platform's own report control (player menu, comment menu). */
  reportLabel: '举报',
};

/** @mentions and user links inside text are other people's names, not the author's words. */
const ignore = ['a.mention', 'a[href*="/user/"]'];

export const douyin: SiteAdapter = {
  id: 'douyin',
  matches: platformMatches('douyin'),
  examples,
  ignore,
  pageKind,
  *blocks(root) {
    const seen = new Set<string>();
    const fresh = (block: TextBlock | null): block is TextBlock => {
      if (!block || seen.has(block.key)) return false;
      seen.add(block.key);
      return true;
    };
    const page = pageUrl(root);
    for (const desc of select(root, selectors.desc)) {
      const block = tryRead(() => descBlock(desc, page));
      if (fresh(block)) yield block;
    }
    for (const header of select(root, selectors.profile)) {
      const block = tryRead(() => bioBlock(header, page));
      if (fresh(block)) yield block;
    }
    for (const card of select(root, selectors.card)) {
      const block = tryRead(() => cardBlock(card, page));
      if (fresh(block)) yield block;
    }
    for (const item of select(root, selectors.comment)) {
      const block = tryRead(() => commentBlock(item));
      if (fresh(block)) yield block;
    }
  },
};

function pageKind(url: URL): PageKind | null {
  if (!urls.host.test(url.hostname) || urls.live.test(url.hostname)) return null;
  const path = url.pathname;
  if (urls.modalId.test(url.searchParams.get('modal_id') ?? '')) return 'video';
  if (urls.video.test(path)) return 'video';
  if (urls.note.test(path)) return 'note';
  if (urls.search.test(path)) return 'search';
  if (urls.profile.test(path)) return 'profile';
  if (urls.feed.test(path)) return 'feed';
  return null;
}

function descBlock(desc: Element, page: URL | null): TextBlock | null {
  const item = desc.closest(selectors.item);
  const scope = item ?? desc;
  const id = awemeId(desc) ?? (item && awemeIdIn(item)) ?? itemIdOf(page) ?? `h${hash(text(desc))}`;
  const link = firstOutside(scope, selectors.itemAuthor, selectors.comment);
  const report = item && labelled(item, selectors.reportLabel, selectors.comment);
  return {
    key: `post:${id}`,
    kind: 'post',
    element: desc,
    text: [desc],
    ...authorOf(link),
    ...(report ? { reportEntry: report } : {}),
  };
}

function bioBlock(header: Element, page: URL | null): TextBlock | null {
  const owner = pageOwner(page);
  const bio = firstOf(header, selectors.bio);
  if (!owner || !bio) return null;
  const name = firstOf(header, selectors.profileName);
  const report = labelled(header, selectors.reportLabel, selectors.comment);
  return {
    key: `bio:${owner}`,
    kind: 'bio',
    element: header,
    text: [bio],
    author: account(owner, name ? text(name) : ''),
    ...(name ? { authorElement: name } : {}),
    ...(report ? { reportEntry: report } : {}),
  };
}

function cardBlock(card: Element, page: URL | null): TextBlock | null {
  const title = firstOf(card, selectors.cardTitle);
  const id = card.getAttribute('data-aweme-id') ?? itemIdOfLinks(card);
  if (!title || !id) return null;
  const link = firstOf(card, selectors.cardAuthor);
  const fromLink = authorOf(link);
  const author = fromLink.author ?? (card.closest(selectors.ownPosts) ? ownerOf(card, page) : null);
  return {
    key: `card:${id}`,
    kind: 'card',
    element: card,
    text: [title],
    ...(author ? { author } : {}),
    ...(fromLink.authorElement ? { authorElement: fromLink.authorElement } : {}),
  };
}

function commentBlock(item: Element): TextBlock | null {
  const body = firstOwn(item, selectors.commentText, selectors.comment);
  if (!body) return null;
  const link = firstOwn(item, selectors.commentAuthor, selectors.comment, body);
  const who = authorOf(link);
  const id = commentId(item) ?? `h${hash(`${who.author?.id ?? ''}\n${text(body)}`)}`;
  return {
    key: `comment:${id}`,
    kind: item.parentElement?.closest(selectors.comment) ? 'reply' : 'comment',
    element: item,
    text: [body],
    ...who,
    // Looked up only when the card opens: walking every comment's subtree for 举报 up front was
    // a third of the page scan (bench:page).
    get reportEntry() {
      return labelled(item, selectors.reportLabel, selectors.comment) ?? undefined;
    },
  };
}

function authorOf(link: Element | null | undefined): Pick<TextBlock, 'author' | 'authorElement'> {
  if (!link) return {};
  const anchor = link.closest('a[href]') ?? link.querySelector('a[href]');
  const id = anchor && accountId(anchor.getAttribute('href'), anchor.ownerDocument.baseURI);
  if (!id) return {};
  return { author: account(id, text(link)), authorElement: link };
}

function account(id: string, name: string): Account {
  // Search cards write the author as "@name".
  const handle = name.replace(/^@/, '');
  return {
    platform: 'douyin',
    id,
    ...(handle ? { handle } : {}),
    url: `https://www.douyin.com/user/${id}`,
  };
}

function accountId(href: string | null, base: string): string | null {
  const url = parseUrl(href, base);
  if (!url || !urls.host.test(url.hostname)) return null;
  const id = urls.account.exec(url.pathname)?.[1];
  return id && id !== 'self' ? id : null;
}

function ownerOf(element: Element, page: URL | null): Account | null {
  const owner = pageOwner(page);
  const header = element.ownerDocument.querySelector(selectors.profile);
  const name = header && firstOf(header, selectors.profileName);
  return owner ? account(owner, name ? text(name) : '') : null;
}

/** The sec_uid of the profile the page shows, from its own URL. */
function pageOwner(page: URL | null): string | null {
  if (!page || !urls.profile.test(page.pathname)) return null;
  return accountId(page.href, page.href);
}

/** The aweme id a page or link URL points at: `/video/<id>`, `/note/<id>` or `?modal_id=`. */
function itemIdOf(url: URL | null): string | null {
  if (!url) return null;
  const modal = url.searchParams.get('modal_id');
  if (modal && urls.modalId.test(modal)) return modal;
  return urls.item.exec(url.pathname)?.[1] ?? null;
}

function awemeId(element: Element): string | null {
  for (const name of selectors.awemeIdAttributes) {
    const holder = element.closest(`[${name}]`);
    const value = holder?.getAttribute(name);
    if (value && urls.modalId.test(value)) return value;
  }
  const slide = element.closest('.sliderVideo');
  return slide ? (/\bvideo_(\d+)\b/.exec(slide.className)?.[1] ?? null) : null;
}

function awemeIdIn(item: Element): string | null {
  for (const name of selectors.awemeIdAttributes) {
    const value = item.querySelector(`[${name}]`)?.getAttribute(name);
    if (value && urls.modalId.test(value)) return value;
  }
  return null;
}

function itemIdOfLinks(card: Element): string | null {
  for (const link of card.querySelectorAll('a[href]')) {
    const id = itemIdOf(parseUrl(link.getAttribute('href'), card.ownerDocument.baseURI));
    if (id) return id;
  }
  return null;
}

function commentId(item: Element): string | null {
  for (const name of ['data-cid', 'data-comment-id', 'data-id']) {
    const value = item.getAttribute(name);
    if (value) return value;
  }
  return null;
}

// DOM reading, kept in this file so the adapter stays one self-contained answer (conventions §2).

function select(root: ParentNode, selector: string): Element[] {
  const found = descendants(root, selector);
  if (isElement(root) && root.matches(selector)) found.unshift(root);
  return found;
}

/**
 * querySelectorAll, but "A B" is asked in two steps (A, then B inside each A). Chromium evaluates a
 * descendant selector asked of one element at a cost that grows with the element's position in a
 * long page (bench:page: 10 µs on the first comment, 62–107 µs on the 5,000th); two simple
 * queries cost 1–4 µs anywhere.
 */
function descendants(root: ParentNode, selector: string): Element[] {
  const split = /[,>+~]/.test(selector) ? -1 : selector.lastIndexOf(' ');
  const head = selector.slice(0, split);
  const insideBrackets = head.split('[').length !== head.split(']').length;
  if (split <= 0 || insideBrackets) return [...root.querySelectorAll(selector)];
  const outer = selector.slice(0, split).trim();
  const inner = selector.slice(split + 1).trim();
  const scopes: ParentNode[] = [...root.querySelectorAll(outer)];
  // `A B` asked of an element also matches when A is the element or one of its ancestors.
  if (isElement(root) && root.closest(outer)) scopes.unshift(root);
  const out = new Set<Element>();
  for (const scope of scopes) for (const el of scope.querySelectorAll(inner)) out.add(el);
  return [...out];
}

function firstOf(scope: Element, candidates: readonly string[]): Element | null {
  for (const selector of candidates) {
    const found = scope.querySelector(selector);
    if (found) return found;
  }
  return null;
}

/**
 * The first match that belongs to `item` itself, not to an item nested in it (replies) nor to
 * `notIn` (the text, whose user links are mentions). Named links beat bare avatar links.
 */
function firstOwn(
  item: Element,
  candidates: readonly string[],
  itemSelector: string,
  notIn?: Element,
): Element | null {
  return firstNamed(
    candidates,
    (selector) => descendants(item, selector),
    (found) => found.closest(itemSelector) === item && !notIn?.contains(found),
  );
}

/** The first match in `scope` outside any `exclude` element inside it (comments). */
function firstOutside(
  scope: Element,
  candidates: readonly string[],
  exclude: string,
): Element | null {
  return firstNamed(
    candidates,
    (selector) => select(scope, selector),
    (found) => {
      const excluded = found.closest(exclude);
      return !excluded || !scope.contains(excluded);
    },
  );
}

function firstNamed(
  candidates: readonly string[],
  query: (selector: string) => Element[],
  accept: (element: Element) => boolean,
): Element | null {
  for (const selector of candidates) {
    const matches = query(selector).filter(accept);
    const match = matches.find((element) => text(element) !== '') ?? matches[0];
    if (match) return match;
  }
  return null;
}

/** A leaf element labelled exactly `label` (the report item of a menu), outside nested items. */
function labelled(scope: Element, label: string, nested: string): Element | null {
  for (const element of scope.querySelectorAll('*')) {
    if (element.childElementCount > 0 || element.textContent?.trim() !== label) continue;
    const owner = element.closest(nested);
    if (!owner || owner === scope || !scope.contains(owner)) return element;
  }
  return null;
}

function pageUrl(root: ParentNode): URL | null {
  const node = root as Node;
  const doc = node.nodeType === 9 ? (node as Document) : node.ownerDocument;
  return parseUrl(doc?.URL ?? null, undefined);
}

function parseUrl(href: string | null, base: string | undefined): URL | null {
  if (!href) return null;
  try {
    return new URL(href, base);
  } catch {
    return null;
  }
}

function isElement(node: unknown): node is Element {
  return (node as Node | null)?.nodeType === 1;
}

function text(element: Element): string {
  return (element.textContent ?? '').replace(/\s+/g, ' ').trim();
}

/** A page that differs from the fixtures yields fewer blocks, never an exception. */
function tryRead<T>(read: () => T | null): T | null {
  try {
    return read();
  } catch {
    return null;
  }
}

/** FNV-1a, for items without an id: the same author and text give the same key. */
function hash(value: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < value.length; i++) {
    h ^= value.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(36);
}

/**
 * Toutiao (今日头条): article titles and bodies, 微头条 posts, video titles, feed and search cards,
 * profile bios, comments and replies. Accounts are the /c/user/token/<token>/ path (a ByteDance
 * sec-uid). Only the feed card DOM has a public source (platforms.md §2.7); the rest is guessed.
 */
import type { Account, PageKind, SiteAdapter, SiteExample, TextBlock } from './adapter';
import { platformMatches } from './platforms';

const demoToken = 'MS4wLjABAAAAleadguardToutiao01';

const examples: readonly SiteExample[] = [
  {
    url: 'https://www.toutiao.com/article/7300000000000000501/',
    kind: 'article',
    fixture: 'toutiao/article/7300000000000000501/index.html',
  },
  { url: 'https://www.toutiao.com/item/7300000000000000501/', kind: 'article' },
  { url: 'https://www.toutiao.com/a7300000000000000501/', kind: 'article' },
  {
    url: 'https://www.toutiao.com/w/7300000000000000601/',
    kind: 'post',
    fixture: 'toutiao/w/7300000000000000601/index.html',
  },
  {
    url: 'https://www.toutiao.com/video/7300000000000000701/',
    kind: 'video',
    fixture: 'toutiao/video/7300000000000000701/index.html',
  },
  {
    url: `https://www.toutiao.com/c/user/token/${demoToken}/`,
    kind: 'profile',
    fixture: `toutiao/c/user/token/${demoToken}/index.html`,
  },
  {
    url: 'https://www.toutiao.com/search?keyword=%E5%81%9C%E6%81%AF%E6%8C%82%E8%B4%A6',
    kind: 'search',
    fixture: 'toutiao/search.html',
  },
  {
    url: 'https://so.toutiao.com/search?keyword=%E5%81%9C%E6%81%AF%E6%8C%82%E8%B4%A6',
    kind: 'search',
  },
  { url: 'https://www.toutiao.com/', kind: 'feed', fixture: 'toutiao/index.html' },
  { url: 'https://www.toutiao.com/ch/news_finance/', kind: 'feed' },
];

/** URL patterns (TT-talu; the others seen in public code, platforms.md §1). */
const urls = {
  host: /(^|\.)toutiao\.com$/,
  article: /^\/(?:(?:item|article|group)\/|a)(\d+)\/?$/,
  post: /^\/w\/a?(\d+)\/?$/,
  video: /^\/video\/(\d+)\/?$/,
  profile: /^\/c\/user\/(?:token\/)?([\w-]+)\/?$/,
  search: /^\/search\/?$/,
  feed: /^\/(?:ch\/[\w-]+\/?)?$/,
  /** `/c/user/token/<token>/`; the older `/c/user/<numeric id>/`. */
  account: /^\/c\/user\/(token\/)?([\w-]+)/,
  /** Any item link: article, 微头条, video. */
  item: /^\/(?:(?:item|article|group|w|video)\/|a)(\d+)/,
};

const selectors = {
  /** A detail page's main column: its author and 举报 are found inside, outside comments (guessed). */
  detail: '.main-content',
  /** Article and video titles (guessed). */
  title: '.article-content > h1, .video-info > h1',
  /** Article body (`.syl-article-base`) and 微头条 text (guessed). */
  body: 'article.syl-article-base, .wtt-content',
  detailAuthor: [
    '.article-meta .name a[href*="/c/user/"]',
    '.author-info a.user-name[href*="/c/user/"]',
    '.author-info a[href*="/c/user/"]',
  ],
  /** Comments and their replies, nested in `.reply-list` (guessed). */
  comment: '.comment-list .comment-item',
  commentAuthor: ['a.user-name[href*="/c/user/"]', 'a[href*="/c/user/"]'],
  commentText: ['.comment-content'],
  /** Feed cards (TT-puppeteer, TT-fishx) and search results (guessed). */
  card: '.feed-card-wrapper, .result-content',
  cardTitle: ['.feed-card-article-l a.title', 'a.title', '.cs-header a'],
  cardAuthor: [
    'a.feed-card-footer-cmp-author[href*="/c/user/"]',
    '.cs-source a[href*="/c/user/"]',
    'a[href*="/c/user/"]',
  ],
  /** A profile's own feed: cards there without an author line are the owner's (guessed). */
  ownPosts: '.profile-feed-list',
  /** Profile header (guessed). */
  profile: '.user-profile-info',
  profileName: ['.user-name'],
  bio: ['.user-desc'],
  reportLabel: '举报',
};

/** @mentions inside text are other people's names, not the author's words. */
const ignore = ['a.mention', 'a[href*="/c/user/"]'];

export const toutiao: SiteAdapter = {
  id: 'toutiao',
  matches: platformMatches('toutiao'),
  examples,
  ignore,
  pageKind,
  blocks(root) {
    const found = new Map<string, TextBlock>();
    const add = (block: TextBlock | null) => {
      if (block && !found.has(block.key)) found.set(block.key, block);
    };
    const page = pageUrl(root);
    for (const title of select(root, selectors.title)) {
      add(tryRead(() => detailBlock(title, 'title', page)));
    }
    for (const body of select(root, selectors.body)) {
      add(tryRead(() => detailBlock(body, 'post', page)));
    }
    for (const header of select(root, selectors.profile)) {
      add(tryRead(() => bioBlock(header, page)));
    }
    for (const card of select(root, selectors.card)) {
      add(tryRead(() => cardBlock(card, page)));
    }
    for (const item of select(root, selectors.comment)) {
      add(tryRead(() => commentBlock(item)));
    }
    return [...found.values()];
  },
};

function pageKind(url: URL): PageKind | null {
  if (!urls.host.test(url.hostname)) return null;
  const path = url.pathname;
  if (urls.article.test(path)) return 'article';
  if (urls.post.test(path)) return 'post';
  if (urls.video.test(path)) return 'video';
  if (urls.profile.test(path)) return 'profile';
  if (urls.search.test(path)) return 'search';
  if (urls.feed.test(path)) return 'feed';
  return null;
}

/** The title or body of the article, 微头条 or video the page shows. */
function detailBlock(element: Element, kind: 'title' | 'post', page: URL | null): TextBlock | null {
  if (!text(element)) return null;
  const scope = element.closest(selectors.detail) ?? element;
  const id = (page && urls.item.exec(page.pathname)?.[1]) ?? `h${hash(text(element))}`;
  const who = authorOf(firstOutside(scope, selectors.detailAuthor, selectors.comment));
  const report = labelled(scope, selectors.reportLabel, selectors.comment);
  return {
    key: `${kind}:${id}`,
    kind,
    element,
    text: [element],
    ...who,
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
    key: `bio:${owner.id}`,
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
  const id = itemIdOfLinks(card);
  if (!title || !id) return null;
  const fromLink = authorOf(firstOf(card, selectors.cardAuthor));
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
  const who = authorOf(firstOwn(item, selectors.commentAuthor, selectors.comment, body));
  const id = commentId(item) ?? `h${hash(`${who.author?.id ?? ''}\n${text(body)}`)}`;
  const report = labelled(item, selectors.reportLabel, selectors.comment);
  return {
    key: `comment:${id}`,
    kind: item.parentElement?.closest(selectors.comment) ? 'reply' : 'comment',
    element: item,
    text: [body],
    ...who,
    ...(report ? { reportEntry: report } : {}),
  };
}

interface UserRef {
  id: string;
  /** Whether the id is a sec-uid token (`/c/user/token/…`) or an old numeric id. */
  token: boolean;
}

function authorOf(link: Element | null | undefined): Pick<TextBlock, 'author' | 'authorElement'> {
  if (!link) return {};
  const anchor = link.closest('a[href]') ?? link.querySelector('a[href]');
  const ref =
    anchor && userRef(parseUrl(anchor.getAttribute('href'), anchor.ownerDocument.baseURI));
  if (!ref) return {};
  return { author: account(ref, text(link)), authorElement: link };
}

function account(ref: UserRef, name: string): Account {
  const handle = name.replace(/^@/, '');
  return {
    platform: 'toutiao',
    id: ref.id,
    ...(handle ? { handle } : {}),
    url: `https://www.toutiao.com/c/user/${ref.token ? 'token/' : ''}${ref.id}/`,
  };
}

function userRef(url: URL | null): UserRef | null {
  if (!url || !urls.host.test(url.hostname)) return null;
  const match = urls.account.exec(url.pathname);
  return match?.[2] ? { id: match[2], token: Boolean(match[1]) } : null;
}

function ownerOf(element: Element, page: URL | null): Account | null {
  const owner = pageOwner(page);
  const header = element.ownerDocument.querySelector(selectors.profile);
  const name = header && firstOf(header, selectors.profileName);
  return owner ? account(owner, name ? text(name) : '') : null;
}

/** The account of the profile the page shows, from its own URL. */
function pageOwner(page: URL | null): UserRef | null {
  return page && urls.profile.test(page.pathname) ? userRef(page) : null;
}

function itemIdOfLinks(card: Element): string | null {
  for (const link of card.querySelectorAll('a[href]')) {
    const url = parseUrl(link.getAttribute('href'), card.ownerDocument.baseURI);
    const id = url && urls.host.test(url.hostname) ? urls.item.exec(url.pathname)?.[1] : null;
    if (id) return id;
  }
  return null;
}

function commentId(item: Element): string | null {
  for (const name of ['data-comment-id', 'data-id']) {
    const value = item.getAttribute(name);
    if (value) return value;
  }
  return null;
}

// DOM reading, kept in this file so the adapter stays one self-contained answer (conventions §2).

function select(root: ParentNode, selector: string): Element[] {
  const found = [...root.querySelectorAll(selector)];
  if (isElement(root) && root.matches(selector)) found.unshift(root);
  return found;
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
    (selector) => [...item.querySelectorAll(selector)],
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

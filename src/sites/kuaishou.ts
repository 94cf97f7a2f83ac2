/**
 * Kuaishou (快手): short-video captions, video cards, profile bios, comments and replies.
 * Accounts are keyed by the /profile/<userId> path. Only the comment DOM has a public source
 * (platforms.md §2.2, "unverified"); the rest follows the same names and is marked as guessed.
 */
import type { Account, PageKind, SiteAdapter, SiteExample, TextBlock } from './adapter';
import { platformMatches } from './platforms';

const examples: readonly SiteExample[] = [
  {
    url: 'https://www.kuaishou.com/short-video/3xvideodemo0001?authorId=3xleadguarddemo1',
    kind: 'video',
    fixture: 'kuaishou/short-video/3xvideodemo0001.html',
  },
  {
    url: 'https://www.kuaishou.com/profile/3xleadguarddemo1',
    kind: 'profile',
    fixture: 'kuaishou/profile/3xleadguarddemo1.html',
  },
  {
    url: 'https://www.kuaishou.com/search/video?searchKey=%E5%81%9C%E6%81%AF%E6%8C%82%E8%B4%A6',
    kind: 'search',
    fixture: 'kuaishou/search/video.html',
  },
  { url: 'https://www.kuaishou.com/', kind: 'feed', fixture: 'kuaishou/index.html' },
  { url: 'https://www.kuaishou.com/brilliant', kind: 'feed' },
  { url: 'https://www.kuaishou.com/new-reco', kind: 'feed' },
];

/** URL patterns (MC-url, MC-ks). Live rooms (live.kuaishou.com) are not read. */
const urls = {
  host: /(^|\.)kuaishou\.com$/,
  live: /^live\./,
  video: /^\/short-video\/([\w-]+)/,
  profile: /^\/profile\/([\w-]+)\/?$/,
  search: /^\/search\//,
  feed: /^\/(?:brilliant|new-reco|cinema)?\/?$/,
  account: /^\/profile\/([\w-]+)/,
};

const selectors = {
  /** The caption of the video on its detail page (guessed). */
  caption: '.short-video-info .video-info-title',
  /** The detail's info panel: its author and 举报 are inside (guessed). */
  captionScope: '.short-video-info',
  captionAuthor: ['.profile-user a.profile-user-name', 'a[href*="/profile/"]'],
  /** Comment and reply items (platforms.md §2.2, one scraper). */
  comment: '.comment-item.comment-list-item',
  commentAuthor: [
    '.comment-item-author a.author-name',
    '.comment-item-author a[href*="/profile/"]',
    'a[href*="/profile/"]',
  ],
  commentText: ['.comment-item-content'],
  /** Video cards on the home feed, search and profile pages (guessed). */
  card: '.video-card',
  cardTitle: ['.video-card-title', '.video-info-title'],
  cardAuthor: ['.video-card-author a[href*="/profile/"]', 'a[href*="/profile/"]'],
  /** A profile's own videos: cards there without an author line are the owner's (guessed). */
  ownPosts: '.user-photo-list',
  /** Profile header (guessed). */
  profile: '.user-detail',
  profileName: ['.user-name'],
  bio: ['.user-desc'],
  reportLabel: '举报',
};

/** @mentions inside text are other people's names, not the author's words. */
const ignore = ['a.mention', 'a[href*="/profile/"]'];

export const kuaishou: SiteAdapter = {
  id: 'kuaishou',
  matches: platformMatches('kuaishou'),
  examples,
  ignore,
  pageKind,
  blocks(root) {
    const found = new Map<string, TextBlock>();
    const add = (block: TextBlock | null) => {
      if (block && !found.has(block.key)) found.set(block.key, block);
    };
    const page = pageUrl(root);
    for (const caption of select(root, selectors.caption)) {
      add(tryRead(() => captionBlock(caption, page)));
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
  if (!urls.host.test(url.hostname) || urls.live.test(url.hostname)) return null;
  const path = url.pathname;
  if (urls.video.test(path)) return 'video';
  if (urls.profile.test(path)) return 'profile';
  if (urls.search.test(path)) return 'search';
  if (urls.feed.test(path)) return 'feed';
  return null;
}

function captionBlock(caption: Element, page: URL | null): TextBlock | null {
  const scope = caption.closest(selectors.captionScope) ?? caption;
  const id = (page && urls.video.exec(page.pathname)?.[1]) ?? `h${hash(text(caption))}`;
  const link = firstOutside(scope, selectors.captionAuthor, selectors.comment);
  const report = labelled(scope, selectors.reportLabel, selectors.comment);
  return {
    key: `post:${id}`,
    kind: 'post',
    element: caption,
    text: [caption],
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
  const id = videoIdOfLinks(card);
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
  const link = firstOwn(item, selectors.commentAuthor, selectors.comment, body);
  const who = authorOf(link);
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

function authorOf(link: Element | null | undefined): Pick<TextBlock, 'author' | 'authorElement'> {
  if (!link) return {};
  const anchor = link.closest('a[href]') ?? link.querySelector('a[href]');
  const id = anchor && accountId(anchor.getAttribute('href'), anchor.ownerDocument.baseURI);
  if (!id) return {};
  return { author: account(id, text(link)), authorElement: link };
}

function account(id: string, name: string): Account {
  const handle = name.replace(/^@/, '');
  return {
    platform: 'kuaishou',
    id,
    ...(handle ? { handle } : {}),
    url: `https://www.kuaishou.com/profile/${id}`,
  };
}

function accountId(href: string | null, base: string): string | null {
  const url = parseUrl(href, base);
  if (!url || !urls.host.test(url.hostname)) return null;
  return urls.account.exec(url.pathname)?.[1] ?? null;
}

function ownerOf(element: Element, page: URL | null): Account | null {
  const owner = pageOwner(page);
  const header = element.ownerDocument.querySelector(selectors.profile);
  const name = header && firstOf(header, selectors.profileName);
  return owner ? account(owner, name ? text(name) : '') : null;
}

/** The user id of the profile the page shows, from its own URL. */
function pageOwner(page: URL | null): string | null {
  if (!page || !urls.profile.test(page.pathname)) return null;
  return accountId(page.href, page.href);
}

function videoIdOfLinks(card: Element): string | null {
  for (const link of card.querySelectorAll('a[href]')) {
    const url = parseUrl(link.getAttribute('href'), card.ownerDocument.baseURI);
    const id = url && urls.video.exec(url.pathname)?.[1];
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

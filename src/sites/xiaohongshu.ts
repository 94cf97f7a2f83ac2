/**
 * Xiaohongshu (小红书): note titles and descriptions, note cards, profile bios, comments and replies.
 * Accounts are the 24-hex user id of /user/profile/<id> links (or data-user-id); the profile URL
 * keeps its xsec_token, without which other staff may not open it. DOM facts: platforms.md §2.4.
 */
import type { Account, PageKind, SiteAdapter, SiteExample, TextBlock } from './adapter';
import { platformMatches } from './platforms';

const examples: readonly SiteExample[] = [
  {
    url: 'https://www.xiaohongshu.com/explore/65b000000000000000000001?xsec_token=ABnoteDemo01&xsec_source=pc_feed',
    kind: 'note',
    fixture: 'xiaohongshu/explore/65b000000000000000000001.html',
  },
  { url: 'https://www.xiaohongshu.com/discovery/item/65b000000000000000000001', kind: 'note' },
  // A note opened as a modal over a profile or over search results.
  {
    url: 'https://www.xiaohongshu.com/user/profile/65a000000000000000000001/65b000000000000000000032?xsec_token=ABown32%3D&xsec_source=pc_user',
    kind: 'note',
  },
  {
    url: 'https://www.xiaohongshu.com/search_result/65b000000000000000000042?xsec_token=ABs42%3D&xsec_source=',
    kind: 'note',
  },
  {
    url: 'https://www.xiaohongshu.com/user/profile/65a000000000000000000001?xsec_token=ABuserDemo01&xsec_source=pc_note',
    kind: 'profile',
    fixture: 'xiaohongshu/user/profile/65a000000000000000000001.html',
  },
  {
    url: 'https://www.xiaohongshu.com/search_result?keyword=%E5%BE%81%E4%BF%A1%E4%BF%AE%E5%A4%8D&source=web_search_result_notes',
    kind: 'search',
    fixture: 'xiaohongshu/search_result.html',
  },
  { url: 'https://www.xiaohongshu.com/explore', kind: 'feed', fixture: 'xiaohongshu/explore.html' },
  {
    url: 'https://www.xiaohongshu.com/explore?channel_id=homefeed.career_v3',
    kind: 'feed',
    fixture: 'xiaohongshu/explore.html',
  },
  { url: 'https://www.xiaohongshu.com/', kind: 'feed' },
];

/** URL patterns (WS-xhs-router, MC-xhs-help). */
const urls = {
  host: /(^|\.)xiaohongshu\.com$/,
  profile: /^\/user\/profile\/([0-9a-f]{24})\/?$/,
  search: /^\/search_result\/?$/,
  feed: /^\/(?:explore\/?)?$/,
  account: /^\/user\/profile\/([0-9a-f]{24})/,
  /** A note, also as a modal: `/explore/<id>`, `/search_result/<id>`, `/user/profile/<uid>/<id>`. */
  note: /^\/(?:explore|discovery\/item|search_result|user\/profile\/[0-9a-f]{24})\/([0-9a-f]{24})/,
};

const selectors = {
  /** The open note, as a page or as a modal over the feed (SX-xhs, WS-xhs). */
  note: '#noteContainer',
  noteTitle: ['#detail-title'],
  noteDesc: ['#detail-desc'],
  noteAuthor: [
    '.author-wrapper a.name[href*="/user/profile/"]',
    '.author-wrapper a[href*="/user/profile/"]',
    'a[href*="/user/profile/"]',
  ],
  /** Comments and replies: `.comments-el .comment-item` (SX-xhs). Replies sit beside, not inside, their parent. */
  comment: '.comments-el .comment-item',
  reply: '.comment-item-sub, .reply-container .comment-item',
  commentAuthor: [
    '.author a.name',
    '.author a[href*="/user/profile/"]',
    'a[href*="/user/profile/"]',
  ],
  commentText: ['.content .note-text', '.content'],
  /** Note cards: feed `#exploreFeeds section.note-item`, search and profile grids (SX-xhs). */
  card: 'section.note-item',
  cardTitle: ['.footer .title span', '.footer .title'],
  cardAuthor: ['a.author[href*="/user/profile/"]', '.author-wrapper a[href*="/user/profile/"]'],
  /** The display name inside an author link that also holds the avatar. */
  authorName: '.name, .username',
  /** Profile header (guessed: .user-info, .user-name, .user-desc). */
  profile: '.user-info',
  profileName: ['.user-name'],
  bio: ['.user-desc'],
  reportLabel: '举报',
};

/** @mentions (`a.note-content-user`) and user links inside text are other people's names. */
const ignore = ['a.note-content-user', 'a.mention', 'a[href*="/user/profile/"]'];

export const xiaohongshu: SiteAdapter = {
  id: 'xiaohongshu',
  matches: platformMatches('xiaohongshu'),
  examples,
  ignore,
  pageKind,
  blocks(root) {
    const found = new Map<string, TextBlock>();
    const add = (block: TextBlock | null) => {
      if (block && !found.has(block.key)) found.set(block.key, block);
    };
    const page = pageUrl(root);
    for (const block of noteBlocksAt(root, page)) add(block);
    for (const header of select(root, selectors.profile)) {
      add(tryRead(() => bioBlock(header, page)));
    }
    for (const card of select(root, selectors.card)) {
      add(tryRead(() => cardBlock(card)));
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
  if (urls.note.test(path)) return 'note';
  if (urls.profile.test(path)) return 'profile';
  if (urls.search.test(path)) return 'search';
  if (urls.feed.test(path)) return 'feed';
  return null;
}

/**
 * The note blocks under `root`, or those `root` is part of: the scanner re-reads a changed block
 * from its own element (the title or description), which lies inside `#noteContainer`.
 */
function noteBlocksAt(root: ParentNode, page: URL | null): TextBlock[] {
  const notes = select(root, selectors.note);
  if (notes.length > 0) return notes.flatMap((note) => tryRead(() => noteBlocks(note, page)) ?? []);
  const enclosing = isElement(root) ? root.closest(selectors.note) : null;
  if (!enclosing) return [];
  const blocks = tryRead(() => noteBlocks(enclosing, page)) ?? [];
  return blocks.filter((b) => b.element.contains(root as Node) || root.contains(b.element));
}

/** The note's title and description, each a block with the note's author. */
function noteBlocks(note: Element, page: URL | null): TextBlock[] {
  const title = firstOf(note, selectors.noteTitle);
  const desc = firstOf(note, selectors.noteDesc);
  const id =
    (page && urls.note.exec(page.pathname)?.[1]) ??
    `h${hash(text(title ?? note) + text(desc ?? note))}`;
  const who = authorOf(firstOutside(note, selectors.noteAuthor, selectors.comment));
  const report = labelled(note, selectors.reportLabel, selectors.comment);
  const extra = { ...who, ...(report ? { reportEntry: report } : {}) };
  const blocks: TextBlock[] = [];
  if (title && text(title)) {
    blocks.push({ key: `title:${id}`, kind: 'title', element: title, text: [title], ...extra });
  }
  if (desc && text(desc)) {
    blocks.push({ key: `post:${id}`, kind: 'post', element: desc, text: [desc], ...extra });
  }
  return blocks;
}

function bioBlock(header: Element, page: URL | null): TextBlock | null {
  // A note modal over the profile (`/user/profile/<uid>/<noteId>`) keeps the profile on the page.
  const owner = page && urls.account.exec(page.pathname)?.[1];
  const bio = firstOf(header, selectors.bio);
  if (!owner || !page || !bio) return null;
  const name = firstOf(header, selectors.profileName);
  const report = labelled(header, selectors.reportLabel, selectors.comment);
  return {
    key: `bio:${owner}`,
    kind: 'bio',
    element: header,
    text: [bio],
    // The page's own URL carries the xsec_token it was opened with.
    author: account(owner, name ? text(name) : '', `${page.origin}${page.pathname}${page.search}`),
    ...(name ? { authorElement: name } : {}),
    ...(report ? { reportEntry: report } : {}),
  };
}

function cardBlock(card: Element): TextBlock | null {
  const title = firstOf(card, selectors.cardTitle);
  const id = noteIdOfLinks(card);
  if (!title || !id) return null;
  return {
    key: `card:${id}`,
    kind: 'card',
    element: card,
    text: [title],
    ...authorOf(firstOf(card, selectors.cardAuthor)),
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
    kind: item.matches(selectors.reply) ? 'reply' : 'comment',
    element: item,
    text: [body],
    ...who,
    ...(report ? { reportEntry: report } : {}),
  };
}

function authorOf(link: Element | null | undefined): Pick<TextBlock, 'author' | 'authorElement'> {
  if (!link) return {};
  const anchor = link.closest('a[href]') ?? link.querySelector('a[href]');
  const url = anchor && parseUrl(anchor.getAttribute('href'), anchor.ownerDocument.baseURI);
  const fromHref =
    url && urls.host.test(url.hostname) ? urls.account.exec(url.pathname)?.[1] : null;
  // Links can also carry the id as data-user-id (SX-xhs).
  const fromData = link.closest('[data-user-id]')?.getAttribute('data-user-id');
  const id = fromHref ?? (fromData && /^[0-9a-f]{24}$/.test(fromData) ? fromData : null);
  if (!id) return {};
  const name = link.querySelector(selectors.authorName) ?? link;
  const profileUrl = fromHref && url ? url.href : `https://www.xiaohongshu.com/user/profile/${id}`;
  return { author: account(id, text(name), profileUrl), authorElement: link };
}

function account(id: string, name: string, url: string): Account {
  const handle = name.replace(/^@/, '');
  return { platform: 'xiaohongshu', id, ...(handle ? { handle } : {}), url };
}

function noteIdOfLinks(card: Element): string | null {
  for (const link of card.querySelectorAll('a[href]')) {
    const url = parseUrl(link.getAttribute('href'), card.ownerDocument.baseURI);
    const id = url && urls.note.exec(url.pathname)?.[1];
    if (id) return id;
  }
  return null;
}

/** Comment items carry `id="comment-<id>"`. */
function commentId(item: Element): string | null {
  const fromId = /^comment-(\w+)$/.exec(item.id)?.[1];
  return fromId ?? item.getAttribute('data-comment-id');
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

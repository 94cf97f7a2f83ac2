/**
 * Xiaohongshu (小红书): note titles and descriptions, note cards, profile bios, comments and replies.
 * Accounts are the 24-hex user id of /user/profile/<id> links (or data-user-id); the profile URL
 * keeps its xsec_token, without which other staff may not open it. Evidence for each selector,
 * cited beside it: ../shared/domain/dom-evidence.md §4 (SX, WS, UTags, U9–U11) and
 * ../shared/domain/platforms.md §2.4; what no source names is marked "guess".
 */
import type { Account, PageKind, SiteAdapter, SiteExample, TextBlock } from './adapter';
import {
  BlockSet,
  firstOf,
  hash,
  isElement,
  linkedId,
  linkUrl,
  pageUrl,
  select,
  textOf,
  tryRead,
  namedAccount,
  type Author,
} from './dom';
import { itemBlocks } from './item-blocks';
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
  /** The open note `#noteContainer`, as a page or as a modal over the feed (WS XHSArticle.ts, U9). */
  note: '#noteContainer',
  /** `#detail-title`, else `.note-content .title` (UTags 018, U9). */
  noteTitle: ['#detail-title', '.note-content .title'],
  /** `#detail-desc` ("Verified live 2026-05-17", U9), else `.note-content .desc`. */
  noteDesc: ['#detail-desc', '.note-content .desc'],
  /** `.author-wrapper .username` / `.name` (U9). */
  postAuthor: [
    '.author-wrapper a.name[href*="/user/profile/"]',
    '.author-wrapper a[href*="/user/profile/"]',
    'a[href*="/user/profile/"]',
  ],
  /** Comments and replies `.comments-el .comment-item` (SX, U10). */
  comment: '.comments-el .comment-item',
  /**
   * Replies `.parent-comment > .reply-container > .list-container > .comment-item`, which also carry
   * `comment-item-sub` (U10): beside their parent, not inside it.
   */
  reply: '.comment-item-sub, .reply-container .comment-item',
  /** A thread: the parent comment is its direct `.comment-item` (U10). */
  thread: '.parent-comment',
  /** `.author a.name[href*="/user/profile/"]` (SX, UTags). */
  commentAuthor: [
    '.author a.name',
    '.author a[href*="/user/profile/"]',
    'a[href*="/user/profile/"]',
  ],
  /** `.content .note-text, .content` (SX). */
  commentText: ['.content .note-text', '.content'],
  /** Note cards `#exploreFeeds section.note-item`, `.feeds-container section` (SX, UTags); `.footer .title span`. */
  card: 'section.note-item',
  cardTitle: ['.footer .title span', '.footer .title'],
  cardAuthor: ['a.author[href*="/user/profile/"]', '.author-wrapper a[href*="/user/profile/"]'],
  /** The display name inside an author link that also holds the avatar. */
  authorName: '.name, .username',
  /** Profile header `.user-info .user-name` (UTags), bio `.info .user-desc` (U11). */
  profile: '.user-info',
  profileName: ['.user-name'],
  bio: ['.user-desc'],
  reportLabels: ['举报'],
  /** The ··· menus of notes and profiles (guess: no source describes XHS's 举报). */
  reportAreas: '.more-menu',
};

/** @mentions (`a.note-content-user`) and user links inside text are other people's names. */
const ignore = ['a.note-content-user', 'a.mention', 'a[href*="/user/profile/"]'];

const items = itemBlocks({
  selectors,
  authorOf,
  // A note modal over the profile (`/user/profile/<uid>/<noteId>`) keeps the profile on the page;
  // the page's own URL carries the xsec_token it was opened with.
  owner: (page, name) => {
    const owner = page && urls.account.exec(page.pathname)?.[1];
    return owner ? account(owner, name, `${page.origin}${page.pathname}${page.search}`) : null;
  },
  cardId: (card) => linkedId(card, (url) => urls.note.exec(url.pathname)?.[1]),
  commentId,
  // A reply answers its thread's own comment.
  parent: (item) => {
    if (!item.matches(selectors.reply)) return null;
    const thread = item.closest(selectors.thread);
    const parent = thread && [...thread.children].find((c) => c.matches('.comment-item'));
    return parent && parent !== item ? parent : null;
  },
});

export const xiaohongshu: SiteAdapter = {
  id: 'xiaohongshu',
  matches: platformMatches('xiaohongshu'),
  examples,
  ignore,
  selectors,
  pageKind,
  *blocks(root) {
    const found = new BlockSet();
    const page = pageUrl(root);
    for (const block of noteBlocksAt(root, page)) {
      if (found.add(block)) yield block;
    }
    yield* found.readLazily(select(root, selectors.profile), (header) => items.bio(header, page));
    yield* found.readLazily(select(root, selectors.card), (card) => items.card(card, page));
    yield* found.readLazily(select(root, selectors.comment), items.comment);
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
    `h${hash(textOf(title ?? note) + textOf(desc ?? note))}`;
  const blocks: TextBlock[] = [];
  if (title && textOf(title)) blocks.push(items.post(title, 'title', id, note));
  if (desc && textOf(desc)) blocks.push(items.post(desc, 'post', id, note));
  return blocks;
}

function authorOf(link: Element | null | undefined): Author {
  if (!link) return {};
  const url = linkUrl(link);
  const fromHref =
    url && urls.host.test(url.hostname) ? urls.account.exec(url.pathname)?.[1] : null;
  // Links can also carry the id as data-user-id (SX-xhs).
  const fromData = link.closest('[data-user-id]')?.getAttribute('data-user-id');
  const id = fromHref ?? (fromData && /^[0-9a-f]{24}$/.test(fromData) ? fromData : null);
  if (!id) return {};
  const name = link.querySelector(selectors.authorName) ?? link;
  const profileUrl = fromHref && url ? url.href : `https://www.xiaohongshu.com/user/profile/${id}`;
  return { author: account(id, textOf(name), profileUrl), authorElement: link };
}

function account(id: string, name: string, url: string): Account {
  return namedAccount('xiaohongshu', id, name, url);
}

/** Comment items carry `id="comment-<id>"`. */
function commentId(item: Element): string | null {
  const fromId = /^comment-(\w+)$/.exec(item.id)?.[1];
  return fromId ?? item.getAttribute('data-comment-id');
}

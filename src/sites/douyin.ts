/**
 * Douyin (抖音): video/note descriptions, 精选 and search cards, profile bios, comments and replies.
 * Hooks are data-e2e attributes, aweme ids and /user/<sec_uid> links. Hashed classes (`.C7LroK_h`,
 * `.tpc3FG9j`) differ between builds, so comment text is read from the layout, not by class.
 * Evidence for each selector, cited beside it: ../shared/domain/dom-evidence.md §1 (WS, SX, UTags,
 * U1–U5, U23) and ../shared/domain/platforms.md §2.1; what no source names is marked "guess".
 */
import type { Account, PageKind, SiteAdapter, SiteExample, TextBlock } from './adapter';
import {
  BlockSet,
  hash,
  menuReport,
  isElement,
  linkedId,
  pageUrl,
  select,
  textOf,
  linkAuthor,
  namedAccount,
  type Author,
} from './dom';
import { itemBlocks } from './item-blocks';
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
  /** Description of a video or image note: detail page, feed slide, modal (SX, WS DouYinVideoPlayer.ts). */
  desc: '[data-e2e="video-desc"]',
  /** The item a description sits in (WS, SX); `feed-item` was not seen in any source (guess). */
  item: '[data-e2e="video-detail"], [data-e2e="note-detail"], [data-e2e="feed-active-video"], [data-e2e="feed-item"], .sliderVideo',
  /** `data-aweme-id` on 精选 cards (SX); the other two are unverified; slides carry `video_<id>`. */
  awemeIdAttributes: ['data-aweme-id', 'data-e2e-aweme-id', 'data-e2e-vid'],
  /** Where the item's author link is (SX, WS DouYinVideoBlock_RightToolbar.ts, note/css/block.css). */
  postAuthor: [
    '[data-e2e="user-info"] a[href*="/user/"]',
    '[data-e2e="feed-video-nickname"]',
    '[data-e2e="video-avatar"]',
  ],
  /** Comment and reply items (WS DouYinVideoPlayer.ts, UTags, U1, U2). */
  comment: '[data-e2e="comment-item"]',
  /**
   * The comment panel: `[data-e2e="comment-list"]` in `#videoSideCard` (WS, UTags). Comment items
   * outside it are the page's hidden pre-rendered copies (U4).
   */
  commentScope: '[data-e2e="comment-list"], #videoSideCard',
  /** The name line of a comment (UTags `[data-e2e="comment-item"] .comment-item-info-wrap a`). */
  commentInfo: '.comment-item-info-wrap',
  /** The action row after the text (U2's extractor skips it). */
  commentStats: '.comment-item-stats-container',
  /** `.comment-item-info-wrap a[href*='douyin.com/user/']` (UTags, U23). */
  commentAuthor: ['.comment-item-info-wrap a[href*="/user/"]', 'a[href*="/user/"]'],
  /** None: the text's classes are hashed per build (U1, U2, U5), so it is read from the layout. */
  commentText: [],
  /** No source shows a comment id attribute (U1, U3): read one if a build adds it, else hash. */
  commentId: ['data-cid', 'data-comment-id'],
  /** 精选 cards `.discover-video-card-item[data-aweme-id]` (SX, ELC), search `ul[data-e2e="scroll-list"] li` (WS DouYinSearch.ts). */
  card: '.discover-video-card-item[data-aweme-id], [data-e2e="scroll-list"] > li',
  /** Card title: the hashed `.tpc3FG9j` (SX, one build) or `video-title` (unverified). */
  cardTitle: ['.tpc3FG9j', '[data-e2e="video-title"]'],
  /** Card author: the hashed `.hNV3zCze` (SX), else the card's profile link. */
  cardAuthor: ['.hNV3zCze a[href*="/user/"]', 'a.hNV3zCze', 'a[href*="/user/"]'],
  /** A profile's own posts: cards there without an author line are the profile owner's (guess). */
  ownPosts: '[data-e2e="user-post-list"]',
  /** Profile header (WS DouYinUser.ts, DouYinUserBlockInfo.ts); name = first `h1` (UTags). */
  profile: '[data-e2e="user-detail"] [data-e2e="user-info"]',
  profileName: ['h1'],
  /** Profile bio: no source names it (guess). */
  bio: ['[data-e2e="user-info-desc"]', '[class*="signature"]'],
  reportLabels: ['举报'],
  /** A comment's and a profile's ··· menu (guess: no source describes them). */
  reportAreas: '.comment-more-menu',
  /**
   * The player's right-click menu holds 举报; it renders only on right-click, positioned by inline
   * style inside `.basePlayerContainer` (WS DouYinVideoBlock_RightMenu.ts).
   */
  player: '.basePlayerContainer',
  playerMenu: '.basePlayerContainer div[style*="top:"][style*="left:"]',
};

/**
 * The hidden copies of the first comments (U4) are 0×0 boxes: the first this many comment items a
 * scan meets are measured (reading a box forces layout, so not every item of a 5,000-item page).
 */
const MEASURED_COMMENTS = 24;

/** @mentions and user links inside text are other people's names, not the author's words. */
const ignore = ['a.mention', 'a[href*="/user/"]'];

const items = itemBlocks({
  selectors,
  authorOf,
  owner: (page, name) => {
    const owner = pageOwner(page);
    return owner ? account(owner, name) : null;
  },
  cardId: (card) => card.getAttribute('data-aweme-id') ?? linkedId(card, itemIdOf),
  query: descendants,
  commentBody,
  parent: parentComment,
  reportMenu: (scope, kind) => {
    const player = kind === 'post' ? scope.querySelector(selectors.player) : null;
    return player
      ? menuReport(player, selectors.playerMenu, selectors.reportLabels, {
          open: 'contextmenu',
          near: scope,
        })
      : null;
  },
});

export const douyin: SiteAdapter = {
  id: 'douyin',
  matches: platformMatches('douyin'),
  examples,
  ignore,
  selectors,
  pageKind,
  *blocks(root) {
    const found = new BlockSet();
    const page = pageUrl(root);
    const each = (selector: string) => select(root, selector, descendants);
    yield* found.readLazily(each(selectors.desc), (desc) => descBlock(desc, page));
    yield* found.readLazily(each(selectors.profile), (header) => items.bio(header, page));
    yield* found.readLazily(each(selectors.card), (card) => items.card(card, page));
    let measured = 0;
    const shown = (item: Element) => {
      if (!item.closest(selectors.commentScope)) return false;
      return measured++ >= MEASURED_COMMENTS || !isHiddenCopy(item);
    };
    yield* found.readLazily(each(selectors.comment), (item) =>
      shown(item) ? items.comment(item) : null,
    );
  },
};

/**
 * A 0×0 comment item in a laid-out list: one of the hidden pre-rendered copies (U4). Without
 * layout (a detached tree, a test DOM) every box is 0×0, so nothing counts as hidden there.
 */
function isHiddenCopy(item: Element): boolean {
  const list = item.closest(selectors.commentScope)?.getBoundingClientRect();
  if (!list || (list.width === 0 && list.height === 0)) return false;
  // A copied thread's replies have boxes of their own, clipped by the copy's 0×0 box.
  for (
    let n: Element | null | undefined = item;
    n;
    n = n.parentElement?.closest(selectors.comment)
  ) {
    const box = n.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) return true;
  }
  return false;
}

/**
 * A comment's own text, read as U2's extractor does: the first block beside its name line
 * (`.comment-item-info-wrap`) that is not the action row nor a reply list, whatever it is named.
 */
function commentBody(item: Element): Element | null {
  // The item's own name line comes before its replies' in document order: the first is almost
  // always it, and the full list is read only when it is not.
  const first = item.querySelector(selectors.commentInfo);
  const own = (e: Element) => e.closest(selectors.comment) === item;
  const info =
    first && own(first) ? first : [...item.querySelectorAll(selectors.commentInfo)].find(own);
  const row = info?.parentElement;
  if (!info || !row) return null;
  for (const part of row.children) {
    if (part === info || part.matches(selectors.commentStats)) continue;
    if (part.matches(selectors.comment) || part.querySelector(selectors.comment)) continue;
    if (textOf(part)) return part;
  }
  return null;
}

/**
 * The comment a reply answers. Replies sit in a reply container beside the main comment inside
 * one thread (U2), or inside the comment's own item: either way the thread, the list's child that
 * holds the item, starts with the comment it answers.
 */
function parentComment(item: Element): Element | null {
  let thread: Element = item;
  while (thread.parentElement && !thread.parentElement.matches(selectors.commentScope)) {
    thread = thread.parentElement;
  }
  if (!thread.parentElement) return null;
  const first = thread.matches(selectors.comment)
    ? thread
    : thread.querySelector(selectors.comment);
  return first && first !== item ? first : null;
}

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
  const id =
    awemeId(desc) ?? (item && awemeIdIn(item)) ?? itemIdOf(page) ?? `h${hash(textOf(desc))}`;
  return items.post(desc, 'post', id, scope);
}

function authorOf(link: Element | null | undefined): Author {
  return linkAuthor(link, accountId, account);
}

function account(id: string, name: string): Account {
  return namedAccount('douyin', id, name, `https://www.douyin.com/user/${id}`);
}

function accountId(url: URL | null): string | null {
  if (!url || !urls.host.test(url.hostname)) return null;
  const id = urls.account.exec(url.pathname)?.[1];
  return id && id !== 'self' ? id : null;
}

/** The sec_uid of the profile the page shows, from its own URL. */
function pageOwner(page: URL | null): string | null {
  if (!page || !urls.profile.test(page.pathname)) return null;
  return accountId(page);
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

/**
 * querySelectorAll, but "A B" is asked in two steps (A, then B inside each A). Chromium evaluates a
 * descendant selector asked of one element at a cost that grows with the element's position in a
 * long page (bench:page: 10 µs on the first comment, 62–107 µs on the 5,000th); two simple
 * queries cost 1–4 µs anywhere.
 */
function* descendants(root: ParentNode, selector: string): Generator<Element> {
  const split = /[,>+~]/.test(selector) ? -1 : selector.lastIndexOf(' ');
  const head = selector.slice(0, split);
  const insideBrackets = head.split('[').length !== head.split(']').length;
  if (split <= 0 || insideBrackets) {
    yield* root.querySelectorAll(selector);
    return;
  }
  const outer = selector.slice(0, split).trim();
  const inner = selector.slice(split + 1).trim();
  // `A B` asked of an element also matches when A is the element or one of its ancestors.
  if (isElement(root) && root.closest(outer)) {
    yield* root.querySelectorAll(inner);
    return;
  }
  // A scope inside an earlier one adds nothing: the earlier one's matches hold its matches.
  let covering: Element | null = null;
  for (const scope of root.querySelectorAll(outer)) {
    if (covering?.contains(scope)) continue;
    covering = scope;
    yield* scope.querySelectorAll(inner);
  }
}

/**
 * Douyin (抖音): video/note descriptions, 精选 and search cards, profile bios, comments and replies.
 * Hooks are data-e2e attributes, aweme ids and /user/<sec_uid> links; hashed classes (`.tpc3FG9j`)
 * only as a last resort. DOM facts and sources: ../shared/domain/platforms.md §1, §2.1.
 * Evidence for each selector: ../shared/domain/dom-evidence.md §1.
 */
import type { Account, PageKind, SiteAdapter, SiteExample, TextBlock } from './adapter';
import {
  BlockSet,
  hash,
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
  /** Description of a video or image note: detail page, feed slide, modal (SX-dy, WS-dy-filter). */
  desc: '[data-e2e="video-desc"]',
  /** The item a description sits in; its author and 举报 are found inside it, outside comments. */
  item: '[data-e2e="video-detail"], [data-e2e="note-detail"], [data-e2e="feed-active-video"], [data-e2e="feed-item"], .sliderVideo',
  /** Attributes that carry the aweme id (`.sliderVideo` also has a `video_<id>` class). */
  awemeIdAttributes: ['data-e2e-aweme-id', 'data-e2e-vid', 'data-aweme-id'],
  /** Where the item's author link is. */
  postAuthor: [
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
  /** Attributes that carry the comment id. */
  commentId: ['data-cid', 'data-comment-id', 'data-id'],
  /** Label of the platform's own report control (player menu, comment menu). */
  reportLabels: ['举报'],
  /** The menus it sits in: the player's ··· menu, a comment's and a profile's ··· menu. */
  reportAreas: '.player-more-menu, .comment-more-menu',
};

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
    yield* found.readLazily(each(selectors.comment), items.comment);
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

/**
 * Kuaishou (快手): short-video captions, video cards, profile bios, comments and replies.
 * Accounts are keyed by the /profile/<userId> path. Evidence for each selector, cited beside it:
 * ../shared/domain/dom-evidence.md §2 (the U15 MediaCrawler-fork extractor, U16 Selenium bot,
 * U17 detail extractor) and ../shared/domain/platforms.md §2.2; cards, the profile header and 举报
 * have no source and are marked "guess".
 */
import type { Account, PageKind, SiteAdapter, SiteExample, TextBlock } from './adapter';
import {
  BlockSet,
  hash,
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
  /**
   * The detail's info panel `.short-video-info-container` (U17, U16): its title `.video-info-title`
   * and its description `.short-video-info-container-detail` (U17; `> p` in U16).
   */
  captionScope: '.short-video-info-container',
  caption:
    '.short-video-info-container .video-info-title, .short-video-info-container .short-video-info-container-detail',
  captionTitle: '.video-info-title',
  /** The author's name `.profile-user-name-title` (U17), inside its profile link (guess). */
  postAuthor: [
    '.profile-user-name-title',
    '.profile-user a.profile-user-name',
    'a[href*="/profile/"]',
  ],
  /** Comment and reply items in `div.comment-container.vertical-comment` (U15, U16). */
  comment: '.comment-item.comment-list-item',
  /** `.author-name`; `.comment-item-author a[href]` → /profile/<id> (U15). */
  commentAuthor: [
    '.comment-item-author a.author-name',
    '.comment-item-author a[href*="/profile/"]',
    'a[href*="/profile/"]',
  ],
  /** `.comment-item-content`, `div.comment-item-content > span` (U15, U16). */
  commentText: ['.comment-item-content'],
  /** No source shows a comment id in the DOM (U15 takes ids from hrefs): read one if present, else hash. */
  commentId: ['data-comment-id', 'data-id'],
  /** Video cards on the home feed, search and profile pages (guess). */
  card: '.video-card',
  cardTitle: ['.video-card-title', '.video-info-title'],
  cardAuthor: ['.video-card-author a[href*="/profile/"]', 'a[href*="/profile/"]'],
  /** A profile's own videos: cards there without an author line are the owner's (guess). */
  ownPosts: '.user-photo-list',
  /** Profile header (guess). */
  profile: '.user-detail',
  profileName: ['.user-name'],
  bio: ['.user-desc'],
  reportLabels: ['举报'],
  /** The ··· menus of videos and profiles, and a comment's action row (guess). */
  reportAreas: '.more-menu, .comment-item-footer',
};

/** @mentions inside text are other people's names, not the author's words. */
const ignore = ['a.mention', 'a[href*="/profile/"]'];

const items = itemBlocks({
  selectors,
  authorOf,
  owner: (page, name) => {
    const owner = pageOwner(page);
    return owner ? account(owner, name) : null;
  },
  cardId: (card) => linkedId(card, (url) => urls.video.exec(url.pathname)?.[1]),
});

export const kuaishou: SiteAdapter = {
  id: 'kuaishou',
  matches: platformMatches('kuaishou'),
  examples,
  ignore,
  selectors,
  pageKind,
  *blocks(root) {
    const found = new BlockSet();
    const page = pageUrl(root);
    yield* found.readLazily(select(root, selectors.caption), (caption) =>
      captionBlock(caption, page),
    );
    yield* found.readLazily(select(root, selectors.profile), (header) => items.bio(header, page));
    yield* found.readLazily(select(root, selectors.card), (card) => items.card(card, page));
    yield* found.readLazily(select(root, selectors.comment), items.comment);
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

/** The video's title (a title block) or description (its post block), keyed by the video id. */
function captionBlock(caption: Element, page: URL | null): TextBlock | null {
  if (!textOf(caption)) return null;
  const scope = caption.closest(selectors.captionScope) ?? caption;
  const id = (page && urls.video.exec(page.pathname)?.[1]) ?? `h${hash(textOf(caption))}`;
  const kind = caption.matches(selectors.captionTitle) ? 'title' : 'post';
  return items.post(caption, kind, id, scope);
}

function authorOf(link: Element | null | undefined): Author {
  return linkAuthor(link, accountId, account);
}

function account(id: string, name: string): Account {
  return namedAccount('kuaishou', id, name, `https://www.kuaishou.com/profile/${id}`);
}

function accountId(url: URL | null): string | null {
  if (!url || !urls.host.test(url.hostname)) return null;
  return urls.account.exec(url.pathname)?.[1] ?? null;
}

/** The user id of the profile the page shows, from its own URL. */
function pageOwner(page: URL | null): string | null {
  if (!page || !urls.profile.test(page.pathname)) return null;
  return accountId(page);
}

/**
 * Toutiao (今日头条): article titles and bodies, 微头条 posts, video titles, feed and search cards,
 * profile bios, comments and replies. Accounts are the /c/user/token/<token>/ path (a ByteDance
 * sec-uid). Only the feed card DOM has a public source (../shared/domain/platforms.md §2.7); the rest is guessed.
 * Evidence for each selector: ../shared/domain/dom-evidence.md §7.
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
  postAuthor: [
    '.article-meta .name a[href*="/c/user/"]',
    '.author-info a.user-name[href*="/c/user/"]',
    '.author-info a[href*="/c/user/"]',
  ],
  /** Comments and their replies, nested in `.reply-list` (guessed). */
  comment: '.comment-list .comment-item',
  commentAuthor: ['a.user-name[href*="/c/user/"]', 'a[href*="/c/user/"]'],
  commentText: ['.comment-content'],
  commentId: ['data-comment-id', 'data-id'],
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
  reportLabels: ['举报'],
  /** The report buttons of articles, posts and comments, and the profile's ··· menu (guessed). */
  reportAreas: '.report, .more-menu',
};

/** @mentions inside text are other people's names, not the author's words. */
const ignore = ['a.mention', 'a[href*="/c/user/"]'];

const items = itemBlocks({
  selectors,
  authorOf,
  owner: (page, name) => {
    const owner = pageOwner(page);
    return owner ? account(owner, name) : null;
  },
  cardId: (card) =>
    linkedId(card, (url) =>
      urls.host.test(url.hostname) ? urls.item.exec(url.pathname)?.[1] : null,
    ),
});

export const toutiao: SiteAdapter = {
  id: 'toutiao',
  matches: platformMatches('toutiao'),
  examples,
  ignore,
  selectors,
  pageKind,
  *blocks(root) {
    const found = new BlockSet();
    const page = pageUrl(root);
    yield* found.readLazily(select(root, selectors.title), (title) =>
      detailBlock(title, 'title', page),
    );
    yield* found.readLazily(select(root, selectors.body), (body) =>
      detailBlock(body, 'post', page),
    );
    yield* found.readLazily(select(root, selectors.profile), (header) => items.bio(header, page));
    yield* found.readLazily(select(root, selectors.card), (card) => items.card(card, page));
    yield* found.readLazily(select(root, selectors.comment), items.comment);
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
  if (!textOf(element)) return null;
  const scope = element.closest(selectors.detail) ?? element;
  const id = (page && urls.item.exec(page.pathname)?.[1]) ?? `h${hash(textOf(element))}`;
  return items.post(element, kind, id, scope);
}

interface UserRef {
  id: string;
  /** Whether the id is a sec-uid token (`/c/user/token/…`) or an old numeric id. */
  token: boolean;
}

function authorOf(link: Element | null | undefined): Author {
  return linkAuthor(link, userRef, account);
}

function account(ref: UserRef, name: string): Account {
  const url = `https://www.toutiao.com/c/user/${ref.token ? 'token/' : ''}${ref.id}/`;
  return namedAccount('toutiao', ref.id, name, url);
}

function userRef(url: URL | null): UserRef | null {
  if (!url || !urls.host.test(url.hostname)) return null;
  const match = urls.account.exec(url.pathname);
  return match?.[2] ? { id: match[2], token: Boolean(match[1]) } : null;
}

/** The account of the profile the page shows, from its own URL. */
function pageOwner(page: URL | null): UserRef | null {
  return page && urls.profile.test(page.pathname) ? userRef(page) : null;
}

/**
 * Toutiao (今日头条): article titles and bodies, 微头条 posts, video titles, feed and search cards,
 * profile bios, comments and replies. Accounts are the /c/user/token/<token>/ path (a ByteDance
 * sec-uid). Evidence for each selector, cited beside it: ../shared/domain/dom-evidence.md §7
 * (UTags 041-toutiao.com.ts, the U18 comment crawler, U19/U20 article captures) and
 * ../shared/domain/platforms.md §2.7; what no source names is marked "guess".
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
  // UTags treats /trending/<id> like /article/<id> (dom-evidence.md §7 summary).
  { url: 'https://www.toutiao.com/trending/7300000000000000502/', kind: 'article' },
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
  article: /^\/(?:(?:item|article|group|trending)\/|a)(\d+)\/?$/,
  post: /^\/w\/a?(\d+)\/?$/,
  video: /^\/video\/(\d+)\/?$/,
  profile: /^\/c\/user\/(?:token\/)?([\w-]+)\/?$/,
  search: /^\/search\/?$/,
  feed: /^\/(?:ch\/[\w-]+\/?)?$/,
  /** `/c/user/token/<token>/`; the older `/c/user/<numeric id>/`. */
  account: /^\/c\/user\/(token\/)?([\w-]+)/,
  /** Any item link: article, 微头条, video. */
  item: /^\/(?:(?:item|article|group|trending|w|video)\/|a)(\d+)/,
};

const selectors = {
  /** A detail page's main column: its author and 举报 are found inside, outside comments (guess). */
  detail: '.main-content',
  /** Article title `.article-content h1` (UTags, U19); video title `.ttp-video-extras-title h1` (UTags). */
  title: '.article-content h1, .ttp-video-extras-title h1',
  /** Article body `article.syl-article-base` (U19, U20); 微头条 text `.wtt-content` (guess). */
  body: 'article.syl-article-base, .wtt-content',
  postAuthor: [
    // `.article-meta <span class="name"><a href="/c/user/token/MS4w…/">` (U20, U19).
    '.article-meta .name a[href*="/c/user/"]',
    // `div[aria-label="作者信息"] a.user-name` (a public scraper).
    '[aria-label="作者信息"] a.user-name[href*="/c/user/"]',
    // Video and 微头条 bylines (guess).
    '.author-info a.user-name[href*="/c/user/"]',
    '.author-info a[href*="/c/user/"]',
  ],
  /** Comments: `.comment-info` items in `.ttp-comment-wrapper` (U18, U19). */
  comment: '.ttp-comment-wrapper .comment-info',
  /** Replies: the `.comment-info` items of a parent's `.replay-list` (U18). */
  reply: '.replay-list .comment-info',
  replyList: '.replay-list',
  /**
   * `.name` inside `.comment-info` (U18, which did not capture its link target): the name as a
   * profile link or holding one, else any profile link in the item. A bare name keys no account.
   */
  commentAuthor: ['a.name[href*="/c/user/"]', '.name a[href*="/c/user/"]', 'a[href*="/c/user/"]'],
  /** `.content` inside `.comment-info` (U18). No comment id in the DOM: keys are author+text hashes. */
  commentText: ['.content'],
  /** Feed cards `.feed-card-wrapper … a.title` (TT-puppeteer, TT-fishx); search results (guess). */
  card: '.feed-card-wrapper, .result-content',
  cardTitle: ['.feed-card-article-l a.title', 'a.title', '.cs-header a'],
  cardAuthor: [
    'a.feed-card-footer-cmp-author[href*="/c/user/"]',
    '.cs-source a[href*="/c/user/"]',
    'a[href*="/c/user/"]',
  ],
  /** A profile's own feed: cards there without an author line are the owner's (guess). */
  ownPosts: '.profile-feed-list',
  /** Profile header `.profile-info-wrapper` with `.name` (UTags); the bio class is a guess. */
  profile: '.profile-info-wrapper',
  profileName: ['.name'],
  bio: ['.user-desc', '.desc'],
  reportLabels: ['举报'],
  /** Report buttons and the profile's ··· menu (guess: no source names Toutiao's 举报). */
  reportAreas: '.report, .more-menu',
};

/** @mentions inside text are other people's names, not the author's words. */
const ignore = ['a.mention', 'a[href*="/c/user/"]'];

const items = itemBlocks({
  selectors,
  authorOf,
  parent: parentComment,
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

/**
 * The comment a reply answers: the `.comment-info` holding the reply's `.replay-list`, or the one
 * beside that list in the thread (U18's selectors fit both nestings).
 */
function parentComment(item: Element): Element | null {
  const list = item.closest(selectors.replyList);
  if (!list) return null;
  const holder = list.parentElement?.closest('.comment-info');
  if (holder) return holder;
  for (let n = list.previousElementSibling; n; n = n.previousElementSibling) {
    if (n.matches('.comment-info')) return n;
    const inner = [...n.querySelectorAll('.comment-info')].find(
      (c) => !c.closest(selectors.replyList),
    );
    if (inner) return inner;
  }
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

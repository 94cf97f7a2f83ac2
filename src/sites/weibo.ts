/**
 * Weibo (微博): weibo.com feed, post detail and profile; s.weibo.com search; m.weibo.cn detail.
 * Hooks are the `usercard` attribute, /u/<uid> links, the time link's /<uid>/<mblogid> href and
 * `wbpro-*` / `woo-*` classes; CSS-module classes (`_wbtext_1h76l_19`) only by their stable stem
 * (`[class*="_wbtext_"]`).
 *
 * The PC feed is a vue-recycle-scroller that reuses item nodes for other posts, so every key and
 * author is read from the item's current content on each call and never cached per node.
 * Evidence for each selector, cited beside it: ../shared/domain/dom-evidence.md §3 (SX, YF, UTags,
 * WS, ELC, U6–U8) and ../shared/domain/platforms.md §2.3; what no source names is marked "guess".
 */
import type { Account, PageKind, SiteAdapter, SiteExample, TextBlock } from './adapter';
import {
  attr,
  BlockSet,
  firstNamed,
  firstOf,
  hash,
  hrefOf,
  isNamed,
  menuReport,
  reportControl,
  linkUrl,
  pageUrl,
  textOf,
  within,
  namedAccount,
} from './dom';
import { platformMatches } from './platforms';

const examples: readonly SiteExample[] = [
  { url: 'https://weibo.com/', kind: 'feed', fixture: 'weibo/index.html' },
  { url: 'https://weibo.com/mygroups?gid=4012345678901234', kind: 'feed' },
  {
    url: 'https://weibo.com/1234567890/N8abcDEF1',
    kind: 'post',
    fixture: 'weibo/1234567890/N8abcDEF1.html',
  },
  // Same fixture folder as m.weibo.cn/detail: a different id keeps the two apart.
  { url: 'https://weibo.com/detail/5012345678900001', kind: 'post' },
  { url: 'https://weibo.com/u/7000000001', kind: 'profile', fixture: 'weibo/u/7000000001.html' },
  { url: 'https://weibo.com/1234567890', kind: 'profile' },
  {
    url: 'https://s.weibo.com/weibo?q=%E5%BE%81%E4%BF%A1%E4%BF%AE%E5%A4%8D',
    kind: 'search',
    fixture: 'weibo/weibo.html',
  },
  {
    url: 'https://m.weibo.cn/detail/5012345678901234',
    kind: 'post',
    fixture: 'weibo/detail/5012345678901234.html',
  },
  { url: 'https://m.weibo.cn/status/N8mobiLE2', kind: 'post' },
  { url: 'https://m.weibo.cn/u/7000000002', kind: 'profile' },
  { url: 'https://m.weibo.cn/profile/7000000002', kind: 'profile' },
];

/** URL patterns (SX-wb, MC-url, WS-mwb-router). */
const urls = {
  pc: /^(?:www\.)?weibo\.com$/,
  search: /^s\.weibo\.com$/,
  mobile: /^m\.weibo\.cn$/,
  pcFeed: /^\/(?:mygroups|hot(?:\/[\w-]+)*)?\/?$/,
  /** `/<uid>/<mblogid>` (base62, 9 characters) or `/<uid>/<mid>` (numeric). */
  pcPost: /^\/(\d{5,})\/([0-9A-Za-z]{8,10}|\d{15,17})\/?$/,
  detail: /^\/(?:detail|status)\/([0-9A-Za-z]+)\/?$/,
  pcProfile: /^\/(?:u\/)?(\d{5,})\/?$/,
  mobileProfile: /^\/(?:u|profile)\/(\d{5,})\/?$/,
  searchPath: /^\/(?:weibo|realtime|topic|user|video|pic|article)(?:\/|$)/,
  mobileSearch: /^\/search\/?$/,
  /** Links to an account: /u/<uid>, /profile/<uid> (m.weibo.cn) or /<uid> (search results). */
  account: /^\/(?:u\/|profile\/)?(\d{5,})\/?$/,
  /** A post link: /<uid>/<mblogid>, also with ?refer_flag. */
  postLink: /^\/(\d{5,})\/([0-9A-Za-z]{8,10}|\d{15,17})\/?$/,
  uid: /^\d{5,}$/,
};

const selectors = {
  /** PC post text `._wbtext_1h76l_19` by its stem, main or retweeted (SX; public CSS). */
  pcText: '[class*="_wbtext_"]',
  /** Fallback when the stem changes: `.wbpro-feed-content`'s text wrappers (SX, JS-wb). */
  pcTextWrap: '.wbpro-feed-ogText, .wbpro-feed-reText',
  /** The post an item view shows: `.wbpro-scroller-item`, `.vue-recycle-scroller__item-view` (SX, ELC). */
  pcItem: 'article, .wbpro-scroller-item, .vue-recycle-scroller__item-view',
  /** The retweeted original inside a post: `[class*="_reText_"]` areas (SX), the retweet box (JS-wb). */
  retweet: ['[class*="Feed_retweet_"]', '.wbpro-feed-reText'],
  /** The time link of a post `a[class*="_time_1tpft_33"]`: its href is /<uid>/<mblogid> (SX). */
  timeLink: 'a[class*="_time_"]',
  /** `.woo-avatar-main[usercard]`, `a[href*="/u/"]`, `a[usercard]` (SX); /profile/ on m.weibo.cn (WS). */
  author: ['a[usercard]', '[usercard]', 'a[href*="/u/"]', 'a[href*="/profile/"]'],
  /** Old UI: `.layer_menu_list a[onclick*="service.account.weibo.com/reportspam"]` (YF clean/feed.js). */
  reportLink: 'a[href*="reportspam"], a[onclick*="reportspam"]',
  reportLabels: ['投诉', '举报'],
  /** The menus it sits in: the new UI's morepop (YF x-morepop), s.weibo.com's `fl_menu_right`. */
  reportMenu: '.woo-pop-wrap-main, [class*="morepop_"], [node-type="fl_menu_right"]',
  /** The new UI's "…" button `._more_1v5ao_27`, by its stem: it builds the morepop on click (YF, SX). */
  moreButton: ['[class*="_more_"][role="button"]', 'button[class*="_more_"]', '[class*="_more_"]'],
  /** PC comments `.wbpro-list .item1`, replies `.wbpro-list > .list2 > .item2` (SX, U6, U7). */
  pcComment: '.wbpro-list .item1, .wbpro-list .item2',
  /** `.item1 > .item1in .text`: `> a[href*="/u/"]` the author, `> span` the words (U6). */
  pcCommentText: '.text',
  /** The comment a reply answers: the `.item1` of the reply's `.wbpro-list` (U7). */
  pcCommentList: '.wbpro-list',
  /** PC profile header `[class^="ProfileHeader_name_"]` (UTags, U8), bio `ProfileHeader_desc_*` (U8). */
  profileBio: '[class*="ProfileHeader_desc"]',
  profileName: ['[class*="ProfileHeader_name"]'],
  /** s.weibo.com results `.card-wrap`, `p[node-type="feed_list_content(_full)"]`, `.info .name`, `.from a` (ELC, scrapers). */
  searchCard: '.card-wrap[mid], [action-type="feed_list_item"]',
  searchText: 'p[node-type="feed_list_content"], p[node-type="feed_list_content_full"]',
  searchFull: 'p[node-type="feed_list_content_full"]',
  searchShort: 'p[node-type="feed_list_content"]',
  searchAuthor: ['a.name', '.avator a[href]'],
  searchPostLink: '.from a[href]',
  /** m.weibo.cn detail `article.weibo-main .weibo-og .weibo-text`, `.card.m-panel` (WS WeiBoDetail.ts, scrapers). */
  mobileText: '.weibo-og > .weibo-text, .weibo-main .weibo-og .weibo-text',
  /** The card a post sits in, outermost first (its header holds the author). */
  mobileItem: ['.card.m-panel', '.card9', '.weibo-main'],
  mobileAuthor: ['header a[href*="/profile/"]', 'header a[href*="/u/"]'],
  /** `.lite-page-comment .card .card-main .m-box` (WS); text `.m-text-box h3` (one scraper: weak). */
  mobileComment: '.lite-page-comment .card, .comment-content .card',
  mobileCommentText: ['.card-main h3', '.m-text-box h3'],
};

/**
 * @mentions (`<a href="/n/name" usercard="name=…">@name</a>`) and the 展开/收起 toggles inside
 * post text are not the author's words.
 */
const ignore = [
  'a[href*="/n/"]',
  'a[usercard^="name="]',
  'span.expand',
  'span.collapse',
  'a[action-type="fl_unfold"]',
  'a[action-type="fl_fold"]',
];

export const weibo: SiteAdapter = {
  id: 'weibo',
  matches: platformMatches('weibo'),
  examples,
  ignore,
  selectors,
  pageKind,
  *blocks(root) {
    const found = new BlockSet();
    const page = pageUrl(root);
    yield* found.readLazily(within(root, selectors.profileBio), (bio) => bioBlock(bio, page));
    const seen = new Set<Element>();
    yield* found.readLazily(within(root, `${selectors.pcText}, ${selectors.pcTextWrap}`), (text) =>
      pcPostBlock(text, page, seen),
    );
    yield* found.readLazily(within(root, selectors.pcComment), pcCommentBlock);
    yield* found.readLazily(within(root, selectors.searchText), (text) => searchBlock(text, seen));
    yield* found.readLazily(within(root, selectors.mobileText), (text) =>
      mobilePostBlock(text, page),
    );
    yield* found.readLazily(within(root, selectors.mobileComment), mobileCommentBlock);
  },
};

function pageKind(url: URL): PageKind | null {
  const host = url.hostname;
  const path = url.pathname;
  if (urls.pc.test(host)) {
    if (urls.pcFeed.test(path)) return 'feed';
    if (urls.detail.test(path) || urls.pcPost.test(path)) return 'post';
    if (urls.pcProfile.test(path)) return 'profile';
    return null;
  }
  if (urls.search.test(host)) return urls.searchPath.test(path) ? 'search' : null;
  if (urls.mobile.test(host)) {
    if (path === '/') return 'feed';
    if (urls.detail.test(path)) return 'post';
    if (urls.mobileProfile.test(path)) return 'profile';
    if (urls.mobileSearch.test(path)) return 'search';
  }
  return null;
}

/** A PC post (or the retweeted original inside it) from one of its text elements. */
function pcPostBlock(text: Element, page: URL | null, seen: Set<Element>): TextBlock | null {
  if (text.closest('.wbpro-list')) return null;
  // The hashed text div sits inside the wrapper; read each post once, from its innermost text.
  if (text.matches(selectors.pcTextWrap) && text.querySelector(selectors.pcText)) return null;
  const region = closestOf(text, selectors.retweet);
  const item = region ?? text.closest(selectors.pcItem);
  if (!item || seen.has(item)) return null;
  seen.add(item);
  const texts = region
    ? [...region.querySelectorAll(selectors.pcText)]
    : [...item.querySelectorAll(selectors.pcText)].filter((t) => !insideRetweet(t, item));
  const body = texts.length ? texts : [text];
  const outside = (found: Element) =>
    !body.some((t) => t.contains(found)) && (region !== null || !insideRetweet(found, item));
  const time = [...item.querySelectorAll(selectors.timeLink)].find(outside);
  const id =
    postIdOfLink(time) ??
    attr(item, ['mid', 'data-mid', 'data-mblogid']) ??
    (region ? null : pagePostId(page)) ??
    `h${hash(body.map(textOf).join('\n'))}`;
  const link = firstNamed(item, selectors.author, outside);
  const report = region ? null : reportEntry(item, outside, [...body, link]);
  const more =
    region || report
      ? null
      : selectors.moreButton
          .map((b) => [...item.querySelectorAll(b)].find(outside))
          .find((b) => b !== undefined);
  return {
    key: `post:${id}`,
    kind: 'post',
    element: item,
    text: body,
    ...authorOf(link),
    ...(report ? { reportEntry: report } : {}),
    ...(more
      ? {
          reportMenu: menuReport(more, selectors.reportMenu, selectors.reportLabels, {
            near: item,
            anywhere: true,
          }),
        }
      : {}),
  };
}

function insideRetweet(element: Element, item: Element): boolean {
  const region = closestOf(element, selectors.retweet);
  return region !== null && region !== item && item.contains(region);
}

function pcCommentBlock(item: Element): TextBlock | null {
  const own = (found: Element) => found.closest('.item1, .item2') === item;
  const line = [...item.querySelectorAll(selectors.pcCommentText)].find(own);
  if (!line) return null;
  // `<div class="text"><a usercard>name</a>:<span>words</span></div>`
  const body = commentWords(item) ?? [line];
  const link = firstNamed(line, selectors.author, (found) => !body.some((t) => t.contains(found)));
  const who = authorOf(link);
  const id =
    attr(item, ['comment_id', 'data-id', 'data-cid', 'mid']) ??
    `h${hash(`${who.author?.id ?? ''}\n${body.map(textOf).join('\n')}`)}`;
  const reply = item.matches('.item2');
  return {
    key: `comment:${id}`,
    kind: reply ? 'reply' : 'comment',
    element: item,
    text: body,
    ...who,
    // A reply is read with the comment it answers (looked up only for replies, when asked).
    ...(reply
      ? {
          get context() {
            const parent = parentComment(item);
            const text = parent && commentWords(parent);
            return text && text.length ? text : undefined;
          },
        }
      : {}),
  };
}

/** The `.item1` a reply answers: beside its `.list2` in one `.wbpro-list`, or around it. */
function parentComment(reply: Element): Element | null {
  const list = reply.closest(selectors.pcCommentList);
  const beside = list && [...list.children].find((c) => c.matches('.item1'));
  return beside ?? reply.parentElement?.closest('.item1') ?? null;
}

/** A comment's own words: the spans of its `.text` line (not its name), else the whole line. */
function commentWords(item: Element): Element[] | null {
  const own = (found: Element) => found.closest('.item1, .item2') === item;
  const line = [...item.querySelectorAll(selectors.pcCommentText)].find(own);
  if (!line) return null;
  const words = [...line.children].filter((c) => c.tagName === 'SPAN');
  return words.length ? words : [line];
}

function bioBlock(bio: Element, page: URL | null): TextBlock | null {
  // The header is the nearest ancestor that also shows the name.
  let header: Element | null = bio.parentElement;
  while (header && !firstOf(header, selectors.profileName)) header = header.parentElement;
  if (!header) return null;
  const name = firstOf(header, selectors.profileName);
  const fromCard = header.querySelector('[usercard]');
  const uid =
    (page && urls.pcProfile.exec(page.pathname)?.[1]) ??
    (page && urls.mobileProfile.exec(page.pathname)?.[1]) ??
    (fromCard && uidOfCard(fromCard.getAttribute('usercard')));
  if (!uid) return null;
  return {
    key: `bio:${uid}`,
    kind: 'bio',
    element: bio,
    text: [bio],
    author: account(uid, name ? textOf(name) : ''),
    ...(name ? { authorElement: name } : {}),
  };
}

/** An s.weibo.com result card: the full text when the page has it, else the preview. */
function searchBlock(text: Element, seen: Set<Element>): TextBlock | null {
  const card = text.closest(selectors.searchCard);
  if (!card || seen.has(card)) return null;
  seen.add(card);
  const body =
    card.querySelector(selectors.searchFull) ?? card.querySelector(selectors.searchShort);
  if (!body) return null;
  const link = firstNamed(card, selectors.searchAuthor, isNamed);
  const id =
    postIdOfLink(card.querySelector(selectors.searchPostLink)) ??
    card.getAttribute('mid') ??
    `h${hash(textOf(body))}`;
  const report =
    card.querySelector(selectors.reportLink) ??
    reportControl(card, selectors.reportMenu, selectors.reportLabels, [body, link]);
  return {
    key: `post:${id}`,
    kind: 'post',
    element: card,
    text: [body],
    ...authorOf(link),
    ...(report ? { reportEntry: report } : {}),
  };
}

function mobilePostBlock(text: Element, page: URL | null): TextBlock | null {
  const item = closestOf(text, selectors.mobileItem) ?? text;
  const link = firstNamed(item, selectors.mobileAuthor, isNamed);
  const who = authorOf(link);
  const single = page && urls.mobile.test(page.hostname) ? urls.detail.exec(page.pathname) : null;
  const id = single?.[1] ?? `h${hash(`${who.author?.id ?? ''}\n${textOf(text)}`)}`;
  return { key: `post:${id}`, kind: 'post', element: item, text: [text], ...who };
}

function mobileCommentBlock(item: Element): TextBlock | null {
  const body = firstOf(item, selectors.mobileCommentText);
  if (!body) return null;
  const link = firstNamed(item, selectors.author, (found) => !body.contains(found));
  const who = authorOf(link);
  const id = `h${hash(`${who.author?.id ?? ''}\n${textOf(body)}`)}`;
  return { key: `comment:${id}`, kind: 'comment', element: item, text: [body], ...who };
}

/** The report control of a post: the menu's reportspam link or its 投诉/举报 item. */
function reportEntry(
  item: Element,
  accept: (e: Element) => boolean,
  userContent: readonly (Element | null)[],
): Element | null {
  const link = [...item.querySelectorAll(selectors.reportLink)].find(accept);
  if (link) return link;
  return reportControl(item, selectors.reportMenu, selectors.reportLabels, userContent, accept);
}

function authorOf(link: Element | null | undefined): Pick<TextBlock, 'author' | 'authorElement'> {
  if (!link) return {};
  const uid = uidOf(link);
  if (!uid) return {};
  return { author: account(uid, textOf(link)), authorElement: link };
}

/** The uid of a user link or avatar: its `usercard`, else its own or enclosing link's href. */
function uidOf(element: Element): string | null {
  const card = uidOfCard(element.getAttribute('usercard'));
  if (card) return card;
  const url = linkUrl(element);
  if (!url || !/(^|\.)weibo\.(com|cn)$/.test(url.hostname)) return null;
  return urls.account.exec(url.pathname)?.[1] ?? null;
}

/** `usercard="1234567890"` (new UI) or `usercard="id=1234567890&…"` (old UI); `name=` has no id. */
function uidOfCard(value: string | null): string | null {
  if (!value) return null;
  if (urls.uid.test(value)) return value;
  const id = /(?:^|&)id=(\d{5,})(?:&|$)/.exec(value)?.[1];
  return id ?? null;
}

function account(uid: string, name: string): Account {
  return namedAccount('weibo', uid, name, `https://weibo.com/u/${uid}`);
}

/** The mblogid (or mid) a post link points at. */
function postIdOfLink(link: Element | null | undefined): string | null {
  const url = hrefOf(link);
  if (!url || !/(^|\.)weibo\.(com|cn)$/.test(url.hostname)) return null;
  return urls.postLink.exec(url.pathname)?.[2] ?? null;
}

/** The post a detail page shows, from its URL. */
function pagePostId(page: URL | null): string | null {
  if (!page) return null;
  return urls.pcPost.exec(page.pathname)?.[2] ?? urls.detail.exec(page.pathname)?.[1] ?? null;
}

/** The nearest ancestor matching the first of `candidates` that matches any. */
function closestOf(element: Element, candidates: readonly string[]): Element | null {
  for (const selector of candidates) {
    const found = element.closest(selector);
    if (found) return found;
  }
  return null;
}

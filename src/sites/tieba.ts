/**
 * Baidu Tieba (百度贴吧): thread titles, floors (楼层) and 楼中楼 replies, forum thread lists,
 * search results and profile bios of the legacy server-rendered PC pages, and the thread cards of
 * the 2026 PC layout (a Vue single-page app). Hooks are the `data-field` JSON on floors, 楼中楼
 * items and list items, /home/main?id=<portrait> links and, in the new layout, `.threadcardclass`
 * cards linking /p/<tid>. Evidence for each selector, cited beside it:
 * ../shared/domain/dom-evidence.md §8 (MKT, TBM, MediaCrawler's 2024 page captures and its 2026
 * rewrite, U21, WS) and ../shared/domain/platforms.md §2.8. No public source describes a 2026
 * thread (/p/<tid>) page yet: those pages are read only where they keep the legacy floors.
 */
import type { Account, PageKind, SiteAdapter, SiteExample, TextBlock } from './adapter';
import {
  BlockSet,
  firstNamed,
  firstOf,
  hash,
  menuReport,
  reportControl,
  pageUrl,
  parseUrl,
  stringOf,
  textOf,
  within,
  namedAccount,
} from './dom';
import { platformMatches } from './platforms';

const demoAgent = 'tb.1.leadguard.demo01';

const examples: readonly SiteExample[] = [
  {
    url: 'https://tieba.baidu.com/p/8912345678',
    kind: 'thread',
    fixture: 'tieba/p/8912345678.html',
  },
  { url: 'https://tieba.baidu.com/p/8912345678?pn=2', kind: 'thread' },
  {
    url: 'https://tieba.baidu.com/f?kw=%E4%BF%A1%E7%94%A8%E5%8D%A1&ie=utf-8',
    kind: 'forum',
    fixture: 'tieba/f.html',
  },
  {
    url: `https://tieba.baidu.com/home/main?id=${demoAgent}&fr=index`,
    kind: 'profile',
    fixture: 'tieba/home/main.html',
  },
  { url: 'https://tieba.baidu.com/home/main?un=someone&ie=utf-8', kind: 'profile' },
  {
    url: 'https://tieba.baidu.com/f/search/res?ie=utf-8&qw=%E5%81%9C%E6%81%AF%E6%8C%82%E8%B4%A6',
    kind: 'search',
    fixture: 'tieba/f/search/res.html',
  },
  // The 2026 layout (Vue SPA, `.threadcardclass` cards) at the same URL (dom-evidence.md §8).
  {
    url: 'https://tieba.baidu.com/f/search/res?ie=utf-8&qw=%E5%80%BA%E5%8A%A1%E4%BC%98%E5%8C%96',
    kind: 'search',
    fixture: 'tieba/f/search/res.2026.html',
  },
];

/** URL patterns (MKT-post, WS-tb-url, MC-tb-help). */
const urls = {
  host: /^tieba\.baidu\.com$/,
  thread: /^\/p\/(\d+)\/?$/,
  forum: /^\/f\/?$/,
  search: /^\/f\/search\/res\/?$/,
  profile: /^\/home\/main\/?$/,
  threadLink: /\/p\/(\d+)/,
  portrait: /^tb\.1\.[\w.-]+$/,
  userId: /^\d+$/,
};

const selectors = {
  /** `#j_core_title_wrap>.core_title_txt` (MKT, MC note_detail.html). */
  title: '.core_title_txt',
  /** Floors `#j_p_postlist>.l_post`, `.l_post.j_l_post` with `data-field` JSON (MKT, TBM, MC, ELC). */
  floor: '#j_p_postlist > .l_post[data-field], .l_post[data-field], .j_l_post[data-field]',
  /** `id="post_content_<pid>" class="d_post_content j_d_post_content"` (MC note_detail.html). */
  floorText: '.d_post_content',
  /** `a.p_author_name j_user_card` → /home/main?id=tb.1.… (MC, MKT, TBM `.p_author_name, .d_name a`). */
  floorAuthor: ['a.p_author_name', '.d_name a[href*="/home/main"]', 'a.p_author_face'],
  /** 楼中楼, lazily loaded (`.loading_reply` until then; MKT). */
  replyArea: '.core_reply_wrapper',
  /** `li.lzl_single_post j_lzl_s_p` with single-quoted `data-field` (MC note_sub_comments.html, MKT). */
  reply: '.core_reply_wrapper li[data-field], li.lzl_single_post[data-field]',
  replyText: '.lzl_content_main',
  /** `.lzl_cnt > a.j_user_card` (class `at j_user_card`; MC, TBM). */
  replyAuthor: ['.lzl_cnt a.j_user_card', 'a.j_user_card', 'a[href*="/home/main"]'],
  /** The floor a 楼中楼 item answers: the `.l_post` its reply area sits in. */
  floorItem: '.l_post',
  /** Forum thread list `li.j_thread_list … thread_item_box[data-field]` (MC tieba_note_list.html, MKT). */
  thread: '#thread_list > li.j_thread_list, li.thread_item_box, li.j_thread_list[data-field]',
  threadTitle: 'a.j_th_tit',
  threadText: '.threadlist_abs, .threadlist_text > div',
  /** `.tb_icon_author` holds the author's `frs-author-name` (`.tb_icon_author_rely` the last replier's). */
  threadAuthor: [
    '.tb_icon_author a.frs-author-name',
    'a.frs-author-name',
    '.threadlist_author a[href*="/home/main"]',
  ],
  /** Legacy search results `.s_post`, `.p_title a`, `.p_content` (MKT searchPage.ts, MC help.py). */
  result: '.s_post_list > .s_post, .s_post',
  resultTitle: '.p_title a',
  resultText: '.p_content',
  resultAuthor: 'a[href*="/home/main"]',
  /**
   * The 2026 layout's thread cards `.threadcardclass.thread-new3` (MC tests/test_tieba_extractor.py,
   * U21; `.scroll-list-wrapper .threadcardclass` on mobile, WS): link `a.action-link-bg[href*="/p/"]`,
   * title `.title-wrap`, abstract `.abstract-wrap`, author `.attention-wrap`.
   */
  card: '.threadcardclass',
  cardLink: 'a.action-link-bg[href*="/p/"]',
  cardTitle: '.title-wrap',
  cardText: '.abstract-wrap',
  cardAuthor: '.attention-wrap',
  /** Profile (guess: from the legacy i-home class names; MC moved creator pages to an API). */
  profileBio: '.userinfo_shortinfo, .ihome_aside_intro',
  profileName: ['.userinfo_username', '.userinfo_title'],
  profileThread: '#new_list > li, .new_list > li',
  profileThreadTitle: '.thread_name a, .title a',
  profileThreadText: '.n_txt',
  reportLabel: '举报',
  /** A floor's 举报 in its tail (`.post-tail-wrap`, `.j_jb_ele`; guess). */
  reportAreas: '.post-tail-wrap, .j_jb_ele, .lzl_content_reply',
  /** A 楼中楼 item's `<span class="lzl_jb" style="display:none;">`, filled on hover (MC). */
  replyReport: '.lzl_jb',
};

/** @mentions inside floors and 楼中楼 (`<a class="at">`), not the author's words. */
const ignore = ['.d_post_content a.at', '.lzl_content_main a.at'];

export const tieba: SiteAdapter = {
  id: 'tieba',
  matches: platformMatches('tieba'),
  examples,
  ignore,
  selectors,
  pageKind,
  *blocks(root) {
    const found = new BlockSet();
    const page = pageUrl(root);
    yield* found.readLazily(within(root, selectors.title), (title) => titleBlock(title, page));
    yield* found.readLazily(within(root, selectors.floor, selectors.replyArea), floorBlock);
    yield* found.readLazily(within(root, selectors.reply), replyBlock);
    yield* found.readLazily(within(root, selectors.thread), threadBlock);
    yield* found.readLazily(within(root, selectors.result), resultBlock);
    yield* found.readLazily(within(root, selectors.card), cardBlock);
    yield* found.readLazily(within(root, selectors.profileBio), (bio) => bioBlock(bio, page));
    yield* found.readLazily(within(root, selectors.profileThread), (item) =>
      profileThreadBlock(item, page),
    );
  },
};

function pageKind(url: URL): PageKind | null {
  if (!urls.host.test(url.hostname)) return null;
  const path = url.pathname;
  if (urls.thread.test(path)) return 'thread';
  if (urls.search.test(path)) return 'search';
  if (urls.forum.test(path)) return url.searchParams.get('kw') ? 'forum' : null;
  if (urls.profile.test(path)) {
    return url.searchParams.get('id') || url.searchParams.get('un') ? 'profile' : null;
  }
  return null;
}

interface FloorField {
  author?: { user_id?: number | string; user_name?: string; portrait?: string };
  content?: { post_id?: number | string; post_no?: number; thread_id?: number | string };
}

interface ReplyField {
  spid?: string | number;
  showname?: string;
  user_name?: string;
  portrait?: string;
}

interface ThreadField {
  id?: number | string;
  author_name?: string;
  author_nickname?: string;
  author_portrait?: string;
}

/**
 * `data-field` JSON. Floors use double quotes; 楼中楼 items single quotes (MKT-post: replace ' with "
 * before parsing).
 */
function field<T>(element: Element): T | null {
  const raw = element.getAttribute('data-field');
  if (!raw) return null;
  for (const text of [raw, raw.replace(/'/g, '"')]) {
    try {
      const value: unknown = JSON.parse(text);
      if (value && typeof value === 'object') return value as T;
    } catch {
      // Try the single-quoted form next.
    }
  }
  return null;
}

function floorBlock(floor: Element): TextBlock | null {
  const own = (e: Element) => e.closest('.l_post') === floor && !e.closest(selectors.replyArea);
  const body = [...floor.querySelectorAll(selectors.floorText)].find(own);
  if (!body) return null;
  const data = field<FloorField>(floor);
  const pid =
    stringOf(data?.content?.post_id) ??
    floor.getAttribute('data-pid') ??
    /^post_content_(\d+)$/.exec(body.id)?.[1];
  if (!pid) return null;
  const link = firstNamed(floor, selectors.floorAuthor, own);
  const who = authorOf(
    link,
    data?.author?.portrait,
    data?.author?.user_id,
    data?.author?.user_name,
  );
  const report = reportControl(
    floor,
    selectors.reportAreas,
    [selectors.reportLabel],
    [body, link],
    own,
  );
  return {
    key: `post:${pid}`,
    kind: data?.content?.post_no === 1 ? 'post' : 'comment',
    element: floor,
    text: [body],
    ...who,
    ...(report ? { reportEntry: report } : {}),
  };
}

function replyBlock(item: Element): TextBlock | null {
  const data = field<ReplyField>(item);
  const spid = stringOf(data?.spid);
  const body = item.querySelector(selectors.replyText);
  if (!spid || !body) return null;
  const own = (e: Element) => !body.contains(e);
  const link = firstNamed(item, selectors.replyAuthor, own);
  const who = authorOf(link, data?.portrait, undefined, data?.showname ?? data?.user_name);
  const report = reportControl(
    item,
    `${selectors.reportAreas}, ${selectors.replyReport}`,
    [selectors.reportLabel],
    [body, link],
    own,
  );
  // Empty until the item is hovered: the page fills its .lzl_jb then.
  const hover = report ? null : item.querySelector(selectors.replyReport);
  return {
    key: `comment:${spid}`,
    kind: 'reply',
    element: item,
    text: [body],
    ...who,
    ...(report ? { reportEntry: report } : {}),
    ...(hover
      ? {
          reportMenu: menuReport(item, selectors.replyReport, [selectors.reportLabel], {
            open: 'hover',
            near: item,
          }),
        }
      : {}),
    // Read with the floor it answers (looked up only when the scanner asks).
    get context() {
      const floor = item.closest(selectors.replyArea)?.closest(selectors.floorItem);
      const text = floor && ownFloorText(floor);
      return text ? [text] : undefined;
    },
  };
}

/** A floor's own text, not its 楼中楼's. */
function ownFloorText(floor: Element): Element | undefined {
  return [...floor.querySelectorAll(selectors.floorText)].find(
    (e) => e.closest(selectors.floorItem) === floor && !e.closest(selectors.replyArea),
  );
}

/**
 * A thread card of the 2026 layout. Its author is keyed only by a /home/main portrait link inside
 * `.attention-wrap`; a card that shows a name alone gives no account.
 */
function cardBlock(card: Element): TextBlock | null {
  const tid = urls.threadLink.exec(
    card.querySelector(selectors.cardLink)?.getAttribute('href') ?? '',
  )?.[1];
  const title = card.querySelector(selectors.cardTitle);
  const text = card.querySelector(selectors.cardText);
  const parts = [title, text].filter((e): e is Element => !!e && textOf(e) !== '');
  if (!tid || parts.length === 0) return null;
  const area = card.querySelector(selectors.cardAuthor);
  const link = area ? firstNamed(area, ['a[href*="/home/main"]']) : null;
  return {
    key: `thread:${tid}`,
    kind: 'card',
    element: card,
    text: parts,
    ...authorOf(link, undefined, undefined, undefined),
  };
}

/** The thread title, by the thread id in the URL; its author is the 楼主 when floor 1 is shown. */
function titleBlock(title: Element, page: URL | null): TextBlock | null {
  const tid = page && urls.host.test(page.hostname) ? urls.thread.exec(page.pathname)?.[1] : null;
  if (!tid) return null;
  const doc = title.ownerDocument;
  const first = [...doc.querySelectorAll(selectors.floor)].find(
    (f) => field<FloorField>(f)?.content?.post_no === 1,
  );
  const op = first ? floorBlock(first) : null;
  return {
    key: `title:${tid}`,
    kind: 'title',
    element: title,
    text: [title],
    ...(op?.author ? { author: op.author } : {}),
  };
}

function threadBlock(item: Element): TextBlock | null {
  const data = field<ThreadField>(item);
  const title = item.querySelector(selectors.threadTitle);
  if (!title) return null;
  const tid =
    stringOf(data?.id) ??
    item.getAttribute('data-tid') ??
    urls.threadLink.exec(title.getAttribute('href') ?? '')?.[1];
  if (!tid) return null;
  const text = item.querySelector(selectors.threadText);
  const link = firstNamed(item, selectors.threadAuthor);
  const who = authorOf(
    link,
    data?.author_portrait,
    undefined,
    data?.author_nickname ?? data?.author_name,
  );
  return {
    key: `thread:${tid}`,
    kind: 'card',
    element: item,
    text: text ? [title, text] : [title],
    ...who,
  };
}

/** A search result: keyed by the post it links to; authors appear only as ?un= (no stable id). */
function resultBlock(item: Element): TextBlock | null {
  const title = item.querySelector(selectors.resultTitle);
  const text = item.querySelector(selectors.resultText);
  if (!title && !text) return null;
  const href = title?.getAttribute('href') ?? '';
  const url = parseUrl(href, item.ownerDocument.baseURI);
  const tid = urls.threadLink.exec(href)?.[1];
  const id = url?.searchParams.get('pid') ?? (tid ? `t${tid}` : null) ?? `h${hash(textOf(item))}`;
  const link = item.querySelector(selectors.resultAuthor);
  const who = authorOf(link, undefined, undefined, undefined);
  return {
    key: `post:${id}`,
    kind: 'post',
    element: item,
    text: [title, text].filter((e): e is Element => e !== null),
    ...who,
  };
}

function bioBlock(bio: Element, page: URL | null): TextBlock | null {
  const owner = pageOwner(page);
  if (!owner) return null;
  const name = firstOf(bio.ownerDocument, selectors.profileName);
  return {
    key: `bio:${owner}`,
    kind: 'bio',
    element: bio,
    text: [bio],
    author: account(owner, name ? textOf(name) : ''),
    ...(name ? { authorElement: name } : {}),
  };
}

function profileThreadBlock(item: Element, page: URL | null): TextBlock | null {
  const title = item.querySelector(selectors.profileThreadTitle);
  const tid = title && urls.threadLink.exec(title.getAttribute('href') ?? '')?.[1];
  const owner = pageOwner(page);
  if (!title || !tid) return null;
  const text = item.querySelector(selectors.profileThreadText);
  const name = firstOf(item.ownerDocument, selectors.profileName);
  return {
    key: `thread:${tid}`,
    kind: 'card',
    element: item,
    text: text ? [title, text] : [title],
    ...(owner ? { author: account(owner, name ? textOf(name) : '') } : {}),
  };
}

/**
 * The account of a user link: portrait from the link's ?id= (or the JSON), else the numeric
 * user_id. A link with only ?un= (a changeable user name) gives no account.
 */
function authorOf(
  link: Element | null | undefined,
  portrait: string | undefined,
  userId: number | string | undefined,
  name: string | undefined,
): Pick<TextBlock, 'author' | 'authorElement'> {
  const fromLink = link ? portraitOf(link) : null;
  const id = fromLink ?? cleanPortrait(portrait) ?? stringOf(userId);
  if (!id) return {};
  const handle = (link && textOf(link)) || name || '';
  return {
    author: account(id, handle),
    ...(link && textOf(link) ? { authorElement: link } : {}),
  };
}

function portraitOf(link: Element): string | null {
  const url = parseUrl(link.getAttribute('href'), link.ownerDocument.baseURI);
  if (url && urls.host.test(url.hostname) && /^\/home\/main\/?$/.test(url.pathname)) {
    const id = cleanPortrait(url.searchParams.get('id') ?? undefined);
    if (id) return id;
  }
  // `data-field="{'un':'…','id':'tb.1.…'}"` on user cards.
  return cleanPortrait(stringOf(field<{ id?: string }>(link)?.id) ?? undefined);
}

/** Portraits in links may carry a cache suffix: `tb.1.xxx?t=1600000000`. */
function cleanPortrait(value: string | undefined | null): string | null {
  const id = value?.split(/[?&]/)[0]?.trim();
  return id && urls.portrait.test(id) ? id : null;
}

function pageOwner(page: URL | null): string | null {
  if (!page || !urls.host.test(page.hostname) || !urls.profile.test(page.pathname)) return null;
  return cleanPortrait(page.searchParams.get('id'));
}

function account(id: string, name: string): Account {
  // A numeric user_id has no public profile URL; a portrait has.
  const url = urls.portrait.test(id) ? `https://tieba.baidu.com/home/main?id=${id}` : undefined;
  return namedAccount('tieba', id, name, url);
}

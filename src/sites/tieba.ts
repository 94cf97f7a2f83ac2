/**
 * Baidu Tieba (百度贴吧), legacy server-rendered PC pages: thread titles, floors (楼层) and 楼中楼
 * replies, forum thread lists, search results, profile bios. Hooks are the `data-field` JSON on
 * floors, 楼中楼 items and list items, and /home/main?id=<portrait> links. DOM facts and sources:
 * ../shared/domain/platforms.md §1, §2.8.
 * Evidence for each selector: ../shared/domain/dom-evidence.md §8.
 */
import type { Account, PageKind, SiteAdapter, SiteExample, TextBlock } from './adapter';
import {
  BlockSet,
  firstNamed,
  firstOf,
  hash,
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
  title: '.core_title_txt',
  /** Floors (MKT-post, CC-tb). */
  floor: '#j_p_postlist > .l_post[data-field], .l_post[data-field], .j_l_post[data-field]',
  floorText: '.d_post_content',
  floorAuthor: ['a.p_author_name', '.d_name a[href*="/home/main"]', 'a.p_author_face'],
  /** 楼中楼, lazily loaded (`.loading_reply` until then). */
  replyArea: '.core_reply_wrapper',
  reply: '.core_reply_wrapper li[data-field], li.lzl_single_post[data-field]',
  replyText: '.lzl_content_main',
  replyAuthor: ['.lzl_cnt a.j_user_card', 'a.j_user_card', 'a[href*="/home/main"]'],
  /** Forum thread list (MKT-bar). */
  thread: '#thread_list > li.j_thread_list, li.thread_item_box, li.j_thread_list[data-field]',
  threadTitle: 'a.j_th_tit',
  threadText: '.threadlist_abs, .threadlist_text > div',
  threadAuthor: [
    '.tb_icon_author a.frs-author-name',
    'a.frs-author-name',
    '.threadlist_author a[href*="/home/main"]',
  ],
  /** Search results (MKT-post searchPage). */
  result: '.s_post_list > .s_post, .s_post',
  resultTitle: '.p_title a',
  resultText: '.p_content',
  resultAuthor: 'a[href*="/home/main"]',
  /** Profile (guessed from the legacy i-home class names). */
  profileBio: '.userinfo_shortinfo, .ihome_aside_intro',
  profileName: ['.userinfo_username', '.userinfo_title'],
  profileThread: '#new_list > li, .new_list > li',
  profileThreadTitle: '.thread_name a, .title a',
  profileThreadText: '.n_txt',
  reportLabel: '举报',
  /** Where a floor's and a 楼中楼 item's 举报 sit: the floor's tail, the reply's action line. */
  reportAreas: '.post-tail-wrap, .j_jb_ele, .lzl_jb, .lzl_content_reply',
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
  const report =
    item.querySelector('.lzl_jb_in') ??
    reportControl(item, selectors.reportAreas, [selectors.reportLabel], [body, link], own);
  return {
    key: `comment:${spid}`,
    kind: 'reply',
    element: item,
    text: [body],
    ...who,
    ...(report ? { reportEntry: report } : {}),
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

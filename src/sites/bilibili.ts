/**
 * Bilibili (哔哩哔哩): video titles, descriptions and danmaku, comments and replies, home/search/
 * space video cards, space bios and dynamics. Hooks are BEM classes (`bili-video-card__*`,
 * `bili-dyn-*`), space.bilibili.com/<mid> links and the comment web components, whose OPEN shadow
 * roots are walked (bili-comments → thread → comment → rich text / user info).
 * Evidence for each selector, cited beside it: ../shared/domain/dom-evidence.md §5 (BC, BE, HGZ-B,
 * FTI, UTags, U12–U14) and ../shared/domain/platforms.md §2.5; what no source names is marked "guess".
 */
import type { Account, PageKind, ReportMenu, SiteAdapter, SiteExample, TextBlock } from './adapter';
import {
  attr,
  BlockSet,
  firstNamed,
  firstOf,
  hash,
  isElement,
  labelled,
  linkedId,
  linkUrl,
  pageUrl,
  reportControl,
  stringOf,
  textOf,
  namedAccount,
} from './dom';
import { platformMatches } from './platforms';

const examples: readonly SiteExample[] = [
  { url: 'https://www.bilibili.com/', kind: 'feed', fixture: 'bilibili/index.html' },
  {
    url: 'https://www.bilibili.com/video/BV1xx411c7mD',
    kind: 'video',
    fixture: 'bilibili/video/BV1xx411c7mD.html',
  },
  { url: 'https://www.bilibili.com/video/av170001/?p=2', kind: 'video' },
  {
    url: 'https://t.bilibili.com/912345678901234567',
    kind: 'post',
    fixture: 'bilibili/912345678901234567.html',
  },
  { url: 'https://t.bilibili.com/', kind: 'feed' },
  { url: 'https://www.bilibili.com/opus/912345678901234999', kind: 'post' },
  {
    url: 'https://space.bilibili.com/3493000000000001',
    kind: 'profile',
    fixture: 'bilibili/3493000000000001.html',
  },
  { url: 'https://space.bilibili.com/3493000000000001/video', kind: 'profile' },
  {
    url: 'https://search.bilibili.com/all?keyword=%E5%81%9C%E6%81%AF%E6%8C%82%E8%B4%A6',
    kind: 'search',
    fixture: 'bilibili/all.html',
  },
  { url: 'https://search.bilibili.com/video?keyword=%E5%80%BA%E5%8A%A1', kind: 'search' },
];

/** URL patterns (BC-page, MC-url). */
const urls = {
  www: /^(?:www\.)?bilibili\.com$/,
  dynamic: /^t\.bilibili\.com$/,
  space: /^space\.bilibili\.com$/,
  search: /^search\.bilibili\.com$/,
  feed: /^\/(?:v\/popular(?:\/\w+)*)?\/?$/,
  video: /^\/video\/(BV[0-9A-Za-z]{10}|av\d+)\/?$/i,
  opus: /^\/opus\/(\d+)\/?$/,
  dynamicPost: /^\/(\d+)\/?$/,
  spacePath: /^\/(\d+)(?:\/[\w/]*)?$/,
  searchPath: /^\/(?:all|video|bangumi|pgc|live|article|upuser)\/?$/,
  /** A video link anywhere: /video/BV… or /video/av…. */
  videoLink: /\/video\/(BV[0-9A-Za-z]{10}|av\d+)/i,
  /** A dynamic link: t.bilibili.com/<id> or /opus/<id>. */
  dynamicLink: /^(?:t\.bilibili\.com\/|(?:www\.)?bilibili\.com\/opus\/)(\d+)/,
  mid: /^\d+$/,
};

const selectors = {
  /**
   * Comment web components: `#feed>bili-comment-thread-renderer` → `bili-comment-renderer#comment`,
   * replies `bili-comment-replies-renderer` → `bili-comment-reply-renderer` (HGZ-B, FTI, BE v3.ts, BC).
   */
  thread: 'bili-comment-thread-renderer',
  reply: 'bili-comment-reply-renderer',
  commentRenderer: 'bili-comment-renderer',
  /** `#content>bili-rich-text` → `#contents` (HGZ-B, FTI, BC basic.ts). */
  richText: 'bili-rich-text',
  richContents: '#contents',
  /** `bili-comment-user-info` → `#info #user-name>a`, `data-user-profile-id` (HGZ-B, U12). */
  userInfo: 'bili-comment-user-info',
  userName: ['#user-name a', '#user-name'],
  /** `bili-comment-action-buttons-renderer` → `#more button` (BC basic.ts). */
  actions: 'bili-comment-action-buttons-renderer',
  more: ['#more button', '#more'],
  /** The menu `#more` opens: `bili-comment-menu` → `#options` → `li` (BE v3.ts adds items there). */
  commentMenu: 'bili-comment-menu',
  commentMenuItem: '#options li',
  /** Pre-2024 comments `.reply-list>.reply-item`, `.user-name[data-user-id]` (HGZ-B, UTags, BP, YH). */
  legacyComment: '.reply-item, .sub-reply-item',
  legacyText: '.reply-content',
  legacyAuthor: ['.user-name[data-user-id]', '.sub-user-name[data-user-id]', '[data-user-id]'],
  /** Video title `h1.video-title`, `.video-info-title .video-title` (UTags 013, BC). */
  videoTitle: 'h1.video-title, .video-info-title h1',
  /** `.video-desc-container .basic-desc-info`, `#v_desc`, `.desc-info-text` (BC, BE). */
  videoDesc: ['.basic-desc-info', '.desc-info-text', '#v_desc .desc-info'],
  /** `.up-name`, `.up-detail .up-description` (BC upInfo.scss, BE). */
  upName: ['.up-info-container a.up-name', '.up-detail-top a.up-name', 'a.up-name'],
  upBio: '.up-info-container .up-description, .up-description',
  /** `.video-toolbar-right .video-complaint` (BC toolbar.scss, BE): the one 举报 shown statically. */
  complaint: '.video-toolbar-right .video-complaint',
  /**
   * Danmaku list rows `.bpx-player-dm-wrap .dm-info-row` → `.dm-info-dm`, `.dm-info-report-btn`
   * (BE dark-slice-15.scss, U14). No source shows a `dmid` attribute: rows are keyed by time + text.
   */
  danmaku: '.dm-info-row, .danmaku-info-row',
  danmakuText: ['.dm-info-dm', '.danmaku-info-danmaku'],
  danmakuTime: '.dm-info-time',
  danmakuReport: '.dm-info-report-btn',
  /** Video cards `.bili-video-card`, `.feed-card`, `.bili-feed-card` (BC homepage.ts, UTags, ELC). */
  card: '.bili-video-card, .small-item[data-aid]',
  /** `.bili-video-card__info--tit`; the new space layout's `.bili-video-card__title` (UTags, U13). */
  cardTitle: ['.bili-video-card__info--tit', '.bili-video-card__title', 'a.title'],
  /** `--owner` href has space.bilibili.com/<mid>, `--author` the name (BC homepage.ts). */
  cardOwner: '.bili-video-card__info--owner',
  cardAuthor: '.bili-video-card__info--author',
  /** Space header: `.upinfo-detail__top .nickname` / `#h-name`, bio `.upinfo-detail__bottom .pure-text` / `#h-sign` (HGZ-B, UTags, U13, BE, BC). */
  spaceBio: '.upinfo-detail__bottom .pure-text, #h-sign, .h-sign',
  spaceName: ['.upinfo-detail__top .nickname', '#h-name', '.nickname'],
  /** The space page's 举报 (guess: U13 saw a `.vui_popover` "more" menu, its trigger unnamed). */
  spaceOps: ['.operations', '.h-action'],
  /** Dynamics `.bili-dyn-item`, `.bili-dyn-title__text`, `.bili-rich-text__content`, `.dyn-card-opus__*` (BC dynamic.ts, BE). */
  dynItem: '.bili-dyn-item, .opus-detail',
  dynText:
    '.bili-dyn-content .bili-rich-text__content, .dyn-card-opus__title, .dyn-card-opus__summary, .opus-module-title__text, .opus-module-content',
  /** `.opus-module-author__name` is unverified. */
  dynName: ['.bili-dyn-title__text', '.opus-module-author__name'],
  /** Menus `.bili-dyn-more__menu`, `.opus-more__menu`, `.more-panel` (BC dynamic.ts). */
  dynMenu: ['.bili-dyn-more__menu', '.opus-more__menu', '.more-panel'],
  spaceLink: 'a[href*="space.bilibili.com/"]',
  reportLabels: ['举报'],
};

/** @mentions in comments (`a[data-type="mention"]`) and dynamics (`.bili-rich-text-module.at`). */
const ignore = [
  'a[data-type="mention"]',
  '#contents > a[data-user-profile-id]',
  '.bili-rich-text-module.at',
  '.reply-content a.jump-link.user',
];

/** The custom elements whose open shadow roots hold comment blocks. */
const shadowHosts = [
  'bili-comments',
  'bili-comment-thread-renderer',
  'bili-comment-renderer',
  'bili-comment-replies-renderer',
  'bili-comment-reply-renderer',
  'bili-comment-user-info',
  'bili-rich-text',
  'bili-comment-action-buttons-renderer',
];

export const bilibili: SiteAdapter = {
  id: 'bilibili',
  matches: platformMatches('bilibili'),
  examples,
  ignore,
  selectors,
  shadowHosts,
  pageKind,
  blocks(root) {
    const found = collect(root);
    if (found.length > 0 || !isElement(root)) return found;
    // A node inside a block (a mutation target, maybe deep in a shadow tree): that block.
    const container = composedClosest(root, containers);
    if (!container || container === root) return [];
    return collect(container).filter((b) => composedContains(b.element, root));
  },
};

/** Elements that hold one block (or a comment and its replies). */
const containers = [
  selectors.thread,
  selectors.reply,
  selectors.legacyComment,
  selectors.videoTitle,
  ...selectors.videoDesc,
  selectors.upBio,
  selectors.spaceBio,
  selectors.danmaku,
  selectors.card,
  selectors.dynItem,
].join(', ');

function collect(root: ParentNode): TextBlock[] {
  const found = new BlockSet();
  const page = pageUrl(root);
  const all = deepElements(root);
  const each = (selector: string, read: (element: Element) => TextBlock | null) => {
    found.readAll(
      all.filter((element) => element.matches(selector)),
      read,
    );
  };
  each(selectors.videoTitle, (title) => titleBlock(title, page));
  each(selectors.videoDesc.join(', '), (desc) => descBlock(desc, page));
  each(selectors.upBio, upBioBlock);
  each(selectors.spaceBio, (bio) => spaceBioBlock(bio, page));
  each(selectors.danmaku, danmakuBlock);
  each(selectors.card, (card) => cardBlock(card, page));
  const dyn = new Set<Element>();
  each(selectors.dynText, (text) => dynamicBlock(text, page, dyn));
  each(`${selectors.thread}, ${selectors.reply}`, commentBlock);
  each(selectors.legacyComment, legacyCommentBlock);
  return found.list();
}

function pageKind(url: URL): PageKind | null {
  const host = url.hostname;
  const path = url.pathname;
  if (urls.www.test(host)) {
    if (urls.feed.test(path)) return 'feed';
    if (urls.video.test(path)) return 'video';
    if (urls.opus.test(path)) return 'post';
    return null;
  }
  if (urls.dynamic.test(host)) {
    if (path === '/') return 'feed';
    return urls.dynamicPost.test(path) ? 'post' : null;
  }
  if (urls.space.test(host)) return urls.spacePath.test(path) ? 'profile' : null;
  if (urls.search.test(host)) return urls.searchPath.test(path) ? 'search' : null;
  return null;
}

/** A comment (thread renderer) or reply (reply renderer), read through its shadow roots. */
function commentBlock(host: Element): TextBlock | null {
  const isReply = host.matches(selectors.reply);
  // The thread's own comment lives in bili-comment-renderer; replies hold their parts directly.
  const own = isReply
    ? host.shadowRoot
    : (host.shadowRoot?.querySelector(selectors.commentRenderer)?.shadowRoot ?? host.shadowRoot);
  if (!own) return null;
  const contents = own
    .querySelector(selectors.richText)
    ?.shadowRoot?.querySelector(selectors.richContents);
  if (!contents) return null;
  const info = own.querySelector(selectors.userInfo)?.shadowRoot;
  const name = info ? firstOf(info, selectors.userName) : null;
  const data = hostData(host);
  const mid =
    (name && midOf(name)) ??
    attr(host, ['data-user-id', 'data-mid']) ??
    stringOf(data?.mid ?? data?.member?.mid);
  const handle = name ? textOf(name) : (data?.member?.uname ?? '');
  const rpid =
    attr(host, ['data-rpid', 'data-id']) ??
    stringOf(data?.rpid_str ?? data?.rpid) ??
    `h${hash(`${mid ?? ''}\n${textOf(contents)}`)}`;
  const actions = own.querySelector(selectors.actions)?.shadowRoot;
  const more = actions ? firstOf(actions, selectors.more) : null;
  return {
    key: `comment:${rpid}`,
    kind: isReply ? 'reply' : 'comment',
    element: host,
    text: [contents],
    ...(mid ? { author: account(mid, handle) } : {}),
    ...(mid && name ? { authorElement: name } : {}),
    // 举报 is an item of the menu `#more` opens, not `#more` itself (BE v3.ts, BC basic.ts).
    ...(more && actions ? { reportMenu: commentMenu(more, actions) } : {}),
    // A reply is read with its thread's comment (looked up only for replies, when asked).
    ...(isReply
      ? {
          get context() {
            const thread = composedClosest(host, selectors.thread);
            const text = thread && threadContents(thread);
            return text ? [text] : undefined;
          },
        }
      : {}),
  };
}

/** The text of a thread's own comment: thread → bili-comment-renderer → bili-rich-text #contents. */
function threadContents(thread: Element): Element | null {
  const own =
    thread.shadowRoot?.querySelector(selectors.commentRenderer)?.shadowRoot ?? thread.shadowRoot;
  return (
    own?.querySelector(selectors.richText)?.shadowRoot?.querySelector(selectors.richContents) ??
    null
  );
}

/** The 举报 item of the `bili-comment-menu` a comment's `#more` opens, in its own shadow root. */
function commentMenu(more: Element, actions: ShadowRoot): ReportMenu {
  return {
    trigger: more,
    control() {
      for (const menu of actions.querySelectorAll(selectors.commentMenu)) {
        const scope = menu.shadowRoot ?? menu;
        for (const item of scope.querySelectorAll(selectors.commentMenuItem)) {
          const found = labelled(item, selectors.reportLabels);
          if (found) return found;
        }
      }
      return null;
    },
  };
}

/** Pre-2024 light-DOM comments: `.reply-item` with `[data-user-id]` avatars. */
function legacyCommentBlock(item: Element): TextBlock | null {
  const own = (e: Element) => e.closest(selectors.legacyComment) === item;
  const body = [...item.querySelectorAll(selectors.legacyText)].find(own);
  if (!body) return null;
  const link = firstNamed(item, selectors.legacyAuthor, own);
  const mid = link?.getAttribute('data-user-id') ?? null;
  const key = attr(item, ['data-rpid', 'data-id']) ?? `h${hash(`${mid ?? ''}\n${textOf(body)}`)}`;
  const reply = item.matches('.sub-reply-item');
  return {
    key: `comment:${key}`,
    kind: reply ? 'reply' : 'comment',
    element: item,
    text: [body],
    ...(reply
      ? {
          get context() {
            const parent = item.parentElement?.closest('.reply-item');
            const text = parent
              ? [...parent.querySelectorAll(selectors.legacyText)].find(
                  (e) => e.closest(selectors.legacyComment) === parent,
                )
              : undefined;
            return text ? [text] : undefined;
          },
        }
      : {}),
    ...(mid && urls.mid.test(mid) ? { author: account(mid, textOf(link!)) } : {}),
    ...(mid && link && textOf(link) ? { authorElement: link } : {}),
  };
}

function titleBlock(title: Element, page: URL | null): TextBlock | null {
  const id = videoIdOf(page);
  if (!id) return null;
  return { key: `title:${id}`, kind: 'title', element: title, text: [title], ...uploaderOf(title) };
}

function descBlock(desc: Element, page: URL | null): TextBlock | null {
  const id = videoIdOf(page);
  // The description wrapper holds its text span: read the outermost once.
  if (!id || desc.parentElement?.closest(selectors.videoDesc.join(', '))) return null;
  return { key: `post:${id}`, kind: 'post', element: desc, text: [desc], ...uploaderOf(desc) };
}

/** The uploader and the video's 举报/投诉 control, for the title and the description. */
function uploaderOf(element: Element): Pick<TextBlock, 'author' | 'authorElement' | 'reportEntry'> {
  const doc = element.ownerDocument;
  const name = firstOf(doc, selectors.upName);
  const mid = name && midOf(name);
  const report = doc.querySelector(selectors.complaint);
  return {
    ...(mid ? { author: account(mid, textOf(name)), authorElement: name } : {}),
    ...(report ? { reportEntry: report } : {}),
  };
}

function upBioBlock(bio: Element): TextBlock | null {
  const container = bio.closest('.up-info-container, .up-panel-container') ?? bio.ownerDocument;
  const name = firstOf(container, selectors.upName);
  const mid = name && midOf(name);
  if (!mid || !name) return null;
  return {
    key: `bio:${mid}`,
    kind: 'bio',
    element: bio,
    text: [bio],
    author: account(mid, textOf(name)),
    authorElement: name,
  };
}

function spaceBioBlock(bio: Element, page: URL | null): TextBlock | null {
  const mid = spaceOwner(page);
  if (!mid) return null;
  const doc = bio.ownerDocument;
  const name = firstOf(doc, selectors.spaceName);
  const ops = firstOf(doc, selectors.spaceOps);
  const report = ops
    ? reportControl(ops, selectors.spaceOps.join(', '), selectors.reportLabels, [bio, name])
    : null;
  return {
    key: `bio:${mid}`,
    kind: 'bio',
    element: bio,
    text: [bio],
    author: account(mid, name ? textOf(name) : ''),
    ...(name ? { authorElement: name } : {}),
    ...(report ? { reportEntry: report } : {}),
  };
}

function danmakuBlock(row: Element): TextBlock | null {
  const text = firstOf(row, selectors.danmakuText);
  if (!text || !textOf(text)) return null;
  const time = row.querySelector(selectors.danmakuTime);
  const id =
    attr(row, ['dmid', 'data-dmid']) ?? `h${hash(`${time ? textOf(time) : ''}\n${textOf(text)}`)}`;
  const report = row.querySelector(selectors.danmakuReport);
  // Danmaku carry only a hash of the sender's mid: no account.
  return {
    key: `danmaku:${id}`,
    kind: 'danmaku',
    element: row,
    text: [text],
    ...(report ? { reportEntry: report } : {}),
  };
}

function cardBlock(card: Element, page: URL | null): TextBlock | null {
  if (card.parentElement?.closest(selectors.card)) return null;
  const title = firstOf(card, selectors.cardTitle);
  const id = card.getAttribute('data-aid') ?? videoIdIn(card);
  if (!title || !id) return null;
  const owner = card.querySelector(selectors.cardOwner);
  const mid = owner ? midOf(owner) : spaceOwner(page);
  const shown = card.querySelector(selectors.cardAuthor) ?? owner;
  let handle = shown ? textOf(shown) : '';
  if (!owner && mid) {
    const name = firstOf(card.ownerDocument, selectors.spaceName);
    handle = name ? textOf(name) : '';
  }
  return {
    key: `card:${id}`,
    kind: 'card',
    element: card,
    text: [title],
    ...(mid ? { author: account(mid, handle) } : {}),
    ...(mid && owner && shown ? { authorElement: shown } : {}),
  };
}

/** A dynamic (t.bilibili.com) or opus post, from one of its text parts. */
function dynamicBlock(text: Element, page: URL | null, seen: Set<Element>): TextBlock | null {
  const item = text.closest(selectors.dynItem);
  if (!item || seen.has(item)) return null;
  seen.add(item);
  const texts = [...item.querySelectorAll(selectors.dynText)].filter(
    (t) => !t.parentElement?.closest(selectors.dynText),
  );
  const id =
    attr(item, ['data-did', 'data-dynamic-id']) ??
    dynamicIdIn(item) ??
    dynamicIdOf(page) ??
    `h${hash(texts.map(textOf).join('\n'))}`;
  const link = [...item.querySelectorAll(selectors.spaceLink)].find((a) => midOf(a));
  const mid = (link && midOf(link)) ?? attr(item.querySelector('[data-mid]') ?? item, ['data-mid']);
  const name = firstOf(item, selectors.dynName);
  const menu = firstOf(item, selectors.dynMenu);
  const report = menu
    ? reportControl(menu, selectors.dynMenu.join(', '), selectors.reportLabels, [...texts, name])
    : null;
  return {
    key: `post:${id}`,
    kind: 'post',
    element: item,
    text: texts,
    ...(mid ? { author: account(mid, name ? textOf(name) : '') } : {}),
    ...(mid && name ? { authorElement: name } : {}),
    ...(report ? { reportEntry: report } : {}),
  };
}

function account(mid: string, name: string): Account {
  return namedAccount('bilibili', mid, name, `https://space.bilibili.com/${mid}`);
}

/** The mid of a user link: its space.bilibili.com/<mid> href or data-user-profile-id. */
function midOf(element: Element): string | null {
  const url = linkUrl(element);
  if (url && urls.space.test(url.hostname)) {
    const mid = urls.spacePath.exec(url.pathname)?.[1];
    if (mid) return mid;
  }
  const holder = element.closest('[data-user-profile-id]');
  const id = holder?.getAttribute('data-user-profile-id') ?? null;
  return id && urls.mid.test(id) ? id : null;
}

function spaceOwner(page: URL | null): string | null {
  if (!page || !urls.space.test(page.hostname)) return null;
  return urls.spacePath.exec(page.pathname)?.[1] ?? null;
}

function videoIdOf(page: URL | null): string | null {
  if (!page || !urls.www.test(page.hostname)) return null;
  return urls.video.exec(page.pathname)?.[1] ?? null;
}

function videoIdIn(card: Element): string | null {
  for (const link of card.querySelectorAll('a[href]')) {
    const id = urls.videoLink.exec(link.getAttribute('href') ?? '')?.[1];
    if (id) return id;
  }
  return null;
}

function dynamicIdOf(page: URL | null): string | null {
  if (!page) return null;
  if (urls.dynamic.test(page.hostname)) return urls.dynamicPost.exec(page.pathname)?.[1] ?? null;
  if (urls.www.test(page.hostname)) return urls.opus.exec(page.pathname)?.[1] ?? null;
  return null;
}

function dynamicIdIn(item: Element): string | null {
  return linkedId(item, (url) => urls.dynamicLink.exec(`${url.hostname}${url.pathname}`)?.[1]);
}

interface CommentData {
  rpid?: number | string;
  rpid_str?: string;
  mid?: number | string;
  member?: { mid?: number | string; uname?: string };
}

/**
 * Lit-style `__data` on a comment host (BC-comment). Visible only when the caller shares the
 * page's JS world (tests, a MAIN-world script); from an isolated content script it is undefined.
 */
function hostData(host: Element): CommentData | undefined {
  const data = (host as unknown as { __data?: unknown }).__data;
  return data && typeof data === 'object' ? (data as CommentData) : undefined;
}

/**
 * Every element under `root` in document order, descending into open shadow roots (a host's
 * shadow tree before its light children), plus `root` itself when it is an element.
 */
function deepElements(root: ParentNode): Element[] {
  const out: Element[] = [];
  const visit = (node: ParentNode) => {
    for (let child = node.firstElementChild; child; child = child.nextElementSibling) {
      out.push(child);
      if (child.shadowRoot) visit(child.shadowRoot);
      visit(child);
    }
  };
  if (isElement(root)) {
    out.push(root);
    if (root.shadowRoot) visit(root.shadowRoot);
  }
  visit(root);
  return out;
}

/** `closest` across shadow boundaries: parent, else the host of the shadow root. */
function composedClosest(element: Element, selector: string): Element | null {
  for (let n: Node | null = element; n; n = n.parentNode ?? (n as ShadowRoot).host ?? null) {
    if (isElement(n) && n.matches(selector)) return n;
  }
  return null;
}

/** `contains` across shadow boundaries. */
function composedContains(ancestor: Element, node: Node): boolean {
  for (let n: Node | null = node; n; n = n.parentNode ?? (n as ShadowRoot).host ?? null) {
    if (n === ancestor) return true;
  }
  return false;
}

/**
 * The one shape every site adapter has. Site knowledge (URL patterns, selectors) is data beside
 * example URLs and fixtures; shared code never branches on a site id.
 */
import type { PlatformId } from './platforms';

export type PageKind =
  | 'feed'
  | 'video'
  | 'note'
  | 'post'
  | 'question'
  | 'article'
  | 'thread'
  | 'forum'
  | 'profile'
  | 'search'
  | 'live'
  | 'other';

export type BlockKind = 'post' | 'title' | 'bio' | 'comment' | 'reply' | 'danmaku' | 'card';

/** An account as the platform identifies it: the stable id, never only the mutable handle. */
export interface Account {
  platform: PlatformId;
  /** Stable platform id: Douyin sec_uid, Weibo uid, Bilibili mid, XHS user id, Zhihu url_token … */
  id: string;
  /** The display name or handle shown on the page. */
  handle?: string;
  /** Profile URL, with any token the platform needs to open it (XHS xsec_token). */
  url?: string;
}

/** One unit of text worth scanning: a post body, a title, a bio, a comment, a reply. */
export interface TextBlock {
  /**
   * Stable key of the item (`comment:<cid>`, `post:<mid>` …). Processed state is keyed by this, not
   * by the DOM node, because virtual lists (Weibo) recycle nodes for other items.
   */
  key: string;
  kind: BlockKind;
  /** The element holding the whole item (badges and cards anchor here). */
  element: Element;
  /** The elements whose text is scanned, in reading order. */
  text: Element[];
  author?: Account;
  /** Where the account badge goes: the author's name link. */
  authorElement?: Element;
  /** The platform's own report (举报) control for this block, where the page shows it now. */
  reportEntry?: Element;
  /**
   * Where the report control sits behind a menu (the platform renders the menu only once it is
   * opened, so a static scan finds no 举报): how to open the menu and then find the control.
   */
  reportMenu?: ReportMenu;
  /**
   * What this block answers (a reply's parent comment): read as context for the verdict, never as
   * the author's own words.
   */
  context?: Element[];
}

/**
 * A report control behind a menu. Both halves are the platform's own controls, found only in its
 * control areas (menus, action bars), never in what users wrote: the card's 打开平台举报 opens
 * `trigger` and clicks what `control()` finds.
 */
export interface ReportMenu {
  /** The block's menu control (··· button, or the player for a right-click menu). */
  trigger: Element;
  /** How the platform opens the menu: a click (default), a right-click, or hovering the item. */
  open?: 'click' | 'contextmenu' | 'hover';
  /** The report item of the opened menu; null while the menu has not rendered. */
  control(): Element | null;
}

export interface SiteExample {
  url: string;
  kind: PageKind;
  /** Fixture file (below test/fixtures/) that shows this page. */
  fixture?: string;
}

/**
 * Content scripts run in top-level frames only (no `allFrames`): none of the platforms renders its
 * own posts or comments in an iframe. The iframes public tools met there are login and captcha
 * dialogs (../shared/domain/platforms.md §3.3, dom-evidence.md). An adapter that finds its
 * platform's comments in a frame of the platform's own origin would opt in for that entrypoint.
 */
export interface SiteAdapter {
  id: PlatformId | 'generic';
  /** Manifest match patterns the adapter serves (from platforms.ts for platform adapters). */
  matches: readonly string[];
  /** Example URLs with their page kind; the meta-test checks each resolves to this adapter. */
  examples: readonly SiteExample[];
  /** What kind of page a URL shows, or null when the adapter does not know the URL. */
  pageKind(url: URL): PageKind | null;
  /**
   * Every text block under `root`, including `root` itself when it is one. `root` may be a document,
   * an element or a shadow root; adapters descend into the open shadow roots they know (Bilibili
   * comments). A generator is best: the scanner pulls blocks inside its time slices, so a page of
   * 5,000 comments is never enumerated in one long task (bench:page).
   */
  blocks(root: ParentNode): Iterable<TextBlock>;
  /**
   * Selectors for text inside a block that is not the author's words and must not be scanned:
   * @mentions, `[表情]` codes are handled by the engine; these are site UI strings inside text.
   */
  ignore?: readonly string[];
  /**
   * Selectors of custom elements whose open shadow roots hold blocks (the engine observes them).
   */
  shadowHosts?: readonly string[];
  /**
   * The CSS selectors the adapter reads pages with, by name, as data: when a page it knows yields
   * no blocks, the fallback diagnostic lists those that matched nothing (src/page/layout-check.ts).
   */
  selectors?: Readonly<Record<string, string | readonly string[]>>;
}

/**
 * Content-script entry for a platform page. The scan's lifecycle is LeadGuard's own, not WXT's
 * `ctx`: a page script can forge WXT's window and document events (`wxt:content-script-started`
 * stopped LeadGuard on the tab for good, `wxt:locationchange` restarted it at will, issue 10), and
 * nothing a page dispatches should steer LeadGuard. So the scan stops only when the extension's
 * runtime goes away (reload, update, uninstall) and restarts only when `location.href`, read in
 * this world, really changed. Events are hints to look, never facts. Nothing here throws into the
 * page: errors are logged.
 * The matcher and the paused state are read from extension storage, not asked of the background,
 * so a tab starts at once even while the background compiles a big list (it keeps the previous
 * list until the new one is published, then switches without a reload).
 */
import { browser } from 'wxt/browser';
import type { Matcher } from '../core/matcher';
import { loadPublishedMatcher, watchPointer } from '../platform/matcher-delivery';
import { onMessage, sendMessage } from '../platform/messages';
import { isPaused } from '../platform/paused';
import type { PageKind, SiteAdapter } from '../sites/adapter';
import { generic } from '../sites/generic';
import type { PlatformId } from '../sites/platforms';
import { layoutCheck, type LayoutDiagnostic } from './layout-check';
import { reportBlock, type ReportContext, type ReportResult } from './report-action';
import { PageScanner } from './scanner';

const log = (error: unknown) => console.warn('[LeadGuard]', error);

/** How often the page is checked for SPA navigation without a navigation event, and for a dead runtime. */
const POLL_MS = 1_000;
/**
 * When, after a scan starts, the page is checked for a changed layout: once its first content is
 * in, and again after a slow single-page app has rendered.
 */
const LAYOUT_CHECKS_MS = [2_500, 8_000];

/**
 * A platform page the adapter doesn't know (a new page kind, a redesign) is scanned with the
 * generic adapter rather than not at all; account ids are then unknown.
 */
export function adapterFor(adapter: SiteAdapter, url: URL): SiteAdapter {
  return adapter.pageKind(url) === null ? generic : adapter;
}

/** Aborts when the extension's runtime is gone: the content script outlived its extension. */
export function runtimeLifetime(
  win: Window = window,
  alive: () => boolean = () => browser.runtime?.id != null,
  pollMs = POLL_MS,
): AbortController {
  const life = new AbortController();
  const timer = win.setInterval(() => {
    if (!alive()) life.abort();
  }, pollMs);
  life.signal.addEventListener('abort', () => win.clearInterval(timer), { once: true });
  return life;
}

/**
 * Calls `onChange` when the document's URL changes (SPA navigation), reading `location.href` in
 * this world. Navigation API events, where the browser has them, make it prompt; a poll covers the
 * rest. Forged events only make it look again.
 */
export function watchLocation(
  doc: Document,
  onChange: (href: string) => void,
  signal: AbortSignal,
  pollMs = POLL_MS,
): () => void {
  const win = doc.defaultView!;
  let last = doc.location.href;
  const check = () => {
    if (signal.aborted) return;
    const href = doc.location.href;
    if (href === last) return;
    last = href;
    onChange(href);
  };
  const navigation = (win as unknown as { navigation?: EventTarget }).navigation;
  navigation?.addEventListener('currententrychange', check, { signal });
  win.addEventListener('popstate', check, { signal });
  const timer = win.setInterval(check, pollMs);
  signal.addEventListener('abort', () => win.clearInterval(timer), { once: true });
  return check;
}

export async function startPage(adapter: SiteAdapter, doc: Document = document): Promise<void> {
  const platform = adapter.id === 'generic' ? null : (adapter.id as PlatformId);
  const life = runtimeLifetime(doc.defaultView!);
  let matcherSha: string | null = null;
  let matcher: Matcher | null = null;
  let scan: { controller: AbortController; scanner: PageScanner } | null = null;
  let paused = false;

  /** Loads the published matcher if it isn't the one held; true when it changed. */
  let loading: Promise<boolean> = Promise.resolve(false);
  const refreshMatcher = () => {
    loading = loading.then(async () => {
      const loaded = await loadPublishedMatcher(matcherSha);
      if (!loaded) return false;
      matcher = loaded.matcher;
      matcherSha = loaded.sha256;
      return true;
    });
    return loading;
  };

  // The toolbar badge needn't follow every slice: one message per 250 ms at most, the last one wins.
  let countsTimer: ReturnType<typeof setTimeout> | null = null;
  let latest = { leads: 0, mentions: 0 };
  /** The page (href) that fell back to generic mode, and why. */
  let fallback: { href: string; diagnostic: LayoutDiagnostic } | null = null;
  const fallbackNow = () => (fallback?.href === doc.location.href ? fallback.diagnostic : null);
  const reportCounts = (counts: { leads: number; mentions: number }) => {
    latest = counts;
    countsTimer ??= setTimeout(() => {
      countsTimer = null;
      if (life.signal.aborted) return;
      void sendMessage('pageReport', {
        url: doc.location.href,
        ...latest,
        fallback: fallbackNow(),
      }).catch(log);
    }, 250);
  };

  const stop = () => {
    scan?.controller.abort();
    scan = null;
  };
  life.signal.addEventListener('abort', stop, { once: true });
  const restart = () => {
    stop();
    if (paused || !matcher || life.signal.aborted) return;
    const controller = new AbortController();
    const url = new URL(doc.location.href);
    const chosen = fallbackNow() ? generic : adapterFor(adapter, url);
    const scanner = new PageScanner({
      adapter: chosen,
      matcher,
      signal: controller.signal,
      root: doc,
      onError: log,
      onCounts: reportCounts,
      onReport: (context, source) =>
        void report(context, source, { hideUi: () => scanner.card.hide() }),
    });
    scan = { controller, scanner };
    scanner.start();
    void sendMessage('pageReport', {
      url: doc.location.href,
      leads: 0,
      mentions: 0,
      fallback: fallbackNow(),
    }).catch(log);
    if (chosen !== generic) watchLayout(chosen, chosen.pageKind(url)!, scanner, controller.signal);
  };

  /** Falls back to the generic adapter when the page doesn't look like its adapter expects. */
  const watchLayout = (
    chosen: SiteAdapter,
    kind: PageKind,
    scanner: PageScanner,
    signal: AbortSignal,
  ) => {
    const href = doc.location.href;
    for (const delay of LAYOUT_CHECKS_MS) {
      const timer = setTimeout(() => {
        void scanner.whenIdle().then(() => {
          if (signal.aborted || fallback || doc.location.href !== href) return;
          const found = scanner.found();
          const diagnostic = layoutCheck({
            adapter: chosen,
            kind,
            doc,
            ...found,
            version: browser.runtime.getManifest().version,
          });
          if (!diagnostic) return;
          console.warn('[LeadGuard] this site’s layout looks changed — scanning in generic mode');
          fallback = { href, diagnostic };
          restart();
        });
      }, delay);
      signal.addEventListener('abort', () => clearTimeout(timer), { once: true });
    }
  };

  // One report at a time from this tab: a second click while one is filed is ignored.
  let reporting: Promise<ReportResult> | null = null;
  const report = (
    context: ReportContext,
    source: 'card' | 'badge' | 'context-menu' | 'shortcut',
    options: { text?: string; note?: string; hideUi?: () => void } = {},
  ): Promise<ReportResult> => {
    reporting ??= reportBlock(doc, context, source, options).finally(() => {
      reporting = null;
    });
    return reporting;
  };
  // The context menu reports what the user right-clicked: remember where (a page's forged
  // contextmenu event doesn't move it).
  let contextTarget: Node | null = null;
  doc.addEventListener(
    'contextmenu',
    (e: Event) => {
      if (e.isTrusted) contextTarget = e.target as Node;
    },
    { capture: true, signal: life.signal },
  );
  const unscanned = (text: string): ReportContext => ({
    element: doc.getSelection()?.anchorNode?.parentElement ?? doc.body,
    platform: adapter.id,
    text,
    assessment: {
      verdict: 'clean',
      categories: [],
      matches: [],
      contacts: [],
      score: 0,
      probability: null,
    },
    list: matcher
      ? { id: matcher.compiled.listId, version: matcher.compiled.listVersion }
      : { id: 'unknown', version: 0 },
  });

  // A newly published list reaches this tab without a reload; the first one starts the scan
  // (on a first run the background may still be compiling the bundled list). Watching starts
  // before the first read, so a list published in between is not missed.
  let started = false;
  const unwatch = watchPointer(() => {
    void refreshMatcher()
      .then((changed) => {
        if (!changed || !started || life.signal.aborted) return;
        if (scan) scan.scanner.setMatcher(matcher!);
        else restart();
      })
      .catch(log);
  });
  life.signal.addEventListener('abort', unwatch, { once: true });
  try {
    paused = await isPaused(platform);
    // The background records the tab; the scan doesn't wait for its answer.
    void sendMessage('pageHello', { url: doc.location.href, platform }).catch(log);
    await refreshMatcher();
    // Loading the matcher and enumerating the page are two tasks, not one long one.
    await new Promise((resolve) => setTimeout(resolve, 0));
  } catch (error) {
    log(error);
    return;
  }
  started = true;
  const removeListener = onMessage({
    pauseChanged({ paused: next }) {
      paused = next;
      restart();
      return {};
    },
    async reportTarget({ source, what, selection }) {
      const scanner = scan?.scanner;
      if (what === 'selection') {
        const text = (selection ?? doc.getSelection()?.toString() ?? '').trim();
        if (!text) return { filed: false, message: '没有选中文字' };
        const anchor = doc.getSelection()?.anchorNode ?? contextTarget;
        const context = scanner?.reportContextFor(anchor ?? null) ?? unscanned(text);
        return report(context, source, { text, note: '举报选中的文字' });
      }
      const context =
        what === 'account'
          ? scanner?.reportContextFor(contextTarget)
          : scanner?.focusedReportContext();
      if (!context) {
        const message =
          what === 'account'
            ? '这里没有 LeadGuard 标出的内容或账号'
            : '没有聚焦的线索：先用 Alt+Shift+L 选中一条';
        return { filed: false, message };
      }
      return report(context, source);
    },
  });
  life.signal.addEventListener('abort', removeListener, { once: true });
  watchLocation(
    doc,
    (url) => {
      void sendMessage('pageHello', { url, platform })
        .then((reply) => {
          paused = reply.paused;
          restart();
        })
        .catch(log);
    },
    life.signal,
  );
  restart();
}

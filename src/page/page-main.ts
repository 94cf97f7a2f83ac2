/**
 * Content-script entry for a platform page. WXT's `ctx` is the page lifecycle: it aborts when the
 * extension reloads or updates. SPA navigation (`wxt:locationchange`) aborts the scan and starts a
 * new one; pausing aborts it too. Nothing here throws into the page: errors are logged.
 * The matcher and the paused state are read from extension storage, not asked of the background,
 * so a tab starts at once even while the background compiles a big list (it keeps the previous
 * list until the new one is published, then switches without a reload).
 */
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import type { Matcher } from '../core/matcher';
import { loadPublishedMatcher, watchPointer } from '../platform/matcher-delivery';
import { onMessage, sendMessage } from '../platform/messages';
import { isPaused } from '../platform/paused';
import type { SiteAdapter } from '../sites/adapter';
import { generic } from '../sites/generic';
import type { PlatformId } from '../sites/platforms';
import { PageScanner } from './scanner';

const log = (error: unknown) => console.warn('[LeadGuard]', error);

/**
 * A platform page the adapter doesn't know (a new page kind, a redesign) is scanned with the
 * generic adapter rather than not at all; account ids are then unknown.
 */
export function adapterFor(adapter: SiteAdapter, url: URL): SiteAdapter {
  return adapter.pageKind(url) === null ? generic : adapter;
}

export async function startPage(
  ctx: ContentScriptContext,
  adapter: SiteAdapter,
  doc: Document = document,
): Promise<void> {
  const platform = adapter.id === 'generic' ? null : (adapter.id as PlatformId);
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
  const reportCounts = (counts: { leads: number; mentions: number }) => {
    latest = counts;
    countsTimer ??= setTimeout(() => {
      countsTimer = null;
      void sendMessage('pageReport', { url: doc.location.href, ...latest }).catch(log);
    }, 250);
  };

  const stop = () => {
    scan?.controller.abort();
    scan = null;
  };
  const restart = () => {
    stop();
    if (paused || !matcher || ctx.signal.aborted) return;
    const controller = new AbortController();
    ctx.signal.addEventListener('abort', () => controller.abort(), { once: true });
    const scanner = new PageScanner({
      adapter: adapterFor(adapter, new URL(doc.location.href)),
      matcher,
      signal: controller.signal,
      root: doc,
      onError: log,
      onCounts: reportCounts,
    });
    scan = { controller, scanner };
    scanner.start();
    void sendMessage('pageReport', { url: doc.location.href, leads: 0, mentions: 0 }).catch(log);
  };

  // A newly published list reaches this tab without a reload; the first one starts the scan
  // (on a first run the background may still be compiling the bundled list). Watching starts
  // before the first read, so a list published in between is not missed.
  let started = false;
  const unwatch = watchPointer(() => {
    void refreshMatcher()
      .then((changed) => {
        if (!changed || !started || ctx.signal.aborted) return;
        if (scan) scan.scanner.setMatcher(matcher!);
        else restart();
      })
      .catch(log);
  });
  ctx.onInvalidated(unwatch);
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
  });
  ctx.onInvalidated(removeListener);
  ctx.addEventListener(window, 'wxt:locationchange', () => {
    void sendMessage('pageHello', { url: doc.location.href, platform })
      .then((reply) => {
        paused = reply.paused;
        restart();
      })
      .catch(log);
  });
  restart();
}

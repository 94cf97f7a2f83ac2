/**
 * Content-script entry for a platform page. WXT's `ctx` is the page lifecycle: it aborts when the
 * extension reloads or updates. SPA navigation (`wxt:locationchange`) aborts the scan and starts a
 * new one; pausing aborts it too. Nothing here throws into the page: errors are logged.
 */
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { deserializeMatcher, loadMatcher, type Matcher } from '../core/matcher';
import { onMessage, sendMessage } from '../platform/messages';
import { base64ToBytes } from '../core/signature';
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
  let matcherKey: string | null = null;
  let matcher: Matcher | null = null;
  let scan: { controller: AbortController; scanner: PageScanner } | null = null;
  let paused = false;

  const fetchMatcher = async () => {
    const reply = await sendMessage('getMatcher', { have: matcherKey });
    if (reply.matcher !== null) {
      matcher = loadMatcher(deserializeMatcher(base64ToBytes(reply.matcher)));
      matcherKey = reply.key;
    }
    return matcher!;
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

  try {
    ({ paused } = await sendMessage('pageHello', { url: doc.location.href, platform }));
    await fetchMatcher();
    // Loading the matcher and enumerating the page are two tasks, not one long one.
    await new Promise((resolve) => setTimeout(resolve, 0));
  } catch (error) {
    log(error);
    return;
  }
  const removeListener = onMessage({
    async matcherUpdated() {
      const before = matcherKey;
      const next = await fetchMatcher();
      if (matcherKey !== before) scan?.scanner.setMatcher(next);
      return {};
    },
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

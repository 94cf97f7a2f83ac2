/**
 * Content-script entry for a platform page. WXT's `ctx` is the page lifecycle: it aborts when the
 * extension reloads, and SPA navigation re-inits through it.
 */
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { sendMessage } from '../platform/messages';
import type { PlatformId } from '../sites/platforms';

export async function startPage(
  ctx: ContentScriptContext,
  platform: PlatformId,
  location: Location = window.location,
): Promise<void> {
  try {
    const { paused } = await sendMessage('pageHello', { url: location.href, platform });
    if (paused || ctx.signal.aborted) return;
  } catch (error) {
    // A per-site failure must never break the page: log to the extension, don't throw into the page.
    console.warn('[LeadGuard]', error);
  }
}

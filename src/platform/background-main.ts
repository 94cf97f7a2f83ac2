import { browser } from 'wxt/browser';
import { onMessage } from './messages';
import { forgetTab, pruneTabs, readTabState, writeTabState } from './tab-state';

/** Registers every background listener synchronously, as MV3 service workers require. */
export function startBackground(): void {
  onMessage({
    async pageHello({ url, platform }, sender) {
      const tabId = sender.tab?.id;
      if (tabId === undefined) throw new Error('pageHello must come from a tab');
      const state = await writeTabState(tabId, { url, platform, leads: 0, mentions: 0 });
      return { paused: state.paused };
    },
    getTabState: ({ tabId }) => readTabState(tabId),
  });
  browser.tabs.onRemoved.addListener((tabId) => void forgetTab(tabId));
  browser.runtime.onStartup.addListener(async () => {
    const tabs = await browser.tabs.query({});
    await pruneTabs(tabs.flatMap((t) => (t.id === undefined ? [] : [t.id])));
  });
}

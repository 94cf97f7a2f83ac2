import { browser } from 'wxt/browser';
import { MatchPattern } from 'wxt/utils/match-patterns';
import { platforms } from '../sites/platforms';
import {
  activeListInfo,
  broadcast,
  currentMatcher,
  resetActiveList,
  setActiveList,
} from './matcher-service';
import { onMessage } from './messages';
import { isPaused, setPlatformPaused } from './paused';
import { forgetTab, pruneTabs, readTabState, writeTabState } from './tab-state';

/** Registers every background listener synchronously, as MV3 service workers require. */
export function startBackground(): void {
  onMessage({
    async pageHello({ url, platform }, sender) {
      const tabId = sender.tab?.id;
      if (tabId === undefined) throw new Error('pageHello must come from a tab');
      const paused = await isPaused(platform);
      await writeTabState(tabId, { url, platform, leads: 0, mentions: 0, paused });
      return { paused };
    },
    getTabState: ({ tabId }) => readTabState(tabId),
    async getMatcher({ have }) {
      const { key, matcher } = await currentMatcher();
      return { key, matcher: have === key ? null : matcher };
    },
    getListInfo: () => activeListInfo(),
    importList: async ({ list }) => ({ key: await setActiveList(list) }),
    resetList: async () => ({ key: await resetActiveList() }),
    async pageReport({ url, leads, mentions }, sender) {
      const tabId = sender.tab?.id;
      if (tabId === undefined) throw new Error('pageReport must come from a tab');
      await writeTabState(tabId, { url, leads, mentions });
      return {};
    },
    async setPaused({ platform, paused }) {
      await setPlatformPaused(platform, paused);
      const patterns = platforms
        .find((p) => p.id === platform)!
        .matches.map((m) => new MatchPattern(m));
      const onPlatform = (tab: { url?: string }) =>
        patterns.some((p) => tab.url !== undefined && p.includes(tab.url));
      for (const tab of (await browser.tabs.query({})).filter(onPlatform)) {
        if (tab.id === undefined || !tab.url) continue;
        const cleared = paused ? { leads: 0, mentions: 0 } : {};
        await writeTabState(tab.id, { url: tab.url, platform, paused, ...cleared });
      }
      await broadcast('pauseChanged', { paused }, onPlatform);
      return { paused };
    },
  });
  browser.tabs.onRemoved.addListener((tabId) => void forgetTab(tabId));
  browser.runtime.onStartup.addListener(async () => {
    const tabs = await browser.tabs.query({});
    await pruneTabs(tabs.flatMap((t) => (t.id === undefined ? [] : [t.id])));
  });
  // Compile the active list ahead of the first tab asking for it.
  browser.runtime.onInstalled.addListener(() => void currentMatcher());
}

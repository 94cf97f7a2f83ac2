import { browser } from 'wxt/browser';
import { MatchPattern } from 'wxt/utils/match-patterns';
import { platforms } from '../sites/platforms';
import {
  activeListInfo,
  importStaged,
  localEntrySummaries,
  putLocalEntries,
  reconcile,
  removeLocalEntries,
  resetImport,
} from './list-store';
import {
  addFeed,
  recoverInterruptedSyncs,
  removeFeed,
  schedule,
  syncAll,
  syncFeed,
  syncStatus,
  SYNC_ALARM,
  writeSettings,
} from './sync';
import { onMessage, sendMessage } from './messages';
import { isPaused, setPlatformPaused } from './paused';
import { startReports } from './report-background';
import { forgetTab, pruneTabs, readTabState, writeTabState } from './tab-state';

/** Registers every background listener synchronously, as MV3 service workers require. */
export function startBackground(): void {
  onMessage({
    async pageHello({ url, platform }, sender) {
      const tabId = sender.tab?.id;
      if (tabId === undefined) throw new Error('pageHello must come from a tab');
      const paused = await isPaused(platform);
      await writeTabState(tabId, { url, platform, leads: 0, mentions: 0, paused, fallback: null });
      return { paused };
    },
    getTabState: ({ tabId }) => readTabState(tabId),
    getListInfo: () => activeListInfo(),
    importList: async ({ staged }) => ({ sha256: (await importStaged(staged)).matcherSha256 }),
    resetList: async () => ({ sha256: (await resetImport()).matcherSha256 }),
    getLocalEntries: () => localEntrySummaries(),
    putLocalEntries: async ({ entries }) => ({
      sha256: (await putLocalEntries(entries)).matcherSha256,
    }),
    removeLocalEntries: async ({ ids }) => ({
      sha256: (await removeLocalEntries(ids)).matcherSha256,
    }),
    getSyncStatus: () => syncStatus(),
    async syncNow() {
      await syncAll({ force: true });
      return syncStatus();
    },
    async addFeed(input) {
      const feed = await addFeed(input);
      await syncFeed(feed);
      await schedule();
      return syncStatus();
    },
    async removeFeed({ id }) {
      await removeFeed(id);
      return syncStatus();
    },
    async setSyncSettings(settings) {
      await writeSettings(settings);
      return syncStatus();
    },
    async pageReport({ url, leads, mentions, fallback }, sender) {
      const tabId = sender.tab?.id;
      if (tabId === undefined) throw new Error('pageReport must come from a tab');
      await writeTabState(tabId, {
        url,
        leads,
        mentions,
        ...(fallback !== undefined ? { fallback } : {}),
      });
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
      await broadcast({ paused }, onPlatform);
      return { paused };
    },
  });
  startReports();
  browser.tabs.onRemoved.addListener((tabId) => void forgetTab(tabId));
  browser.runtime.onStartup.addListener(async () => {
    const tabs = await browser.tabs.query({});
    await pruneTabs(tabs.flatMap((t) => (t.id === undefined ? [] : [t.id])));
  });
  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === SYNC_ALARM) void syncAll().catch(warn);
  });
  // Every start of the worker: make sure tabs have the active list to read (a first run, or a
  // worker stopped between a switch and publishing it), and note a sync the stop interrupted.
  const ready = reconcile()
    .then(() => recoverInterruptedSyncs())
    .then(() => schedule())
    .catch(warn);
  browser.runtime.onStartup.addListener(
    () => void ready.then(() => syncAll({ force: true })).catch(warn),
  );
}

const warn = (error: unknown) => console.warn('[LeadGuard]', error);

/** Sends a message to every tab that passes `filter` (tabs without LeadGuard don't answer). */
export async function broadcast(
  data: { paused: boolean },
  filter: (tab: { url?: string }) => boolean = () => true,
): Promise<void> {
  const tabs = await browser.tabs.query({});
  await Promise.all(
    tabs
      .filter((tab) => tab.id !== undefined && filter(tab))
      .map((tab) => sendMessage('pauseChanged', data, tab.id).catch(() => {})),
  );
}

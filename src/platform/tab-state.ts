/**
 * Per-tab state kept by the background: which platform a tab shows and how many leads it holds.
 * Kept in session storage so a restarted MV3 service worker still knows it.
 */
import { browser } from 'wxt/browser';
import { storage } from 'wxt/utils/storage';
import { z } from 'zod';
import { TabState } from './messages';

const tabStates = storage.defineItem<Record<string, unknown>>('session:tab-states', {
  fallback: {},
});

export async function readTabState(tabId: number): Promise<TabState | null> {
  const all = await tabStates.getValue();
  const parsed = TabState.safeParse(all[String(tabId)]);
  return parsed.success ? parsed.data : null;
}

export async function writeTabState(
  tabId: number,
  update: Partial<TabState> & Pick<TabState, 'url'>,
  now = Date.now,
): Promise<TabState> {
  const all = await tabStates.getValue();
  const previous = TabState.safeParse(all[String(tabId)]);
  const next = TabState.parse({
    platform: null,
    leads: 0,
    mentions: 0,
    paused: false,
    ...(previous.success ? previous.data : {}),
    ...update,
    updatedAt: now(),
  });
  await tabStates.setValue({ ...all, [String(tabId)]: next });
  await showLeadCount(tabId, next.leads);
  return next;
}

export async function forgetTab(tabId: number): Promise<void> {
  const all = await tabStates.getValue();
  if (!(String(tabId) in all)) return;
  const { [String(tabId)]: _gone, ...rest } = all;
  await tabStates.setValue(rest);
}

const TabIdList = z.array(z.number());

/** Drops state of tabs that no longer exist (the worker may have slept through their closing). */
export async function pruneTabs(openTabIds: unknown): Promise<void> {
  const open = new Set(TabIdList.parse(openTabIds).map(String));
  const all = await tabStates.getValue();
  const kept = Object.fromEntries(Object.entries(all).filter(([id]) => open.has(id)));
  if (Object.keys(kept).length !== Object.keys(all).length) await tabStates.setValue(kept);
}

async function showLeadCount(tabId: number, leads: number): Promise<void> {
  // MV2 Firefox builds expose browserAction, MV3 builds action.
  const action = browser.action ?? browser.browserAction;
  await action.setBadgeBackgroundColor({ tabId, color: '#c82828' });
  await action.setBadgeText({ tabId, text: leads > 0 ? String(Math.min(leads, 999)) : '' });
}

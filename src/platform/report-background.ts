/**
 * The background's part of reporting: the report messages, the outbox's alarm and recovery at
 * worker start, the context menu ("举报此账号", "举报选中文字") and the keyboard shortcut, which
 * ask the tab what they point at. Listeners are registered synchronously, as MV3 requires.
 */
import { browser } from 'wxt/browser';
import { supportedMatches } from '../sites/platforms';
import { onMessage, sendMessage } from './messages';
import { cancelReport, kick, OUTBOX_ALARM, recoverOutbox, retryReport } from './outbox';
import { fileReport } from './report-filing';
import { readReportPrefs, readReportSettings, writeReportSettings } from './report-settings';

export const REPORT_COMMAND = 'report-focused';
const MENU_ACCOUNT = 'leadguard-report-account';
const MENU_SELECTION = 'leadguard-report-selection';

const warn = (error: unknown) => console.warn('[LeadGuard] reports', error);

export function startReports(): void {
  onMessage({
    fileReport: (draft, sender) => fileReport(draft, sender),
    getReportPrefs: () => readReportPrefs(),
    async setReportPrefs(prefs) {
      await writeReportSettings(prefs);
      return readReportPrefs();
    },
    getReportSettings: () => readReportSettings(),
    async setReportSettings(update) {
      const next = await writeReportSettings(update);
      // A server or token just set: whatever waited for one goes now.
      kick();
      return next;
    },
    async retryReport({ id }) {
      await retryReport(id);
      return {};
    },
    async cancelReport({ id }) {
      await cancelReport(id);
      return {};
    },
  });
  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === OUTBOX_ALARM) kick();
  });
  browser.runtime.onInstalled.addListener(() => void createMenus().catch(warn));
  browser.contextMenus?.onClicked.addListener((info, tab) => {
    if (tab?.id === undefined) return;
    const selection = info.menuItemId === MENU_SELECTION;
    void sendMessage(
      'reportTarget',
      {
        source: 'context-menu',
        what: selection ? 'selection' : 'account',
        ...(selection && info.selectionText
          ? { selection: info.selectionText.slice(0, 20_000) }
          : {}),
      },
      tab.id,
    ).catch(warn);
  });
  browser.commands?.onCommand.addListener((command, tab) => {
    if (command !== REPORT_COMMAND || tab?.id === undefined) return;
    void sendMessage('reportTarget', { source: 'shortcut', what: 'focused' }, tab.id).catch(warn);
  });
  // Every worker start: a report a stopped worker left mid-send goes again; due ones go now.
  void recoverOutbox()
    .then(() => kick())
    .catch(warn);
}

async function createMenus(): Promise<void> {
  await browser.contextMenus.removeAll();
  browser.contextMenus.create({
    id: MENU_ACCOUNT,
    title: 'LeadGuard：举报此账号',
    contexts: ['page', 'link', 'image'],
    documentUrlPatterns: [...supportedMatches],
  });
  browser.contextMenus.create({
    id: MENU_SELECTION,
    title: 'LeadGuard：举报选中文字',
    contexts: ['selection'],
    documentUrlPatterns: [...supportedMatches],
  });
}

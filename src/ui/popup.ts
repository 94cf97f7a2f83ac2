/**
 * The toolbar popup: what LeadGuard sees on the current tab.
 * `?tab=<id>` names the tab explicitly (tests open the popup as a page, where the popup itself
 * would be the active tab).
 */
import { browser } from 'wxt/browser';
import { diagnosticText, type LayoutDiagnostic } from '../page/layout-check';
import { sendMessage, type TabState } from '../platform/messages';
import { platforms, type PlatformId } from '../sites/platforms';

export async function renderPopup(
  root: HTMLElement,
  search: string = location.search,
): Promise<void> {
  const tabId = await targetTabId(search);
  const state = tabId === null ? null : await sendMessage('getTabState', { tabId });
  root.replaceChildren(heading('LeadGuard'), status(state));
  if (state?.fallback) root.append(fallbackNotice(state.fallback));
  if (state?.platform)
    root.append(pauseButton(state.platform, state.paused, () => renderPopup(root, search)));
  root.append(await listSummary(() => renderPopup(root, search)));
}

/** The active list and, with feeds, when they last synced and a "sync now" button. */
async function listSummary(rerender: () => Promise<void>): Promise<HTMLElement> {
  const [info, sync] = await Promise.all([
    sendMessage('getListInfo', {}),
    sendMessage('getSyncStatus', {}),
  ]);
  const section = document.createElement('section');
  section.className = 'list';
  const line = document.createElement('p');
  line.className = 'list-line';
  line.textContent = `名单 ${info.name ?? info.id} v${info.version}`;
  section.append(line);
  if (sync.feeds.length === 0) return section;
  const last = Math.max(0, ...sync.feeds.map((f) => f.lastSuccessAt ?? 0));
  const errors = sync.feeds.filter((f) => f.lastError).map((f) => f.lastError!);
  const when = document.createElement('p');
  when.className = errors.length ? 'sync-line error' : 'sync-line';
  when.textContent = errors.length
    ? `同步失败：${errors[0]}`
    : `上次同步 ${last ? new Date(last).toLocaleString('zh-CN', { hour12: false }) : '—'}`;
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'sync-now';
  button.textContent = '立即同步';
  button.addEventListener('click', async () => {
    button.disabled = true;
    button.textContent = '同步中…';
    await sendMessage('syncNow', {});
    await rerender();
  });
  section.append(when, button);
  return section;
}

/** Pauses or resumes LeadGuard on the tab's platform; the tabs on it stop or rescan at once. */
function pauseButton(
  platform: PlatformId,
  paused: boolean,
  rerender: () => Promise<void>,
): HTMLElement {
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'pause';
  button.textContent = paused ? '在此平台恢复' : '在此平台暂停';
  button.addEventListener('click', async () => {
    button.disabled = true;
    await sendMessage('setPaused', { platform, paused: !paused });
    await rerender();
  });
  return button;
}

async function targetTabId(search: string): Promise<number | null> {
  const param = new URLSearchParams(search).get('tab');
  if (param !== null && /^\d+$/.test(param)) return Number(param);
  const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
  return tab?.id ?? null;
}

function heading(text: string): HTMLElement {
  const h1 = document.createElement('h1');
  h1.textContent = text;
  return h1;
}

function status(state: TabState | null): HTMLElement {
  const dl = document.createElement('dl');
  dl.className = 'status';
  const platform = state?.platform ? platforms.find((p) => p.id === state.platform) : undefined;
  const rows: [string, string, string?][] = platform
    ? [
        ['平台', platform.name],
        ['状态', state!.paused ? '已暂停' : '运行中'],
        ['引流线索', String(state!.leads), 'leads'],
        ['提及', String(state!.mentions)],
      ]
    : [['状态', '此页面不是受支持的平台']];
  for (const [term, value, className] of rows) {
    const dt = document.createElement('dt');
    dt.textContent = term;
    const dd = document.createElement('dd');
    dd.textContent = value;
    if (className) dd.className = className;
    dl.append(dt, dd);
  }
  dl.dataset.platform = platform?.id ?? '';
  return dl;
}

/**
 * The page fell back to generic mode (issue 9): say so, and give the user the diagnostic to paste
 * into a bug report (adapter, page kind, the selectors that found nothing, the version).
 */
function fallbackNotice(diagnostic: LayoutDiagnostic): HTMLElement {
  const english = "this site's layout looks changed — scanning in generic mode";
  const section = document.createElement('section');
  section.className = 'fallback';
  section.setAttribute('role', 'status');
  section.title = english;
  const line = document.createElement('p');
  line.className = 'fallback-line';
  line.textContent = '此网站的页面结构似乎已改版，正在以通用模式扫描（账号信息不可用）';
  const text = diagnosticText(diagnostic);
  const details = document.createElement('textarea');
  details.className = 'diagnostic';
  details.readOnly = true;
  details.rows = 4;
  details.value = text;
  details.setAttribute('aria-label', '诊断信息');
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'copy-diagnostic';
  button.textContent = '复制诊断信息';
  button.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(text);
    } catch {
      // No clipboard permission in this context: select it for the user's own copy.
      details.select();
      document.execCommand('copy');
    }
    button.textContent = '已复制';
  });
  section.append(line, details, button);
  return section;
}

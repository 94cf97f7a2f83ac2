/**
 * Options: which list is active and where it comes from, importing a list file (for T&S teams
 * without a feed), and going back from an import. The file goes to the background through the
 * extension's database, so a list of hundreds of MB is never one message, and the background
 * compiles it while open tabs keep the previous list. A bad file shows why and changes nothing.
 */
import { stageImport } from '../platform/staged-import';
import { sendMessage, type ListInfo } from '../platform/messages';
import { renderFeeds } from './feeds-panel';
import { renderLocalEntries } from './local-entries-panel';
import { renderReportSettings } from './report-settings-panel';

export async function renderOptions(root: HTMLElement): Promise<void> {
  const info = await sendMessage('getListInfo', {});
  const h1 = document.createElement('h1');
  h1.textContent = 'LeadGuard 设置';
  const h2 = document.createElement('h2');
  h2.textContent = '名单';
  const status = document.createElement('p');
  status.id = 'status';
  status.setAttribute('role', 'status');
  const label = document.createElement('label');
  label.textContent = '导入名单（JSON 文件）：';
  const input = document.createElement('input');
  input.type = 'file';
  input.accept = 'application/json,.json';
  input.id = 'import-list';
  label.append(input);
  input.addEventListener('change', async () => {
    const file = input.files?.[0];
    if (!file) return;
    input.disabled = true;
    show(root, `正在导入 ${file.name}：校验并编译，已打开的页面继续使用当前名单…`, 'busy');
    try {
      const staged = await stageImport(file, file.name);
      const { sha256 } = await sendMessage('importList', { staged });
      const next = await renderOptions(root).then(() => sendMessage('getListInfo', {}));
      show(root, `已启用 ${next.id}@${next.version}（${sha256.slice(0, 12)}）`, 'ok');
    } catch (error) {
      input.disabled = false;
      show(root, `导入失败：${(error as Error).message}`, 'error');
    }
  });
  const reset = document.createElement('button');
  reset.type = 'button';
  reset.id = 'reset-list';
  reset.textContent = '恢复内置名单';
  reset.title = '删除导入的名单（订阅的名单保留）';
  reset.disabled = !info.hasImport;
  reset.addEventListener('click', async () => {
    reset.disabled = true;
    try {
      const { sha256 } = await sendMessage('resetList', {});
      await renderOptions(root);
      show(root, `已启用 ${sha256.slice(0, 12)}`, 'ok');
    } catch (error) {
      reset.disabled = false;
      show(root, `恢复失败：${(error as Error).message}`, 'error');
    }
  });
  const feeds = document.createElement('section');
  feeds.id = 'feeds';
  const local = document.createElement('section');
  local.id = 'local';
  const reports = document.createElement('section');
  reports.id = 'reports';
  root.replaceChildren(h1, h2, listInfo(info), label, reset, status, feeds, local, reports);
  await renderFeeds(feeds, () => renderOptions(root));
  await renderLocalEntries(local, () => renderOptions(root));
  await renderReportSettings(reports);
}

function sourceName(info: ListInfo): string {
  if (info.isDefault) return '内置默认名单';
  return info.sources
    .map(({ source, version }) =>
      source === 'import'
        ? `已导入 v${version}`
        : source === 'bundled'
          ? '内置'
          : `订阅 ${source.slice(5)} v${version}`,
    )
    .join('，');
}

function listInfo(info: ListInfo): HTMLElement {
  const dl = document.createElement('dl');
  dl.id = 'list-info';
  const rows: [string, string][] = [
    ['名单', info.name ?? info.id],
    ['版本', String(info.version)],
    [
      '条目',
      info.members === info.entries
        ? String(info.entries)
        : `${info.entries}（含 ${info.members} 个账号/联系方式）`,
    ],
    ['来源', sourceName(info)],
    ['我的条目', String(info.localEntries)],
    ['内容哈希', info.sha256 ? info.sha256.slice(0, 16) : '—'],
  ];
  for (const [k, v] of rows) {
    const dt = document.createElement('dt');
    dt.textContent = k;
    const dd = document.createElement('dd');
    dd.textContent = v;
    dl.append(dt, dd);
  }
  dl.dataset.sha256 = info.sha256 ?? '';
  return dl;
}

function show(root: HTMLElement, text: string, kind: 'ok' | 'error' | 'busy'): void {
  const status = root.querySelector<HTMLElement>('#status');
  if (!status) return;
  status.textContent = text;
  status.className = kind;
}

/**
 * Options → 举报: the report server and token, the reporter's identity, which evidence is sent
 * (turning on MHTML asks for the optional pageCapture permission; screenshots from the hover card
 * ask for <all_urls>, which captureVisibleTab needs without a gesture on LeadGuard's own UI), the
 * retention period and the storage cap, and a link to the report history.
 */
import { browser } from 'wxt/browser';
import { sendMessage } from '../platform/messages';
import type { ReportSettings } from '../platform/report-settings';

function field(label: string, name: string, value: string, type = 'text'): HTMLLabelElement {
  const l = document.createElement('label');
  l.textContent = `${label} `;
  const input = document.createElement('input');
  input.name = name;
  input.type = type;
  input.value = value;
  l.append(input);
  return l;
}

function checkbox(label: string, name: string, checked: boolean): HTMLLabelElement {
  const l = document.createElement('label');
  const input = document.createElement('input');
  input.type = 'checkbox';
  input.name = name;
  input.checked = checked;
  l.append(input, ` ${label}`);
  return l;
}

export async function renderReportSettings(section: HTMLElement): Promise<void> {
  const settings = await sendMessage('getReportSettings', {});
  const h2 = document.createElement('h2');
  h2.textContent = '举报';
  const form = document.createElement('form');
  form.id = 'report-settings';
  const cardShots = await browser.permissions
    .contains({ origins: ['<all_urls>'] })
    .catch(() => false);
  form.append(
    field('举报服务器', 'serverUrl', settings.serverUrl, 'url'),
    field('令牌', 'token', settings.token, 'password'),
    field('举报人', 'name', settings.reporter.name),
    field('单位', 'org', settings.reporter.org),
    field('联系方式', 'contact', settings.reporter.contact),
    checkbox('附截图', 'screenshot', settings.evidence.screenshot),
    checkbox(
      `从悬浮卡片举报时也截图（需授予“读取网页”权限）${cardShots ? '：已授权' : ''}`,
      'cardShots',
      cardShots,
    ),
    checkbox('附 HTML 片段', 'snippet', settings.evidence.snippet),
    checkbox(
      '附整页存档 MHTML（需授予“保存网页”权限，仅 Chromium）',
      'mhtml',
      settings.evidence.mhtml,
    ),
    field('已送达证据保留天数', 'retentionDays', String(settings.retentionDays), 'number'),
    field('证据存储上限（MB）', 'maxStorageMB', String(settings.maxStorageMB), 'number'),
  );
  const save = document.createElement('button');
  save.type = 'submit';
  save.textContent = '保存举报设置';
  const status = document.createElement('p');
  status.id = 'report-settings-status';
  status.setAttribute('role', 'status');
  const history = document.createElement('a');
  history.href = browser.runtime.getURL('/reports.html');
  history.textContent = '举报记录';
  history.id = 'open-report-history';
  form.append(save);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const value = (name: string) => String(data.get(name) ?? '');
    const on = (name: string) => data.get(name) === 'on';
    try {
      // Permissions are asked here, in the click's gesture, before anything is awaited.
      const askMhtml =
        on('mhtml') && !settings.evidence.mhtml
          ? browser.permissions.request({ permissions: ['pageCapture'] as never })
          : Promise.resolve(true);
      const askShots =
        on('cardShots') && !cardShots
          ? browser.permissions.request({ origins: ['<all_urls>'] })
          : Promise.resolve(true);
      const granted = await Promise.all([askMhtml, askShots]);
      const update: Partial<ReportSettings> = {
        serverUrl: value('serverUrl'),
        token: value('token'),
        reporter: { name: value('name'), org: value('org'), contact: value('contact') },
        evidence: {
          screenshot: on('screenshot'),
          snippet: on('snippet'),
          mhtml: on('mhtml') && granted[0],
        },
        retentionDays: Number(value('retentionDays')),
        maxStorageMB: Number(value('maxStorageMB')),
      };
      if (value('serverUrl') !== settings.serverUrl) update.receiptKeys = [];
      await sendMessage('setReportSettings', update);
      status.textContent = granted.includes(false) ? '已保存；未获授权的证据不会附上' : '已保存';
      status.className = granted.includes(false) ? 'error' : 'ok';
    } catch (error) {
      status.textContent = `保存失败：${(error as Error).message}`;
      status.className = 'error';
    }
  });
  section.replaceChildren(h2, form, status, history);
}

/**
 * The report history: every report with its status, account, category, time, evidence preview,
 * the server's reference and whether its receipt verifies; filters and search; retry or cancel a
 * report that is not delivered; export as CSV or as a zip of JSON with the evidence (one folder
 * per report: report.json, receipt.json and the evidence files, which `leadguard report verify`
 * checks). Page text is only ever set as textContent; screenshots are shown from blob: URLs.
 * The list follows the database live (Dexie's liveQuery sees the background's writes).
 */
import { liveQuery } from 'dexie';
import { zipSync } from 'fflate';
import { verifyReceipt } from '../core/report';
import { defaultVerifier } from '../core/signature';
import { db, type ReportRecord, type ReportStatus } from '../platform/db';
import { sendMessage } from '../platform/messages';
import { heldBytes } from '../platform/outbox';
import { readReportSettings, readStorageFull } from '../platform/report-settings';

const statusLabel: Record<ReportStatus, string> = {
  queued: '排队中',
  sending: '发送中',
  delivered: '已送达',
  rejected: '被拒绝',
  retrying: '等待重试',
  cancelled: '已取消',
};

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  text?: string,
  className?: string,
): HTMLElementTagNameMap[K] {
  const n = document.createElement(tag);
  if (text !== undefined) n.textContent = text;
  if (className) n.className = className;
  return n;
}

const time = (ms: number | null) => (ms === null ? '' : new Date(ms).toLocaleString('zh-CN'));

interface Filter {
  status: string;
  platform: string;
  search: string;
}

export function matchesFilter(r: ReportRecord, f: Filter): boolean {
  if (f.status && r.status !== f.status) return false;
  if (f.platform && r.report.platform !== f.platform) return false;
  const q = f.search.trim().toLowerCase();
  if (!q) return true;
  const hay = [
    r.report.text,
    r.report.account?.id,
    r.report.account?.handle,
    r.report.contentUrl,
    r.serverId,
    r.id,
    r.report.categories.join(' '),
    r.report.ruleIds.join(' '),
  ]
    .filter(Boolean)
    .join('\n')
    .toLowerCase();
  return hay.includes(q);
}

/** One CSV cell: quoted, and a leading = + - @ defused so spreadsheets don't run page text. */
export function csvCell(value: string | number | null | undefined): string {
  let s = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return `"${s.replace(/"/g, '""')}"`;
}

export function toCsv(records: ReportRecord[]): string {
  const header = [
    'id',
    'created',
    'status',
    'platform',
    'account_id',
    'account_handle',
    'verdict',
    'categories',
    'rule_ids',
    'probability',
    'text',
    'content_url',
    'server_id',
    'delivered',
    'last_error',
    'receipt',
  ];
  const rows = records.map((r) =>
    [
      r.id,
      new Date(r.createdAt).toISOString(),
      r.status,
      r.report.platform,
      r.report.account?.id,
      r.report.account?.handle,
      r.report.verdict,
      r.report.categories.join('、'),
      r.report.ruleIds.join(' '),
      r.report.probability,
      r.report.text,
      r.report.contentUrl,
      r.serverId,
      r.deliveredAt === null ? '' : new Date(r.deliveredAt).toISOString(),
      r.lastError,
      r.receiptCheck,
    ]
      .map(csvCell)
      .join(','),
  );
  // A BOM so spreadsheet programs read the Chinese text as UTF-8.
  return `\ufeff${[header.join(','), ...rows].join('\r\n')}\r\n`;
}

/** The zip of reports with their evidence, one folder per report. */
export async function toZip(records: ReportRecord[]): Promise<Uint8Array> {
  const encode = (value: unknown) =>
    new TextEncoder().encode(`${JSON.stringify(value, null, 2)}\n`);
  const files: Record<string, Uint8Array> = {};
  const index = [];
  for (const r of records) {
    files[`${r.id}/report.json`] = encode(r.report);
    if (r.receipt) files[`${r.id}/receipt.json`] = encode(r.receipt);
    for (const e of await db.evidence.where('reportId').equals(r.id).toArray())
      files[`${r.id}/${e.name}`] = e.bytes;
    index.push({
      id: r.id,
      status: r.status,
      serverId: r.serverId,
      createdAt: new Date(r.createdAt).toISOString(),
      deliveredAt: r.deliveredAt === null ? null : new Date(r.deliveredAt).toISOString(),
      lastError: r.lastError,
      receiptCheck: r.receiptCheck,
      evidencePruned: r.evidencePrunedAt !== null,
    });
  }
  files['reports.json'] = encode(index);
  return zipSync(files, { level: 6 });
}

function download(bytes: Uint8Array | string, name: string, type: string): void {
  const url = URL.createObjectURL(new Blob([bytes as BlobPart], { type }));
  const a = el('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

export async function renderReports(root: HTMLElement): Promise<void> {
  const filter: Filter = { status: '', platform: '', search: '' };
  const h1 = el('h1', 'LeadGuard 举报记录');
  const banner = el('p', '', 'banner');
  banner.id = 'storage-full';
  const usage = el('p');
  usage.id = 'storage-usage';
  const toolbar = el('div', undefined, 'toolbar');
  const status = el('select');
  status.id = 'filter-status';
  status.append(el('option', '全部状态'));
  (status.firstChild as HTMLOptionElement).value = '';
  for (const [value, label] of Object.entries(statusLabel)) {
    const o = el('option', label);
    o.value = value;
    status.append(o);
  }
  const platform = el('select');
  platform.id = 'filter-platform';
  const search = el('input');
  search.type = 'search';
  search.id = 'search';
  search.placeholder = '搜索文字、账号、链接、编号';
  const csv = el('button', '导出 CSV');
  csv.id = 'export-csv';
  const zip = el('button', '导出 JSON + 证据（zip）');
  zip.id = 'export-zip';
  toolbar.append(status, platform, search, csv, zip);
  const message = el('p');
  message.id = 'message';
  message.setAttribute('role', 'status');
  const table = el('table');
  table.id = 'reports';
  const head = el('tr');
  for (const h of ['时间', '状态', '平台 / 账号', '类别', '内容', '证据', '服务器编号 / 回执', ''])
    head.append(el('th', h));
  const body = el('tbody');
  const thead = el('thead');
  thead.append(head);
  table.append(thead, body);
  root.replaceChildren(h1, banner, usage, toolbar, message, table);

  let all: ReportRecord[] = [];
  const previews = new Map<string, string>();
  const receipts = new Map<string, string>();
  const visible = () => all.filter((r) => matchesFilter(r, filter));
  const say = (text: string, kind: 'ok' | 'error') => {
    message.textContent = text;
    message.className = kind;
  };

  const receiptText = async (r: ReportRecord): Promise<string> => {
    if (!r.receipt) return '';
    const key = `${r.id}:${r.evidencePrunedAt ?? ''}`;
    const cached = receipts.get(key);
    if (cached) return cached;
    const settings = await readReportSettings();
    const evidence = await db.evidence.where('reportId').equals(r.id).toArray();
    const check = await verifyReceipt(r.receipt, {
      trustedKeys: settings.receiptKeys,
      verifier: await defaultVerifier(),
      report: r.report,
      ...(r.evidencePrunedAt === null ? { artifacts: evidence } : {}),
    });
    const text = check.ok ? '回执已验证' : `回执未通过：${check.reason}`;
    receipts.set(key, text);
    return text;
  };

  const preview = async (r: ReportRecord): Promise<HTMLElement> => {
    const cell = el('td');
    const names = r.report.evidence.map((e) => e.name);
    if (r.evidencePrunedAt !== null) {
      cell.append(el('span', `已清理（${names.join('、') || '无'}，哈希保留）`));
      return cell;
    }
    let url = previews.get(r.id);
    if (url === undefined && names.includes('screenshot.png')) {
      const shot = await db.evidence.get([r.id, 'screenshot.png']);
      if (shot) {
        url = URL.createObjectURL(new Blob([shot.bytes as BlobPart], { type: 'image/png' }));
        previews.set(r.id, url);
      }
    }
    if (url) {
      const img = el('img', undefined, 'preview');
      img.src = url;
      img.alt = '截图';
      cell.append(img);
    }
    cell.append(el('div', names.join('、') || '无证据'));
    for (const o of r.report.omitted)
      cell.append(el('div', `未附 ${o.kind}：${o.reason}`, 'error'));
    return cell;
  };

  const render = async () => {
    const platforms = [...new Set(all.map((r) => r.report.platform))].sort();
    if (platform.options.length !== platforms.length + 1) {
      const keep = platform.value;
      platform.replaceChildren(el('option', '全部平台'));
      (platform.firstChild as HTMLOptionElement).value = '';
      for (const p of platforms) {
        const o = el('option', p);
        o.value = p;
        platform.append(o);
      }
      platform.value = keep;
    }
    const rows: HTMLElement[] = [];
    for (const r of visible()) {
      const tr = el('tr');
      tr.dataset.id = r.id;
      tr.dataset.status = r.status;
      tr.append(el('td', time(r.createdAt)));
      const st = el('td', undefined, `status-${r.status}`);
      st.append(el('div', statusLabel[r.status]));
      if (r.lastError) st.append(el('div', r.lastError, 'reason'));
      if (r.status === 'retrying' && r.nextAttemptAt)
        st.append(el('div', `下次尝试 ${time(r.nextAttemptAt)}（第 ${r.attempts} 次已失败）`));
      tr.append(st);
      const who = el('td');
      who.append(el('div', r.report.platform));
      if (r.report.account) {
        who.append(el('div', r.report.account.handle ?? ''));
        who.append(el('code', r.report.account.id));
      }
      tr.append(who);
      tr.append(el('td', `${r.report.verdict} · ${r.report.categories.join('、')}`));
      const text = el('td', r.report.text, 'text');
      tr.append(text);
      tr.append(await preview(r));
      const ref = el('td');
      if (r.serverId) ref.append(el('code', r.serverId));
      if (r.receipt) ref.append(el('div', await receiptText(r), 'receipt'));
      tr.append(ref);
      const actions = el('td');
      if (['rejected', 'retrying', 'queued'].includes(r.status)) {
        const retry = el('button', '重试');
        retry.className = 'retry';
        retry.addEventListener('click', () =>
          sendMessage('retryReport', { id: r.id }).then(
            () => say('已重新排队', 'ok'),
            (e: Error) => say(e.message, 'error'),
          ),
        );
        const cancel = el('button', '取消');
        cancel.className = 'cancel';
        cancel.addEventListener('click', () =>
          sendMessage('cancelReport', { id: r.id }).then(
            () => say('已取消', 'ok'),
            (e: Error) => say(e.message, 'error'),
          ),
        );
        actions.append(retry, cancel);
      }
      tr.append(actions);
      rows.push(tr);
    }
    body.replaceChildren(...rows);
    const settings = await readReportSettings();
    const held = await heldBytes();
    let estimate = '';
    try {
      const e = await navigator.storage.estimate();
      estimate = `；浏览器存储已用 ${((e.usage ?? 0) / 1e6).toFixed(1)} MB / 配额 ${((e.quota ?? 0) / 1e6).toFixed(0)} MB`;
    } catch {
      // No estimate in this browser.
    }
    usage.textContent = `${all.length} 份举报；证据占 ${(held / 1e6).toFixed(1)} MB / 上限 ${settings.maxStorageMB} MB${estimate}`;
    const full = await readStorageFull();
    banner.textContent = full ? `${time(full.at)}：${full.message}` : '';
    root.dataset.rendered = String(Date.now());
  };

  let rendering = Promise.resolve();
  const rerender = () => {
    rendering = rendering.then(render).catch((e: Error) => say(e.message, 'error'));
  };
  for (const [input, key] of [
    [status, 'status'],
    [platform, 'platform'],
    [search, 'search'],
  ] as const) {
    input.addEventListener('input', () => {
      filter[key] = input.value;
      rerender();
    });
  }
  csv.addEventListener('click', () =>
    download(toCsv(visible()), `leadguard-reports-${Date.now()}.csv`, 'text/csv;charset=utf-8'),
  );
  zip.addEventListener('click', async () => {
    try {
      download(await toZip(visible()), `leadguard-reports-${Date.now()}.zip`, 'application/zip');
    } catch (e) {
      say(`导出失败：${(e as Error).message}`, 'error');
    }
  });
  liveQuery(() => db.reports.orderBy('createdAt').reverse().toArray()).subscribe({
    next(records) {
      all = records;
      rerender();
    },
    error(e: Error) {
      say(e.message, 'error');
    },
  });
}

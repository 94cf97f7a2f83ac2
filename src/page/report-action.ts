/**
 * Filing a report from the page: the first time, a disclosure says what will be sent, with an
 * opt-out per evidence kind (remembered); then the block is scrolled into view and outlined, the
 * background screenshots the tab and queues the report, and a short notice says what happened.
 * Every string from the page goes into LeadGuard's UI as textContent, in closed shadow roots.
 */
import type { Assessment } from '../core/score';
import { reasonPresetFor, reasonPresets } from '../core/report';
import { sendMessage } from '../platform/messages';
import type { ReportDraft } from '../platform/report-draft';
import type { EvidenceChoice } from '../platform/report-settings';
import type { Account } from '../sites/adapter';
import { blockSnippet } from './snippet';

/** What the scanner knows of a block, enough to report it. */
export interface ReportContext {
  element: Element;
  platform: string;
  account?: Account;
  text: string;
  assessment: Pick<
    Assessment,
    'verdict' | 'categories' | 'matches' | 'contacts' | 'score' | 'probability'
  >;
  list: { id: string; version: number };
}

export type ReportSource = ReportDraft['source'];

const evidenceLabels: Record<keyof EvidenceChoice, string> = {
  screenshot: '截图（当前可见页面，举报内容用红框标出）',
  snippet: '这段内容的 HTML 片段（已清理，不含脚本）',
  mhtml: '整页存档 MHTML（需在选项页授权，仅 Chromium）',
};

function host(doc: Document, tag: string): { host: HTMLElement; root: ShadowRoot } {
  const el = doc.createElement(tag);
  el.setAttribute('data-leadguard-ui', '');
  const root = el.attachShadow({ mode: 'closed' });
  doc.documentElement.append(el);
  return { host: el, root };
}

function node<K extends keyof HTMLElementTagNameMap>(
  doc: Document,
  tag: K,
  text?: string,
): HTMLElementTagNameMap[K] {
  const n = doc.createElement(tag);
  if (text !== undefined) n.textContent = text;
  return n;
}

const panelCss = `:host { all: initial; }
.panel { position: fixed; z-index: 2147483647; right: 16px; top: 16px; width: 380px; box-sizing: border-box;
  font: 13px/1.5 system-ui, 'PingFang SC', 'Microsoft YaHei', 'WenQuanYi Zen Hei', sans-serif;
  color: #1d1d1f; background: #fff; border: 1px solid #d0d0d5; border-radius: 8px;
  box-shadow: 0 6px 24px rgba(0,0,0,.2); padding: 12px 14px; }
h2 { font-size: 14px; margin: 0 0 6px; } ul { margin: 4px 0 8px; padding-left: 18px; }
label { display: block; margin: 3px 0; } .actions { margin-top: 8px; display: flex; gap: 8px; }
button { font: inherit; padding: 3px 12px; border-radius: 5px; border: 1px solid #c81e1e; cursor: pointer; }
button.send { background: #c81e1e; color: #fff; } button.cancel { background: #fff; color: #c81e1e; }
select, textarea { font: inherit; width: 100%; box-sizing: border-box; margin-top: 4px; }`;

/**
 * The first report's disclosure: what is sent, to whom, and a checkbox per evidence kind. Resolves
 * with the choice, or null when the user cancels.
 */
export function showDisclosure(
  doc: Document,
  current: EvidenceChoice,
  configured: boolean,
): Promise<EvidenceChoice | null> {
  const { host: el, root } = host(doc, 'leadguard-disclosure');
  const panel = node(doc, 'div');
  panel.className = 'panel';
  panel.setAttribute('role', 'dialog');
  panel.setAttribute('aria-label', 'LeadGuard 举报将发送的内容');
  panel.append(node(doc, 'h2', '第一次举报：将发送以下内容'));
  const list = node(doc, 'ul');
  for (const line of [
    '平台、账号（稳定 ID、昵称、主页链接）、内容链接（去掉登录信息和 # 后缀）',
    '这段内容的文字、判定、类别、命中的规则、联系方式、模型分数、名单版本',
    '选项页填写的举报人信息、时间',
  ])
    list.append(node(doc, 'li', line));
  panel.append(list);
  panel.append(
    node(
      doc,
      'p',
      configured
        ? '证据（可取消勾选，选择会被记住）：'
        : '尚未设置举报服务器：举报先保存在本机，设置后自动发送。证据：',
    ),
  );
  const boxes = {} as Record<keyof EvidenceChoice, HTMLInputElement>;
  for (const kind of Object.keys(evidenceLabels) as (keyof EvidenceChoice)[]) {
    const label = node(doc, 'label');
    const box = node(doc, 'input');
    box.type = 'checkbox';
    box.name = kind;
    box.checked = current[kind];
    boxes[kind] = box;
    label.append(box, ` ${evidenceLabels[kind]}`);
    panel.append(label);
  }
  const actions = node(doc, 'div');
  actions.className = 'actions';
  const send = node(doc, 'button', '同意并举报');
  send.className = 'send';
  const cancel = node(doc, 'button', '取消');
  cancel.className = 'cancel';
  actions.append(send, cancel);
  panel.append(actions);
  root.append(node(doc, 'style', panelCss), panel);
  send.focus();
  return new Promise((resolve) => {
    const done = (value: EvidenceChoice | null) => {
      el.remove();
      resolve(value);
    };
    // Only the user's own click agrees to send, never one a page script dispatched.
    send.addEventListener('click', (e) => {
      if (!e.isTrusted) return;
      done({
        screenshot: boxes.screenshot.checked,
        snippet: boxes.snippet.checked,
        mhtml: boxes.mhtml.checked,
      });
    });
    cancel.addEventListener('click', () => done(null));
    panel.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') done(null);
    });
  });
}

/** A red frame around the reported block while the screenshot is taken. */
function outline(doc: Document, element: Element): () => void {
  const rect = element.getBoundingClientRect();
  const { host: el, root } = host(doc, 'leadguard-outline');
  const frame = node(doc, 'div');
  frame.setAttribute(
    'style',
    `position:fixed;z-index:2147483646;pointer-events:none;box-sizing:border-box;border:3px solid #e00000;border-radius:4px;left:${rect.left - 4}px;top:${rect.top - 4}px;width:${rect.width + 8}px;height:${rect.height + 8}px;`,
  );
  root.append(frame);
  return () => el.remove();
}

const frames = (win: Window, n: number) =>
  new Promise<void>((resolve) => {
    const step = (left: number) =>
      left === 0 ? resolve() : win.requestAnimationFrame(() => step(left - 1));
    step(n);
  });

/** A short notice of what happened to the report (queued, or why not). */
export function notice(doc: Document, message: string, ok: boolean): void {
  const { host: el, root } = host(doc, 'leadguard-notice');
  el.setAttribute('data-ok', String(ok));
  const box = node(doc, 'div', message);
  box.setAttribute('role', 'status');
  box.setAttribute(
    'style',
    `position:fixed;z-index:2147483647;left:50%;bottom:24px;transform:translateX(-50%);max-width:520px;font:13px/1.5 system-ui,'PingFang SC','WenQuanYi Zen Hei',sans-serif;color:#fff;background:${ok ? '#166534' : '#b91c1c'};padding:8px 14px;border-radius:6px;box-shadow:0 4px 16px rgba(0,0,0,.25);`,
  );
  root.append(box);
  doc.defaultView?.setTimeout(() => el.remove(), 8000);
}

export interface ReportResult {
  filed: boolean;
  message: string;
  id?: string;
}

/** Files a report of one block: disclosure (first time), outline, capture, queue, notice. */
export async function reportBlock(
  doc: Document,
  context: ReportContext,
  source: ReportSource,
  options: { text?: string; note?: string; hideUi?: () => void } = {},
): Promise<ReportResult> {
  const win = doc.defaultView!;
  let result: ReportResult;
  try {
    const prefs = await sendMessage('getReportPrefs', {});
    if (!prefs.disclosureAccepted) {
      const choice = await showDisclosure(doc, prefs.evidence, prefs.configured);
      if (!choice) return { filed: false, message: '已取消举报' };
      await sendMessage('setReportPrefs', { disclosureAccepted: true, evidence: choice });
    }
    options.hideUi?.();
    context.element.scrollIntoView({ block: 'center' });
    const snippet = blockSnippet(context.element).html;
    const a = context.assessment;
    const draft: ReportDraft = {
      platform: context.platform,
      account: context.account
        ? {
            id: context.account.id,
            handle: context.account.handle ?? null,
            url: context.account.url ?? null,
          }
        : null,
      pageUrl: doc.location.href,
      text: options.text ?? context.text,
      verdict: a.verdict,
      categories: a.categories,
      matches: (options.text === undefined ? a.matches : []).slice(0, 200).map((m) => ({
        ruleId: m.ruleId,
        category: m.category,
        start: m.start,
        end: m.end,
        text: m.text.slice(0, 500),
      })),
      contacts: a.contacts
        .slice(0, 50)
        .map((c) => ({ type: c.type, value: c.value.slice(0, 200) })),
      score: Number.isFinite(a.score) ? a.score : 0,
      probability: a.probability,
      list: context.list,
      reason: { preset: reasonPresetFor(a.categories), note: options.note ?? '' },
      source,
      snippet,
    };
    await frames(win, 2);
    const removeOutline = outline(doc, context.element);
    let filed;
    try {
      // Two frames: the outline is painted before the background takes the screenshot.
      await frames(win, 2);
      filed = await sendMessage('fileReport', draft);
    } finally {
      removeOutline();
    }
    const skipped = filed.omitted.map((o) => o.reason).join('；');
    result = {
      filed: true,
      id: filed.id,
      message: `已加入举报队列（${reasonPresets[draft.reason.preset] ?? draft.reason.preset}）${skipped ? `；未附：${skipped}` : ''}`,
    };
  } catch (error) {
    result = { filed: false, message: `举报没有保存：${(error as Error).message}` };
  }
  notice(doc, result.message, result.filed);
  return result;
}

/**
 * The badge beside an author's name and the hover card, each in its own closed shadow root: page
 * CSS can't break them, they can't break the page, and page scripts can neither read what the card
 * says nor click its buttons (issue 10). Every string from the page goes in as textContent, inside
 * <bdi>, so an RTL override in a display name can't reorder the account id after it.
 */
import type { Account, ReportMenu } from '../sites/adapter';
import { openReport } from './open-report';

export interface CardInfo {
  verdict: 'lead' | 'mention';
  categories: string[];
  why: string;
  ruleIds: string[];
  account?: Account;
  listedAccount?: string;
  /** Why the author's display name itself reads as an agent's (a name like 「xx法务-协商」). */
  suspiciousName?: string;
  /** The lead model's probability and the features that pushed it most. */
  model?: { probability: number; features: { text: string; weight: number }[] };
  /** The platform's own report control for this block, if the page has one. */
  reportEntry?: Element;
  /** Or the menu it sits behind: the button opens the menu, then clicks its report item. */
  reportMenu?: ReportMenu;
  /** Files a LeadGuard report of this block (from the card on a highlight, or on a badge). */
  onReport?: (source: 'card' | 'badge') => void;
}

const verdictLabel = { lead: '引流线索', mention: '提及' } as const;
const badgeLabel = {
  lead: '引流',
  mention: '提及',
  account: '名单账号',
  name: '可疑账号',
} as const;

/** The card never grows past this (or the viewport): a long name scrolls inside, the button stays. */
const CARD_MAX_HEIGHT = 420;

const cardCss = `
:host { all: initial; }
.card { position: fixed; z-index: 2147483647; max-width: 360px; box-sizing: border-box;
  max-height: min(${CARD_MAX_HEIGHT}px, calc(100vh - 8px)); display: flex; flex-direction: column;
  font: 13px/1.5 system-ui, 'PingFang SC', 'Microsoft YaHei', 'WenQuanYi Zen Hei', sans-serif;
  color: #1d1d1f; background: #fff; border: 1px solid #d0d0d5; border-radius: 8px;
  box-shadow: 0 6px 24px rgba(0,0,0,.18); padding: 10px 12px; unicode-bidi: isolate; }
.card[hidden] { display: none; }
.body { overflow: auto; min-height: 0; flex: 1 1 auto; overscroll-behavior: contain; }
.actions { flex: none; }
bdi { unicode-bidi: isolate; }
.verdict { font-weight: 600; margin: 0 0 4px; }
.verdict.lead { color: #c81e1e; } .verdict.mention { color: #9a6b00; }
.row { margin: 2px 0; word-break: break-all; } .label { color: #6e6e73; margin-right: 6px; }
code { font: 12px ui-monospace, monospace; background: #f2f2f5; border-radius: 3px; padding: 0 3px; }
button { font: inherit; margin-top: 6px; padding: 3px 10px; border-radius: 5px; border: 1px solid #c81e1e;
  background: #c81e1e; color: #fff; cursor: pointer; }
button.platform-report { background: #fff; color: #c81e1e; }
button + button { margin-left: 6px; }
`;

const badgeCss = `
:host { all: initial; display: inline-block; vertical-align: middle; margin-left: 4px; }
button { font: 600 11px/16px system-ui, 'PingFang SC', 'Microsoft YaHei', sans-serif; padding: 0 5px;
  border-radius: 8px; border: 0; cursor: help; color: #fff; background: #c81e1e; }
button.mention { background: #b07a00; } button.account, button.name { background: #6b21a8; }
button:focus-visible { outline: 2px solid #1d4ed8; outline-offset: 1px; }
`;

/**
 * One constructed stylesheet per document and text, adopted by every badge: a <style> in each
 * badge's shadow root made the page restyle and relayout far more as badges arrived (50,000
 * appended comments, bench:page). Where constructable sheets are missing, a <style> it is.
 */
const sheets = new WeakMap<Document, Map<string, CSSStyleSheet>>();
function styleInto(doc: Document, root: ShadowRoot, css: string): void {
  const Sheet = (doc.defaultView as (Window & typeof globalThis) | null)?.CSSStyleSheet;
  if (Sheet && 'adoptedStyleSheets' in root) {
    let byText = sheets.get(doc);
    if (!byText) sheets.set(doc, (byText = new Map()));
    let sheet = byText.get(css);
    if (!sheet) {
      sheet = new Sheet();
      sheet.replaceSync(css);
      byText.set(css, sheet);
    }
    try {
      root.adoptedStyleSheets = [sheet];
      // Content-script wrappers (Firefox) may drop the assignment: then a <style> it is.
      if (root.adoptedStyleSheets.length === 1) return;
    } catch {
      // As above.
    }
  }
  root.append(el(doc, 'style', css));
}

function el<K extends keyof HTMLElementTagNameMap>(
  doc: Document,
  tag: K,
  text?: string,
  className?: string,
): HTMLElementTagNameMap[K] {
  const node = doc.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

/** Page text, isolated for bidi; ids read left to right whatever surrounds them. */
function bdi(doc: Document, text: string, dir?: 'ltr'): HTMLElement {
  const node = el(doc, 'bdi', text);
  if (dir) node.dir = dir;
  return node;
}

export class HoverCard {
  private readonly host: HTMLElement;
  private readonly card: HTMLElement;
  private shownFor: Element | Range | null = null;

  constructor(private readonly doc: Document) {
    this.host = doc.createElement('leadguard-card');
    this.host.setAttribute('data-leadguard-ui', '');
    const root = this.host.attachShadow({ mode: 'closed' });
    styleInto(doc, root, cardCss);
    this.card = el(doc, 'div', undefined, 'card');
    this.card.setAttribute('role', 'dialog');
    this.card.setAttribute('aria-label', 'LeadGuard');
    this.card.hidden = true;
    root.append(this.card);
  }

  get visible(): boolean {
    return !this.card.hidden;
  }

  show(anchor: Element | Range, info: CardInfo): void {
    if (!this.host.isConnected) this.doc.documentElement.append(this.host);
    const d = this.doc;
    const rows: HTMLElement[] = [el(d, 'p', verdictLabel[info.verdict], `verdict ${info.verdict}`)];
    const row = (label: string, value: string | HTMLElement[]) => {
      const p = el(d, 'p', undefined, 'row');
      p.append(el(d, 'span', label, 'label'));
      if (typeof value === 'string') p.append(bdi(d, value));
      else p.append(...value);
      rows.push(p);
    };
    if (info.categories.length) row('类别', info.categories.join('、'));
    row('原因', info.why);
    if (info.ruleIds.length)
      row(
        '规则',
        info.ruleIds.map((id) => el(d, 'code', id)),
      );
    if (info.account) {
      const parts = info.account.handle ? [bdi(d, info.account.handle), d.createTextNode(' ')] : [];
      const id = bdi(d, `${info.account.platform}:${info.account.id}`, 'ltr');
      id.className = 'account-id';
      row('账号', [...parts, id] as HTMLElement[]);
    }
    if (info.listedAccount) row('名单', info.listedAccount);
    if (info.suspiciousName) row('账号名', info.suspiciousName);
    if (info.model) {
      const features = info.model.features
        .map((f) => `${f.text}${f.weight >= 0 ? '+' : ''}${f.weight.toFixed(1)}`)
        .join(' ');
      row('模型', `${info.model.probability.toFixed(2)}${features ? ` · ${features}` : ''}`);
    }
    const body = el(d, 'div', undefined, 'body');
    body.append(...rows);
    const actions = el(d, 'div', undefined, 'actions');
    if (info.onReport) {
      const report = info.onReport;
      const button = el(d, 'button', '举报');
      button.className = 'report';
      // Only the user's own click files a report, never a click a page script dispatched.
      button.addEventListener('click', (event) => {
        if (!event.isTrusted) return;
        report(anchor instanceof Element ? 'badge' : 'card');
      });
      actions.append(button);
    }
    if (info.reportEntry || info.reportMenu) {
      const button = el(d, 'button', '打开平台举报');
      button.className = 'platform-report';
      const { reportEntry, reportMenu } = info;
      button.addEventListener('click', (event) => {
        if (!event.isTrusted) return;
        void openReport(reportEntry, reportMenu);
      });
      actions.append(button);
    }
    this.card.replaceChildren(body, actions);
    this.card.hidden = false;
    this.shownFor = anchor;
    const rect = anchor.getBoundingClientRect();
    const view = d.defaultView!;
    // Below the anchor when it fits, else above it, else pinned to the top: always on screen.
    const height = this.card.getBoundingClientRect().height;
    const below = rect.bottom + 6;
    const above = rect.top - 6 - height;
    const top =
      below + height <= view.innerHeight
        ? below
        : above >= 4
          ? above
          : Math.max(4, view.innerHeight - height - 4);
    this.card.style.left = `${Math.max(4, Math.min(rect.left, view.innerWidth - 368))}px`;
    this.card.style.top = `${top}px`;
  }

  hide(anchor?: Element | Range): void {
    if (anchor && anchor !== this.shownFor) return;
    this.card.hidden = true;
    this.shownFor = null;
  }

  /** Whether a pointer event target is inside the card (so moving onto it keeps it open). */
  contains(target: EventTarget | null): boolean {
    return target === this.host;
  }

  destroy(): void {
    this.host.remove();
  }
}

/** The button inside each badge's closed shadow root, for keyboard navigation. */
const badgeButtons = new WeakMap<Element, HTMLButtonElement>();

/** Moves focus to a badge's button (Alt+Shift+L). */
export function focusBadge(badge: Element): void {
  badgeButtons.get(badge)?.focus();
}

/** A small focusable badge after the author's name: 引流 for leads, 名单 for listed accounts. */
export function createBadge(
  doc: Document,
  kind: 'lead' | 'mention' | 'account' | 'name',
  card: HoverCard,
  info: CardInfo,
): HTMLElement {
  const host = doc.createElement('leadguard-badge');
  host.setAttribute('data-leadguard-ui', '');
  host.setAttribute('data-kind', kind);
  const root = host.attachShadow({ mode: 'closed' });
  const label = badgeLabel[kind];
  const button = el(doc, 'button', label, kind);
  button.setAttribute('aria-label', `LeadGuard: ${label === '引流' ? verdictLabel.lead : label}`);
  const show = () => card.show(host, info);
  const hide = () => card.hide(host);
  button.addEventListener('mouseenter', show);
  button.addEventListener('focus', show);
  button.addEventListener('mouseleave', hide);
  button.addEventListener('blur', hide);
  button.addEventListener('click', (e) => {
    e.preventDefault();
    e.stopPropagation();
    show();
  });
  button.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') card.hide();
  });
  styleInto(doc, root, badgeCss);
  root.append(button);
  badgeButtons.set(host, button);
  return host;
}

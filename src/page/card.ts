/**
 * The badge beside an author's name and the hover card, each in its own shadow root: page CSS can't
 * break them and they can't break the page. Every string from the page goes in as textContent.
 */
import type { Account } from '../sites/adapter';

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
}

const verdictLabel = { lead: '引流线索', mention: '提及' } as const;
const badgeLabel = {
  lead: '引流',
  mention: '提及',
  account: '名单账号',
  name: '可疑账号',
} as const;

const cardCss = `
:host { all: initial; }
.card { position: fixed; z-index: 2147483647; max-width: 360px; box-sizing: border-box;
  font: 13px/1.5 system-ui, 'PingFang SC', 'Microsoft YaHei', 'WenQuanYi Zen Hei', sans-serif;
  color: #1d1d1f; background: #fff; border: 1px solid #d0d0d5; border-radius: 8px;
  box-shadow: 0 6px 24px rgba(0,0,0,.18); padding: 10px 12px; }
.card[hidden] { display: none; }
.verdict { font-weight: 600; margin: 0 0 4px; }
.verdict.lead { color: #c81e1e; } .verdict.mention { color: #9a6b00; }
.row { margin: 2px 0; word-break: break-all; } .label { color: #6e6e73; margin-right: 6px; }
code { font: 12px ui-monospace, monospace; background: #f2f2f5; border-radius: 3px; padding: 0 3px; }
button { font: inherit; margin-top: 6px; padding: 3px 10px; border-radius: 5px; border: 1px solid #c81e1e;
  background: #c81e1e; color: #fff; cursor: pointer; }
`;

const badgeCss = `
:host { all: initial; display: inline-block; vertical-align: middle; margin-left: 4px; }
button { font: 600 11px/16px system-ui, 'PingFang SC', 'Microsoft YaHei', sans-serif; padding: 0 5px;
  border-radius: 8px; border: 0; cursor: help; color: #fff; background: #c81e1e; }
button.mention { background: #b07a00; } button.account, button.name { background: #6b21a8; }
button:focus-visible { outline: 2px solid #1d4ed8; outline-offset: 1px; }
`;

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

export class HoverCard {
  private readonly host: HTMLElement;
  private readonly card: HTMLElement;
  private shownFor: Element | Range | null = null;

  constructor(private readonly doc: Document) {
    this.host = doc.createElement('leadguard-card');
    this.host.setAttribute('data-leadguard-ui', '');
    const root = this.host.attachShadow({ mode: 'open' });
    const style = el(doc, 'style', cardCss);
    this.card = el(doc, 'div', undefined, 'card');
    this.card.setAttribute('role', 'dialog');
    this.card.setAttribute('aria-label', 'LeadGuard');
    this.card.hidden = true;
    root.append(style, this.card);
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
      if (typeof value === 'string') p.append(value);
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
      const name = info.account.handle ? `${info.account.handle} ` : '';
      row('账号', `${name}${info.account.platform}:${info.account.id}`);
    }
    if (info.listedAccount) row('名单', info.listedAccount);
    if (info.suspiciousName) row('账号名', info.suspiciousName);
    if (info.model) {
      const features = info.model.features
        .map((f) => `${f.text}${f.weight >= 0 ? '+' : ''}${f.weight.toFixed(1)}`)
        .join(' ');
      row('模型', `${info.model.probability.toFixed(2)}${features ? ` · ${features}` : ''}`);
    }
    if (info.reportEntry) {
      const button = el(d, 'button', '打开平台举报');
      const entry = info.reportEntry;
      button.addEventListener('click', () => {
        entry.scrollIntoView({ block: 'center' });
        (entry as HTMLElement).click?.();
      });
      rows.push(button);
    }
    this.card.replaceChildren(...rows);
    this.card.hidden = false;
    this.shownFor = anchor;
    const rect = anchor.getBoundingClientRect();
    const view = d.defaultView!;
    const top =
      rect.bottom + 6 + 220 > view.innerHeight ? Math.max(4, rect.top - 226) : rect.bottom + 6;
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
  const root = host.attachShadow({ mode: 'open' });
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
  root.append(el(doc, 'style', badgeCss), button);
  return host;
}

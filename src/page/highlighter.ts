/**
 * Highlights matches without touching the page's text nodes: the CSS Custom Highlight API
 * (https://developer.mozilla.org/docs/Web/API/CSS_Custom_Highlight_API), one highlight per verdict
 * and one per category so styles can differ. Where the API is missing, an overlay of positioned
 * boxes in our own shadow root stands in. Shadow roots get the styles adopted, because document
 * styles don't reach `::highlight()` inside them.
 */
import type { Category } from '../core/list-schema';
import css from './highlight.css?inline';
import type { Verdict } from '../core/score';

export const categorySlugs: Record<Category, string> = {
  代理退保: 'tuibao',
  反催收: 'fancuishou',
  停息挂账: 'tingxi',
  债务优化: 'zhaiwu',
  征信修复: 'zhengxin',
  退息退费: 'tuixi',
  伪造材料: 'weizao',
  引流: 'lure',
  承诺收费: 'guarantee',
  虚假政策: 'policy',
};

export const highlightNames = {
  lead: 'leadguard-lead',
  mention: 'leadguard-mention',
  category: (c: Category) => `leadguard-cat-${categorySlugs[c]}`,
} as const;

export interface Mark {
  range: Range;
  verdict: Exclude<Verdict, 'clean'>;
  category: Category | null;
}

type HighlightCtor = new (...ranges: Range[]) => {
  add(r: Range): void;
  delete(r: Range): boolean;
  size: number;
};
interface HighlightRegistry {
  get(name: string): { add(r: Range): void; delete(r: Range): boolean } | undefined;
  set(name: string, h: unknown): void;
  delete(name: string): boolean;
}

/** Marks ranges for one page. `clear` removes every highlight LeadGuard made. */
export class Highlighter {
  private readonly registry: HighlightRegistry | null;
  private readonly Highlight: HighlightCtor | null;
  private readonly styled = new WeakSet<Document | ShadowRoot>();
  private readonly overlay: Overlay | null;
  private readonly names = new Set<string>();

  constructor(
    private readonly doc: Document,
    win: Window & typeof globalThis = doc.defaultView as Window & typeof globalThis,
  ) {
    const cssApi = (win as unknown as { CSS?: { highlights?: HighlightRegistry } }).CSS;
    const ctor = (win as unknown as { Highlight?: HighlightCtor }).Highlight;
    this.registry = cssApi?.highlights && ctor ? cssApi.highlights : null;
    this.Highlight = this.registry ? ctor! : null;
    this.overlay = this.registry ? null : new Overlay(doc);
  }

  get usesHighlightApi(): boolean {
    return this.registry !== null;
  }

  add(marks: readonly Mark[]): void {
    for (const mark of marks) {
      this.style(mark.range.startContainer.getRootNode() as Document | ShadowRoot);
      if (!this.registry) {
        this.overlay!.add(mark);
        continue;
      }
      this.highlight(highlightNames[mark.verdict]).add(mark.range);
      if (mark.category && mark.verdict === 'lead') {
        this.highlight(highlightNames.category(mark.category)).add(mark.range);
      }
    }
  }

  remove(marks: readonly Mark[]): void {
    for (const mark of marks) {
      if (!this.registry) {
        this.overlay!.remove(mark);
        continue;
      }
      for (const name of this.names) this.registry.get(name)?.delete(mark.range);
    }
  }

  clear(): void {
    if (this.registry) for (const name of this.names) this.registry.delete(name);
    this.names.clear();
    this.overlay?.clear();
  }

  private highlight(name: string) {
    let h = this.registry!.get(name);
    if (!h) {
      h = new this.Highlight!();
      this.registry!.set(name, h);
    }
    this.names.add(name);
    return h;
  }

  /** Shadow roots need the styles adopted; documents get them from the manifest. */
  private style(root: Document | ShadowRoot): void {
    if (root === this.doc || this.styled.has(root) || !('adoptedStyleSheets' in root)) return;
    this.styled.add(root);
    const win = this.doc.defaultView as (Window & typeof globalThis) | null;
    if (!win?.CSSStyleSheet) return;
    const sheet = new win.CSSStyleSheet();
    sheet.replaceSync(css);
    root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
  }
}

/**
 * Fallback for browsers without `CSS.highlights`: translucent boxes over each range's client rects,
 * in a fixed layer inside our own shadow root, repositioned once per animation frame on scroll.
 */
class Overlay {
  private readonly host: HTMLElement;
  private readonly layer: HTMLElement;
  private readonly marks = new Map<Mark, HTMLElement[]>();
  private frame = 0;

  constructor(private readonly doc: Document) {
    this.host = doc.createElement('leadguard-overlay');
    this.host.setAttribute('data-leadguard-ui', '');
    this.host.style.cssText = 'position:fixed;inset:0;pointer-events:none;z-index:2147483646';
    const root = this.host.attachShadow({ mode: 'open' });
    this.layer = doc.createElement('div');
    root.append(this.layer);
    const relayout = () => {
      if (this.frame) return;
      this.frame = requestAnimationFrame(() => {
        this.frame = 0;
        for (const mark of this.marks.keys()) this.draw(mark);
      });
    };
    doc.addEventListener('scroll', relayout, { passive: true, capture: true });
    doc.defaultView?.addEventListener('resize', relayout, { passive: true });
  }

  add(mark: Mark): void {
    if (!this.host.isConnected) this.doc.documentElement.append(this.host);
    this.marks.set(mark, []);
    this.draw(mark);
  }

  remove(mark: Mark): void {
    this.marks.get(mark)?.forEach((box) => box.remove());
    this.marks.delete(mark);
  }

  clear(): void {
    for (const mark of [...this.marks.keys()]) this.remove(mark);
    this.host.remove();
  }

  private draw(mark: Mark): void {
    const boxes = this.marks.get(mark)!;
    boxes.forEach((box) => box.remove());
    boxes.length = 0;
    for (const rect of mark.range.getClientRects()) {
      const box = this.doc.createElement('div');
      box.setAttribute('data-verdict', mark.verdict);
      box.style.cssText = `position:fixed;left:${rect.left}px;top:${rect.top}px;width:${rect.width}px;height:${rect.height}px;background:${mark.verdict === 'lead' ? 'rgba(230,40,40,.28)' : 'rgba(240,180,0,.22)'};border-bottom:2px solid ${mark.verdict === 'lead' ? '#c81e1e' : '#aa7800'}`;
      this.layer.append(box);
      boxes.push(box);
    }
  }
}

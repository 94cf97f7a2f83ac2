/**
 * Badges drawn outside the page's flow (issue 9): one layer at the top of the document, each badge
 * positioned over the end of its author's name. Inserting a node into a 5,000-item list made the
 * browser lay out and pre-paint the whole list (55–320 ms rendering tasks when badges went in,
 * bench:page); a layer of absolutely positioned boxes costs a read of the anchors' rectangles.
 * Positions follow the page: after scrolls (of the page or any scroller in it), resizes and the
 * page's own changes, at most once a frame. Badges stay in the tab order (after the page's own
 * content) and Alt+Shift+L walks them in the order of their anchors.
 */

/** How often the page's own changes may move the badges (each move reads every anchor's box). */
const MUTATION_REPOSITION_MS = 200;

export class BadgeLayer {
  private readonly host: HTMLElement;
  private readonly anchors = new Map<HTMLElement, Element>();
  private frame = 0;
  private lastMutationMove = 0;
  private mutationTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly doc: Document,
    signal: AbortSignal,
  ) {
    this.host = doc.createElement('leadguard-badges');
    this.host.setAttribute('data-leadguard-ui', '');
    // A zero-size box at the document's origin: its children are placed in document coordinates
    // and never take part in the page's layout.
    this.host.style.cssText =
      'all:initial;position:absolute;left:0;top:0;width:0;height:0;overflow:visible;z-index:2147483646;contain:layout style';
    const move = () => this.reposition();
    doc.addEventListener('scroll', move, { capture: true, passive: true, signal });
    doc.defaultView?.addEventListener('resize', move, { passive: true, signal });
    signal.addEventListener('abort', () => this.clear(), { once: true });
  }

  /** Puts badges on the page, each over its anchor: one read of the layout for all of them. */
  add(badges: Iterable<[HTMLElement, Element]>): void {
    const placed: HTMLElement[] = [];
    for (const [badge, anchor] of badges) {
      if (!anchor.isConnected) continue;
      this.anchors.set(badge, anchor);
      // max-content: in the zero-width layer a badge shrank to its narrowest (引流 one character a
      // line, 21×32 px), hung over the text under the name and took the pointer's hover from it.
      // flex: the box is the button's 16 px line, the height place() centres on the name.
      badge.style.cssText =
        'position:absolute;left:0;top:0;display:flex;width:max-content;white-space:nowrap';
      placed.push(badge);
    }
    if (!placed.length) return;
    if (!this.host.isConnected) this.doc.documentElement.append(this.host);
    this.host.append(...placed);
    this.place(placed);
  }

  remove(badge: HTMLElement): void {
    this.anchors.delete(badge);
    badge.remove();
  }

  /** The anchor a badge belongs to (for keyboard order). */
  anchorOf(badge: HTMLElement): Element | undefined {
    return this.anchors.get(badge);
  }

  /** The page changed: badges follow their anchors soon (throttled). */
  pageChanged(): void {
    if (this.anchors.size === 0 || this.mutationTimer) return;
    const wait = Math.max(0, this.lastMutationMove + MUTATION_REPOSITION_MS - performance.now());
    this.mutationTimer = setTimeout(() => {
      this.mutationTimer = null;
      this.lastMutationMove = performance.now();
      this.reposition();
    }, wait);
  }

  /** Moves every badge to its anchor in the next frame. */
  reposition(): void {
    if (this.frame || this.anchors.size === 0) return;
    const win = this.doc.defaultView;
    if (!win) return;
    this.frame = win.requestAnimationFrame(() => {
      this.frame = 0;
      this.place([...this.anchors.keys()]);
    });
  }

  clear(): void {
    if (this.frame) this.doc.defaultView?.cancelAnimationFrame(this.frame);
    if (this.mutationTimer) clearTimeout(this.mutationTimer);
    this.frame = 0;
    this.mutationTimer = null;
    this.anchors.clear();
    this.host.replaceChildren();
    this.host.remove();
  }

  /** Reads all the anchors' boxes, then writes all the badges' positions (no layout in between). */
  private place(badges: HTMLElement[]): void {
    const win = this.doc.defaultView!;
    const x0 = win.scrollX;
    const y0 = win.scrollY;
    const boxes = badges.map((b) => {
      const anchor = this.anchors.get(b);
      return anchor?.isConnected ? anchor.getBoundingClientRect() : null;
    });
    for (let i = 0; i < badges.length; i++) {
      const badge = badges[i]!;
      const box = boxes[i];
      // An anchor that isn't drawn (hidden, collapsed, gone) hides its badge.
      if (!box || (box.width === 0 && box.height === 0)) {
        badge.style.visibility = 'hidden';
        continue;
      }
      badge.style.visibility = '';
      // The badge keeps its own 4 px margin from the name.
      const left = Math.round(box.right + x0);
      const top = Math.round(box.top + y0 + (box.height - 16) / 2);
      badge.style.transform = `translate(${left}px, ${top}px)`;
    }
  }
}

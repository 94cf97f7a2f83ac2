/**
 * The content-script scan engine for one page: enumerates the adapter's blocks, assesses them in
 * slices of at most `sliceMs` (no long tasks), then watches mutations in batches. Processed state is
 * keyed by the block's item key and text, not by the node alone: virtual lists (Weibo) recycle
 * nodes for other items, so a node whose key or text changed is assessed again.
 */
import { assess, type Assessment } from '../core/score';
import type { Matcher } from '../core/matcher';
import type { Account, SiteAdapter, TextBlock } from '../sites/adapter';
import { blockText, rangeFor } from './block-text';
import { createBadge, HoverCard, type CardInfo } from './card';
import { Highlighter, type Mark } from './highlighter';

/** How long found highlights and badges may wait for the next batch while a scan goes on. */
const flushEveryMs = 500;

export interface Counts {
  leads: number;
  mentions: number;
}

export interface ScannerOptions {
  adapter: SiteAdapter;
  matcher: Matcher;
  signal: AbortSignal;
  root?: Document;
  onCounts?: (counts: Counts) => void;
  /** Reports a per-block failure to the extension instead of throwing into the page. */
  onError?: (error: unknown) => void;
  now?: () => number;
  sliceMs?: number;
}

interface BlockState {
  key: string;
  signature: string;
  element: Element;
  verdict: Assessment['verdict'];
  marks: Mark[];
  badge?: HTMLElement;
  info?: CardInfo;
}

export class PageScanner {
  private readonly doc: Document;
  private readonly adapter: SiteAdapter;
  private matcher: Matcher;
  private readonly signal: AbortSignal;
  private readonly now: () => number;
  private readonly sliceMs: number;
  private readonly states = new Map<Element, BlockState>();
  /** Block sources still to pull from, oldest first (lazy: adapters may be generators). */
  private readonly sources: Iterator<TextBlock>[] = [];
  /** Badges wait here and go into the page together: each insertion costs the page a layout. */
  private pendingBadges: [Element, HTMLElement, boolean][] = [];
  private pendingMarks: Mark[] = [];
  private lastBadgeFlush = 0;
  private scheduled = false;
  private readonly highlighter: Highlighter;
  readonly card: HoverCard;
  private readonly observer: MutationObserver;
  private readonly observedRoots = new WeakSet<Node>();
  private readonly pendingRoots = new Set<Node>();
  private counts: Counts = { leads: 0, mentions: 0 };
  private highlighted = false;
  private readonly channel: MessageChannel;
  /** Resolves when the queue is empty (for tests and the benchmark). */
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly options: ScannerOptions) {
    this.doc = options.root ?? document;
    this.adapter = options.adapter;
    this.matcher = options.matcher;
    this.signal = options.signal;
    this.now = options.now ?? (() => performance.now());
    // Slices stay well under a frame (~16 ms) so the page never waits on a scan.
    this.sliceMs = options.sliceMs ?? 10;
    this.highlighter = new Highlighter(this.doc);
    this.card = new HoverCard(this.doc);
    const win = this.doc.defaultView!;
    this.observer = new win.MutationObserver((records) => this.onMutations(records));
    this.channel = new win.MessageChannel();
    this.channel.port1.onmessage = () => this.runSlice();
    this.signal.addEventListener('abort', () => this.stop(), { once: true });
  }

  start(): void {
    if (this.signal.aborted) return;
    mark('leadguard-scan-start');
    this.observe(this.doc);
    this.enqueue(this.doc);
    const opts = { signal: this.signal, passive: true } as const;
    this.doc.addEventListener('pointermove', (e) => this.onPointer(e), opts);
    this.doc.addEventListener('keydown', (e) => this.onKey(e), { signal: this.signal });
  }

  /** Swaps in a new matcher (list update) and assesses every block again. */
  setMatcher(matcher: Matcher): void {
    this.matcher = matcher;
    this.names.clear();
    for (const state of this.states.values()) this.forget(state);
    this.states.clear();
    this.sources.length = 0;
    this.pendingBadges = [];
    this.pendingMarks = [];
    this.enqueue(this.doc);
  }

  get currentCounts(): Counts {
    return { ...this.counts };
  }

  /** A promise that settles once everything found so far has been assessed. */
  whenIdle(): Promise<void> {
    if (!this.scheduled && this.sources.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private stop(): void {
    this.observer.disconnect();
    this.channel.port1.onmessage = null;
    for (const state of this.states.values()) this.forget(state);
    this.states.clear();
    this.highlighter.clear();
    this.card.destroy();
    this.sources.length = 0;
    this.pendingBadges = [];
    this.pendingMarks = [];
    this.resolveIdle();
  }

  /** The adapter's blocks under `root`, as a list (for small mutation scopes). */
  private safeBlocks(root: ParentNode): TextBlock[] {
    try {
      return [...this.adapter.blocks(root)];
    } catch (error) {
      this.options.onError?.(error);
      return [];
    }
  }

  private enqueue(source: ParentNode | TextBlock[]): void {
    try {
      const iterable = Array.isArray(source) ? source : this.adapter.blocks(source);
      this.sources.push(iterable[Symbol.iterator]());
    } catch (error) {
      this.options.onError?.(error);
      return;
    }
    this.schedule();
  }

  /** The next block from the sources, or null; an adapter that throws loses only that source. */
  private nextBlock(): TextBlock | null {
    while (this.sources.length) {
      try {
        const step = this.sources[0]!.next();
        if (!step.done) return step.value;
      } catch (error) {
        this.options.onError?.(error);
      }
      this.sources.shift();
    }
    return null;
  }

  private schedule(): void {
    if (this.scheduled || this.signal.aborted) return;
    this.scheduled = true;
    this.channel.port2.postMessage(0);
  }

  private runSlice(): void {
    this.scheduled = false;
    if (this.signal.aborted) return;
    const began = this.now();
    if (this.pendingRoots.size) this.flushMutations();
    const deadline = began + this.sliceMs;
    let changed = false;
    let block: TextBlock | null;
    while (this.now() < deadline && (block = this.nextBlock())) {
      try {
        changed = this.process(block) || changed;
      } catch (error) {
        this.options.onError?.(error);
      }
    }
    const more = this.sources.length > 0 || this.pendingRoots.size > 0;
    const firstFound = !this.highlighted && this.pendingMarks.length > 0;
    // Each batch costs the page a paint, and on a long page a paint walks all of it (50–60 ms on
    // 5,000 comments, bench:page): the first find shows at once, the rest at most twice a second.
    if (!more || firstFound || began - this.lastBadgeFlush > flushEveryMs) this.flushBadges(began);
    if (changed) this.options.onCounts?.(this.currentCounts);
    // The page benchmark reads these from the page's performance timeline (test/bench/page-bench.ts).
    measure('leadguard-slice', began, this.now());
    if (more) this.schedule();
    else {
      mark('leadguard-scan-idle');
      this.resolveIdle();
    }
  }

  /** Puts pending highlights and badges on the page at once (one paint, one layout). */
  private flushBadges(now: number): void {
    this.lastBadgeFlush = now;
    if (this.pendingMarks.length) {
      this.highlighter.add(this.pendingMarks);
      this.pendingMarks = [];
      if (!this.highlighted) {
        this.highlighted = true;
        mark('leadguard-first-highlight');
      }
    }
    if (this.pendingBadges.length === 0) return;
    for (const [anchor, badge, after] of this.pendingBadges) {
      if (!anchor.isConnected) continue;
      if (after) anchor.after(badge);
      else anchor.prepend(badge);
    }
    this.pendingBadges = [];
  }

  private resolveIdle(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    waiters.forEach((w) => w());
  }

  /** Assesses one block; returns whether the page's counts changed. */
  private process(block: TextBlock): boolean {
    if (!block.element.isConnected) return false;
    const text = blockText(block.text, this.adapter.ignore);
    const signature = `${block.key}\u0000${text.text}`;
    const previous = this.states.get(block.element);
    if (previous?.signature === signature) return false;
    let changed = false;
    if (previous) {
      changed = previous.verdict !== 'clean';
      this.forget(previous);
      this.states.delete(block.element);
    }
    // Shadow roots holding blocks are observed, so lazily rendered replies get scanned.
    const root = block.element.getRootNode();
    if (root !== this.doc && !this.observedRoots.has(root)) this.observe(root as ShadowRoot);

    const author = block.author
      ? { platform: block.author.platform, id: block.author.id }
      : undefined;
    // A reply is read with what it answers; only its own words can make it a lead.
    const context = block.context?.length ? blockText(block.context, this.adapter.ignore).text : '';
    const a = assess(this.matcher, text.text, {
      ...(author ? { author } : {}),
      kind: block.kind,
      ...(context ? { parent: context } : {}),
    });
    const suspiciousName = block.author?.handle ? this.nameLead(block.author) : null;
    const state: BlockState = {
      key: block.key,
      signature,
      element: block.element,
      verdict: a.verdict,
      marks: [],
    };
    this.states.set(block.element, state);
    const listed = a.account && !a.account.allowed ? a.account.ruleId : undefined;
    if (a.verdict === 'clean' && !listed && !suspiciousName) return changed;

    const info: CardInfo = {
      verdict: a.verdict === 'lead' ? 'lead' : 'mention',
      categories: a.categories,
      why: a.why,
      ruleIds: [...new Set(a.matches.map((m) => m.ruleId))],
      account: block.author,
      listedAccount: listed,
      ...(suspiciousName ? { suspiciousName } : {}),
      ...(a.probability !== null && a.verdict !== 'clean'
        ? { model: { probability: a.probability, features: a.features ?? [] } }
        : {}),
      reportEntry: block.reportEntry,
    };
    state.info = info;
    if (a.verdict !== 'clean') {
      // Mentions show only their topic terms; leads show everything that made them leads.
      const candidates =
        a.verdict === 'lead' ? a.matches : a.matches.filter((m) => isTopic(m.category));
      // A match inside a longer one (停息 in 停息挂账) adds nothing to the page.
      const shown = candidates.filter(
        (m) =>
          !candidates.some(
            (o) =>
              o !== m && o.start <= m.start && o.end >= m.end && o.end - o.start > m.end - m.start,
          ),
      );
      for (const m of shown) {
        const range = rangeFor(text, m.start, m.end, this.doc);
        if (range) state.marks.push({ range, verdict: a.verdict, category: m.category });
      }
      // Highlights go to the page with the badges, in batches: every batch costs the page a paint.
      this.pendingMarks.push(...state.marks);
    }
    if (listed || suspiciousName || a.verdict === 'lead') {
      const anchor = block.authorElement ?? block.text[0] ?? block.element;
      const kind = listed ? 'account' : a.verdict === 'lead' ? 'lead' : 'name';
      state.badge = createBadge(this.doc, kind, this.card, info);
      this.pendingBadges.push([anchor, state.badge, block.authorElement !== undefined]);
    }
    if (a.verdict === 'lead') this.counts.leads++;
    else if (a.verdict === 'mention') this.counts.mentions++;
    return true;
  }

  /** Display names read as account signals (「xx法务-协商」), once per account and name. */
  private readonly names = new Map<string, string | null>();
  private nameLead(account: Account): string | null {
    const key = `${account.platform}\u0000${account.id}\u0000${account.handle}`;
    let why = this.names.get(key);
    if (why === undefined) {
      const a = assess(this.matcher, account.handle!, { kind: 'name' });
      why = a.verdict === 'lead' ? a.why : null;
      this.names.set(key, why);
    }
    return why;
  }

  private forget(state: BlockState): void {
    this.highlighter.remove(state.marks);
    if (this.pendingMarks.length && state.marks.length) {
      const gone = new Set(state.marks);
      this.pendingMarks = this.pendingMarks.filter((m) => !gone.has(m));
    }
    if (state.badge) {
      state.badge.remove();
      if (this.pendingBadges.length) {
        this.pendingBadges = this.pendingBadges.filter(([, badge]) => badge !== state.badge);
      }
    }
    if (state.verdict === 'lead') this.counts.leads--;
    else if (state.verdict === 'mention') this.counts.mentions--;
  }

  private observe(root: Document | ShadowRoot): void {
    this.observedRoots.add(root);
    this.observer.observe(root, { childList: true, subtree: true, characterData: true });
  }

  private onMutations(records: MutationRecord[]): void {
    for (const record of records) {
      const target = record.target;
      if (isOurs(target)) continue;
      if (record.type === 'characterData') {
        this.markChanged(target.parentNode);
        continue;
      }
      let relevant = false;
      for (const node of record.addedNodes) {
        if (node.nodeType === 1 && !isOurs(node)) {
          this.pendingRoots.add(node);
          relevant = true;
        } else if (node.nodeType === 3) relevant = true;
      }
      for (const node of record.removedNodes) if (!isOurs(node)) relevant = true;
      if (relevant) this.markChanged(target);
    }
    if (this.pendingRoots.size) this.schedule();
  }

  /** A change inside a processed block marks that block for another look. */
  private markChanged(node: Node | null): void {
    for (let n: Node | null = node; n; n = n.parentNode ?? (n as ShadowRoot).host ?? null) {
      if (n.nodeType === 1 && this.states.has(n as Element)) {
        this.pendingRoots.add(n);
        return;
      }
      if (n === this.doc) return;
    }
  }

  private flushMutations(): void {
    const roots = [...this.pendingRoots];
    this.pendingRoots.clear();
    const seen = new Set<Element>();
    const blocks: TextBlock[] = [];
    for (const root of roots) {
      if (!root.isConnected) continue;
      let found = this.safeBlocks(root as ParentNode);
      // A changed node may sit inside a block: look from the block element the change belongs to.
      if (found.length === 0 && root.parentNode) {
        found = this.safeBlocks(root.parentNode).filter(
          (b) => b.element === root || b.element.contains(root) || root.contains(b.element),
        );
      }
      for (const block of found) {
        if (seen.has(block.element)) continue;
        seen.add(block.element);
        blocks.push(block);
      }
    }
    // Blocks whose nodes left the page stop counting.
    let removed = false;
    for (const [element, state] of this.states) {
      if (!element.isConnected) {
        this.forget(state);
        this.states.delete(element);
        removed = true;
      }
    }
    if (removed) this.options.onCounts?.(this.currentCounts);
    if (blocks.length) this.sources.push(blocks[Symbol.iterator]());
  }

  private pointerFrame = 0;
  private onPointer(event: PointerEvent): void {
    if (this.pointerFrame || this.states.size === 0) return;
    const { clientX: x, clientY: y } = event;
    const target = event.target;
    this.pointerFrame = requestAnimationFrame(() => {
      this.pointerFrame = 0;
      if (isOurs(target as Node)) return;
      const hit = this.markAt(x, y);
      if (hit) this.card.show(hit.mark.range, hit.info);
      else if (this.card.visible) this.card.hide();
    });
  }

  private markAt(x: number, y: number): { mark: Mark; info: CardInfo } | null {
    const doc = this.doc as Document & {
      caretPositionFromPoint?: (
        x: number,
        y: number,
      ) => { offsetNode: Node; offset: number } | null;
    };
    let node: Node | null = null;
    let offset = 0;
    if (doc.caretPositionFromPoint) {
      const p = doc.caretPositionFromPoint(x, y);
      if (p) ({ offsetNode: node, offset } = p);
    } else {
      const r = doc.caretRangeFromPoint?.(x, y);
      if (r) ({ startContainer: node, startOffset: offset } = r);
    }
    if (!node) return null;
    for (let n: Node | null = node; n; n = n.parentNode ?? (n as ShadowRoot).host ?? null) {
      const state = n.nodeType === 1 ? this.states.get(n as Element) : undefined;
      if (state?.info) {
        const mark = state.marks.find((m) => {
          try {
            return m.range.isPointInRange(node!, offset) && offset < rangeEndIn(m.range, node!);
          } catch {
            return false;
          }
        });
        return mark ? { mark, info: state.info } : null;
      }
    }
    return null;
  }

  /** Alt+Shift+L focuses the next lead's badge, so moderators can walk leads by keyboard. */
  private onKey(event: KeyboardEvent): void {
    if (!(event.altKey && event.shiftKey && event.code === 'KeyL')) return;
    const badges = [...this.states.values()]
      .filter((s) => s.badge?.isConnected)
      .map((s) => s.badge!)
      .sort((a, b) => (a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1));
    if (badges.length === 0) return;
    const active = badges.findIndex(
      (b) => b === this.doc.activeElement || b.contains(this.doc.activeElement),
    );
    const next = badges[(active + 1) % badges.length]!;
    next.scrollIntoView({ block: 'center' });
    next.shadowRoot?.querySelector('button')?.focus();
    event.preventDefault();
  }
}

/** Timeline marks cost microseconds and let benchmarks see the scan from the page. */
function mark(name: string): void {
  try {
    performance.mark(name);
  } catch {
    // No timeline (tests without performance): nothing to record.
  }
}
function measure(name: string, start: number, end: number): void {
  try {
    performance.measure(name, { start, end });
  } catch {
    // As above.
  }
}

const isTopic = (c: string | null) =>
  c !== null && c !== '引流' && c !== '承诺收费' && c !== '虚假政策';

function isOurs(node: Node): boolean {
  for (let n: Node | null = node; n; n = n.parentNode) {
    if (n.nodeType === 1 && (n as Element).hasAttribute('data-leadguard-ui')) return true;
  }
  return false;
}

/** isPointInRange is inclusive at the end; a caret just after the match is not on it. */
function rangeEndIn(range: Range, node: Node): number {
  return range.endContainer === node ? range.endOffset : Number.MAX_SAFE_INTEGER;
}

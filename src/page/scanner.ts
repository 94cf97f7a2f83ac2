/**
 * The content-script scan engine for one page: enumerates the adapter's blocks, assesses them in
 * slices of at most `sliceMs` (no long tasks), then watches mutations in batches. Processed state is
 * keyed by the block's item key and text, not by the node alone: virtual lists (Weibo) recycle
 * nodes for other items, so a node whose key or text changed is assessed again.
 *
 * A block longer than one window (core/windows.ts) is a job of its own: one window is assessed per
 * step and its highlights are made in batches, so a wall of spam text never becomes one long task.
 */
import { outermost } from '../core/outermost';
import { assess, type Assessment, type AssessOptions } from '../core/score';
import { assessInWindows, WINDOW } from '../core/windows';
import type { Matcher } from '../core/matcher';
import type { Account, SiteAdapter, TextBlock } from '../sites/adapter';
import { BadgeLayer } from './badge-layer';
import { blockText, rangeFor, type BlockText } from './block-text';
import { createBadge, focusBadge, HoverCard, type CardInfo } from './card';
import { Highlighter, type Mark } from './highlighter';
import { ShadowWatch } from './shadow-watch';
import type { ReportContext } from './report-action';

/** How long found highlights and badges may wait for the next batch while a scan goes on. */
const flushEveryMs = 500;
/**
 * Under sustained churn (a page adding or rewriting content all the time) batches come further
 * apart, up to this: each one repaints the page, and on a long page that is the most costly part.
 */
const maxFlushGapMs = 2_000;

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
  /**
   * Back-off for a block that keeps changing: after its first re-assessment it waits this long
   * before the next, twice as long each time after, up to `maxBackoffMs`.
   */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** The card's 举报 button: file a LeadGuard report of the block. */
  onReport?: (context: ReportContext, source: 'card' | 'badge') => void;
}

/** A block quiet for this long is no longer churning: its back-off starts over. */
const CHURN_WINDOW_MS = 10_000;

interface BlockState {
  key: string;
  signature: string;
  element: Element;
  /** The elements the text was read from, and the author's: changes elsewhere aren't its words. */
  textElements: readonly Element[];
  authorElement?: Element;
  text: string;
  verdict: Assessment['verdict'];
  marks: Mark[];
  badge?: HTMLElement;
  info?: CardInfo;
  /** Re-assessments in a row, each within CHURN_WINDOW_MS of the last (the back-off's exponent). */
  changes: number;
  checkedAt: number;
  /** Before this, a change waits (coalescing with the changes after it). */
  nextCheck: number;
  /** Its highlights were taken off while it waited: it is assessed again even if unchanged. */
  dropped?: boolean;
  report?: ReportContext;
}

/** What a mutation did to a processed block: its words may differ, or its structure or author. */
type Change = 'text' | 'full';

/** Highlights a long block's job makes per step. */
const MARKS_PER_STEP = 500;
/**
 * Highlights one block gets at most. Every highlight is a live Range the browser updates on each
 * DOM change of the page, so a wall of 150,000 lead terms would slow the page itself; the first
 * thousand show what the block is, and the card says how many more there are.
 */
export const MAX_MARKS_PER_BLOCK = 1_000;

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
  /** The long block being assessed step by step, if any (see process), and its element. */
  private job: Iterator<void, boolean> | null = null;
  private jobElement: Element | null = null;
  /** Badges wait here and go into the page together: each insertion costs the page a layout. */
  private readonly pendingBadges = new Map<HTMLElement, [Element, boolean]>();
  /** Highlights to add and to remove, in the next batch: each batch costs the page a paint. */
  private readonly pendingMarks = new Set<Mark>();
  private pendingRemovals: Mark[] = [];
  private lastBadgeFlush = 0;
  private flushGap = flushEveryMs;
  private flushTimer: ReturnType<typeof setTimeout> | null = null;
  /** Whether the first scan of the page has gone idle: later batches are throttled. */
  private settled = false;
  private scheduled = false;
  /** A block read at the end of a slice, processed first in the next. */
  private heldBlock: TextBlock | null = null;
  /** When the running slice began. */
  private sliceBegan = 0;
  private readonly highlighter: Highlighter;
  /** Badges live in one layer over the page, outside its flow (badge-layer.ts). */
  private readonly badges: BadgeLayer;
  readonly card: HoverCard;
  private readonly observer: MutationObserver;
  private readonly observedRoots = new WeakSet<Node>();
  /** Finds the open shadow roots (those there at first, added later, attached later) to observe. */
  private readonly shadows: ShadowWatch;
  /** Added subtrees to look for new blocks in. */
  private readonly pendingRoots = new Set<Node>();
  /** Processed blocks a mutation touched, and how. */
  private readonly changedBlocks = new Map<Element, Change>();
  /** Changed blocks waiting out their back-off. */
  private readonly deferred = new Map<Element, { due: number; change: Change }>();
  private deferTimer: ReturnType<typeof setTimeout> | null = null;
  /** Whether an element left the page since the last look (blocks may have gone with it). */
  private removals = false;
  private readonly backoffMs: number;
  private readonly maxBackoffMs: number;
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
    this.backoffMs = options.backoffMs ?? 250;
    this.maxBackoffMs = options.maxBackoffMs ?? 4_000;
    this.highlighter = new Highlighter(this.doc);
    this.card = new HoverCard(this.doc);
    this.badges = new BadgeLayer(this.doc, this.signal);
    const win = this.doc.defaultView!;
    this.observer = new win.MutationObserver((records) => this.onMutations(records));
    this.shadows = new ShadowWatch(
      this.doc,
      this.adapter.shadowHosts?.length ? this.adapter.shadowHosts.join(', ') : null,
      (root, late) => this.onShadowRoot(root, late),
      () => this.schedule(),
      this.now,
    );
    this.channel = new win.MessageChannel();
    this.channel.port1.onmessage = () => this.runSlice();
    this.signal.addEventListener('abort', () => this.stop(), { once: true });
  }

  start(): void {
    if (this.signal.aborted) return;
    mark('leadguard-scan-start');
    this.observe(this.doc);
    this.shadows.add(this.doc);
    this.enqueue(this.doc);
    // The shadow-root walk runs even if the adapter failed to start.
    this.schedule();
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
    this.heldBlock = null;
    this.job = null;
    this.changedBlocks.clear();
    this.deferred.clear();
    this.pendingBadges.clear();
    this.pendingMarks.clear();
    this.enqueue(this.doc);
  }

  /** The blocks read so far and the characters of their text (for the layout check). */
  found(): { blocks: number; chars: number } {
    let chars = 0;
    for (const state of this.states.values()) chars += state.text.length;
    return { blocks: this.states.size, chars };
  }

  get currentCounts(): Counts {
    return { ...this.counts };
  }

  /** A promise that settles once everything found so far has been assessed. */
  whenIdle(): Promise<void> {
    if (!this.scheduled && !this.busy() && !this.flushTimer) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private stop(): void {
    this.observer.disconnect();
    this.shadows.stop();
    if (this.deferTimer) clearTimeout(this.deferTimer);
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.deferred.clear();
    this.changedBlocks.clear();
    this.channel.port1.onmessage = null;
    for (const state of this.states.values()) this.forget(state);
    this.states.clear();
    this.highlighter.clear();
    this.card.destroy();
    this.sources.length = 0;
    this.heldBlock = null;
    this.job = null;
    this.pendingBadges.clear();
    this.pendingMarks.clear();
    this.pendingRemovals = [];
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
    this.sliceBegan = began;
    const deadline = began + this.sliceMs;
    if (this.pendingRoots.size || this.changedBlocks.size || this.removals)
      this.flushMutations(deadline);
    let changed = false;
    while (this.now() < deadline) {
      try {
        // Shadow roots are observed before the blocks in them are read, so nothing that renders
        // into them in between is missed.
        if (this.shadows.busy) {
          this.shadows.step(deadline);
          continue;
        }
        if (this.job) {
          const step = this.job.next();
          if (step.done) {
            this.job = null;
            changed = step.value || changed;
          }
          continue;
        }
        const block = this.heldBlock ?? this.nextBlock();
        this.heldBlock = null;
        if (!block) break;
        // Reading a block can take long (the first read of a long list, a forced layout): what
        // it found waits for the next slice rather than making this one a long task.
        if (this.now() >= deadline) {
          this.heldBlock = block;
          break;
        }
        changed = this.process(block) || changed;
      } catch (error) {
        this.job = null;
        this.options.onError?.(error);
      }
    }
    const more = this.busy();
    const firstFound = !this.highlighted && this.pendingMarks.size > 0;
    // Each batch costs the page a paint, and on a long page a paint walks all of it (50–60 ms on
    // 5,000 comments, bench:page): the first find shows at once, the rest at most twice a second,
    // and once the page is scanned, the changes it keeps making wait for the next batch too.
    if (firstFound || (!more && !this.settled) || began - this.lastBadgeFlush >= this.flushGap) {
      this.flushBadges(began);
    } else if (!more) this.flushLater(began);
    if (changed) this.options.onCounts?.(this.currentCounts);
    // The page benchmark reads these from the page's performance timeline (test/bench/page-bench.ts).
    measure('leadguard-slice', began, this.now());
    if (more) this.schedule();
    else {
      this.settled = true;
      // Idle once what was found is on the page, too.
      if (!this.flushTimer) this.idle();
    }
  }

  /** Whether any assessment work is left (deferred blocks wait for their timer, not for us). */
  private busy(): boolean {
    return (
      this.sources.length > 0 ||
      this.heldBlock !== null ||
      this.shadows.busy ||
      this.pendingRoots.size > 0 ||
      this.changedBlocks.size > 0 ||
      this.removals ||
      this.job !== null
    );
  }

  private idle(): void {
    mark('leadguard-scan-idle');
    this.resolveIdle();
  }

  /** Puts the pending batch on the page when the throttle allows. */
  private flushLater(now: number): void {
    if (this.flushTimer) return;
    if (!this.pendingMarks.size && !this.pendingRemovals.length && !this.pendingBadges.size) return;
    this.flushTimer = setTimeout(
      () => {
        this.flushTimer = null;
        if (this.signal.aborted) return;
        this.flushBadges(this.now());
        if (!this.scheduled && !this.busy()) this.idle();
      },
      Math.max(0, this.lastBadgeFlush + this.flushGap - now),
    );
  }

  /** Puts pending highlights and badges on the page at once (one paint, one layout). */
  private flushBadges(now: number): void {
    if (this.flushTimer) {
      clearTimeout(this.flushTimer);
      this.flushTimer = null;
    }
    // Batches that keep coming as soon as the throttle allows are sustained churn: back off.
    const sustained = this.settled && now - this.lastBadgeFlush < 2 * this.flushGap;
    this.flushGap = sustained ? Math.min(maxFlushGapMs, this.flushGap * 1.5) : flushEveryMs;
    this.lastBadgeFlush = now;
    if (this.pendingRemovals.length) {
      this.highlighter.remove(this.pendingRemovals);
      this.pendingRemovals = [];
    }
    if (this.pendingMarks.size) {
      this.highlighter.add([...this.pendingMarks]);
      this.pendingMarks.clear();
      if (!this.highlighted) {
        this.highlighted = true;
        mark('leadguard-first-highlight');
      }
    }
    if (this.pendingBadges.size === 0) return;
    this.badges.add([...this.pendingBadges].map(([badge, [anchor]]) => [badge, anchor]));
    this.pendingBadges.clear();
  }

  private resolveIdle(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    waiters.forEach((w) => w());
  }

  /**
   * Assesses one block; returns whether the page's counts changed. A block longer than one window
   * becomes `this.job`, stepped by the slices, and counts once it is done.
   */
  private process(block: TextBlock): boolean {
    if (!block.element.isConnected) return false;
    const text = blockText(block.text, this.adapter.ignore);
    const signature = `${block.key}\u0000${text.text}`;
    const previous = this.states.get(block.element);
    if (previous?.signature === signature && !previous.dropped) return false;
    let changed = false;
    // The slice's clock: back-off needs no finer time, and reading the clock per block is 2–3 % of
    // a long page's scan (bench:page profile).
    const now = this.sliceBegan;
    // A block that keeps changing is looked at less and less often (its changes coalesce).
    const churning = previous !== undefined && now - previous.checkedAt < CHURN_WINDOW_MS;
    const changes = churning ? previous.changes + 1 : previous ? 1 : 0;
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
    const options: AssessOptions = {
      ...(author ? { author } : {}),
      kind: block.kind,
      ...(context ? { parent: context } : {}),
    };
    const suspiciousName = block.author?.handle ? this.nameLead(block.author) : null;
    const state: BlockState = {
      key: block.key,
      signature,
      element: block.element,
      textElements: block.text,
      ...(block.authorElement ? { authorElement: block.authorElement } : {}),
      text: text.text,
      verdict: 'clean',
      marks: [],
      changes,
      checkedAt: now,
      nextCheck:
        changes === 0
          ? now
          : now + Math.min(this.maxBackoffMs, this.backoffMs * 2 ** (changes - 1)),
    };
    this.states.set(block.element, state);
    if (text.text.length <= WINDOW) {
      const a = assess(this.matcher, text.text, options);
      const steps = this.finish(block, text, state, a, suspiciousName);
      while (!steps.next().done);
      return this.count(state) || changed;
    }
    this.job = this.longBlock(block, text, state, options, suspiciousName, changed);
    this.jobElement = block.element;
    return changed;
  }

  /** A long block's job: its windows one step each, then its highlights in batches. */
  private *longBlock(
    block: TextBlock,
    text: BlockText,
    state: BlockState,
    options: AssessOptions,
    suspiciousName: string | null,
    changed: boolean,
  ): Generator<void, boolean> {
    const matcher = this.matcher;
    const windows = assessInWindows((t, o) => assess(matcher, t, o), text.text, options);
    let step = windows.next();
    while (!step.done) {
      yield;
      // The block changed or left while it waited: its next version is someone else's job.
      if (this.states.get(block.element) !== state) return changed;
      step = windows.next();
    }
    yield* this.finish(block, text, state, step.value, suspiciousName);
    if (this.states.get(block.element) !== state) return changed;
    return this.count(state) || changed;
  }

  /** Counts a finished block; returns whether it changed the page's counts. */
  private count(state: BlockState): boolean {
    if (state.verdict === 'lead') this.counts.leads++;
    else if (state.verdict === 'mention') this.counts.mentions++;
    else return false;
    return true;
  }

  /**
   * Turns an assessment into the block's highlights, badge and card, yielding between batches of
   * highlights (a long block can have tens of thousands).
   */
  private *finish(
    block: TextBlock,
    text: BlockText,
    state: BlockState,
    a: Assessment,
    suspiciousName: string | null,
  ): Generator<void, void> {
    const listed = a.account && !a.account.allowed ? a.account.ruleId : undefined;
    if (a.verdict === 'clean' && !listed && !suspiciousName) return;
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
      reportMenu: block.reportMenu,
    };
    state.info = info;
    state.report = {
      element: block.element,
      platform: this.adapter.id,
      ...(block.author ? { account: block.author } : {}),
      text: text.text,
      assessment: a,
      list: { id: this.matcher.compiled.listId, version: this.matcher.compiled.listVersion },
    };
    const onReport = this.options.onReport;
    if (onReport) info.onReport = (source) => onReport(state.report!, source);
    if (a.verdict !== 'clean') {
      // Mentions show only their topic terms; leads show everything that made them leads.
      const candidates =
        a.verdict === 'lead' ? a.matches : a.matches.filter((m) => isTopic(m.category));
      const outer = outermost(candidates);
      const shown =
        outer.length > MAX_MARKS_PER_BLOCK ? outer.slice(0, MAX_MARKS_PER_BLOCK) : outer;
      if (shown.length < outer.length) {
        info.why = `${info.why}；高亮前 ${shown.length} 处，另有 ${outer.length - shown.length} 处未高亮`;
      }
      for (let i = 0; i < shown.length; i++) {
        const m = shown[i]!;
        const range = rangeFor(text, m.start, m.end, this.doc);
        if (range) state.marks.push({ range, verdict: a.verdict, category: m.category });
        if ((i + 1) % MARKS_PER_STEP === 0 && i + 1 < shown.length) {
          yield;
          if (this.states.get(block.element) !== state) return;
        }
      }
      // Highlights go to the page with the badges, in batches: every batch costs the page a paint.
      for (const m of state.marks) this.pendingMarks.add(m);
    }
    state.verdict = a.verdict;
    if (listed || suspiciousName || a.verdict === 'lead') {
      const anchor = block.authorElement ?? block.text[0] ?? block.element;
      const kind = listed ? 'account' : a.verdict === 'lead' ? 'lead' : 'name';
      state.badge = createBadge(this.doc, kind, this.card, info);
      // Which block it is about, for tests and assistive tools (the badge sits in its own layer).
      state.badge.setAttribute('data-block', block.key);
      this.pendingBadges.set(state.badge, [anchor, block.authorElement !== undefined]);
    }
  }

  /** The report context of the flagged block holding `node` (context menu, selection). */
  reportContextFor(node: Node | null): ReportContext | null {
    for (let n: Node | null = node; n; n = n.parentNode ?? (n as ShadowRoot).host ?? null) {
      const state = n.nodeType === 1 ? this.states.get(n as Element) : undefined;
      if (state?.report) return state.report;
    }
    // Badges sit in their own layer, outside the block: a right-click on one reports its block.
    for (const state of this.states.values()) {
      if (state.badge && state.report && node && state.badge.contains(node)) return state.report;
    }
    return null;
  }

  /** The block whose badge has focus (the keyboard shortcut reports it). */
  focusedReportContext(): ReportContext | null {
    const active = this.doc.activeElement;
    for (const state of this.states.values()) {
      if (state.badge && state.report && (state.badge === active || state.badge.contains(active)))
        return state.report;
    }
    return null;
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
    this.dropMarks(state);
    if (state.badge) {
      this.badges.remove(state.badge);
      this.pendingBadges.delete(state.badge);
    }
    if (state.verdict === 'lead') this.counts.leads--;
    else if (state.verdict === 'mention') this.counts.mentions--;
  }

  /** Takes a block's highlights off the page with the next batch (or before they got there). */
  private dropMarks(state: BlockState): void {
    for (const m of state.marks) {
      if (!this.pendingMarks.delete(m)) this.pendingRemovals.push(m);
    }
    state.marks = [];
  }

  /** A shadow root found on the page; one attached late holds content nobody has read yet. */
  private onShadowRoot(root: ShadowRoot, late: boolean): void {
    if (!this.observedRoots.has(root)) this.observe(root);
    if (late) this.pendingRoots.add(root.host);
  }

  private observe(root: Document | ShadowRoot): void {
    if (this.signal.aborted) return;
    this.observedRoots.add(root);
    this.observer.observe(root, { childList: true, subtree: true, characterData: true });
  }

  private onMutations(records: MutationRecord[]): void {
    for (const record of records) {
      const target = record.target;
      if (isOurs(target)) continue;
      if (record.type === 'characterData') {
        this.touch(target);
        continue;
      }
      let relevant = false;
      for (const node of record.addedNodes) {
        if (node.nodeType === 1 && !isOurs(node)) {
          this.pendingRoots.add(node);
          relevant = true;
        } else if (node.nodeType === 3) relevant = true;
      }
      for (const node of record.removedNodes) {
        if (node.nodeType === 1 && !isOurs(node)) {
          this.removals = true;
          relevant = true;
        } else if (node.nodeType === 3) relevant = true;
      }
      if (relevant) this.touch(target);
    }
    if (this.pendingRoots.size || this.changedBlocks.size || this.removals) {
      // The page's own change may have moved the names the badges sit on.
      this.badges.pageChanged();
      this.schedule();
    }
  }

  /**
   * Notes a change under `node` for the processed block it is in, if it touches that block's text
   * or author: a like counter ticking inside a comment changes nothing LeadGuard reads.
   */
  private touch(node: Node): void {
    const state = this.blockAround(node);
    if (!state) return;
    const change = touches(state, node);
    if (!change) return;
    const before = this.changedBlocks.get(state.element);
    if (before !== 'full') this.changedBlocks.set(state.element, change);
  }

  /** The processed block `node` is in (or is), across shadow boundaries. */
  private blockAround(node: Node): BlockState | undefined {
    for (let n: Node | null = node; n; n = n.parentNode ?? (n as ShadowRoot).host ?? null) {
      if (n.nodeType === 1) {
        const state = this.states.get(n as Element);
        if (state) return state;
      }
      if (n === this.doc) return undefined;
    }
    return undefined;
  }

  private flushMutations(deadline: number): void {
    const roots = [...this.pendingRoots];
    this.pendingRoots.clear();
    // Shadow roots in the added subtrees are observed before their blocks are read (the same task).
    for (const root of roots) if (root.isConnected) this.shadows.add(root);
    this.shadows.step(deadline);
    const seen = new Set<Element>();
    const blocks: TextBlock[] = [];
    const add = (found: TextBlock[]) => {
      for (const block of found) {
        if (seen.has(block.element)) continue;
        seen.add(block.element);
        blocks.push(block);
      }
    };
    for (const root of roots) {
      if (!root.isConnected) continue;
      let found = this.safeBlocks(root as ParentNode);
      // A new node may be part of a block not processed yet: look from the block it belongs to.
      // Inside a processed block, touch() has already noted what the change did to it.
      if (found.length === 0 && root.parentNode && !this.blockAround(root)) {
        found = this.safeBlocks(root.parentNode).filter(
          (b) => b.element === root || b.element.contains(root) || root.contains(b.element),
        );
      }
      add(found);
    }
    const now = this.now();
    for (const [element, change] of this.changedBlocks) {
      const state = this.states.get(element);
      if (!state || !element.isConnected) continue;
      // A long block that changes while it is assessed: that assessment is of text that's gone.
      if (element === this.jobElement && this.job && !this.sameText(state)) {
        this.job = null;
        this.jobElement = null;
        add(this.safeBlocks(element).filter((b) => b.element === element));
        continue;
      }
      if (now < state.nextCheck) {
        // Its highlights mark text that is gone; live ranges also cost the page on each of its
        // changes. They come back when the block is looked at again.
        this.dropMarks(state);
        state.dropped = true;
        const waiting = this.deferred.get(element);
        this.deferred.set(element, {
          due: state.nextCheck,
          change: waiting?.change === 'full' ? 'full' : change,
        });
        continue;
      }
      // The words are read again from the same elements: a re-render with the same text stops here.
      if (change === 'text' && !state.dropped && this.sameText(state)) {
        // Same words: nothing to assess. A re-render that replaced the text nodes collapsed the
        // highlights, though; those are made again.
        if (state.marks.every((m) => liveMark(m.range))) continue;
        this.dropMarks(state);
        state.dropped = true;
      }
      add(this.safeBlocks(element).filter((b) => b.element === element));
    }
    this.changedBlocks.clear();
    this.armDeferred(now);
    // Blocks whose nodes left the page stop counting.
    if (this.removals) {
      this.removals = false;
      let removed = false;
      for (const [element, state] of this.states) {
        if (!element.isConnected) {
          this.forget(state);
          this.states.delete(element);
          removed = true;
        }
      }
      if (removed) this.options.onCounts?.(this.currentCounts);
    }
    if (blocks.length) this.sources.push(blocks[Symbol.iterator]());
  }

  private sameText(state: BlockState): boolean {
    if (!state.textElements.every((e) => e.isConnected)) return false;
    return blockText(state.textElements, this.adapter.ignore).text === state.text;
  }

  /** Wakes the scan when the first deferred block's back-off is over. */
  private armDeferred(now: number): void {
    if (this.deferTimer || this.deferred.size === 0) return;
    let due = Infinity;
    for (const d of this.deferred.values()) due = Math.min(due, d.due);
    this.deferTimer = setTimeout(
      () => {
        this.deferTimer = null;
        if (this.signal.aborted) return;
        const at = this.now();
        for (const [element, d] of this.deferred) {
          if (d.due > at) continue;
          this.deferred.delete(element);
          const before = this.changedBlocks.get(element);
          this.changedBlocks.set(element, before === 'full' ? 'full' : d.change);
        }
        this.armDeferred(at);
        if (this.changedBlocks.size) this.schedule();
      },
      Math.max(0, due - now),
    );
  }

  private pointerFrame = 0;
  private onPointer(event: PointerEvent): void {
    // Page scripts can dispatch pointer and key events: only the user's own open the card.
    if (!event.isTrusted || this.pointerFrame || this.states.size === 0) return;
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
    if (!event.isTrusted || !(event.altKey && event.shiftKey && event.code === 'KeyL')) return;
    // In the order of the names they sit on (the layer holds them in the order they were found).
    const anchored = [...this.states.values()]
      .filter((s) => s.badge?.isConnected)
      .map((s) => ({ badge: s.badge!, anchor: this.badges.anchorOf(s.badge!) ?? s.element }))
      .sort((a, b) => before(a.anchor, b.anchor));
    const badges = anchored.map((a) => a.badge);
    if (badges.length === 0) return;
    const active = badges.findIndex(
      (b) => b === this.doc.activeElement || b.contains(this.doc.activeElement),
    );
    const next = anchored[(active + 1) % badges.length]!;
    // The name scrolls into view and its badge follows it (the layer repositions on scroll).
    next.anchor.scrollIntoView({ block: 'center' });
    this.badges.reposition();
    focusBadge(next.badge);
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

/** Whether a highlight still covers page text (a removed text node collapses its ranges). */
function liveMark(range: Range): boolean {
  return !range.collapsed && range.startContainer.isConnected && range.endContainer.isConnected;
}

/** Whether a change at `node` reaches a block's words ('text') or its author or shape ('full'). */
function touches(state: BlockState, node: Node): Change | null {
  const author = state.authorElement;
  if (author && (!author.isConnected || author.contains(node) || node.contains(author)))
    return 'full';
  let text = false;
  for (const element of state.textElements) {
    if (!element.isConnected) return 'full';
    if (element.contains(node)) text = true;
    else if (node.contains(element)) return 'full';
  }
  return text ? 'text' : null;
}

function isOurs(node: Node): boolean {
  for (let n: Node | null = node; n; n = n.parentNode) {
    if (n.nodeType === 1 && (n as Element).hasAttribute('data-leadguard-ui')) return true;
  }
  return false;
}

/** Document order (nodes in different shadow trees compare in an arbitrary, stable order). */
function before(a: Node, b: Node): number {
  return a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1;
}

/** isPointInRange is inclusive at the end; a caret just after the match is not on it. */
function rangeEndIn(range: Range, node: Node): number {
  return range.endContainer === node ? range.endOffset : Number.MAX_SAFE_INTEGER;
}

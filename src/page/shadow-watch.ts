/**
 * Finds every open shadow root on the page so the scanner can observe it from the moment it can
 * hold content (issue 9): the roots in the first document and in every subtree added later (nested
 * ones too, as replies render), and the roots attached after their host went in (a custom element
 * upgraded when its definition loads, seconds after the page). Shadow roots don't report their
 * mutations to an observer of the document, and a content script can't hear `attachShadow`, so
 * hosts without a root yet are looked at again a few times, with back-off, and a bounded number.
 *
 * The walk runs in the scanner's slices (`step`), never as one long task: a page of 5,000 comments
 * is about 100,000 elements to look at once.
 */

/** Roots handed out at most (each is one MutationObserver registration). */
const MAX_ROOTS = 50_000;
/**
 * Hosts without a shadow root yet, looked at again: the adapter's named hosts (the platform's
 * comment components) get more attempts and room than any other custom element.
 */
const MAX_NAMED_WAITING = 2_000;
const MAX_OTHER_WAITING = 500;
const NAMED_ATTEMPTS = 9; // 100 ms … 25.6 s after it went in
const OTHER_ATTEMPTS = 5; // 100 ms … 1.6 s
const FIRST_RECHECK_MS = 100;
/** Elements looked at between two reads of the clock. */
const CHECK_EVERY = 128;

interface Waiting {
  host: Element;
  named: boolean;
  attempts: number;
  due: number;
}

export class ShadowWatch {
  private readonly seen = new WeakSet<ShadowRoot>();
  private handedOut = 0;
  /** Subtrees (elements, documents, shadow roots) still to walk, and the walk in progress. */
  private readonly queue: Node[] = [];
  private walker: TreeWalker | null = null;
  private readonly waiting = new Map<Element, Waiting>();
  private named = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;

  /**
   * @param onRoot called once per open shadow root found; `late` when its host was already on the
   *   page without it (its content was never read).
   * @param wake called when a recheck found roots to walk, to schedule a slice.
   */
  constructor(
    private readonly doc: Document,
    private readonly hostSelector: string | null,
    private readonly onRoot: (root: ShadowRoot, late: boolean) => void,
    private readonly wake: () => void,
    private readonly now: () => number,
  ) {}

  /** Queues a subtree to look for shadow roots in. */
  add(node: Node): void {
    this.queue.push(node);
  }

  get busy(): boolean {
    return this.walker !== null || this.queue.length > 0;
  }

  /** Walks until `deadline`; returns whether anything is left to walk. */
  step(deadline: number): boolean {
    let n = 0;
    for (;;) {
      if (!this.walker) {
        const next = this.queue.shift();
        if (!next) return false;
        // Every subtree counts towards the clock too: a queue of thousands of small ones (a
        // page adding nodes one by one) is as long a walk as one big subtree.
        if (++n % CHECK_EVERY === 0 && this.now() >= deadline) {
          this.queue.unshift(next);
          return true;
        }
        if (!next.isConnected) continue;
        if (next.nodeType === 1) this.visit(next as Element);
        this.walker = this.doc.createTreeWalker(next, 1 /* NodeFilter.SHOW_ELEMENT */);
      }
      const el = this.walker.nextNode() as Element | null;
      if (!el) {
        this.walker = null;
        continue;
      }
      this.visit(el);
      if (++n % CHECK_EVERY === 0 && this.now() >= deadline) return true;
    }
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.queue.length = 0;
    this.walker = null;
    this.waiting.clear();
  }

  private visit(el: Element): void {
    const root = el.shadowRoot;
    if (root) {
      this.found(root, false);
      return;
    }
    // Only custom elements get shadow roots late in practice (on upgrade); a few built-ins could,
    // but a page script attaching one to a <div> later is not worth a look at every <div>.
    if (!el.localName.includes('-') || this.waiting.has(el) || el.hasAttribute('data-leadguard-ui'))
      return;
    const named = this.hostSelector !== null && el.matches(this.hostSelector);
    if (
      named ? this.named >= MAX_NAMED_WAITING : this.waiting.size - this.named >= MAX_OTHER_WAITING
    )
      return;
    if (named) this.named++;
    this.waiting.set(el, { host: el, named, attempts: 0, due: this.now() + FIRST_RECHECK_MS });
    this.arm();
  }

  private found(root: ShadowRoot, late: boolean): void {
    if (this.seen.has(root) || this.handedOut >= MAX_ROOTS) return;
    if (root.host.hasAttribute('data-leadguard-ui')) return;
    this.seen.add(root);
    this.handedOut++;
    this.onRoot(root, late);
    this.queue.push(root);
  }

  private arm(): void {
    if (this.timer || this.waiting.size === 0) return;
    let due = Infinity;
    for (const w of this.waiting.values()) due = Math.min(due, w.due);
    this.timer = setTimeout(() => this.recheck(), Math.max(0, due - this.now()));
  }

  private recheck(): void {
    this.timer = null;
    const at = this.now();
    let foundAny = false;
    for (const [host, w] of this.waiting) {
      if (w.due > at) continue;
      const root = host.isConnected ? host.shadowRoot : null;
      const limit = w.named ? NAMED_ATTEMPTS : OTHER_ATTEMPTS;
      if (root || !host.isConnected || ++w.attempts >= limit) {
        this.waiting.delete(host);
        if (w.named) this.named--;
        if (root) {
          this.found(root, true);
          foundAny = true;
        }
        continue;
      }
      w.due = at + FIRST_RECHECK_MS * 2 ** w.attempts;
    }
    this.arm();
    if (foundAny) this.wake();
  }
}

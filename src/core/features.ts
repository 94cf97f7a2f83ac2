/**
 * What the lead model sees (spec `ngram-lex/1`): hashed character n-grams of the folded, de-noised
 * text — full-width, case, traditional and styled letters folded, separators, emoji and zero-width
 * characters dropped, repeats collapsed, digits one class — so evasion is gone before the model
 * looks; plus named features of the lexicon's signals (score.ts). Every feature is binary and
 * hashed into one table of 2^hashBits weights.
 */
import { foldAstral, foldTableOf, skipTableOf } from './normalize';

/** The folded, de-noised text with each symbol's span in the original text. */
export interface TextView {
  codes: Uint16Array;
  start: Int32Array;
  end: Int32Array;
  /** 1 where a sentence ends after the symbol (windows split there; n-grams run across). */
  breaks: Uint8Array;
  length: number;
}

/** Sentence ends, noted beside the symbols: a line break inside 想要⏎一份⏎报告 is evasion. */
const BOUNDARY = -3;
const boundaryChars = new Set([...'。！？!?；;\n…'].map((c) => c.charCodeAt(0)));
/** Ideographs outside the BMP (rare names, variants) are real text: one symbol for all. */
const RARE_IDEOGRAPH = 0xe0ff;

let scratchCodes = new Uint16Array(1024);
let scratchStart = new Int32Array(1024);
let scratchEnd = new Int32Array(1024);
let scratchBreaks = new Uint8Array(1024);

/**
 * The folded, de-noised view of `text`. The view's arrays are shared: it is valid until the next
 * call (read it, don't keep it).
 */
export function textView(text: string): TextView {
  const fold = foldTableOf();
  const skip = skipTableOf();
  const n = text.length;
  // One view at a time is read (assessment is synchronous): its arrays are reused, grown as
  // needed, instead of allocating four per text.
  if (scratchCodes.length < n + 1) {
    const size = Math.max(n + 1, scratchCodes.length * 2);
    scratchCodes = new Uint16Array(size);
    scratchStart = new Int32Array(size);
    scratchEnd = new Int32Array(size);
    scratchBreaks = new Uint8Array(size);
  }
  const codes = scratchCodes;
  const start = scratchStart;
  const end = scratchEnd;
  const breaks = scratchBreaks;
  breaks.fill(0, 0, n + 1);
  let len = 0;
  let last = -1;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    let f: number;
    let width = 1;
    if (c >= 0xd800 && c < 0xdc00 && i + 1 < n) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d < 0xe000) {
        width = 2;
        const a = foldAstral(((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000);
        f = a === -2 ? RARE_IDEOGRAPH : a;
      } else f = -1;
    } else if (skip[c]) {
      f = boundaryChars.has(c) ? BOUNDARY : -1;
    } else {
      f = fold[c]!;
      if (f >= 0x30 && f <= 0x39) f = 0x30;
    }
    if (f === BOUNDARY) {
      if (len > 0) breaks[len - 1] = 1;
    } else if (f >= 0) {
      if (f === last) {
        end[len - 1] = i + width; // 征征信信, 哈哈哈: a repeat is one symbol
      } else {
        codes[len] = f;
        start[len] = i;
        end[len] = i + width;
        len++;
        last = f;
      }
    }
    i += width - 1;
  }
  return { codes, start, end, breaks, length: len };
}

/** Windows of a view: [from, to) symbol ranges split at sentence boundaries. */
export function sentenceRanges(
  view: TextView,
  minChars: number,
  maxChars: number,
): [number, number][] {
  const out: [number, number][] = [];
  let from = 0;
  const push = (a: number, b: number) => {
    // A sentence longer than a window is cut into overlapping pieces.
    if (b - a <= maxChars) out.push([a, b]);
    else {
      const step = Math.max(1, Math.floor(maxChars / 2));
      for (let s = a; s < b; s += step) {
        out.push([s, Math.min(b, s + maxChars)]);
        if (s + maxChars >= b) break;
      }
    }
  };
  for (let i = 0; i < view.length; i++) {
    if (view.breaks[i] && i + 1 - from >= minChars) {
      push(from, i + 1);
      from = i + 1;
    }
  }
  if (from < view.length) {
    // A short tail joins the sentence before it.
    const tail = view.length - from;
    if (
      tail < minChars &&
      out.length &&
      out[out.length - 1]![1] - out[out.length - 1]![0] + tail <= maxChars
    ) {
      out[out.length - 1]![1] = view.length;
    } else push(from, view.length);
  }
  return out;
}

const FNV_PRIME = 0x01000193;
const QUOTE_SALT = 0x6a09e667;

/** 1 for each view symbol inside one of the sorted original-text `spans`. */
export function symbolsIn(view: TextView, spans: readonly [number, number][]): Uint8Array | null {
  if (spans.length === 0) return null;
  const out = new Uint8Array(view.length);
  let k = 0;
  for (let i = 0; i < view.length; i++) {
    const at = view.start[i]!;
    while (k < spans.length && spans[k]![1] <= at) k++;
    if (k < spans.length && spans[k]![0] <= at) out[i] = 1;
  }
  return out;
}
const ORDER_SEED = [0, 0x9e3779b1, 0x85ebca6b, 0xc2b2ae35, 0x27d4eb2f, 0x165667b1];

function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  h ^= h >>> 16;
  return h >>> 0;
}

const stringHashes = new Map<string, number>();
/** A string's 32-bit hash, remembered: named features are a few hundred strings used again. */
function stringHash(s: string): number {
  let h = stringHashes.get(s);
  if (h === undefined) {
    h = 0x811c9dc5;
    for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), FNV_PRIME);
    h = mix(h ^ 0x5bd1e995);
    if (stringHashes.size < 100_000) stringHashes.set(s, h);
  }
  return h;
}

/** The bucket of the named feature `key` under `prefix` (lexicon signals, register, context). */
export function nameBucket(key: string, mask: number, prefix = ''): number {
  return mix(stringHash(prefix) ^ Math.imul(stringHash(key), 0x9e3779b1)) & mask;
}

/**
 * The features of one window, de-duplicated: `buckets[i]` with `origin[i]` ≥ 0 an n-gram at view
 * position origin >> 3 of order origin & 7, or < 0 the named feature `names[-origin - 1]`.
 */
export interface FeatureSet {
  buckets: Int32Array;
  origin: Int32Array;
  count: number;
  /** How many of the features are n-grams. */
  ngrams: number;
  /** Named features as prefix + key (kept apart: joined only to explain a verdict). */
  prefixes: string[];
  keys: string[];
}

/** A named feature of a set, in full. */
export const featureName = (set: FeatureSet, origin: number) =>
  set.prefixes[-origin - 1]! + set.keys[-origin - 1]!;

/**
 * What each n-gram of a window counts for: 1, or with normalisation `norm` / √(n-grams in the
 * window), at most 1 — so a window's wording weighs about the same whatever its length and the
 * lexicon's named signals are not drowned by it.
 */
export const ngramValue = (norm: number, ngrams: number) =>
  norm > 0 ? Math.min(1, norm / Math.sqrt(Math.max(1, ngrams))) : 1;

const emptySet = (): FeatureSet => ({
  buckets: new Int32Array(256),
  origin: new Int32Array(256),
  count: 0,
  ngrams: 0,
  prefixes: [],
  keys: [],
});

/** Named features as `FeatureBuilder.named` added them (bucket, prefix, key). */
export interface Recording {
  buckets: number[];
  prefixes: string[];
  keys: string[];
}

export class FeatureBuilder {
  // The set's buckets, de-duplicated in a small open-addressing table (a window has a few hundred
  // features; a table the size of the hash space would miss the cache on every one).
  private slots = new Int32Array(1024);
  private slotGen = new Uint32Array(1024);
  private shift = 22;
  private generation = 0;
  readonly mask: number;
  private set: FeatureSet;
  private readonly maxOrder: number;
  private readonly hasOrder: Uint8Array;
  private table = new Int32Array(1024);
  private recording: Recording | null = null;
  private spare: FeatureSet | null = null;
  private crossPrefixes = new Map<string, Map<string, string>>();

  constructor(
    readonly hashBits: number,
    readonly orders: readonly number[],
  ) {
    this.mask = (1 << hashBits) - 1;
    this.maxOrder = Math.max(...orders);
    this.hasOrder = new Uint8Array(this.maxOrder + 1);
    for (const k of orders) this.hasOrder[k] = 1;
    this.set = emptySet();
  }

  /**
   * Keeps the current set: the next `begin()` fills the other of two sets, so a caller can hold
   * its best window's set while it reads the next ones, without copying. What was kept before is
   * reused from then on.
   */
  keep(): FeatureSet {
    const kept = this.set;
    this.set = this.spare ?? emptySet();
    this.spare = kept;
    return kept;
  }

  /** Starts a new feature set (the previous one is reused: copy or `keep` what you keep). */
  begin(): FeatureSet {
    this.generation = (this.generation + 1) >>> 0;
    if (this.generation === 0) {
      this.slotGen.fill(0);
      this.generation = 1;
    }
    this.set.count = 0;
    this.set.ngrams = 0;
    this.set.prefixes.length = 0;
    this.set.keys.length = 0;
    return this.set;
  }

  /** Whether `bucket` is new to the set (and now in it). */
  private claim(bucket: number): boolean {
    const size = this.slots.length;
    if ((this.set.count + 1) * 2 > size) this.grow(size * 2);
    const slots = this.slots;
    const gen = this.slotGen;
    const last = slots.length - 1;
    let i = Math.imul(bucket, 0x9e3779b1) >>> this.shift;
    for (;;) {
      if (gen[i] !== this.generation) {
        gen[i] = this.generation;
        slots[i] = bucket;
        return true;
      }
      if (slots[i] === bucket) return false;
      i = (i + 1) & last;
    }
  }

  private grow(size: number): void {
    this.slots = new Int32Array(size);
    this.slotGen = new Uint32Array(size);
    this.shift = 32 - Math.log2(size);
    const { buckets, count } = this.set;
    const g = this.generation;
    const last = size - 1;
    for (let k = 0; k < count; k++) {
      let i = Math.imul(buckets[k]!, 0x9e3779b1) >>> this.shift;
      while (this.slotGen[i] === g) i = (i + 1) & last;
      this.slotGen[i] = g;
      this.slots[i] = buckets[k]!;
    }
  }

  private push(bucket: number, origin: number): void {
    const s = this.set;
    if (!this.claim(bucket)) return;
    if (s.count === s.buckets.length) {
      const b = new Int32Array(s.count * 2);
      b.set(s.buckets);
      s.buckets = b;
      const o = new Int32Array(s.count * 2);
      o.set(s.origin);
      s.origin = o;
    }
    s.buckets[s.count] = bucket;
    s.origin[s.count] = origin;
    s.count++;
    if (origin >= 0) s.ngrams++;
  }

  /**
   * The buckets of every n-gram of a text, hashed once: entry `i * maxOrder + k - 1` is the n-gram
   * of order k starting at view symbol i (-1 for an order the model doesn't use). The windows of a
   * long text overlap (sentences, and pairs of them), so each is read from this table.
   */
  gramTable(view: TextView, quoted?: Uint8Array | null): Int32Array {
    const codes = view.codes;
    const n = view.length;
    const mask = this.mask;
    const maxOrder = this.maxOrder;
    if (this.table.length < n * maxOrder) this.table = new Int32Array(n * maxOrder * 2);
    const table = this.table;
    // One pass: the hash of the n-gram starting at i grows a character at a time, and each order
    // it reaches gets its own finish (3 steps a position for orders 1–3, not 6).
    for (let i = 0; i < n; i++) {
      // Quoted words (a warning quoting the bait) are read apart from the writer's own.
      let h = quoted && quoted[i] ? QUOTE_SALT : 0;
      const row = i * maxOrder;
      for (let k = 1; k <= maxOrder; k++) {
        if (i + k > n) {
          table[row + k - 1] = -1;
          continue;
        }
        h = Math.imul(h ^ codes[i + k - 1]!, FNV_PRIME);
        table[row + k - 1] = this.hasOrder[k] ? mix(h ^ ORDER_SEED[k]!) & mask : -1;
      }
    }
    return table;
  }

  /** Adds the n-grams wholly inside view symbols [from, to), from a `gramTable` of the text. */
  ngrams(table: Int32Array, from: number, to: number): void {
    const maxOrder = this.maxOrder;
    for (let i = from; i < to; i++) {
      const row = i * maxOrder;
      for (let k = 1; k <= maxOrder && i + k <= to; k++) {
        const bucket = table[row + k - 1]!;
        if (bucket >= 0) this.push(bucket, (i << 3) | k);
      }
    }
  }

  /**
   * Named features added from now on are also recorded, so that the next windows of a text can
   * add the same ones (the block's and parent's signals, the same for every window) by `replay`.
   */
  record(): void {
    this.recording = { buckets: [], prefixes: [], keys: [] };
  }

  /** Stops recording and returns what was recorded. */
  recorded(): Recording {
    const r = this.recording ?? { buckets: [], prefixes: [], keys: [] };
    this.recording = null;
    return r;
  }

  /** Adds recorded named features again, exactly as `named` added them. */
  replay(r: Recording): void {
    for (let i = 0; i < r.buckets.length; i++) this.add(r.buckets[i]!, r.prefixes[i]!, r.keys[i]!);
  }

  /** How many named features the current set holds (a mark for `cross`). */
  namedCount(): number {
    return this.set.keys.length;
  }

  /**
   * Adds the set's named features from the `from`-th on again, each under `anchor` before its
   * prefix (a feature cross: k:reply|P:ct&ask is what an ask under a debtor's question is worth in
   * a reply, apart from what it is worth in a name or a danmaku).
   */
  cross(anchor: string, from: number): void {
    const s = this.set;
    const n = s.keys.length;
    let joined = this.crossPrefixes.get(anchor);
    if (!joined) this.crossPrefixes.set(anchor, (joined = new Map()));
    for (let i = from; i < n; i++) {
      const p = s.prefixes[i]!;
      // A handful of prefixes (B:, P:, '') under a handful of anchors: joined once, not per window.
      let prefix = joined.get(p);
      if (prefix === undefined) joined.set(p, (prefix = anchor + p));
      const key = s.keys[i]!;
      this.add(nameBucket(key, this.mask, prefix), prefix, key);
    }
  }

  /** Adds the named feature `key` under `prefix`. */
  named(key: string, prefix = ''): void {
    const bucket = nameBucket(key, this.mask, prefix);
    if (this.recording) {
      this.recording.buckets.push(bucket);
      this.recording.prefixes.push(prefix);
      this.recording.keys.push(key);
    }
    this.add(bucket, prefix, key);
  }

  private add(bucket: number, prefix: string, key: string): void {
    const s = this.set;
    const before = s.count;
    this.push(bucket, -1 - s.keys.length);
    if (s.count > before) {
      s.prefixes.push(prefix);
      s.keys.push(key);
    }
  }
}

/** The view symbols of an n-gram origin as text (for explanations). */
export function ngramText(view: TextView, origin: number): string {
  const at = origin >> 3;
  const k = origin & 7;
  let s = '';
  for (let j = 0; j < k; j++) {
    const c = view.codes[at + j]!;
    s += c === 0x30 ? '#' : String.fromCharCode(c);
  }
  return s;
}

/** The original-text span of an n-gram origin. */
export function ngramSpan(view: TextView, origin: number): { start: number; end: number } {
  const at = origin >> 3;
  const k = origin & 7;
  return { start: view.start[at]!, end: view.end[at + k - 1]! };
}

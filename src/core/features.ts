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

export function textView(text: string): TextView {
  const fold = foldTableOf();
  const skip = skipTableOf();
  const n = text.length;
  const codes = new Uint16Array(n + 1);
  const start = new Int32Array(n + 1);
  const end = new Int32Array(n + 1);
  const breaks = new Uint8Array(n + 1);
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

/** The bucket of a named feature (lexicon signals, register, context). */
export function nameBucket(name: string, mask: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), FNV_PRIME);
  return mix(h ^ 0x5bd1e995) & mask;
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
  names: string[];
}

/**
 * What each n-gram of a window counts for: 1, or with normalisation `norm` / √(n-grams in the
 * window), at most 1 — so a window's wording weighs about the same whatever its length and the
 * lexicon's named signals are not drowned by it.
 */
export const ngramValue = (norm: number, ngrams: number) =>
  norm > 0 ? Math.min(1, norm / Math.sqrt(Math.max(1, ngrams))) : 1;

export class FeatureBuilder {
  private stamp: Uint32Array;
  private generation = 0;
  readonly mask: number;
  private set: FeatureSet;

  constructor(
    readonly hashBits: number,
    readonly orders: readonly number[],
  ) {
    this.mask = (1 << hashBits) - 1;
    this.stamp = new Uint32Array(1 << hashBits);
    this.set = {
      buckets: new Int32Array(256),
      origin: new Int32Array(256),
      count: 0,
      ngrams: 0,
      names: [],
    };
  }

  /** Starts a new feature set (the previous one is reused: copy what you keep). */
  begin(): FeatureSet {
    this.generation = (this.generation + 1) >>> 0;
    if (this.generation === 0) {
      this.stamp.fill(0);
      this.generation = 1;
    }
    this.set.count = 0;
    this.set.ngrams = 0;
    this.set.names = [];
    return this.set;
  }

  private push(bucket: number, origin: number): void {
    if (this.stamp[bucket] === this.generation) return;
    this.stamp[bucket] = this.generation;
    const s = this.set;
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
   * Adds the n-grams of view symbols [from, to); a non-zero `salt` puts them in another namespace
   * (the same n-gram read in a window that asks means something else).
   */
  ngrams(view: TextView, from: number, to: number, salt = 0, quoted?: Uint8Array | null): void {
    const codes = view.codes;
    const mask = this.mask;
    for (const k of this.orders) {
      const seed = ORDER_SEED[k]! ^ salt;
      for (let i = from; i + k <= to; i++) {
        // Quoted words (a warning quoting the bait) are read apart from the writer's own.
        let h = quoted && quoted[i] ? seed ^ QUOTE_SALT : seed;
        for (let j = 0; j < k; j++) h = Math.imul(h ^ codes[i + j]!, FNV_PRIME);
        this.push(mix(h) & mask, (i << 3) | k);
      }
    }
  }

  /** Adds a named feature. */
  named(name: string): void {
    const s = this.set;
    const before = s.count;
    this.push(nameBucket(name, this.mask), -1 - s.names.length);
    if (s.count > before) s.names.push(name);
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

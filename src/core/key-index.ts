/**
 * The account and contact index a content script holds: every key (`platform\0id`, `type\0value`)
 * hashed to 64 bits, sorted, and found by interpolation search. 12 bytes a key (two hash halves and a rule
 * index) and no strings, so a feed of a million accounts costs a tab 12 MB, not a Map of a million
 * strings (~100 bytes each). Lookups hash the key once and interpolate: 3–4 probes for 1M keys.
 *
 * Two different keys with one 64-bit hash would share a rule; the builder has the strings and
 * refuses such a list (about 1 in 10^7 for 1M keys), so no lookup can ever answer for the wrong key
 * of the list itself. A page's key colliding with a listed one is as unlikely (n / 2^64).
 */

export interface KeyIndexData {
  /**
   * Three words a key, [hi, lo, rule], ascending by (hi, lo): the probe that finds `hi` has `lo`
   * and the rule in the same cache line.
   */
  slots: Uint32Array;
}

let hashHi = 0;
let hashLo = 0;

/**
 * Two 32-bit hashes of a string's UTF-16 code units, two units a step (FNV-1a-style steps on
 * 32-bit words with two multipliers, murmur3 finalizers): half the steps of one unit at a time,
 * which is most of a lookup's cost.
 */
function hash(key: string): void {
  let a = 0x811c9dc5;
  let b = 0x6b43a9b5;
  const n = key.length;
  let i = 0;
  for (; i + 1 < n; i += 2) {
    const k = key.charCodeAt(i) | (key.charCodeAt(i + 1) << 16);
    a = Math.imul(a ^ k, 0x01000193);
    b = Math.imul(b ^ k, 0x5bd1e995);
    b ^= b >>> 15;
  }
  if (i < n) {
    const k = key.charCodeAt(i);
    a = Math.imul(a ^ k, 0x01000193);
    b = Math.imul(b ^ k, 0x5bd1e995);
  }
  hashHi = fmix(a ^ n) >>> 0;
  hashLo = fmix(b ^ Math.imul(n, 0x9e3779b1)) >>> 0;
}

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** The 64-bit hash of a key as [hi, lo] (tests and tools). */
export function keyHash(key: string): [number, number] {
  hash(key);
  return [hashHi, hashLo];
}

export class KeyCollisionError extends Error {
  override name = 'KeyCollisionError';
}

/**
 * Builds the index. `keys[i]` maps to `rules[i]`; when a key repeats, `prefer(a, b)` says whether
 * rule `a` should replace rule `b` (allow entries beat listings); otherwise the first one stays.
 */
export function buildKeyIndex(
  keys: readonly string[],
  rules: ArrayLike<number>,
  prefer: (candidate: number, kept: number) => boolean = () => false,
): KeyIndexData {
  const n = keys.length;
  const hi = new Uint32Array(n);
  const lo = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    hash(keys[i]!);
    hi[i] = hashHi;
    lo[i] = hashLo;
  }
  const order = radixOrder(hi, lo);
  const slots = new Uint32Array(n * 3);
  let m = 0;
  let keptKey = -1;
  for (let k = 0; k < n; k++) {
    const i = order[k]!;
    const rule = rules[i]!;
    if (rule < 0) throw new RangeError('rules are non-negative indices');
    if (m > 0 && slots[m - 3] === hi[i] && slots[m - 2] === lo[i]) {
      if (keys[i] !== keys[keptKey]) {
        throw new KeyCollisionError(
          `keys ${JSON.stringify(keys[keptKey])} and ${JSON.stringify(keys[i])} share a hash`,
        );
      }
      // Same key again: keep the first rule unless the later one is preferred.
      if (prefer(rule, slots[m - 1]!)) slots[m - 1] = rule;
      continue;
    }
    slots[m] = hi[i]!;
    slots[m + 1] = lo[i]!;
    slots[m + 2] = rule;
    keptKey = i;
    m += 3;
  }
  return { slots: m === slots.length ? slots : slots.slice(0, m) };
}

/**
 * Indices sorted by (hi, lo): LSD radix sort on 16-bit digits, four stable passes. Ties keep their
 * input order, so "first entry wins" holds for repeated keys.
 */
function radixOrder(hi: Uint32Array, lo: Uint32Array): Uint32Array {
  const n = hi.length;
  let order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  let spare = new Uint32Array(n);
  const count = new Uint32Array(0x10001);
  for (const [words, shift] of [
    [lo, 0],
    [lo, 16],
    [hi, 0],
    [hi, 16],
  ] as const) {
    count.fill(0);
    for (let i = 0; i < n; i++) count[((words[i]! >>> shift) & 0xffff) + 1]!++;
    for (let d = 0; d < 0x10000; d++) count[d + 1]! += count[d]!;
    for (let k = 0; k < n; k++) {
      const i = order[k]!;
      spare[count[(words[i]! >>> shift) & 0xffff]!++] = i;
    }
    [order, spare] = [spare, order];
  }
  return order;
}

/** A loaded index: `get` and `has` take the same string keys as a Map would. */
export class KeyIndex {
  readonly size: number;
  private readonly slots: Uint32Array;
  constructor(data: KeyIndexData) {
    this.slots = data.slots;
    this.size = data.slots.length / 3;
  }

  get(key: string): number | undefined {
    const slots = this.slots;
    hash(key);
    const h = hashHi;
    const l = hashLo;
    // Interpolation search: hashes are uniform, so about log log n probes (3–4 for 1M keys)
    // instead of bisection's 20 cache misses.
    let a = 0;
    let b = this.size - 1;
    while (a <= b) {
      const ha = slots[a * 3]!;
      const hb = slots[b * 3]!;
      if (h < ha || h > hb) return undefined;
      const mid = hb === ha ? a : a + Math.floor(((h - ha) / (hb - ha)) * (b - a));
      const hm = slots[mid * 3]!;
      if (hm < h) a = mid + 1;
      else if (hm > h) b = mid - 1;
      else {
        let i = mid;
        while (i > 0 && slots[(i - 1) * 3] === h) i--;
        for (; i < this.size && slots[i * 3] === h; i++) {
          if (slots[i * 3 + 1] === l) return slots[i * 3 + 2];
        }
        return undefined;
      }
    }
    return undefined;
  }

  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  /** Bytes the index occupies. */
  get byteLength(): number {
    return this.slots.byteLength;
  }
}

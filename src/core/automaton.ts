/**
 * An Aho–Corasick automaton over folded characters, in typed arrays (uBlock Origin's approach: no
 * Maps of Maps), built deterministically so the background can compile it once and content scripts
 * load the bytes. The scan walks the original text once and:
 * - folds each code unit through one table lookup (fold and alphabet are merged at load);
 * - skips separators/noise inside a match, at most `maxGap` code points between two characters
 *   (征*信*修*复, 停📛息📛挂📛账, zero-width), and immediate repeats (征征信信修复);
 * - checks Latin/digit word boundaries (`av` not in `have`, `69` not in `695`);
 * - reports UTF-16 offsets into the original text.
 */
import { foldAstral, foldTableOf, isAsciiDigit, isAsciiLetter, skipTableOf } from './normalize';

export interface AutomatonData {
  /** The alphabet: folded code units, ascending; symbol s (1-based) is `alphabet[s - 1]`. */
  alphabet: Uint16Array;
  edgeStart: Int32Array; // states + 1
  edgeSym: Uint16Array;
  edgeTo: Int32Array;
  fail: Int32Array;
  /** First output pattern of a state, -1 if none. */
  outHead: Int32Array;
  /** Next pattern with the same folded string, -1 if none. */
  outNext: Int32Array;
  /** Nearest state on the failure chain that has outputs, 0 if none. */
  dictLink: Int32Array;
  /** Pattern length in symbols. */
  patLen: Uint16Array;
  /** Bit 0/1: first char is a letter/digit; bit 2/3: last char is a letter/digit. */
  patFlags: Uint8Array;
}

export interface Automaton extends AutomatonData {
  /** Per raw code unit: symbol (bits 0–15) | skip (bit 16) | letter (bit 17) | digit (bit 18). */
  info: Int32Array;
  rootNext: Int32Array;
  /** Per state: the first state on its chain with outputs (itself or dictLink), 0 if none. */
  emitFrom: Int32Array;
  ringMask: number;
  /**
   * Open-addressing hash of every non-root transition: (state, symbol) → child. Dense lists keep
   * the scan off the root most of the time, where a binary search per character was the cost.
   */
  hashState: Int32Array;
  hashSym: Uint16Array;
  hashTo: Int32Array;
  hashMask: number;
}

const SKIP = 1 << 16;
const LETTER = 1 << 17;
const DIGIT = 1 << 18;
const SYM = 0xffff;

/** Builds the automaton for folded pattern strings (index = pattern id). Duplicates are fine. */
export function buildAutomaton(patterns: readonly string[]): Automaton {
  const chars = new Set<number>();
  for (const p of patterns) for (let i = 0; i < p.length; i++) chars.add(p.charCodeAt(i));
  const alphabet = Uint16Array.from([...chars].sort((a, b) => a - b));
  const symOfChar = new Uint16Array(0x10000);
  alphabet.forEach((c, i) => (symOfChar[c] = i + 1));

  const order = patterns
    .map((_, i) => i)
    .sort((a, b) => {
      const x = patterns[a]!;
      const y = patterns[b]!;
      return x < y ? -1 : x > y ? 1 : a - b;
    });

  let cap = 1024;
  let parent = new Int32Array(cap);
  let symArr = new Uint16Array(cap);
  let depth = new Int32Array(cap);
  let outHead = new Int32Array(cap).fill(-1);
  const grow = () => {
    cap *= 2;
    const p = new Int32Array(cap);
    p.set(parent);
    parent = p;
    const s = new Uint16Array(cap);
    s.set(symArr);
    symArr = s;
    const d = new Int32Array(cap);
    d.set(depth);
    depth = d;
    const o = new Int32Array(cap).fill(-1);
    o.set(outHead);
    outHead = o;
  };
  const outNext = new Int32Array(patterns.length).fill(-1);
  const patLen = new Uint16Array(patterns.length);
  const patFlags = new Uint8Array(patterns.length);
  let states = 1;
  const path = [0];
  let previous = '';
  for (const id of order) {
    const p = patterns[id]!;
    if (p.length === 0 || p.length > 0xffff) throw new Error(`pattern ${id} has no usable length`);
    let lcp = 0;
    while (
      lcp < p.length &&
      lcp < previous.length &&
      p.charCodeAt(lcp) === previous.charCodeAt(lcp)
    )
      lcp++;
    for (let d = lcp + 1; d <= p.length; d++) {
      if (states >= cap) grow();
      parent[states] = path[d - 1]!;
      symArr[states] = symOfChar[p.charCodeAt(d - 1)]!;
      depth[states] = d;
      path[d] = states++;
    }
    const node = path[p.length]!;
    outNext[id] = outHead[node]!;
    outHead[node] = id;
    patLen[id] = p.length;
    const first = p.charCodeAt(0);
    const last = p.charCodeAt(p.length - 1);
    patFlags[id] =
      (isAsciiLetter(first) ? 1 : 0) |
      (isAsciiDigit(first) ? 2 : 0) |
      (isAsciiLetter(last) ? 4 : 0) |
      (isAsciiDigit(last) ? 8 : 0);
    previous = p;
  }

  // Children are created in ascending symbol order (sorted patterns), so a stable counting sort
  // by parent yields each state's edges sorted by symbol.
  const edgeStart = new Int32Array(states + 1);
  for (let v = 1; v < states; v++) edgeStart[parent[v]! + 1]!++;
  for (let s = 0; s < states; s++) edgeStart[s + 1]! += edgeStart[s]!;
  const fill = edgeStart.slice(0, states);
  const edgeSym = new Uint16Array(Math.max(0, states - 1));
  const edgeTo = new Int32Array(Math.max(0, states - 1));
  for (let v = 1; v < states; v++) {
    const slot = fill[parent[v]!]!++;
    edgeSym[slot] = symArr[v]!;
    edgeTo[slot] = v;
  }

  const data: AutomatonData = {
    alphabet,
    edgeStart,
    edgeSym,
    edgeTo,
    fail: new Int32Array(states),
    outHead: outHead.slice(0, states),
    outNext,
    dictLink: new Int32Array(states),
    patLen,
    patFlags,
  };
  const rootNext = rootTransitions(data);

  // Failure links in breadth-first order (states sorted by depth).
  let maxDepth = 0;
  for (let v = 1; v < states; v++) if (depth[v]! > maxDepth) maxDepth = depth[v]!;
  const byDepthStart = new Int32Array(maxDepth + 2);
  for (let v = 1; v < states; v++) byDepthStart[depth[v]! + 1]!++;
  for (let d = 0; d <= maxDepth; d++) byDepthStart[d + 1]! += byDepthStart[d]!;
  const bfs = new Int32Array(states);
  const cursor = byDepthStart.slice();
  for (let v = 1; v < states; v++) bfs[cursor[depth[v]!]!++] = v;
  const { fail, dictLink } = data;
  const out = data.outHead;
  for (let k = 0; k < states - 1; k++) {
    const v = bfs[k]!;
    const sym = symArr[v]!;
    let f = 0;
    if (depth[v]! > 1) {
      let u = fail[parent[v]!]!;
      for (;;) {
        const t = u === 0 ? rootNext[sym]! : childOf(data, u, sym);
        if (t > 0) {
          f = t;
          break;
        }
        if (u === 0) break;
        u = fail[u]!;
      }
    }
    fail[v] = f;
    dictLink[v] = out[f]! >= 0 ? f : dictLink[f]!;
  }
  return withRuntime(data, rootNext);
}

/** The serializable part of an automaton (what withRuntime rebuilds the rest from). */
export function automatonData(a: AutomatonData): AutomatonData {
  const {
    alphabet,
    edgeStart,
    edgeSym,
    edgeTo,
    fail,
    outHead,
    outNext,
    dictLink,
    patLen,
    patFlags,
  } = a;
  return {
    alphabet,
    edgeStart,
    edgeSym,
    edgeTo,
    fail,
    outHead,
    outNext,
    dictLink,
    patLen,
    patFlags,
  };
}

function childOf(a: AutomatonData, s: number, sym: number): number {
  let lo = a.edgeStart[s]!;
  let hi = a.edgeStart[s + 1]!;
  const edgeSym = a.edgeSym;
  if (hi - lo <= 6) {
    for (; lo < hi; lo++) if (edgeSym[lo] === sym) return a.edgeTo[lo]!;
    return 0;
  }
  hi--;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const m = edgeSym[mid]!;
    if (m === sym) return a.edgeTo[mid]!;
    if (m < sym) lo = mid + 1;
    else hi = mid - 1;
  }
  return 0;
}

function rootTransitions(a: AutomatonData): Int32Array {
  const rootNext = new Int32Array(a.alphabet.length + 1);
  for (let e = a.edgeStart[0]!; e < a.edgeStart[1]!; e++) rootNext[a.edgeSym[e]!] = a.edgeTo[e]!;
  return rootNext;
}

/** Adds the lookup tables a scan needs to serialized automaton data (done once per load). */
export function withRuntime(
  data: AutomatonData,
  rootNext: Int32Array = rootTransitions(data),
): Automaton {
  const fold = foldTableOf();
  const skip = skipTableOf();
  const symOfChar = new Uint16Array(0x10000);
  data.alphabet.forEach((c, i) => (symOfChar[c] = i + 1));
  const info = new Int32Array(0x10000);
  for (let c = 0; c < 0x10000; c++) {
    const f = fold[c]!;
    info[c] =
      symOfChar[f]! |
      (skip[c] ? SKIP : 0) |
      (isAsciiLetter(f) ? LETTER : 0) |
      (isAsciiDigit(f) ? DIGIT : 0);
  }
  const states = data.fail.length;
  const emitFrom = new Int32Array(states);
  for (let s = 1; s < states; s++) emitFrom[s] = data.outHead[s]! >= 0 ? s : data.dictLink[s]!;
  let maxLen = 1;
  for (const l of data.patLen) if (l > maxLen) maxLen = l;
  let ring = 1;
  while (ring < maxLen + 1) ring <<= 1;
  const edges = data.edgeTo.length - (data.edgeStart[1]! - data.edgeStart[0]!);
  let size = 16;
  while (size < edges * 2) size <<= 1;
  const hashState = new Int32Array(size).fill(-1);
  const hashSym = new Uint16Array(size);
  const hashTo = new Int32Array(size);
  const hashMask = size - 1;
  for (let st = 1; st < states; st++) {
    for (let e = data.edgeStart[st]!; e < data.edgeStart[st + 1]!; e++) {
      const sym = data.edgeSym[e]!;
      let h = hashOf(st, sym) & hashMask;
      while (hashState[h] !== -1) h = (h + 1) & hashMask;
      hashState[h] = st;
      hashSym[h] = sym;
      hashTo[h] = data.edgeTo[e]!;
    }
  }
  return {
    ...data,
    info,
    rootNext,
    emitFrom,
    ringMask: ring - 1,
    hashState,
    hashSym,
    hashTo,
    hashMask,
  };
}

const hashOf = (state: number, sym: number) =>
  Math.imul(state, 0x9e3779b1) ^ Math.imul(sym, 0x85ebca6b);

/** The child of a non-root state on a symbol, 0 if none (one or two probes on average). */
function next(a: Automaton, state: number, sym: number): number {
  const { hashState, hashSym, hashMask } = a;
  let h = hashOf(state, sym) & hashMask;
  for (;;) {
    const st = hashState[h]!;
    if (st === state && hashSym[h] === sym) return a.hashTo[h]!;
    if (st === -1) return 0;
    h = (h + 1) & hashMask;
  }
}

/** Raw matches as flat triples [pattern, start, end, pattern, start, end, …] in UTF-16 offsets. */
export interface RawMatches {
  data: Int32Array;
  count: number;
}

let scratchRing = new Int32Array(64);

export function emptyMatches(): RawMatches {
  return { data: new Int32Array(96), count: 0 };
}

/**
 * Scans `text`, appending every match (all overlapping ones) to `into`. `maxGap` is how many
 * noise code points may sit between two characters of a phrase.
 */
export function scanAutomaton(
  a: Automaton,
  text: string,
  into: RawMatches = emptyMatches(),
  maxGap = 3,
): RawMatches {
  const { info, rootNext, fail, emitFrom, outHead, outNext, dictLink, patLen, patFlags } = a;
  const mask = a.ringMask;
  // Scans are synchronous and never nested: one scratch ring per realm saves an allocation a call.
  if (scratchRing.length <= mask) scratchRing = new Int32Array(mask + 1);
  const ring = scratchRing;
  const n = text.length;
  let s = 0;
  let k = 0; // characters consumed by the automaton so far
  let gap = 0;
  let lastSym = 0;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    let width = 1;
    let inf: number;
    if (c >= 0xd800 && c < 0xdc00 && i + 1 < n) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d < 0xe000) {
        width = 2;
        const f = foldAstral(((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000);
        if (f === -2) {
          s = 0; // an extension-plane ideograph is real text: it breaks a phrase
          i++;
          continue;
        }
        inf = f < 0 ? SKIP : info[f]! | (f >= 0xe000 ? SKIP : 0);
      } else inf = info[c]!;
    } else inf = info[c]!;
    const sym = inf & SYM;
    if (s === 0) {
      // Fast path: at the root, only a symbol that starts some pattern matters.
      const t = sym === 0 ? 0 : rootNext[sym]!;
      if (t === 0) {
        i += width - 1;
        continue;
      }
      s = t;
    } else {
      let t = sym === 0 ? 0 : next(a, s, sym);
      if (t === 0) {
        if (sym === lastSym && sym !== 0) {
          // A repeat inside a phrase (征征信信) is skipped, unless a shorter suffix of what was
          // read goes on with it: 退，dd went down 退d… and the lure dd starts at the first d.
          let u = fail[s]!;
          while (u !== 0 && (t = next(a, u, sym)) === 0) u = fail[u]!;
          if (u === 0) {
            i += width - 1;
            continue;
          }
        } else if (inf & SKIP) {
          // A separator that also starts phrases (+ in +v, +我) is noise inside a phrase (停+息),
          // but starts a new match after noise or a finished phrase (反催收 ＋v, 反催收＋卫星).
          t = sym !== 0 && (gap > 0 || emitFrom[s]! > 0) ? rootNext[sym]! : 0;
          if (t === 0) {
            if (!isJoiner(width === 1 ? c : text.codePointAt(i)!) && ++gap > maxGap) s = 0;
            i += width - 1;
            continue;
          }
        } else {
          if (sym === 0) {
            s = 0;
            i += width - 1;
            continue;
          }
          let u = fail[s]!;
          while (u !== 0 && (t = next(a, u, sym)) === 0) u = fail[u]!;
          if (u === 0) t = rootNext[sym]!;
          if (t === 0) {
            s = 0;
            i += width - 1;
            continue;
          }
        }
      }
      s = t;
    }
    gap = 0;
    lastSym = sym;
    k++;
    ring[k & mask] = i;
    let e = emitFrom[s]!;
    while (e > 0) {
      for (let p = outHead[e]!; p >= 0; p = outNext[p]!) {
        const start = ring[(k - patLen[p]! + 1) & mask]!;
        const end = i + width;
        const flags = patFlags[p]!;
        if (flags !== 0 && !boundaryOk(info, text, start, end, flags)) continue;
        // Two-character phrases tolerate one noise character at most (not 了解 #债务 → 解债).
        if (patLen[p] === 2 && end - start > 2 && noiseIn(info, text, start, end) > 1) continue;
        let m = into.count * 3;
        if (m + 3 > into.data.length) {
          const grown = new Int32Array(into.data.length * 2);
          grown.set(into.data);
          into.data = grown;
        }
        into.data[m++] = p;
        into.data[m++] = start;
        into.data[m] = end;
        into.count++;
      }
      e = dictLink[e]!;
    }
    i += width - 1;
  }
  return into;
}

/**
 * Code points that only shape the emoji before them (❤️ is ❤ + U+FE0F; 👍🏻 carries a skin tone;
 * ZWJ sequences, keycaps, tag flags): one emoji is one noise character, so 私❤️我 is 私我.
 */
function isJoiner(cp: number): boolean {
  return (
    cp === 0xfe0f ||
    cp === 0xfe0e ||
    cp === 0x200d ||
    cp === 0x20e3 ||
    (cp >= 0x1f3fb && cp <= 0x1f3ff) ||
    (cp >= 0xe0020 && cp <= 0xe007f)
  );
}

/** Noise characters (separators, emoji) inside a span; repeats of a phrase character aren't noise. */
function noiseIn(info: Int32Array, text: string, start: number, end: number): number {
  let n = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c < 0xdc00 && i + 1 < end) {
      const cp = ((c - 0xd800) << 10) + (text.charCodeAt(i + 1) - 0xdc00) + 0x10000;
      const f = foldAstral(cp);
      if ((f < 0 || f >= 0xe000) && !isJoiner(cp)) n++;
      i++;
    } else if (info[c]! & SKIP && !isJoiner(c)) n++;
  }
  return n;
}

/**
 * Latin letters and digits must not continue a Latin/digit phrase edge (houbb #77, ToolGood #30).
 * Repeats of the edge character are part of the phrase (加加VV is 加V), so they are passed over.
 */
function boundaryOk(info: Int32Array, text: string, start: number, end: number, flags: number) {
  if (flags & 3 && start > 0) {
    let s = start;
    while (s > 0 && text.charCodeAt(s - 1) === text.charCodeAt(start)) s--;
    const before = s > 0 ? info[text.charCodeAt(s - 1)]! : 0;
    if ((flags & 1 && before & LETTER) || (flags & 2 && before & DIGIT)) return false;
  }
  if (flags & 12 && end < text.length) {
    let e = end;
    while (e < text.length && text.charCodeAt(e) === text.charCodeAt(end - 1)) e++;
    const after = e < text.length ? info[text.charCodeAt(e)]! : 0;
    if ((flags & 4 && after & LETTER) || (flags & 8 && after & DIGIT)) return false;
  }
  return true;
}

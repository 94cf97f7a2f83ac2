/**
 * The compiled matcher: what the background builds once from a list (compile-list.ts) and content
 * scripts, the CLI and tests load. Serializable to one byte buffer (serializeMatcher) that the
 * background stores in chunks for tabs to read.
 */
import {
  emptyMatches,
  scanAutomaton,
  withRuntime,
  type Automaton,
  type AutomatonData,
} from './automaton';
import { compileGrammar, type GrammarRuntime } from './grammar';
import { KeyIndex, type KeyIndexData } from './key-index';
import type { Category, CueContext, Grammar, Model, Scoring } from './list-schema';
import { loadModel, type LoadedModel } from './model';
import { foldText } from './normalize';

export const MATCHER_FORMAT = 'leadguard-matcher/2';

/** How a match was found. Fuzzy variants count only with a second signal (scorer). */
export const Variant = {
  exact: 0,
  listed: 1,
  pinyinFull: 2,
  pinyinInitials: 3,
  mixedInitials: 4,
  homophone: 5,
  anchor: 6,
  mixedFull: 7,
} as const;
export type Variant = (typeof Variant)[keyof typeof Variant];
export const variantNames = [
  'exact',
  'variant',
  'pinyin',
  'pinyin-initials',
  'pinyin-mixed',
  'homophone',
  'pattern',
  'pinyin-mixed',
] as const;
export const isFuzzy = (v: number) =>
  v === Variant.pinyinInitials || v === Variant.mixedInitials || v === Variant.homophone;

export interface RuleMeta {
  id: string;
  kind: 'phrase' | 'pattern' | 'cue' | 'allow' | 'account' | 'contact';
  category?: Category;
  signal?: 'strong' | 'weak';
  context?: CueContext;
  weight?: number;
  /** Phrase text, pattern source, account id or contact value, for explanations. */
  text: string;
}

export interface CompiledMatcher {
  format: typeof MATCHER_FORMAT;
  listId: string;
  listVersion: number;
  scoring: Scoring;
  /** The list's grammar, or the built-in list's when the list has none. */
  grammar: Grammar;
  /** The list's lead model; null for lists without one (the rules decide alone). */
  model: Model | null;
  rules: RuleMeta[];
  automaton: AutomatonData;
  /** Per automaton pattern: the rule it belongs to (or the regex, for anchors) and its variant. */
  patternRule: Int32Array;
  patternVariant: Uint8Array;
  regexes: { rule: number; source: string; maxLength: number }[];
  /** accountKey(platform, platformId) → rule (account, account-set or allow entry). */
  accounts: KeyIndexData;
  /** contactKey(type, normalized value) → rule (contact or contact-set entry). */
  contacts: KeyIndexData;
}

export interface Matcher {
  compiled: CompiledMatcher;
  automaton: Automaton;
  grammar: GrammarRuntime;
  model: LoadedModel | null;
  regexes: { rule: number; re: RegExp; maxLength: number }[];
  accounts: KeyIndex;
  contacts: KeyIndex;
}

export interface Match {
  rule: number;
  ruleId: string;
  kind: RuleMeta['kind'];
  category?: Category;
  start: number;
  end: number;
  variant: Variant;
}

export const accountKey = (platform: string, id: string) => `${platform}\u0000${id}`;
export const contactKey = (type: string, value: string) => `${type}\u0000${value}`;

/**
 * What a tab does with a compiled matcher before scanning. The background runs exactly this before
 * a list becomes active, so a list whose RegExps a tab can't build is refused, not shipped.
 */
export function loadMatcher(compiled: CompiledMatcher): Matcher {
  if (compiled.format !== MATCHER_FORMAT) {
    throw new Error(`unsupported matcher format ${String(compiled.format)}`);
  }
  return {
    compiled,
    automaton: withRuntime(compiled.automaton),
    grammar: compileGrammar(compiled.grammar),
    model: compiled.model ? loadModel(compiled.model) : null,
    regexes: compiled.regexes.map((r) => {
      try {
        return { rule: r.rule, re: new RegExp(r.source, 'gu'), maxLength: r.maxLength };
      } catch (error) {
        const id = compiled.rules[r.rule]?.id ?? `#${r.rule}`;
        throw new Error(`entry ${id}: the pattern does not compile (${(error as Error).message})`, {
          cause: error,
        });
      }
    }),
    accounts: new KeyIndex(compiled.accounts),
    contacts: new KeyIndex(compiled.contacts),
  };
}

const maxGap = 3;
/** Raw-match buffer reused by every scanText call (synchronous, never nested). */
const scratch = emptyMatches();

/**
 * Every phrase, pattern, cue and allow match in `text`, offsets in UTF-16 units of the original.
 * Matches overlapping an allow span are dropped (cues are kept: they describe context).
 */
export function scanText(matcher: Matcher, text: string): Match[] {
  const { compiled } = matcher;
  scratch.count = 0;
  const raw = scanAutomaton(matcher.automaton, text, scratch, maxGap);
  if (raw.count === 0) return [];
  const { rules, patternRule, patternVariant } = compiled;
  const found: Match[] = [];
  // Raw matches arrive in order of their end; an overlapping match of the same rule extends the
  // one before it (one match per rule and span). Only recent matches can overlap: look back
  // while their ends reach past this start.
  let anchors: [number, number, number][] | null = null;
  let allows = false;
  const data = raw.data;
  for (let j = 0, n = raw.count * 3; j < n; j += 3) {
    const p = data[j]!;
    const start = data[j + 1]!;
    const end = data[j + 2]!;
    const variant = patternVariant[p]! as Variant;
    const rule = patternRule[p]!;
    if (variant === Variant.anchor) {
      (anchors ??= []).push([rule, start, end]);
      continue;
    }
    let previous: Match | undefined;
    for (let k = found.length - 1; k >= 0 && found.length - k <= 16; k--) {
      if (found[k]!.rule === rule) {
        previous = found[k];
        break;
      }
    }
    if (previous && start < previous.end) {
      if (start < previous.start) previous.start = start;
      if (end > previous.end) previous.end = end;
      if (variant < previous.variant) previous.variant = variant;
      continue;
    }
    const meta = rules[rule]!;
    const m: Match = {
      rule,
      ruleId: meta.id,
      kind: meta.kind,
      category: meta.category,
      start,
      end,
      variant,
    };
    if (meta.kind === 'allow') allows = true;
    found.push(m);
  }
  let out = found;
  if (anchors) out.push(...runPatterns(matcher, text, anchors));
  if (allows) {
    const allowed = out.filter((m) => m.kind === 'allow');
    out = out.filter(
      (m) =>
        m.kind === 'allow' ||
        m.kind === 'cue' ||
        !allowed.some((a) => a.start < m.end && m.start < a.end),
    );
  }
  for (const m of out) {
    // A match ends after immediate repeats of its last character (全全额额退退保保).
    const last = text.charCodeAt(m.end - 1);
    while (m.end < text.length && text.charCodeAt(m.end) === last) m.end++;
  }
  return sorted(out)
    ? out
    : out.sort((a, b) => a.start - b.start || a.end - b.end || a.rule - b.rule);
}

function sorted(ms: Match[]): boolean {
  for (let i = 1; i < ms.length; i++) {
    const a = ms[i - 1]!;
    const b = ms[i]!;
    if (
      a.start > b.start ||
      (a.start === b.start && (a.end > b.end || (a.end === b.end && a.rule > b.rule)))
    ) {
      return false;
    }
  }
  return true;
}

/**
 * Runs each pattern's RegExp around its anchor hits. Hits whose windows overlap share one window,
 * scanned once: text dense with one anchor (征信征信…) would otherwise be scanned once per hit.
 */
function runPatterns(matcher: Matcher, text: string, anchors: [number, number, number][]): Match[] {
  const out: Match[] = [];
  const byRegex = new Map<number, [number, number][]>();
  for (const [index, start, end] of anchors) {
    let hits = byRegex.get(index);
    if (!hits) byRegex.set(index, (hits = []));
    hits.push([start, end]);
  }
  for (const [index, hits] of byRegex) {
    const regex = matcher.regexes[index]!;
    const meta = matcher.compiled.rules[regex.rule]!;
    hits.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    const seen = new Set<string>();
    for (let i = 0; i < hits.length;) {
      const from = Math.max(0, hits[i]![1] - regex.maxLength);
      let to = Math.min(text.length, hits[i]![0] + regex.maxLength);
      let j = i + 1;
      while (j < hits.length && Math.max(0, hits[j]![1] - regex.maxLength) <= to) {
        to = Math.max(to, Math.min(text.length, hits[j]![0] + regex.maxLength));
        j++;
      }
      // Only the window around the anchors is folded: anchors are often everyday words (个月, 评论).
      const window = foldText(text.slice(from, to)).toLowerCase();
      regex.re.lastIndex = 0;
      for (let m = regex.re.exec(window); m; m = regex.re.exec(window)) {
        if (m[0].length === 0) regex.re.lastIndex++;
        const s = from + m.index;
        const e = s + m[0].length;
        // The match must contain an anchor hit, or it is no match of this pattern here.
        if (!containsHit(hits, i, j, s, e)) continue;
        const key = `${s}:${e}`;
        if (seen.has(key)) continue;
        seen.add(key);
        out.push({
          rule: regex.rule,
          ruleId: meta.id,
          kind: meta.kind,
          category: meta.category,
          start: s,
          end: e,
          variant: Variant.anchor,
        });
      }
      i = j;
    }
  }
  return out;
}

/** Whether one of hits[from, to) (sorted by start) lies inside [s, e). */
function containsHit(hits: [number, number][], from: number, to: number, s: number, e: number) {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (hits[mid]![0] < s) lo = mid + 1;
    else hi = mid;
  }
  for (let k = lo; k < to && hits[k]![0] < e; k++) if (hits[k]![1] <= e) return true;
  return false;
}

// Serialization: one byte buffer (a JSON header, then every typed array as an 8-aligned section), so
// the background can hand tabs a matcher of tens of MB in storage chunks and a tab loads it without
// copying the arrays. Any typed array anywhere in a CompiledMatcher becomes a section, so fields
// added later (a model section) travel without changes here.
const MAGIC = 0x314d474c; // "LGM1"
const typedArrays = {
  Int8Array,
  Uint8Array,
  Int16Array,
  Uint16Array,
  Int32Array,
  Uint32Array,
  Float32Array,
  Float64Array,
} as const;
type TypedName = keyof typeof typedArrays;
type Typed = InstanceType<(typeof typedArrays)[TypedName]>;
const typedNameOf = (v: ArrayBufferView): TypedName => {
  for (const name of Object.keys(typedArrays) as TypedName[]) {
    if (v instanceof typedArrays[name]) return name;
  }
  throw new Error('only typed arrays can be matcher sections');
};
const align8 = (n: number) => (n + 7) & ~7;

export function serializeMatcher(c: CompiledMatcher): Uint8Array {
  const sections: Typed[] = [];
  const value = JSON.stringify(c, (_key, v: unknown) => {
    if (!ArrayBuffer.isView(v)) return v;
    sections.push(v as Typed);
    return { $section: sections.length - 1 };
  });
  const meta = sections.map((s) => ({ type: typedNameOf(s), length: s.length }));
  const header = new TextEncoder().encode(`{"sections":${JSON.stringify(meta)},"value":${value}}`);
  let size = align8(8 + header.length);
  const offsets = sections.map((s) => {
    const at = size;
    size = align8(size + s.byteLength);
    return at;
  });
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, header.length, true);
  out.set(header, 8);
  sections.forEach((s, i) =>
    out.set(new Uint8Array(s.buffer, s.byteOffset, s.byteLength), offsets[i]!),
  );
  return out;
}

export function deserializeMatcher(input: Uint8Array): CompiledMatcher {
  // Typed views need their element alignment within the buffer: copy a misaligned input once.
  const bytes = input.byteOffset % 8 === 0 ? input : input.slice();
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.byteLength < 8 || view.getUint32(0, true) !== MAGIC) {
    throw new Error('not a LeadGuard matcher');
  }
  const headerLength = view.getUint32(4, true);
  if (8 + headerLength > bytes.byteLength) throw new Error('truncated LeadGuard matcher');
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength))) as {
    sections: { type: TypedName; length: number }[];
    value: unknown;
  };
  let at = align8(8 + headerLength);
  const arrays = header.sections.map(({ type, length }) => {
    const Ctor = typedArrays[type];
    if (!Ctor) throw new Error(`unknown matcher section type ${String(type)}`);
    const byteLength = length * Ctor.BYTES_PER_ELEMENT;
    if (at + byteLength > bytes.byteLength) throw new Error('truncated LeadGuard matcher');
    const array = new Ctor(bytes.buffer as ArrayBuffer, bytes.byteOffset + at, length);
    at = align8(at + byteLength);
    return array;
  });
  const revive = (v: unknown): unknown => {
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) v[i] = revive(v[i]);
      return v;
    }
    if (v === null || typeof v !== 'object') return v;
    const o = v as Record<string, unknown>;
    if (typeof o.$section === 'number') {
      const array = arrays[o.$section];
      if (!array) throw new Error('bad matcher section reference');
      return array;
    }
    for (const key of Object.keys(o)) o[key] = revive(o[key]);
    return o;
  };
  const compiled = revive(header.value) as CompiledMatcher;
  if (compiled?.format !== MATCHER_FORMAT) {
    throw new Error(`unsupported matcher format ${String(compiled?.format)}`);
  }
  return compiled;
}

/** Bytes the automaton's typed arrays occupy (the benchmark's size figure). */
export function automatonBytes(c: CompiledMatcher): number {
  let bytes = c.patternRule.byteLength + c.patternVariant.byteLength;
  for (const v of Object.values(c.automaton)) bytes += (v as ArrayBufferView).byteLength;
  return bytes;
}

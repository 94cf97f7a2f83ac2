/**
 * The compiled matcher: what the background builds once from a list (compile-list.ts) and content
 * scripts, the CLI and tests load. Serializable to a string (JSON + base64 typed arrays) because
 * extension messaging and storage carry JSON.
 */
import {
  emptyMatches,
  scanAutomaton,
  withRuntime,
  type Automaton,
  type AutomatonData,
} from './automaton';
import { compileGrammar, type GrammarRuntime } from './grammar';
import type { Category, ContactType, CueContext, Grammar, Model, Scoring } from './list-schema';
import { loadModel, type LoadedModel } from './model';
import { foldText } from './normalize';

export const MATCHER_FORMAT = 'leadguard-matcher/1';

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
  /** [platform, platformId, rule] */
  accounts: [string, string, number][];
  /** [type, value, rule] */
  contacts: [ContactType, string, number][];
}

export interface Matcher {
  compiled: CompiledMatcher;
  automaton: Automaton;
  grammar: GrammarRuntime;
  model: LoadedModel | null;
  regexes: { rule: number; re: RegExp; maxLength: number }[];
  accounts: Map<string, number>;
  contacts: Map<string, number>;
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

export function loadMatcher(compiled: CompiledMatcher): Matcher {
  if (compiled.format !== MATCHER_FORMAT) {
    throw new Error(`unsupported matcher format ${String(compiled.format)}`);
  }
  return {
    compiled,
    automaton: withRuntime(compiled.automaton),
    grammar: compileGrammar(compiled.grammar),
    model: compiled.model ? loadModel(compiled.model) : null,
    regexes: compiled.regexes.map((r) => ({
      rule: r.rule,
      re: new RegExp(r.source, 'gu'),
      maxLength: r.maxLength,
    })),
    accounts: new Map(compiled.accounts.map(([p, id, rule]) => [accountKey(p, id), rule])),
    contacts: new Map(compiled.contacts.map(([t, v, rule]) => [contactKey(t, v), rule])),
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

function runPatterns(matcher: Matcher, text: string, anchors: [number, number, number][]): Match[] {
  const out: Match[] = [];
  const seen = new Set<string>();
  for (const [index, start, end] of anchors) {
    const regex = matcher.regexes[index]!;
    const from = Math.max(0, end - regex.maxLength);
    const to = Math.min(text.length, start + regex.maxLength);
    // Only the window around the anchor is folded: anchors are often everyday words (个月, 评论).
    const window = foldText(text.slice(from, to)).toLowerCase();
    regex.re.lastIndex = 0;
    for (let m = regex.re.exec(window); m; m = regex.re.exec(window)) {
      if (m[0].length === 0) regex.re.lastIndex++;
      const s = from + m.index;
      const e = s + m[0].length;
      // The match must contain the anchor hit that triggered it, or it belongs to another window.
      if (s > start || e < end) continue;
      const key = `${index}:${s}:${e}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const meta = matcher.compiled.rules[regex.rule]!;
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
  }
  return out;
}

// Serialization: typed arrays travel as base64 inside JSON.
const typedKeys = [
  'alphabet',
  'edgeStart',
  'edgeSym',
  'edgeTo',
  'fail',
  'outHead',
  'outNext',
  'dictLink',
  'patLen',
  'patFlags',
] as const;

function toBase64(view: ArrayBufferView): string {
  const bytes = new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

function fromBase64(text: string): ArrayBuffer {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes.buffer;
}

export function serializeMatcher(c: CompiledMatcher): string {
  const automaton: Record<string, string> = {};
  for (const key of typedKeys) automaton[key] = toBase64(c.automaton[key]);
  return JSON.stringify({
    ...c,
    automaton,
    patternRule: toBase64(c.patternRule),
    patternVariant: toBase64(c.patternVariant),
  });
}

export function deserializeMatcher(text: string): CompiledMatcher {
  const raw = JSON.parse(text) as Record<string, unknown> & {
    automaton: Record<string, string>;
    patternRule: string;
    patternVariant: string;
  };
  if (raw.format !== MATCHER_FORMAT) throw new Error('not a LeadGuard matcher');
  const a = raw.automaton;
  const automaton: AutomatonData = {
    alphabet: new Uint16Array(fromBase64(a.alphabet!)),
    edgeStart: new Int32Array(fromBase64(a.edgeStart!)),
    edgeSym: new Uint16Array(fromBase64(a.edgeSym!)),
    edgeTo: new Int32Array(fromBase64(a.edgeTo!)),
    fail: new Int32Array(fromBase64(a.fail!)),
    outHead: new Int32Array(fromBase64(a.outHead!)),
    outNext: new Int32Array(fromBase64(a.outNext!)),
    dictLink: new Int32Array(fromBase64(a.dictLink!)),
    patLen: new Uint16Array(fromBase64(a.patLen!)),
    patFlags: new Uint8Array(fromBase64(a.patFlags!)),
  };
  return {
    ...(raw as unknown as CompiledMatcher),
    automaton,
    patternRule: new Int32Array(fromBase64(raw.patternRule)),
    patternVariant: new Uint8Array(fromBase64(raw.patternVariant)),
  };
}

/** Bytes the automaton's typed arrays occupy (the benchmark's size figure). */
export function automatonBytes(c: CompiledMatcher): number {
  let bytes = c.patternRule.byteLength + c.patternVariant.byteLength;
  for (const key of typedKeys) bytes += c.automaton[key].byteLength;
  return bytes;
}

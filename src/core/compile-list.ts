/**
 * Compiles a list into a CompiledMatcher: folds every phrase, expands its evasion variants (listed
 * spellings, homophones from the list's table, pinyin full/initials/mixed), compiles restricted
 * patterns and indexes accounts and contacts. Deterministic: the same list gives the same bytes.
 * pinyin-pro runs here, at compile time, never per page (matching.md §4.2).
 */
import { pinyin, polyphonic } from 'pinyin-pro';
import { automatonData, buildAutomaton } from './automaton';
import { defaultList } from './default-list';
import { buildKeyIndex, KeyCollisionError } from './key-index';
import { ListError, type Entry, type List } from './list-schema';
import {
  accountKey,
  contactKey,
  MATCHER_FORMAT,
  Variant,
  type CompiledMatcher,
  type RuleMeta,
} from './matcher';
import { foldPhrase } from './normalize';
import { compilePattern, PatternError } from './pattern';

const isHanzi = (c: string) => /^\p{Script=Han}$/u.test(c);
/** A phrase needs a word character: `**` or `……` would match every emphasis and ellipsis. */
const hasWord = (s: string) => /[\p{L}\p{N}]/u.test(s);
const MAX_HOMOPHONE_VARIANTS = 24;

export interface CompileStats {
  rules: number;
  patterns: number;
  states: number;
  millis: number;
}

export function compileList(
  list: List,
  now: () => number = () => performance.now(),
): CompiledMatcher {
  const started = now();
  const rules: RuleMeta[] = [];
  const patterns: string[] = [];
  const patternRule: number[] = [];
  const patternVariant: number[] = [];
  const regexes: CompiledMatcher['regexes'] = [];
  const accountKeys: string[] = [];
  const accountRules: number[] = [];
  const contactKeys: string[] = [];
  const contactRules: number[] = [];
  const account = (platform: string, id: string, rule: number) => {
    accountKeys.push(accountKey(platform, id));
    accountRules.push(rule);
  };
  const contact = (type: string, value: string, rule: number) => {
    contactKeys.push(contactKey(type, normalizeContactValue(type, value)));
    contactRules.push(rule);
  };

  const add = (text: string, rule: number, variant: Variant) => {
    patterns.push(text);
    patternRule.push(rule);
    patternVariant.push(variant);
  };
  const folded = (entry: Entry, text: string): string => {
    const f = foldPhrase(text);
    if ([...f].length < 2) {
      throw new ListError(`entry ${entry.id}: "${text}" folds to fewer than 2 characters`);
    }
    if (!hasWord(f)) {
      throw new ListError(`entry ${entry.id}: "${text}" has no letter, digit or hanzi to match`);
    }
    return f;
  };

  for (const entry of list.entries) {
    const rule = rules.length;
    switch (entry.kind) {
      case 'phrase': {
        rules.push({
          id: entry.id,
          kind: 'phrase',
          category: entry.category,
          signal: entry.signal,
          weight: entry.weight,
          text: entry.text,
        });
        const base = folded(entry, entry.text);
        const seen = new Set([base]);
        const push = (text: string, variant: Variant) => {
          if (text.length < 2 || seen.has(text)) return;
          seen.add(text);
          add(text, rule, variant);
        };
        add(base, rule, Variant.exact);
        const spellings = [base];
        for (const v of entry.variants ?? []) {
          const f = folded(entry, v);
          push(f, Variant.listed);
          spellings.push(f);
        }
        for (const spelling of spellings) {
          for (const h of homophoneVariants(spelling, list.homophones)) push(h, Variant.homophone);
        }
        if (entry.pinyin) {
          for (const [text, variant] of pinyinVariants(base)) push(text, variant);
        }
        break;
      }
      case 'pattern': {
        rules.push({
          id: entry.id,
          kind: 'pattern',
          category: entry.category,
          signal: entry.signal,
          weight: entry.weight,
          text: entry.pattern,
        });
        let compiled;
        try {
          compiled = compilePattern(entry.pattern);
        } catch (error) {
          if (error instanceof PatternError)
            throw new ListError(`entry ${entry.id}: ${error.message}`);
          throw error;
        }
        const index = regexes.length;
        regexes.push({ rule, source: compiled.source, maxLength: compiled.maxLength });
        for (const anchor of compiled.anchors) add(anchor, index, Variant.anchor);
        break;
      }
      case 'cue':
        rules.push({
          id: entry.id,
          kind: 'cue',
          context: entry.context,
          weight: entry.weight,
          text: entry.text,
        });
        add(folded(entry, entry.text), rule, Variant.exact);
        break;
      case 'allow':
        if ('text' in entry) {
          rules.push({ id: entry.id, kind: 'allow', text: entry.text });
          add(folded(entry, entry.text), rule, Variant.exact);
        } else {
          rules.push({
            id: entry.id,
            kind: 'allow',
            text: `${entry.platform}:${entry.platformId}`,
          });
          account(entry.platform, entry.platformId, rule);
        }
        break;
      case 'account':
        rules.push({
          id: entry.id,
          kind: 'account',
          category: entry.category,
          signal: 'strong',
          weight: entry.weight,
          text: entry.handle ? `${entry.handle} (${entry.platformId})` : entry.platformId,
        });
        account(entry.platform, entry.platformId, rule);
        break;
      case 'account-set':
        rules.push({
          id: entry.id,
          kind: 'account',
          category: entry.category,
          signal: 'strong',
          weight: entry.weight,
          text: `${entry.platform} ×${entry.ids.length}`,
        });
        for (const id of entry.ids) account(entry.platform, id, rule);
        break;
      case 'contact-set':
        rules.push({
          id: entry.id,
          kind: 'contact',
          category: entry.category,
          signal: 'strong',
          weight: entry.weight,
          text: `${entry.type} ×${entry.values.length}`,
        });
        for (const value of entry.values) contact(entry.type, value, rule);
        break;
      case 'contact':
        rules.push({
          id: entry.id,
          kind: 'contact',
          category: entry.category,
          signal: 'strong',
          weight: entry.weight,
          text: entry.value,
        });
        contact(entry.type, entry.value, rule);
        break;
    }
  }
  const automaton = buildAutomaton(patterns);
  // An allow entry for an account wins over any listing of it; otherwise the first entry names it.
  const allowWins = (candidate: number, kept: number) =>
    rules[candidate]!.kind === 'allow' && rules[kept]!.kind !== 'allow';
  let accounts: CompiledMatcher['accounts'];
  let contacts: CompiledMatcher['contacts'];
  try {
    accounts = buildKeyIndex(accountKeys, accountRules, allowWins);
    contacts = buildKeyIndex(contactKeys, contactRules);
  } catch (error) {
    if (error instanceof KeyCollisionError) throw new ListError(error.message);
    throw error;
  }
  const compiled: CompiledMatcher = {
    format: MATCHER_FORMAT,
    listId: list.id,
    listVersion: list.version,
    scoring: list.scoring,
    grammar: list.grammar ?? defaultList().grammar!,
    model: list.model ?? null,
    rules,
    // Only the data: tabs rebuild the lookup tables (withRuntime) rather than load 1 MB of them.
    automaton: automatonData(automaton),
    patternRule: Int32Array.from(patternRule),
    patternVariant: Uint8Array.from(patternVariant),
    regexes,
    accounts,
    contacts,
  };
  lastStats = {
    rules: rules.length,
    patterns: patterns.length,
    states: automaton.fail.length,
    millis: now() - started,
  };
  return compiled;
}

let lastStats: CompileStats | null = null;
/** Figures of the last compile (for the benchmark and the options page). */
export const lastCompileStats = () => lastStats;

export function normalizeContactValue(type: string, value: string): string {
  const v = value.trim().toLowerCase();
  if (type === 'phone' || type === 'qq') return v.replace(/\D/g, '').replace(/^86(?=1\d{10}$)/, '');
  if (type === 'url' || type === 'domain')
    return v
      .replace(/^https?:\/\//, '')
      .replace(/^www\./, '')
      .replace(/\/$/, '');
  return v;
}

/**
 * Spellings with evasion characters from the list's homophone table (薇信 for 微信, 葆费 for 保费):
 * every single substitution, then pairs, capped.
 */
export function homophoneVariants(phrase: string, table: Record<string, string[]>): string[] {
  const chars = [...phrase];
  const slots = chars.flatMap((c, i) => (table[c]?.length ? [[i, table[c]!] as const] : []));
  const out: string[] = [];
  for (const [i, alts] of slots) {
    for (const alt of alts) out.push(chars.map((c, j) => (j === i ? alt : c)).join(''));
  }
  for (let a = 0; a < slots.length && out.length < MAX_HOMOPHONE_VARIANTS; a++) {
    for (let b = a + 1; b < slots.length && out.length < MAX_HOMOPHONE_VARIANTS; b++) {
      const [i, ai] = slots[a]!;
      const [j, bj] = slots[b]!;
      for (const x of ai) {
        for (const y of bj) {
          if (out.length >= MAX_HOMOPHONE_VARIANTS) break;
          out.push(chars.map((c, k) => (k === i ? x : k === j ? y : c)).join(''));
        }
      }
    }
  }
  return out.slice(0, MAX_HOMOPHONE_VARIANTS);
}

/**
 * Pinyin spellings of an all-hanzi phrase: full (tingxiguazhang), initials (txgz, 3+ letters),
 * romanized prefixes/suffixes (tingxi挂账, zx修复, 停息gz), single romanized characters
 * (征xin修复, 代理退bao) and single initials (d理投诉). Readings come from pinyin-pro's contextual pinyin plus every polyphonic
 * reading for the full form (pinyin('协商还款') says hai; polyphonic() also has huan).
 */
export function pinyinVariants(phrase: string): [string, Variant][] {
  const chars = [...phrase];
  if (chars.length < 2 || chars.length > 8 || !chars.every(isHanzi)) return [];
  const contextual = pinyin(phrase, { toneType: 'none', type: 'array', v: true }).map(clean);
  const readings = polyphonic(phrase, { toneType: 'none', type: 'array', v: true }).map((r, i) => {
    const all = [contextual[i]!, ...r.map(clean)];
    return [...new Set(all.filter(Boolean))];
  });
  if (readings.length !== chars.length || readings.some((r) => r.length === 0)) return [];
  const full = readings.map((r) => r[0]!);
  const initials = full.map((s) => s[0]!);
  const out: [string, Variant][] = [];
  out.push([full.join(''), Variant.pinyinFull]);
  // Other readings of polyphonic characters, one at a time, for the full form only.
  readings.forEach((r, i) => {
    for (const alt of r.slice(1))
      out.push([full.map((s, j) => (j === i ? alt : s)).join(''), Variant.pinyinFull]);
  });
  // ü is written v or u.
  if (full.some((s) => s.includes('v')))
    out.push([full.join('').replace(/v/g, 'u'), Variant.pinyinFull]);
  if (chars.length >= 3) out.push([initials.join(''), Variant.pinyinInitials]);
  const n = chars.length;
  // Every mix of hanzi and full pinyin (quan额tuibao, dai理tui保, Ting息挂Zhang): 2^n - 2 forms,
  // only for phrases of up to 5 characters; longer ones get romanized prefixes and suffixes.
  if (n <= 5) {
    for (let mask = 1; mask < (1 << n) - 1; mask++) {
      out.push([chars.map((c, i) => (mask & (1 << i) ? full[i]! : c)).join(''), Variant.mixedFull]);
    }
  } else {
    for (let k = 1; k < n; k++) {
      out.push([full.slice(0, k).join('') + chars.slice(k).join(''), Variant.mixedFull]);
      out.push([chars.slice(0, k).join('') + full.slice(k).join(''), Variant.mixedFull]);
    }
  }
  // Initials for a romanized prefix or suffix of 2+ characters (zx修复, 停息gz).
  for (let k = 2; k < n; k++) {
    out.push([initials.slice(0, k).join('') + chars.slice(k).join(''), Variant.mixedInitials]);
  }
  for (let k = 1; k <= n - 2; k++) {
    out.push([chars.slice(0, k).join('') + initials.slice(k).join(''), Variant.mixedInitials]);
  }
  // One romanized initial among 3+ hanzi (d理投诉, 征x修复): the hanzi left still say which phrase.
  if (n >= 4) {
    for (let i = 0; i < n; i++) {
      out.push([chars.map((c, j) => (j === i ? initials[j]! : c)).join(''), Variant.mixedInitials]);
    }
  }
  return out;
}

const clean = (s: string) => s.toLowerCase().replace(/[^a-z]/g, '');

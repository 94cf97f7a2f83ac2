/**
 * The list's grammar (list-schema.ts `Grammar`) made into checks the scorer and the contact reader
 * run. Words are folded at compile time and compared with folded text, so 號稱 reads as 号称 and
 * ＶＸ as vx. Every check looks at a bounded stretch of text next to a match: linear in the text.
 */
import type { Grammar } from './list-schema';
import { foldText } from './normalize';

export interface GrammarRuntime {
  quoteClose: Map<number, number>;
  maxQuote: number;
  clauseBreak: Set<number>;
  negationBefore: WordSet;
  negationExcept: WordSet;
  negationAfter: WordSet;
  negationReach: number;
  narratedAfter: WordSet;
  narratedAfterExcept: WordSet;
  narratedAtClauseEnd: WordSet;
  reportedBefore: WordSet;
  reportedSpeech: string[];
  feePaidBefore: WordSet;
  feePaidReach: number;
  saidBefore: WordSet;
  bareLetters: Set<number>;
  bareClauseEnd: Set<number>;
  bareSymbols: string[];
  /**
   * One byte per UTF-16 unit: 1 a bare letter (folded), 2 a bare clause-end word (folded), 4 the
   * first unit of a bare symbol (raw). Read once per character instead of three lookups.
   */
  bareTable: Uint8Array;
  contactLeadIns: { qq: RegExp; wechat: RegExp; telegram: RegExp };
  officialNumbers: Set<string>;
  /** Links and bare hosts ending in one of the list's domain suffixes. */
  urlPattern: RegExp;
}

/** Folded words grouped by length, longest first, for "ends here" and "starts here" tests. */
export interface WordSet {
  byLength: [number, Set<string>][];
}

function wordSet(words: readonly string[]): WordSet {
  const groups = new Map<number, Set<string>>();
  for (const w of words) {
    const f = foldWord(w);
    if (!f) continue;
    if (!groups.has(f.length)) groups.set(f.length, new Set());
    groups.get(f.length)!.add(f);
  }
  return { byLength: [...groups].sort((a, b) => b[0] - a[0]) };
}

/** Folds a grammar word exactly as page text is folded (one unit to one unit, nothing dropped). */
const foldWord = (word: string) => foldText(word.normalize('NFC'));

/** Whether `folded` has a word of `set` ending exactly at `end`. */
export function endsWithWord(set: WordSet, folded: string, end: number): boolean {
  for (const [n, words] of set.byLength) {
    if (end - n >= 0 && words.has(folded.slice(end - n, end))) return true;
  }
  return false;
}

/** Whether `folded` has a word of `set` starting exactly at `start`. */
export function startsWithWord(set: WordSet, folded: string, start: number): boolean {
  for (const [n, words] of set.byLength) {
    if (start + n <= folded.length && words.has(folded.slice(start, start + n))) return true;
  }
  return false;
}

const escapeRegExp = (s: string) => s.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');

/** A lead-in alternation that must end right before a number or id (after 号/群, a colon, 是). */
function leadIn(words: readonly string[]): RegExp {
  const alternatives = [...new Set(words.map(foldWord).filter(Boolean))]
    .sort((a, b) => b.length - a.length)
    .map(escapeRegExp);
  if (alternatives.length === 0) return /(?!)/u;
  return new RegExp(`(?:${alternatives.join('|')})[\\s\\u200b]*[号群]?\\s*[:：是为]?\\s*$`, 'u');
}

export function compileGrammar(g: Grammar): GrammarRuntime {
  const chars = (list: readonly string[]) =>
    new Set(list.map((c) => foldWord(c).charCodeAt(0)).filter((c) => !Number.isNaN(c)));
  return {
    quoteClose: new Map(g.quotes.map((pair) => [pair.charCodeAt(0), pair.charCodeAt(1)])),
    maxQuote: g.maxQuote,
    // Clauses are cut on folded text, where ， is ',' and ！ is '!': each break in both forms.
    clauseBreak: new Set(
      [...g.clauseBreaks].flatMap((c) => [c, foldWord(c) || c]).map((c) => c.charCodeAt(0)),
    ),
    negationBefore: wordSet(g.negationBefore),
    negationExcept: wordSet(g.negationExcept),
    negationAfter: wordSet(g.negationAfter),
    negationReach: g.negationReach,
    narratedAfter: wordSet(g.narratedAfter),
    narratedAfterExcept: wordSet(g.narratedAfterExcept),
    narratedAtClauseEnd: wordSet(g.narratedAtClauseEnd),
    reportedBefore: wordSet(g.reportedBefore),
    reportedSpeech: [...new Set(g.reportedSpeech.map(foldWord).filter(Boolean))],
    feePaidBefore: wordSet(g.feePaidBefore),
    feePaidReach: g.feePaidReach,
    saidBefore: wordSet(g.saidBefore),
    bareLetters: chars(g.bareLetters),
    bareClauseEnd: chars(g.bareClauseEnd),
    // Symbols are matched on the raw text: emoji have no folded form.
    bareSymbols: [...new Set(g.bareSymbols)].sort((a, b) => b.length - a.length),
    bareTable: bareTableOf(chars(g.bareLetters), chars(g.bareClauseEnd), g.bareSymbols),
    contactLeadIns: {
      qq: leadIn(g.contactLeadIns.qq),
      wechat: leadIn(g.contactLeadIns.wechat),
      telegram: new RegExp(
        `(?:${[...new Set(g.contactLeadIns.telegram.map(foldWord).filter(Boolean))]
          .sort((a, b) => b.length - a.length)
          .map(escapeRegExp)
          .join('|')})[\\s\\u200b]*[号群]?[\\s:：@]*@?([a-z][a-z0-9_]{4,31})(?![a-z0-9_])`,
        'gu',
      ),
    },
    officialNumbers: new Set(g.officialNumbers),
    urlPattern: new RegExp(
      `\\b(?:https?:\\/\\/)?((?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\\.)+(?:${g.domainSuffixes.join('|')}))(?::\\d{2,5})?(\\/[^\\s，。、“”"'<>（）()]*)?`,
      'giu',
    ),
  };
}

/** Spans inside quotation marks (news and warnings quote the bait), in order. */
export function quotedSpans(g: GrammarRuntime, text: string): [number, number][] {
  const spans: [number, number][] = [];
  for (let i = 0; i < text.length; i++) {
    const close = g.quoteClose.get(text.charCodeAt(i));
    if (close === undefined) continue;
    const limit = Math.min(text.length, i + 1 + g.maxQuote);
    for (let j = i + 1; j < limit; j++) {
      if (text.charCodeAt(j) === close) {
        spans.push([i, j + 1]);
        i = j;
        break;
      }
    }
  }
  return spans;
}

const sentenceEnds = new Set([...'。！？!?；;\n'].map((c) => c.charCodeAt(0)));

/**
 * What someone else says (他说只要交三千就能停息, 所谓的债务优化): from the opening word to the end
 * of the sentence, in order and disjoint. `folded` is the folded text.
 */
export function reportedSpans(g: GrammarRuntime, folded: string): [number, number][] {
  const spans: [number, number][] = [];
  for (const word of g.reportedSpeech) {
    for (let at = folded.indexOf(word); at >= 0; at = folded.indexOf(word, at + word.length)) {
      let end = at + word.length;
      while (end < folded.length && !sentenceEnds.has(folded.charCodeAt(end))) end++;
      spans.push([at, end]);
    }
  }
  if (spans.length < 2) return spans;
  spans.sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [spans[0]!];
  for (const s of spans.slice(1)) {
    const last = merged[merged.length - 1]!;
    if (s[0] <= last[1]) last[1] = Math.max(last[1], s[1]);
    else merged.push(s);
  }
  return merged;
}

/** Where the clause holding `at` starts (just after the last clause break before it). */
function clauseStart(g: GrammarRuntime, folded: string, at: number, limit: number): number {
  for (let i = at - 1; i >= Math.max(0, at - limit); i--) {
    if (g.clauseBreak.has(folded.charCodeAt(i))) return i + 1;
  }
  return Math.max(0, at - limit);
}

/**
 * Whether a word of `set` ends within `reach` characters before `start`, in the same clause, and
 * does not begin a word of `except` (别 in 别慌: a word of `except` starts inside it).
 */
function wordShortlyBefore(
  g: GrammarRuntime,
  set: WordSet,
  reach: number,
  folded: string,
  start: number,
  except?: WordSet,
): boolean {
  const from = clauseStart(g, folded, start, reach);
  for (let end = start; end >= from; end--) {
    for (const [n, words] of set.byLength) {
      const at = end - n;
      if (at < 0 || !words.has(folded.slice(at, end))) continue;
      if (!except) return true;
      let excepted = false;
      for (let p = at; p < end && !excepted; p++) excepted = startsWithWord(except, folded, p);
      if (!excepted) return true;
    }
  }
  return false;
}

/** Whether a word of `set` starts within `reach` characters after `end`, in the same clause. */
function wordShortlyAfter(
  g: GrammarRuntime,
  set: WordSet,
  reach: number,
  folded: string,
  end: number,
): boolean {
  for (let at = end; at <= Math.min(folded.length, end + reach); at++) {
    if (at > end && g.clauseBreak.has(folded.charCodeAt(at - 1))) return false;
    if (startsWithWord(set, folded, at)) return true;
  }
  return false;
}

/** 请勿私信, 不要加V, 不接私信, 私信不回: the cue is negated (别慌 私我 is not). */
export const isNegated = (g: GrammarRuntime, folded: string, m: { start: number; end: number }) =>
  wordShortlyBefore(g, g.negationBefore, g.negationReach, folded, m.start, g.negationExcept) ||
  wordShortlyAfter(g, g.negationAfter, Math.min(4, g.negationReach), folded, m.end);

/** 私信了一个博主, 私信过他, 让我私信, 有人私信你: the lure is told, not asked. */
export function isNarrated(
  g: GrammarRuntime,
  folded: string,
  m: { start: number; end: number },
): boolean {
  if (endsWithWord(g.reportedBefore, folded, m.start)) return true;
  for (const [n, words] of g.narratedAfter.byLength) {
    const word = folded.slice(m.end, m.end + n);
    if (word.length < n || !words.has(word)) continue;
    if (startsWithWord(g.narratedAfterExcept, folded, m.end)) return false;
    const next = m.end + n;
    const atClauseEnd =
      next >= folded.length ||
      g.clauseBreak.has(folded.charCodeAt(next)) ||
      /[\s\p{P}]/u.test(folded[next]!);
    return !atClauseEnd || startsWithWord(g.narratedAtClauseEnd, folded, m.end);
  }
  return false;
}

/** 交了5000服务费, 号称包过: a fee paid or a promise told by someone else is a story. */
export const isPromiseTold = (g: GrammarRuntime, folded: string, start: number) =>
  endsWithWord(g.saidBefore, folded, start) ||
  wordShortlyBefore(g, g.feePaidBefore, g.feePaidReach, folded, start);

const isLetterOrDigit = (c: string | undefined) => c !== undefined && /[\p{L}\p{N}]/u.test(c);
const isLetter = (c: string | undefined) => c !== undefined && /\p{L}/u.test(c);

/**
 * Lures too short to be list phrases (a list phrase has 2+ characters): a lone V or Q standing for
 * WeChat or QQ, a 私 closing its clause, contact emoji. Offsets into `text`.
 */
export function bareLureSpans(
  g: GrammarRuntime,
  text: string,
  folded: string,
): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  const n = text.length;
  const trailingOnly = (from: number) => {
    for (let j = from; j < n; j++) {
      const c = text.charCodeAt(j);
      if (!(g.clauseBreak.has(c) || /[\s\p{P}~～]/u.test(text[j]!))) return false;
    }
    return true;
  };
  const table = g.bareTable;
  let symbols = false;
  for (let i = 0; i < n; i++) {
    if (table[text.charCodeAt(i)]! & 4) symbols = true;
    const f = folded.charCodeAt(i);
    const kind = table[f]!;
    if ((kind & 3) === 0) continue;
    if (kind & 1 && g.bareLetters.has(f)) {
      if (!isLetterOrDigit(prevChar(text, i)) && !isLetterOrDigit(nextChar(text, i + 1)))
        out.push({ start: i, end: i + 1 });
    } else if (g.bareClauseEnd.has(f)) {
      const next = text[i + 1];
      const closes =
        next === undefined || g.clauseBreak.has(next.charCodeAt(0)) || /[\s\p{P}~～]/u.test(next);
      if ((closes && !isLetter(prevChar(text, i))) || trailingOnly(i + 1))
        out.push({ start: i, end: i + 1 });
    }
  }
  if (symbols) {
    // Longest symbols first: a shorter one inside a longer one's span is the same lure.
    const taken = new Set<number>();
    let found = false;
    for (const symbol of g.bareSymbols) {
      for (let at = text.indexOf(symbol); at >= 0; at = text.indexOf(symbol, at + symbol.length)) {
        let free = true;
        for (let k = at; k < at + symbol.length; k++) if (taken.has(k)) free = false;
        if (!free) continue;
        for (let k = at; k < at + symbol.length; k++) taken.add(k);
        out.push({ start: at, end: at + symbol.length });
        found = true;
      }
    }
    if (found) out.sort((a, b) => a.start - b.start);
  }
  return out;
}

function bareTableOf(
  letters: Set<number>,
  clauseEnd: Set<number>,
  symbols: readonly string[],
): Uint8Array {
  const table = new Uint8Array(0x10000);
  for (const c of letters) table[c]! |= 1;
  for (const c of clauseEnd) table[c]! |= 2;
  for (const s of symbols) if (s.length) table[s.charCodeAt(0)]! |= 4;
  return table;
}

function prevChar(text: string, i: number): string | undefined {
  if (i <= 0) return undefined;
  const c = text.charCodeAt(i - 1);
  if (c >= 0xdc00 && c < 0xe000 && i >= 2) return text.slice(i - 2, i);
  return text[i - 1];
}

function nextChar(text: string, i: number): string | undefined {
  if (i >= text.length) return undefined;
  const c = text.charCodeAt(i);
  if (c >= 0xd800 && c < 0xdc00) return text.slice(i, i + 2);
  return text[i];
}

/**
 * Restricted patterns: what a phrase can't say (1~9折解债, 用卡N年能退), in a regex subset that can't
 * backtrack catastrophically. Accepted: literals, `.`, `\d \s \w` and escaped punctuation, classes
 * `[…]`, groups of literal alternatives `(a|b)`, `?` and `{m}`/`{m,n}` (n ≤ 20) on a single atom.
 * Rejected at compile time with a clear error: `*`, `+`, open `{m,}`, nested or quantified groups,
 * backreferences, lookarounds, anchors, and two variable-length atoms in a row.
 *
 * Each pattern needs an anchor — a literal run of 2+ characters, or a group whose alternatives all
 * have 2+ — that the automaton finds; the RegExp only runs in a bounded window around an anchor
 * hit, so the cost stays linear in the text whatever the pattern.
 *
 * Bounded repeats separated by literals can still multiply: `.{0,20}征信.{0,20}x.{0,20}y` may be
 * tried 21 × 21 × 21 ways at every position (251 ms on a 300-character comment, issue 10). The
 * cost model below counts those ways at compile time and rejects a pattern over MAX_PATHS.
 */
import { foldPhrase } from './normalize';

export class PatternError extends Error {
  override name = 'PatternError';
}

type Atom =
  | { type: 'lit'; char: string }
  /** `chars`: every character the set matches, when it is a short list (for the cost model). */
  | { type: 'set'; source: string; width: number; chars?: string[] }
  | { type: 'group'; alternatives: string[] };

interface Item {
  atom: Atom;
  min: number;
  max: number;
}

export interface CompiledPattern {
  /** RegExp source over folded text. */
  source: string;
  /** Folded literal anchors: any of them found in the text triggers the RegExp. */
  anchors: string[];
  /** The longest text the pattern can match, in UTF-16 units (bounds the window). */
  maxLength: number;
}

const MAX_REPEAT = 20;
const MAX_LENGTH = 96;
/**
 * The most ways the engine may fit a pattern at one position. The default list's patterns need at
 * most 45 (`.{0,4}` and `.{0,8}` before the words they look for).
 */
export const MAX_PATHS = 100;
const escapes: Record<string, string> = { d: '\\d', s: '\\s', w: '\\w' };
const escapeChars: Record<string, string[]> = {
  d: [...'0123456789'],
  w: [...'0123456789_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'],
};
/** Outside a class, `-` is no syntax character: escaping it is an error in a `u` RegExp. */
const regexSpecial = /[\\^$.*+?()[\]{}|/]/g;

function escapeLiteral(s: string): string {
  return s.replace(regexSpecial, '\\$&');
}

/** Every character a class body matches, when it lists few enough (no negation, no escapes). */
function classChars(body: string[]): string[] | null {
  if (body[0] === '^' || body.includes('\\')) return null;
  const out: string[] = [];
  for (let i = 0; i < body.length; i++) {
    const from = body[i]!;
    if (body[i + 1] === '-' && i + 2 < body.length) {
      const lo = from.codePointAt(0)!;
      const hi = body[i + 2]!.codePointAt(0)!;
      if (hi < lo || hi - lo > 512) return null;
      for (let c = lo; c <= hi; c++) out.push(String.fromCodePoint(c));
      i += 2;
    } else out.push(from);
  }
  return out.map((c) => foldPhrase(c + c).slice(0, 1) || c.toLowerCase());
}

function parse(pattern: string): Item[] {
  const items: Item[] = [];
  const chars = [...pattern];
  let i = 0;
  const fail = (why: string): never => {
    throw new PatternError(`pattern "${pattern}": ${why}`);
  };
  while (i < chars.length) {
    const ch = chars[i]!;
    let atom: Atom = { type: 'lit', char: ch };
    if (ch === '\\') {
      const next = chars[i + 1] ?? fail('ends with a backslash');
      if (next in escapes) {
        const listed = escapeChars[next];
        atom = {
          type: 'set',
          source: escapes[next]!,
          width: 1,
          ...(listed ? { chars: listed } : {}),
        };
      } else if (/[0-9]/.test(next)) fail('backreferences are not allowed');
      else if (/[a-zA-Z]/.test(next)) fail(`\\${next} is not supported (use \\d, \\s, \\w)`);
      else atom = { type: 'lit', char: next };
      i += 2;
    } else if (ch === '.') {
      atom = { type: 'set', source: '[^]', width: 1 };
      i++;
    } else if (ch === '[') {
      const close = chars.indexOf(']', i + 1);
      if (close < 0) fail('unclosed [');
      const body = chars.slice(i + 1, close).join('');
      if (!body || body === '^') fail('empty character class');
      const folded = [...body]
        .map((c) => (/[\\\]^-]/.test(c) ? c : escapeLiteral(foldPhrase(c + c).slice(0, 1) || c)))
        .join('');
      const listed = classChars([...body]);
      atom = { type: 'set', source: `[${folded}]`, width: 2, ...(listed ? { chars: listed } : {}) };
      i = close + 1;
    } else if (ch === '(') {
      if (chars[i + 1] === '?') fail('lookarounds and special groups are not allowed');
      const close = chars.indexOf(')', i + 1);
      if (close < 0) fail('unclosed (');
      const body = chars.slice(i + 1, close).join('');
      if (/[()[\]\\.*+?{}]/.test(body)) fail('groups may hold only literal alternatives (a|b)');
      const alternatives = body.split('|').map((a) => foldPhrase(a));
      if (alternatives.some((a) => a.length === 0)) fail('empty alternative in a group');
      atom = { type: 'group', alternatives };
      i = close + 1;
    } else if ('*+'.includes(ch)) {
      fail(`unbounded repetition "${ch}" is not allowed; use {m,n} with n ≤ ${MAX_REPEAT}`);
    } else if ('?{'.includes(ch)) {
      fail(`"${ch}" must follow a character, class or group`);
    } else if ('^$|)]}'.includes(ch)) {
      fail(`"${ch}" is not allowed here`);
    } else {
      const folded = foldPhrase(ch + ch).slice(0, 1) || ch.toLowerCase();
      atom = { type: 'lit', char: folded };
      i++;
    }
    let min = 1;
    let max = 1;
    const q = chars[i];
    if (q === '?') {
      min = 0;
      i++;
    } else if (q === '{') {
      const close = chars.indexOf('}', i);
      const m = /^(\d+)(?:,(\d+))?$/.exec(chars.slice(i + 1, close).join(''));
      if (close < 0 || !m) fail('repetition must be {m} or {m,n}');
      min = Number(m![1]);
      max = m![2] === undefined ? min : Number(m![2]);
      if (max > MAX_REPEAT || min > max)
        fail(`repetition {${min},${max}} must have m ≤ n ≤ ${MAX_REPEAT}`);
      if (atom.type === 'group' && max > 1) fail('groups cannot repeat');
      i = close + 1;
    }
    const after = chars[i];
    if (after === '*' || after === '+') {
      fail(`unbounded repetition "${after}" is not allowed; use {m,n} with n ≤ ${MAX_REPEAT}`);
    }
    if (after === '?' || after === '{') fail('nested quantifiers are not allowed');
    items.push({ atom, min, max });
  }
  return items;
}

export function compilePattern(pattern: string): CompiledPattern {
  const items = parse(pattern);
  const fail = (why: string): never => {
    throw new PatternError(`pattern "${pattern}": ${why}`);
  };
  let maxLength = 0;
  let source = '';
  let previousVariable = false;
  for (const { atom, min, max } of items) {
    const variable = min !== max;
    if (variable && previousVariable)
      fail('two variable-length parts in a row may backtrack; put a literal between them');
    previousVariable = variable;
    const width =
      atom.type === 'group'
        ? Math.max(...atom.alternatives.map((a) => a.length))
        : atom.type === 'set'
          ? atom.width
          : atom.char.length;
    maxLength += width * max;
    const body =
      atom.type === 'lit'
        ? escapeLiteral(atom.char)
        : atom.type === 'set'
          ? atom.source
          : `(?:${atom.alternatives.map(escapeLiteral).join('|')})`;
    source +=
      min === 1 && max === 1
        ? body
        : min === 0 && max === 1
          ? `${body}?`
          : `${body}{${min},${max}}`;
  }
  if (maxLength > MAX_LENGTH)
    fail(`can match up to ${maxLength} characters; the limit is ${MAX_LENGTH}`);
  try {
    // Tabs build exactly this RegExp; a class the browser refuses ([z-a], [\]) is caught here
    // (and before the cost model, which builds RegExps of the parts).
    new RegExp(source, 'gu');
  } catch (error) {
    fail(`is not a valid regular expression (${(error as Error).message})`);
  }
  const ways = paths(items);
  if (ways > MAX_PATHS) {
    fail(
      `its repeats can be fitted in up to ${ways.toLocaleString('en-US')} ways at one position ` +
        `(the limit is ${MAX_PATHS}): narrow the {m,n} ranges, or put text between them that ` +
        `they can't match`,
    );
  }

  // Anchor: the longest run of fixed literals, else a mandatory group of 2+ character alternatives.
  let best = '';
  let run = '';
  for (const { atom, min, max } of items) {
    if (atom.type === 'lit' && min === 1 && max === 1) {
      run += atom.char;
      if (run.length > best.length) best = run;
    } else run = '';
  }
  let anchors = best.length >= 2 ? [best] : [];
  if (anchors.length === 0) {
    const group = items.find(
      (it) =>
        it.atom.type === 'group' &&
        it.min === 1 &&
        it.atom.alternatives.every((a) => a.length >= 2),
    );
    if (group && group.atom.type === 'group') anchors = group.atom.alternatives;
  }
  if (anchors.length === 0) {
    fail(
      'needs a literal of 2+ characters (or a required group whose alternatives all have 2+) to anchor it',
    );
  }
  return { source, anchors, maxLength };
}

/** A predicate for the characters an atom can start with, and their list when it is short. */
interface FirstChars {
  test(c: string): boolean;
  chars: string[] | null;
}

function firstChars(atom: Atom): FirstChars {
  if (atom.type === 'lit') return { test: (c) => c === atom.char, chars: [atom.char] };
  if (atom.type === 'group') {
    const chars = [...new Set(atom.alternatives.map((a) => [...a][0]!))];
    return { test: (c) => chars.includes(c), chars };
  }
  const re = new RegExp(`^${atom.source}$`, 'u');
  return { test: (c) => re.test(c), chars: atom.chars ?? null };
}

/** Whether two atoms can start with the same character (yes when neither can be listed). */
function overlaps(a: FirstChars, b: FirstChars): boolean {
  if (a.chars) return a.chars.some((c) => b.test(c));
  if (b.chars) return b.chars.some((c) => a.test(c));
  return true;
}

/**
 * The most ways the RegExp engine can fit the pattern at one position: the product, over each
 * repeat whose atom can also match the next thing the pattern needs, of its number of lengths
 * (each length may be followed by a partial match that fails later), and over each group, of how
 * many of its alternatives can match in the same place (one a prefix of another). A repeat
 * followed by text it can't match ends in one place and multiplies nothing; one at the end is
 * taken whole.
 */
function paths(items: readonly Item[]): number {
  const first = items.map((it) => firstChars(it.atom));
  let ways = 1;
  items.forEach((item, i) => {
    // What can come next: the following items up to the first one that can't be skipped.
    const next: FirstChars[] = [];
    for (let j = i + 1; j < items.length; j++) {
      next.push(first[j]!);
      if (items[j]!.min > 0) break;
    }
    const ambiguous = next.some((n) => overlaps(first[i]!, n));
    if (item.atom.type === 'group') {
      const alts = item.atom.alternatives;
      const prefixes = Math.max(...alts.map((a) => alts.filter((b) => a.startsWith(b)).length));
      ways *= ambiguous ? prefixes * (item.max - item.min + 1) : 1;
    } else if (item.min !== item.max && ambiguous) ways *= item.max - item.min + 1;
  });
  return ways;
}

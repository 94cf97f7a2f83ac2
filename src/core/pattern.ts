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
 */
import { foldPhrase } from './normalize';

export class PatternError extends Error {
  override name = 'PatternError';
}

type Atom =
  | { type: 'lit'; char: string }
  | { type: 'set'; source: string; width: number }
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
const escapes: Record<string, string> = { d: '\\d', s: '\\s', w: '\\w' };
// `-` is literal outside a class; escaping it there (`\-`) is a syntax error with the u flag.
const regexSpecial = /[\\^$.*+?()[\]{}|/]/g;

function escapeLiteral(s: string): string {
  return s.replace(regexSpecial, '\\$&');
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
      if (next in escapes) atom = { type: 'set', source: escapes[next]!, width: 1 };
      else if (/[0-9]/.test(next)) fail('backreferences are not allowed');
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
      atom = { type: 'set', source: `[${folded}]`, width: 2 };
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
  try {
    // Tabs build exactly this RegExp; a class the browser refuses ([z-a], [\]) is caught here.
    new RegExp(source, 'gu');
  } catch (error) {
    fail(`is not a valid regular expression (${(error as Error).message})`);
  }
  return { source, anchors, maxLength };
}

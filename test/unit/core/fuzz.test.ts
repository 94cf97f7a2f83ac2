/**
 * Property tests: random Unicode (surrogate pairs, lone surrogates, combining marks, emoji ZWJ
 * sequences, RTL and bidi controls, CJK and list phrases) never makes the normalizer, matcher,
 * contact reader or scorer throw, and every offset is in bounds, ordered and on a code-point
 * boundary. Bounded: a fixed seed and a fixed number of runs.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileList } from '../../../src/core/compile-list';
import { extractContacts } from '../../../src/core/contacts';
import { loadMatcher, scanText } from '../../../src/core/matcher';
import { foldText, mayFoldToLetter } from '../../../src/core/normalize';
import { assess } from '../../../src/core/score';
import { sampleList } from './sample-list';

const matcher = loadMatcher(compileList(sampleList));

const pieces = fc.constantFrom(
  '征',
  '信',
  '修',
  '复',
  '徵',
  '復',
  '停',
  '息',
  '挂',
  '账',
  '代理退保',
  '加V',
  'vx',
  'ＶＸ',
  '𝐯',
  '\u200b',
  '\u200d',
  '\ufeff',
  '\u00ad',
  '\u0336',
  '\u0301',
  '\ufe0f',
  '\u202e',
  '\u2066',
  '👨‍👩‍👧‍👦',
  '🏳️‍🌈',
  '📛',
  '🐧',
  '1️⃣',
  '①',
  '壹',
  '幺',
  '13800138000',
  ' ',
  '*',
  '.',
  '\n',
  'مرحبا',
  'שלום',
  '\ud800',
  '\udfff',
  'a',
  'Z',
  '9',
  '𠀀',
  '，',
  '「',
  '」',
  '“',
  '”',
);
const text = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 80 }),
  fc.string({ unit: 'grapheme', maxLength: 60 }),
  fc.array(pieces, { maxLength: 40 }).map((a) => a.join('')),
);

const isLow = (c: number) => c >= 0xdc00 && c < 0xe000;
const isHigh = (c: number) => c >= 0xd800 && c < 0xdc00;
/** An offset that would split a surrogate pair is not a code-point boundary. */
const onBoundary = (s: string, i: number) =>
  i === 0 || i === s.length || !(isHigh(s.charCodeAt(i - 1)) && isLow(s.charCodeAt(i)));

const params = { seed: 20261124, numRuns: 1500 };

describe('fuzzing the engine', () => {
  it('folds to the same length without throwing', () => {
    fc.assert(
      fc.property(text, (t) => foldText(t).length === t.length),
      params,
    );
  });

  it('reports matches in bounds, ordered and on code-point boundaries', () => {
    fc.assert(
      fc.property(text, (t) => {
        const matches = scanText(matcher, t);
        let previous = -1;
        for (const m of matches) {
          expect(m.start).toBeGreaterThanOrEqual(0);
          expect(m.end).toBeLessThanOrEqual(t.length);
          expect(m.start).toBeLessThan(m.end);
          expect(m.start).toBeGreaterThanOrEqual(previous);
          expect(onBoundary(t, m.start) && onBoundary(t, m.end)).toBe(true);
          previous = m.start;
        }
      }),
      params,
    );
  });

  it('reads contacts and assesses without throwing, offsets in bounds', () => {
    fc.assert(
      fc.property(text, (t) => {
        for (const c of extractContacts(t, matcher.grammar)) {
          expect(c.start).toBeGreaterThanOrEqual(0);
          expect(c.end).toBeLessThanOrEqual(t.length);
          expect(onBoundary(t, c.start) && onBoundary(t, c.end)).toBe(true);
        }
        const a = assess(matcher, t);
        expect(['lead', 'mention', 'clean']).toContain(a.verdict);
        for (const m of a.matches) expect(t.slice(m.start, m.end)).toBe(m.text);
      }),
      params,
    );
  });

  it('gates contact reading exactly: mayFoldToLetter is whether the folded text has a–z', () => {
    fc.assert(
      fc.property(text, (t) => {
        expect(mayFoldToLetter(t)).toBe(/[a-z]/.test(foldText(t)));
      }),
      params,
    );
  });
});

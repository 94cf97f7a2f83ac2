// @vitest-environment happy-dom
/**
 * Offsets stay exact in UTF-16 units of the original text whatever surrounds or splits a phrase
 * (issue 10, what held): emoji, combining marks, zero-width characters, NUL, lone surrogates and
 * RTL overrides, in the matcher and in the page's ranges.
 */
import { describe, expect, it } from 'vitest';
import { compileList } from '../../../src/core/compile-list';
import { loadMatcher, scanText } from '../../../src/core/matcher';
import { assess } from '../../../src/core/score';
import { blockText, rangeFor } from '../../../src/page/block-text';
import { offsetCases } from './offset-cases';
import { sampleList } from './sample-list';

const matcher = loadMatcher(compileList(sampleList));

describe('match offsets', () => {
  it.each(offsetCases)('are exact with %s', (_label, text, span) => {
    const start = text.indexOf(span);
    const found = scanText(matcher, text).filter((m) => m.ruleId === 'zx.repair');
    expect(found.map((m) => [m.start, m.end])).toEqual([[start, start + span.length]]);
    const reported = assess(matcher, text).matches.find((m) => m.ruleId === 'zx.repair')!;
    expect(reported.text).toBe(span);
    expect([reported.start, reported.end]).toEqual([start, start + span.length]);
  });
});

describe('page ranges', () => {
  it.each(offsetCases)(
    'cover exactly the span with %s, one text node per code point',
    (_l, text, span) => {
      const el = document.createElement('p');
      for (const c of text) el.append(document.createTextNode(c));
      document.body.replaceChildren(el);
      const block = blockText([el]);
      expect(block.text).toBe(text);
      const m = scanText(matcher, block.text).find((x) => x.ruleId === 'zx.repair')!;
      expect(rangeFor(block, m.start, m.end, document)!.toString()).toBe(span);
    },
  );

  it('cover a sticker image between the characters, standing for no text', () => {
    const el = document.createElement('p');
    const img = document.createElement('img');
    img.setAttribute('alt', '[哇R]');
    el.append('\u202e征', img, '\u200b信修复 加V');
    document.body.replaceChildren(el);
    const block = blockText([el]);
    const m = scanText(matcher, block.text).find((x) => x.ruleId === 'zx.repair')!;
    const range = rangeFor(block, m.start, m.end, document)!;
    expect(range.toString()).toBe('征\u200b信修复');
    expect(range.startContainer.textContent).toBe('\u202e征');
    expect(range.startOffset).toBe(1);
  });
});

import { describe, expect, it } from 'vitest';
import { compileList } from '../../../src/core/compile-list';
import { defaultList } from '../../../src/core/default-list';
import { ListError, type List } from '../../../src/core/list-schema';
import { loadMatcher, scanText } from '../../../src/core/matcher';
import { compilePattern, MAX_PATHS, PatternError } from '../../../src/core/pattern';
import { sampleList } from './sample-list';

describe('restricted patterns', () => {
  it.each([
    ['[0-9一二三四五六七八九]折解债', ['折解债'], '4折解债', true],
    ['(用卡|刷卡)[0-9一二三四五六七八九十]{1,2}年能退', ['年能退'], '用卡5年能退3万', true],
    ['(逾期|負債).{0,8}(私信|私我)', ['逾期', '负债'], '负债三十万的朋友私信我', true],
    ['负债[0-9]{1,4}万.{0,6}上岸', ['负债'], '负债38万分5年上岸', true],
    ['退保\\d{1,2}天到账', ['天到账'], '退保7天到账', true],
    ['[0-9]折解债', ['折解债'], '解债', false],
  ])('compiles %j with anchors %j', (pattern, anchors, sample, matches) => {
    const compiled = compilePattern(pattern);
    expect(compiled.anchors).toEqual(anchors);
    expect(new RegExp(compiled.source, 'u').test(sample)).toBe(matches);
    expect(compiled.maxLength).toBeLessThanOrEqual(96);
  });

  it.each([
    ['(a+)+', /literal alternatives/],
    ['征信.*修复', /unbounded/],
    ['征信.+修复', /unbounded/],
    ['[0-9]{1,}万元', /\{m\} or \{m,n\}/],
    ['\\d{1,30}万元', /n ≤ 20/],
    ['征信(?=修复)', /lookarounds/],
    ['(征信)\\1', /backreferences/],
    ['\\d{1,5}\\d{1,5}元钱', /in a row/],
    ['x.{0,3}', /anchor/],
    ['^征信修复', /not allowed/],
    ['(征信|修复){2}', /cannot repeat/],
    ['征信修复[', /unclosed/],
  ])('rejects the unsafe pattern %j with a clear error', (pattern, message) => {
    expect(() => compilePattern(pattern)).toThrow(PatternError);
    expect(() => compilePattern(pattern)).toThrow(message);
  });

  it('stays fast on input that would make a backtracking pattern explode', () => {
    // Every accepted pattern is bounded, so even adversarial text is cheap to test in a window.
    const re = new RegExp(compilePattern('负债[0-9]{1,4}万.{0,6}上岸').source, 'u');
    expect(re.test(`负债${'9'.repeat(5000)}`)).toBe(false);
  });

  // Issue 10, High 1: these passed the import and then failed in every tab's `new RegExp(…, 'gu')`.
  it.each([
    ['征信-修复', '征信-修复'],
    ['(征信-修复|征信修复)', '征信修复'],
    ['[a-]征信修复', '-征信修复'],
  ])('builds %j as the same RegExp tabs build (a literal -)', (pattern, sample) => {
    const compiled = compilePattern(pattern);
    expect(new RegExp(compiled.source, 'gu').test(sample)).toBe(true);
  });

  it.each([['征信[\\]修复'], ['征信[z-a]修复'], ['[9-0]折解债']])(
    'rejects %j, which no browser compiles, at compile time',
    (pattern) => {
      expect(() => compilePattern(pattern)).toThrow(/not a valid regular expression/);
    },
  );
});

describe('pattern cost', () => {
  it.each([
    // Issue 10: 21 × 21 × 21 ways at every position (251 ms on 300 characters before).
    ['.{0,20}征信.{0,20}x.{0,20}y.{0,20}', /9,261 ways/],
    ['征信.{0,20}x.{0,20}y', /441 ways/],
    ['[^，]{0,10}征信[^，]{0,10}修复', /121 ways/],
    // Each group can end after 退, 退保 or 退保费, and the next one starts with 退 again.
    ['(退|退保|退保费)'.repeat(6), /243 ways/],
  ])('rejects %j, whose repeats multiply', (pattern, message) => {
    expect(() => compilePattern(pattern)).toThrow(PatternError);
    expect(() => compilePattern(pattern)).toThrow(message);
  });

  it.each([
    // Repeats followed by what they can't match end in one place.
    '[0-9]{1,4}万.{0,6}上岸',
    '[0-9][0-9.]{0,3}万元?化解[0-9]{1,4}万',
    '征信.{0,20}',
    '.{0,20}征信修复',
  ])('accepts %j, whose repeats end in one place each', (pattern) => {
    expect(() => compilePattern(pattern)).not.toThrow();
  });

  it('accepts every pattern of the default list', () => {
    for (const entry of defaultList().entries) {
      if (entry.kind === 'pattern') expect(() => compilePattern(entry.pattern)).not.toThrow();
    }
  });

  it('names the entry when a list holds a pattern over the limit', () => {
    const list: List = {
      ...sampleList,
      entries: [
        ...sampleList.entries,
        {
          kind: 'pattern',
          id: 'slow.one',
          pattern: '.{0,20}征信.{0,20}x.{0,20}y.{0,20}',
          category: '征信修复',
          signal: 'strong',
          provenance: { source: 'test', addedAt: '2026-11-24' },
        },
      ],
    };
    expect(() => compileList(list)).toThrow(ListError);
    expect(() => compileList(list)).toThrow(/entry slow\.one: .*limit is 100/);
  });

  it('keeps an accepted pattern cheap on text built to make it backtrack', () => {
    // The worst accepted shape (MAX_PATHS ways) on dense anchors: every position is tried, and
    // every window around an anchor is scanned once, not once per anchor.
    expect(MAX_PATHS).toBe(100);
    const list: List = {
      ...sampleList,
      entries: [
        ...sampleList.entries,
        {
          kind: 'pattern',
          id: 'wide.one',
          pattern: '征信.{0,9}x.{0,9}y',
          category: '征信修复',
          signal: 'strong',
          provenance: { source: 'test', addedAt: '2026-11-24' },
        },
      ],
    };
    const matcher = loadMatcher(compileList(list));
    const text = '征信xxxxxxxxxx'.repeat(1_000);
    const found = scanText(matcher, text).filter((m) => m.ruleId === 'wide.one');
    expect(found).toEqual([]);
    expect(scanText(matcher, '征信xxy').some((m) => m.ruleId === 'wide.one')).toBe(true);
  });
});

describe('patterns the RegExp engine would refuse', () => {
  it.each([
    ['a literal hyphen', '征信-修复', '征信-修复', true],
    ['a hyphen in a class', '征信[-~]修复', '征信~修复', true],
  ])('compile %s into a working expression', (_what, pattern, sample, matches) => {
    const compiled = compilePattern(pattern);
    expect(new RegExp(compiled.source, 'gu').test(sample)).toBe(matches);
  });

  it.each([
    ['a reversed range', '[z-a]征信修复', /not a valid regular expression/],
    ['an escaped closing bracket', '[\\]征信修复', /not a valid regular expression|unclosed/],
  ])('reject %s with a clear error', (_what, pattern, message) => {
    expect(() => compilePattern(pattern)).toThrow(PatternError);
    expect(() => compilePattern(pattern)).toThrow(message);
  });

  it('name the entry in the list error', () => {
    const list: List = {
      ...sampleList,
      entries: [
        ...sampleList.entries,
        {
          kind: 'pattern',
          id: 'bad.range',
          pattern: '[z-a]征信修复',
          category: '征信修复',
          signal: 'strong',
          provenance: { source: 'test', addedAt: '2026-11-24' },
        },
      ],
    };
    expect(() => compileList(list)).toThrow(
      /entry bad\.range: pattern "\[z-a\]征信修复": is not a valid/,
    );
  });
});

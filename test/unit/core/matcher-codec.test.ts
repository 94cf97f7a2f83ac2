import { describe, expect, it } from 'vitest';
import { compileList } from '../../../src/core/compile-list';
import { defaultList } from '../../../src/core/default-list';
import {
  deserializeMatcher,
  loadMatcher,
  serializeMatcher,
  type CompiledMatcher,
} from '../../../src/core/matcher';
import { assess } from '../../../src/core/score';
import { sampleList } from './sample-list';

describe('the compiled matcher as bytes', () => {
  it('round-trips to a matcher that assesses exactly like the original', () => {
    const compiled = compileList(defaultList());
    const bytes = serializeMatcher(compiled);
    const restored = loadMatcher(deserializeMatcher(bytes));
    const original = loadMatcher(compiled);
    for (const text of [
      '征*信*修*复 加V tuibao',
      '警惕征信修复骗局',
      '停息挂账找我，薇信 abc12345',
    ]) {
      expect(assess(restored, text)).toEqual(assess(original, text));
    }
    // Deterministic: the same list gives the same bytes (the active list's identity is their hash).
    expect(Buffer.from(serializeMatcher(compileList(defaultList()))).equals(bytes)).toBe(true);
  });

  it('carries typed arrays in fields it does not know without copying them', () => {
    const compiled = compileList(sampleList) as CompiledMatcher & { extra?: unknown };
    compiled.extra = { weights: Float32Array.from([0.5, -1.25]), vocab: ['a', 'b'] };
    const back = deserializeMatcher(serializeMatcher(compiled)) as typeof compiled;
    expect(back.extra).toEqual({ weights: Float32Array.from([0.5, -1.25]), vocab: ['a', 'b'] });
    expect(back.automaton.fail).toBeInstanceOf(Int32Array);
  });

  it('reads bytes that start at an odd offset (a storage chunk decoded into a larger buffer)', () => {
    const bytes = serializeMatcher(compileList(sampleList));
    const shifted = new Uint8Array(bytes.length + 3);
    shifted.set(bytes, 3);
    expect(() => loadMatcher(deserializeMatcher(shifted.subarray(3)))).not.toThrow();
  });

  it.each([
    ['not a matcher', new TextEncoder().encode('{"format":"x"}')],
    ['truncated', serializeMatcher(compileList(sampleList)).subarray(0, 200)],
  ])('refuses bytes that are %s', (_what, bytes) => {
    expect(() => deserializeMatcher(bytes)).toThrow(/matcher/);
  });

  it('looks accounts up in account sets and lets an allow entry win over a listing', () => {
    const provenance = { source: 't', addedAt: '2026-01-01' };
    const list = {
      ...sampleList,
      entries: [
        ...sampleList.entries,
        {
          kind: 'account-set' as const,
          id: 'set.agents',
          platform: 'douyin' as const,
          category: '代理退保' as const,
          ids: ['MS4wSETa', 'MS4wSETb', 'MS4wLjABAAAAagent'],
          provenance,
        },
        {
          kind: 'allow' as const,
          id: 'allow.b',
          platform: 'douyin' as const,
          platformId: 'MS4wSETb',
          provenance,
        },
      ],
    };
    const matcher = loadMatcher(deserializeMatcher(serializeMatcher(compileList(list))));
    const text = '代理退保找我';
    expect(
      assess(matcher, text, { author: { platform: 'douyin', id: 'MS4wSETa' } }).account,
    ).toMatchObject({
      ruleId: 'set.agents',
      allowed: false,
    });
    expect(
      assess(matcher, text, { author: { platform: 'douyin', id: 'MS4wSETb' } }).account,
    ).toMatchObject({
      ruleId: 'allow.b',
      allowed: true,
    });
    // An account listed one by one and again in a set keeps its own entry (the first listing).
    expect(
      assess(matcher, text, { author: { platform: 'douyin', id: 'MS4wLjABAAAAagent' } }).account
        ?.ruleId,
    ).toBe('acct.agent');
  });
});

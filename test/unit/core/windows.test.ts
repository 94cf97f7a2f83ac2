import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileList } from '../../../src/core/compile-list';
import { loadMatcher } from '../../../src/core/matcher';
import { assess } from '../../../src/core/score';
import { assessInWindows, OVERLAP, textWindows, WINDOW } from '../../../src/core/windows';
import { sampleList } from './sample-list';

const matcher = loadMatcher(compileList(sampleList));
const run = (text: string, size?: number, overlap?: number) => {
  const steps = assessInWindows((t, o) => assess(matcher, t, o), text, {}, size, overlap);
  let count = 0;
  for (let step = steps.next(); ; step = steps.next()) {
    if (step.done) return { a: step.value, steps: count };
    count++;
  }
};

describe('textWindows', () => {
  it.each([
    [0, 10, 3, [[0, 0]]],
    [10, 10, 3, [[0, 10]]],
    [
      11,
      10,
      3,
      [
        [0, 10],
        [7, 11],
      ],
    ],
    [
      24,
      10,
      3,
      [
        [0, 10],
        [7, 17],
        [14, 24],
      ],
    ],
  ])('covers %i units in windows of %i overlapping by %i', (length, size, overlap, expected) => {
    expect(textWindows(length, size, overlap).map((w) => [w.start, w.end])).toEqual(expected);
  });

  it('covers every unit, each window overlapping the next by the overlap', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 50_000 }), (length) => {
        const ws = textWindows(length);
        expect(ws[0]!.start).toBe(0);
        expect(ws.at(-1)!.end).toBe(length);
        for (let i = 1; i < ws.length; i++) {
          expect(ws[i - 1]!.end - ws[i]!.start).toBe(OVERLAP);
          expect(ws[i]!.end - ws[i]!.start).toBeLessThanOrEqual(WINDOW);
        }
      }),
    );
  });
});

describe('assessInWindows', () => {
  it('assesses a text that fits one window whole, exactly as assess does', () => {
    const text = '征*信*修*复 加V：abc123 不成功不收费';
    const { a, steps } = run(text);
    expect(steps).toBe(0);
    expect(a).toEqual(assess(matcher, text));
  });

  it('finds a lead far into a long text, with offsets into the whole text', () => {
    const filler = '今天天气很好，我们去公园散步。'.repeat(1_000);
    const lead = '征信修复找我，加V：abc123';
    const text = filler + lead + filler;
    const { a, steps } = run(text);
    expect(steps).toBeGreaterThan(5);
    expect(a.verdict).toBe('lead');
    const topic = a.matches.find((m) => m.ruleId === 'zx.repair')!;
    expect(text.slice(topic.start, topic.end)).toBe('征信修复');
    expect(topic.start).toBe(filler.length);
    expect(a.why).toContain('长文本');
  });

  it('sees a phrase cut by a window edge whole in the next window, once', () => {
    // Window edges at 100, then every 70 (size 100, overlap 30): put the phrase across each.
    for (const at of [97, 98, 99, 167, 168]) {
      const text = `${'啊'.repeat(at)}征*信*修*复 加V：abc123${'啊'.repeat(300)}`;
      const { a } = run(text, 100, 30);
      const hits = a.matches.filter((m) => m.ruleId === 'zx.repair');
      expect(hits.map((m) => text.slice(m.start, m.end))).toEqual(['征*信*修*复']);
      expect(a.verdict).toBe('lead');
    }
  });

  it('keeps a wall of lead text a lead, reporting each match once and in order', () => {
    const text = '征信修复加V：abc123，'.repeat(2_000);
    const { a } = run(text);
    expect(a.verdict).toBe('lead');
    const keys = a.matches.map((m) => `${m.ruleId}:${m.start}:${m.end}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (let i = 1; i < a.matches.length; i++) {
      expect(a.matches[i]!.start).toBeGreaterThanOrEqual(a.matches[i - 1]!.start);
    }
    expect(a.matches.filter((m) => m.ruleId === 'zx.repair')).toHaveLength(2_000);
  });

  it('leaves a long benign text clean', () => {
    const { a } = run('周末去爬山，风景很好。'.repeat(3_000));
    expect(a.verdict).toBe('clean');
    expect(a.matches).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { compileList } from '../../../src/core/compile-list';
import { defaultList } from '../../../src/core/default-list';
import { FeatureBuilder, textView, type FeatureSet } from '../../../src/core/features';
import { loadMatcher } from '../../../src/core/matcher';
import { assess, readWindows } from '../../../src/core/score';

const bucketsOf = (set: FeatureSet) =>
  [...set.buckets.subarray(0, set.count)].sort((a, b) => a - b);

describe('the feature builder', () => {
  it('keeps each bucket once, however many features a window has', () => {
    const b = new FeatureBuilder(18, [1, 2, 3]);
    // Thousands of distinct characters: the de-duplicating table grows several times.
    let text = '';
    for (let c = 0x4e00; c < 0x4e00 + 3000; c++) text += String.fromCharCode(c);
    const view = textView(text + text);
    const table = b.gramTable(view, null);
    const set = b.begin();
    b.ngrams(table, 0, view.length);
    const distinct = new Set(bucketsOf(set));
    expect(set.count).toBe(distinct.size);
    // 3,000 unigrams, and (nearly) 3,000 bigrams and trigrams each, the repeat adds none but the
    // n-grams across the seam; hash collisions may merge a few buckets.
    expect(set.count).toBeGreaterThan(8_500);
    expect(set.count).toBeLessThanOrEqual(9_004);
    // A new window starts empty.
    const next = b.begin();
    b.ngrams(table, 0, 2);
    expect(next.count).toBe(3);
  });

  it('reads a window from the text table as it would read the window alone', () => {
    const b = new FeatureBuilder(18, [1, 2, 3]);
    // Views and tables are scratch space, valid until the next call: read each before the next.
    const whole = textView('上岸了。对接的人我可以推给你');
    const t1 = b.gramTable(whole, null);
    // The view symbol where the second clause starts (character 4 of the text).
    const from = whole.start.findIndex((at) => at >= 4);
    const s1 = bucketsOf((b.begin(), b.ngrams(t1, from, whole.length), bucketsSet(b)));
    const alone = textView('对接的人我可以推给你');
    const t2 = b.gramTable(alone, null);
    const s2 = bucketsOf((b.begin(), b.ngrams(t2, 0, alone.length), bucketsSet(b)));
    expect(s1).toEqual(s2);
  });

  it('replays recorded named features exactly as they were added', () => {
    const b = new FeatureBuilder(18, [1, 2, 3]);
    const first = b.begin();
    b.named('x');
    b.record();
    b.named('t:征信', 'B:');
    b.named('x'); // already in the set: recorded all the same
    const r = b.recorded();
    expect(r.keys).toEqual(['t:征信', 'x']);
    const a = { buckets: bucketsOf(first), keys: [...first.keys] };
    const second = b.begin();
    b.replay(r);
    expect(second.keys).toEqual(['t:征信', 'x']);
    expect(bucketsOf(second)).toEqual(a.buckets);
  });

  it('keeps a set whole while the next ones are built', () => {
    const b = new FeatureBuilder(18, [1, 2, 3]);
    const view = textView('征信修复');
    const table = b.gramTable(view, null);
    b.begin();
    b.ngrams(table, 0, view.length);
    const kept = b.keep();
    const before = bucketsOf(kept);
    const other = b.begin();
    expect(other).not.toBe(kept);
    b.ngrams(table, 0, 1);
    expect(bucketsOf(kept)).toEqual(before);
    expect(other.count).toBe(1);
  });
});

/** The builder's current set (the one `begin` last returned). */
function bucketsSet(b: FeatureBuilder): FeatureSet {
  return (b as unknown as { set: FeatureSet }).set;
}

describe('the model reads', () => {
  const matcher = loadMatcher(compileList(defaultList()));

  it('no text that holds nothing of the list', () => {
    for (const text of ['哈哈哈笑死我了', '这个视频拍得真好看，博主加油', '🎉🎉🎉']) {
      const a = assess(matcher, text, { kind: 'comment' });
      expect(a.verdict, text).toBe('clean');
      expect(a.probability, text).toBeNull();
    }
    // One everyday debt word is enough for the model to read it (and here, to call it a lead).
    const read = assess(
      matcher,
      '我去年网贷也是这样，后来托人把八家平台都谈下来了，对接的人我可以介绍给你',
      {
        kind: 'comment',
      },
    );
    expect(read.probability).toBeGreaterThan(0.5);
  });

  it('every window of a long text with the same block and parent signals', () => {
    const text =
      '很多人在评论区问我负债以后到底应该怎么办才好。我自己当年也走过不少弯路，被催收电话打到崩溃。' +
      '后来找到了靠谱的老师帮忙，和几家平台都协商成功了，现在每个月压力小多了。需要的私信我，我把联系方式发你。';
    const named: string[][] = [];
    readWindows(
      matcher,
      matcher.model!,
      text,
      { kind: 'post', parent: '网贷逾期了怎么办' },
      (set) =>
        named.push(set.prefixes.map((p, i) => p + set.keys[i]).filter((n) => /^[BP]:/.test(n))),
    );
    expect(named.length).toBeGreaterThan(2);
    const shared = (n: string[]) => n.filter((x) => !x.endsWith('&ask')).sort();
    for (const n of named) expect(shared(n)).toEqual(shared(named[0]!));
    expect(named[0]!.some((n) => n.startsWith('P:'))).toBe(true);
  });
});

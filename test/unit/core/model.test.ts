import { describe, expect, it } from 'vitest';
import { compileList } from '../../../src/core/compile-list';
import { labelled, type LabelledText } from '../../../src/core/corpus';
import { defaultList } from '../../../src/core/default-list';
import { featureName } from '../../../src/core/features';
import { Model, parseList, type List } from '../../../src/core/list-schema';
import { deserializeMatcher, loadMatcher, serializeMatcher } from '../../../src/core/matcher';
import { assess, readWindows } from '../../../src/core/score';
import {
  defaultTrainConfig,
  extractExamples,
  featureModel,
  modelSection,
  predictLines,
  train,
  trainConfigOf,
  type TrainConfig,
} from '../../../src/core/train';
import { corpusFiles, fingerprint, readCorpora } from '../../../src/cli/corpora';

const { model: shipped, ...lexicon } = defaultList();
const lexiconMatcher = loadMatcher(compileList(lexicon as List));
const config: TrainConfig = { ...defaultTrainConfig, epochs: 3, copies: 1, hashBits: 16 };

/** A small, fixed training set: every tenth line of every corpus. */
const sample: LabelledText[] = readCorpora().filter((_, i) => i % 10 === 0);

function trained() {
  const ex = extractExamples(lexiconMatcher, sample, config, lexicon.homophones);
  return { ex, q: train(ex, config) };
}

/** A model section with a placeholder training record, for tests of what the section holds. */
function placeholderSection(q: ReturnType<typeof train>, used: TrainConfig, examples: number) {
  return modelSection(
    q,
    used,
    { lead: 0.5, modelOnly: 0.9, mention: 0.3 },
    {
      trainedAt: '2026-12-01T00:00:00Z',
      fingerprint: '0'.repeat(64),
      lines: 1,
      examples,
      families: ['x'],
    },
    {},
    1,
  );
}

// Each test trains a small model: seconds, more on a busy machine.
describe('the lead model', { timeout: 60_000 }, () => {
  it('trains deterministically: the same corpus and seed give the same bytes', () => {
    const a = trained().q;
    const b = trained().q;
    expect(a.weights.length).toBe(1 << config.hashBits);
    expect(Buffer.from(a.weights.buffer).equals(Buffer.from(b.weights.buffer))).toBe(true);
    expect(a.scale).toBe(b.scale);
    expect(a.bias).toBe(b.bias);
    // A different seed shuffles differently and lands elsewhere.
    const ex = extractExamples(lexiconMatcher, sample, config, lexicon.homophones);
    const c = train(ex, { ...config, seed: config.seed + 1 });
    expect(Buffer.from(c.weights.buffer).equals(Buffer.from(a.weights.buffer))).toBe(false);
  });

  it('survives the list and the compiled matcher round trip, and reads texts as training did', () => {
    const { ex, q } = trained();
    const thresholds = { lead: 0.6, modelOnly: 0.9, mention: 0.3 };
    const model = modelSection(
      q,
      config,
      thresholds,
      {
        trainedAt: '2026-12-01T00:00:00Z',
        fingerprint: fingerprint(sample),
        lines: sample.length,
        examples: ex.y.length,
        families: [...new Set(sample.map((l) => l.family))],
      },
      { 'lofo.recall': 0.5 },
      7,
    );
    const list = parseList(JSON.parse(JSON.stringify({ ...lexicon, model })));
    expect(list.model?.version).toBe(7);
    const matcher = loadMatcher(deserializeMatcher(serializeMatcher(compileList(list))));
    const predicted = predictLines(ex, q, (l) => l.original);
    let compared = 0;
    for (const [index, p] of predicted) {
      if (compared >= 150) break;
      const info = ex.lines[index]!;
      const line = sample[info.source]!;
      const a = assess(matcher, line.text, {
        kind: line.kind,
        ...(line.parent ? { parent: line.parent } : {}),
      });
      expect(a.probability, line.id).toBeCloseTo(p, 3);
      compared++;
    }
    expect(compared).toBe(150);
  });

  it('records how it was trained, so a retrain (and leave-one-family-out) trains alike', () => {
    const { ex, q } = trained();
    const used: TrainConfig = { ...config, dropout: 0.15, minCount: 2, seed: 7 };
    const model = placeholderSection(q, used, ex.y.length);
    const read = parseList(JSON.parse(JSON.stringify({ ...lexicon, model }))).model!;
    expect(trainConfigOf(read)).toEqual(used);
    // A model from before the field was trained without dropout.
    const { dropout: _d, ...older } = read.training;
    expect(trainConfigOf({ ...read, training: older }).dropout).toBe(0);
    expect(() => Model.parse({ ...read, training: { ...read.training, dropout: 1 } })).toThrow();
  });

  it('is refused when its weights do not fit its table', () => {
    const { ex, q } = trained();
    const model = placeholderSection(q, { ...config, hashBits: 17 }, ex.y.length);
    const list = parseList({ ...lexicon, model });
    expect(() => loadMatcher(compileList(list))).toThrow(/2\^17/);
  });

  it('reads a corpus line as the trainer reads it (block kind, parent, marked span)', () => {
    const l = labelled(
      {
        id: 'x-1',
        text: '答主说得对。需要的私我',
        label: 'lead',
        category: '停息挂账',
        evasion: 'none',
        kind: 'reply',
        block: 'reply',
        parent: '信用卡逾期了怎么协商？',
        solicit: '需要的私我',
      },
      'x',
    );
    expect(l).toMatchObject({ kind: 'reply', lead: true, family: 'x', solicit: [6, 11] });
  });
});

describe('feature crosses', () => {
  /** The named features of every window of a reply, as the model with `crosses` reads it. */
  const named = (crosses: TrainConfig['crosses']) => {
    const out = new Set<string>();
    readWindows(
      lexiconMatcher,
      // A table too large for two of a hundred names to share a bucket (the set de-duplicates).
      featureModel({ ...config, hashBits: 22, crosses }),
      '别怕，加我薇 教你怎么应对上门',
      { kind: 'reply', parent: '网贷逾期第45天，催收说要上门，怎么办' },
      (set) => {
        for (let i = 0; i < set.count; i++)
          if (set.origin[i]! < 0) out.add(featureName(set, set.origin[i]!));
      },
    );
    return [...out];
  };

  it('reads the lexicon signals again under the register when the model asks for it', () => {
    const plain = named([]);
    const crossed = named(['kind']);
    expect(plain.filter((n) => n.includes('|'))).toEqual([]);
    // Every signal of the window, the block and the parent, once more under k:reply|.
    const signals = plain.filter((n) => !/^(k:|len:)/.test(n));
    // What the reply asks under what its parent is about (P:t&ask or P:ct&ask).
    expect(
      signals.some((n) => /^P:c?t&ask$/.test(n)),
      signals.join(' '),
    ).toBe(true);
    expect(signals.length).toBeGreaterThan(5);
    for (const n of signals) expect(crossed, n).toContain(`k:reply|${n}`);
    // The register itself, and what is already crossed with it, are not crossed again.
    expect(
      crossed.filter((n) => n.startsWith('k:reply|k:') || n.startsWith('k:reply|len:')),
    ).toEqual([]);
    expect(crossed.length).toBe(plain.length + signals.length);
  });

  it('are off for a model whose list section predates them', () => {
    const { crosses: _, ...features } = shipped!.features;
    expect(Model.parse({ ...shipped!, features }).features.crosses).toEqual([]);
    expect(() =>
      Model.parse({ ...shipped!, features: { ...features, crosses: ['len'] } }),
    ).toThrow();
  });
});

describe('the shipped model', () => {
  it('is in the default list, small, and trained on the corpora in this repository', () => {
    expect(shipped, 'run `leadguard model train`').toBeDefined();
    const m = shipped!;
    expect(m.weights.length).toBeLessThanOrEqual(1_000_000);
    expect(m.training.fingerprint, 'the corpora changed: run `leadguard model train`').toBe(
      fingerprint(readCorpora(corpusFiles())),
    );
    expect(m.training.families.some((f) => f.startsWith('sealed'))).toBe(false);
    expect(m.thresholds.lead).toBeLessThanOrEqual(m.thresholds.modelOnly);
  });
});

describe('debt words in other spellings', () => {
  const matcher = loadMatcher(compileList(defaultList()));
  it.each([
    // Romanized, abbreviated, English and Cantonese forms of the list's everyday words, and
    // pointers to where the contact is: the model reads these texts.
    ['zhengxin you wenti de keyi zhao wo, qq kan jianjie', 'lead'],
    ['xyk wd yuqi de xiongdi keyi zhao wo', 'lead'],
    ['Credit card stop interest + 60 installments, all banks, pay after success, DM me', 'lead'],
    ['卡數還唔切？唔使驚，inbox我', 'lead'],
    ['自己打了三次都被拒，后来找了专业的人，一周批了60期，需要的可以问我要联系方式', 'lead'],
    // Everyday text in the same scripts holds none of them: the model doesn't read it.
    ['wo men ming tian qu chi huo guo ba', null],
    ['See you at the gym tomorrow, DMing is fine too', null],
    ['git commit -m "fix the build" && npm test', null],
    ['呢間茶餐廳嘅菠蘿包好好食', null],
  ])('%j is %s', (text, verdict) => {
    const a = assess(matcher, text, { kind: 'comment' });
    if (verdict === null) expect(a.probability, a.why).toBeNull();
    else {
      expect(a.probability, a.why).not.toBeNull();
      expect(a.verdict, a.why).toBe(verdict);
    }
  });
});

describe('a reply with no words of the list', () => {
  const matcher = loadMatcher(compileList(defaultList()));
  const debtor = '信用卡逾期三个月了，网贷也还不上，有没有人知道怎么跟银行协商';
  const policyholder = '保险交了四年了，现在交不起了，退的话只能拿回一点点怎么办';
  const hiker = '周末想去爬山，有没有人推荐一下路线';
  it.each([
    ['我这边可以', debtor, 'lead'],
    ['我这边可以', policyholder, 'lead'],
    // The model reads it only when what it answers is on the topic.
    ['我这边可以', hiker, 'clean'],
    ['我这边可以', undefined, 'clean'],
    ['同问', debtor, 'clean'],
    ['哈哈哈', debtor, 'clean'],
  ])('%j under %j is %s', (text, parent, verdict) => {
    const a = assess(matcher, text, { kind: 'reply', ...(parent ? { parent } : {}) });
    expect(a.verdict, a.why).toBe(verdict);
    // Read by the model exactly when the parent is on the topic.
    expect(a.probability === null, a.why).toBe(parent === undefined || parent === hiker);
  });
});

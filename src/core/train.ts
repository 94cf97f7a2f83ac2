/**
 * Training the lead model, in Node, deterministically: the same corpus, list and seed give the
 * same bytes. Lines become windows (score.ts `readWindows`, the code assessment runs), evasive
 * copies are added (augment.ts), a logistic regression is fitted with AdaGrad and L2, and weights
 * are quantized to int8 as the list carries them. Long leads are multiple-instance examples: the
 * window that solicits is the positive (the corpus's `solicit` span, else the window the model
 * scores highest after a first round); their other windows don't count.
 */
import { augment, augmentWithSpan, hashString, rng } from './augment';
import type { LabelledText } from './corpus';
import { FeatureBuilder, ngramValue, type FeatureSet } from './features';
import { modelFormat, type Model } from './list-schema';
import type { Matcher } from './matcher';
import { encodeBase64, sigmoid } from './model';
import {
  lexiconFlags,
  modelVerdict,
  prepare,
  readWindows,
  type LexiconFlags,
  type Verdict,
} from './score';

export interface TrainConfig {
  hashBits: number;
  orders: number[];
  /** See the model schema's features.ngramNorm. */
  ngramNorm: number;
  /** See the model schema's features.crosses. */
  crosses: Model['features']['crosses'];
  epochs: number;
  l2: number;
  rate: number;
  seed: number;
  /** Evasive copies per line. */
  copies: number;
  /**
   * Share of an example's features hidden at each step (feature dropout): the model can't lean
   * on one n-gram and learns the other cues beside it.
   */
  dropout: number;
  /** Average the weights at the end of each epoch of the second half (less variance, same size). */
  average: boolean;
  /**
   * Scale each n-gram by its naive-Bayes log-count ratio before fitting (NBSVM, Wang & Manning
   * 2012): robust on small, varied corpora. The ratio is folded into the stored weights.
   */
  nb: boolean;
  /**
   * N-gram buckets seen in fewer training windows than this are left at zero: a phrase one writer
   * used once is memorised, not learned (fastText's minCount).
   */
  minCount: number;
  windows: Model['windows'];
}

export const defaultTrainConfig: TrainConfig = {
  hashBits: 19,
  orders: [1, 2, 3],
  ngramNorm: 0,
  crosses: ['kind'],
  epochs: 6,
  l2: 1e-6,
  rate: 0.2,
  seed: 20261201,
  copies: 1,
  dropout: 0.15,
  average: false,
  nb: false,
  minCount: 1,
  windows: { minBlock: 60, minWindow: 12, maxWindow: 120 },
};

/** The configuration a model was trained with (to retrain it, or hold families out alike). */
export function trainConfigOf(model: Model): TrainConfig {
  return {
    ...defaultTrainConfig,
    hashBits: model.features.hashBits,
    orders: model.features.ngramOrders,
    ngramNorm: model.features.ngramNorm,
    crosses: model.features.crosses,
    windows: model.windows,
    seed: model.training.seed,
    epochs: model.training.epochs,
    l2: model.training.l2,
    ...(model.training.rate !== undefined ? { rate: model.training.rate } : {}),
    ...(model.training.copies !== undefined ? { copies: model.training.copies } : {}),
    ...(model.training.average !== undefined ? { average: model.training.average } : {}),
    ...(model.training.nb !== undefined ? { nb: model.training.nb } : {}),
    ...(model.training.minCount !== undefined ? { minCount: model.training.minCount } : {}),
    // Lists from before the field was recorded were trained without dropout.
    dropout: model.training.dropout ?? 0,
  };
}

export interface LineInfo {
  family: string;
  lead: boolean;
  /** False for evasive copies. */
  original: boolean;
  /** Index of the source line in the input. */
  source: number;
  flags: LexiconFlags;
  first: number;
  count: number;
  /** A long lead without a marked span: its positive window is chosen by the model. */
  mil: boolean;
}

/** Every window of every line as a binary feature vector, with a label and a weight. */
export interface Examples {
  /** Each window's features, its n-grams first. */
  feats: Int32Array;
  offsets: Int32Array;
  /** Per window: how many of its features are n-grams, and what each counts for. */
  ngrams: Int32Array;
  ngramValue: Float64Array;
  y: Uint8Array;
  weight: Float32Array;
  lines: LineInfo[];
  /** Per window: how much it solicits by the rules (to choose a first positive window). */
  asks: Int32Array;
}

class Growable {
  data: Int32Array;
  length = 0;
  constructor(size = 1 << 16) {
    this.data = new Int32Array(size);
  }
  push(values: Int32Array, count: number) {
    if (this.length + count > this.data.length) {
      let size = this.data.length * 2;
      while (this.length + count > size) size *= 2;
      const next = new Int32Array(size);
      next.set(this.data.subarray(0, this.length));
      this.data = next;
    }
    this.data.set(values.subarray(0, count), this.length);
    this.length += count;
  }
}

export function featureModel(config: TrainConfig) {
  const spec: Model = {
    format: modelFormat,
    version: 0,
    features: {
      spec: 'ngram-lex/1',
      hashBits: config.hashBits,
      ngramOrders: config.orders,
      ngramNorm: config.ngramNorm,
      crosses: config.crosses,
    },
    weights: '',
    scale: 1,
    bias: 0,
    thresholds: { lead: 0.5, modelOnly: 0.9, mention: 0.25 },
    windows: config.windows,
    training: {
      trainedAt: new Date(0).toISOString(),
      fingerprint: '0'.repeat(64),
      lines: 0,
      examples: 0,
      families: [],
      seed: config.seed,
      epochs: config.epochs,
      l2: config.l2,
    },
    metrics: {},
  };
  return { spec, builder: new FeatureBuilder(config.hashBits, config.orders) };
}

/** Reads every line (and its evasive copies) into windows. */
export function extractExamples(
  matcher: Matcher,
  lines: readonly LabelledText[],
  config: TrainConfig,
  homophones: Record<string, string[]>,
): Examples {
  const fm = featureModel(config);
  const feats = new Growable();
  const offsets: number[] = [0];
  const y: number[] = [];
  const weight: number[] = [];
  const asks: number[] = [];
  const ngramCounts: number[] = [];
  const ngramValues: number[] = [];
  const infos: LineInfo[] = [];
  lines.forEach((line, source) => {
    const variants: { text: string; solicit?: [number, number]; original: boolean }[] = [
      { text: line.text, ...(line.solicit ? { solicit: line.solicit } : {}), original: true },
    ];
    for (let c = 0; c < config.copies; c++) {
      const random = rng(hashString(line.id, config.seed + c));
      if (line.solicit) {
        const a = augmentWithSpan(line.text, line.solicit, random, homophones);
        variants.push({ text: a.text, solicit: a.span, original: false });
      } else variants.push({ text: augment(line.text, random, homophones).text, original: false });
    }
    for (const v of variants) {
      const options = { kind: line.kind, ...(line.parent ? { parent: line.parent } : {}) };
      const prepared = prepare(matcher, v.text, options);
      const first = y.length;
      const windows: { start: number; end: number; asks: number }[] = [];
      readWindows(
        matcher,
        fm,
        v.text,
        options,
        (set, w) => {
          // N-grams first: the trainer weighs them apart from the named signals.
          const ordered = ngramsFirst(set);
          feats.push(ordered, set.count);
          offsets.push(feats.length);
          ngramCounts.push(set.ngrams);
          ngramValues.push(ngramValue(config.ngramNorm, set.ngrams));
          const s = w.signals;
          windows.push({
            start: w.start,
            end: w.end,
            asks: s.solicitingLures.length + s.contacts.length + s.reachedGuarantees.length,
          });
          y.push(line.lead ? 1 : 0);
          weight.push(1);
          asks.push(windows[windows.length - 1]!.asks);
        },
        prepared,
      );
      const count = windows.length;
      let mil = false;
      if (line.lead && count > 1) {
        // Only the soliciting window of a long lead is a positive; the rest of the post says
        // helpful things that are no evidence either way.
        for (let k = 0; k < count; k++) weight[first + k] = 0;
        if (v.solicit) {
          const [s, e] = v.solicit;
          let chosen = windows
            .map((w, k) => ({ k, w }))
            .filter(({ w }) => w.start <= s && w.end >= e)
            .map(({ k }) => k);
          if (chosen.length === 0) {
            const overlap = windows.map((w) =>
              Math.max(0, Math.min(w.end, e) - Math.max(w.start, s)),
            );
            const most = Math.max(...overlap);
            chosen = most > 0 ? overlap.flatMap((o, k) => (o === most ? [k] : [])) : [];
          }
          if (chosen.length === 0) mil = true;
          for (const k of chosen) weight[first + k] = 1;
        } else mil = true;
        if (mil) weight[first + firstPositive(windows)] = 1;
      }
      infos.push({
        family: line.family,
        lead: line.lead,
        original: v.original,
        source,
        flags: lexiconFlags(prepared),
        first,
        count,
        mil,
      });
    }
  });
  return {
    feats: feats.data.subarray(0, feats.length),
    offsets: Int32Array.from(offsets),
    ngrams: Int32Array.from(ngramCounts),
    ngramValue: Float64Array.from(ngramValues),
    y: Uint8Array.from(y),
    weight: Float32Array.from(weight),
    lines: infos,
    asks: Int32Array.from(asks),
  };
}

let orderedScratch = new Int32Array(256);
function ngramsFirst(set: FeatureSet): Int32Array {
  if (orderedScratch.length < set.count) orderedScratch = new Int32Array(set.count * 2);
  let k = 0;
  for (let i = 0; i < set.count; i++)
    if (set.origin[i]! >= 0) orderedScratch[k++] = set.buckets[i]!;
  for (let i = 0; i < set.count; i++) if (set.origin[i]! < 0) orderedScratch[k++] = set.buckets[i]!;
  return orderedScratch;
}

/** The window that asks most by the rules; the last of equals (asks tend to close a post). */
function firstPositive(windows: { asks: number }[]): number {
  let best = 0;
  windows.forEach((w, k) => {
    if (w.asks >= windows[best]!.asks) best = k;
  });
  return best;
}

export interface Weights {
  w: Float64Array;
  bias: number;
}

/** Fits the logistic regression on the lines `include` accepts. */
export function fit(
  ex: Examples,
  config: TrainConfig,
  include: (line: LineInfo) => boolean = () => true,
): Weights {
  const size = 1 << config.hashBits;
  const w = new Float64Array(size);
  const g2 = new Float64Array(size);
  let bias = 0;
  let gBias = 0;
  const order: number[] = [];
  for (const line of ex.lines) {
    if (!include(line)) continue;
    for (let k = 0; k < line.count; k++)
      if (ex.weight[line.first + k]! > 0) order.push(line.first + k);
  }
  const random = rng(config.seed);
  const { feats, offsets, y } = ex;
  const eps = 1e-8;
  const dropout = config.dropout;
  const scaleKept = 1 / (1 - dropout);
  let keep = new Uint8Array(256);
  const r = config.nb ? nbRatios(ex, order, size) : null;
  const rare = config.minCount > 1 ? rareBuckets(ex, order, size, config.minCount) : null;
  const avg = new Float64Array(config.average ? size : 0);
  let avgBias = 0;
  let snapshots = 0;
  for (let epoch = 0; epoch < config.epochs; epoch++) {
    // Fisher–Yates with the seeded generator: the same order on every machine.
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      const t = order[i]!;
      order[i] = order[j]!;
      order[j] = t;
    }
    for (const e of order) {
      const from = offsets[e]!;
      const to = offsets[e + 1]!;
      if (keep.length < to - from) keep = new Uint8Array((to - from) * 2);
      const split = from + ex.ngrams[e]!;
      const v = ex.ngramValue[e]!;
      let z = bias;
      if (dropout > 0) {
        // Inverted dropout: what stays is scaled so the expected logit is unchanged.
        for (let i = from; i < to; i++) {
          const k = random() >= dropout ? 1 : 0;
          keep[i - from] = k;
          if (k) z += w[feats[i]!]! * scaleKept * (i < split ? v : 1);
        }
      } else if (rare) {
        for (let i = from; i < split; i++) if (!rare[feats[i]!]) z += w[feats[i]!]! * v;
        for (let i = split; i < to; i++) z += w[feats[i]!]!;
      } else if (r) {
        for (let i = from; i < split; i++) z += w[feats[i]!]! * v * r[feats[i]!]!;
        for (let i = split; i < to; i++) z += w[feats[i]!]!;
      } else {
        for (let i = from; i < split; i++) z += w[feats[i]!]! * v;
        for (let i = split; i < to; i++) z += w[feats[i]!]!;
      }
      const g = (sigmoid(z) - y[e]!) * ex.weight[e]!;
      gBias += g * g;
      bias -= (config.rate * g) / Math.sqrt(gBias + eps);
      for (let i = from; i < to; i++) {
        if (dropout > 0 && !keep[i - from]) continue;
        const f = feats[i]!;
        if (rare && i < split && rare[f]) continue;
        const gf =
          (dropout > 0 ? g * scaleKept : g) * (i < split ? v * (r ? r[f]! : 1) : 1) +
          config.l2 * w[f]!;
        const acc = g2[f]! + gf * gf;
        g2[f] = acc;
        w[f] = w[f]! - (config.rate * gf) / Math.sqrt(acc + eps);
      }
    }
    if (config.average && epoch >= Math.floor(config.epochs / 2)) {
      for (let i = 0; i < size; i++) avg[i] = avg[i]! + w[i]!;
      avgBias += bias;
      snapshots++;
    }
  }
  const out = snapshots > 0 ? avg.map((x) => x / snapshots) : w;
  if (r) for (let i = 0; i < size; i++) out[i] = out[i]! * r[i]!;
  return { w: out, bias: snapshots > 0 ? avgBias / snapshots : bias };
}

/** 1 for n-gram buckets in fewer than `min` of the windows in `order`. */
function rareBuckets(
  ex: Examples,
  order: readonly number[],
  size: number,
  min: number,
): Uint8Array {
  const count = new Uint16Array(size);
  for (const e of order) {
    const from = ex.offsets[e]!;
    for (let i = from; i < from + ex.ngrams[e]!; i++) {
      const f = ex.feats[i]!;
      if (count[f]! < 65535) count[f] = count[f]! + 1;
    }
  }
  const rare = new Uint8Array(size);
  for (let i = 0; i < size; i++) if (count[i]! < min) rare[i] = 1;
  return rare;
}

/**
 * Per bucket: log of how much likelier an n-gram is in leads' windows than in benign ones
 * (Laplace-smoothed); 1 for buckets that named features use, so their weights stay as fitted.
 */
function nbRatios(ex: Examples, order: readonly number[], size: number): Float64Array {
  const pos = new Float64Array(size);
  const neg = new Float64Array(size);
  const named = new Uint8Array(size);
  let np = 0;
  let nn = 0;
  for (const e of order) {
    const from = ex.offsets[e]!;
    const split = from + ex.ngrams[e]!;
    const target = ex.y[e] ? pos : neg;
    for (let i = from; i < split; i++) target[ex.feats[i]!] = target[ex.feats[i]!]! + 1;
    for (let i = split; i < ex.offsets[e + 1]!; i++) named[ex.feats[i]!] = 1;
    if (ex.y[e]) np++;
    else nn++;
  }
  const r = new Float64Array(size);
  const a = 1;
  for (let i = 0; i < size; i++) {
    r[i] = named[i] ? 1 : Math.log((pos[i]! + a) / (np + a)) - Math.log((neg[i]! + a) / (nn + a));
  }
  return r;
}

export interface Quantized {
  weights: Int8Array;
  scale: number;
  bias: number;
}

export function quantize({ w, bias }: Weights): Quantized {
  let max = 0;
  for (let i = 0; i < w.length; i++) max = Math.max(max, Math.abs(w[i]!));
  const scale = max > 0 ? max / 127 : 1;
  const weights = new Int8Array(w.length);
  for (let i = 0; i < w.length; i++) weights[i] = Math.round(w[i]! / scale);
  return { weights, scale, bias };
}

/** Each line's probability: its most soliciting window's, under quantized weights. */
export function predictLines(
  ex: Examples,
  q: Quantized,
  which: (line: LineInfo) => boolean,
): Map<number, number> {
  const out = new Map<number, number>();
  ex.lines.forEach((line, index) => {
    if (!which(line)) return;
    let best = -Infinity;
    for (let k = 0; k < line.count; k++) best = Math.max(best, windowLogit(ex, q, line.first + k));
    out.set(index, sigmoid(best));
  });
  return out;
}

function windowLogit(ex: Examples, q: Quantized, e: number): number {
  const from = ex.offsets[e]!;
  const split = from + ex.ngrams[e]!;
  let grams = 0;
  let named = 0;
  for (let i = from; i < split; i++) grams += q.weights[ex.feats[i]!]!;
  for (let i = split; i < ex.offsets[e + 1]!; i++) named += q.weights[ex.feats[i]!]!;
  return q.bias + (grams * ex.ngramValue[e]! + named) * q.scale;
}

/** Round two of multiple-instance learning: each unmarked long lead's best window is its positive. */
export function repickPositives(
  ex: Examples,
  q: Quantized,
  include: (line: LineInfo) => boolean,
): void {
  for (const line of ex.lines) {
    if (!line.mil || !include(line)) continue;
    let best = 0;
    let bestZ = -Infinity;
    for (let k = 0; k < line.count; k++) {
      ex.weight[line.first + k] = 0;
      const z = windowLogit(ex, q, line.first + k);
      if (z > bestZ) {
        bestZ = z;
        best = k;
      }
    }
    ex.weight[line.first + best] = 1;
  }
}

/** Trains on the lines `include` accepts: two rounds, the second with re-chosen positives. */
export function train(
  ex: Examples,
  config: TrainConfig,
  include: (line: LineInfo) => boolean = () => true,
): Quantized {
  const saved = ex.weight.slice();
  const first = quantize(fit(ex, config, include));
  repickPositives(ex, first, include);
  const second = quantize(fit(ex, config, include));
  ex.weight.set(saved);
  return second;
}

export interface Thresholds {
  lead: number;
  modelOnly: number;
  mention: number;
}

export interface Scored {
  lead: boolean;
  p: number;
  flags: LexiconFlags;
}

export const verdictOf = (t: Thresholds, s: Scored): Verdict => modelVerdict(t, s.p, s.flags);

export interface Rates {
  leads: number;
  found: number;
  benign: number;
  falseLeads: number;
  recall: number;
  falseLeadRate: number;
}

export function rates(t: Thresholds, scored: readonly Scored[]): Rates {
  let leads = 0;
  let found = 0;
  let benign = 0;
  let falseLeads = 0;
  for (const s of scored) {
    const lead = verdictOf(t, s) === 'lead';
    if (s.lead) {
      leads++;
      if (lead) found++;
    } else {
      benign++;
      if (lead) falseLeads++;
    }
  }
  return {
    leads,
    found,
    benign,
    falseLeads,
    recall: leads ? found / leads : 1,
    falseLeadRate: benign ? falseLeads / benign : 0,
  };
}

/**
 * Thresholds from held-out predictions: the highest recall whose false-lead rate stays within
 * `maxFalseLeads`; among equals, the higher thresholds (fewer surprises on new text).
 */
export function chooseThresholds(scored: readonly Scored[], maxFalseLeads: number): Thresholds {
  const grid: number[] = [];
  for (let t = 0.2; t < 0.995; t += 0.01) grid.push(Math.round(t * 1000) / 1000);
  let best: { t: Thresholds; recall: number; fpr: number } | null = null;
  for (const lead of grid) {
    for (const modelOnly of grid.filter((m) => m >= lead)) {
      const t = { lead, modelOnly, mention: Math.round(lead * 500) / 1000 };
      const r = rates(t, scored);
      if (r.falseLeadRate > maxFalseLeads) continue;
      if (
        !best ||
        r.recall > best.recall + 1e-12 ||
        (Math.abs(r.recall - best.recall) <= 1e-12 &&
          lead + modelOnly > best.t.lead + best.t.modelOnly)
      ) {
        best = { t, recall: r.recall, fpr: r.falseLeadRate };
      }
    }
  }
  return best?.t ?? { lead: 0.99, modelOnly: 0.999, mention: 0.5 };
}

export interface FamilyResult extends Rates {
  family: string;
}

/**
 * Leave-one-family-out: for each family, a model trained on all the others scores that family's
 * original lines. Returns the held-out scores and the per-family rates at `t` (or at thresholds
 * chosen on the pooled held-out scores).
 */
export function leaveOneFamilyOut(
  ex: Examples,
  config: TrainConfig,
  families: readonly string[] = [...new Set(ex.lines.map((l) => l.family))],
  onFamily?: (family: string, index: number) => void,
): { scored: Map<string, Scored[]>; scoredCopies: Map<string, Scored[]> } {
  const scored = new Map<string, Scored[]>();
  const scoredCopies = new Map<string, Scored[]>();
  families.forEach((family, index) => {
    onFamily?.(family, index);
    const q = train(ex, config, (l) => l.family !== family);
    const p = predictLines(ex, q, (l) => l.family === family);
    const own: Scored[] = [];
    const copies: Scored[] = [];
    for (const [i, prob] of p) {
      const line = ex.lines[i]!;
      const s = { lead: line.lead, p: prob, flags: line.flags };
      (line.original ? own : copies).push(s);
    }
    scored.set(family, own);
    scoredCopies.set(family, copies);
  });
  return { scored, scoredCopies };
}

/** The model section a list carries. */
export function modelSection(
  q: Quantized,
  config: TrainConfig,
  thresholds: Thresholds,
  training: Omit<
    Model['training'],
    'seed' | 'epochs' | 'l2' | 'rate' | 'copies' | 'average' | 'nb'
  >,
  metrics: Record<string, number>,
  version: number,
): Model {
  return {
    format: modelFormat,
    version,
    features: {
      spec: 'ngram-lex/1',
      hashBits: config.hashBits,
      ngramOrders: config.orders,
      ngramNorm: config.ngramNorm,
      crosses: config.crosses,
    },
    weights: encodeBase64(
      new Uint8Array(q.weights.buffer, q.weights.byteOffset, q.weights.byteLength),
    ),
    scale: q.scale,
    bias: q.bias,
    thresholds,
    windows: config.windows,
    training: {
      ...training,
      seed: config.seed,
      epochs: config.epochs,
      l2: config.l2,
      rate: config.rate,
      copies: config.copies,
      average: config.average,
      nb: config.nb,
      minCount: config.minCount,
      dropout: config.dropout,
    },
    metrics,
  };
}

/**
 * The lead model at run time: the list's `model` section decoded once (int8 weights, a scale and a
 * bias) and applied to feature sets from features.ts. A logistic regression: microseconds a window,
 * and every verdict can name the features that made it.
 */
import { FeatureBuilder, ngramValue, type FeatureSet } from './features';
import { ListError, type Model } from './list-schema';

export interface LoadedModel {
  spec: Model;
  weights: Int8Array;
  scale: number;
  bias: number;
  builder: FeatureBuilder;
}

export function decodeBase64(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

export function encodeBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

export function loadModel(spec: Model): LoadedModel {
  const bytes = decodeBase64(spec.weights);
  const size = 1 << spec.features.hashBits;
  if (bytes.length !== size) {
    throw new ListError(
      `model: ${bytes.length} weights for a table of 2^${spec.features.hashBits} = ${size}`,
    );
  }
  return {
    spec,
    weights: new Int8Array(bytes.buffer, bytes.byteOffset, bytes.length),
    scale: spec.scale,
    bias: spec.bias,
    builder: new FeatureBuilder(spec.features.hashBits, spec.features.ngramOrders),
  };
}

export const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/** The model's logit for a feature set. */
export function logit(model: LoadedModel, set: FeatureSet): number {
  const { weights } = model;
  const { buckets, origin } = set;
  let grams = 0;
  let named = 0;
  for (let i = 0; i < set.count; i++) {
    if (origin[i]! >= 0) grams += weights[buckets[i]!]!;
    else named += weights[buckets[i]!]!;
  }
  const v = ngramValue(model.spec.features.ngramNorm, set.ngrams);
  return model.bias + (grams * v + named) * model.scale;
}

export interface Contribution {
  /** Index into the feature set. */
  index: number;
  weight: number;
}

/** The features of a set that pushed its score most, strongest first. */
export function topContributions(
  model: LoadedModel,
  set: FeatureSet,
  limit: number,
): Contribution[] {
  const out: Contribution[] = [];
  const v = ngramValue(model.spec.features.ngramNorm, set.ngrams);
  for (let i = 0; i < set.count; i++) {
    const w = model.weights[set.buckets[i]!]! * model.scale * (set.origin[i]! >= 0 ? v : 1);
    if (w > 0) out.push({ index: i, weight: w });
  }
  return out.sort((a, b) => b.weight - a.weight || a.index - b.index).slice(0, limit);
}

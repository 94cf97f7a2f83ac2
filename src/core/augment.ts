/**
 * Evasion transforms for training: the tricks agents use to get past filters (separators,
 * zero-width characters, homophones, pinyin and initials, traditional characters, full-width
 * letters, emoji, split lines, case), applied alike to leads and to benign text so that
 * obfuscation alone never means lead. Seeded: the same line and seed give the same copy.
 */
import { pinyin } from 'pinyin-pro';
import { hanziFoldPairs } from './fold-data';

/** mulberry32: small, fast, good enough to shuffle and sample deterministically. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function hashString(s: string, seed = 0): number {
  let h = 0x811c9dc5 ^ seed;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

let traditional: Map<string, string> | null = null;
/** Simplified → one traditional spelling (the first the fold data lists). */
function toTraditional(): Map<string, string> {
  if (traditional) return traditional;
  traditional = new Map();
  for (let i = 0; i + 1 < hanziFoldPairs.length; i += 2) {
    const from = hanziFoldPairs[i]!;
    const to = hanziFoldPairs[i + 1]!;
    if (from !== to && /\p{Script=Han}/u.test(from) && !traditional.has(to))
      traditional.set(to, from);
  }
  return traditional;
}

const isHan = (c: string) => /\p{Script=Han}/u.test(c);
const separators = [' ', '*', '/', '.', '·', '-', '丨', '|', '~', '_', '、', '＊', '#'];
const zeroWidth = ['\u200b', '\u200c', '\u200d', '\ufeff', '\u2060'];
const emoji = ['🔥', '✨', '💰', '👉', '❤️', '⭐', '🌟', '✅', '💯', '🙏', '😊', '🉑', '💥'];

export type Transform = (
  text: string,
  random: () => number,
  homophones: Record<string, string[]>,
) => string;

const perChar =
  (insert: (random: () => number) => string, rate: number): Transform =>
  (text, random) => {
    const chars = [...text];
    let out = '';
    for (let i = 0; i < chars.length; i++) {
      out += chars[i];
      if (i + 1 < chars.length && isHan(chars[i]!) && random() < rate) out += insert(random);
    }
    return out;
  };

const pick = <T>(items: readonly T[], random: () => number) =>
  items[Math.floor(random() * items.length)]!;

export const transforms: Record<string, Transform> = {
  separator: perChar((r) => pick(separators, r), 0.25),
  'zero-width': perChar((r) => pick(zeroWidth, r), 0.35),
  emoji: perChar((r) => pick(emoji, r), 0.12),
  'split-line': perChar(() => '\n', 0.05),
  homophone(text, random, homophones) {
    return [...text]
      .map((c) => (homophones[c]?.length && random() < 0.6 ? pick(homophones[c]!, random) : c))
      .join('');
  },
  traditional(text, random) {
    const table = toTraditional();
    return [...text].map((c) => (random() < 0.85 ? (table.get(c) ?? c) : c)).join('');
  },
  fullwidth(text) {
    return text.replace(/[A-Za-z0-9]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
  },
  case(text, random) {
    return text.replace(/[a-z]/g, (c) => (random() < 0.5 ? c.toUpperCase() : c));
  },
  pinyin(text, random) {
    // A few runs of 2–4 hanzi become pinyin, its initials, or half-romanized (zx修复, tingxi挂账).
    const chars = [...text];
    let out = '';
    for (let i = 0; i < chars.length;) {
      if (isHan(chars[i]!) && random() < 0.08) {
        let j = i;
        const len = 2 + Math.floor(random() * 3);
        while (j < chars.length && j - i < len && isHan(chars[j]!)) j++;
        const run = chars.slice(i, j).join('');
        const py = pinyin(run, { toneType: 'none', type: 'array' });
        const mode = random();
        if (mode < 0.4) out += py.join('');
        else if (mode < 0.75) out += py.map((p) => p[0]).join('');
        else out += py[0] + chars.slice(i + 1, j).join('');
        i = j;
      } else out += chars[i++];
    }
    return out;
  },
};

const names = Object.keys(transforms);

/** One evasive copy of `text`: one or two transforms, chosen by `random`. */
export function augment(
  text: string,
  random: () => number,
  homophones: Record<string, string[]>,
): { text: string; applied: string[] } {
  const count = random() < 0.35 ? 2 : 1;
  const applied: string[] = [];
  let out = text;
  for (let k = 0; k < count; k++) {
    const name = pick(names, random);
    if (applied.includes(name)) continue;
    applied.push(name);
    out = transforms[name]!(out, random, homophones);
  }
  return { text: out, applied };
}

/**
 * An evasive copy of a text with a marked span, transformed in three parts so the span's new
 * bounds are known.
 */
export function augmentWithSpan(
  text: string,
  span: [number, number],
  random: () => number,
  homophones: Record<string, string[]>,
): { text: string; span: [number, number] } {
  const seed = Math.floor(random() * 2 ** 32);
  const parts = [text.slice(0, span[0]), text.slice(span[0], span[1]), text.slice(span[1])];
  // The same transforms on each part: one generator per part, seeded alike for the choice.
  const out = parts.map((p) => augment(p, rng(seed), homophones).text);
  return { text: out.join(''), span: [out[0]!.length, out[0]!.length + out[1]!.length] };
}

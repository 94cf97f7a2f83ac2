/**
 * Character folding for matching. Every fold maps one UTF-16 code unit to one code unit, so offsets
 * in folded text are offsets in the original (matching.md §0.2, houbb's design). Astral characters
 * (surrogate pairs) fold through `foldAstral` to one BMP unit or are noise.
 *
 * Word matching folds letters, width, case, traditional/variant hanzi. Numerals are NOT folded here:
 * 三→3 broke 下三滥 in houbb (#84); numbers are folded only in the contact channel (contacts.ts).
 */
import { hanziFoldPairs } from './fold-data';

/** Characters skipped inside a phrase: separators, punctuation, symbols, emoji, zero-width, marks. */
const skipRanges: readonly [number, number][] = [
  [0x00, 0x2f], // controls, space, ASCII punctuation before digits
  [0x3a, 0x40],
  [0x5b, 0x60],
  [0x7b, 0x7f],
  [0x80, 0xbf], // C1 controls, NBSP, Latin-1 punctuation and symbols (incl. soft hyphen, ·)
  [0xd7, 0xd7], // ×
  [0xf7, 0xf7], // ÷
  [0x02b9, 0x02ff], // modifier letters used as marks
  [0x0300, 0x036f], // combining diacritics (征̶信)
  [0x0483, 0x0489],
  [0x115f, 0x1160], // Hangul fillers
  [0x17b4, 0x17b5],
  [0x180b, 0x180f], // Mongolian vowel separator
  [0x1ab0, 0x1aff],
  [0x1dc0, 0x1dff],
  [0x2000, 0x206f], // general punctuation, zero-width, bidi controls, word joiner
  [0x20d0, 0x20ff], // combining marks for symbols (keycap)
  [0x2100, 0x214f], // letterlike symbols (℡ ™)
  [0x2190, 0x23ff], // arrows, math operators, technical
  [0x2400, 0x245f],
  [0x2500, 0x2bff], // box drawing, shapes, misc symbols, dingbats (❤ ➕ ✓ ★ ☎)
  [0x2e00, 0x2e7f], // supplemental punctuation
  [0x2ff0, 0x2fff], // ideographic description
  [0x3000, 0x3004], // ideographic space and punctuation
  [0x3008, 0x3020], // brackets 《》「」【】 〜
  [0x3030, 0x3030],
  [0x303d, 0x303f],
  [0x30fb, 0x30fb], // katakana middle dot
  [0x3164, 0x3164], // Hangul filler
  [0x2800, 0x2800], // braille blank
  [0xfe00, 0xfe0f], // variation selectors
  [0xfe10, 0xfe1f], // vertical forms
  [0xfe20, 0xfe2f],
  [0xfe30, 0xfe6f], // CJK compatibility forms, small form variants
  [0xfeff, 0xfeff], // BOM / zero-width no-break space
  [0xff01, 0xff0f], // full-width punctuation
  [0xff1a, 0xff20],
  [0xff3b, 0xff40],
  [0xff5b, 0xff65],
  [0xffe0, 0xffef],
  [0xfff0, 0xffff],
];

/** Look-alike letters used to dodge Latin filters (Unicode confusables, curated). */
const confusables: Record<string, string> = {
  а: 'a',
  в: 'b',
  е: 'e',
  к: 'k',
  м: 'm',
  н: 'h',
  о: 'o',
  р: 'p',
  с: 'c',
  т: 't',
  у: 'y',
  х: 'x',
  А: 'a',
  В: 'b',
  Е: 'e',
  К: 'k',
  М: 'm',
  Н: 'h',
  О: 'o',
  Р: 'p',
  С: 'c',
  Т: 't',
  Х: 'x',
  ν: 'v',
  ο: 'o',
  α: 'a',
  ρ: 'p',
  τ: 't',
  κ: 'k',
  χ: 'x',
  ι: 'i',
  Α: 'a',
  Β: 'b',
  Ε: 'e',
  Κ: 'k',
  Μ: 'm',
  Ν: 'n',
  Ο: 'o',
  Ρ: 'p',
  Τ: 't',
  Χ: 'x',
  Υ: 'y',
  Ζ: 'z',
};

/** Astral emoji that stand for contact words get private-use stand-ins so lists can name them. */
export const astralProxies: Readonly<Record<number, number>> = {
  0x1f427: 0xe001, // 🐧 QQ
  0x1f6f0: 0xe002, // 🛰 卫星 = 微信
  0x1f4de: 0xe003, // 📞
  0x1f4f1: 0xe004, // 📱
  0x1f49a: 0xe005, // 💚 绿泡泡
};

let foldTable: Uint16Array | null = null;
let skipTable: Uint8Array | null = null;

function build(): void {
  const fold = new Uint16Array(0x10000);
  for (let c = 0; c < 0x10000; c++) fold[c] = c;
  const skip = new Uint8Array(0x10000);
  for (const [lo, hi] of skipRanges) skip.fill(1, lo, hi + 1);
  // Stroke ideographs used as separators in titles and bait (医丨院丨证丨明, 征丶信).
  for (const c of '丨丶乀亅') skip[c.charCodeAt(0)] = 1;
  // Surrogates are decided per pair in the scanner; alone they are noise.
  skip.fill(1, 0xd800, 0xe000);
  for (let c = 0x41; c <= 0x5a; c++) fold[c] = c + 0x20;
  // Full-width ASCII → ASCII (then case).
  for (let c = 0xff01; c <= 0xff5e; c++) {
    const ascii = c - 0xfee0;
    fold[c] = ascii >= 0x41 && ascii <= 0x5a ? ascii + 0x20 : ascii;
  }
  // Compatibility letters (Ⓥ ⓧ ⒱ ᵛ ˣ ﬀ…) and accented pinyin (ā ǘ) fold to plain a–z where NFKC
  // or NFD says so; digits stay digits only when they already are (no ① → 1 here, see header).
  const letterRanges: [number, number][] = [
    [0x00c0, 0x024f],
    [0x1d00, 0x1dbf],
    [0x1e00, 0x1eff],
    [0x2070, 0x209f],
    [0x2460, 0x24ff],
    [0x02b0, 0x02b8],
  ];
  for (const [lo, hi] of letterRanges) {
    for (let c = lo; c <= hi; c++) {
      const ch = String.fromCharCode(c);
      const plain = ch.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
      if (plain.length === 1 && /[a-zA-Z]/.test(plain)) {
        fold[c] = plain.toLowerCase().charCodeAt(0);
        skip[c] = 0;
      }
    }
  }
  for (const [from, to] of Object.entries(confusables)) fold[from.charCodeAt(0)] = to.charCodeAt(0);
  // Plus signs in lures (➕V, ✚v) are one symbol; they stay skippable inside other phrases.
  for (const plus of '➕✚✙╋﹢') fold[plus.charCodeAt(0)] = 0x2b;
  // Kangxi and CJK radicals (⼈ → 人) fold to the unified ideograph NFKC gives.
  for (let c = 0x2e80; c <= 0x2fdf; c++) {
    const n = String.fromCharCode(c).normalize('NFKC');
    if (n.length === 1 && n.charCodeAt(0) >= 0x3400) fold[c] = n.charCodeAt(0);
  }
  for (let i = 0; i + 1 < hanziFoldPairs.length; i += 2) {
    fold[hanziFoldPairs.charCodeAt(i)] = hanziFoldPairs.charCodeAt(i + 1);
  }
  // Chains (radical → traditional → simplified) must end in one step: the fold is idempotent.
  for (let pass = 0; pass < 3; pass++) {
    for (let c = 0; c < 0x10000; c++) fold[c] = fold[fold[c]!]!;
  }
  foldTable = fold;
  skipTable = skip;
}

/** The BMP fold table (code unit → folded code unit). Built once per realm, ~2 ms. */
export function foldTableOf(): Uint16Array {
  if (!foldTable) build();
  return foldTable!;
}

/** 1 where a code unit is a separator/noise character that phrases skip over. */
export function skipTableOf(): Uint8Array {
  if (!skipTable) build();
  return skipTable!;
}

/**
 * Folds an astral code point: styled letters (𝐯 🅥 🇻) → a–z, listed emoji → their stand-ins,
 * anything else (emoji, pictographs) → -1, meaning noise.
 */
export function foldAstral(cp: number): number {
  const proxy = astralProxies[cp];
  if (proxy !== undefined) return proxy;
  if (cp >= 0x1d400 && cp <= 0x1d7ff) {
    const n = String.fromCodePoint(cp).normalize('NFKC');
    if (n.length === 1) {
      const code = n.charCodeAt(0);
      if (code >= 0x41 && code <= 0x5a) return code + 0x20;
      if ((code >= 0x61 && code <= 0x7a) || (code >= 0x30 && code <= 0x39)) return code;
    }
    return -1;
  }
  if (cp >= 0x1f130 && cp <= 0x1f149) return 0x61 + (cp - 0x1f130); // 🄰 squared
  if (cp >= 0x1f150 && cp <= 0x1f169) return 0x61 + (cp - 0x1f150); // 🅐 negative circled
  if (cp >= 0x1f170 && cp <= 0x1f189) return 0x61 + (cp - 0x1f170); // 🅰 negative squared
  if (cp >= 0x1f1e6 && cp <= 0x1f1ff) return 0x61 + (cp - 0x1f1e6); // 🇻 regional indicators
  if (cp >= 0x20000 && cp <= 0x3134f) return -2; // CJK extension ideographs: real text, not noise
  return -1;
}

/** Whether a code unit is noise to the word matcher (given its astral decision where paired). */
export function isSkippable(code: number): boolean {
  return skipTableOf()[code] === 1;
}

/**
 * The folded text, same length as the input: BMP units folded; an astral letter becomes
 * `letter + U+200B`; other astral pairs are kept. Used by patterns and the contact extractor.
 */
let foldScratch = new Uint16Array(1024);
export function foldText(text: string): string {
  const fold = foldTableOf();
  const n = text.length;
  // Scratch space reused between calls: most page text is short, and one array a block adds up.
  if (foldScratch.length < n) foldScratch = new Uint16Array(n * 2);
  const out = foldScratch;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c < 0xdc00 && i + 1 < n) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d < 0xe000) {
        const folded = foldAstral(((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000);
        out[i] = folded >= 0 ? folded : c;
        out[i + 1] = folded >= 0 ? 0x200b : d;
        i++;
        continue;
      }
    }
    out[i] = fold[c]!;
  }
  let result = '';
  for (let i = 0; i < n; i += 0x2000) {
    const end = Math.min(n, i + 0x2000);
    result += String.fromCharCode.apply(null, out.subarray(i, end) as unknown as number[]);
  }
  return result;
}

/** Whether any character of `text` folds to a–z (ｖ, Ⓥ, 𝐯 …): the contact extractor's gate. */
export function mayFoldToLetter(text: string): boolean {
  const fold = foldTableOf();
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    const cp = c >= 0xd800 && c < 0xdc00 ? text.codePointAt(i)! : c;
    if (cp > 0xffff) {
      const folded = foldAstral(cp);
      if (folded >= 0x61 && folded <= 0x7a) return true;
      i++;
      continue;
    }
    const f = fold[c]!;
    if (f >= 0x61 && f <= 0x7a) return true;
  }
  return false;
}

export const isAsciiLetter = (c: number) => (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a);
export const isAsciiDigit = (c: number) => c >= 0x30 && c <= 0x39;

/** Folds a list phrase the way page text is folded, dropping separators (征 信 → 征信). */
export function foldPhrase(phrase: string): string {
  const folded = foldText(phrase.normalize('NFC'));
  const skip = skipTableOf();
  let kept = '';
  for (let i = 0; i < folded.length; i++) {
    const c = folded.charCodeAt(i);
    if (c >= 0xd800 && c < 0xdc00 && i + 1 < folded.length) {
      const cp = folded.codePointAt(i)!;
      const proxy = foldAstral(cp);
      if (proxy >= 0) kept += String.fromCharCode(proxy);
      i++;
      continue;
    }
    if (!skip[c]) kept += folded[i];
  }
  // A phrase made of lure symbols (+v, V❤) keeps them: without them it would be one letter.
  if ([...kept].length < 2) {
    kept = '';
    for (let i = 0; i < folded.length; i++) {
      const c = folded.charCodeAt(i);
      if (c >= 0xd800 && c < 0xdc00) {
        const proxy = foldAstral(folded.codePointAt(i)!);
        if (proxy >= 0) kept += String.fromCharCode(proxy);
        i++;
      } else if (c !== 0x20 && c !== 0x200b && c !== 0xfe0f) kept += folded[i];
    }
  }
  return kept;
}

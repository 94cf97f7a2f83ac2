/**
 * Contact indicators that survive account rotation: phone numbers, QQ numbers, WeChat ids, URLs and
 * domains. Numbers are read in their own channel, where 壹叁捌, ①③⑧, 幺三八, 𝟏, keycaps and
 * full-width digits are digits and spaces, dashes or emoji may sit between them. Word matching never
 * folds numerals (normalize.ts).
 */
import type { ContactType } from './list-schema';
import type { GrammarRuntime } from './grammar';
import { foldText, mayFoldToLetter } from './normalize';

export interface Contact {
  type: ContactType;
  /** Normalized: digits for phone/qq, lower-case id for wechat, lower-case host for url/domain. */
  value: string;
  /** UTF-16 offsets into the original text. */
  start: number;
  end: number;
}

const digitChars: Record<string, string> = {};
const addDigits = (chars: string, from = 0) =>
  [...chars].forEach((c, i) => (digitChars[c] = String((i + from) % 10)));
addDigits('零一二三四五六七八九');
addDigits('〇壹贰叁肆伍陆柒捌玖');
addDigits('⓪①②③④⑤⑥⑦⑧⑨');
addDigits('⑴⑵⑶⑷⑸⑹⑺⑻⑼', 1);
addDigits('⒈⒉⒊⒋⒌⒍⒎⒏⒐', 1);
addDigits('❶❷❸❹❺❻❼❽❾', 1);
addDigits('➀➁➂➃➄➅➆➇➈', 1);
addDigits('➊➋➌➍➎➏➐➑➒', 1);
addDigits('㈠㈡㈢㈣㈤㈥㈦㈧㈨', 1);
addDigits('㊀㊁㊂㊃㊄㊅㊆㊇㊈', 1);
addDigits('⓵⓶⓷⓸⓹⓺⓻⓼⓽', 1);
addDigits('⁰¹²³⁴⁵⁶⁷⁸⁹');
addDigits('₀₁₂₃₄₅₆₇₈₉');
addDigits('０１２３４５６７８９');
digitChars['幺'] = '1'; // spoken phone style: 幺三八
digitChars['两'] = '2';
digitChars['洞'] = '0';
addDigits('❿', 0);
digitChars['⑩'] = '';

/** Characters that may sit between the digits of one number. */
const numberGapChars = new Set(
  [
    ...' \t\n\r\u00a0\u3000-–—_.·•,，、。:：/|~～*#+()（）\u200b\u200c\u200d\u200e\u200f\u2060\ufe0f\u20e3',
  ].map((c) => c.charCodeAt(0)),
);
/** Digit value per code unit (BMP), -1 for non-digits: one lookup in the hot loop. */
const digitOf = new Int8Array(0x10000).fill(-1);
for (let c = 0x30; c <= 0x39; c++) digitOf[c] = c - 0x30;
for (const [ch, d] of Object.entries(digitChars)) {
  if (d !== '' && ch.length === 1) digitOf[ch.charCodeAt(0)] = Number(d);
}

interface DigitRun {
  digits: string;
  /** Original offset of each digit. */
  starts: number[];
  ends: number[];
  /** Whether any digit was written other than as 0–9 (Chinese numerals, circled …). */
  disguised: boolean;
}

/** Maximal runs of digit-like characters, allowing up to two separator characters between them. */
export function digitRuns(text: string): DigitRun[] {
  const runs: DigitRun[] = [];
  let current: DigitRun | null = null;
  let gap = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    let digit = digitOf[c]!;
    let width = 1;
    let astral = false;
    if (c >= 0xd800 && c < 0xdc00 && i + 1 < n) {
      const cp = text.codePointAt(i)!;
      if (cp > 0xffff) {
        width = 2;
        astral = true;
        digit = cp >= 0x1d7ce && cp <= 0x1d7ff ? (cp - 0x1d7ce) % 10 : -1;
      }
    }
    if (digit >= 0) {
      if (!current) current = { digits: '', starts: [], ends: [], disguised: false };
      current.digits += String(digit);
      current.starts.push(i);
      current.ends.push(i + width);
      if (c < 0x30 || c > 0x39) current.disguised = true;
      gap = 0;
    } else if (
      current &&
      gap < 2 &&
      (numberGapChars.has(c) || astral || (c >= 0x2600 && c <= 0x27bf))
    ) {
      gap++; // separators and emoji between digits (1 3 8 🔥0 0 …)
    } else if (current) {
      runs.push(current);
      current = null;
      gap = 0;
    }
    i += width - 1;
  }
  if (current) runs.push(current);
  return runs;
}

const wechatId = /(?<![a-z0-9_-])[a-z][a-z0-9_-]{5,19}(?![a-z0-9_-])/gu;

/**
 * Contacts in `text`. Numbers and ids count when a lure word precedes them (or a phone number is
 * phone-shaped); `isListed` lets a list's own contacts count wherever they stand.
 */
export function extractContacts(
  text: string,
  grammar: GrammarRuntime,
  isListed: (type: ContactType, value: string) => boolean = () => false,
  /** The text folded (`foldText`), when the caller folds it anyway. */
  foldedText?: () => string,
): Contact[] {
  const { qq: qqLure, wechat: wechatLure, telegram: telegramHandle } = grammar.contactLeadIns;
  const urlPattern = grammar.urlPattern;
  // Most page text has neither a number nor a letter: it needs no folding (bench:page).
  const runs = digitRuns(text);
  const letters = mayFoldToLetter(text);
  if (runs.length === 0 && !letters) return [];
  let own: string | null = null;
  const folded = foldedText ?? (() => (own ??= foldText(text)));
  const before = (start: number) => folded().slice(Math.max(0, start - 12), start);
  const contacts: Contact[] = [];
  for (const run of runs) {
    let digits = run.digits;
    let offset = 0;
    if (digits.length === 13 && digits.startsWith('86')) {
      digits = digits.slice(2);
      offset = 2;
    }
    const phone = /^1[3-9]\d{9}$/.test(digits);
    // Chinese numerals in ordinary prose (一二三…) only count when the run looks like a number.
    if (run.disguised && !phone && digits.length < 5) continue;
    if (grammar.officialNumbers.has(digits)) continue;
    const end = run.ends[run.ends.length - 1]!;
    const at = { start: run.starts[offset]!, end };
    if (phone) contacts.push({ type: 'phone', value: digits, ...at });
    else if (/^[1-9]\d{4,10}$/.test(digits) && qqLure.test(before(run.starts[0]!)))
      contacts.push({ type: 'qq', value: digits, ...at });
    else if (digits.length >= 6 && wechatLure.test(before(run.starts[0]!)))
      contacts.push({ type: 'wechat', value: digits, ...at });
    else {
      const listed = (['qq', 'wechat'] as const).find((type) => isListed(type, digits));
      if (listed) contacts.push({ type: listed, value: digits, ...at });
    }
  }
  // WeChat ids, Telegram handles and URLs all hold a letter.
  if (!letters) return contacts.sort((a, b) => a.start - b.start || a.end - b.end);
  for (const m of folded().matchAll(wechatId)) {
    const start = m.index;
    const isUrlPart = urlPattern.test(m[0]);
    urlPattern.lastIndex = 0;
    if (isUrlPart || (!wechatLure.test(before(start)) && !isListed('wechat', m[0]))) continue;
    contacts.push({ type: 'wechat', value: m[0], start, end: start + m[0].length });
  }
  telegramHandle.lastIndex = 0;
  for (const m of folded().matchAll(telegramHandle)) {
    const start = m.index + m[0].length - m[1]!.length;
    if (contacts.some((c) => c.start <= start && start < c.end)) continue;
    contacts.push({ type: 'telegram', value: m[1]!, start, end: start + m[1]!.length });
  }
  urlPattern.lastIndex = 0;
  for (const m of folded().matchAll(urlPattern)) {
    const host = m[1]!.replace(/^www\./, '');
    const start = m.index;
    const hasScheme = m[0].startsWith('http');
    contacts.push({
      type: hasScheme || m[2] ? 'url' : 'domain',
      value: hasScheme || m[2] ? `${host}${m[2] ?? ''}` : host,
      start,
      end: start + m[0].length,
    });
  }
  return contacts.sort((a, b) => a.start - b.start || a.end - b.end);
}

/** The host a contact points at, for matching url/domain entries against each other. */
export function contactHost(contact: Pick<Contact, 'type' | 'value'>): string | null {
  if (contact.type !== 'url' && contact.type !== 'domain') return null;
  return contact.value.split('/')[0]!.replace(/^www\./, '');
}

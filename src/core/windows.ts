/**
 * Long texts are assessed in windows. A spammer controls how long a block is, and one assessment of
 * a whole wall of text is one long task on the page (issue 10: 100k characters took 6.3 s); in
 * windows the work is a series of short steps a caller can spread over its time slices, and its
 * cost grows with the text's length, not faster.
 *
 * Windows overlap by `overlap` units, more than the longest match can span, so a match cut by one
 * window's end is seen whole in the next. Matches, contacts and cues found twice in an overlap are
 * reported once. The verdict is the strongest window's: a lead anywhere makes the block a lead.
 * Context words act within a window (a warning 10,000 characters away no longer softens a lure).
 */
import { isTopicCategory } from './list-schema';
import type { Assessment, AssessOptions } from './score';

/** Texts up to this long are assessed whole, as before: every comment, post and bio in practice. */
export const WINDOW = 4_000;
/**
 * A phrase of 64 characters with 3 skipped characters between each spans 253 units; patterns span
 * at most 96 (pattern.ts).
 */
export const OVERLAP = 256;

export interface TextWindow {
  start: number;
  end: number;
}

/** [start, end) windows covering `length` units, each starting `overlap` before the last ends. */
export function textWindows(length: number, size = WINDOW, overlap = OVERLAP): TextWindow[] {
  if (size <= overlap) throw new RangeError('a window must be longer than its overlap');
  if (length <= size) return [{ start: 0, end: length }];
  const out: TextWindow[] = [];
  for (let start = 0; ; start += size - overlap) {
    const end = Math.min(length, start + size);
    out.push({ start, end });
    if (end === length) return out;
  }
}

export type Assess = (text: string, options: AssessOptions) => Assessment;

const rank = { clean: 0, mention: 1, lead: 2 } as const;

/**
 * Assesses `text` one window per step: each `next()` assesses one window and folds it into the
 * result, so no step costs more than a window's worth, and the generator returns the merged
 * assessment. A text that fits one window is assessed whole in one step.
 */
export function* assessInWindows(
  assess: Assess,
  text: string,
  options: AssessOptions = {},
  size = WINDOW,
  overlap = OVERLAP,
): Generator<TextWindow, Assessment, void> {
  const windows = textWindows(text.length, size, overlap);
  if (windows.length === 1) return assess(text, options);
  const merged = new WindowMerge();
  for (const w of windows) {
    merged.add(w.start, assess(text.slice(w.start, w.end), options));
    yield w;
  }
  return merged.result();
}

type Found = { start: number; end: number };

/**
 * One assessment from the assessments of a text's windows, in order (offsets into the whole
 * text). A window's finds can only repeat the last window's in their overlap, so each window is
 * merged in time proportional to its own finds.
 */
export class WindowMerge {
  private best: Assessment | null = null;
  private bestOffset = 0;
  private readonly matches: Assessment['matches'] = [];
  private readonly contacts: Assessment['contacts'] = [];
  private readonly context: Assessment['context'] = [];
  private readonly categories = new Set<Assessment['categories'][number]>();
  private windows = 0;
  private leads = 0;

  add(offset: number, a: Assessment): void {
    this.windows++;
    if (a.verdict === 'lead') this.leads++;
    const best = this.best;
    if (!best || stronger(a, best)) {
      this.best = a;
      this.bestOffset = offset;
    }
    for (const c of a.categories) this.categories.add(c);
    // The window's assessment is this merge's own: its finds move to whole-text offsets in place.
    const shift = (x: Found) => {
      x.start += offset;
      x.end += offset;
    };
    a.matches.forEach(shift);
    a.contacts.forEach(shift);
    a.context.forEach(shift);
    append(this.matches, a.matches, offset, (m) => `${m.ruleId}\u0000${m.start}\u0000${m.end}`);
    append(this.contacts, a.contacts, offset, (c) => `${c.type}\u0000${c.value}\u0000${c.start}`);
    append(this.context, a.context, offset, (c) => `${c.ruleId}\u0000${c.start}\u0000${c.end}`);
  }

  result(): Assessment {
    const best = this.best!;
    // Topic categories first, as the scorer orders them.
    const categories = [...this.categories].sort(
      (a, b) => Number(isTopicCategory(b)) - Number(isTopicCategory(a)),
    );
    const why =
      `长文本分 ${this.windows} 段评估（${this.leads} 段为引流线索），最强一段：` + best.why;
    // The stretch the verdict rests on, in whole-text offsets.
    const window = best.window
      ? { start: best.window.start + this.bestOffset, end: best.window.end + this.bestOffset }
      : undefined;
    return {
      verdict: best.verdict,
      score: best.score,
      probability: best.probability,
      categories,
      matches: this.matches,
      contacts: this.contacts,
      context: this.context,
      ...(best.account ? { account: best.account } : {}),
      ...(window ? { window } : {}),
      ...(best.features ? { features: best.features } : {}),
      why,
    };
  }
}

/** The verdict first, then the model's probability where there is one, then the score. */
function stronger(a: Assessment, b: Assessment): boolean {
  if (rank[a.verdict] !== rank[b.verdict]) return rank[a.verdict] > rank[b.verdict];
  if (a.probability !== null && b.probability !== null && a.probability !== b.probability)
    return a.probability > b.probability;
  return a.score > b.score;
}

/**
 * Appends a window's finds (sorted by start, all at or after `from`) to `into` (sorted), dropping
 * the ones the last window already had: only `into`'s tail from `from` on can overlap them.
 */
function append<T extends Found>(into: T[], found: T[], from: number, key: (x: T) => string): void {
  let tail = into.length;
  while (tail > 0 && into[tail - 1]!.start >= from) tail--;
  if (tail === into.length) {
    for (const x of found) into.push(x);
    return;
  }
  const overlap = into.splice(tail);
  const last = overlap[overlap.length - 1]!.start;
  const seen = new Set(overlap.map(key));
  const fresh = found.filter((x) => x.start > last || !seen.has(key(x)));
  const merged = overlap.concat(fresh).sort((a, b) => a.start - b.start || a.end - b.end);
  for (const x of merged) into.push(x);
}

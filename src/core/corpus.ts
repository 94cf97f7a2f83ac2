/**
 * Labelled text, the format the lead model trains and is judged on: JSON Lines, one object a line.
 * A corpus file is one writer family (its file name); leave-one-family-out evaluation holds a whole
 * family out, so nothing a writer habitually says can leak from training into the test.
 */
import { z } from 'zod';
import { blockKinds, type AssessKind } from './score';

export const CorpusLine = z.object({
  id: z.string().min(1).max(128),
  text: z.string().min(1).max(20_000),
  label: z.enum(['lead', 'mention', 'clean']),
  category: z.string().max(32),
  evasion: z.string().max(32),
  /** Genre (ad, news, victim, question …). */
  kind: z.string().max(32),
  /** The obfuscated phrase a found lead's matches should cover. */
  cover: z.string().max(200).optional(),
  platform: z.string().max(32).optional(),
  /** Where on the page the text sits; older corpora leave it out. */
  block: z.enum(blockKinds).optional(),
  /** Leads: the exact part of the text that solicits (long posts). */
  solicit: z.string().max(2_000).optional(),
  /** Replies: the text they answer. */
  parent: z.string().max(20_000).optional(),
});
export type CorpusLine = z.infer<typeof CorpusLine>;

/** A corpus line with its family, ready for training or evaluation. */
export interface LabelledText {
  id: string;
  text: string;
  lead: boolean;
  family: string;
  kind: AssessKind;
  parent?: string;
  /** [start, end) of the soliciting part of a lead, when the corpus marks it. */
  solicit?: [number, number];
  line: CorpusLine;
}

/** The page position of a line: its `block`, else a guess from older corpora's genres. */
export function kindOf(line: CorpusLine): AssessKind {
  if (line.block) return line.block;
  if (line.kind === 'reply') return 'reply';
  if (line.kind === 'bio') return 'bio';
  if (line.kind === 'live') return 'danmaku';
  return line.text.length >= 120 ? 'post' : 'comment';
}

export function labelled(line: CorpusLine, family: string): LabelledText {
  const at = line.solicit ? line.text.indexOf(line.solicit) : -1;
  return {
    id: line.id,
    text: line.text,
    lead: line.label === 'lead',
    family,
    kind: kindOf(line),
    ...(line.parent ? { parent: line.parent } : {}),
    ...(at >= 0 ? { solicit: [at, at + line.solicit!.length] as [number, number] } : {}),
    line,
  };
}

/** Parses a corpus file's text; a bad line is an error naming the file and line. */
export function parseCorpus(text: string, file: string): CorpusLine[] {
  const out: CorpusLine[] = [];
  text.split('\n').forEach((raw, i) => {
    if (!raw.trim()) return;
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch (error) {
      throw new Error(`${file}:${i + 1}: not JSON (${(error as Error).message})`, { cause: error });
    }
    const parsed = CorpusLine.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new Error(`${file}:${i + 1}: ${issue.path.join('.') || '(line)'}: ${issue.message}`);
    }
    out.push(parsed.data);
  });
  return out;
}

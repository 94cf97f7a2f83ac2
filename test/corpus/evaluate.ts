/**
 * Detection quality on the labelled corpus: lead recall, false-lead rate on benign text (mentions
 * and clean lines), and whether each lead's reported matches cover its obfuscated phrase.
 * Used by the unit test (targets) and by `npm run eval` (prints the misses for review).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { compileList } from '../../src/core/compile-list';
import { defaultList } from '../../src/core/default-list';
import { loadMatcher, type Matcher } from '../../src/core/matcher';
import { assess, type Assessment } from '../../src/core/score';

export const CorpusLine = z.object({
  id: z.string(),
  text: z.string(),
  label: z.enum(['lead', 'mention', 'clean']),
  category: z.string(),
  evasion: z.string(),
  kind: z.string(),
  cover: z.string().optional(),
});
export type CorpusLine = z.infer<typeof CorpusLine>;

export function readCorpus(file = join(import.meta.dirname, 'labelled.jsonl')): CorpusLine[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l, i) => {
      const parsed = CorpusLine.safeParse(JSON.parse(l));
      if (!parsed.success) throw new Error(`${file}:${i + 1}: ${parsed.error.message}`);
      return parsed.data;
    });
}

export interface Evaluation {
  leads: number;
  leadsFound: number;
  benign: number;
  falseLeads: number;
  /** Leads found whose matches don't cover the labelled obfuscated phrase. */
  uncovered: number;
  recall: number;
  falseLeadRate: number;
  misses: { line: CorpusLine; result: Assessment }[];
  falseAlarms: { line: CorpusLine; result: Assessment }[];
  notCovering: { line: CorpusLine; result: Assessment }[];
  /** Mentions assessed clean or clean lines assessed mention (not errors for the targets). */
  confusion: Record<string, number>;
}

export function evaluate(lines: CorpusLine[], matcher: Matcher = loadMatcher(compileList(defaultList()))): Evaluation {
  const e: Evaluation = {
    leads: 0,
    leadsFound: 0,
    benign: 0,
    falseLeads: 0,
    uncovered: 0,
    recall: 0,
    falseLeadRate: 0,
    misses: [],
    falseAlarms: [],
    notCovering: [],
    confusion: {},
  };
  for (const line of lines) {
    const result = assess(matcher, line.text);
    const cell = `${line.label}→${result.verdict}`;
    e.confusion[cell] = (e.confusion[cell] ?? 0) + 1;
    if (line.label === 'lead') {
      e.leads++;
      if (result.verdict !== 'lead') {
        e.misses.push({ line, result });
        continue;
      }
      e.leadsFound++;
      const cover = line.cover ?? '';
      const at = line.text.indexOf(cover);
      const covered =
        cover === '' ||
        result.matches.some((m) => m.start <= at && m.end >= at + cover.length) ||
        // A phrase the corpus marks as one cover may be reported as adjacent matches (代理 + 退保).
        coveredByUnion(result, at, at + cover.length);
      if (!covered) {
        e.uncovered++;
        e.notCovering.push({ line, result });
      }
    } else {
      e.benign++;
      if (result.verdict === 'lead') {
        e.falseLeads++;
        e.falseAlarms.push({ line, result });
      }
    }
  }
  e.recall = e.leads ? e.leadsFound / e.leads : 1;
  e.falseLeadRate = e.benign ? e.falseLeads / e.benign : 0;
  return e;
}

function coveredByUnion(result: Assessment, start: number, end: number): boolean {
  const spans = result.matches
    .filter((m) => m.end > start && m.start < end)
    .sort((a, b) => a.start - b.start);
  let reach = start;
  for (const m of spans) {
    if (m.start > reach) return false;
    reach = Math.max(reach, m.end);
  }
  return reach >= end;
}

if (process.argv[1]?.endsWith('evaluate.ts')) {
  const file = process.argv[2];
  const e = evaluate(readCorpus(file));
  const show = (title: string, items: { line: CorpusLine; result: Assessment }[]) => {
    console.log(`\n${title} (${items.length})`);
    for (const { line, result } of items) {
      console.log(`  ${line.id} [${line.kind}/${line.evasion}] ${JSON.stringify(line.text)}\n    → ${result.verdict} ${result.why}`);
    }
  };
  show('missed leads', e.misses);
  show('false leads', e.falseAlarms);
  show('leads whose matches miss the labelled phrase', e.notCovering);
  console.log('\nconfusion', e.confusion);
  console.log(
    `lead recall ${e.recall.toFixed(3)} (${e.leadsFound}/${e.leads}), false-lead rate ${e.falseLeadRate.toFixed(3)} (${e.falseLeads}/${e.benign}), uncovered ${e.uncovered}`,
  );
}

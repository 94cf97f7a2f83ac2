import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { evaluate, readCorpus } from '../../corpus/evaluate';

const corpus = (name: string) => join(import.meta.dirname, '../../corpus', name);

describe.each([
  ['labelled.jsonl', 500, 200],
  // Written separately, from the taxonomy alone; consulted once to find gaps (see README).
  ['holdout.jsonl', 200, 80],
  // A second blind set: 0.887 recall / 0.025 false leads before it was consulted (README).
  ['blind.jsonl', 150, 60],
  // A third: 0.953 recall / 0.042 false leads before it was consulted (README).
  ['final-blind.jsonl', 150, 60],
  // A fourth: 0.900 recall / 0.008 false leads before it was consulted (README).
  ['blind-4.jsonl', 150, 60],
  // A fifth: 0.912 recall / 0.017 false leads before it was consulted (README).
  ['blind-5.jsonl', 150, 60],
  // A sixth: 0.950 recall / 0.036 false leads before it was consulted (README).
  ['blind-6.jsonl', 150, 60],
  // A seventh: 0.971 recall / 0.015 false leads before it was consulted (README).
  ['blind-7.jsonl', 150, 60],
  // An eighth, across platform registers: 0.900 recall / 0.038 false leads before it was consulted.
  ['blind-8.jsonl', 150, 60],
  // A ninth, comment-thread replies and bios: 0.957 recall / 0.038 false leads before it was consulted.
  ['blind-9.jsonl', 150, 60],
])('detection quality on %s', (file, minLines, minLeads) => {
  const lines = readCorpus(corpus(file));
  const e = evaluate(lines);

  it('has a corpus of several hundred labelled lines of every kind', () => {
    expect(lines.length).toBeGreaterThanOrEqual(minLines);
    expect(e.leads).toBeGreaterThanOrEqual(minLeads);
    expect(
      new Set(lines.filter((l) => l.label === 'lead').map((l) => l.evasion)).size,
    ).toBeGreaterThanOrEqual(10);
  });

  it('finds at least 97 % of leads', () => {
    expect(e.recall, e.misses.map((m) => m.line.id).join(' ')).toBeGreaterThanOrEqual(0.97);
  });

  it('calls at most 1 % of benign lines (warnings, news, victims, official, hard negatives) leads', () => {
    expect(e.falseLeadRate, e.falseAlarms.map((m) => m.line.id).join(' ')).toBeLessThanOrEqual(
      0.01,
    );
  });

  it("reports matches that cover each found lead's obfuscated phrase", () => {
    // Covered: one match spans the labelled phrase, or adjacent matches do with only separators
    // between them. The few left are long verbatim hooks the list holds in pieces.
    expect(
      e.uncovered / e.leadsFound,
      e.notCovering.map((m) => m.line.id).join(' '),
    ).toBeLessThanOrEqual(0.05);
  });
});

/**
 * What a content script sends to file a report (the draft) and what it gets back. Kept apart from
 * the filing code so content scripts import only these schemas, not the outbox.
 */
import { z } from 'zod';
import { evidenceFiles, reportSources } from '../core/report';

const short = (max: number) => z.string().max(max);

/** What a content script knows of the block it reports. */
export const ReportDraft = z.object({
  platform: z.string().regex(/^[a-z][a-z0-9-]{0,31}$/),
  account: z
    .object({ id: short(200).min(1), handle: short(200).nullable(), url: short(4096).nullable() })
    .nullable(),
  pageUrl: z.string().url().max(8192),
  text: z.string().max(200_000),
  verdict: z.enum(['lead', 'mention', 'clean']),
  categories: z.array(short(40)).max(20),
  matches: z
    .array(
      z.object({
        ruleId: short(200),
        category: short(40).nullable(),
        start: z.number().int().nonnegative(),
        end: z.number().int().nonnegative(),
        text: short(500),
      }),
    )
    .max(200),
  contacts: z.array(z.object({ type: short(20), value: short(200) })).max(50),
  score: z.number().finite(),
  probability: z.number().min(0).max(1).nullable(),
  list: z.object({ id: short(200), version: z.number().int().nonnegative() }),
  reason: z.object({ preset: short(40), note: short(2000) }),
  source: z.enum(reportSources),
  /** The block's sanitized HTML (src/page/snippet.ts). */
  snippet: z.string().max(evidenceFiles.snippet.maxBytes).nullable(),
});
export type ReportDraft = z.infer<typeof ReportDraft>;

export const FiledReport = z.object({
  id: z.string(),
  omitted: z.array(z.object({ kind: z.string(), reason: z.string() })),
});
export type FiledReport = z.infer<typeof FiledReport>;

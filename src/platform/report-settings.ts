/**
 * Report settings (options page): the report server and the reporter's token and identity, which
 * evidence is sent, how long delivered evidence is kept, the outbox's storage cap, and the server
 * keys receipts are checked against. Content scripts see only `ReportPrefs` (never the token).
 */
import { storage } from 'wxt/utils/storage';
import { z } from 'zod';

export const EvidenceChoice = z.object({
  screenshot: z.boolean(),
  snippet: z.boolean(),
  /** MHTML of the page (Chromium's pageCapture, an optional permission asked when enabled). */
  mhtml: z.boolean(),
});
export type EvidenceChoice = z.infer<typeof EvidenceChoice>;

export const ReportSettings = z.object({
  /** The report server's base URL (the API is under /v1/); empty until set. */
  serverUrl: z
    .string()
    .trim()
    .max(2000)
    .refine((u) => u === '' || /^https?:\/\/[^\s]+$/.test(u), 'the server is an http(s) URL'),
  token: z.string().trim().max(200),
  reporter: z.object({
    name: z.string().trim().max(100),
    org: z.string().trim().max(200),
    contact: z.string().trim().max(200),
  }),
  evidence: EvidenceChoice,
  /** The first report showed what is sent and the user confirmed it. */
  disclosureAccepted: z.boolean(),
  /** Days delivered evidence is kept before it is pruned (the report and its hashes stay). */
  retentionDays: z.number().int().min(1).max(3650),
  /** The outbox's cap on evidence held, in MB. */
  maxStorageMB: z.number().int().min(1).max(100_000),
  /** Seconds an upload may take before it is abandoned and retried. */
  timeoutSeconds: z.number().int().min(1).max(600),
  /** Server keys receipts are verified with (the first server key seen is pinned). */
  receiptKeys: z.array(z.string().max(100)).max(8),
});
export type ReportSettings = z.infer<typeof ReportSettings>;

export const defaultReportSettings: ReportSettings = {
  serverUrl: '',
  token: '',
  reporter: { name: '', org: '', contact: '' },
  evidence: { screenshot: true, snippet: true, mhtml: false },
  disclosureAccepted: false,
  retentionDays: 30,
  maxStorageMB: 500,
  timeoutSeconds: 30,
  receiptKeys: [],
};

const settingsItem = storage.defineItem<unknown>('local:report-settings', {
  fallback: defaultReportSettings,
});

export async function readReportSettings(): Promise<ReportSettings> {
  const raw = await settingsItem.getValue();
  const parsed = ReportSettings.safeParse({
    ...defaultReportSettings,
    ...(typeof raw === 'object' && raw ? raw : {}),
  });
  return parsed.success ? parsed.data : defaultReportSettings;
}

export async function writeReportSettings(
  update: Partial<ReportSettings>,
): Promise<ReportSettings> {
  const next = ReportSettings.parse({ ...(await readReportSettings()), ...update });
  await settingsItem.setValue(next);
  return next;
}

/** What a content script may know and change: the disclosure and the evidence choice. */
export const ReportPrefs = z.object({
  disclosureAccepted: z.boolean(),
  evidence: EvidenceChoice,
  /** Whether a server and token are set (reports are queued either way). */
  configured: z.boolean(),
});
export type ReportPrefs = z.infer<typeof ReportPrefs>;

export async function readReportPrefs(): Promise<ReportPrefs> {
  const s = await readReportSettings();
  return {
    disclosureAccepted: s.disclosureAccepted,
    evidence: s.evidence,
    configured: s.serverUrl !== '' && s.token !== '',
  };
}

/** The last time the outbox could not take a report for want of space, for the history page. */
const storageFullItem = storage.defineItem<unknown>('local:report-storage-full', {
  fallback: null,
});
export const StorageFull = z.object({ at: z.number(), message: z.string() }).nullable();

export async function noteStorageFull(message: string | null, now = Date.now): Promise<void> {
  await storageFullItem.setValue(message === null ? null : { at: now(), message });
}

export async function readStorageFull(): Promise<z.infer<typeof StorageFull>> {
  const parsed = StorageFull.safeParse(await storageFullItem.getValue());
  return parsed.success ? parsed.data : null;
}

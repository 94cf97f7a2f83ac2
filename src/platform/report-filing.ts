/**
 * Filing a report in the background: the content script sends what it knows of the block (the
 * draft), the background adds what only it may know or do (the reporter from the options, the
 * active list, the screenshot, the MHTML), checks the whole against the report schema and hands it
 * to the outbox. Evidence the user keeps on but that can't be had is recorded with the reason.
 */
import { browser, type Browser } from 'wxt/browser';
import {
  contentUrl,
  evidenceFiles,
  evidenceRef,
  issuesInWords,
  MAX_TEXT_CHARS,
  Report,
  REPORT_FORMAT,
  type EvidenceKind,
  type EvidenceRef,
} from '../core/report';
import type { FiledReport, ReportDraft } from './report-draft';
import { db } from './db';
import { captureMhtml, captureScreenshot } from './capture';
import { enqueue, kick, type Artifact } from './outbox';
import { readReportSettings } from './report-settings';

export async function fileReport(
  draft: ReportDraft,
  sender: Browser.runtime.MessageSender,
  now = () => new Date(),
): Promise<FiledReport> {
  const tab = sender.tab;
  if (tab?.id === undefined) throw new Error('举报必须来自一个标签页');
  const settings = await readReportSettings();
  const artifacts: Artifact[] = [];
  const omitted: { kind: EvidenceKind; reason: string }[] = [];
  const add = (kind: EvidenceKind, captured: { bytes: Uint8Array } | { reason: string }) => {
    if ('bytes' in captured)
      artifacts.push({ name: evidenceFiles[kind].name, kind, bytes: captured.bytes });
    else omitted.push({ kind, reason: captured.reason });
  };
  // The screenshot first, while the block is outlined and nothing else has changed on screen.
  if (settings.evidence.screenshot) add('screenshot', await captureScreenshot(tab));
  if (settings.evidence.snippet) {
    if (draft.snippet) add('snippet', { bytes: new TextEncoder().encode(draft.snippet) });
    else omitted.push({ kind: 'snippet', reason: '这段内容没有可保存的 HTML' });
  }
  if (settings.evidence.mhtml) add('mhtml', await captureMhtml(tab.id));

  const active = await db.active.get('active');
  const evidence: EvidenceRef[] = [];
  for (const a of artifacts) evidence.push(await evidenceRef(a.kind, a.bytes));
  const candidate = {
    format: REPORT_FORMAT,
    idempotencyKey: crypto.randomUUID(),
    clientTime: now().toISOString(),
    reporter: settings.reporter,
    platform: draft.platform,
    account: draft.account,
    contentUrl: contentUrl(draft.pageUrl),
    text: draft.text.slice(0, MAX_TEXT_CHARS),
    textTruncated: draft.text.length > MAX_TEXT_CHARS,
    verdict: draft.verdict,
    categories: draft.categories,
    matches: draft.matches,
    ruleIds: [...new Set(draft.matches.map((m) => m.ruleId))],
    contacts: draft.contacts,
    score: draft.score,
    probability: draft.probability,
    list: active
      ? { id: active.listId, version: active.listVersion, sha256: active.matcherSha256 }
      : { ...draft.list, sha256: null },
    reason: draft.reason,
    source: draft.source,
    evidence,
    omitted,
    client: { name: 'leadguard', version: browser.runtime.getManifest().version },
  };
  const parsed = Report.safeParse(candidate);
  if (!parsed.success) throw new Error(`举报内容不完整：${issuesInWords(parsed.error)}`);
  const record = await enqueue(parsed.data, artifacts);
  kick();
  return { id: record.id, omitted };
}

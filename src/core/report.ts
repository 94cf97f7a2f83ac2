/**
 * A report of lead generation with its evidence: the one schema the extension files, the outbox
 * stores, the reference server accepts and the receipt signs. Pure: hashing and signature checks
 * take their primitives from the runtime (WebCrypto) or as parameters.
 *
 * On the wire a report travels as `{ report, artifacts }`: the report names every artifact with
 * its kind, size and SHA-256; each artifact's bytes follow as base64. The server recomputes every
 * hash, stores the bytes content-addressed, and answers with a receipt signed by its own Ed25519
 * key over the SHA-256 of the canonical report and of each artifact, so a report handed on later
 * can be shown unaltered since it was filed.
 */
import { z } from 'zod';
import { base64ToBytes, bytesToBase64, sha256Hex } from './bytes';
import { topicCategories } from './list-schema';
import type { Verifier } from './signature';

export const REPORT_FORMAT = 'leadguard-report/1';
export const RECEIPT_FORMAT = 'leadguard-receipt/1';

export const evidenceKinds = ['screenshot', 'snippet', 'mhtml'] as const;
export type EvidenceKind = (typeof evidenceKinds)[number];

/** The file each kind of evidence travels as, and its media type. */
export const evidenceFiles = {
  screenshot: { name: 'screenshot.png', mediaType: 'image/png', maxBytes: 8 << 20 },
  snippet: { name: 'snippet.html', mediaType: 'text/html', maxBytes: 64 << 10 },
  mhtml: { name: 'page.mhtml', mediaType: 'multipart/related', maxBytes: 16 << 20 },
} as const satisfies Record<EvidenceKind, { name: string; mediaType: string; maxBytes: number }>;

/** Request bodies larger than this are refused (413): every artifact at its cap, as base64. */
export const MAX_REQUEST_BYTES = 34 << 20;
/** The block's text is cut here (and `textTruncated` set): evidence files hold the rest. */
export const MAX_TEXT_CHARS = 20_000;

const hex64 = /^[0-9a-f]{64}$/;
const Sha256 = z.string().regex(hex64, 'a SHA-256 is 64 lowercase hex digits');

/**
 * Artifact names are plain file names: no directories, no `..`, nothing a file system or a URL
 * would read as a path.
 */
export const ArtifactName = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9_-]{0,40}(\.[a-z0-9]{1,8})?$/,
    'an artifact name is a plain file name (a-z, 0-9, _ and -, one extension), never a path',
  );

const Text = (max: number) => z.string().max(max);

export const EvidenceRef = z
  .object({
    kind: z.enum(evidenceKinds),
    name: ArtifactName,
    mediaType: z.enum(['image/png', 'text/html', 'multipart/related']),
    bytes: z.number().int().nonnegative(),
    sha256: Sha256,
  })
  .strict()
  .superRefine((ref, ctx) => {
    const file = evidenceFiles[ref.kind];
    if (ref.mediaType !== file.mediaType)
      ctx.addIssue({ code: 'custom', message: `${ref.kind} evidence is ${file.mediaType}` });
    if (ref.bytes > file.maxBytes)
      ctx.addIssue({
        code: 'custom',
        message: `${ref.kind} evidence may be at most ${file.maxBytes} bytes`,
      });
  });
export type EvidenceRef = z.infer<typeof EvidenceRef>;

/** Where the user filed the report from. */
export const reportSources = ['card', 'badge', 'context-menu', 'shortcut'] as const;

export const Report = z
  .object({
    format: z.literal(REPORT_FORMAT),
    /** Chosen once by the client and kept across retries: the server files a key once. */
    idempotencyKey: z.string().uuid(),
    clientTime: z.string().datetime({ offset: true }),
    reporter: z.object({ name: Text(100), org: Text(200), contact: Text(200) }).strict(),
    platform: z.string().regex(/^[a-z][a-z0-9-]{0,31}$/, 'a platform id such as douyin'),
    /** The author as the platform identifies them: the stable id first, the handle as shown. */
    account: z
      .object({ id: Text(200).min(1), handle: Text(200).nullable(), url: Text(4096).nullable() })
      .strict()
      .nullable(),
    /** The page the content is on: no credentials or fragment (contentUrl() below). */
    contentUrl: z.string().url().max(4096),
    text: Text(MAX_TEXT_CHARS),
    textTruncated: z.boolean(),
    verdict: z.enum(['lead', 'mention', 'clean']),
    categories: z.array(Text(40)).max(20),
    /** The list entries that matched, and where. */
    matches: z
      .array(
        z
          .object({
            ruleId: Text(200),
            category: Text(40).nullable(),
            start: z.number().int().nonnegative(),
            end: z.number().int().nonnegative(),
            text: Text(500),
          })
          .strict(),
      )
      .max(200),
    ruleIds: z.array(Text(200)).max(200),
    contacts: z.array(z.object({ type: Text(20), value: Text(200) }).strict()).max(50),
    /** The lexicon rules' score and the lead model's probability (null without a model). */
    score: z.number().finite(),
    probability: z.number().min(0).max(1).nullable(),
    list: z
      .object({ id: Text(200), version: z.number().int().nonnegative(), sha256: Sha256.nullable() })
      .strict(),
    reason: z.object({ preset: Text(40), note: Text(2000) }).strict(),
    source: z.enum(reportSources),
    evidence: z
      .array(EvidenceRef)
      .max(evidenceKinds.length)
      .refine((refs) => new Set(refs.map((r) => r.name)).size === refs.length, {
        message: 'two artifacts share a name',
      })
      .refine((refs) => new Set(refs.map((r) => r.kind)).size === refs.length, {
        message: 'one artifact per evidence kind',
      }),
    /** Evidence the user kept on that could not be captured, and why (the page said no…). */
    omitted: z
      .array(z.object({ kind: z.enum(evidenceKinds), reason: Text(300) }).strict())
      .max(evidenceKinds.length),
    client: z.object({ name: z.literal('leadguard'), version: Text(40) }).strict(),
  })
  .strict();
export type Report = z.infer<typeof Report>;

/** What POST /v1/reports takes: the report and each artifact's bytes as base64. */
export const ReportRequest = z
  .object({
    report: Report,
    artifacts: z
      .array(z.object({ name: ArtifactName, base64: z.string() }).strict())
      .max(evidenceKinds.length),
  })
  .strict();
export type ReportRequest = z.infer<typeof ReportRequest>;

/** The part of a receipt the server signs. */
export const ReceiptBody = z
  .object({
    format: z.literal(RECEIPT_FORMAT),
    reportId: z.string().min(1).max(100),
    idempotencyKey: z.string().uuid(),
    /** SHA-256 of the canonical JSON of the report (canonicalJson below). */
    reportSha256: Sha256,
    artifacts: z.array(
      z.object({ name: ArtifactName, sha256: Sha256, bytes: z.number() }).strict(),
    ),
    serverTime: z.string().datetime({ offset: true }),
    /** The server's Ed25519 public key, base64 of its 32 raw bytes. */
    key: z.string().min(1).max(100),
  })
  .strict();
export type ReceiptBody = z.infer<typeof ReceiptBody>;

export const Receipt = ReceiptBody.extend({ sig: z.string().min(1).max(200) }).strict();
export type Receipt = z.infer<typeof Receipt>;

/** What the server answers a report with (201 the first time, 200 for a repeat of the key). */
export const ReportAccepted = z.object({
  id: z.string(),
  status: z.string(),
  receipt: Receipt,
});
export type ReportAccepted = z.infer<typeof ReportAccepted>;

/**
 * JSON with object keys sorted and no whitespace: the same value always gives the same bytes,
 * whichever side or language serialized it first (RFC 8785-style for the values reports hold:
 * strings, finite numbers, booleans, null, arrays and plain objects).
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === 'boolean') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error('canonical JSON has no NaN or Infinity');
    return JSON.stringify(value);
  }
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object') {
    const keys = Object.keys(value as object)
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .sort();
    return `{${keys
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  throw new Error(`canonical JSON cannot hold a ${typeof value}`);
}

const utf8 = new TextEncoder();

export const reportSha256 = (report: Report): Promise<string> =>
  sha256Hex(utf8.encode(canonicalJson(report)));

/** The bytes a receipt's signature covers. */
export const receiptMessage = (body: ReceiptBody): Uint8Array =>
  utf8.encode(canonicalJson(ReceiptBody.parse(body)));

export class ReportError extends Error {
  override name = 'ReportError';
  constructor(
    /** The HTTP status the server answers with: 400 malformed, 413 oversize, 422 hash mismatch. */
    readonly status: 400 | 409 | 413 | 422,
    message: string,
  ) {
    super(message);
  }
}

/** A zod error as one line of words: the first few issues with where they are. */
export function issuesInWords(error: z.ZodError, max = 3): string {
  const issues = error.issues.slice(0, max).map((issue) => {
    const where = issue.path.length ? issue.path.join('.') : 'the body';
    return `${where}: ${issue.message}`;
  });
  const more = error.issues.length > max ? ` (and ${error.issues.length - max} more)` : '';
  return issues.join('; ') + more;
}

export interface CheckedArtifact {
  ref: EvidenceRef;
  bytes: Uint8Array;
}

/**
 * Parses a request body (already JSON-decoded) and checks that the artifacts are exactly the ones
 * the report names, each of the stated size and SHA-256. Throws ReportError with the status and
 * the reason in words.
 */
export async function checkReportRequest(
  body: unknown,
): Promise<{ report: Report; artifacts: CheckedArtifact[]; reportSha256: string }> {
  const parsed = ReportRequest.safeParse(body);
  if (!parsed.success) throw new ReportError(400, issuesInWords(parsed.error));
  const { report, artifacts } = parsed.data;
  const sent = new Map<string, string>();
  for (const artifact of artifacts) {
    if (sent.has(artifact.name))
      throw new ReportError(400, `artifact ${artifact.name} is sent twice`);
    sent.set(artifact.name, artifact.base64);
  }
  const checked: CheckedArtifact[] = [];
  for (const ref of report.evidence) {
    const base64 = sent.get(ref.name);
    if (base64 === undefined)
      throw new ReportError(400, `the report names ${ref.name} but its bytes were not sent`);
    sent.delete(ref.name);
    let bytes: Uint8Array;
    try {
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(base64)) throw new Error('not base64');
      bytes = base64ToBytes(base64);
    } catch {
      throw new ReportError(400, `artifact ${ref.name} is not base64`);
    }
    if (bytes.byteLength !== ref.bytes)
      throw new ReportError(
        422,
        `artifact ${ref.name} is ${bytes.byteLength} bytes, the report says ${ref.bytes}`,
      );
    const sha256 = await sha256Hex(bytes);
    if (sha256 !== ref.sha256)
      throw new ReportError(
        422,
        `artifact ${ref.name} has SHA-256 ${sha256}, the report says ${ref.sha256}`,
      );
    checked.push({ ref, bytes });
  }
  const extra = [...sent.keys()];
  if (extra.length)
    throw new ReportError(400, `artifacts the report doesn't name: ${extra.join(', ')}`);
  return { report, artifacts: checked, reportSha256: await reportSha256(report) };
}

/** The evidence reference for some bytes of a kind. */
export async function evidenceRef(kind: EvidenceKind, bytes: Uint8Array): Promise<EvidenceRef> {
  const file = evidenceFiles[kind];
  return {
    kind,
    name: file.name,
    mediaType: file.mediaType,
    bytes: bytes.byteLength,
    sha256: await sha256Hex(bytes),
  };
}

/** A request body for a report and its artifacts' bytes. */
export function requestBody(
  report: Report,
  artifacts: { name: string; bytes: Uint8Array }[],
): ReportRequest {
  return {
    report,
    artifacts: artifacts.map((a) => ({ name: a.name, base64: bytesToBase64(a.bytes) })),
  };
}

export type ReceiptCheck =
  { ok: true; receipt: Receipt } | { ok: false; reason: string; receipt?: Receipt };

/**
 * Checks a receipt: its signature by the trusted server key, and, when given, that it covers this
 * report and these artifacts' bytes. The reasons are in words, for the history page and the CLI.
 */
export async function verifyReceipt(
  raw: unknown,
  options: {
    trustedKeys: string[];
    verifier: Verifier;
    report?: Report;
    artifacts?: { name: string; bytes: Uint8Array }[];
  },
): Promise<ReceiptCheck> {
  const parsed = Receipt.safeParse(raw);
  if (!parsed.success)
    return { ok: false, reason: `not a receipt: ${issuesInWords(parsed.error)}` };
  const receipt = parsed.data;
  if (!options.trustedKeys.includes(receipt.key))
    return { ok: false, reason: 'the receipt is signed by a key that is not trusted', receipt };
  const { sig, ...body } = receipt;
  let valid: boolean;
  try {
    valid = await options.verifier(
      base64ToBytes(receipt.key),
      base64ToBytes(sig),
      receiptMessage(body),
    );
  } catch {
    valid = false;
  }
  if (!valid) return { ok: false, reason: 'the receipt signature does not verify', receipt };
  if (options.report) {
    if (options.report.idempotencyKey !== receipt.idempotencyKey)
      return { ok: false, reason: 'the receipt is for another report', receipt };
    const sha = await reportSha256(options.report);
    if (sha !== receipt.reportSha256)
      return { ok: false, reason: 'the report was changed after it was filed', receipt };
  }
  if (options.artifacts) {
    const given = new Map(options.artifacts.map((a) => [a.name, a.bytes]));
    for (const artifact of receipt.artifacts) {
      const bytes = given.get(artifact.name);
      if (!bytes) return { ok: false, reason: `evidence ${artifact.name} is missing`, receipt };
      if ((await sha256Hex(bytes)) !== artifact.sha256)
        return {
          ok: false,
          reason: `evidence ${artifact.name} was changed after it was filed`,
          receipt,
        };
    }
  }
  return { ok: true, receipt };
}

/**
 * The content URL a report carries: no user name or password and no fragment; tracking
 * parameters dropped; everything else kept, since some platforms need a token in the query to
 * open the content for anyone else (Xiaohongshu's xsec_token, ../shared/domain/platforms.md).
 */
export function contentUrl(href: string): string {
  const url = new URL(href);
  url.username = '';
  url.password = '';
  url.hash = '';
  for (const key of [...url.searchParams.keys()]) {
    if (/^(utm_|spm|vd_source$|share_(source|medium|plat|session_id|tag)$)/i.test(key))
      url.searchParams.delete(key);
  }
  return url.toString();
}

/** The reason preset for a report: the first topic category the verdict names. */
export const reasonPresets: Record<string, string> = {
  代理退保: '非法代理退保',
  反催收: '非法代理维权 / 反催收',
  停息挂账: '停息挂账 / 协商还款代办',
  债务优化: '债务优化 / 解债',
  征信修复: '征信修复',
  退息退费: '代理退息退费',
  伪造材料: '伪造材料',
  other: '其他违规引流',
} satisfies Record<(typeof topicCategories)[number] | 'other', string>;

export function reasonPresetFor(categories: readonly string[]): string {
  return categories.find((c) => c in reasonPresets && c !== 'other') ?? 'other';
}

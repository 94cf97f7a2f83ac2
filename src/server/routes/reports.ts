/**
 * The report API: `POST /v1/reports` files a report with its evidence (bearer token per reporter),
 * `GET /v1/reports/:id` tells its status and receipt, `GET /v1/receipt-key` the key receipts are
 * signed with. Bad input gets a 4xx in words and stores nothing: malformed JSON or a schema
 * violation 400, a missing or unknown token 401, a body over the cap 413, an artifact whose size
 * or SHA-256 differs from the report's 422, a repeat of a key with a different report 409; over
 * the per-token rate 429 with Retry-After. A repeat of the same idempotency key is answered 200
 * with the first report's id and receipt: delivery is exactly-once however often a client retries.
 * CORS admits only the extension's own origins.
 */
import { randomUUID } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import {
  canonicalJson,
  checkReportRequest,
  MAX_REQUEST_BYTES,
  RECEIPT_FORMAT,
  ReportError,
  type Receipt,
} from '../../core/report';
import type { RouteModule } from '../app';
import type { EvidenceStore } from '../evidence-store';
import { RateLimiter, type RateLimit } from '../rate-limit';
import type { ReceiptSigner } from '../receipt-signer';
import { findToken, type ReportDb, type TokenTable } from '../report-db';

export interface ReportServerOptions {
  db: ReportDb;
  evidence: EvidenceStore;
  signer: ReceiptSigner;
  /** Origins allowed to call the API from a browser: the extension's (chrome-extension://ID). */
  allowedOrigins: readonly string[];
  maxBodyBytes?: number;
  rateLimit?: RateLimit;
  now?: () => Date;
}

/** The Chromium build's fixed id (wxt.config.ts `key`). */
export const EXTENSION_ORIGIN = 'chrome-extension://ldgkbnbpfaijphofclgmbnabiclddadh';

const reportId = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The token of a request's `Authorization: Bearer …`, looked up; a 401 response otherwise. */
export async function authenticate(
  c: Context,
  db: ReportDb,
  scheme: 'Bearer' | 'Basic' = 'Bearer',
): Promise<TokenTable | Response> {
  const header = c.req.header('authorization') ?? '';
  let token: string | null = null;
  if (scheme === 'Bearer') {
    const m = /^Bearer\s+([A-Za-z0-9._~+/-]{1,200}=*)$/.exec(header);
    token = m ? m[1]! : null;
  } else {
    const m = /^Basic\s+([A-Za-z0-9+/]{1,400}=*)$/.exec(header);
    if (m) {
      const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
      token = decoded.slice(decoded.indexOf(':') + 1) || null;
    }
  }
  const challenge =
    scheme === 'Bearer' ? 'Bearer realm="leadguard"' : 'Basic realm="leadguard reviewers"';
  if (!token) {
    return c.json(
      {
        error: `no ${scheme === 'Bearer' ? 'bearer ' : ''}token: send Authorization: ${scheme} <token>`,
      },
      401,
      {
        'www-authenticate': challenge,
      },
    );
  }
  const row = await findToken(db.db, token);
  if (!row)
    return c.json({ error: 'unknown or revoked token' }, 401, { 'www-authenticate': challenge });
  return row;
}

export function reportRoutes(options: ReportServerOptions): RouteModule {
  const { db, evidence, signer } = options;
  const now = options.now ?? (() => new Date());
  const limiter = new RateLimiter(options.rateLimit ?? { perMinute: 600, burst: 120 });
  const maxBody = options.maxBodyBytes ?? MAX_REQUEST_BYTES;
  const app = new Hono<{ Variables: { token: TokenTable } }>();
  app.use(
    '*',
    cors({
      origin: (origin) => (options.allowedOrigins.includes(origin) ? origin : null),
      allowMethods: ['GET', 'POST', 'OPTIONS'],
      allowHeaders: ['Authorization', 'Content-Type'],
      exposeHeaders: ['Retry-After'],
      maxAge: 600,
    }),
  );

  app.get('/receipt-key', (c) => c.json({ key: signer.publicKey, format: RECEIPT_FORMAT }));

  app.post(
    '/reports',
    // Who and how often first: neither needs the body, which may be large.
    async (c, next) => {
      const token = await authenticate(c, db);
      if (token instanceof Response) return token;
      const wait = limiter.take(token.id);
      if (wait !== null) {
        return c.json({ error: `too many reports from this token; try again in ${wait} s` }, 429, {
          'retry-after': String(wait),
        });
      }
      c.set('token', token);
      await next();
    },
    bodyLimit({
      maxSize: maxBody,
      onError: (c) =>
        c.json({ error: `the body is larger than the ${maxBody} bytes this server takes` }, 413),
    }),
    async (c) => {
      const token = c.get('token');
      let body: unknown;
      try {
        body = JSON.parse(await c.req.text());
      } catch {
        return c.json({ error: 'the body is not valid JSON' }, 400);
      }
      let checked: Awaited<ReturnType<typeof checkReportRequest>>;
      try {
        checked = await checkReportRequest(body);
      } catch (error) {
        if (error instanceof ReportError) return c.json({ error: error.message }, error.status);
        throw error;
      }
      const { report, artifacts, reportSha256 } = checked;
      const existing = await findByKey(token.id, report.idempotencyKey);
      if (existing) return repeat(c, existing, reportSha256);

      for (const artifact of artifacts) await evidence.put(artifact.bytes);
      const id = randomUUID();
      const receipt = signer.sign({
        format: RECEIPT_FORMAT,
        reportId: id,
        idempotencyKey: report.idempotencyKey,
        reportSha256,
        artifacts: artifacts.map((a) => ({
          name: a.ref.name,
          sha256: a.ref.sha256,
          bytes: a.ref.bytes,
        })),
        serverTime: now().toISOString(),
      });
      const inserted = await db.db.transaction().execute(async (tx) => {
        const row = await tx
          .insertInto('reports')
          .values({
            id,
            token_id: token.id,
            idempotency_key: report.idempotencyKey,
            report_sha256: reportSha256,
            platform: report.platform,
            account_id: report.account?.id ?? null,
            verdict: report.verdict,
            received_at: receipt.serverTime,
            report_json: canonicalJson(report),
            receipt_json: JSON.stringify(receipt),
          })
          // Two deliveries of one key racing: the second inserts nothing and answers the first.
          .onConflict((oc) => oc.columns(['token_id', 'idempotency_key']).doNothing())
          .returning('id')
          .executeTakeFirst();
        if (!row) return false;
        if (artifacts.length) {
          await tx
            .insertInto('artifacts')
            .values(
              artifacts.map((a) => ({
                report_id: id,
                name: a.ref.name,
                kind: a.ref.kind,
                media_type: a.ref.mediaType,
                bytes: a.ref.bytes,
                sha256: a.ref.sha256,
              })),
            )
            .execute();
        }
        return true;
      });
      if (!inserted) {
        const first = await findByKey(token.id, report.idempotencyKey);
        if (first) return repeat(c, first, reportSha256);
        throw new Error('a report conflicted on its key but cannot be found');
      }
      return c.json({ id, status: 'received', receipt }, 201, {
        location: `/v1/reports/${id}`,
      });
    },
  );

  app.get('/reports/:id', async (c) => {
    const token = await authenticate(c, db);
    if (token instanceof Response) return token;
    const id = c.req.param('id');
    if (!reportId.test(id)) return c.json({ error: 'no such report' }, 404);
    const row = await db.db
      .selectFrom('reports')
      .select(['id', 'token_id', 'received_at', 'receipt_json'])
      .where('id', '=', id)
      .executeTakeFirst();
    // Another reporter's report is as good as absent.
    if (!row || (row.token_id !== token.id && token.role !== 'reviewer'))
      return c.json({ error: 'no such report' }, 404);
    const stored = await db.db
      .selectFrom('artifacts')
      .select(['name', 'sha256', 'bytes'])
      .where('report_id', '=', id)
      .orderBy('name')
      .execute();
    const artifacts = [];
    for (const a of stored)
      artifacts.push({ ...a, bytes: Number(a.bytes), stored: await evidence.verify(a.sha256) });
    return c.json({
      id: row.id,
      status: 'received',
      receivedAt: row.received_at,
      receipt: JSON.parse(row.receipt_json) as Receipt,
      artifacts,
    });
  });

  async function findByKey(tokenId: string, key: string) {
    return db.db
      .selectFrom('reports')
      .select(['id', 'report_sha256', 'receipt_json'])
      .where('token_id', '=', tokenId)
      .where('idempotency_key', '=', key)
      .executeTakeFirst();
  }

  function repeat(
    c: Context,
    row: { id: string; report_sha256: string; receipt_json: string },
    sha256: string,
  ) {
    if (row.report_sha256 !== sha256) {
      return c.json(
        {
          error: `idempotency key already used for report ${row.id} with different content; a new report needs a new key`,
        },
        409,
      );
    }
    return c.json({ id: row.id, status: 'received', receipt: JSON.parse(row.receipt_json) }, 200, {
      location: `/v1/reports/${row.id}`,
    });
  }

  return { prefix: '/v1', app: app as unknown as Hono };
}

/**
 * The report API and reviewer page on both databases: SQLite (a temporary file) and a real
 * PostgreSQL the suite starts itself (postgres.ts). Every hostile request gets its 4xx and leaves
 * nothing stored; 50 concurrent repeats of one idempotency key leave exactly one row.
 */
import { mkdtempSync } from 'node:fs';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleRequest } from '../../../src/cli/report';
import { sha256Hex } from '../../../src/core/bytes';
import {
  evidenceRef,
  requestBody,
  verifyReceipt,
  type Receipt,
  type ReportRequest,
} from '../../../src/core/report';
import { nobleVerifier } from '../../../src/core/signature';
import { createApp } from '../../../src/server/app';
import { addToken, countRows } from '../../../src/server/report-db';
import { openReportService, type ReportService } from '../../../src/server/report-service';
import { EXTENSION_ORIGIN } from '../../../src/server/routes/reports';
import { startPostgres, type TestPostgres } from './postgres';

let postgres: TestPostgres;
beforeAll(async () => {
  postgres = await startPostgres();
}, 60_000);
afterAll(async () => {
  await postgres?.stop();
});

describe.each(['sqlite', 'postgres'] as const)('the report server on %s', (kind) => {
  let dir: string;
  let service: ReportService;
  let app: Hono;
  let token: string;
  let other: string;
  let reviewer: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'leadguard-reports-'));
    service = await openReportService({
      db: kind === 'sqlite' ? join(dir, 'reports.sqlite') : postgres.url,
      evidenceDir: join(dir, 'evidence'),
      keyPath: join(dir, 'receipt.key'),
      maxBodyBytes: 1 << 20,
      rateLimit: { perMinute: 6000, burst: 1000 },
    });
    app = createApp(service.modules);
    token = (await addToken(service.db.db, 'alice')).token;
    other = (await addToken(service.db.db, 'bob')).token;
    reviewer = (await addToken(service.db.db, 'carol', 'reviewer')).token;
  }, 60_000);
  afterAll(async () => {
    await service?.close();
    await rm(dir, { recursive: true, force: true });
  });

  const post = (body: unknown, auth: string | null = token, headers: Record<string, string> = {}) =>
    app.request('/v1/reports', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(auth === null ? {} : { authorization: `Bearer ${auth}` }),
        ...headers,
      },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  const stored = async () => ({
    ...(await countRows(service.db.db)),
    files: (await readdir(join(dir, 'evidence'), { recursive: true }).catch(() => [])).filter((f) =>
      f.endsWith('.bin'),
    ).length,
  });
  const clear = async () => {
    await service.db.db.deleteFrom('artifacts').execute();
    await service.db.db.deleteFrom('reports').execute();
    await rm(join(dir, 'evidence'), { recursive: true, force: true });
  };

  it('files the example with 201, answers a repeat of its key with 200 and the same id, and signs a receipt that verifies', async () => {
    await clear();
    const body = await exampleRequest();
    const first = await post(body);
    expect(first.status).toBe(201);
    const accepted = (await first.json()) as { id: string; receipt: Receipt };
    const again = await post(body);
    expect(again.status).toBe(200);
    expect(((await again.json()) as { id: string }).id).toBe(accepted.id);
    expect(await stored()).toEqual({ reports: 1, artifacts: 2, files: 2 });

    const artifacts = body.artifacts.map((a) => ({
      name: a.name,
      bytes: new Uint8Array(Buffer.from(a.base64, 'base64')),
    }));
    const check = await verifyReceipt(accepted.receipt, {
      trustedKeys: [service.signer.publicKey],
      verifier: nobleVerifier,
      report: body.report,
      artifacts,
    });
    expect(check).toMatchObject({ ok: true });
    // Evidence is stored under its own hash, byte for byte.
    for (const a of artifacts) {
      const sha = await sha256Hex(a.bytes);
      expect(new Uint8Array(await readFile(service.evidence.pathOf(sha)))).toEqual(a.bytes);
    }
    const tampered = await verifyReceipt(accepted.receipt, {
      trustedKeys: [service.signer.publicKey],
      verifier: nobleVerifier,
      report: { ...body.report, text: `${body.report.text}!` },
    });
    expect(tampered).toMatchObject({ ok: false, reason: /changed after it was filed/ });

    const status = await app.request(`/v1/reports/${accepted.id}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(status.status).toBe(200);
    expect(await status.json()).toMatchObject({
      id: accepted.id,
      status: 'received',
      artifacts: [
        { name: 'screenshot.png', stored: 'ok' },
        { name: 'snippet.html', stored: 'ok' },
      ],
    });
    // Another reporter can't read it, nor can nobody.
    const foreign = await app.request(`/v1/reports/${accepted.id}`, {
      headers: { authorization: `Bearer ${other}` },
    });
    expect(foreign.status).toBe(404);
    expect((await app.request(`/v1/reports/${accepted.id}`)).status).toBe(401);
  });

  it('answers a key reused for a different report with 409 and keeps the first', async () => {
    await clear();
    const body = await exampleRequest();
    expect((await post(body)).status).toBe(201);
    const changed = { ...body, report: { ...body.report, text: '另一条' } };
    const response = await post(changed);
    expect(response.status).toBe(409);
    expect(((await response.json()) as { error: string }).error).toMatch(/different content/);
    expect((await stored()).reports).toBe(1);
  });

  it('files one row for 50 concurrent deliveries of one key', async () => {
    await clear();
    const body = await exampleRequest();
    const responses = await Promise.all(Array.from({ length: 50 }, () => post(body)));
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 200)).toHaveLength(49);
    const ids = new Set(
      await Promise.all(responses.map(async (r) => ((await r.json()) as { id: string }).id)),
    );
    expect(ids.size).toBe(1);
    expect(await stored()).toEqual({ reports: 1, artifacts: 2, files: 2 });
  });

  const hostile: [
    string,
    () => Promise<{ body: unknown; auth?: string | null }>,
    number,
    RegExp,
  ][] = [
    ['malformed JSON', async () => ({ body: '{"report": ' }), 400, /not valid JSON/],
    ['a JSON array', async () => ({ body: '[]' }), 400, /expected object/i],
    [
      'a wrong type',
      async () => {
        const b = await exampleRequest();
        return { body: { ...b, report: { ...b.report, score: 'high' } } };
      },
      400,
      /report\.score/,
    ],
    [
      'an unknown field',
      async () => {
        const b = await exampleRequest();
        return { body: { ...b, report: { ...b.report, admin: true } } };
      },
      400,
      /admin/,
    ],
    [
      'a bad idempotency key',
      async () => {
        const b = await exampleRequest();
        return { body: { ...b, report: { ...b.report, idempotencyKey: 'x' } } };
      },
      400,
      /idempotencyKey/,
    ],
    [
      'evidence named but not sent',
      async () => {
        const b = await exampleRequest();
        return { body: { ...b, artifacts: b.artifacts.slice(0, 1) } };
      },
      400,
      /bytes were not sent/,
    ],
    [
      'bytes the report does not name',
      async () => {
        const b = await exampleRequest();
        return {
          body: { ...b, artifacts: [...b.artifacts, { name: 'extra.bin', base64: 'AAAA' }] },
        };
      },
      400,
      /doesn't name: extra\.bin/,
    ],
    [
      'a SHA-256 that does not match',
      async () => {
        const b = await exampleRequest();
        const evidence = b.report.evidence.map((e, i) =>
          i === 0 ? { ...e, sha256: 'f'.repeat(64) } : e,
        );
        return { body: { ...b, report: { ...b.report, evidence } } };
      },
      422,
      /has SHA-256 .* the report says f{64}/,
    ],
    [
      'a size that does not match',
      async () => {
        const b = await exampleRequest();
        const evidence = b.report.evidence.map((e, i) => (i === 0 ? { ...e, bytes: 3 } : e));
        return { body: { ...b, report: { ...b.report, evidence } } };
      },
      422,
      /bytes, the report says 3/,
    ],
    ...(['../../etc/passwd', 'a/b.png', '..', '.hidden', 'C:\\x.png', 'x.png\u0000'].map(
      (name) =>
        [
          `path traversal in an artifact name (${JSON.stringify(name)})`,
          async () => {
            const b = await exampleRequest();
            const evidence = b.report.evidence.map((e, i) => (i === 0 ? { ...e, name } : e));
            const artifacts = b.artifacts.map((a, i) => (i === 0 ? { ...a, name } : a));
            return { body: { report: { ...b.report, evidence }, artifacts } };
          },
          400,
          /never a path/,
        ] as const,
    ) as never[]),
    [
      'no token',
      async () => ({ body: await exampleRequest(), auth: null }),
      401,
      /no bearer token/,
    ],
    [
      'an unknown token',
      async () => ({ body: await exampleRequest(), auth: 'lg_not-a-token' }),
      401,
      /unknown or revoked/,
    ],
    [
      'an oversize body',
      async () => {
        const b = await exampleRequest();
        return { body: { ...b, report: { ...b.report, text: 'x'.repeat(2 << 20) } } };
      },
      413,
      /larger than the 1048576 bytes/,
    ],
  ];

  it.each(hostile)('refuses %s and stores nothing', async (_what, make, status, message) => {
    await clear();
    const { body, auth } = await make();
    const response = await post(body, auth === undefined ? token : auth);
    expect(response.status).toBe(status);
    expect(((await response.json()) as { error: string }).error).toMatch(message);
    expect(await stored()).toEqual({ reports: 0, artifacts: 0, files: 0 });
  });

  it('limits each token to its rate with 429 and Retry-After', async () => {
    const limited = await openReportService({
      db: kind === 'sqlite' ? join(dir, 'limited.sqlite') : postgres.url,
      evidenceDir: join(dir, 'evidence-limited'),
      keyPath: join(dir, 'receipt.key'),
      rateLimit: { perMinute: 2, burst: 2 },
    });
    try {
      const limitedApp = createApp(limited.modules);
      const t = (await addToken(limited.db.db, 'dave')).token;
      const send = async () =>
        limitedApp.request('/v1/reports', {
          method: 'POST',
          headers: { authorization: `Bearer ${t}`, 'content-type': 'application/json' },
          body: JSON.stringify(await exampleRequest()),
        });
      expect((await send()).status).toBe(201);
      expect((await send()).status).toBe(201);
      const third = await send();
      expect(third.status).toBe(429);
      expect(Number(third.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    } finally {
      await limited.close();
    }
  });

  it('allows CORS only from the extension origin', async () => {
    const preflight = (origin: string) =>
      app.request('/v1/reports', {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization,content-type',
        },
      });
    const ours = await preflight(EXTENSION_ORIGIN);
    expect(ours.headers.get('access-control-allow-origin')).toBe(EXTENSION_ORIGIN);
    expect(ours.headers.get('access-control-allow-headers')).toMatch(/authorization/i);
    const theirs = await preflight('https://evil.example');
    expect(theirs.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('shows reviewers every report with its evidence hashes verified, page text escaped', async () => {
    await clear();
    const base = await exampleRequest();
    const snippet = new TextEncoder().encode('<img src=x onerror=alert(1)>');
    const screenshot = new Uint8Array(Buffer.from(base.artifacts[0]!.base64, 'base64'));
    const report = {
      ...base.report,
      text: '<script>alert(1)</script>征信修复',
      evidence: [
        await evidenceRef('screenshot', screenshot),
        await evidenceRef('snippet', snippet),
      ],
    };
    const body: ReportRequest = requestBody(report, [
      { name: 'screenshot.png', bytes: screenshot },
      { name: 'snippet.html', bytes: snippet },
    ]);
    const filed = (await (await post(body)).json()) as { id: string };
    const basic = (t: string) => ({
      authorization: `Basic ${Buffer.from(`x:${t}`).toString('base64')}`,
    });
    expect((await app.request('/review')).status).toBe(401);
    expect((await app.request('/review', { headers: basic(token) })).status).toBe(403);
    const page = await app.request('/review', { headers: basic(reviewer) });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
    const text = await page.text();
    expect(text).toContain(filed.id);
    expect(text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;征信修复');
    expect(text).not.toContain('<script>');
    expect(text.match(/✓ 哈希一致/g)).toHaveLength(2);
    // The snippet is served as text, never as HTML.
    const served = await app.request(`/review/${filed.id}/snippet.html`, {
      headers: basic(reviewer),
    });
    expect(served.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await served.text()).toBe('<img src=x onerror=alert(1)>');
    // A stored file that no longer hashes to its name is flagged.
    await writeFile(service.evidence.pathOf(report.evidence[1]!.sha256), 'altered');
    const after = await (await app.request('/review', { headers: basic(reviewer) })).text();
    expect(after).toContain('✗ 哈希不符');
  });
});

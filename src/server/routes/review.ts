/**
 * The reviewer page: the latest reports with their evidence and whether each stored artifact
 * still hashes to what the report and its receipt say. Reviewers sign in with a reviewer token as
 * the password of HTTP Basic auth (`leadguard serve token add NAME --reviewer`). Everything a
 * report holds came from a web page, so it is only ever escaped text here (hono/html escapes
 * every value); the HTML snippet is served as text/plain, and the page's CSP forbids scripts.
 */
import { Hono } from 'hono';
import { html, raw } from 'hono/html';
import { Report } from '../../core/report';
import type { RouteModule } from '../app';
import type { EvidenceStore } from '../evidence-store';
import type { ReportDb } from '../report-db';
import { authenticate } from './reports';

const reportId = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const artifactName = /^[a-z0-9][a-z0-9_-]{0,40}(\.[a-z0-9]{1,8})?$/;

const security = {
  'content-security-policy':
    "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'none'; form-action 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

const mark = { ok: '✓ 哈希一致', missing: '✗ 文件缺失', altered: '✗ 哈希不符' } as const;

export function reviewRoutes(options: { db: ReportDb; evidence: EvidenceStore }): RouteModule {
  const { db, evidence } = options;
  const app = new Hono();
  app.use('*', async (c, next) => {
    const token = await authenticate(c, db, 'Basic');
    if (token instanceof Response) return token;
    if (token.role !== 'reviewer')
      return c.json({ error: 'this token may file reports, not review them' }, 403);
    await next();
  });

  app.get('/', async (c) => {
    const limit = Math.min(500, Math.max(1, Number(c.req.query('limit') ?? 100) || 100));
    const rows = await db.db
      .selectFrom('reports')
      .innerJoin('tokens', 'tokens.id', 'reports.token_id')
      .select([
        'reports.id',
        'reports.received_at',
        'reports.report_json',
        'reports.report_sha256',
        'tokens.name as reporter',
      ])
      .orderBy('reports.received_at', 'desc')
      .limit(limit)
      .execute();
    const ids = rows.map((r) => r.id);
    const artifacts = ids.length
      ? await db.db.selectFrom('artifacts').selectAll().where('report_id', 'in', ids).execute()
      : [];
    const items = [];
    for (const row of rows) {
      const parsed = Report.safeParse(JSON.parse(row.report_json));
      const report = parsed.success ? parsed.data : null;
      const files = [];
      for (const a of artifacts.filter((x) => x.report_id === row.id)) {
        const state = await evidence.verify(a.sha256);
        const href = `/review/${row.id}/${a.name}`;
        files.push(
          html`<li data-artifact="${a.name}" data-state="${state}">
            <a href="${href}">${a.name}</a> · ${Number(a.bytes)} B · <code>${a.sha256}</code> ·
            <span class="${state}">${mark[state]}</span>
            ${
              a.kind === 'screenshot' && state === 'ok'
                ? html`<br /><img src="${href}" alt="截图" loading="lazy" />`
                : ''
            }
          </li>`,
        );
      }
      items.push(
        html`<article data-report="${row.id}">
          <h2>
            ${report?.platform ?? '?'} · ${report?.account?.handle ?? ''}
            <code>${report?.account?.id ?? '（无账号）'}</code>
          </h2>
          <p class="meta">
            ${row.received_at} · 举报人 ${row.reporter}
            ${report ? html` · ${report.reporter.name} ${report.reporter.org}` : ''}
          </p>
          ${
            report
              ? html`<p>
                    <a href="${report.contentUrl}" rel="noreferrer noopener"
                      >${report.contentUrl}</a
                    >
                  </p>
                  <p>
                    ${report.verdict} · ${report.categories.join('、')} · 模型
                    ${report.probability === null ? '—' : report.probability.toFixed(2)} · 规则
                    ${report.ruleIds.map((id) => html`<code>${id}</code> `)}
                  </p>
                  <p>理由：${report.reason.preset} ${report.reason.note}</p>
                  <blockquote>${report.text}</blockquote>`
              : html`<p>（报告无法解析）</p>`
          }
          <p>报告 SHA-256 <code>${row.report_sha256}</code></p>
          <ul>
            ${files}
          </ul>
        </article>`,
      );
    }
    const page = html`<!doctype html>
      <html lang="zh-CN">
        <head>
          <meta charset="utf-8" />
          <title>LeadGuard 举报审核</title>
          <style>
            body {
              font:
                14px/1.5 system-ui,
                sans-serif;
              margin: 2em;
              max-width: 70em;
            }
            article {
              border-top: 1px solid #ccc;
              padding: 0.5em 0;
            }
            blockquote {
              white-space: pre-wrap;
              background: #f6f6f8;
              padding: 0.5em;
            }
            img {
              max-width: 40em;
              border: 1px solid #ccc;
            }
            .ok {
              color: #166534;
            }
            .missing,
            .altered {
              color: #b91c1c;
              font-weight: 600;
            }
            code {
              font-size: 12px;
            }
          </style>
        </head>
        <body>
          <h1>LeadGuard 举报审核</h1>
          <p>${rows.length} 条最新举报。证据按 SHA-256 存储，每次打开本页都重新校验。</p>
          ${items.length ? raw('') : html`<p>暂无举报。</p>`}${items}
        </body>
      </html>`;
    return c.html(page, 200, security);
  });

  app.get('/:id/:name', async (c) => {
    const { id, name } = c.req.param();
    if (!reportId.test(id) || !artifactName.test(name))
      return c.json({ error: 'no such evidence' }, 404);
    const row = await db.db
      .selectFrom('artifacts')
      .selectAll()
      .where('report_id', '=', id)
      .where('name', '=', name)
      .executeTakeFirst();
    if (!row) return c.json({ error: 'no such evidence' }, 404);
    const bytes = await evidence.get(row.sha256);
    if (!bytes) return c.json({ error: 'the evidence file is missing from the store' }, 410);
    // Page-derived HTML is never rendered: the snippet is text, the MHTML a download.
    const type =
      row.kind === 'screenshot'
        ? 'image/png'
        : row.kind === 'snippet'
          ? 'text/plain; charset=utf-8'
          : 'application/octet-stream';
    const headers: Record<string, string> = { ...security, 'content-type': type };
    if (row.kind === 'mhtml')
      headers['content-disposition'] = `attachment; filename="${id}-${name}"`;
    return c.body(new Uint8Array(bytes), 200, headers);
  });

  return { prefix: '/review', app };
}

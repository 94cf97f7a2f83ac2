/**
 * The reference report server for tests (SQLite in a temporary directory), with faults injected
 * in front of POST /v1/reports, one per request in order: an HTTP status (with headers), a hang
 * until the client gives up, a connection reset in the middle of the upload, a real 413 from a
 * server with a small body cap, or holding the answer after the report was filed (the client's
 * service worker can then be stopped before it hears it). Served on 127.0.0.1; can be stopped
 * and started again on the same port.
 */
import { mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hono } from 'hono';
import { cors } from 'hono/cors';
import { createApp } from '../../src/server/app';
import { addToken, countRows } from '../../src/server/report-db';
import { openReportService, type ReportService } from '../../src/server/report-service';
import { EXTENSION_ORIGIN } from '../../src/server/routes/reports';
import { startServer, type RunningServer } from '../../src/server/serve';

export type ReportFault =
  number | [number, Record<string, string>] | 'timeout' | 'reset' | 'too-large' | 'hold';

export class TestReportServer {
  readonly dir = mkdtempSync(join(tmpdir(), 'leadguard-e2e-reports-'));
  faults: ReportFault[] = [];
  /** POST /v1/reports requests seen. */
  posts = 0;
  private hangs: (() => void)[] = [];
  private held: (() => void)[] = [];
  private heldWaiters: (() => void)[] = [];
  private running: RunningServer | null = null;
  port = 0;
  service!: ReportService;
  small!: ReportService;
  token = '';
  app!: Hono;

  async open(): Promise<void> {
    this.service = await openReportService({
      db: join(this.dir, 'reports.sqlite'),
      evidenceDir: join(this.dir, 'evidence'),
      keyPath: join(this.dir, 'receipt.key'),
    });
    // The same database behind a 1 kB body cap, for a real 413: smaller than any report, with or
    // without its screenshot (Chrome allows two captureVisibleTab calls a second, so a report
    // filed right after another can go without one).
    this.small = await openReportService({
      db: join(this.dir, 'reports.sqlite'),
      evidenceDir: join(this.dir, 'evidence'),
      keyPath: join(this.dir, 'receipt.key'),
      maxBodyBytes: 1_000,
    });
    this.token = (await addToken(this.service.db.db, 'e2e')).token;
    const real = createApp(this.service.modules);
    const capped = createApp(this.small.modules);
    const app = new Hono<{ Bindings: { incoming: IncomingMessage } }>();
    app.use(
      '/v1/*',
      cors({
        origin: EXTENSION_ORIGIN,
        allowHeaders: ['Authorization', 'Content-Type'],
        exposeHeaders: ['Retry-After'],
      }),
    );
    app.post('/v1/reports', async (c) => {
      this.posts++;
      const fault = this.faults.shift();
      if (fault === undefined) return real.fetch(c.req.raw);
      if (fault === 'timeout') {
        await new Promise<void>((resolve) => this.hangs.push(resolve));
        return c.json({ error: 'released' }, 500);
      }
      if (fault === 'reset') {
        // Some of the upload arrives, then the connection drops.
        await c.req.raw.body?.getReader().read();
        c.env.incoming.socket.destroy();
        return new Promise<Response>(() => {});
      }
      if (fault === 'too-large') return capped.fetch(c.req.raw);
      if (fault === 'hold') {
        const response = await real.fetch(c.req.raw);
        await new Promise<void>((resolve) => {
          this.held.push(resolve);
          this.heldWaiters.splice(0).forEach((w) => w());
        });
        return response;
      }
      const [status, headers] = Array.isArray(fault) ? fault : [fault, {}];
      return c.json({ error: `injected ${status}` }, status as 500, headers);
    });
    app.route('/', real);
    this.app = app as unknown as Hono;
  }

  get origin(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.running = await startServer(this.app, this.port);
    this.port = this.running.port;
  }

  async stop(): Promise<void> {
    this.release();
    await this.running?.close();
    this.running = null;
  }

  /** Resolves once a request is held after its report was filed. */
  whenHeld(): Promise<void> {
    if (this.held.length) return Promise.resolve();
    return new Promise((resolve) => this.heldWaiters.push(resolve));
  }

  release(): void {
    this.hangs.splice(0).forEach((h) => h());
    this.held.splice(0).forEach((h) => h());
  }

  async rows(): Promise<number> {
    return (await countRows(this.service.db.db)).reports;
  }

  async close(): Promise<void> {
    await this.stop();
    await this.service?.close();
    await this.small?.close();
    await rm(this.dir, { recursive: true, force: true });
  }
}

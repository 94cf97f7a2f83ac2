/**
 * `leadguard serve`: the reference server (Hono on Node) on 127.0.0.1. It serves a feed with
 * ETags under /feed/ (`--feed DIR`) and the report API under /v1/ with the reviewer page under
 * /review/ (on unless only a feed is asked for), on SQLite (`--db reports.sqlite`, the default) or
 * PostgreSQL (`--db postgres://…`). Runs until interrupted.
 * `leadguard serve token add NAME --db …` prints a bearer token for a reporter (`--reviewer`: a
 * token for the reviewer page).
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createApp, type RouteModule } from '../server/app';
import type { ReportService } from '../server/report-service';
import { feedRoutes } from '../server/routes/feed';
import { startServer } from '../server/serve';
import { describeError, errorLine } from './cli-error';
import { options, UsageError } from './feed';
import type { Command, CommandIO } from './main';

const usage = [
  'usage: leadguard serve [--feed FEEDDIR] [--db reports.sqlite|postgres://…] [--evidence DIR]',
  '                       [--key receipt.key] [--allow-origin ORIGIN …] [--rate N/min] [--port 8787]',
  '       leadguard serve token add NAME [--reviewer] [--db reports.sqlite|postgres://…]',
].join('\n');

// The report database's drivers (Kysely, better-sqlite3, pg) load when a command needs them, not
// whenever `leadguard` starts: they tripled the start-up time of every other command.
const reportDb = () => import('../server/report-db');

async function tokenAdd(args: string[], io: CommandIO): Promise<number> {
  const { out, positional } = options(args, { db: 'value', reviewer: 'flag' });
  if (positional.length !== 1) throw new UsageError('token add needs one NAME');
  const name = positional[0]!.trim();
  if (!/^[\p{L}\p{N} ._@-]{1,100}$/u.test(name))
    throw new UsageError('a token NAME is 1–100 letters, digits, spaces and . _ @ -');
  const spec = (out.db as string | undefined) ?? 'reports.sqlite';
  const { addToken, openReportDb, redact } = await reportDb();
  const db = await openReportDb(spec);
  try {
    const { token } = await addToken(db.db, name, out.reviewer ? 'reviewer' : 'reporter');
    io.stderr.write(
      `${out.reviewer ? 'reviewer' : 'reporter'} token for ${name} in ${redact(spec)} (shown once; only its hash is stored):\n`,
    );
    io.stdout.write(`${token}\n`);
  } finally {
    await db.close();
  }
  return 0;
}

async function serveAll(args: string[], io: CommandIO): Promise<number> {
  const { out, positional } = options(args, {
    feed: 'value',
    db: 'value',
    evidence: 'value',
    key: 'value',
    'allow-origin': 'values',
    rate: 'value',
    port: 'value',
  });
  if (positional.length) throw new UsageError(`unexpected ${positional[0]}`);
  const port = out.port === undefined ? 8787 : Number(out.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError('--port is a number from 0 to 65535');
  const modules: RouteModule[] = [];
  let feedDir: string | null = null;
  if (typeof out.feed === 'string') {
    feedDir = resolve(out.feed);
    if (!existsSync(join(feedDir, 'manifest.json'))) {
      io.stderr.write(
        errorLine(
          'leadguard serve',
          `no manifest.json in ${feedDir} (build one with leadguard feed build)`,
        ),
      );
      return 1;
    }
    modules.push(feedRoutes(feedDir));
  }
  let service: ReportService | null = null;
  if (out.db !== undefined || feedDir === null) {
    let rate: { perMinute: number; burst: number } | undefined;
    if (out.rate !== undefined) {
      const n = Number(String(out.rate).replace(/\/min$/, ''));
      if (!Number.isFinite(n) || n <= 0)
        throw new UsageError('--rate is reports per minute per token');
      rate = { perMinute: n, burst: Math.max(1, Math.ceil(n / 5)) };
    }
    const { openReportService } = await import('../server/report-service');
    const { EXTENSION_ORIGIN } = await import('../server/routes/reports');
    service = await openReportService({
      db: (out.db as string | undefined) ?? 'reports.sqlite',
      ...(typeof out.evidence === 'string' ? { evidenceDir: out.evidence } : {}),
      ...(typeof out.key === 'string' ? { keyPath: out.key } : {}),
      allowedOrigins: (out['allow-origin'] as string[] | undefined) ?? [EXTENSION_ORIGIN],
      ...(rate ? { rateLimit: rate } : {}),
    });
    modules.push(...service.modules);
  }
  const server = await startServer(createApp(modules), port).catch((error: Error) => {
    io.stderr.write(
      errorLine('leadguard serve', `cannot listen on 127.0.0.1:${port}: ${error.message}`),
    );
    return null;
  });
  if (!server) {
    await service?.close();
    return 1;
  }
  if (feedDir) {
    io.stdout.write(`serving ${feedDir}\nfeed manifest: ${server.origin}/feed/manifest.json\n`);
  }
  if (service) {
    const { redact } = await reportDb();
    io.stdout.write(
      [
        `reports: POST ${server.origin}/v1/reports (database ${redact(String(out.db ?? 'reports.sqlite'))}, evidence in ${service.evidence.dir})`,
        `reviewer page: ${server.origin}/review (a reviewer token as the password)`,
        `receipt key ${service.keyCreated ? 'made at' : 'from'} ${service.keyPath}; public key: ${service.signer.publicKey}`,
        '',
      ].join('\n'),
    );
  }
  await new Promise<void>((done) => {
    const stop = () => void server.close().then(done);
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await service?.close();
  return 0;
}

export const serveCommand: Command = {
  name: 'serve',
  summary: 'the reference server on 127.0.0.1: a feed, the report API, the reviewer page',
  async run(args, io) {
    if (args[0] === '--help' || args[0] === '-h') {
      io.stdout.write(`${usage}\n`);
      return 0;
    }
    try {
      if (args[0] === 'token') {
        if (args[1] !== 'add') throw new UsageError('token commands: token add NAME');
        return await tokenAdd(args.slice(2), io);
      }
      return await serveAll(args, io);
    } catch (error) {
      // One line, escaped; a usage error points at the usage instead of printing it.
      const message = describeError(error);
      io.stderr.write(
        errorLine(
          'leadguard serve',
          error instanceof UsageError ? `${message} (see leadguard serve --help)` : message,
        ),
      );
      return error instanceof UsageError ? 2 : 1;
    }
  },
};

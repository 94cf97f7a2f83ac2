/**
 * The report service as route modules for the app factory: the database (SQLite or PostgreSQL),
 * the content-addressed evidence store and the receipt key, opened together and closed together.
 */
import { mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { RouteModule } from './app';
import { EvidenceStore } from './evidence-store';
import type { RateLimit } from './rate-limit';
import { loadOrCreateReceiptKey, receiptSigner, type ReceiptSigner } from './receipt-signer';
import { dbKind, openReportDb, type ReportDb } from './report-db';
import { EXTENSION_ORIGIN, reportRoutes } from './routes/reports';
import { reviewRoutes } from './routes/review';

export interface ReportServiceOptions {
  /** A SQLite file (the default, `reports.sqlite`) or a `postgres://…` URL. */
  db: string;
  /** Where evidence goes; by default `evidence/` beside a SQLite file, else in the working directory. */
  evidenceDir?: string;
  /** The receipt key's PEM file; made on first start. */
  keyPath?: string;
  allowedOrigins?: readonly string[];
  rateLimit?: RateLimit;
  maxBodyBytes?: number;
  now?: () => Date;
}

export interface ReportService {
  modules: RouteModule[];
  db: ReportDb;
  evidence: EvidenceStore;
  signer: ReceiptSigner;
  keyPath: string;
  keyCreated: boolean;
  close(): Promise<void>;
}

export function defaultPaths(db: string): { evidenceDir: string; keyPath: string } {
  const base = dbKind(db) === 'sqlite' && db !== ':memory:' ? dirname(resolve(db)) : process.cwd();
  return { evidenceDir: join(base, 'evidence'), keyPath: join(base, 'receipt.key') };
}

export async function openReportService(options: ReportServiceOptions): Promise<ReportService> {
  const defaults = defaultPaths(options.db);
  const evidenceDir = resolve(options.evidenceDir ?? defaults.evidenceDir);
  const keyPath = resolve(options.keyPath ?? defaults.keyPath);
  await mkdir(evidenceDir, { recursive: true });
  await mkdir(dirname(keyPath), { recursive: true });
  const { key, created } = await loadOrCreateReceiptKey(keyPath);
  const signer = receiptSigner(key);
  const db = await openReportDb(options.db);
  const evidence = new EvidenceStore(evidenceDir);
  const shared = { db, evidence };
  return {
    modules: [
      reportRoutes({
        ...shared,
        signer,
        allowedOrigins: options.allowedOrigins ?? [EXTENSION_ORIGIN],
        ...(options.rateLimit ? { rateLimit: options.rateLimit } : {}),
        ...(options.maxBodyBytes ? { maxBodyBytes: options.maxBodyBytes } : {}),
        ...(options.now ? { now: options.now } : {}),
      }),
      reviewRoutes(shared),
    ],
    db,
    evidence,
    signer,
    keyPath,
    keyCreated: created,
    close: () => db.close(),
  };
}

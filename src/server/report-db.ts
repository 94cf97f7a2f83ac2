/**
 * The report server's database through one query builder (Kysely) on two real databases:
 * SQLite (better-sqlite3, the embedded default, `--db reports.sqlite`) and PostgreSQL
 * (`--db postgres://…`) for an alliance that outgrows one machine. Every query in the server is
 * written once and runs on both; the schema is built by numbered migrations that run at start.
 */
import { randomBytes, randomUUID, createHash } from 'node:crypto';
import BetterSqlite3 from 'better-sqlite3';
import {
  Kysely,
  Migrator,
  PostgresDialect,
  SqliteDialect,
  sql,
  type Migration,
  type MigrationProvider,
} from 'kysely';
import pg from 'pg';

export interface TokenTable {
  id: string;
  name: string;
  /** SHA-256 of the bearer token: the token itself is shown once and never stored. */
  token_sha256: string;
  role: 'reporter' | 'reviewer';
  created_at: string;
  revoked_at: string | null;
}

export interface ReportTable {
  id: string;
  token_id: string;
  idempotency_key: string;
  report_sha256: string;
  platform: string;
  account_id: string | null;
  verdict: string;
  received_at: string;
  /** The report as filed (canonical JSON). */
  report_json: string;
  /** The signed receipt given to the reporter. */
  receipt_json: string;
}

export interface ArtifactTable {
  report_id: string;
  name: string;
  kind: string;
  media_type: string;
  bytes: number;
  sha256: string;
}

export interface ReportDatabase {
  tokens: TokenTable;
  reports: ReportTable;
  artifacts: ArtifactTable;
}

export type DbKind = 'sqlite' | 'postgres';

export interface ReportDb {
  db: Kysely<ReportDatabase>;
  kind: DbKind;
  close(): Promise<void>;
}

const migrations: Record<string, Migration> = {
  '001_reports': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('tokens')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('token_sha256', 'text', (c) => c.notNull().unique())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('revoked_at', 'text')
        .execute();
      await db.schema
        .createTable('reports')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('token_id', 'text', (c) => c.notNull().references('tokens.id'))
        .addColumn('idempotency_key', 'text', (c) => c.notNull())
        .addColumn('report_sha256', 'text', (c) => c.notNull())
        .addColumn('platform', 'text', (c) => c.notNull())
        .addColumn('account_id', 'text')
        .addColumn('verdict', 'text', (c) => c.notNull())
        .addColumn('received_at', 'text', (c) => c.notNull())
        .addColumn('report_json', 'text', (c) => c.notNull())
        .addColumn('receipt_json', 'text', (c) => c.notNull())
        // One report per reporter and key: what makes delivery exactly-once.
        .addUniqueConstraint('reports_token_key', ['token_id', 'idempotency_key'])
        .execute();
      await db.schema.createIndex('reports_received').on('reports').column('received_at').execute();
      await db.schema
        .createTable('artifacts')
        .addColumn('report_id', 'text', (c) => c.notNull().references('reports.id'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('media_type', 'text', (c) => c.notNull())
        .addColumn('bytes', 'integer', (c) => c.notNull())
        .addColumn('sha256', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('artifacts_pk', ['report_id', 'name'])
        .execute();
    },
  },
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

/** `postgres://…` or `postgresql://…` is PostgreSQL; anything else is a SQLite file (or :memory:). */
export function dbKind(spec: string): DbKind {
  return /^postgres(ql)?:\/\//.test(spec) ? 'postgres' : 'sqlite';
}

/** Opens the database and brings its schema up to date. */
export async function openReportDb(spec: string): Promise<ReportDb> {
  const kind = dbKind(spec);
  let db: Kysely<ReportDatabase>;
  if (kind === 'postgres') {
    const pool = new pg.Pool({ connectionString: spec, max: 10 });
    db = new Kysely<ReportDatabase>({ dialect: new PostgresDialect({ pool }) });
  } else {
    let database: BetterSqlite3.Database;
    try {
      database = new BetterSqlite3(spec);
    } catch (error) {
      throw new Error(`cannot open the report database ${spec}: ${(error as Error).message}`, {
        cause: error,
      });
    }
    // WAL lets the reviewer page read while reports are written; foreign keys are off by default.
    database.pragma('journal_mode = WAL');
    database.pragma('foreign_keys = ON');
    database.pragma('busy_timeout = 5000');
    db = new Kysely<ReportDatabase>({ dialect: new SqliteDialect({ database }) });
  }
  const { error, results } = await new Migrator({ db, provider }).migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    await db.destroy();
    const why = error instanceof Error ? error.message : String(error ?? failed?.migrationName);
    throw new Error(`cannot bring the report database ${redact(spec)} up to date: ${why}`);
  }
  return { db, kind, close: () => db.destroy() };
}

/** A database URL without its password, for messages. */
export function redact(spec: string): string {
  return spec.replace(/(\/\/[^:/@]+):[^@]*@/, '$1:***@');
}

export const tokenSha256 = (token: string) => createHash('sha256').update(token).digest('hex');

/** Adds a bearer token for a reporter (or a reviewer) and returns it: shown once, stored hashed. */
export async function addToken(
  db: Kysely<ReportDatabase>,
  name: string,
  role: TokenTable['role'] = 'reporter',
  now = () => new Date(),
): Promise<{ id: string; token: string }> {
  const token = `lg_${randomBytes(24).toString('base64url')}`;
  const id = randomUUID();
  await db
    .insertInto('tokens')
    .values({
      id,
      name,
      token_sha256: tokenSha256(token),
      role,
      created_at: now().toISOString(),
      revoked_at: null,
    })
    .execute();
  return { id, token };
}

export async function findToken(
  db: Kysely<ReportDatabase>,
  token: string,
): Promise<TokenTable | null> {
  const row = await db
    .selectFrom('tokens')
    .selectAll()
    .where('token_sha256', '=', tokenSha256(token))
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return row ?? null;
}

/** Counts, for tests and the reviewer page. */
export async function countRows(db: Kysely<ReportDatabase>) {
  const count = async (table: 'reports' | 'artifacts' | 'tokens') =>
    Number(
      (
        await db
          .selectFrom(table)
          .select(sql<number>`count(*)`.as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  return { reports: await count('reports'), artifacts: await count('artifacts') };
}

/**
 * A throwaway PostgreSQL for the server's tests: Debian's binaries (`postgresql` package, or
 * PG_BIN), a fresh data directory, a unix socket in that directory and no TCP port, stopped and
 * deleted afterwards. initdb and postgres refuse to run as root, and tests (and CI) run as root
 * here, so they then run as `nobody` through setpriv, owning only the temporary directory.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export interface TestPostgres {
  /** A connection URL for a fresh database. */
  url: string;
  stop(): Promise<void>;
}

export function findPostgresBin(env: NodeJS.ProcessEnv = process.env): string | null {
  if (env.PG_BIN) return existsSync(join(env.PG_BIN, 'initdb')) ? env.PG_BIN : null;
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length ? join(root, versions[0]!, 'bin') : null;
}

export const missingPostgresMessage =
  "PostgreSQL's server binaries were not found: sudo apt-get install postgresql (or set PG_BIN to the directory holding initdb and postgres)";

export async function startPostgres(): Promise<TestPostgres> {
  const bin = findPostgresBin();
  if (!bin) throw new Error(missingPostgresMessage);
  const dir = mkdtempSync(join(tmpdir(), 'leadguard-pg-'));
  const data = join(dir, 'data');
  const asRoot = userInfo().uid === 0;
  // nobody:nogroup on Debian.
  const nobody = { uid: 65534, gid: 65534 };
  if (asRoot) chownSync(dir, nobody.uid, nobody.gid);
  const command = (program: string, args: string[]): [string, string[]] =>
    asRoot
      ? [
          'setpriv',
          [
            `--reuid=${nobody.uid}`,
            `--regid=${nobody.gid}`,
            '--clear-groups',
            join(bin, program),
            ...args,
          ],
        ]
      : [join(bin, program), args];
  const [initdb, initArgs] = command('initdb', [
    '-D',
    data,
    '-U',
    'leadguard',
    '-A',
    'trust',
    '-E',
    'UTF8',
    '--no-sync',
    '--no-locale',
  ]);
  const init = spawnSync(initdb, initArgs, {
    encoding: 'utf8',
    env: { ...process.env, HOME: dir },
  });
  if (init.status !== 0) {
    await rm(dir, { recursive: true, force: true });
    throw new Error(`initdb failed: ${init.stderr || init.stdout || init.error?.message}`);
  }
  const [postgres, pgArgs] = command('postgres', [
    '-D',
    data,
    '-k',
    dir,
    '-c',
    'listen_addresses=',
    '-c',
    'fsync=off',
    '-c',
    'max_connections=120',
  ]);
  const child: ChildProcess = spawn(postgres, pgArgs, {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, HOME: dir },
  });
  let log = '';
  child.stderr!.on('data', (chunk: Buffer) => (log = (log + chunk.toString()).slice(-4000)));
  const admin = `postgres://leadguard@/postgres?host=${encodeURIComponent(dir)}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    const client = new pg.Client({ connectionString: admin });
    try {
      await client.connect();
      await client.query('CREATE DATABASE leadguard_test');
      await client.end();
      break;
    } catch (error) {
      await client.end().catch(() => {});
      if (!running(child) || Date.now() > deadline) {
        child.kill('SIGKILL');
        await rm(dir, { recursive: true, force: true });
        throw new Error(`PostgreSQL did not start: ${(error as Error).message}\n${log}`, {
          cause: error,
        });
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    url: `postgres://leadguard@/leadguard_test?host=${encodeURIComponent(dir)}`,
    async stop() {
      if (running(child)) {
        const exited = new Promise((r) => child.once('exit', r));
        // SIGINT: PostgreSQL's fast shutdown.
        child.kill('SIGINT');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
        if (running(child)) child.kill('SIGKILL');
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}

const running = (child: ChildProcess) => child.exitCode === null && child.signalCode === null;

/**
 * Evidence on disk, content-addressed: an artifact's path is its SHA-256
 * (`DIR/ab/cdef….bin`), so the same screenshot filed twice is stored once, a name from a request
 * never becomes a path, and a stored file can always be checked against its name. Writes go to a
 * temporary file first and are renamed into place, so a reader never sees half a file.
 * At scale the same layout maps one to one onto an object store's keys (README).
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, stat, writeFile, rm } from 'node:fs/promises';
import { join } from 'node:path';

const hex64 = /^[0-9a-f]{64}$/;

export class EvidenceStore {
  constructor(readonly dir: string) {}

  pathOf(sha256: string): string {
    if (!hex64.test(sha256)) throw new Error(`not a SHA-256: ${sha256}`);
    return join(this.dir, sha256.slice(0, 2), `${sha256.slice(2)}.bin`);
  }

  /** Stores bytes under their SHA-256 (computed here, never taken on trust); returns it. */
  async put(bytes: Uint8Array): Promise<string> {
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const path = this.pathOf(sha256);
    const existing = await stat(path).catch(() => null);
    if (existing?.isFile() && existing.size === bytes.byteLength) return sha256;
    await mkdir(join(this.dir, sha256.slice(0, 2)), { recursive: true });
    const temp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      await writeFile(temp, bytes);
      await rename(temp, path);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
    return sha256;
  }

  async get(sha256: string): Promise<Uint8Array | null> {
    return readFile(this.pathOf(sha256)).catch(() => null);
  }

  /** Whether the stored bytes still hash to their name (the reviewer page shows it). */
  async verify(sha256: string): Promise<'ok' | 'missing' | 'altered'> {
    const bytes = await this.get(sha256);
    if (!bytes) return 'missing';
    return createHash('sha256').update(bytes).digest('hex') === sha256 ? 'ok' : 'altered';
  }
}

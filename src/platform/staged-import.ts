/**
 * The options page hands a list file to the background through the extension's database (Dexie),
 * not as a message: Chrome refuses messages over 64 MiB, and a list file can be hundreds of MB.
 * Kept apart from list-store.ts so the options page doesn't bundle the compiler.
 */
import { mb } from '../core/bytes';
import { db } from './db';

/** The largest list file the options page imports. */
export const MAX_IMPORT_BYTES = 256 << 20;

/** A list refused before it became active, with the reason in words. */
export class ActivationError extends Error {
  override name = 'ActivationError';
}

/** Stores the file for the background and returns the id to pass in `importList`. */
export async function stageImport(file: Blob, name: string): Promise<string> {
  if (file.size > MAX_IMPORT_BYTES) {
    throw new ActivationError(
      `${name} is ${mb(file.size)}; list files up to ${mb(MAX_IMPORT_BYTES)} can be imported`,
    );
  }
  const id = crypto.randomUUID();
  await db.staged.put({ id, name, file, at: Date.now() });
  return id;
}

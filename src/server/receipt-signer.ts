/**
 * The server's own Ed25519 key, which signs receipts. Kept in a PKCS#8 PEM file (mode 0600), made
 * on first start when there is none, so receipts stay verifiable across restarts.
 */
import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  type KeyObject,
} from 'node:crypto';
import { chmod, readFile, writeFile } from 'node:fs/promises';
import { receiptMessage, type Receipt, type ReceiptBody } from '../core/report';

export interface ReceiptSigner {
  /** base64 of the raw 32-byte public key. */
  publicKey: string;
  sign(body: Omit<ReceiptBody, 'key'>): Receipt;
}

export function publicKeyOf(key: KeyObject): string {
  const jwk = createPublicKey(key).export({ format: 'jwk' }) as { x: string };
  return Buffer.from(jwk.x, 'base64url').toString('base64');
}

export function receiptSigner(key: KeyObject): ReceiptSigner {
  if (key.asymmetricKeyType !== 'ed25519') throw new Error('the receipt key must be Ed25519');
  const publicKey = publicKeyOf(key);
  return {
    publicKey,
    sign(body) {
      const full: ReceiptBody = { ...body, key: publicKey };
      const sig = sign(null, receiptMessage(full), key).toString('base64');
      return { ...full, sig };
    },
  };
}

/** Reads the key at `path`, or makes one there when the file doesn't exist. */
export async function loadOrCreateReceiptKey(
  path: string,
): Promise<{ key: KeyObject; created: boolean }> {
  const pem = await readFile(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw error;
  });
  if (pem) {
    const key = createPrivateKey(pem);
    if (key.asymmetricKeyType !== 'ed25519') throw new Error(`${path} is not an Ed25519 key`);
    return { key, created: false };
  }
  const { privateKey } = generateKeyPairSync('ed25519');
  await writeFile(path, privateKey.export({ format: 'pem', type: 'pkcs8' }), {
    mode: 0o600,
    flag: 'wx',
  });
  await chmod(path, 0o600);
  return { key: privateKey, created: true };
}

/**
 * Ed25519 over a feed manifest's exact bytes. WebCrypto where the runtime has Ed25519 (Chrome 137+,
 * Firefox 129+, Node 20), else @noble/ed25519, an audited pure-JS verifier, because the manifest
 * admits Chromium forks from 110. Both check RFC 8032 signatures over the same bytes (noble is run
 * with `zip215: false`, the strict RFC 8032 / FIPS 186-5 rules WebCrypto follows).
 */
import { verifyAsync } from '@noble/ed25519';
import { bufferOf } from './bytes';

export type Verifier = (
  publicKey: Uint8Array,
  signature: Uint8Array,
  message: Uint8Array,
) => Promise<boolean>;

/** WebCrypto's Ed25519, or null where the runtime lacks it. */
export async function webCryptoVerifier(
  subtle: SubtleCrypto | undefined = globalThis.crypto?.subtle,
): Promise<Verifier | null> {
  if (!subtle) return null;
  try {
    // A known-good key: importing it fails only where Ed25519 is missing.
    await subtle.importKey('raw', bufferOf(probeKey), { name: 'Ed25519' }, false, ['verify']);
  } catch {
    return null;
  }
  return async (publicKey, signature, message) => {
    let key: CryptoKey;
    try {
      key = await subtle.importKey('raw', bufferOf(publicKey), { name: 'Ed25519' }, false, [
        'verify',
      ]);
    } catch {
      return false; // not a valid public key
    }
    try {
      return await subtle.verify({ name: 'Ed25519' }, key, bufferOf(signature), bufferOf(message));
    } catch {
      return false;
    }
  };
}

/** The pure-JS verifier (also what runs where WebCrypto has no Ed25519). */
export const nobleVerifier: Verifier = async (publicKey, signature, message) => {
  try {
    return await verifyAsync(signature, message, publicKey, { zip215: false });
  } catch {
    return false;
  }
};

let chosen: Promise<Verifier> | null = null;

/** The verifier this runtime uses: WebCrypto if it has Ed25519, else noble. */
export function defaultVerifier(): Promise<Verifier> {
  chosen ??= webCryptoVerifier().then((v) => v ?? nobleVerifier);
  return chosen;
}

// RFC 8032 test 1's public key, used to probe for Ed25519 support.
const probeKey = Uint8Array.from(
  'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a'
    .match(/../g)!
    .map((h) => parseInt(h, 16)),
);

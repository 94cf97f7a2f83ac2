/**
 * A feed publisher for tests: builds versions with the real `leadguard feed build` code into a
 * temporary directory and serves them through the reference server, with faults injected per
 * request (a tampered signature, a key nobody trusts, a truncated or altered body, an HTML error
 * page, a rollback, a replayed manifest, 404/500/503 with Retry-After, a hang …). The unit tests
 * call the app in-process; the e2e tests serve it on 127.0.0.1.
 */
import { createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hono } from 'hono';
import { buildFeed, publicKeyBase64, signManifest } from '../../src/cli/feed';
import { sha256Hex } from '../../src/core/bytes';
import { parseManifest, type Manifest } from '../../src/core/feed-format';
import { createApp } from '../../src/server/app';
import { feedCors, feedRoutes } from '../../src/server/routes/feed';

export type Fault =
  | 'bad-signature'
  | 'unknown-key'
  | 'hash-mismatch'
  | 'truncated'
  | 'invalid-json'
  | 'schema'
  | 'oversize'
  | 'rollback'
  | 'replay'
  | 'expired'
  | 'html'
  | '404'
  | '500'
  | '503'
  | 'timeout'
  | 'delta-gap'
  | 'delta-gap-no-snapshot';

export interface TestKey {
  key: KeyObject;
  pub: string;
}

export function newKey(): TestKey {
  const { privateKey } = generateKeyPairSync('ed25519');
  return { key: privateKey, pub: publicKeyBase64(createPublicKey(privateKey)) };
}

const provenance = { source: 'e2e', addedAt: '2026-11-24' };
const scoring = {
  weights: {
    topicStrong: 3,
    topicWeak: 2,
    lure: 3,
    contact: 3,
    guarantee: 3,
    policy: 2,
    account: 6,
    fuzzyVariant: 0.8,
  },
  context: { warning: -4 },
  leadThreshold: 4.5,
  proximity: 80,
};

/** Warning cues that every test version shares (so a snapshot outweighs a delta). */
const filler = Array.from({ length: 60 }, (_, i) => ({
  kind: 'cue',
  id: `e2e.cue.${i}`,
  text: `提醒${String.fromCharCode(0x4e00 + i * 7)}${String.fromCharCode(0x4f00 + i * 5)}`,
  context: 'warning',
  provenance,
}));

/** A small list: `phrases` are strong 征信修复 topics, plus the lure 找我 and shared cues. */
export function testList(version: number, phrases: string[], extra: object[] = []) {
  return {
    format: 'leadguard-list/1',
    id: 'e2e-feed',
    version,
    issuedAt: '2026-11-24T00:00:00Z',
    name: 'e2e 订阅名单',
    homophones: {},
    scoring,
    entries: [
      ...phrases.map((text, i) => ({
        kind: 'phrase',
        id: `e2e.topic.${i}`,
        text,
        category: '征信修复',
        signal: 'strong',
        provenance,
      })),
      {
        kind: 'phrase',
        id: 'e2e.findme',
        text: '找我',
        category: '引流',
        signal: 'strong',
        provenance,
      },
      ...filler,
      ...extra,
    ],
  };
}

export class TestFeed {
  readonly dir = mkdtempSync(join(tmpdir(), 'leadguard-feed-'));
  fault: Fault | null = null;
  /** Seconds of Retry-After on 503. */
  retryAfter = 120;
  /** Every manifest and signature published, by version (for replays). */
  readonly published = new Map<number, { manifest: Uint8Array; sig: Uint8Array }>();
  /** Requests seen, newest last (path and If-None-Match). */
  readonly requests: { path: string; ifNoneMatch: string | null }[] = [];
  readonly app: Hono;
  private hangs = new Set<() => void>();

  constructor(public keys: TestKey[] = [newKey()]) {
    const files = feedRoutes(this.dir);
    const faulty = new Hono();
    faulty.use('*', feedCors());
    faulty.get('/:name', async (c) => {
      const name = c.req.param('name');
      this.requests.push({ path: name, ifNoneMatch: c.req.header('if-none-match') ?? null });
      const served = await this.faulty(name, c.req.raw);
      return served ?? files.app.fetch(new Request(new URL(`/${name}`, c.req.url), c.req.raw));
    });
    this.app = createApp([{ prefix: '/feed', app: faulty }]);
  }

  /** Publishes the next version of `list` (signed by the current keys). */
  async publish(list: object, options: { allowShrink?: boolean } = {}): Promise<Manifest> {
    const input = join(this.dir, '.input.json');
    await writeFile(input, JSON.stringify(list));
    const { manifest } = await buildFeed({
      input,
      out: this.dir,
      keys: this.keys.map((k) => k.key),
      feedId: 'e2e-feed',
      allowShrink: options.allowShrink,
    });
    await rm(input);
    this.published.set(manifest.version, {
      manifest: await readFile(join(this.dir, 'manifest.json')),
      sig: await readFile(join(this.dir, 'manifest.json.sig')),
    });
    return manifest;
  }

  async manifest(): Promise<Manifest> {
    return parseManifest(await readFile(join(this.dir, 'manifest.json')));
  }

  /** Ends requests held by the timeout fault. */
  release(): void {
    for (const done of this.hangs) done();
    this.hangs.clear();
  }

  private async signed(
    manifest: object,
    keys = this.keys,
  ): Promise<{ manifest: Uint8Array; sig: Uint8Array }> {
    const bytes = new TextEncoder().encode(`${JSON.stringify(manifest, null, 2)}\n`);
    return {
      manifest: bytes,
      sig: signManifest(
        bytes,
        keys.map((k) => k.key),
      ),
    };
  }

  /** A next version whose snapshot is `bytes`, described honestly by a validly signed manifest. */
  private async withSnapshot(
    bytes: Uint8Array,
  ): Promise<{ manifest: Uint8Array; sig: Uint8Array; snapshot: Uint8Array }> {
    const current = await this.manifest();
    const manifest = {
      ...current,
      version: current.version + 1,
      deltas: [],
      snapshot: {
        url: `snapshot-${current.version + 1}.json`,
        size: bytes.byteLength,
        sha256: await sha256Hex(bytes),
      },
    };
    return { ...(await this.signed(manifest)), snapshot: bytes };
  }

  private async faulty(name: string, request: Request): Promise<Response | null> {
    const json = (bytes: Uint8Array, status = 200) =>
      new Response(bytes as Uint8Array<ArrayBuffer>, {
        status,
        headers: { 'content-type': 'application/json' },
      });
    const isManifest = name === 'manifest.json';
    const isSig = name === 'manifest.json.sig';
    const current = await this.manifest();
    const isSnapshot = /^snapshot-\d+\.json$/.test(name);
    const isArtifact = isSnapshot || /^delta-\d+-\d+\.json$/.test(name);
    switch (this.fault) {
      case null:
        return null;
      case '404':
        return isManifest ? new Response('not found', { status: 404 }) : null;
      case '500':
        return isManifest ? new Response('boom', { status: 500 }) : null;
      case '503':
        return isManifest
          ? new Response('busy', {
              status: 503,
              headers: { 'retry-after': String(this.retryAfter) },
            })
          : null;
      case 'html':
        return isManifest
          ? new Response('<!doctype html><html><body><h1>502 Bad Gateway</h1></body></html>', {
              status: 200,
              headers: { 'content-type': 'text/html' },
            })
          : null;
      case 'oversize':
        // A manifest that never ends: 8 MiB of spaces then a brace (the client stops at 1 MiB).
        return isManifest ? json(new Uint8Array(8 << 20).fill(0x20)) : null;
      case 'timeout':
        if (!isManifest) return null;
        // Held open until the client gives up or the test releases it (at most 60 s).
        await new Promise<void>((done) => {
          const timer = setTimeout(done, 60_000);
          const finish = () => {
            clearTimeout(timer);
            done();
          };
          this.hangs.add(finish);
          request.signal.addEventListener('abort', finish, { once: true });
        });
        return new Response('late', { status: 504 });
      case 'bad-signature': {
        if (!isSig) return null;
        const sig = JSON.parse(await readFile(join(this.dir, 'manifest.json.sig'), 'utf8'));
        const bytes = Buffer.from(sig.signatures[0].sig, 'base64');
        bytes[10] = bytes[10]! ^ 0xff;
        sig.signatures[0].sig = bytes.toString('base64');
        return json(new TextEncoder().encode(JSON.stringify(sig)));
      }
      case 'unknown-key': {
        if (!isSig) return null;
        const manifest = await readFile(join(this.dir, 'manifest.json'));
        return json(signManifest(manifest, [newKey().key]));
      }
      case 'hash-mismatch': {
        if (!isArtifact) return null;
        const bytes = await readFile(join(this.dir, name));
        const text = bytes.toString('utf8').replace('"e2e', '"e3e');
        return json(new TextEncoder().encode(text));
      }
      case 'truncated': {
        if (!isArtifact) return null;
        const bytes = await readFile(join(this.dir, name));
        // The connection breaks off halfway through the body.
        const stream = new ReadableStream<Uint8Array>({
          start(controller) {
            controller.enqueue(new Uint8Array(bytes.subarray(0, bytes.length >> 1)));
            setTimeout(() => controller.error(new Error('connection reset')), 50);
          },
        });
        return new Response(stream, {
          headers: { 'content-type': 'application/json', 'content-length': String(bytes.length) },
        });
      }
      case 'invalid-json':
      case 'schema': {
        const body = new TextEncoder().encode(
          this.fault === 'invalid-json'
            ? '{"format":"leadguard-list/1","entries":[{'
            : JSON.stringify({
                ...testList(current.version + 1, ['屏幕修复']),
                version: current.version + 1,
                entries: [{ kind: 'phrase', id: 'Bad Id', text: 'x' }],
              }),
        );
        const next = await this.withSnapshot(body);
        if (isManifest) return json(next.manifest);
        if (isSig) return json(next.sig);
        if (name === `snapshot-${current.version + 1}.json`) return json(next.snapshot);
        return null;
      }
      case 'rollback': {
        const older = {
          ...current,
          // Older than what a client two versions behind the feed has.
          version: current.version - 2,
          deltas: [],
        };
        const signed = await this.signed(older);
        return isManifest ? json(signed.manifest) : isSig ? json(signed.sig) : null;
      }
      case 'replay': {
        const old = this.published.get(current.version - 2);
        if (!old) throw new Error('replay needs an older published version');
        return isManifest ? json(old.manifest) : isSig ? json(old.sig) : null;
      }
      case 'expired': {
        const past = {
          ...current,
          version: current.version + 1,
          issuedAt: '2020-01-01T00:00:00.000Z',
          expires: '2020-02-01T00:00:00.000Z',
        };
        const signed = await this.signed(past);
        return isManifest ? json(signed.manifest) : isSig ? json(signed.sig) : null;
      }
      case 'delta-gap':
      case 'delta-gap-no-snapshot': {
        // The manifest offers a delta from the client's version that was really made from another
        // one (a publisher's gap). The client must not apply it.
        if (this.fault === 'delta-gap-no-snapshot' && isSnapshot)
          return new Response('gone', { status: 404 });
        if (!isManifest && !isSig) return null;
        const real = current.deltas.at(-1);
        if (!real || current.version < 3)
          throw new Error('delta-gap needs versions 1..3 published');
        const forged = { ...current, deltas: [{ ...real, from: real.from - 1 }] };
        const signed = await this.signed(forged);
        return isManifest ? json(signed.manifest) : json(signed.sig);
      }
    }
  }

  async close(): Promise<void> {
    this.release();
    await rm(this.dir, { recursive: true, force: true });
  }
}

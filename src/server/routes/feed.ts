/**
 * Serves a feed directory (what `leadguard feed build` writes) as static files with strong ETags,
 * so clients make conditional requests for the manifest, and gzip when the client accepts it.
 * Only plain file names are served (no paths), so nothing outside the directory can be reached.
 */
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Hono } from 'hono';
import { cors } from 'hono/cors';
import type { RouteModule } from '../app';

const fileName = /^[a-z0-9][a-z0-9._-]{0,127}$/;

interface Cached {
  mtimeMs: number;
  size: number;
  body: Buffer;
  gzip: Buffer | null;
  etag: string;
}

/**
 * Feeds are public data read by extensions from their own origin: any origin may GET them, and
 * the ETag and Retry-After headers must be readable for conditional requests and backoff.
 */
export const feedCors = () =>
  cors({
    origin: '*',
    allowMethods: ['GET', 'HEAD', 'OPTIONS'],
    allowHeaders: ['If-None-Match'],
    exposeHeaders: ['ETag', 'Retry-After', 'Content-Length'],
  });

export function feedRoutes(dir: string, prefix = '/feed'): RouteModule {
  const cache = new Map<string, Cached>();
  const load = async (name: string): Promise<Cached | null> => {
    const path = join(dir, name);
    const info = await stat(path).catch(() => null);
    if (!info?.isFile()) return null;
    const hit = cache.get(name);
    if (hit && hit.mtimeMs === info.mtimeMs && hit.size === info.size) return hit;
    const body = await readFile(path);
    const etag = `"${createHash('sha256').update(body).digest('hex').slice(0, 32)}"`;
    const entry = { mtimeMs: info.mtimeMs, size: info.size, body, gzip: null, etag };
    cache.set(name, entry);
    return entry;
  };
  const app = new Hono();
  app.use('*', feedCors());
  app.get('/:name', async (c) => {
    const name = c.req.param('name');
    if (!fileName.test(name)) return c.json({ error: 'not a feed file' }, 404);
    const file = await load(name);
    if (!file) return c.json({ error: `no ${name} in this feed` }, 404);
    const headers: Record<string, string> = {
      etag: file.etag,
      // The manifest changes with every version: revalidate it. Versioned files never change.
      'cache-control': name.startsWith('manifest')
        ? 'no-cache'
        : 'public, max-age=31536000, immutable',
      'content-type': name.endsWith('.json') ? 'application/json' : 'application/octet-stream',
      vary: 'Accept-Encoding',
    };
    const match = c.req.header('if-none-match');
    if (match && match.split(',').some((tag) => tag.trim().replace(/^W\//, '') === file.etag)) {
      return c.body(null, 304, headers);
    }
    if (/\bgzip\b/.test(c.req.header('accept-encoding') ?? '') && file.body.length > 1024) {
      file.gzip ??= gzipSync(file.body);
      return c.body(new Uint8Array(file.gzip), 200, { ...headers, 'content-encoding': 'gzip' });
    }
    return c.body(new Uint8Array(file.body), 200, headers);
  });
  return { prefix, app };
}

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../../src/server/app';
import { feedRoutes } from '../../../src/server/routes/feed';

describe('the reference server', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lg-serve-'));
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ hello: 'x'.repeat(4000) }));
  const app = createApp([feedRoutes(dir)]);

  it('serves feed files with a strong ETag and answers 304 to If-None-Match', async () => {
    const first = await app.request('/feed/manifest.json');
    expect(first.status).toBe(200);
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^"[0-9a-f]{32}"$/);
    expect(first.headers.get('cache-control')).toBe('no-cache');
    const again = await app.request('/feed/manifest.json', { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
  });

  it('lets extensions read it across origins, ETag and Retry-After included', async () => {
    const preflight = await app.request('/feed/manifest.json', {
      method: 'OPTIONS',
      headers: {
        origin: 'chrome-extension://x',
        'access-control-request-method': 'GET',
        'access-control-request-headers': 'if-none-match',
      },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    expect(preflight.headers.get('access-control-allow-headers')).toMatch(/If-None-Match/i);
    const get = await app.request('/feed/manifest.json', {
      headers: { origin: 'chrome-extension://x' },
    });
    expect(get.headers.get('access-control-expose-headers')).toMatch(/ETag/);
  });

  it('gzips for clients that accept it', async () => {
    const response = await app.request('/feed/manifest.json', {
      headers: { 'accept-encoding': 'gzip' },
    });
    expect(response.headers.get('content-encoding')).toBe('gzip');
    expect(
      JSON.parse(gunzipSync(Buffer.from(await response.arrayBuffer())).toString()),
    ).toHaveProperty('hello');
  });

  it.each(['/feed/..%2Fetc%2Fpasswd', '/feed/.hidden', '/feed/missing.json', '/elsewhere'])(
    'answers 404 for %s',
    async (path) => {
      expect((await app.request(path)).status).toBe(404);
    },
  );
});

/**
 * A local HTTPS server that plays the supported platforms: a request for https://www.douyin.com/x
 * (resolved to 127.0.0.1 by Chromium's host-resolver rules) gets test/fixtures/douyin/x.html.
 * Used by the e2e tests, the page benchmark and `npm start`. Binds to 127.0.0.1 only.
 */
import { createServer, type Server } from 'node:https';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import type { AddressInfo } from 'node:net';
import { generate } from 'selfsigned';
import { MatchPattern } from 'wxt/utils/match-patterns';
import { platforms } from '../sites/platforms';

export const fixturesDir = resolve(import.meta.dirname, '../../test/fixtures');

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

/** The fixture folder for a hostname: the platform whose match patterns cover it, else `demo`. */
export function fixtureSiteFor(hostname: string): string {
  const url = `https://${hostname}/`;
  const platform = platforms.find((p) => p.matches.some((m) => new MatchPattern(m).includes(url)));
  return platform?.id ?? 'demo';
}

/** Maps a URL path to a file below the site folder: `/video/1` → `video/1.html` or `video/1/index.html`. */
export async function resolveFixture(site: string, pathname: string): Promise<string | null> {
  const root = join(fixturesDir, site);
  const clean = normalize(decodeURIComponent(pathname)).replace(/^([/\\])+/, '');
  const base = join(root, clean);
  if (base !== root && !base.startsWith(root + sep)) return null;
  for (const candidate of [base, `${base}.html`, join(base, 'index.html')]) {
    const info = await stat(candidate).catch(() => null);
    if (info?.isFile()) return candidate;
  }
  return null;
}

export interface DemoServer {
  port: number;
  close(): Promise<void>;
}

export async function startDemoServer(port = 0): Promise<DemoServer> {
  const pems = await generate([{ name: 'commonName', value: 'leadguard.test' }], {
    keySize: 2048,
    algorithm: 'sha256',
  });
  const server: Server = createServer({ key: pems.private, cert: pems.cert }, (req, res) => {
    const host = (req.headers.host ?? 'localhost').replace(/:\d+$/, '');
    const url = new URL(req.url ?? '/', `https://${host}`);
    void resolveFixture(fixtureSiteFor(host), url.pathname).then(async (file) => {
      if (!file) {
        res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
        res.end(`no fixture for ${host}${url.pathname}`);
        return;
      }
      res.writeHead(200, {
        'content-type': contentTypes[extname(file)] ?? 'application/octet-stream',
        'cache-control': 'no-store',
      });
      res.end(await readFile(file));
    });
  });
  await new Promise<void>((ok) => server.listen(port, '127.0.0.1', ok));
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise((ok) => server.close(() => ok())),
  };
}

/**
 * Finding and launching Debian's Chromium with the built extension loaded, for e2e tests,
 * benchmarks and `npm start`. Test tools never download a browser here.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const EXTENSION_ID = 'ldgkbnbpfaijphofclgmbnabiclddadh';
export const chromeBuildDir = resolve(import.meta.dirname, '../../.output/chrome-mv3');

const candidates = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

export function findChromium(env: NodeJS.ProcessEnv = process.env): string | null {
  if (env.CHROME_PATH) return existsSync(env.CHROME_PATH) ? env.CHROME_PATH : null;
  return candidates.find((path) => existsSync(path)) ?? null;
}

export const missingChromiumMessage = [
  'Chromium was not found.',
  "Install Debian's Chromium and a CJK font:  sudo apt-get install chromium fonts-wqy-zenhei",
  'or point CHROME_PATH at a Chromium/Chrome binary.',
].join('\n');

export interface LaunchOptions {
  /** Port of the local HTTPS fixture server that platform hostnames resolve to. */
  fixturePort?: number;
  headless?: boolean;
  extensionDir?: string;
  userDataDir?: string;
}

/** Arguments for a Chromium with the extension loaded and the platforms' hosts mapped locally. */
export function chromiumArgs(options: LaunchOptions): string[] {
  const extension = options.extensionDir ?? chromeBuildDir;
  const args = [
    `--disable-extensions-except=${extension}`,
    `--load-extension=${extension}`,
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--no-default-browser-check',
    '--disable-quic',
    '--disable-gpu',
    '--lang=zh-CN',
  ];
  if (options.fixturePort !== undefined) {
    // Platform hostnames resolve to the local fixture server, so the real manifest matches apply.
    // douyin.com and toutiao.com are HSTS-preloaded, hence HTTPS with a throwaway certificate.
    args.push(
      `--host-resolver-rules=MAP * 127.0.0.1:${options.fixturePort}, EXCLUDE localhost, EXCLUDE 127.0.0.1`,
      '--ignore-certificate-errors',
    );
  }
  return args;
}

export function freshProfileDir(): string {
  return mkdtempSync(join(tmpdir(), 'leadguard-profile-'));
}

export function assertBuilt(dir: string = chromeBuildDir): void {
  if (!existsSync(join(dir, 'manifest.json'))) {
    throw new Error(`No built extension at ${dir}. Run \`npm run build\` first.`);
  }
}

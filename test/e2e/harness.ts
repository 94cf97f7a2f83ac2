/**
 * Playwright harness: Debian's Chromium with the built extension, platform hostnames mapped to the
 * local HTTPS fixture server (started once in global-setup), one persistent profile per test file.
 */
import { chromium, type BrowserContext, type Page, type Worker } from 'playwright-core';
import { inject } from 'vitest';
import type { browser } from 'wxt/browser';
import {
  EXTENSION_ID,
  assertBuilt,
  chromiumArgs,
  findChromium,
  freshProfileDir,
  missingChromiumMessage,
} from '../../src/cli/chromium';

declare module 'vitest' {
  export interface ProvidedContext {
    fixturePort: number;
  }
}

/** The service worker's `chrome` global, typed as WXT's browser API. */
export type ExtensionGlobal = { chrome: typeof browser };

export interface ExtensionSession {
  context: BrowserContext;
  worker: Worker;
  extensionId: string;
  /** Opens an extension page such as `popup.html?tab=3`. */
  openExtensionPage(path: string): Promise<Page>;
  /** Opens a platform URL (served from test/fixtures) and waits for it to load. */
  openSite(url: string): Promise<Page>;
  /** The browser tab id of a page, as the extension sees it. */
  tabIdOf(page: Page): Promise<number>;
  close(): Promise<void>;
}

export async function launchExtension(): Promise<ExtensionSession> {
  const executablePath = findChromium();
  if (!executablePath) throw new Error(missingChromiumMessage);
  assertBuilt();
  const context = await chromium.launchPersistentContext(freshProfileDir(), {
    executablePath,
    headless: true,
    args: chromiumArgs({ fixturePort: inject('fixturePort') }),
    ignoreHTTPSErrors: true,
    locale: 'zh-CN',
    viewport: { width: 1280, height: 900 },
  });
  const worker =
    context.serviceWorkers().find((w) => w.url().startsWith('chrome-extension://')) ??
    (await context.waitForEvent('serviceworker', { timeout: 15_000 }));
  const extensionId = new URL(worker.url()).host;
  if (extensionId !== EXTENSION_ID) {
    throw new Error(`Loaded extension id ${extensionId}, expected ${EXTENSION_ID} (manifest key)`);
  }
  const open = async (url: string) => {
    const page = await context.newPage();
    await page.goto(url, { waitUntil: 'load' });
    return page;
  };
  return {
    context,
    worker,
    extensionId,
    openExtensionPage: (path) => open(`chrome-extension://${extensionId}/${path}`),
    openSite: open,
    async tabIdOf(page) {
      const url = page.url();
      const id = await worker.evaluate(async (u) => {
        const tabs = await (globalThis as unknown as ExtensionGlobal).chrome.tabs.query({});
        return tabs.find((t) => t.url === u)?.id ?? null;
      }, url);
      if (id === null) throw new Error(`no tab shows ${url}`);
      return id;
    },
    close: () => context.close(),
  };
}

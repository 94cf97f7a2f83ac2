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

export interface LaunchExtensionOptions {
  /** A profile to reuse (a browser relaunched on the same profile); a fresh one by default. */
  userDataDir?: string;
  /** More Chromium switches. */
  args?: string[];
}

export async function launchExtension(
  options: LaunchExtensionOptions = {},
): Promise<ExtensionSession> {
  const executablePath = findChromium();
  if (!executablePath) throw new Error(missingChromiumMessage);
  // E2E_EXTENSION_DIR runs the tests against another build (an older commit's: did they fail?).
  const extensionDir = process.env.E2E_EXTENSION_DIR;
  assertBuilt(extensionDir);
  const context = await chromium.launchPersistentContext(options.userDataDir ?? freshProfileDir(), {
    executablePath,
    headless: true,
    args: [
      ...chromiumArgs({
        fixturePort: inject('fixturePort'),
        ...(extensionDir ? { extensionDir } : {}),
      }),
      ...(options.args ?? []),
    ],
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
        // URLs are visible only where LeadGuard has host permission (it has no `tabs`
        // permission); elsewhere the newest tab without one is the page just opened.
        const byUrl = tabs.find((t) => t.url === u);
        if (byUrl) return byUrl.id ?? null;
        const hidden = tabs.filter((t) => t.url === undefined && t.id !== undefined);
        return hidden.length ? Math.max(...hidden.map((t) => t.id!)) : null;
      }, url);
      if (id === null) throw new Error(`no tab shows ${url}`);
      return id;
    },
    close: () => context.close(),
  };
}

interface ExecutionContext {
  id: number;
  origin: string;
  name: string;
  auxData?: { type?: string; isDefault?: boolean; frameId?: string };
}

/**
 * Evaluates `expression` in LeadGuard's content-script world of the page's main frame (Chromium's
 * isolated world, through CDP), where `chrome.dom.openOrClosedShadowRoot` reads the card's closed
 * shadow root and `chrome.runtime` is the content script's. A Promise result is awaited.
 */
export async function inContentScript<T>(page: Page, expression: string): Promise<T> {
  const cdp = await page.context().newCDPSession(page);
  try {
    const contexts: ExecutionContext[] = [];
    cdp.on('Runtime.executionContextCreated', (e: { context: ExecutionContext }) =>
      contexts.push(e.context),
    );
    await cdp.send('Runtime.enable');
    const { frameTree } = (await cdp.send('Page.getFrameTree')) as {
      frameTree: { frame: { id: string } };
    };
    const world = contexts.find(
      (c) =>
        c.origin.startsWith('chrome-extension://') &&
        c.auxData?.type === 'isolated' &&
        c.auxData.frameId === frameTree.frame.id,
    );
    if (!world) throw new Error(`no LeadGuard content script in ${page.url()}`);
    const result = (await cdp.send('Runtime.evaluate', {
      expression,
      contextId: world.id,
      returnByValue: true,
      awaitPromise: true,
    })) as {
      result: { value: T };
      exceptionDetails?: { text: string; exception?: { description?: string } };
    };
    if (result.exceptionDetails) {
      throw new Error(
        result.exceptionDetails.exception?.description ?? result.exceptionDetails.text,
      );
    }
    return result.result.value;
  } finally {
    await cdp.detach();
  }
}

/** The hover card's text as the user sees it, or null while it is hidden. */
export function cardText(page: Page): Promise<string | null> {
  return inContentScript<string | null>(
    page,
    `(() => {
      const host = document.querySelector('leadguard-card');
      const root = host && chrome.dom.openOrClosedShadowRoot(host);
      const card = root && root.querySelector('.card');
      return card && !card.hidden ? card.innerText : null;
    })()`,
  );
}

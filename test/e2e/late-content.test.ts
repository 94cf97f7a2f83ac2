/**
 * Issue 9: pages as they really render, in real Chromium. A Bilibili comment section that arrives
 * 1–3 s after load inside shadow roots (components defined late, lists rendered into their roots
 * later still), and replies that load on click inside nested roots, are highlighted. A platform
 * page whose layout changed (restyled) is scanned in generic mode, and the popup says so and
 * hands out a diagnostic.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { fixturesDir } from '../../src/cli/demo-server';
import { restyle } from '../unit/page/restyle';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchExtension, type ExtensionSession } from './harness';
import { fixtureCoverage, waitForHighlights } from './highlights';

let session: ExtensionSession;
beforeAll(async () => {
  session = await launchExtension();
});
afterAll(() => session?.close());

const state = (page: Page) =>
  page.evaluate(() => (window as { fixtureState?: string }).fixtureState);

async function leadsHighlighted(page: Page, leads: number) {
  await expect
    .poll(
      async () => {
        const c = await fixtureCoverage(page);
        return `${c.leadsHighlighted}/${c.leads}`;
      },
      { timeout: 15_000, interval: 200 },
    )
    .toBe(`${leads}/${leads}`);
  return fixtureCoverage(page);
}

describe('a Bilibili comment section that renders late, inside shadow roots', () => {
  let page: Page;
  beforeAll(async () => {
    // A first run compiles the bundled list before any scan starts: wait that out on another page,
    // so the scan here starts before the comments render, as it does for a user.
    const warm = await session.openSite('https://www.bilibili.com/video/BV1xx411c7mD');
    await waitForHighlights(warm);
    await warm.close();
    page = await session.openSite('https://www.bilibili.com/video/BV1Ls411c7mL');
  });
  afterAll(() => page?.close());

  it('is highlighted once it renders, seconds after the load', async () => {
    // The scan is running before the comment components are even defined.
    await page.waitForFunction(
      () => performance.getEntriesByName('leadguard-scan-start').length > 0,
    );
    expect(await state(page)).toBe('waiting');
    await page.waitForFunction(
      () => (window as { fixtureState?: string }).fixtureState === 'comments',
      null,
      {
        timeout: 10_000,
      },
    );
    const coverage = await leadsHighlighted(page, 1);
    expect(coverage.leadsMissed).toEqual([]);
    expect(coverage.benignMarkedLead).toEqual([]);
  });

  it('highlights replies that load on click, inside nested roots', async () => {
    // Playwright's CSS engine pierces open shadow roots, as a user's click reaches them.
    await page.locator('#load-replies').click();
    await page.waitForFunction(
      () => (window as { fixtureState?: string }).fixtureState === 'replies',
      null,
      {
        timeout: 10_000,
      },
    );
    const coverage = await leadsHighlighted(page, 2);
    expect(coverage.benignMarkedLead).toEqual([]);
    expect(coverage.benign).toBeGreaterThanOrEqual(3);
    // The reply's lead is counted on the toolbar badge too.
    const tabId = await session.tabIdOf(page);
    await expect
      .poll(
        () =>
          session.worker.evaluate(
            async (id) =>
              await (
                globalThis as unknown as {
                  chrome: { action: { getBadgeText(d: { tabId: number }): Promise<string> } };
                }
              ).chrome.action.getBadgeText({ tabId: id }),
            tabId,
          ),
        { timeout: 10_000 },
      )
      .toBe('2');
  });
});

describe('a platform page whose layout changed', () => {
  const url = 'https://www.douyin.com/video/7300000000000009901';
  let page: Page;
  beforeAll(async () => {
    const html = readFileSync(join(fixturesDir, 'douyin/video/7300000000000000001.html'), 'utf8');
    // The redesign runs in the page before LeadGuard's scan starts (content scripts run at idle).
    const restyled = html.replace(
      '</body>',
      `<script>(${restyle.toString()})(document);</script></body>`,
    );
    expect(restyled).not.toBe(html);
    await session.context.route(url, (route) =>
      route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: restyled }),
    );
    page = await session.openSite(url);
  });
  afterAll(() => page?.close());

  it('is scanned in generic mode: its leads are highlighted', async () => {
    // The Douyin adapter finds nothing on it (every class, hook and wrapper changed).
    expect(await page.locator('[data-e2e="comment-item"]').count()).toBe(0);
    const coverage = await leadsHighlighted(page, (await fixtureCoverage(page)).leads);
    expect(coverage.leads).toBeGreaterThan(0);
    expect(coverage.leadsMissed).toEqual([]);
  });

  it('the popup says so and copies a diagnostic', async () => {
    const popup = await session.openExtensionPage(`popup.html?tab=${await session.tabIdOf(page)}`);
    const notice = popup.locator('section.fallback');
    // The fallback comes a few seconds into the scan; the popup shows the state as it opens.
    await expect
      .poll(
        async () => {
          await popup.reload();
          await popup.locator('dl.status').waitFor();
          return notice.count();
        },
        { timeout: 15_000, interval: 500 },
      )
      .toBe(1);
    expect(await notice.getAttribute('title')).toBe(
      "this site's layout looks changed — scanning in generic mode",
    );
    expect(await notice.locator('.fallback-line').textContent()).toContain('通用模式');
    const diagnostic = await notice.locator('textarea.diagnostic').inputValue();
    expect(diagnostic).toContain('adapter: douyin');
    expect(diagnostic).toContain('page kind: video');
    expect(diagnostic).toMatch(/selectors that found nothing \([1-9]\d*\):\n {2}\w+: /);
    expect(diagnostic).toMatch(/^LeadGuard \d+\.\d+\.\d+: /);
    expect(diagnostic).toContain('page: www.douyin.com/video/7300000000000009901');
    await popup.locator('button.copy-diagnostic').click();
    await expect.poll(() => popup.locator('button.copy-diagnostic').textContent()).toBe('已复制');
    // What was copied is what a paste gives back (the browser's own clipboard, as a user pastes).
    await popup.evaluate(() => {
      const paste = document.createElement('textarea');
      paste.id = 'paste';
      document.body.append(paste);
    });
    await popup.locator('#paste').focus();
    await popup.keyboard.press('ControlOrMeta+V');
    expect(await popup.locator('#paste').inputValue()).toBe(diagnostic);
    // The page's lead count is still on the popup.
    expect(Number(await popup.locator('dd.leads').textContent())).toBeGreaterThan(0);
    await popup.close();
  });
});

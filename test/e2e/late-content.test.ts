/**
 * Issue 9: pages as they really render. A Bilibili comment section that arrives 1–3 s after load
 * inside shadow roots (components defined late, lists rendered into their roots later still), and
 * replies that load on click inside nested roots, are highlighted in real Chromium.
 */
import type { Page } from 'playwright-core';
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

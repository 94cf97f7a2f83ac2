/**
 * Every platform in real Chromium with the built extension, on fixture pages served under the
 * platform's real hostname: lead-gen is highlighted (covering the obfuscated phrase), benign text
 * that quotes the same words is not a lead, listed accounts get a badge, later comments and SPA
 * navigation are scanned, and the page's own scripts keep working.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchExtension, type ExtensionSession } from './harness';
import { fixtureCoverage, readHighlights, waitForHighlights } from './highlights';
import { platformCases } from './platform-cases';

let session: ExtensionSession;
beforeAll(async () => {
  session = await launchExtension();
});
afterAll(() => session?.close());

/** Waits until every lead block on the page carries a highlight (scans run in idle slices). */
async function allLeadsHighlighted(page: Page) {
  await expect
    .poll(
      async () => {
        const c = await fixtureCoverage(page);
        return c.leads > 0 && c.leadsHighlighted === c.leads;
      },
      { timeout: 15_000, interval: 200 },
    )
    .toBe(true);
  return fixtureCoverage(page);
}

describe.each(platformCases)('$platform', (c) => {
  let page: Page;
  beforeAll(async () => {
    page = await session.openSite(c.url);
    await waitForHighlights(page);
  });
  afterAll(() => page?.close());

  it('highlights every lead-gen block, covering the obfuscated phrase, and no benign one', async () => {
    const coverage = await allLeadsHighlighted(page);
    expect(coverage.leadsMissed).toEqual([]);
    expect(coverage.benign).toBeGreaterThan(0);
    expect(coverage.benignMarkedLead).toEqual([]);
    const highlighted = (await readHighlights(page))['leadguard-lead'] ?? [];
    for (const phrase of c.obfuscated) expect(highlighted).toContain(phrase);
  });

  if (c.listedAccount)
    it('badges the listed account next to its name', async () => {
      await expect
        .poll(() => page.locator('leadguard-badge[data-kind="account"]').count(), {
          timeout: 10_000,
        })
        .toBeGreaterThan(0);
    });

  it('shows the lead count on the toolbar badge', async () => {
    const tabId = await session.tabIdOf(page);
    await expect
      .poll(
        () =>
          session.worker.evaluate(
            (id) =>
              (
                globalThis as unknown as { chrome: typeof import('wxt/browser').browser }
              ).chrome.action.getBadgeText({ tabId: id }),
            tabId,
          ),
        { timeout: 10_000 },
      )
      .toMatch(/^[1-9]\d*$/);
  });

  if (c.more)
    it('scans comments appended later', async () => {
      const before = await fixtureCoverage(page);
      await page.evaluate(() => window.dispatchEvent(new Event('fixture:more')));
      await expect
        .poll(async () => (await fixtureCoverage(page)).leads, { timeout: 10_000 })
        .toBeGreaterThan(before.leads);
      const after = await allLeadsHighlighted(page);
      expect(after.benignMarkedLead).toEqual([]);
    });

  if (c.recycle)
    it('re-evaluates recycled rows', async () => {
      await page.evaluate(() => window.dispatchEvent(new Event('fixture:recycle')));
      await expect
        .poll(
          async () => {
            const cov = await fixtureCoverage(page);
            return (
              cov.leadsMissed.length === 0 && cov.benignMarkedLead.length === 0 && cov.leads > 0
            );
          },
          { timeout: 10_000 },
        )
        .toBe(true);
    });

  if (c.rerender)
    it("leaves the page's own scripts working", async () => {
      const { click, read } = c.rerender!;
      const before = await page.locator(read).first().textContent();
      await page.evaluate((sel) => document.querySelector<HTMLElement>(sel)!.click(), click);
      await expect.poll(() => page.locator(read).first().textContent()).not.toBe(before);
    });

  if (c.spa)
    it('scans the new content after SPA navigation', async () => {
      const before = page.url();
      // The link may sit in a collapsed panel; a script click is what a user's click triggers.
      await page.evaluate(() => document.querySelector<HTMLElement>('a[data-spa]')!.click());
      await expect.poll(() => page.url()).not.toBe(before);
      const coverage = await allLeadsHighlighted(page);
      expect(coverage.benignMarkedLead).toEqual([]);
    });
});

/**
 * Issue 9: the Firefox build on its core path in Debian's Firefox ESR: the extension loads, a
 * platform fixture page is highlighted (every lead block, no benign one) and its leads badged.
 */
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { launchFirefox, type FirefoxSession, type FirefoxTab } from './firefox';

const url = 'https://www.douyin.com/video/7300000000000000001';

describe('Firefox ESR', () => {
  let firefox: FirefoxSession;
  let tab: FirefoxTab;
  beforeAll(async () => {
    firefox = await launchFirefox(inject('fixturePort'));
    tab = await firefox.open(url);
  });
  afterAll(async () => {
    await firefox?.close();
  });

  it('loads the extension and highlights every lead on a platform page', async () => {
    const coverage = () =>
      tab.evaluate<{ leads: number; highlighted: number; benignMarked: number }>(`(() => {
        const ranges = [...(CSS.highlights?.get('leadguard-lead') ?? [])];
        const marked = (el) => ranges.some((r) => el.contains(r.startContainer));
        const leads = [...document.querySelectorAll('[data-fixture="lead"]')];
        const benign = [...document.querySelectorAll('[data-fixture="benign"]')];
        return {
          leads: leads.length,
          highlighted: leads.filter(marked).length,
          benignMarked: benign.filter((b) => marked(b) && !leads.some((l) => b.contains(l))).length,
        };
      })()`);
    await expect
      .poll(
        async () => {
          const c = await coverage();
          return c.leads > 0 && c.highlighted === c.leads;
        },
        { timeout: 30_000, interval: 250 },
      )
      .toBe(true);
    expect((await coverage()).benignMarked).toBe(0);
    // The badges went into their layer over the page.
    expect(
      await tab.evaluate<number>(
        `document.querySelectorAll('leadguard-badges > leadguard-badge').length`,
      ),
    ).toBeGreaterThan(0);
  });
  // TODO [2027-01-15]: the popup's count. Firefox refuses BiDi navigation to moz-extension: pages
  // ("not allowed in this context"), so the popup page can't be opened from here; Marionette's
  // chrome context could open it (issue 9 item 6).
});

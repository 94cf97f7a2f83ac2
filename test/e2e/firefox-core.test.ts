/**
 * Issue 9: the Firefox build on its core path in Debian's Firefox ESR: the extension loads, a
 * platform fixture page is highlighted (every lead block, no benign one) and its leads badged, and
 * the popup counts them — opened for the tab as the Chromium tests open it, and from the toolbar
 * button, where it finds the active tab itself.
 */
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { launchFirefox, type FirefoxSession, type FirefoxTab } from './firefox';

const url = 'https://www.douyin.com/video/7300000000000000001';

interface Counts {
  platform: string | null;
  leads: number;
  mentions: number;
}

/**
 * What the popup shows, read from its document once it has rendered (it asks the background
 * first), in up to 2 s: an expression for `evaluate`.
 */
const popupCounts = `(async () => {
  for (let i = 0; i < 40 && !document.querySelector('dl.status'); i++) {
    await new Promise((ok) => setTimeout(ok, 50));
  }
  const status = document.querySelector('dl.status');
  const value = (term) =>
    [...(status?.querySelectorAll('dt') ?? [])].find((dt) => dt.textContent === term)
      ?.nextElementSibling?.textContent;
  return {
    platform: status?.getAttribute('data-platform') || null,
    leads: Number(document.querySelector('dd.leads')?.textContent ?? NaN),
    mentions: Number(value('提及') ?? NaN),
  };
})()`;

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

  /**
   * The counts the page's highlights imply: the fixture blocks holding a lead highlight, and
   * those holding a mention highlight (a block's highlights all carry its verdict).
   */
  const pageCounts = () =>
    tab.evaluate<{
      leads: number;
      mentions: number;
      unowned: number;
      fixtureLeads: number;
    }>(`(() => {
      const owners = (name) => {
        const ranges = [...(CSS.highlights?.get(name) ?? [])];
        const blocks = ranges.map((r) => r.startContainer.parentElement?.closest('[data-fixture]'));
        return { count: new Set(blocks.filter(Boolean)).size, unowned: blocks.filter((b) => !b).length };
      };
      const leads = owners('leadguard-lead');
      const mentions = owners('leadguard-mention');
      return {
        leads: leads.count,
        mentions: mentions.count,
        unowned: leads.unowned + mentions.unowned,
        fixtureLeads: document.querySelectorAll('[data-fixture="lead"]').length,
      };
    })()`);

  it('loads the extension and highlights every lead on a platform page', async () => {
    const coverage = () =>
      tab.evaluate<{
        leads: number;
        highlighted: number;
        benignMarked: number;
        idle: boolean;
      }>(`(() => {
        const ranges = [...(CSS.highlights?.get('leadguard-lead') ?? [])];
        const marked = (el) => ranges.some((r) => el.contains(r.startContainer));
        const leads = [...document.querySelectorAll('[data-fixture="lead"]')];
        const benign = [...document.querySelectorAll('[data-fixture="benign"]')];
        const last = (name) => performance.getEntriesByName(name).at(-1)?.startTime ?? -1;
        return {
          leads: leads.length,
          highlighted: leads.filter(marked).length,
          benignMarked: benign.filter((b) => marked(b) && !leads.some((l) => b.contains(l))).length,
          // Highlights come in batches: the scan is done once it marked itself idle.
          idle: last('leadguard-scan-idle') > last('leadguard-scan-start'),
        };
      })()`);
    await expect
      .poll(
        async () => {
          const c = await coverage();
          return c.leads > 0 && c.highlighted === c.leads && c.idle;
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

  it('counts the page in the popup opened for its tab', async () => {
    const page = await pageCounts();
    expect(page.unowned).toBe(0);
    // Every lead block, and some mentions too (the benign blocks that talk about the topic).
    expect(page.leads).toBe(page.fixtureLeads);
    expect(page.mentions).toBeGreaterThan(0);
    const popup = await firefox.openExtensionPage(`popup.html?tab=${await firefox.tabIdOf(tab)}`);
    try {
      // The page reports its counts at most every 250 ms; the popup reads them as it opens.
      await expect
        .poll(
          async () => {
            await popup.reload();
            return popup.evaluate<Counts>(popupCounts);
          },
          { timeout: 15_000, interval: 250 },
        )
        .toEqual({ platform: 'douyin', leads: page.leads, mentions: page.mentions });
    } finally {
      await popup.close();
    }
  });

  it('counts the active tab in the toolbar popup', async () => {
    const page = await pageCounts();
    // The Douyin tab is still its window's active tab: the popup finds it without `?tab=`.
    const popup = await firefox.openToolbarPopup();
    try {
      await expect
        .poll(() => popup.evaluate<Counts>(popupCounts), { timeout: 10_000, interval: 100 })
        .toEqual({ platform: 'douyin', leads: page.leads, mentions: page.mentions });
    } finally {
      await popup.close();
    }
  });
});

/**
 * The card's 打开平台举报 where the platform renders 举报 only in a menu that exists once opened
 * (dom-evidence.md): in real Chromium with the built extension, the button opens the block's menu
 * the way the platform does (Douyin: right-click on the player; Weibo: the post's "…" button) and
 * clicks the report item the menu renders.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cardText, inContentScript, launchExtension, type ExtensionSession } from './harness';
import { waitForHighlights } from './highlights';

let session: ExtensionSession;
beforeAll(async () => {
  session = await launchExtension();
});
afterAll(() => session?.close());

/** Moves the real mouse onto the first lead highlight with `text` inside `within`. */
async function hover(page: Page, within: string, text: string) {
  const find = ([selector, t]: readonly [string, string]) => {
    const h = (CSS as unknown as { highlights: Map<string, Set<Range>> }).highlights.get(
      'leadguard-lead',
    );
    return [...(h ?? [])].find(
      (r) => r.toString() === t && !!r.startContainer.parentElement?.closest(selector),
    );
  };
  await page.waitForFunction(find, [within, text] as const, { timeout: 15_000 });
  const point = await page.evaluate(
    ([selector, t]) => {
      const h = (CSS as unknown as { highlights: Map<string, Set<Range>> }).highlights.get(
        'leadguard-lead',
      )!;
      const range = [...h].find(
        (r) => r.toString() === t && !!r.startContainer.parentElement?.closest(selector),
      )!;
      range.startContainer.parentElement!.scrollIntoView({ block: 'center' });
      const rect = range.getClientRects()[0]!;
      return { x: rect.left + rect.width / 2, y: rect.top + rect.height / 2 };
    },
    [within, text] as const,
  );
  await page.mouse.move(2, 2);
  await page.mouse.move(point.x, point.y);
}

/** Clicks the card's 打开平台举报 with the real mouse (the card ignores synthetic clicks). */
async function clickReport(page: Page) {
  await expect.poll(() => cardText(page), { timeout: 10_000 }).toContain('打开平台举报');
  const button = await inContentScript<{ x: number; y: number }>(
    page,
    `(() => {
      const root = chrome.dom.openOrClosedShadowRoot(document.querySelector('leadguard-card'));
      const r = [...root.querySelectorAll('button')].find((b) => b.textContent === '打开平台举报').getBoundingClientRect();
      return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
    })()`,
  );
  await page.mouse.move(button.x, button.y);
  await page.mouse.down();
  await page.mouse.up();
}

describe('打开平台举报 behind a menu', () => {
  it('Douyin: right-clicks the player, then clicks the menu’s 举报', async () => {
    const page = await session.openSite('https://www.douyin.com/video/7300000000000000001');
    await waitForHighlights(page);
    expect(await page.locator('.basePlayerContainer div[style]').count()).toBe(0);
    await hover(page, '[data-e2e="video-desc"]', '停息挂账');
    await clickReport(page);
    await expect
      .poll(() => page.locator('.fixture-report-dialog').textContent(), { timeout: 5_000 })
      .toBe('选择举报理由');
    await page.close();
  });

  it('Weibo: clicks the post’s "…", then the morepop’s 投诉', async () => {
    const page = await session.openSite('https://weibo.com/');
    await waitForHighlights(page);
    await page.evaluate(() => {
      (window as unknown as { __clicked: string[] }).__clicked = [];
      document.addEventListener(
        'click',
        (e) => {
          const t = e.target as Element;
          if (t.closest('.woo-pop-wrap-main')) {
            (window as unknown as { __clicked: string[] }).__clicked.push(t.textContent ?? '');
          }
        },
        true,
      );
    });
    expect(await page.locator('.woo-pop-wrap-main').count()).toBe(0);
    await hover(page, 'article[data-fixture="lead"]', '停📛息📛挂📛账');
    await clickReport(page);
    await expect
      .poll(() => page.evaluate(() => (window as unknown as { __clicked: string[] }).__clicked))
      .toEqual(['投诉']);
    await page.close();
  });
});

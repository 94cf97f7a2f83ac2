import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchExtension, type ExtensionSession } from './harness';

describe('the built extension in Chromium', () => {
  let session: ExtensionSession;
  beforeAll(async () => {
    session = await launchExtension();
  });
  afterAll(() => session?.close());

  it('runs its content script on a platform page and shows the tab in the popup', async () => {
    const page = await session.openSite('https://www.douyin.com/video/7300000000000000001');
    expect(await page.title()).toContain('抖音');
    const tabId = await session.tabIdOf(page);
    const popup = await session.openExtensionPage(`popup.html?tab=${tabId}`);
    // The content script reported the page to the background, which the popup reads back.
    await expect
      .poll(async () => {
        await popup.reload();
        return popup.locator('dl.status').getAttribute('data-platform');
      })
      .toBe('douyin');
    expect(await popup.locator('dd').first().textContent()).toBe('抖音');
    expect(await popup.locator('h1').textContent()).toBe('LeadGuard');
  });

  it('does not run on sites it was not granted', async () => {
    const page = await session.openSite('https://example.org/');
    const tabId = await session.tabIdOf(page);
    const popup = await session.openExtensionPage(`popup.html?tab=${tabId}`);
    expect(await popup.locator('dl.status').getAttribute('data-platform')).toBe('');
    expect(await popup.locator('dd').first().textContent()).toBe('此页面不是受支持的平台');
  });
});

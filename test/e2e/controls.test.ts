/**
 * The user's controls: pausing LeadGuard on a platform from the popup, and importing a list on the
 * options page, which open tabs pick up without reloading (hot swap). A bad list changes nothing.
 */
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cardText, launchExtension, type ExtensionSession } from './harness';
import { readHighlights, waitForHighlights } from './highlights';

const video = 'https://www.douyin.com/video/7300000000000000001';
let session: ExtensionSession;
beforeAll(async () => {
  session = await launchExtension();
});
afterAll(() => session?.close());

const leadTexts = async (page: Page) => (await readHighlights(page))['leadguard-lead'] ?? [];

describe('pausing from the popup', () => {
  it('clears the page and resumes scanning on request', async () => {
    const page = await session.openSite(video);
    await waitForHighlights(page);
    const popup = await session.openExtensionPage(`popup.html?tab=${await session.tabIdOf(page)}`);
    await popup.locator('button.pause').click();
    await expect.poll(() => leadTexts(page)).toEqual([]);
    expect(await page.locator('leadguard-badge').count()).toBe(0);
    await expect.poll(() => popup.locator('button.pause').textContent()).toBe('在此平台恢复');
    expect(await popup.locator('dd').nth(1).textContent()).toBe('已暂停');

    await popup.locator('button.pause').click();
    await waitForHighlights(page);
    expect(await leadTexts(page)).toContain('征*信*修*复');
    await popup.close();
    await page.close();
  });
});

describe('importing a list on the options page', () => {
  const provenance = { source: 'e2e', addedAt: '2026-11-24' };
  const list = {
    format: 'leadguard-list/1',
    id: 'e2e-list',
    version: 7,
    issuedAt: '2026-11-24T00:00:00Z',
    name: 'e2e 名单',
    homophones: {},
    scoring: {
      weights: {
        topicStrong: 3,
        topicWeak: 2,
        lure: 3,
        contact: 3,
        guarantee: 3,
        policy: 2,
        account: 6,
        fuzzyVariant: 0.8,
      },
      context: { warning: -4 },
      leadThreshold: 4.5,
      proximity: 80,
    },
    entries: [
      {
        kind: 'phrase',
        id: 'e2e.screen',
        text: '屏幕修复',
        category: '征信修复',
        signal: 'strong',
        provenance,
      },
      {
        kind: 'phrase',
        id: 'e2e.findme',
        text: '找我',
        category: '引流',
        signal: 'strong',
        provenance,
      },
    ],
  };
  const file = (name: string, content: string) => {
    const path = join(tmpdir(), name);
    writeFileSync(path, content);
    return path;
  };

  it('swaps the matcher in open tabs, rejects a bad file, and resets to the default', async () => {
    const page = await session.openSite(video);
    await waitForHighlights(page);
    expect(await leadTexts(page)).toContain('征*信*修*复');
    const options = await session.openExtensionPage('options.html');
    await expect
      .poll(() => options.locator('#list-info dd').nth(3).textContent())
      .toBe('内置默认名单');

    await options
      .locator('#import-list')
      .setInputFiles(file('bad-list.json', '{"format":"leadguard-list/1"}'));
    await expect.poll(() => options.locator('#status').textContent()).toContain('导入失败');
    await expect(Promise.resolve(options.locator('#status').getAttribute('class'))).resolves.toBe(
      'error',
    );
    expect(await leadTexts(page)).toContain('征*信*修*复');

    await options
      .locator('#import-list')
      .setInputFiles(file('e2e-list.json', JSON.stringify(list)));
    await expect.poll(() => options.locator('#status').textContent()).toContain('e2e-list@7');
    await expect.poll(() => leadTexts(page), { timeout: 10_000 }).toContain('屏幕修复');
    expect(await leadTexts(page)).not.toContain('征*信*修*复');

    await options.locator('#reset-list').click();
    await expect.poll(() => leadTexts(page), { timeout: 10_000 }).toContain('征*信*修*复');
    expect(await options.locator('#list-info dd').nth(3).textContent()).toBe('内置默认名单');
    await options.close();
    await page.close();
  });
});

describe('the hover card', () => {
  const card = cardText;

  it('opens over a highlighted phrase and from the keyboard on a badge', async () => {
    const page = await session.openSite(video);
    await waitForHighlights(page);
    // Highlights come in batches: wait for the one hovered below.
    await expect.poll(() => leadTexts(page), { timeout: 10_000 }).toContain('征*信*修*复');
    const point = await page.evaluate(() => {
      const h = (CSS as unknown as { highlights: Map<string, Set<Range>> }).highlights.get(
        'leadguard-lead',
      )!;
      const range = [...h].find((r) => r.toString() === '征*信*修*复')!;
      range.startContainer.parentElement!.scrollIntoView({ block: 'center' });
      const rect = range.getClientRects()[0]!;
      return { x: rect.left + rect.width / 2, y: rect.top + rect.height / 2 };
    });
    await page.mouse.move(point.x, point.y);
    await expect.poll(() => card(page)).toContain('引流线索');
    const text = (await card(page))!;
    expect(text).toContain('征信修复');
    expect(text).toMatch(/规则/);

    await page.mouse.move(2, 2);
    await expect.poll(() => card(page)).toBeNull();

    await page.keyboard.press('Alt+Shift+L');
    await expect.poll(() => card(page)).not.toBeNull();
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('LEADGUARD-BADGE');
    await page.close();
  });
});

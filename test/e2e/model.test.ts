/**
 * The lead model on a real page: a comment that names no service and uses no word of the list is
 * marked a lead on the model alone, its strongest n-grams highlighted, and its card says why in
 * the model's features. The benign comment beside it stays unmarked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cardText, launchExtension, type ExtensionSession } from './harness';
import { highlightedIn, waitForHighlights } from './highlights';

const url = 'https://www.douyin.com/video/7300000000000000003';
let session: ExtensionSession;
beforeAll(async () => {
  session = await launchExtension();
});
afterAll(() => session?.close());

describe('a model-only lead', () => {
  it('is highlighted as a lead and its card explains the model features', async () => {
    const page = await session.openSite(url);
    await waitForHighlights(page, 'leadguard-lead');
    const inLead = await highlightedIn(page, '#model-only-lead');
    expect(inLead.length).toBeGreaterThan(0);
    const text = await page.locator('#model-only-lead').textContent();
    for (const span of inLead) expect(text).toContain(span);
    // Nothing in the benign comment or the caption.
    expect(await highlightedIn(page, '[data-fixture="benign"]')).toEqual([]);
    expect(await highlightedIn(page, '[data-fixture="benign"]', 'leadguard-mention')).toEqual([]);

    // One lead badge, on the model-only comment's author; its card names the model's features.
    const badge = page.locator('[data-e2e="comment-item"][data-fixture="lead"] leadguard-badge');
    await expect.poll(() => badge.count()).toBe(1);
    // The badge's button is in a closed shadow root: the user's pointer reaches it.
    const box = (await badge.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await expect.poll(() => cardText(page)).not.toBeNull();
    const card = (await cardText(page)) ?? '';
    expect(card).toContain('引流线索');
    expect(card).toMatch(/模型\s*[01]\.\d\d · 「/);
    expect(card).toContain('引流线索（模型）');
    expect(
      await page
        .locator('[data-e2e="comment-item"][data-fixture="benign"] leadguard-badge')
        .count(),
    ).toBe(0);
    await page.close();
  });
});

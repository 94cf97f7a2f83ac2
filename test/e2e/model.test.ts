/**
 * The lead model on a real page: a comment that names no service and has no lure, contact or
 * promise of the list (one everyday debt word is all the list knows in it) is marked a lead on the
 * model alone, its strongest n-grams highlighted, and its card says why in
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
    // Badges sit in LeadGuard's overlay layer: the one badge of the page is beside the lead
    // comment's author, none beside the benign one's.
    const badge = page.locator('leadguard-badge');
    const leadName = page.locator('[data-fixture="lead"] .comment-item-info-wrap a').first();
    await expect.poll(() => badge.count()).toBe(1);
    // The badge's button is in a closed shadow root: the user's pointer reaches it.
    const box = (await badge.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await expect.poll(() => cardText(page)).not.toBeNull();
    const card = (await cardText(page)) ?? '';
    expect(card).toContain('引流线索');
    expect(card).toMatch(/模型\s*[01]\.\d\d · 「/);
    expect(card).toContain('引流线索（模型）');
    // The one badge is the lead author's: on the line of their name.
    const nameBox = (await leadName.boundingBox())!;
    expect(Math.abs(box.y + box.height / 2 - (nameBox.y + nameBox.height / 2))).toBeLessThan(
      nameBox.height,
    );
    expect(await badge.count()).toBe(1);
    await page.close();
  });
});

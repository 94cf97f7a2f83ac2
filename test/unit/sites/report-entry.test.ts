// @vitest-environment happy-dom
/**
 * The card's 打开平台举报 clicks a block's reportEntry, so it must be the platform's own control:
 * on every fixture page of every adapter, a commenter renamed 举报 and a 举报 written into the text
 * after an emoji leave each block's report control where it was (issue 10).
 */
import { describe, expect, it } from 'vitest';
import { platformAdapters } from '../../../src/sites';
import type { TextBlock } from '../../../src/sites/adapter';
import { loadFixture } from './load-fixture';

const cases = platformAdapters.flatMap((adapter) =>
  adapter.examples
    .filter((e) => e.fixture)
    .map((e) => [`${adapter.id} ${e.url}`, adapter, e.fixture!, e.url] as const),
);

describe.each(cases)('%s', (_name, adapter, fixture, url) => {
  it('keeps each block’s report control when names and text say 举报', () => {
    loadFixture(fixture, url);
    const before = [...adapter.blocks(document)]
      .map((b) => [b, b.reportEntry] as const)
      .filter((pair): pair is [TextBlock, Element] => pair[1] !== undefined);
    for (const [block] of before) {
      if (block.authorElement) block.authorElement.textContent = '举报';
      const emoji = document.createElement('img');
      emoji.setAttribute('alt', '[微笑]');
      const fake = document.createElement('span');
      fake.textContent = '举报';
      block.text[0]?.append(emoji, fake);
    }
    const after = new Map([...adapter.blocks(document)].map((b) => [b.element, b]));
    for (const [block, entry] of before) {
      const now = after.get(block.element)?.reportEntry;
      expect(now, `${block.key}: ${now?.outerHTML.slice(0, 80)}`).toBe(entry);
    }
  });
});

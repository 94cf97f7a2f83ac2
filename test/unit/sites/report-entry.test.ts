// @vitest-environment happy-dom
/**
 * The card's 打开平台举报 clicks a block's reportEntry (or opens its reportMenu and clicks the menu's
 * report item), so both must be the platform's own controls: on every fixture page of every
 * adapter, a commenter renamed 举报 and a 举报 written into the text after an emoji leave each
 * block's report control and menu where they were, and an opened menu's control is never what
 * users wrote (issue 10).
 */
import { describe, expect, it } from 'vitest';
import { platformAdapters } from '../../../src/sites';
import type { ReportMenu, TextBlock } from '../../../src/sites/adapter';
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

  it('keeps each block’s report menu on the platform’s controls when names and text say 举报', () => {
    loadFixture(fixture, url);
    const blocks = [...adapter.blocks(document)];
    const written = blocks.flatMap((b) => [
      ...b.text,
      ...(b.authorElement ? [b.authorElement] : []),
    ]);
    const isWritten = (e: Element) =>
      written.some((w) => w === e || w.contains(e) || e.contains(w));
    const menus = blocks
      .map((b) => [b, b.reportMenu] as const)
      .filter((pair): pair is [TextBlock, ReportMenu] => pair[1] !== undefined);
    for (const [block, menu] of menus) {
      // Hovering opens a menu over the whole item; any other trigger is a control of its own.
      if (menu.open === 'hover') expect(menu.trigger, block.key).toBe(block.element);
      else expect(isWritten(menu.trigger), block.key).toBe(false);
      if (block.authorElement) block.authorElement.textContent = '举报';
      const fake = document.createElement('span');
      fake.textContent = '举报';
      block.text[0]?.append(fake);
    }
    const after = new Map([...adapter.blocks(document)].map((b) => [b.element, b]));
    for (const [block, menu] of menus) {
      const now = after.get(block.element)?.reportMenu;
      expect(now?.trigger, block.key).toBe(menu.trigger);
      open(menu);
      const control = menu.control();
      expect(control, `${block.key}: the opened menu has a report item`).not.toBeNull();
      expect(isWritten(control!), block.key).toBe(false);
      expect(['举报', '投诉']).toContain(control!.textContent?.trim());
    }
  });
});

/** Opens a menu the way the card does. */
function open(menu: ReportMenu): void {
  const type =
    menu.open === 'contextmenu' ? 'contextmenu' : menu.open === 'hover' ? 'mouseover' : 'click';
  menu.trigger.dispatchEvent(new MouseEvent(type, { bubbles: true, cancelable: true }));
}

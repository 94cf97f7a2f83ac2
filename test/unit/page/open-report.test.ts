// @vitest-environment happy-dom
/**
 * The card's 打开平台举报: a control on the page is clicked; a control behind a menu is reached by
 * opening the menu the way the platform does and clicking its report item once it renders.
 */
import { describe, expect, it } from 'vitest';
import { openReport } from '../../../src/page/open-report';
import type { ReportMenu } from '../../../src/sites/adapter';
import { douyin } from '../../../src/sites/douyin';
import { loadFixture } from '../sites/load-fixture';

const soon = () => new Promise<void>((resolve) => setTimeout(resolve, 1));

function page(html: string): void {
  const parsed = new DOMParser().parseFromString(html, 'text/html');
  document.body.replaceChildren(
    ...[...parsed.body.childNodes].map((n) => document.importNode(n, true)),
  );
}

describe('openReport', () => {
  it('clicks a report control the page shows', async () => {
    page('<button id="report">举报</button>');
    const button = document.getElementById('report')!;
    let clicks = 0;
    button.addEventListener('click', () => clicks++);
    expect(await openReport(button, undefined)).toBe(true);
    expect(clicks).toBe(1);
  });

  it('opens Douyin’s player menu by right-click, then clicks its 举报', async () => {
    const url = 'https://www.douyin.com/video/7300000000000000001';
    const doc = loadFixture('douyin/video/7300000000000000001.html', url);
    const desc = [...douyin.blocks(doc)].find((b) => b.key === 'post:7300000000000000001')!;
    expect(desc.reportEntry).toBeUndefined();
    expect(await openReport(desc.reportEntry, desc.reportMenu, { nextFrame: soon })).toBe(true);
    expect(doc.querySelector('.fixture-report-dialog')?.textContent).toBe('选择举报理由');
  });

  it('waits for a menu that renders a moment after the click', async () => {
    page('<div class="post"><span class="more">···</span></div>');
    const more = document.querySelector('.more')!;
    let reported = false;
    more.addEventListener('click', () => {
      setTimeout(() => {
        const item = document.createElement('li');
        item.textContent = '举报';
        item.addEventListener('click', () => (reported = true));
        const menu = document.createElement('ul');
        menu.className = 'menu';
        menu.append(item);
        document.body.append(menu);
      }, 20);
    });
    const menu: ReportMenu = {
      trigger: more,
      control: () => document.querySelector('.menu li'),
    };
    expect(await openReport(undefined, menu, { nextFrame: soon })).toBe(true);
    expect(reported).toBe(true);
  });

  it('hovers the item when the control shows on hover', async () => {
    page('<li class="reply"><span class="jb"></span></li>');
    const reply = document.querySelector('.reply')!;
    reply.addEventListener('mouseover', () => {
      const link = document.createElement('a');
      link.textContent = '举报';
      document.querySelector('.jb')!.replaceChildren(link);
    });
    const menu: ReportMenu = {
      trigger: reply,
      open: 'hover',
      control: () => document.querySelector('.jb a'),
    };
    expect(await openReport(undefined, menu, { nextFrame: soon })).toBe(true);
  });

  it('gives up when the menu never shows its report item', async () => {
    page('<span class="more">···</span>');
    const menu: ReportMenu = { trigger: document.querySelector('.more')!, control: () => null };
    expect(await openReport(undefined, menu, { nextFrame: soon, timeoutMs: 30 })).toBe(false);
    expect(await openReport(undefined, undefined)).toBe(false);
  });
});

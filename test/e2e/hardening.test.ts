/**
 * Issue 10, as a user (or an attacker) meets it in Chromium: hostile pages served under Douyin and
 * Bilibili URLs through Playwright routes, with the built extension.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixturesDir } from '../../src/cli/demo-server';
import { longLeadText } from '../bench/page-gen';
import { cardText, inContentScript, launchExtension, type ExtensionSession } from './harness';
import { fixtureCoverage, readHighlights, waitForHighlights } from './highlights';
import { offsetCases } from '../unit/core/offset-cases';
import { douyinVideoWith, emojiImg, type HostileComment } from './hostile-pages';

let session: ExtensionSession;
beforeAll(async () => {
  session = await launchExtension();
});
afterAll(() => session?.close());

let next = 7300000000000009000;
/** Serves `html` at a fresh Douyin video URL and opens it. */
async function openHtml(html: string, path?: string): Promise<Page> {
  const url = path ?? `https://www.douyin.com/video/${next++}`;
  await session.context.route(url, (route) =>
    route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html }),
  );
  return session.openSite(url);
}

const leadTexts = async (page: Page) => (await readHighlights(page))['leadguard-lead'] ?? [];

/** Moves the real mouse over the first lead highlight whose text is `text`, in comment `cid`. */
async function hover(page: Page, cid: string, text: string) {
  // Highlights come in batches: wait for this one.
  await page
    .waitForFunction(
      ([id, t]) =>
        [
          ...((CSS as unknown as { highlights: Map<string, Set<Range>> }).highlights.get(
            'leadguard-lead',
          ) ?? []),
        ].some(
          (r) =>
            r.toString() === t && !!r.startContainer.parentElement?.closest(`[data-cid="${id}"]`),
        ),
      [cid, text] as const,
      { timeout: 15_000 },
    )
    .catch(() => undefined);
  const point = await page.evaluate(
    ([id, t]) => {
      const h = (CSS as unknown as { highlights: Map<string, Set<Range>> }).highlights.get(
        'leadguard-lead',
      )!;
      const range = [...h]
        .filter(
          (r) =>
            r.toString() === t && !!r.startContainer.parentElement?.closest(`[data-cid="${id}"]`),
        )
        .sort((a, b) => a.startOffset - b.startOffset)[0];
      if (!range) return null;
      range.startContainer.parentElement!.scrollIntoView({ block: 'start' });
      const rect = range.getClientRects()[0]!;
      return { x: rect.left + rect.width / 2, y: rect.top + rect.height / 2 };
    },
    [cid, text] as const,
  );
  if (!point) throw new Error(`no lead highlight "${text}" in comment ${cid}`);
  await page.mouse.move(2, 2);
  await page.mouse.move(point.x, point.y);
}

describe('a wall of lead text in one comment', () => {
  it('is highlighted while the page keeps running its own tasks', async () => {
    const wall = longLeadText(200_000);
    const page = await openHtml(
      douyinVideoWith(
        [
          {
            cid: '7301000000000090001',
            uid: 'MS4wLjABAAAAwallSpammer01',
            name: '刷屏的',
            body: wall,
          },
        ],
        // The page's own work: a timer that runs as often as the browser lets it.
        `window.__ticks = []; (function tick() { window.__ticks.push(performance.now()); setTimeout(tick, 0); })();`,
      ),
    );
    await page.waitForFunction(
      () => performance.getEntriesByName('leadguard-scan-idle').length > 0,
      null,
      {
        timeout: 60_000,
      },
    );
    const { during } = await page.evaluate(() => {
      const start = performance.getEntriesByName('leadguard-scan-start')[0]!.startTime;
      const idle = performance.getEntriesByName('leadguard-scan-idle')[0]!.startTime;
      const ticks = (window as unknown as { __ticks: number[] }).__ticks;
      return { during: ticks.filter((t) => t > start && t < idle).length };
    });
    // Before issue 10 the block was one task: no tick of the page's timer ran until it was done.
    expect(during).toBeGreaterThan(10);
    const leads = await leadTexts(page);
    expect(leads.length).toBeGreaterThan(500);
    // One badge for the comment (badges sit in their own layer, each naming its block).
    expect(
      await page.locator('leadguard-badge[data-block="comment:7301000000000090001"]').count(),
    ).toBe(1);
    await hover(
      page,
      '7301000000000090001',
      leads.find((t) => t.includes('信'))!,
    );
    await expect.poll(() => cardText(page)).toContain('长文本');
    await page.close();
  });
});

describe('the 打开平台举报 action', () => {
  it('clicks the platform’s own 举报, not a commenter named 举报 nor 举报 in the text', async () => {
    const comment: HostileComment = {
      cid: '7301000000000090002',
      uid: 'MS4wLjABAAAAnamedJubao0001',
      name: '举报',
      bodyHtml: `<span>征*信*修*复 不成功不收费 加V：jb_0001</span>${emojiImg}<span>举报</span>`,
    };
    const page = await openHtml(
      douyinVideoWith(
        [comment],
        `window.__clicked = []; document.addEventListener('click', function (e) {
          var t = e.target; window.__clicked.push((t.className || t.tagName) + ':' + t.textContent);
          e.preventDefault();
        }, true);`,
      ),
    );
    await waitForHighlights(page);
    // The badge sits beside the name, one line tall, and covers none of the comment's text.
    const boxes = await page.evaluate((cid) => {
      const box = (e: Element | null) => {
        const r = e!.getBoundingClientRect();
        return { top: r.top, bottom: r.bottom, left: r.left, height: r.height };
      };
      const item = document.querySelector(`[data-cid="${cid}"]`)!;
      return {
        badge: box(document.querySelector(`leadguard-badge[data-block="comment:${cid}"]`)),
        name: box(item.querySelector('.arnSiSbK')),
        text: box(item.querySelector('.C7LroK_h')),
      };
    }, comment.cid);
    expect(boxes.badge.height).toBeLessThanOrEqual(boxes.name.height + 4);
    expect(boxes.badge.bottom).toBeLessThanOrEqual(boxes.text.top);
    expect(boxes.badge.left).toBeGreaterThanOrEqual(boxes.name.left);
    await hover(page, comment.cid, '征*信*修*复');
    await expect.poll(() => cardText(page)).toContain('打开平台举报');
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
    await expect
      .poll(() => page.evaluate(() => (window as unknown as { __clicked: string[] }).__clicked))
      .toContain('ofz0c6Px:举报');
    const clicked = await page.evaluate(
      () => (window as unknown as { __clicked: string[] }).__clicked,
    );
    expect(clicked.filter((c) => c.startsWith('arnSiSbK') || c === 'SPAN:举报')).toEqual([]);
    await page.close();
  });
});

describe('page scripts', () => {
  const video = 'https://www.douyin.com/video/7300000000000000001';

  it('can’t stop or restart LeadGuard with forged WXT events', async () => {
    const page = await session.openSite(video);
    await waitForHighlights(page);
    const before = (await leadTexts(page)).length;
    const starts = () =>
      page.evaluate(() => performance.getEntriesByName('leadguard-scan-start').length);
    const startsBefore = await starts();
    await page.evaluate((id) => {
      for (const name of ['douyin', 'bilibili', 'weibo']) {
        const type = `${id}:${name}:wxt:content-script-started`;
        const detail = { contentScriptName: name, messageId: 'forged' };
        document.dispatchEvent(new CustomEvent(type, { detail }));
        window.postMessage({ type, ...detail }, '*');
        for (let i = 0; i < 50; i++)
          window.dispatchEvent(new Event(`${id}:${name}:wxt:locationchange`));
      }
      window.dispatchEvent(new PopStateEvent('popstate'));
    }, session.extensionId);
    await page.waitForTimeout(1_500);
    expect((await leadTexts(page)).length).toBe(before);
    // No restart either: the URL did not change.
    expect(await starts()).toBe(startsBefore);
    // And it still scans what the page adds.
    await page.evaluate(() => window.dispatchEvent(new Event('fixture:more')));
    await expect
      .poll(async () => (await fixtureCoverage(page)).leadsMissed, { timeout: 10_000 })
      .toEqual([]);
    expect((await leadTexts(page)).length).toBeGreaterThan(before);
    await page.close();
  });

  it('can’t read the card or badges, nor open the card with synthetic events', async () => {
    const page = await session.openSite(video);
    await waitForHighlights(page);
    const seen = await page.evaluate(() => {
      const badge = document.querySelector<HTMLElement>('leadguard-badge')!;
      const h = (CSS as unknown as { highlights: Map<string, Set<Range>> }).highlights.get(
        'leadguard-lead',
      )!;
      const range = [...h][0]!;
      range.startContainer.parentElement!.scrollIntoView({ block: 'center' });
      const rect = range.getClientRects()[0]!;
      const x = rect.left + rect.width / 2;
      const y = rect.top + rect.height / 2;
      const target = document.elementFromPoint(x, y)!;
      for (const type of ['pointermove', 'mousemove', 'pointerover'])
        target.dispatchEvent(
          new PointerEvent(type, { clientX: x, clientY: y, bubbles: true, composed: true }),
        );
      document.dispatchEvent(
        new KeyboardEvent('keydown', { code: 'KeyL', altKey: true, shiftKey: true, bubbles: true }),
      );
      badge.dispatchEvent(new FocusEvent('focus'));
      badge.click();
      return { badgeRoot: badge.shadowRoot === null, point: { x, y } };
    });
    expect(seen.badgeRoot).toBe(true);
    await page.waitForTimeout(300);
    expect(await cardText(page)).toBeNull();
    expect(await page.evaluate(() => document.activeElement?.tagName)).not.toBe('LEADGUARD-BADGE');
    // The user's own pointer opens it, and the page still can't look inside.
    await page.mouse.move(seen.point.x, seen.point.y);
    await expect.poll(() => cardText(page)).toContain('引流线索');
    expect(
      await page.evaluate(() => document.querySelector('leadguard-card')?.shadowRoot ?? null),
    ).toBeNull();
    await page.close();
  });

  it('can’t import a list or pause LeadGuard from a content script', async () => {
    const page = await session.openSite(video);
    await waitForHighlights(page);
    const list = JSON.parse(
      readFileSync(join(import.meta.dirname, '../../src/core/default-list.json'), 'utf8'),
    ) as Record<string, unknown>;
    const replies = await inContentScript<unknown[]>(
      page,
      `Promise.all([
        chrome.runtime.sendMessage({ type: 'importList', data: { list: ${JSON.stringify({ ...list, id: 'from-a-tab', entries: [] })} } }),
        chrome.runtime.sendMessage({ type: 'setPaused', data: { platform: 'douyin', paused: true } }),
        chrome.runtime.sendMessage({ type: 'resetList', data: {} }),
      ])`,
    );
    expect(replies).toEqual([
      { ok: false, error: "importList is accepted only from LeadGuard's own pages" },
      { ok: false, error: "setPaused is accepted only from LeadGuard's own pages" },
      { ok: false, error: "resetList is accepted only from LeadGuard's own pages" },
    ]);
    const options = await session.openExtensionPage('options.html');
    await expect
      .poll(() => options.locator('#list-info dd').nth(3).textContent())
      .toBe('内置默认名单');
    const popup = await session.openExtensionPage(`popup.html?tab=${await session.tabIdOf(page)}`);
    await expect.poll(() => popup.locator('button.pause').textContent()).toBe('在此平台暂停');
    expect((await leadTexts(page)).length).toBeGreaterThan(0);
    await popup.close();
    await options.close();
    await page.close();
  });
});

describe('the hover card', () => {
  it('stays on screen with its report button, however long the name', async () => {
    const comment: HostileComment = {
      cid: '7301000000000090003',
      uid: 'MS4wLjABAAAAlongName000001',
      name: '征信修复专家'.repeat(600),
      body: '征*信*修*复 加V：long_0001',
    };
    const page = await openHtml(douyinVideoWith([comment]));
    await waitForHighlights(page);
    await hover(page, comment.cid, '征*信*修*复');
    await expect.poll(() => cardText(page)).toContain('打开平台举报');
    const box = await inContentScript<{
      height: number;
      view: number;
      top: number;
      bottom: number;
    }>(
      page,
      `(() => {
        const root = chrome.dom.openOrClosedShadowRoot(document.querySelector('leadguard-card'));
        const card = root.querySelector('.card').getBoundingClientRect();
        const button = [...root.querySelectorAll('button')].find((b) => b.textContent === '打开平台举报').getBoundingClientRect();
        return { height: card.height, view: innerHeight, top: button.top, bottom: button.bottom };
      })()`,
    );
    expect(box.height).toBeLessThanOrEqual(box.view);
    expect(box.top).toBeGreaterThanOrEqual(0);
    expect(box.bottom).toBeLessThanOrEqual(box.view);
    await page.close();
  });

  it('shows the account id in order after a name with an RTL override', async () => {
    const comment: HostileComment = {
      cid: '7301000000000090004',
      uid: 'MS4wLjABAAAArtlName000001',
      name: '\u202e小周顾问',
      body: '征*信*修*复 加V：rtl_0001',
    };
    const page = await openHtml(douyinVideoWith([comment]));
    await waitForHighlights(page);
    await hover(page, comment.cid, '征*信*修*复');
    await expect.poll(() => cardText(page)).toContain('MS4wLjABAAAArtlName000001');
    const order = await inContentScript<{ text: string; boxes: { left: number; top: number }[] }>(
      page,
      `(() => {
        const root = chrome.dom.openOrClosedShadowRoot(document.querySelector('leadguard-card'));
        const id = root.querySelector('.account-id');
        const node = id.firstChild;
        const boxes = [];
        for (let i = 0; i < node.data.length; i++) {
          const r = document.createRange();
          r.setStart(node, i);
          r.setEnd(node, i + 1);
          const b = r.getBoundingClientRect();
          boxes.push({ left: b.left, top: b.top });
        }
        return { text: node.data, boxes };
      })()`,
    );
    expect(order.text).toBe('douyin:MS4wLjABAAAArtlName000001');
    // Left to right, character after character (lines wrap downwards): the override in the name
    // stopped at its <bdi>.
    for (let i = 1; i < order.boxes.length; i++) {
      const [a, b] = [order.boxes[i - 1]!, order.boxes[i]!];
      if (Math.abs(a.top - b.top) < 2)
        expect(b.left, order.text.slice(0, i + 1)).toBeGreaterThan(a.left);
      else expect(b.top).toBeGreaterThan(a.top);
    }
    await page.close();
  });
});

describe('Bilibili pages the adapter doesn’t know', () => {
  const fixture = readFileSync(join(fixturesDir, 'bilibili/video/BV1xx411c7mD.html'), 'utf8');

  it('are scanned in their shadow-DOM comments', async () => {
    const page = await openHtml(fixture, 'https://www.bilibili.com/bangumi/play/ss12345');
    await waitForHighlights(page);
    const inShadow = await page.evaluate(() => {
      const h = (CSS as unknown as { highlights: Map<string, Set<Range>> }).highlights.get(
        'leadguard-lead',
      )!;
      return [...h].filter((r) => r.startContainer.getRootNode() !== document).map(String);
    });
    expect(inShadow).toContain('征*信*修*复');
    await page.close();
  });

  it.each([
    ['a known video page', 'https://www.bilibili.com/video/BV1xx411c7mD'],
    ['an unknown page', 'https://www.bilibili.com/bangumi/play/ss12346'],
  ])('are scanned 2,000 shadow roots deep (%s)', async (_what, url) => {
    // The comments mount inside 2,000 nested open shadow roots.
    const deep = fixture.replace(
      "var commentapp = document.getElementById('commentapp');",
      `var commentapp = document.getElementById('commentapp');
       for (var depth = 0; depth < 2000; depth++) {
         var inner = document.createElement('div');
         commentapp.attachShadow({ mode: 'open' }).append(inner);
         commentapp = inner;
       }`,
    );
    expect(deep).not.toBe(fixture);
    const page = await openHtml(deep, url);
    await waitForHighlights(page);
    const depths = await page.evaluate(() => {
      const h = (CSS as unknown as { highlights: Map<string, Set<Range>> }).highlights.get(
        'leadguard-lead',
      )!;
      return [...h].map((r) => {
        let d = 0;
        for (
          let n: Node = r.startContainer.getRootNode();
          n !== document;
          n = (n as ShadowRoot).host.getRootNode()
        )
          d++;
        return d;
      });
    });
    expect(Math.max(...depths)).toBeGreaterThanOrEqual(2_000);
    await page.close();
  });
});

describe('single-page navigation', () => {
  it('keeps the heap flat over 200 navigations', async () => {
    const page = await session.openSite('https://www.douyin.com/video/7300000000000000001');
    await waitForHighlights(page);
    const cdp = await session.context.newCDPSession(page);
    let n = 0;
    const navigate = async (times: number) => {
      for (let i = 0; i < times; i++, n++) {
        const idle = await page.evaluate(
          () => performance.getEntriesByName('leadguard-scan-idle').length,
        );
        await page.evaluate(
          (k) => history.pushState({}, '', `/video/7300000000000000001?n=${k}`),
          n,
        );
        await page.waitForFunction(
          (c) => performance.getEntriesByName('leadguard-scan-idle').length > c,
          idle,
          { timeout: 10_000, polling: 20 },
        );
      }
    };
    const heap = async () => {
      await cdp.send('HeapProfiler.collectGarbage');
      await cdp.send('HeapProfiler.collectGarbage');
      return ((await cdp.send('Runtime.getHeapUsage')) as { usedSize: number }).usedSize;
    };
    await navigate(20);
    const before = await heap();
    await navigate(200);
    const after = await heap();
    // One leaked scan (its block states, ranges, card and badges) is ~50 kB: 200 would be 10 MB.
    expect(after - before).toBeLessThan(3 * 1024 * 1024);
    expect((await leadTexts(page)).length).toBeGreaterThan(0);
    await cdp.detach();
    await page.close();
  });
});

describe('highlights', () => {
  it('cover exactly the phrase with emoji, combining marks, zero-width, NUL, lone surrogates and RTL', async () => {
    const comments: HostileComment[] = offsetCases.map((_c, i) => ({
      cid: `73010000000091${String(i).padStart(4, '0')}`,
      uid: `MS4wLjABAAAAoffsets${String(i).padStart(4, '0')}`,
      name: `偏移${i}`,
      body: '…',
    }));
    // The texts go in by script: HTML can't carry NUL or lone surrogates.
    const fill = `document.addEventListener('DOMContentLoaded', function () {
      var texts = ${JSON.stringify(offsetCases.map((c) => c[1]))};
      texts.forEach(function (t, i) {
        var item = document.querySelector('[data-cid="73010000000091' + String(i).padStart(4, '0') + '"]');
        item.querySelector('.WFJiGxr7 span span span').textContent = t;
      });
    });`;
    const page = await openHtml(douyinVideoWith(comments, fill));
    await waitForHighlights(page);
    await page.waitForFunction(
      () => performance.getEntriesByName('leadguard-scan-idle').length > 0,
    );
    const found = await page.evaluate(() => {
      const h = (CSS as unknown as { highlights: Map<string, Set<Range>> }).highlights.get(
        'leadguard-lead',
      )!;
      const out: Record<string, string[]> = {};
      for (const r of h) {
        const cid = r.startContainer.parentElement?.closest('[data-cid]')?.getAttribute('data-cid');
        if (cid?.startsWith('73010000000091')) (out[cid] ??= []).push(r.toString());
      }
      return out;
    });
    offsetCases.forEach(([label, , span], i) => {
      expect(found[`73010000000091${String(i).padStart(4, '0')}`], label).toContain(span);
    });
    await page.close();
  });
});

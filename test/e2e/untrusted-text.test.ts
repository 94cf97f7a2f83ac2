/**
 * No page text, list field or error message is ever rendered as HTML (issue 10, what held): ten
 * kinds of markup and script in commenters' names, comment bodies (inside the matched phrase too),
 * a profile bio, author links, a list's name and a list's pattern, on every surface they reach —
 * the hover card, badges, the popup, the options page and its error message — in Chromium, and
 * the page surfaces in Firefox ESR. Each payload would record itself if it ever ran; none may.
 */
import { writeFileSync } from 'node:fs';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { fixturesDir } from '../../src/cli/demo-server';
import { launchFirefox, type FirefoxSession } from './firefox';
import { cardText, inContentScript, launchExtension, type ExtensionSession } from './harness';
import {
  douyinVideoWith,
  escapeHtml,
  writeDouyinVideo,
  xssPayloads,
  xssRecorder,
  type HostileComment,
} from './hostile-pages';

const PAGE_ID = '7300000000000009666';
const PROFILE_ID = 'MS4wLjABAAAAleadguardDemoAgent01';

/** The topic phrase, written with markup between its characters (the matcher skips those). */
const phrase = '征<*>信<*>修<*>复';

/** One lead comment per payload: in the name, in the body, inside the matched phrase, in the link. */
const comments: HostileComment[] = xssPayloads.map(([, payload], i) => ({
  cid: `73010000000009${String(i).padStart(4, '0')}`,
  uid: `MS4wLjABAAAAxss${String(i).padStart(4, '0')}aaaaaaaaaa`,
  name: payload,
  body: `${phrase} ${payload} 加V：xss_${i}`,
  linkQuery: `next=${payload}`,
}));

/** The Douyin profile fixture with a payload in the name and the bio. */
function profileWithPayloads(): string {
  const html = readFileSync(join(fixturesDir, 'douyin/user', `${PROFILE_ID}.html`), 'utf8');
  const [, payload] = xssPayloads[0]!;
  return html
    .replace('<head>', `<head><script>${xssRecorder}</script>`)
    .replace(
      /(<p data-e2e="user-info-desc"[^>]*>)/,
      `$1<span>${escapeHtml(`征信修复 加V：bio_xss ${xssPayloads.map((p) => p[1]).join(' ')}`)}</span><br />`,
    )
    .replace(/(<h1[^>]*>)/, `$1${escapeHtml(payload)}`);
}

/** A valid list whose name is markup, and a list whose pattern is (rejected, with its text). */
function lists(): { named: string; badPattern: string } {
  const base = JSON.parse(
    readFileSync(join(import.meta.dirname, '../../src/core/default-list.json'), 'utf8'),
  ) as Record<string, unknown>;
  const provenance = { source: 'e2e', addedAt: '2026-12-01' };
  const named = {
    ...base,
    id: 'xss-list',
    version: 1,
    name: xssPayloads
      .map((p) => p[1])
      .join(' ')
      .slice(0, 200),
  };
  const badPattern = {
    ...base,
    id: 'xss-pattern',
    version: 1,
    entries: [
      {
        kind: 'pattern',
        id: 'pat.xss',
        pattern: `<img src=x onerror=__xss('pattern')>.*`,
        category: '征信修复',
        signal: 'strong',
        provenance,
      },
    ],
  };
  const write = (name: string, list: unknown) => {
    const path = join(tmpdir(), `leadguard-${name}.json`);
    writeFileSync(path, JSON.stringify(list));
    return path;
  };
  return { named: write('xss-named', named), badPattern: write('xss-pattern', badPattern) };
}

/** Elements our surfaces may contain; anything else came from page text rendered as HTML. */
const ours = ['DIV', 'P', 'SPAN', 'CODE', 'BDI', 'BUTTON', 'STYLE'];
const foreign =
  'img, svg, iframe, script:not([src]), details, math, b, i, u, style + style, a[href^="javascript:"]';

describe('Chromium', () => {
  let session: ExtensionSession;
  beforeAll(async () => {
    session = await launchExtension();
  });
  afterAll(() => session?.close());

  const serve = async (url: string, html: string) => {
    await session.context.route(url, (route) =>
      route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html }),
    );
    return session.openSite(url);
  };
  const hits = (page: Page) =>
    page.evaluate(() => (window as unknown as { __xssHits: string[] }).__xssHits);

  it('renders names, bodies and matched text in the card as text', async () => {
    const page = await serve(
      `https://www.douyin.com/video/${PAGE_ID}`,
      douyinVideoWith(comments, xssRecorder),
    );
    // Lead or mention (the verdict is the scorer's business here): each comment's phrase marked.
    await page.waitForFunction(
      (n) => {
        const registry = (CSS as unknown as { highlights: Map<string, Set<Range>> }).highlights;
        const all = ['leadguard-lead', 'leadguard-mention'].flatMap((k) => [
          ...(registry.get(k) ?? []),
        ]);
        return all.filter((r) => r.toString() === '征<*>信<*>修<*>复').length >= n;
      },
      comments.length,
      { timeout: 20_000 },
    );
    for (const [i, c] of comments.entries()) {
      const point = await page.evaluate(
        ([cid, t]) => {
          const registry = (CSS as unknown as { highlights: Map<string, Set<Range>> }).highlights;
          const h = ['leadguard-lead', 'leadguard-mention'].flatMap((k) => [
            ...(registry.get(k) ?? []),
          ]);
          const range = h.find(
            (r) =>
              r.toString() === t &&
              !!r.startContainer.parentElement?.closest(`[data-cid="${cid}"]`),
          )!;
          range.startContainer.parentElement!.scrollIntoView({ block: 'center' });
          const rect = range.getClientRects()[0]!;
          return { x: rect.left + 2, y: rect.top + rect.height / 2 };
        },
        [c.cid, phrase] as const,
      );
      await page.mouse.move(2, 2);
      await page.mouse.move(point.x, point.y);
      await expect.poll(() => cardText(page)).toContain(c.uid);
      const text = (await cardText(page))!;
      expect(text, xssPayloads[i]![0]).toContain(c.name.split('\u0000').join('').slice(0, 20));
      expect(text).toContain(phrase);
      const tags = await inContentScript<string[]>(
        page,
        `[...chrome.dom.openOrClosedShadowRoot(document.querySelector('leadguard-card')).querySelectorAll('*')].map((e) => e.tagName)`,
      );
      expect(
        tags.filter((t) => !ours.includes(t)),
        xssPayloads[i]![0],
      ).toEqual([]);
    }
    // Badges sit beside the names; each holds our button and style only.
    const badgeTags = await inContentScript<string[]>(
      page,
      `[...document.querySelectorAll('leadguard-badge')].flatMap((b) => [...chrome.dom.openOrClosedShadowRoot(b).querySelectorAll('*')].map((e) => e.tagName))`,
    );
    expect(badgeTags.filter((t) => !ours.includes(t))).toEqual([]);
    expect(await hits(page)).toEqual([]);

    const popup = await session.openExtensionPage(`popup.html?tab=${await session.tabIdOf(page)}`);
    await expect.poll(() => popup.locator('dd.leads').textContent()).toMatch(/^[1-9]/);
    expect(await popup.locator(foreign).count()).toBe(0);
    await popup.close();
    await page.close();
  });

  it('renders a bio and a profile name in the card as text', async () => {
    const page = await serve(`https://www.douyin.com/user/${PROFILE_ID}`, profileWithPayloads());
    await page.waitForFunction(
      () =>
        !!(CSS as unknown as { highlights: Map<string, Set<Range>> }).highlights.get(
          'leadguard-lead',
        )?.size,
      null,
      { timeout: 20_000 },
    );
    const point = await page.evaluate(() => {
      const h = (CSS as unknown as { highlights: Map<string, Set<Range>> }).highlights.get(
        'leadguard-lead',
      )!;
      const range = [...h].find((r) =>
        r.startContainer.parentElement?.closest('[data-e2e="user-info-desc"]'),
      )!;
      const rect = range.getClientRects()[0]!;
      return { x: rect.left + 2, y: rect.top + rect.height / 2 };
    });
    await page.mouse.move(point.x, point.y);
    await expect.poll(() => cardText(page)).toContain(xssPayloads[0]![1]);
    expect(await hits(page)).toEqual([]);
    await page.close();
  });

  it('shows a list’s name and a pattern’s error on the options page as text', async () => {
    const { named, badPattern } = lists();
    const options = await session.openExtensionPage('options.html');
    await options.locator('#import-list').setInputFiles(named);
    await expect.poll(() => options.locator('#status').textContent()).toContain('xss-list@1');
    expect(await options.locator('#list-info dd').first().textContent()).toContain('<img src=x');
    expect(await options.locator(foreign).count()).toBe(0);
    await options.locator('#import-list').setInputFiles(badPattern);
    await expect.poll(() => options.locator('#status').textContent()).toContain('导入失败');
    expect(await options.locator('#status').textContent()).toContain(
      `pattern "<img src=x onerror=__xss('pattern')>.*"`,
    );
    expect(await options.locator(foreign).count()).toBe(0);
    await options.locator('#reset-list').click();
    await expect
      .poll(() => options.locator('#list-info dd').nth(3).textContent())
      .toBe('内置默认名单');
    await options.close();
  });
});

describe('Firefox ESR', () => {
  let firefox: FirefoxSession;
  let page: { url: string; remove: () => void };
  beforeAll(async () => {
    page = writeDouyinVideo(PAGE_ID, douyinVideoWith(comments, xssRecorder));
    firefox = await launchFirefox(inject('fixturePort'));
  });
  afterAll(async () => {
    page?.remove();
    await firefox?.close();
  });

  it('renders names, bodies and matched text in the card as text', async () => {
    const tab = await firefox.open(page.url);
    const highlighted = () =>
      tab.evaluate<number>(`(() => {
        if (!CSS.highlights) return 0;
        const h = ['leadguard-lead', 'leadguard-mention'].flatMap((k) => [...(CSS.highlights.get(k) ?? [])]);
        return h.filter((r) => r.toString() === ${JSON.stringify(phrase)}).length;
      })()`);
    await expect.poll(highlighted, { timeout: 30_000, interval: 250 }).toBe(comments.length);
    for (const c of comments) {
      const point = await tab.evaluate<{ x: number; y: number }>(`(() => {
        const h = ['leadguard-lead', 'leadguard-mention'].flatMap((k) => [...(CSS.highlights.get(k) ?? [])]);
        const range = h.find((r) => r.toString() === ${JSON.stringify(phrase)} &&
          r.startContainer.parentElement.closest('[data-cid="${c.cid}"]'));
        range.startContainer.parentElement.scrollIntoView({ block: 'center' });
        const rect = range.getClientRects()[0];
        return { x: rect.left + 2, y: rect.top + rect.height / 2 };
      })()`);
      // The card is in a closed shadow root: the page sees only its host, wherever it shows.
      const cardShown = () =>
        tab.evaluate<boolean>(`(() => {
          for (let y = 2; y < innerHeight; y += 6)
            for (const x of [${point.x + 20}, 40, innerWidth / 2])
              if (document.elementFromPoint(x, y)?.tagName === 'LEADGUARD-CARD') return true;
          return false;
        })()`);
      await tab.moveMouse(2, 2);
      await expect.poll(cardShown, { timeout: 5_000 }).toBe(false);
      await tab.moveMouse(point.x, point.y);
      await expect.poll(cardShown, { timeout: 5_000, message: c.cid }).toBe(true);
    }
    expect(await tab.evaluate<string[]>('window.__xssHits')).toEqual([]);
    expect(
      await tab.evaluate<boolean>(`document.querySelector('leadguard-card').shadowRoot === null`),
    ).toBe(true);
    await tab.close();
  });
  // Extension pages can't be opened over BiDi here (Firefox refuses to navigate a tab to
  // moz-extension:), so the options page's list fields and errors are checked in Chromium.
});

// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compileList } from '../../../src/core/compile-list';
import { loadMatcher } from '../../../src/core/matcher';
import { highlightNames } from '../../../src/page/highlighter';
import { PageScanner } from '../../../src/page/scanner';
import type { SiteAdapter, TextBlock } from '../../../src/sites/adapter';
import { sampleList } from '../core/sample-list';

const matcher = loadMatcher(compileList(sampleList));

/** A stateful stand-in for CSS.highlights (happy-dom has none), so tests read real Ranges back. */
class FakeHighlight extends Set<Range> {}
function installHighlightRegistry(): Map<string, FakeHighlight> {
  const registry = new Map<string, FakeHighlight>();
  Object.defineProperty(window, 'Highlight', {
    value: FakeHighlight,
    configurable: true,
    writable: true,
  });
  // happy-dom's CSS getter makes a new object each time; pin one that has a registry.
  Object.defineProperty(window, 'CSS', { value: { highlights: registry }, configurable: true });
  return registry;
}

/** Comments as `.c[data-id]` with an author link and a text span; the item itself is the block. */
const adapter: SiteAdapter = {
  id: 'douyin',
  matches: [],
  examples: [],
  pageKind: () => 'video',
  blocks(root) {
    const items: Element[] = [];
    if (root.nodeType === 1 && (root as Element).matches('.c')) items.push(root as Element);
    items.push(...root.querySelectorAll('.c'));
    return items.map((el): TextBlock => {
      const link = el.querySelector('a.author')!;
      return {
        key: `comment:${el.getAttribute('data-id')}`,
        kind: 'comment',
        element: el,
        text: [el.querySelector('.text')!],
        author: {
          platform: 'douyin',
          id: link.getAttribute('data-uid')!,
          handle: link.textContent!,
        },
        authorElement: link,
      };
    });
  },
};

function comment(id: string, uid: string, text: string): HTMLElement {
  const el = document.createElement('div');
  el.className = 'c';
  el.setAttribute('data-id', id);
  const a = document.createElement('a');
  a.className = 'author';
  a.setAttribute('data-uid', uid);
  a.textContent = `用户${uid}`;
  const span = document.createElement('span');
  span.className = 'text';
  span.textContent = text;
  el.append(a, span);
  return el;
}

const texts = (h: FakeHighlight | undefined) => [...(h ?? [])].map((r) => r.toString()).sort();

describe('the page scanner', () => {
  let registry: Map<string, FakeHighlight>;
  let controller: AbortController;
  let list: HTMLElement;
  let counts: { leads: number; mentions: number }[];

  beforeEach(() => {
    registry = installHighlightRegistry();
    document.body.replaceChildren();
    list = document.createElement('div');
    list.append(
      comment('1', 'u1', '征*信*修*复，加V详聊'),
      comment('2', 'u2', '警惕“征信修复”骗局'),
      comment('3', 'u3', '今天天气真好'),
      comment('4', 'MS4wLjABAAAAagent', '欢迎关注'),
    );
    document.body.append(list);
    controller = new AbortController();
    counts = [];
  });
  afterEach(() => controller.abort());

  const start = () => {
    const scanner = new PageScanner({
      adapter,
      matcher,
      signal: controller.signal,
      onCounts: (c) => counts.push(c),
    });
    scanner.start();
    return scanner;
  };

  it('highlights leads and mentions in place and badges listed accounts', async () => {
    const scanner = start();
    await scanner.whenIdle();
    expect(texts(registry.get(highlightNames.lead))).toEqual(['加V', '征*信*修*复']);
    expect(texts(registry.get(highlightNames.mention))).toEqual(['征信修复']);
    expect(texts(registry.get(highlightNames.category('引流')))).toEqual(['加V']);
    // The page's text nodes are untouched.
    expect(list.querySelector('[data-id="1"] .text')!.childNodes).toHaveLength(1);
    const badges = [...document.querySelectorAll('leadguard-badge')].map((b) =>
      b.getAttribute('data-kind'),
    );
    expect(badges).toEqual(['lead', 'account']);
    expect(document.querySelector('[data-id="4"] a.author')!.nextElementSibling!.tagName).toBe(
      'LEADGUARD-BADGE',
    );
    expect(scanner.currentCounts).toEqual({ leads: 1, mentions: 1 });
    expect(counts.at(-1)).toEqual({ leads: 1, mentions: 1 });
  });

  it('scans comments appended later', async () => {
    const scanner = start();
    await scanner.whenIdle();
    list.append(comment('5', 'u5', '停 息 挂 账找我，电话13900139000'));
    await new Promise((r) => setTimeout(r, 0));
    await scanner.whenIdle();
    expect(texts(registry.get(highlightNames.lead))).toContain('停 息 挂 账');
    expect(scanner.currentCounts.leads).toBe(2);
  });

  it('re-evaluates a recycled node that now shows another item', async () => {
    const scanner = start();
    await scanner.whenIdle();
    const recycled = list.querySelector('[data-id="1"]')!;
    recycled.setAttribute('data-id', '99');
    recycled.querySelector('.text')!.textContent = '周末去爬山';
    await new Promise((r) => setTimeout(r, 0));
    await scanner.whenIdle();
    expect(texts(registry.get(highlightNames.lead))).toEqual([]);
    expect(scanner.currentCounts.leads).toBe(0);
    expect(recycled.querySelector('leadguard-badge')).toBeNull();
  });

  it('removes every highlight and badge when aborted', async () => {
    const scanner = start();
    await scanner.whenIdle();
    controller.abort();
    expect(registry.size).toBe(0);
    expect(document.querySelectorAll('leadguard-badge')).toHaveLength(0);
  });

  it('keeps going when the adapter throws, reporting the error instead', async () => {
    const errors: unknown[] = [];
    const broken: SiteAdapter = {
      ...adapter,
      blocks: () => {
        throw new Error('selector drift');
      },
    };
    const scanner = new PageScanner({
      adapter: broken,
      matcher,
      signal: controller.signal,
      onError: (e) => errors.push(e),
    });
    expect(() => scanner.start()).not.toThrow();
    await scanner.whenIdle();
    expect(String(errors[0])).toContain('selector drift');
  });

  it('falls back to an overlay where the Highlight API is missing', async () => {
    Object.defineProperty(window, 'Highlight', { value: undefined, configurable: true });
    const scanner = start();
    await scanner.whenIdle();
    const overlay = document.querySelector('leadguard-overlay');
    expect(overlay).not.toBeNull();
    expect(overlay!.shadowRoot!.querySelectorAll('[data-verdict]').length).toBeGreaterThanOrEqual(
      0,
    );
  });
});

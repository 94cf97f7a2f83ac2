// @vitest-environment happy-dom
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compileList } from '../../../src/core/compile-list';
import { loadMatcher } from '../../../src/core/matcher';
import { highlightNames } from '../../../src/page/highlighter';
import { outermost } from '../../../src/core/outermost';
import { MAX_MARKS_PER_BLOCK, PageScanner } from '../../../src/page/scanner';
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
    // Badges sit in one layer outside the page's flow, each naming its block.
    const layer = document.querySelector('leadguard-badges')!;
    expect(layer.parentElement).toBe(document.documentElement);
    expect(
      [...layer.querySelectorAll('leadguard-badge')].map((b) => b.getAttribute('data-block')),
    ).toEqual(['comment:1', 'comment:4']);
    expect(list.querySelector('leadguard-badge')).toBeNull();
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
    expect(document.querySelector('leadguard-badge[data-block="comment:1"]')).toBeNull();
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

describe('a long block', () => {
  let registry: Map<string, FakeHighlight>;
  let controller: AbortController;
  beforeEach(() => {
    registry = installHighlightRegistry();
    document.body.replaceChildren();
    controller = new AbortController();
  });
  afterEach(() => controller.abort());

  it('is assessed in steps across slices, its first thousand lead terms highlighted', async () => {
    const unit = '征*信*修*复，加V详聊。今天天气真好，';
    const wall = unit.repeat(20_000); // 360k characters, ~40,000 highlighted terms
    document.body.append(comment('1', 'u1', wall), comment('2', 'u2', '征*信*修*复，加V详聊'));
    // Every clock read moves 4 ms on: a 10 ms slice has room for one step or two.
    let clock = 0;
    const scanner = new PageScanner({
      adapter,
      matcher,
      signal: controller.signal,
      now: () => (clock += 4),
    });
    performance.clearMeasures('leadguard-slice');
    scanner.start();
    await scanner.whenIdle();
    // ~95 windows, one or two steps a slice: the scan gave the thread back to the page between
    // them (each slice is its own task).
    expect(performance.getEntriesByName('leadguard-slice').length).toBeGreaterThan(45);
    const leads = texts(registry.get(highlightNames.lead));
    // 40,000 lead terms; the first thousand of the wall are highlighted, and both of the comment.
    expect(leads).toHaveLength(MAX_MARKS_PER_BLOCK + 2);
    expect(leads.filter((t) => t === '征*信*修*复')).toHaveLength(MAX_MARKS_PER_BLOCK / 2 + 1);
    const first = [...registry.get(highlightNames.lead)!].find((r) => r.startOffset === 0);
    expect(first?.toString()).toBe('征*信*修*复');
    expect(scanner.currentCounts).toEqual({ leads: 2, mentions: 0 });
  });

  it('that changes while it is assessed is assessed again in its new form', async () => {
    const el = comment('1', 'u1', '征*信*修*复，加V详聊。'.repeat(5_000));
    document.body.append(el);
    let clock = 0;
    const scanner = new PageScanner({
      adapter,
      matcher,
      signal: controller.signal,
      now: () => (clock += 4),
    });
    scanner.start();
    await new Promise((r) => setTimeout(r, 0));
    el.querySelector('.text')!.textContent = '周末去爬山'.repeat(2_000);
    await new Promise((r) => setTimeout(r, 0));
    await scanner.whenIdle();
    await new Promise((r) => setTimeout(r, 0));
    await scanner.whenIdle();
    expect(texts(registry.get(highlightNames.lead))).toEqual([]);
    expect(scanner.currentCounts).toEqual({ leads: 0, mentions: 0 });
  });
});

describe('outermost', () => {
  /** The rule as first written: a match inside a strictly longer one is dropped. */
  const reference = <T extends { start: number; end: number }>(ms: T[]) =>
    ms.filter(
      (m) =>
        !ms.some(
          (o) =>
            o !== m && o.start <= m.start && o.end >= m.end && o.end - o.start > m.end - m.start,
        ),
    );
  const key = (m: { start: number; end: number; id: number }) => m.id;

  it('keeps exactly the matches not inside a longer one', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc
            .tuple(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 1, max: 8 }))
            .map(([start, length]) => ({ start, end: start + length })),
          { maxLength: 60 },
        ),
        (spans) => {
          const ms = spans.map((s, id) => ({ ...s, id }));
          expect(
            outermost(ms)
              .map(key)
              .sort((a, b) => a - b),
          ).toEqual(
            reference(ms)
              .map(key)
              .sort((a, b) => a - b),
          );
        },
      ),
      { numRuns: 500 },
    );
  });

  it.each([
    [
      '停息 in 停息挂账',
      [
        [0, 4],
        [0, 2],
      ],
      [[0, 4]],
    ],
    [
      'the same span twice (two rules)',
      [
        [2, 6],
        [2, 6],
      ],
      [
        [2, 6],
        [2, 6],
      ],
    ],
    [
      'overlapping, neither inside',
      [
        [0, 4],
        [2, 6],
      ],
      [
        [0, 4],
        [2, 6],
      ],
    ],
    [
      'inside, ending together',
      [
        [0, 6],
        [3, 6],
      ],
      [[0, 6]],
    ],
  ])('%s', (_name, input, expected) => {
    const ms = input.map(([start, end]) => ({ start: start!, end: end! }));
    expect(outermost(ms).map((m) => [m.start, m.end])).toEqual(expected);
  });
});

describe('a page that keeps changing', () => {
  let registry: Map<string, FakeHighlight>;
  let controller: AbortController;
  beforeEach(() => {
    registry = installHighlightRegistry();
    document.body.replaceChildren();
    controller = new AbortController();
  });
  afterEach(() => controller.abort());

  /** The test adapter, counting how often it is asked to read each block again. */
  const counting = () => {
    const reads = new Map<string, number>();
    const wrapped: SiteAdapter = {
      ...adapter,
      blocks(root) {
        const found = [...adapter.blocks(root)];
        if (root !== document) for (const b of found) reads.set(b.key, (reads.get(b.key) ?? 0) + 1);
        return found;
      },
    };
    return { adapter: wrapped, reads };
  };
  const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));

  it('looks at a block rewritten again and again less and less often, ending on its last text', async () => {
    const el = comment('1', 'u1', '今天天气真好');
    document.body.append(el, comment('2', 'u2', '征*信*修*复，加V详聊'));
    const { adapter: a, reads } = counting();
    const scanner = new PageScanner({
      adapter: a,
      matcher,
      signal: controller.signal,
      backoffMs: 20,
      maxBackoffMs: 80,
    });
    scanner.start();
    await scanner.whenIdle();
    const text = el.querySelector('.text')!;
    for (let i = 0; i < 60; i++) {
      text.textContent = i % 2 ? `征*信*修*复，加V详聊 ${i}` : `周末去爬山 ${i}`;
      await settle(5);
    }
    text.textContent = '征*信*修*复，加V详聊 最后一次';
    await settle(300);
    await scanner.whenIdle();
    // 61 changes in ~0.3 s, coalesced: a handful of looks, not one per change.
    expect(reads.get('comment:1')).toBeLessThan(15);
    expect(texts(registry.get(highlightNames.lead))).toEqual([
      '加V',
      '加V',
      '征*信*修*复',
      '征*信*修*复',
    ]);
    expect(scanner.currentCounts).toEqual({ leads: 2, mentions: 0 });
  });

  it('ignores changes outside a block’s text and author, and re-renders with the same text', async () => {
    const el = comment('1', 'u1', '征*信*修*复，加V详聊');
    const likes = document.createElement('span');
    likes.className = 'likes';
    likes.textContent = '0';
    el.append(likes);
    document.body.append(el);
    const { adapter: a, reads } = counting();
    const scanner = new PageScanner({ adapter: a, matcher, signal: controller.signal });
    scanner.start();
    await scanner.whenIdle();
    for (let i = 1; i <= 50; i++) likes.textContent = String(i);
    await settle(20);
    await scanner.whenIdle();
    expect(reads.get('comment:1') ?? 0).toBe(0);
    // A framework re-render: new text nodes, same words. The highlights are made again.
    const text = el.querySelector('.text')!;
    text.replaceChildren(document.createTextNode('征*信*修*复，加V详聊'));
    await settle(20);
    await scanner.whenIdle();
    const leads = [...registry.get(highlightNames.lead)!];
    expect(leads.map((r) => r.toString()).sort()).toEqual(['加V', '征*信*修*复']);
    expect(leads.every((r) => !r.collapsed && text.contains(r.startContainer))).toBe(true);
    expect(scanner.currentCounts).toEqual({ leads: 1, mentions: 0 });
  });
});

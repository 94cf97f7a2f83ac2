// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import type { TextBlock } from '../../../src/sites/adapter';
import { bilibili } from '../../../src/sites/bilibili';
import { loadFixture } from './load-fixture';

const demoAgent = '3493000000000001';
const videoUrl = 'https://www.bilibili.com/video/BV1xx411c7mD';
const videoFixture = 'bilibili/video/BV1xx411c7mD.html';
const spaceUrl = `https://space.bilibili.com/${demoAgent}`;
const spaceFixture = `bilibili/${demoAgent}.html`;
const dynamicUrl = 'https://t.bilibili.com/912345678901234567';
const dynamicFixture = 'bilibili/912345678901234567.html';

const foreignUrls = [
  'https://www.douyin.com/video/7300000000000000001',
  'https://weibo.com/1234567890/N8abcDEF1',
  'https://www.zhihu.com/question/123456',
  'https://tieba.baidu.com/p/123456',
  'https://www.kuaishou.com/short-video/3xleadvideo00001',
  'https://example.org/video/BV1xx411c7mD',
  'https://bilibili.com.example.org/video/BV1xx411c7mD',
];

const examplesWithFixture = bilibili.examples.filter((e) => e.fixture);

function scan(fixture: string, url: string): TextBlock[] {
  return [...bilibili.blocks(loadFixture(fixture, url))];
}

function keyed(blocks: TextBlock[]): Map<string, TextBlock> {
  return new Map(blocks.map((b) => [b.key, b]));
}

function textOf(block: TextBlock): string {
  return block.text.map((t) => t.textContent ?? '').join('\n');
}

/** `contains` across shadow boundaries. */
function composedContains(ancestor: Node, node: Node): boolean {
  for (let n: Node | null = node; n; n = n.parentNode ?? (n as ShadowRoot).host ?? null) {
    if (n === ancestor) return true;
  }
  return false;
}

/** Every element under `root`, inside open shadow roots too. */
function deepAll(root: ParentNode, selector: string): Element[] {
  const out: Element[] = [];
  const visit = (scope: ParentNode) => {
    for (const el of scope.querySelectorAll('*')) {
      if (el.matches(selector)) out.push(el);
      if (el.shadowRoot) visit(el.shadowRoot);
    }
  };
  if ((root as Element).shadowRoot) visit((root as Element).shadowRoot!);
  visit(root);
  return out;
}

/** The comment hosts under the page's bili-comments, as Bilibili nests them. */
function threads(doc: Document): Element[] {
  const root = doc.querySelector('bili-comments')!.shadowRoot!;
  return [...root.querySelectorAll('#feed > bili-comment-thread-renderer')];
}

function setPage(html: string, url = videoUrl): void {
  (window as unknown as { happyDOM: { setURL(u: string): void } }).happyDOM.setURL(url);
  const parsed = new DOMParser().parseFromString(html, 'text/html');
  document.body.replaceChildren(
    ...[...parsed.body.childNodes].map((n) => document.importNode(n, true)),
  );
}

describe('bilibili.pageKind', () => {
  it.each(bilibili.examples)('$url is a $kind page', ({ url, kind }) => {
    expect(bilibili.pageKind(new URL(url))).toBe(kind);
  });

  it.each(foreignUrls)('does not claim %s', (url) => {
    expect(bilibili.pageKind(new URL(url))).toBeNull();
  });

  it('does not claim Bilibili pages it has no blocks for', () => {
    expect(bilibili.pageKind(new URL('https://live.bilibili.com/21452505'))).toBeNull();
    expect(bilibili.pageKind(new URL('https://www.bilibili.com/account/history'))).toBeNull();
    expect(bilibili.pageKind(new URL('https://space.bilibili.com/'))).toBeNull();
  });

  it('serves the manifest patterns of its platform and lists its shadow hosts', () => {
    expect(bilibili.matches).toEqual(['https://*.bilibili.com/*']);
    expect(bilibili.shadowHosts).toContain('bili-comments');
    expect(bilibili.shadowHosts).toContain('bili-comment-thread-renderer');
    expect(bilibili.shadowHosts).toContain('bili-comment-reply-renderer');
  });
});

describe('bilibili.blocks on every example fixture', () => {
  it.each(examplesWithFixture)('$url', ({ url, fixture }) => {
    const doc = loadFixture(fixture!, url);
    const blocks = [...bilibili.blocks(doc)];
    expect(blocks.length).toBeGreaterThan(0);
    expect(new Set(blocks.map((b) => b.key)).size).toBe(blocks.length);
    for (const block of blocks) {
      expect(block.key).toMatch(/^(title|post|bio|card|comment|danmaku):\w+$/);
      expect(textOf(block).trim()).not.toBe('');
      for (const t of block.text) expect(composedContains(block.element, t)).toBe(true);
      if (block.kind === 'danmaku') {
        expect(block.author).toBeUndefined();
        continue;
      }
      expect(block.author?.platform).toBe('bilibili');
      expect(block.author!.id).toMatch(/^\d+$/);
      expect(block.author!.url).toBe(`https://space.bilibili.com/${block.author!.id}`);
      if (block.authorElement) {
        for (const t of block.text) expect(composedContains(t, block.authorElement)).toBe(false);
      }
    }
    // Every element the fixture marks (in shadow trees too) is the element of one block.
    const elements = new Set(blocks.map((b) => b.element));
    const marked = deepAll(doc, '[data-fixture]');
    expect(marked.length).toBeGreaterThan(0);
    for (const m of marked) expect(elements.has(m), m.outerHTML.slice(0, 120)).toBe(true);
  });
});

describe('bilibili video page', () => {
  it('reads the title, description and uploader bio with the video 投诉 control', () => {
    const byKey = keyed(scan(videoFixture, videoUrl));
    const title = byKey.get('title:BV1xx411c7mD')!;
    const desc = byKey.get('post:BV1xx411c7mD')!;
    for (const block of [title, desc]) {
      expect(block.author).toEqual({
        platform: 'bilibili',
        id: '3493100000000001',
        handle: '理财小白说',
        url: 'https://space.bilibili.com/3493100000000001',
      });
      expect(block.reportEntry?.matches('.video-toolbar-right .video-complaint')).toBe(true);
    }
    expect(title.kind).toBe('title');
    expect(desc.text[0]!.matches('.basic-desc-info')).toBe(true);
    expect(textOf(desc)).not.toContain('展开更多');
    expect(byKey.get('bio:3493100000000001')?.kind).toBe('bio');
  });

  it('reads danmaku rows without a dmid (none in the DOM), keyed by time and text, no account', () => {
    const danmaku = scan(videoFixture, videoUrl).filter((b) => b.kind === 'danmaku');
    expect(danmaku).toHaveLength(3);
    for (const b of danmaku) {
      expect(b.key).toMatch(/^danmaku:h[0-9a-z]+$/);
      expect(b.author).toBeUndefined();
      // Each row's own 举报 (.dm-info-report-btn).
      expect(b.reportEntry?.matches('.dm-info-report-btn')).toBe(true);
      expect(b.element.contains(b.reportEntry!)).toBe(true);
    }
    expect(textOf(danmaku[1]!)).toBe('征信修复都是骗人的，记住了');
    expect(new Set(danmaku.map((b) => b.key)).size).toBe(3);
  });

  it('walks the open shadow roots to comments and replies, with mids from profile links', () => {
    const doc = loadFixture(videoFixture, videoUrl);
    const comments = [...bilibili.blocks(doc)].filter((b) => b.key.startsWith('comment:'));
    expect(comments.map((b) => `${b.kind} ${b.key} ${b.author?.id}`)).toEqual([
      'comment comment:210000000001 3493100000000002',
      `reply comment:210000000011 ${demoAgent}`,
      'reply comment:210000000012 3493100000000003',
      'comment comment:210000000002 3493000000000002',
      'comment comment:210000000003 3493100000000004',
      'comment comment:210000000004 3493100000000005',
    ]);
    const [first, lead] = comments;
    expect(first!.element).toBe(threads(doc)[0]);
    expect(lead!.element.tagName).toBe('BILI-COMMENT-REPLY-RENDERER');
    expect(lead!.author).toEqual({
      platform: 'bilibili',
      id: demoAgent,
      handle: '上岸规划师-阿杰',
      url: spaceUrl,
    });
    expect(textOf(lead!)).toBe('停📛息📛挂📛账 一对一协商，成功再收费，私信我发方案');
    // The text is bili-rich-text's #contents, the name is user-info's #user-name a.
    expect(lead!.text[0]!.id).toBe('contents');
    expect((lead!.text[0]!.getRootNode() as ShadowRoot).host.tagName).toBe('BILI-RICH-TEXT');
    expect(lead!.authorElement?.matches('#user-name a')).toBe(true);
    expect((lead!.authorElement!.getRootNode() as ShadowRoot).host.tagName).toBe(
      'BILI-COMMENT-USER-INFO',
    );
    // A thread's comment is its own words, not its replies'.
    expect(textOf(first!)).not.toContain('停📛息');
  });

  it('reaches each comment’s 举报 through the menu its own #more button opens', () => {
    const comments = scan(videoFixture, videoUrl).filter((b) => b.key.startsWith('comment:'));
    const triggers = new Set(comments.map((b) => b.reportMenu?.trigger));
    expect(triggers.size).toBe(comments.length);
    for (const block of comments) {
      // `#more` opens the menu; it is not the report control itself.
      expect(block.reportEntry).toBeUndefined();
      const menu = block.reportMenu!;
      expect(menu.trigger.tagName).toBe('BUTTON');
      expect(menu.trigger.parentElement?.id).toBe('more');
      const host = (menu.trigger.getRootNode() as ShadowRoot).host;
      expect(host.tagName).toBe('BILI-COMMENT-ACTION-BUTTONS-RENDERER');
      expect(composedContains(block.element, menu.trigger)).toBe(true);
      expect(menu.control()).toBeNull();
      (menu.trigger as HTMLElement).click();
      const control = menu.control()!;
      expect(control.textContent).toBe('举报');
      expect(control.matches('#options li')).toBe(true);
      expect((control.getRootNode() as ShadowRoot).host.tagName).toBe('BILI-COMMENT-MENU');
      expect(composedContains(block.element, control)).toBe(true);
    }
  });

  it('reads each reply with its thread’s comment', () => {
    const comments = scan(videoFixture, videoUrl).filter((b) => b.key.startsWith('comment:'));
    const parent = comments[0]!;
    expect(parent.kind).toBe('comment');
    expect(parent.context).toBeUndefined();
    for (const reply of comments.slice(1, 3)) {
      expect(reply.kind).toBe('reply');
      expect(reply.context).toEqual(parent.text);
    }
  });

  it('finds mids from the DOM, not __data, and keys by author and text without it', () => {
    const doc = loadFixture(videoFixture, videoUrl);
    for (const host of deepAll(doc, 'bili-comment-thread-renderer, bili-comment-reply-renderer')) {
      delete (host as unknown as { __data?: unknown }).__data;
    }
    const comments = [...bilibili.blocks(doc)].filter((b) => b.key.startsWith('comment:'));
    expect(comments).toHaveLength(6);
    expect(comments.map((b) => b.author?.id)).toContain(demoAgent);
    expect(comments.every((b) => /^comment:h\w+$/.test(b.key))).toBe(true);
    expect(new Set(comments.map((b) => b.key)).size).toBe(6);
    expect([...bilibili.blocks(doc)].map((b) => b.key)).toEqual(
      [...bilibili.blocks(doc)].map((b) => b.key),
    );
  });

  it('lists ignore selectors that match @mentions; emotes stay in the text as img[alt]', () => {
    const doc = loadFixture(videoFixture, videoUrl);
    const blocks = [...bilibili.blocks(doc)];
    const mentions = deepAll(doc, 'a[data-type="mention"]');
    expect(mentions.map((m) => m.textContent)).toEqual(['@上岸规划师-阿杰']);
    for (const mention of mentions) {
      expect(bilibili.ignore!.some((s) => mention.matches(s))).toBe(true);
      expect(blocks.some((b) => b.text.some((t) => t.contains(mention)))).toBe(true);
    }
    const first = keyed(blocks).get('comment:210000000001')!;
    expect(first.text[0]!.querySelector('img[alt="[doge]"]')).not.toBeNull();
  });

  it('finds the threads and replies the page appends when it loads more', () => {
    const doc = loadFixture(videoFixture, videoUrl);
    expect([...bilibili.blocks(doc)]).toHaveLength(12);
    window.dispatchEvent(new Event('fixture:more'));
    const after = keyed([...bilibili.blocks(doc)]);
    expect(after.size).toBe(15);
    expect(after.get('comment:210000000005')?.author?.id).toBe('3493000000000003');
    const reply = after.get('comment:210000000051')!;
    expect(reply.kind).toBe('reply');
    expect(reply.author?.handle).toBe('zx顾问木子');
    expect(textOf(reply)).toBe('zx修复 加V：muzi_zx666 当天出方案');
    window.dispatchEvent(new Event('fixture:more'));
    expect([...bilibili.blocks(doc)]).toHaveLength(15);
  });

  it('reads from a shadow root, a comment host or a node deep inside one', () => {
    const doc = loadFixture(videoFixture, videoUrl);
    const root = doc.querySelector('bili-comments')!.shadowRoot!;
    expect([...bilibili.blocks(root)]).toHaveLength(6);
    const thread = threads(doc)[0]!;
    expect([...bilibili.blocks(thread)].map((b) => b.key)).toEqual([
      'comment:210000000001',
      'comment:210000000011',
      'comment:210000000012',
    ]);
    const lead = deepAll(thread, 'bili-comment-reply-renderer')[0]!;
    const span = deepAll(lead, '#contents span')[0]!;
    expect([...bilibili.blocks(span)].map((b) => b.key)).toEqual(['comment:210000000011']);
  });

  it('keeps keys and text when a comment like count re-renders', () => {
    const doc = loadFixture(videoFixture, videoUrl);
    const before = [...bilibili.blocks(doc)];
    const like = deepAll(threads(doc)[2]!, '#like button')[0] as HTMLElement;
    like.click();
    expect(like.textContent).toBe('1205');
    const after = [...bilibili.blocks(doc)];
    expect(after.map((b) => b.key)).toEqual(before.map((b) => b.key));
    expect(after.map(textOf)).toEqual(before.map(textOf));
  });

  it('follows an SPA navigation that patches the page and remounts comments', () => {
    const doc = loadFixture(videoFixture, videoUrl);
    doc.querySelector<HTMLElement>('a[data-spa]')!.click();
    expect(location.pathname).toBe('/video/BV1yy411c7mE');
    expect(bilibili.pageKind(new URL(location.href))).toBe('video');
    const byKey = keyed([...bilibili.blocks(doc)]);
    expect(byKey.has('title:BV1xx411c7mD')).toBe(false);
    expect(byKey.get('title:BV1yy411c7mE')?.author?.id).toBe('3493100000000010');
    expect(textOf(byKey.get('post:BV1yy411c7mE')!)).toContain('炒糖色');
    expect(byKey.get('comment:220000000002')?.author?.handle).toBe('退保维权-安姐');
    expect(byKey.has('comment:210000000001')).toBe(false);
  });
});

describe('bilibili cards, space and dynamics', () => {
  it('reads home feed cards by BV id with the owner mid', () => {
    const blocks = scan('bilibili/index.html', 'https://www.bilibili.com/');
    expect(blocks.map((b) => b.key)).toEqual([1, 2, 3, 4, 5, 6].map((n) => `card:BV1Fh411c7A${n}`));
    const lead = blocks[1]!;
    expect(lead.author?.id).toBe('3493000000000008');
    expect(lead.authorElement?.matches('.bili-video-card__info--author')).toBe(true);
    expect(textOf(lead)).not.toContain('03-08');
  });

  it('reads search results, highlight markup included', () => {
    const blocks = scan(
      'bilibili/all.html',
      'https://search.bilibili.com/all?keyword=%E5%81%9C%E6%81%AF%E6%8C%82%E8%B4%A6',
    );
    expect(blocks).toHaveLength(5);
    expect(blocks[0]!.author?.id).toBe(demoAgent);
    expect(textOf(blocks[0]!)).toBe('停息挂账怎么办理？一对一协商上岸，私信领方案');
  });

  it('reads the space bio and the owner uploads', () => {
    const blocks = scan(spaceFixture, spaceUrl);
    expect(blocks.map((b) => `${b.kind} ${b.key}`)).toEqual([
      `bio bio:${demoAgent}`,
      'card card:BV1Sp411c7C1',
      'card card:BV1Sp411c7C2',
      'card card:BV1Sp411c7C3',
      'card card:BV1Sp411c7C4',
    ]);
    // The new layout's title (.bili-video-card__title), not its subtitle.
    expect(textOf(blocks[4]!)).toBe('负债30万上岸经验：停息挂账找对人');
    const bio = blocks[0]!;
    expect(bio.author).toEqual({
      platform: 'bilibili',
      id: demoAgent,
      handle: '上岸规划师-阿杰',
      url: spaceUrl,
    });
    expect(bio.reportEntry?.textContent).toBe('举报');
    for (const card of blocks.slice(1)) expect(card.author?.id).toBe(demoAgent);
  });

  it('reads a dynamic and its comments', () => {
    const blocks = scan(dynamicFixture, dynamicUrl);
    expect(blocks.map((b) => `${b.kind} ${b.key} ${b.author?.id}`)).toEqual([
      'post post:912345678901234567 3493000000000006',
      'comment comment:230000000001 3493100000000003',
      'comment comment:230000000002 3493100000000007',
    ]);
    const post = blocks[0]!;
    expect(post.authorElement?.textContent).toBe('信用顾问小潘');
    expect(post.reportEntry?.textContent).toBe('举报');
    const at = post.text[0]!.querySelector('.bili-rich-text-module.at')!;
    expect(bilibili.ignore!.some((s) => at.matches(s))).toBe(true);
    expect(post.text[0]!.querySelector('img[alt="[doge]"]')).not.toBeNull();
  });

  it('reads an opus page keyed by its URL', () => {
    setPage(
      `<div class="opus-detail"><div class="opus-module-title"><span class="opus-module-title__text">上岸经验</span></div>
        <div class="opus-module-author"><a href="//space.bilibili.com/3493000000000009"><img alt="" /></a><div class="opus-module-author__name">债务顾问</div></div>
        <div class="opus-module-content"><p>停息挂账 私信</p></div></div>`,
      'https://www.bilibili.com/opus/912345678901234999',
    );
    const blocks = [...bilibili.blocks(document)];
    expect(blocks.map((b) => `${b.key} ${b.author?.id} ${b.author?.handle}`)).toEqual([
      'post:912345678901234999 3493000000000009 债务顾问',
    ]);
    expect(blocks[0]!.text.map((t) => t.textContent)).toEqual(['上岸经验', '停息挂账 私信']);
  });
});

describe('bilibili.blocks degrades', () => {
  it('returns [] on an empty or unknown page', () => {
    document.body.replaceChildren();
    expect([...bilibili.blocks(document)]).toEqual([]);
    setPage('<div class="x"><p>停息挂账 加V</p><a href="//space.bilibili.com/1">someone</a></div>');
    expect([...bilibili.blocks(document)]).toEqual([]);
    expect([...bilibili.blocks(document.createDocumentFragment())]).toEqual([]);
  });

  it('skips comment hosts whose shadow roots are empty or not there', () => {
    // Once a fixture has defined the element in this window it upgrades with an empty open root.
    setPage('<bili-comment-thread-renderer></bili-comment-thread-renderer>');
    expect([...bilibili.blocks(document)]).toEqual([]);
    const closed = document.createElement('div');
    closed.attachShadow({ mode: 'closed' });
    document.body.append(closed);
    expect([...bilibili.blocks(document)]).toEqual([]);
  });

  it('reads pre-2024 light-DOM comments by data-user-id', () => {
    setPage(`
      <div class="reply-list">
        <div class="reply-item">
          <div class="root-reply-avatar" data-user-id="3493000000000002"></div>
          <div class="content-warp">
            <div class="user-info"><div class="user-name" data-user-id="3493000000000002">信用管家小敏</div></div>
            <div class="root-reply"><span class="reply-content-container"><span class="reply-content">征*信*修*复 找我</span></span></div>
          </div>
          <div class="sub-reply-container">
            <div class="sub-reply-item">
              <div class="sub-user-info"><div class="sub-user-name" data-user-id="3493100000000003">反诈民警老陈</div></div>
              <span class="reply-content-container"><span class="reply-content">已举报</span></span>
            </div>
          </div>
        </div>
      </div>`);
    const blocks = [...bilibili.blocks(document)];
    expect(blocks.map((b) => `${b.kind} ${b.author?.id} ${textOf(b)}`)).toEqual([
      'comment 3493000000000002 征*信*修*复 找我',
      'reply 3493100000000003 已举报',
    ]);
    expect(blocks[0]!.authorElement?.textContent).toBe('信用管家小敏');
  });
});

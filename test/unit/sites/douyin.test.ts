// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import type { TextBlock } from '../../../src/sites/adapter';
import { douyin } from '../../../src/sites/douyin';
import { loadFixture } from './load-fixture';

const demoAgent = 'MS4wLjABAAAAleadguardDemoAgent01';
const videoUrl = 'https://www.douyin.com/video/7300000000000000001';
const videoFixture = 'douyin/video/7300000000000000001.html';
const profileUrl = `https://www.douyin.com/user/${demoAgent}`;
const profileFixture = `douyin/user/${demoAgent}.html`;

const foreignUrls = [
  'https://www.kuaishou.com/short-video/3xleadvideo00001',
  'https://www.xiaohongshu.com/explore/65b000000000000000000001',
  'https://www.toutiao.com/article/7300000000000000001/',
  'https://weibo.com/1234567890/O1aBcDeFg',
  'https://www.bilibili.com/video/BV1xx411c7mD',
  'https://www.zhihu.com/question/123456',
  'https://tieba.baidu.com/p/123456',
  'https://example.org/video/7300000000000000001',
  'https://douyin.com.example.org/video/7300000000000000001',
];

const examplesWithFixture = douyin.examples.filter((e) => e.fixture);

function scan(fixture: string, url: string): TextBlock[] {
  return [...douyin.blocks(loadFixture(fixture, url))];
}

function keyed(blocks: TextBlock[]): Map<string, TextBlock> {
  return new Map(blocks.map((b) => [b.key, b]));
}

/** Replaces the page with `html` (parsed, not assigned as innerHTML: test-written markup only). */
function setPage(html: string, url = 'https://www.douyin.com/'): void {
  (window as unknown as { happyDOM: { setURL(u: string): void } }).happyDOM.setURL(url);
  const parsed = new DOMParser().parseFromString(html, 'text/html');
  document.body.replaceChildren(
    ...[...parsed.body.childNodes].map((n) => document.importNode(n, true)),
  );
}

function textOf(block: TextBlock): string {
  return block.text.map((t) => t.textContent ?? '').join('');
}

/** A page laid out as a browser does: every box but the 0×0 copies has a size (happy-dom has none). */
function withLayout<T>(run: () => T): T {
  const original = Element.prototype.getBoundingClientRect;
  Element.prototype.getBoundingClientRect = function (this: Element) {
    const style = this.getAttribute('style') ?? '';
    const zero = /width: 0/.test(style) && /height: 0/.test(style);
    return new DOMRect(0, 0, zero ? 0 : 300, zero ? 0 : 40);
  };
  try {
    return run();
  } finally {
    Element.prototype.getBoundingClientRect = original;
  }
}

describe('douyin.pageKind', () => {
  it.each(douyin.examples)('$url is a $kind page', ({ url, kind }) => {
    expect(douyin.pageKind(new URL(url))).toBe(kind);
  });

  it.each(foreignUrls)('does not claim %s', (url) => {
    expect(douyin.pageKind(new URL(url))).toBeNull();
  });

  it('does not claim Douyin pages it has no blocks for', () => {
    expect(douyin.pageKind(new URL('https://live.douyin.com/123456789'))).toBeNull();
    expect(douyin.pageKind(new URL('https://www.douyin.com/chat'))).toBeNull();
  });

  it('serves the manifest patterns of its platform', () => {
    expect(douyin.matches).toEqual(['https://*.douyin.com/*', 'https://*.iesdouyin.com/*']);
  });
});

describe('douyin.blocks on every example fixture', () => {
  // Laid out, as in a browser: the hidden 0×0 copies of the first comments are no blocks.
  it.each(examplesWithFixture)('$url', ({ url, fixture }) =>
    withLayout(() => {
      const doc = loadFixture(fixture!, url);
      const blocks = [...douyin.blocks(doc)];
      expect(blocks.length).toBeGreaterThan(0);
      expect(new Set(blocks.map((b) => b.key)).size).toBe(blocks.length);
      for (const block of blocks) {
        expect(block.key).toMatch(/^(post|bio|card|comment):[\w]+$/);
        expect(textOf(block).trim()).not.toBe('');
        for (const t of block.text) expect(block.element.contains(t)).toBe(true);
        if (block.author) {
          expect(block.author.platform).toBe('douyin');
          expect(block.author.id).toMatch(/^MS4wLjABAAAA[\w-]+$/);
          expect(block.author.url).toBe(`https://www.douyin.com/user/${block.author.id}`);
          expect(block.author.handle).not.toMatch(/^@/);
        }
        // The author's name is never scanned as the author's words.
        if (block.authorElement) {
          for (const t of block.text) expect(t.contains(block.authorElement)).toBe(false);
        }
      }
      // Every element the fixture marks as lead or hard negative is the element of one block.
      // The scanner re-reads a changed block from its own element.
      for (const block of blocks) {
        expect([...douyin.blocks(block.element)].map((b) => b.key)).toContain(block.key);
      }
      const elements = new Set(blocks.map((b) => b.element));
      for (const marked of doc.querySelectorAll('[data-fixture]')) {
        expect(elements.has(marked), marked.outerHTML.slice(0, 120)).toBe(true);
      }
    }),
  );
});

/** The one block whose text contains `snippet` (Douyin's DOM has no comment ids). */
function withText(blocks: TextBlock[], snippet: string): TextBlock {
  const found = blocks.filter((b) => textOf(b).includes(snippet));
  expect(found, snippet).toHaveLength(1);
  return found[0]!;
}

/** What a block says and who wrote it, without the elements: equal across builds of one page. */
function summary(blocks: TextBlock[]) {
  return blocks.map((b) => ({
    key: b.key,
    kind: b.kind,
    author: b.author,
    authorName: b.authorElement?.textContent?.trim(),
    text: textOf(b).trim(),
    context: b.context?.map((e) => e.textContent?.trim()),
  }));
}

const videoBuild2 = 'douyin/video/7300000000000000001.build-2.html';

describe('douyin video detail', () => {
  it('finds the description, comments and replies with their authors', () => {
    const blocks = scan(videoFixture, videoUrl);
    expect(blocks.map((b) => b.kind)).toEqual([
      'post',
      'comment',
      'reply',
      'reply',
      'comment',
      'comment',
      'comment',
      'comment',
      'comment',
    ]);
    expect(blocks[0]!.key).toBe('post:7300000000000000001');
    // No comment id attribute in the DOM (U3): keys hash author and text.
    for (const b of blocks.slice(1)) expect(b.key).toMatch(/^comment:h[0-9a-z]+$/);
    const desc = blocks[0]!;
    expect(desc.author).toEqual({
      platform: 'douyin',
      id: demoAgent,
      handle: '债务规划师小周',
      url: profileUrl,
    });
    expect(desc.authorElement?.textContent).toBe('债务规划师小周');
    expect(textOf(desc)).toContain('停息挂账');
    expect(desc.element.matches('[data-e2e="video-desc"]')).toBe(true);

    const reply = withText(blocks, '停📛息📛挂📛账');
    expect(reply.kind).toBe('reply');
    expect(reply.author?.id).toBe('MS4wLjABAAAAleadDouyin03tingxiP9KdWq2');
    expect(reply.author?.handle).toBe('上岸互助阿杰');
    expect(textOf(reply)).toBe('停📛息📛挂📛账 了解一下，一对一帮你跟银行谈，私我发方案');
  });

  it('reads a reply with the comment it answers, and a comment without context', () => {
    const blocks = scan(videoFixture, videoUrl);
    const parent = withText(blocks, '这个视频说得挺清楚的');
    for (const snippet of ['停📛息📛挂📛账', '同意，我上个月']) {
      const reply = withText(blocks, snippet);
      expect(reply.context).toEqual(parent.text);
    }
    expect(parent.context).toBeUndefined();
  });

  it('finds the same blocks in another build whose hashed classes and thread layout differ', () => {
    const a = summary(scan(videoFixture, videoUrl));
    const b = summary(scan(videoBuild2, videoUrl));
    expect(b).toEqual(a);
    // The two builds share no hashed class of the comment text.
    const classes = (fixture: string) => {
      const doc = loadFixture(fixture, videoUrl);
      return new Set(
        [...douyin.blocks(doc)].slice(1).flatMap((block) => [...block.text[0]!.classList]),
      );
    };
    const inA = classes(videoFixture);
    expect([...classes(videoBuild2)].filter((c) => inA.has(c))).toEqual([]);
  });

  it('skips the hidden 0×0 pre-rendered copies of the first comments', () => {
    for (const fixture of [videoFixture, videoBuild2]) {
      const doc = loadFixture(fixture, videoUrl);
      const copies = [...doc.querySelectorAll('[data-e2e="comment-item"]')].filter(
        (item) =>
          !item.closest('[data-e2e="comment-list"]') ||
          item.closest('[data-e2e="comment-item"][style]'),
      );
      expect(copies.length, fixture).toBeGreaterThan(1);
      const blocks = withLayout(() => [...douyin.blocks(doc)]);
      expect(blocks).toHaveLength(9);
      const elements = blocks.map((block) => block.element);
      for (const copy of copies) expect(elements).not.toContain(copy);
      // The copies' texts are read from the visible comments, which carry the fixture marks.
      expect(withText(blocks, '停📛息📛挂📛账').element.getAttribute('data-fixture')).toBe('lead');
    }
  });

  it('scans only the comment text: no names, times, like counts or buttons', () => {
    for (const fixture of [videoFixture, videoBuild2]) {
      const comment = withText(scan(fixture, videoUrl), '停息挂账中介');
      const text = textOf(comment);
      expect(text).not.toContain('还款中的打工人');
      expect(text).not.toContain('1天前');
      expect(text).not.toContain('967');
      expect(text).not.toContain('回复');
    }
  });

  it('keeps a parent comment to its own text, not its replies', () => {
    const parent = withText(scan(videoFixture, videoUrl), '这个视频说得挺清楚的');
    expect(textOf(parent)).not.toContain('停📛息');
    expect(parent.author?.handle).toBe('爱吃橙子的小鹿');
  });

  it('includes sticker images in the text elements', () => {
    const parent = withText(scan(videoFixture, videoUrl), '这个视频说得挺清楚的');
    expect(parent.text[0]!.querySelector('img[alt="[捂脸]"]')).not.toBeNull();
  });

  it('lists mention selectors that match every @mention inside scanned text', () => {
    const doc = loadFixture(videoFixture, videoUrl);
    const blocks = withLayout(() => [...douyin.blocks(doc)]);
    const mentions = [...doc.querySelectorAll('a.mention')].filter((m) =>
      m.closest('[data-e2e="comment-list"] > [data-e2e="comment-item"]:not([style])'),
    );
    expect(mentions).toHaveLength(1);
    for (const mention of mentions) {
      expect(douyin.ignore!.some((s) => mention.matches(s))).toBe(true);
      expect(blocks.some((b) => b.text.some((t) => t.contains(mention)))).toBe(true);
    }
    // Hashtags are the author's words and stay in.
    const desc = keyed(blocks).get('post:7300000000000000001')!;
    const hashtags = [...desc.text[0]!.querySelectorAll('a')];
    expect(hashtags.length).toBe(2);
    for (const tag of hashtags) expect(douyin.ignore!.some((s) => tag.matches(s))).toBe(false);
  });

  it('reaches the video’s 举报 through the player’s right-click menu', () => {
    for (const fixture of [videoFixture, videoBuild2]) {
      const doc = loadFixture(fixture, videoUrl);
      const desc = keyed([...douyin.blocks(doc)]).get('post:7300000000000000001')!;
      // The menu exists only once opened: no control on a normal scan.
      expect(desc.reportEntry).toBeUndefined();
      const menu = desc.reportMenu!;
      expect(menu.trigger.matches('.basePlayerContainer')).toBe(true);
      expect(menu.open).toBe('contextmenu');
      expect(menu.control()).toBeNull();
      menu.trigger.dispatchEvent(new MouseEvent('contextmenu', { bubbles: true }));
      const control = menu.control()!;
      expect(control.textContent).toBe('举报');
      expect(control.closest('.basePlayerContainer div[style]')).not.toBeNull();
      control.dispatchEvent(new MouseEvent('click', { bubbles: true }));
      expect(doc.querySelector('.fixture-report-dialog')?.textContent).toBe('选择举报理由');
    }
  });

  it('gives each comment its own 举报 control', () => {
    const blocks = scan(videoFixture, videoUrl);
    const parent = withText(blocks, '这个视频说得挺清楚的');
    expect(parent.reportEntry?.closest('[data-e2e="comment-item"]')).toBe(parent.element);
    const reply = withText(blocks, '停📛息📛挂📛账');
    expect(reply.reportEntry?.closest('[data-e2e="comment-item"]')).toBe(reply.element);
    // A comment that says 举报 in its text is not a report control.
    window.dispatchEvent(new Event('fixture:more'));
    const talker = withText([...douyin.blocks(document)], '已经举报了几个');
    expect(talker.reportEntry?.classList.contains('ofz0c6Px')).toBe(true);
  });

  it('finds the comments the page appends when it loads more', () => {
    const doc = loadFixture(videoFixture, videoUrl);
    expect([...douyin.blocks(doc)]).toHaveLength(9);
    window.dispatchEvent(new Event('fixture:more'));
    const after = [...douyin.blocks(doc)];
    expect(after).toHaveLength(12);
    const added = withText(after, 'zx修复 加V');
    expect(added.kind).toBe('comment');
    expect(added.author?.id).toBe('MS4wLjABAAAAleadDouyin04zxJiaV2RtYu8');
    // Scanning only the list the page appended to gives the comments alone.
    const list = doc.querySelector('[data-e2e="comment-list"]')!;
    expect([...douyin.blocks(list)].every((b) => b.key.startsWith('comment:'))).toBe(true);
    // Loading more is deterministic: once.
    window.dispatchEvent(new Event('fixture:more'));
    expect([...douyin.blocks(doc)]).toHaveLength(12);
  });

  it('keeps keys and text when the page re-renders a like count', () => {
    const doc = loadFixture(videoFixture, videoUrl);
    const before = [...douyin.blocks(doc)];
    const item = withText(before, '停息挂账中介').element;
    const like = item.querySelector<HTMLElement>('.xZhLomAs')!;
    like.click();
    expect(like.textContent).toBe('968');
    const after = [...douyin.blocks(doc)];
    expect(after.map((b) => b.key)).toEqual(before.map((b) => b.key));
    expect(after.map(textOf)).toEqual(before.map(textOf));
  });

  it('follows an SPA navigation that replaces the detail', () => {
    const doc = loadFixture(videoFixture, videoUrl);
    doc.querySelector<HTMLElement>('a[data-spa]')!.click();
    expect(location.pathname).toBe('/video/7300000000000000002');
    expect(douyin.pageKind(new URL(location.href))).toBe('video');
    const blocks = [...douyin.blocks(doc)];
    expect(blocks.map((b) => b.kind)).toEqual(['post', 'comment', 'comment']);
    expect(blocks[0]!.key).toBe('post:7300000000000000002');
    expect(blocks[0]!.author?.handle).toBe('阿芳的小厨房');
    expect(blocks[2]!.author?.id).toBe('MS4wLjABAAAAleadDouyin07xiaoyaM3Kd9');
  });
});

describe('douyin profile', () => {
  it('reads the bio of the profile owner and their post cards', () => {
    const blocks = scan(profileFixture, profileUrl);
    expect(blocks.map((b) => `${b.kind} ${b.key}`)).toEqual([
      `bio bio:${demoAgent}`,
      'card card:7300000000000000201',
      'card card:7300000000000000202',
      'card card:7300000000000000203',
    ]);
    const bio = blocks[0]!;
    expect(bio.author).toEqual({
      platform: 'douyin',
      id: demoAgent,
      handle: '债务规划师小周',
      url: profileUrl,
    });
    expect(bio.authorElement?.tagName).toBe('H1');
    expect(textOf(bio)).toContain('停息挂账');
    expect(textOf(bio)).not.toContain('粉丝');
    expect(textOf(bio)).not.toContain('抖音号');
    expect(bio.reportEntry?.textContent).toBe('举报');
    for (const card of blocks.slice(1)) expect(card.author?.id).toBe(demoAgent);
  });

  it('reads a video opened as a modal over the profile, by URL and by click', () => {
    const modalUrl = `${profileUrl}?modal_id=7300000000000000201`;
    const opened = keyed(scan(profileFixture, modalUrl)).get('post:7300000000000000201');
    expect(opened?.author?.id).toBe(demoAgent);
    expect(keyed(scan(profileFixture, modalUrl)).has(`bio:${demoAgent}`)).toBe(true);

    const doc = loadFixture(profileFixture, profileUrl);
    expect(douyin.pageKind(new URL(location.href))).toBe('profile');
    doc.querySelector<HTMLElement>('a[data-spa]')!.click();
    expect(douyin.pageKind(new URL(location.href))).toBe('video');
    const blocks = keyed([...douyin.blocks(doc)]);
    expect(blocks.get('post:7300000000000000201')?.text[0]?.textContent).toContain('停息挂账');
    expect(withText([...blocks.values()], '不要把身份证').author?.handle).toBe('反诈民警老陈');
  });
});

describe('douyin cards', () => {
  it('reads search results with their authors, without the @', () => {
    const blocks = scan(
      'douyin/search/停息挂账.html',
      'https://www.douyin.com/search/%E5%81%9C%E6%81%AF%E6%8C%82%E8%B4%A6',
    );
    expect(blocks).toHaveLength(6);
    expect(blocks.every((b) => b.kind === 'card')).toBe(true);
    const lead = keyed(blocks).get('card:7300000000000000312')!;
    expect(lead.author).toEqual({
      platform: 'douyin',
      id: 'MS4wLjABAAAAleadDouyin06tuibao3XqPz',
      handle: '保险维权-安姐',
      url: 'https://www.douyin.com/user/MS4wLjABAAAAleadDouyin06tuibao3XqPz',
    });
    expect(textOf(lead)).toContain('代理退bao');
    expect(textOf(lead)).not.toContain('2天前');
  });

  it('reads 精选 cards by their data-aweme-id', () => {
    const blocks = scan('douyin/jingxuan.html', 'https://www.douyin.com/jingxuan');
    expect(blocks.map((b) => b.key)).toEqual(
      [1, 2, 3, 4, 5, 6].map((n) => `card:730000000000000040${n}`),
    );
    expect(keyed(blocks).get('card:7300000000000000404')?.author?.handle).toBe('上岸老哥');
  });
});

describe('douyin.blocks degrades', () => {
  it('returns [] on an empty or unknown page', () => {
    document.body.replaceChildren();
    expect([...douyin.blocks(document)]).toEqual([]);
    setPage('<div class="x"><p>停息挂账 私信</p><a href="/user/abc">someone</a></div>');
    expect([...douyin.blocks(document)]).toEqual([]);
    expect([...douyin.blocks(document.createDocumentFragment())]).toEqual([]);
  });

  it('skips items without text and keys id-less comments by author and text', () => {
    setPage(
      `
      <div data-e2e="comment-list">
        <div data-e2e="comment-item"><div class="comment-item-info-wrap"><a href="/user/MS4wLjABAAAAx">甲</a></div></div>
        <div data-e2e="comment-item"><div class="comment-item-info-wrap"><a href="/user/MS4wLjABAAAAy">乙</a></div><div>你好呀</div></div>
        <div data-e2e="comment-item"><div class="comment-item-info-wrap"><span>匿名</span></div><div>没有链接</div></div>
      </div>`,
      videoUrl,
    );
    const first = [...douyin.blocks(document)];
    expect(first).toHaveLength(2);
    expect(first[0]!.key).toMatch(/^comment:h\w+$/);
    expect(first[0]!.author?.id).toBe('MS4wLjABAAAAy');
    expect(first[1]!.author).toBeUndefined();
    expect([...douyin.blocks(document)].map((b) => b.key)).toEqual(first.map((b) => b.key));
  });

  it('reads a single comment element passed as the root', () => {
    const doc = loadFixture(videoFixture, videoUrl);
    const block = withText([...douyin.blocks(doc)], '征*信*修*复');
    expect([...douyin.blocks(block.element)].map((b) => b.key)).toEqual([block.key]);
  });
});

// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import type { TextBlock } from '../../../src/sites/adapter';
import { kuaishou } from '../../../src/sites/kuaishou';
import { loadFixture } from './load-fixture';

const demoAgent = '3xleadguarddemo1';
const videoUrl = 'https://www.kuaishou.com/short-video/3xvideodemo0001?authorId=3xleadguarddemo1';
const videoFixture = 'kuaishou/short-video/3xvideodemo0001.html';
const profileUrl = `https://www.kuaishou.com/profile/${demoAgent}`;

const foreignUrls = [
  'https://www.douyin.com/video/7300000000000000001',
  'https://www.xiaohongshu.com/explore/65b000000000000000000001',
  'https://www.toutiao.com/article/7300000000000000001/',
  'https://weibo.com/1234567890/O1aBcDeFg',
  'https://www.bilibili.com/video/BV1xx411c7mD',
  'https://www.zhihu.com/question/123456',
  'https://tieba.baidu.com/p/123456',
  'https://example.org/short-video/3xvideodemo0001',
];

function scan(fixture: string, url: string): TextBlock[] {
  return [...kuaishou.blocks(loadFixture(fixture, url))];
}

function keyed(blocks: TextBlock[]): Map<string, TextBlock> {
  return new Map(blocks.map((b) => [b.key, b]));
}

function textOf(block: TextBlock): string {
  return block.text.map((t) => t.textContent ?? '').join('');
}

/** Replaces the page with `html` (parsed, not assigned as innerHTML: test-written markup only). */
function setPage(html: string, url: string): void {
  (window as unknown as { happyDOM: { setURL(u: string): void } }).happyDOM.setURL(url);
  const parsed = new DOMParser().parseFromString(html, 'text/html');
  document.body.replaceChildren(
    ...[...parsed.body.childNodes].map((n) => document.importNode(n, true)),
  );
}

describe('kuaishou.pageKind', () => {
  it.each(kuaishou.examples)('$url is a $kind page', ({ url, kind }) => {
    expect(kuaishou.pageKind(new URL(url))).toBe(kind);
  });

  it.each(foreignUrls)('does not claim %s', (url) => {
    expect(kuaishou.pageKind(new URL(url))).toBeNull();
  });

  it('does not claim live rooms or short links', () => {
    expect(kuaishou.pageKind(new URL('https://live.kuaishou.com/u/3xleadguarddemo1'))).toBeNull();
    expect(kuaishou.pageKind(new URL('https://v.kuaishou.com/AbCdEf'))).toBeNull();
  });
});

describe('kuaishou.blocks on every example fixture', () => {
  it.each(kuaishou.examples.filter((e) => e.fixture))('$url', ({ url, fixture }) => {
    const doc = loadFixture(fixture!, url);
    const blocks = [...kuaishou.blocks(doc)];
    expect(blocks.length).toBeGreaterThan(0);
    expect(new Set(blocks.map((b) => b.key)).size).toBe(blocks.length);
    for (const block of blocks) {
      expect(block.key).toMatch(/^(title|post|bio|card|comment):[\w-]+$/);
      expect(textOf(block).trim()).not.toBe('');
      for (const t of block.text) expect(block.element.contains(t)).toBe(true);
      expect(block.author?.platform).toBe('kuaishou');
      expect(block.author?.id).toMatch(/^3x\w+$/);
      expect(block.author?.url).toBe(`https://www.kuaishou.com/profile/${block.author?.id}`);
      if (block.authorElement) {
        for (const t of block.text) expect(t.contains(block.authorElement)).toBe(false);
      }
    }
    // The scanner re-reads a changed block from its own element.
    for (const block of blocks) {
      expect([...kuaishou.blocks(block.element)].map((b) => b.key)).toContain(block.key);
    }
    const elements = new Set(blocks.map((b) => b.element));
    for (const marked of doc.querySelectorAll('[data-fixture]')) {
      expect(elements.has(marked), marked.outerHTML.slice(0, 120)).toBe(true);
    }
  });
});

/** The one block whose text contains `snippet` (Kuaishou's DOM has no comment ids). */
function withText(blocks: TextBlock[], snippet: string): TextBlock {
  const found = blocks.filter((b) => textOf(b).includes(snippet));
  expect(found, snippet).toHaveLength(1);
  return found[0]!;
}

describe('kuaishou video detail', () => {
  it('finds the title, description, comments and replies with their authors', () => {
    const blocks = scan(videoFixture, videoUrl);
    expect(blocks.map((b) => b.kind)).toEqual([
      'title',
      'post',
      'comment',
      'reply',
      'comment',
      'comment',
      'comment',
      'comment',
    ]);
    expect(blocks.slice(0, 2).map((b) => b.key)).toEqual([
      'title:3xvideodemo0001',
      'post:3xvideodemo0001',
    ]);
    for (const b of blocks.slice(2)) expect(b.key).toMatch(/^comment:h[0-9a-z]+$/);
    const [title, desc] = blocks;
    // The caption sits in .short-video-info-container (U17), not .short-video-info.
    expect(title!.element.matches('.short-video-info-container .video-info-title')).toBe(true);
    expect(desc!.element.matches('.short-video-info-container-detail')).toBe(true);
    for (const caption of [title!, desc!]) {
      expect(caption.author).toEqual({
        platform: 'kuaishou',
        id: demoAgent,
        handle: '老周债务咨询',
        url: profileUrl,
      });
      expect(caption.authorElement?.matches('.profile-user-name-title')).toBe(true);
    }
    expect(textOf(title!)).toContain('停息挂账');
    expect(textOf(title!)).not.toContain('播放');
    expect(textOf(desc!)).toContain('负债上岸的真实案例');
    const reply = withText(blocks, '代理退bao');
    expect(reply.kind).toBe('reply');
    expect(reply.author?.id).toBe('3xlead2tuibao7q');
    expect(reply.author?.handle).toBe('退保维权小何');
    expect(reply.authorElement?.classList.contains('author-name')).toBe(true);
    const parent = withText(blocks, '千万别交钱给中介');
    expect(textOf(parent)).not.toContain('代理退bao');
    expect(textOf(parent)).not.toContain('2天前');
    expect(parent.text[0]!.querySelector('img[alt="[ok]"]')).not.toBeNull();
    expect(reply.context).toEqual(parent.text);
    expect(parent.context).toBeUndefined();
  });

  it('ignores @mentions and reads the commenter, not the mentioned user', () => {
    const doc = loadFixture(videoFixture, videoUrl);
    const comment = withText([...kuaishou.blocks(doc)], '考研上岸了');
    expect(comment.author?.id).toBe('3xxiaoyu6kaoyan');
    const mentions = [...doc.querySelectorAll('a.mention')];
    expect(mentions).toHaveLength(1);
    for (const mention of mentions) {
      expect(comment.text[0]!.contains(mention)).toBe(true);
      expect(kuaishou.ignore!.some((s) => mention.matches(s))).toBe(true);
    }
  });

  it('gives the caption and every comment its own 举报 control', () => {
    const blocks = scan(videoFixture, videoUrl);
    for (const block of blocks) expect(block.reportEntry?.textContent).toBe('举报');
    const parent = withText(blocks, '千万别交钱给中介');
    expect(parent.reportEntry?.closest('.comment-item')).toBe(parent.element);
    expect(
      keyed(blocks).get('post:3xvideodemo0001')!.reportEntry?.closest('.comment-item'),
    ).toBeNull();
  });

  it('finds the comments the page appends when it loads more', () => {
    const doc = loadFixture(videoFixture, videoUrl);
    expect([...kuaishou.blocks(doc)]).toHaveLength(8);
    window.dispatchEvent(new Event('fixture:more'));
    const after = [...kuaishou.blocks(doc)];
    expect(after).toHaveLength(11);
    expect(withText(after, 'tingxi挂账').author?.id).toBe('3xlead4shangan5');
    window.dispatchEvent(new Event('fixture:more'));
    expect([...kuaishou.blocks(doc)]).toHaveLength(11);
  });

  it('keeps keys and text when the page re-renders a like count', () => {
    const doc = loadFixture(videoFixture, videoUrl);
    const before = [...kuaishou.blocks(doc)];
    const like = withText(before, '全是套路').element.querySelector<HTMLElement>('.comment-like')!;
    like.click();
    expect(like.querySelector('.count')!.textContent).toBe('893');
    const after = [...kuaishou.blocks(doc)];
    expect(after.map((b) => b.key)).toEqual(before.map((b) => b.key));
    expect(after.map(textOf)).toEqual(before.map(textOf));
  });

  it('follows an SPA navigation that replaces the video', () => {
    const doc = loadFixture(videoFixture, videoUrl);
    doc.querySelector<HTMLElement>('a[data-spa]')!.click();
    expect(location.pathname).toBe('/short-video/3xvideodemo0002');
    const blocks = [...kuaishou.blocks(doc)];
    expect(blocks.map((b) => b.kind)).toEqual(['title', 'comment', 'comment']);
    expect(blocks[0]!.key).toBe('title:3xvideodemo0002');
    expect(blocks[0]!.author?.handle).toBe('阿娟的厨房');
    expect(blocks[2]!.author?.id).toBe('3xlead5zxjiav0');
  });
});

describe('kuaishou profile, search and feed', () => {
  it('reads the bio and the owner’s video cards', () => {
    const blocks = scan(`kuaishou/profile/${demoAgent}.html`, profileUrl);
    expect(blocks.map((b) => `${b.kind} ${b.key}`)).toEqual([
      `bio bio:${demoAgent}`,
      'card card:3xvideodemo0001',
      'card card:3xvideodemo0012',
      'card card:3xvideodemo0013',
    ]);
    const bio = blocks[0]!;
    expect(bio.author).toEqual({
      platform: 'kuaishou',
      id: demoAgent,
      handle: '老周债务咨询',
      url: profileUrl,
    });
    expect(textOf(bio)).toContain('停息挂账');
    expect(textOf(bio)).not.toContain('粉丝');
    expect(bio.reportEntry?.textContent).toBe('举报');
    for (const card of blocks.slice(1)) expect(card.author?.id).toBe(demoAgent);
  });

  it('reads search results with their authors', () => {
    const blocks = scan(
      'kuaishou/search/video.html',
      'https://www.kuaishou.com/search/video?searchKey=%E5%81%9C%E6%81%AF%E6%8C%82%E8%B4%A6',
    );
    expect(blocks).toHaveLength(5);
    const lead = keyed(blocks).get('card:3xsearchdemo004')!;
    expect(lead.author).toEqual({
      platform: 'kuaishou',
      id: '3xlead6fanti0hk',
      handle: '信和顧問',
      url: 'https://www.kuaishou.com/profile/3xlead6fanti0hk',
    });
    expect(textOf(lead)).toContain('徵信修復');
    expect(textOf(lead)).not.toContain('2天前');
  });

  it('reads the home feed cards', () => {
    const blocks = scan('kuaishou/index.html', 'https://www.kuaishou.com/');
    expect(blocks.map((b) => b.key)).toEqual([
      'card:3xfeeddemo00001',
      'card:3xfeeddemo00002',
      'card:3xvideodemo0001',
      'card:3xfeeddemo00004',
      'card:3xfeeddemo00005',
    ]);
  });
});

describe('kuaishou.blocks degrades', () => {
  it('returns [] on an empty or unknown page', () => {
    document.body.replaceChildren();
    expect([...kuaishou.blocks(document)]).toEqual([]);
    setPage(
      '<main><p>停息挂账 私信</p><a href="/profile/3xabc">某人</a></main>',
      'https://www.kuaishou.com/',
    );
    expect([...kuaishou.blocks(document)]).toEqual([]);
  });

  it('skips comments without text and keys id-less comments by author and text', () => {
    setPage(
      `<div class="comment-list">
        <div class="comment-item comment-list-item"><a class="author-name" href="/profile/3xaaa">甲</a></div>
        <div class="comment-item comment-list-item"><div class="comment-item-author"><a class="author-name" href="/profile/3xbbb">乙</a></div><div class="comment-item-content">你好</div></div>
      </div>`,
      videoUrl,
    );
    const blocks = [...kuaishou.blocks(document)];
    expect(blocks).toHaveLength(1);
    expect(blocks[0]!.key).toMatch(/^comment:h\w+$/);
    expect(blocks[0]!.author?.id).toBe('3xbbb');
    expect([...kuaishou.blocks(document)][0]!.key).toBe(blocks[0]!.key);
  });
});

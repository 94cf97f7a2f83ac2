// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import type { TextBlock } from '../../../src/sites/adapter';
import { toutiao } from '../../../src/sites/toutiao';
import { loadFixture } from './load-fixture';

const demoAgent = 'MS4wLjABAAAAleadguardToutiao01';
const demoUrl = `https://www.toutiao.com/c/user/token/${demoAgent}/`;
const articleUrl = 'https://www.toutiao.com/article/7300000000000000501/';
const articleFixture = 'toutiao/article/7300000000000000501/index.html';

const foreignUrls = [
  'https://www.douyin.com/video/7300000000000000001',
  'https://www.kuaishou.com/short-video/3xvideodemo0001',
  'https://www.xiaohongshu.com/explore/65b000000000000000000001',
  'https://weibo.com/1234567890/O1aBcDeFg',
  'https://www.bilibili.com/video/BV1xx411c7mD',
  'https://www.zhihu.com/question/123456',
  'https://tieba.baidu.com/p/123456',
  'https://example.org/article/7300000000000000501/',
];

function scan(fixture: string, url: string): TextBlock[] {
  return [...toutiao.blocks(loadFixture(fixture, url))];
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

describe('toutiao.pageKind', () => {
  it.each(toutiao.examples)('$url is a $kind page', ({ url, kind }) => {
    expect(toutiao.pageKind(new URL(url))).toBe(kind);
  });

  it.each(foreignUrls)('does not claim %s', (url) => {
    expect(toutiao.pageKind(new URL(url))).toBeNull();
  });

  it('knows the older numeric profile path and nothing else', () => {
    expect(toutiao.pageKind(new URL('https://www.toutiao.com/c/user/50025817786/'))).toBe(
      'profile',
    );
    expect(toutiao.pageKind(new URL('https://www.toutiao.com/hot-event/hot-board/'))).toBeNull();
  });
});

describe('toutiao.blocks on every example fixture', () => {
  it.each(toutiao.examples.filter((e) => e.fixture))('$url', ({ url, fixture }) => {
    const doc = loadFixture(fixture!, url);
    const blocks = [...toutiao.blocks(doc)];
    expect(blocks.length).toBeGreaterThan(0);
    expect(new Set(blocks.map((b) => b.key)).size).toBe(blocks.length);
    for (const block of blocks) {
      expect(block.key).toMatch(/^(title|post|bio|card):\d+$|^bio:MS4w\w+$|^comment:h[0-9a-z]+$/);
      expect(textOf(block).trim()).not.toBe('');
      for (const t of block.text) expect(block.element.contains(t)).toBe(true);
      expect(block.author?.platform).toBe('toutiao');
      expect(block.author?.id).toMatch(/^MS4wLjABAAAA\w+$/);
      expect(block.author?.url).toBe(`https://www.toutiao.com/c/user/token/${block.author?.id}/`);
      if (block.authorElement) {
        for (const t of block.text) expect(t.contains(block.authorElement)).toBe(false);
      }
    }
    // The scanner re-reads a changed block from its own element.
    for (const block of blocks) {
      expect([...toutiao.blocks(block.element)].map((b) => b.key)).toContain(block.key);
    }
    const elements = new Set(blocks.map((b) => b.element));
    for (const marked of doc.querySelectorAll('[data-fixture]')) {
      expect(elements.has(marked), marked.outerHTML.slice(0, 120)).toBe(true);
    }
  });
});

/** The one block whose text contains `snippet` (comment ids are not in Toutiao's DOM). */
function withText(blocks: TextBlock[], snippet: string): TextBlock {
  const found = blocks.filter((b) => textOf(b).includes(snippet));
  expect(found, snippet).toHaveLength(1);
  return found[0]!;
}

describe('toutiao article', () => {
  it('finds the title, body, comments and replies with their authors', () => {
    const blocks = scan(articleFixture, articleUrl);
    expect(blocks.map((b) => b.kind)).toEqual([
      'title',
      'post',
      'comment',
      'reply',
      'comment',
      'comment',
      'comment',
    ]);
    expect(blocks.slice(0, 2).map((b) => b.key)).toEqual([
      'title:7300000000000000501',
      'post:7300000000000000501',
    ]);
    // No comment id in the DOM (U18): author + text keys.
    for (const b of blocks.slice(2)) expect(b.key).toMatch(/^comment:h[0-9a-z]+$/);
    const byKey = keyed(blocks);
    const title = byKey.get('title:7300000000000000501')!;
    expect(title.author).toEqual({
      platform: 'toutiao',
      id: 'MS4wLjABAAAAfanzhaKepu7Tt2Ww4Yy6Aa8Cc0Ee2Gg',
      handle: '金融反诈科普',
      url: 'https://www.toutiao.com/c/user/token/MS4wLjABAAAAfanzhaKepu7Tt2Ww4Yy6Aa8Cc0Ee2Gg/',
    });
    expect(textOf(byKey.get('post:7300000000000000501')!)).toContain('个性化分期');
    const lead = blocks[2]!;
    expect(lead.element.matches('.ttp-comment-wrapper .comment-info')).toBe(true);
    expect(lead.author).toEqual({
      platform: 'toutiao',
      id: demoAgent,
      handle: '债务优化王经理',
      url: demoUrl,
    });
    expect(lead.authorElement?.matches('a.name')).toBe(true);
    expect(textOf(lead)).toBe('说得不全对，正规的停息挂账是可以办的，需要的私信我，免费出方案');
    // The parent's text is its own, not its replies'.
    expect(textOf(lead)).not.toContain('文章说的就是你们');
    expect(withText(blocks, 'ｔｉｎｇｘｉ挂账').kind).toBe('comment');
  });

  it('reads a reply with the comment it answers (inside the parent’s .replay-list)', () => {
    const blocks = scan(articleFixture, articleUrl);
    const parent = withText(blocks, '说得不全对');
    const reply = withText(blocks, '文章说的就是你们这种吧');
    expect(reply.kind).toBe('reply');
    expect(reply.element.closest('.replay-list')).not.toBeNull();
    expect(reply.context).toEqual(parent.text);
    expect(parent.context).toBeUndefined();
  });

  it('reads a reply whose .replay-list sits beside the parent’s .comment-info', () => {
    const blocks = scan(
      'toutiao/video/7300000000000000701/index.html',
      'https://www.toutiao.com/video/7300000000000000701/',
    );
    const parent = withText(blocks, '楼上那个分期代办的别信');
    const reply = withText(blocks, '先办理后收费');
    expect(parent.kind).toBe('comment');
    expect(reply.kind).toBe('reply');
    expect(reply.author?.id).toBe('MS4wLjABAAAAleadToutiao05daibanK7');
    expect(reply.context).toEqual(parent.text);
    expect(textOf(reply)).not.toContain('查看更多回复');
  });

  it('ignores the @mention in a reply', () => {
    const doc = loadFixture(articleFixture, articleUrl);
    const reply = withText([...toutiao.blocks(doc)], '文章说的就是你们这种吧');
    expect(reply.author?.handle).toBe('老张爱钓鱼');
    const mentions = [...doc.querySelectorAll('a.mention')];
    expect(mentions).toHaveLength(1);
    for (const mention of mentions) {
      expect(reply.text[0]!.contains(mention)).toBe(true);
      expect(toutiao.ignore!.some((s) => mention.matches(s))).toBe(true);
    }
  });

  it('gives the article and each comment its own 举报 control', () => {
    const blocks = scan(articleFixture, articleUrl);
    const title = keyed(blocks).get('title:7300000000000000501')!;
    expect(title.reportEntry?.closest('.detail-side-interaction')).not.toBeNull();
    const parent = withText(blocks, '说得不全对');
    const reply = withText(blocks, '文章说的就是你们这种吧');
    expect(parent.reportEntry?.closest('.comment-info')).toBe(parent.element);
    expect(reply.reportEntry?.closest('.comment-info')).toBe(reply.element);
  });

  it('finds the comments the page appends when it loads more', () => {
    const doc = loadFixture(articleFixture, articleUrl);
    expect([...toutiao.blocks(doc)]).toHaveLength(7);
    window.dispatchEvent(new Event('fixture:more'));
    const after = [...toutiao.blocks(doc)];
    expect(after).toHaveLength(10);
    const added = withText(after, '徵信修復');
    expect(added.author?.id).toBe('MS4wLjABAAAAleadToutiao03chengxinP4');
    window.dispatchEvent(new Event('fixture:more'));
    expect([...toutiao.blocks(doc)]).toHaveLength(10);
  });

  it('keeps keys and text when the page re-renders a like count', () => {
    const doc = loadFixture(articleFixture, articleUrl);
    const before = [...toutiao.blocks(doc)];
    const digg = withText(before, '被坑了6800').element.querySelector<HTMLElement>('.digg')!;
    digg.click();
    expect(digg.querySelector('.count')!.textContent).toBe('942');
    const after = [...toutiao.blocks(doc)];
    expect(after.map((b) => b.key)).toEqual(before.map((b) => b.key));
    expect(after.map(textOf)).toEqual(before.map(textOf));
  });
});

describe('toutiao 微头条, video, profile, feed and search', () => {
  it('reads a 微头条 post by the demo account', () => {
    const blocks = scan(
      'toutiao/w/7300000000000000601/index.html',
      'https://www.toutiao.com/w/7300000000000000601/',
    );
    expect(blocks.map((b) => b.kind)).toEqual(['post', 'comment', 'comment', 'comment']);
    expect(blocks[0]!.key).toBe('post:7300000000000000601');
    expect(blocks[0]!.author?.id).toBe(demoAgent);
    expect(blocks[0]!.reportEntry?.textContent).toBe('举报');
    expect(textOf(blocks[0]!)).toContain('停 息 挂 账');
    expect(withText(blocks, '征*信*修*复').author?.id).toBe('MS4wLjABAAAAleadToutiao04xiufuM2');
  });

  it('reads a video title (.ttp-video-extras-title h1) and its comments', () => {
    const blocks = scan(
      'toutiao/video/7300000000000000701/index.html',
      'https://www.toutiao.com/video/7300000000000000701/',
    );
    expect(blocks.map((b) => b.kind)).toEqual(['title', 'comment', 'comment', 'comment', 'reply']);
    expect(blocks[0]!.key).toBe('title:7300000000000000701');
    expect(blocks[0]!.element.closest('.ttp-video-extras-title')).not.toBeNull();
    expect(blocks[0]!.author?.handle).toBe('数码维修老周');
    expect(textOf(blocks[0]!)).not.toContain('播放');
  });

  it('reads the bio and the owner’s posts on a profile', () => {
    const blocks = scan(`toutiao/c/user/token/${demoAgent}/index.html`, demoUrl);
    expect(blocks.map((b) => `${b.kind} ${b.key}`)).toEqual([
      `bio bio:${demoAgent}`,
      'card card:7300000000000000601',
      'card card:7300000000000000802',
      'card card:7300000000000000803',
    ]);
    const bio = blocks[0]!;
    expect(bio.author).toEqual({
      platform: 'toutiao',
      id: demoAgent,
      handle: '债务优化王经理',
      url: demoUrl,
    });
    expect(textOf(bio)).toContain('停息挂账');
    expect(textOf(bio)).not.toContain('粉丝');
    expect(bio.reportEntry?.textContent).toBe('举报');
    for (const card of blocks.slice(1)) expect(card.author?.id).toBe(demoAgent);
  });

  it('reads feed cards and follows the channel switch (SPA)', () => {
    const doc = loadFixture('toutiao/index.html', 'https://www.toutiao.com/');
    const blocks = [...toutiao.blocks(doc)];
    expect(blocks.map((b) => b.key)).toEqual([
      'card:7300000000000000901',
      'card:7300000000000000501',
      'card:7300000000000000601',
      'card:7300000000000000701',
    ]);
    const lead = keyed(blocks).get('card:7300000000000000601')!;
    expect(lead.author?.id).toBe(demoAgent);
    expect(lead.authorElement?.textContent).toBe('债务优化王经理');
    expect(textOf(lead)).not.toContain('评论');

    doc.querySelector<HTMLElement>('a[data-spa][href="/ch/news_finance/"]')!.click();
    expect(location.pathname).toBe('/ch/news_finance/');
    expect(toutiao.pageKind(new URL(location.href))).toBe('feed');
    const after = keyed([...toutiao.blocks(doc)]);
    expect([...after.keys()]).toEqual([
      'card:7300000000000000911',
      'card:7300000000000000912',
      'card:7300000000000000913',
    ]);
    expect(textOf(after.get('card:7300000000000000912')!)).toContain('代理退bao');
  });

  it('reads search results', () => {
    const blocks = scan(
      'toutiao/search.html',
      'https://www.toutiao.com/search?keyword=%E5%81%9C%E6%81%AF%E6%8C%82%E8%B4%A6',
    );
    expect(blocks).toHaveLength(4);
    const lead = keyed(blocks).get('card:7300000000000000923')!;
    expect(lead.author?.handle).toBe('上岸指南针');
    expect(textOf(lead)).toContain('停📛息📛挂📛账');
  });
});

describe('toutiao.blocks degrades', () => {
  it('returns [] on an empty or unknown page', () => {
    document.body.replaceChildren();
    expect([...toutiao.blocks(document)]).toEqual([]);
    setPage('<div class="article"><h1>停息挂账</h1></div>', articleUrl);
    expect([...toutiao.blocks(document)]).toEqual([]);
  });

  it('reads the older numeric profile links', () => {
    setPage(
      `<div class="ttp-comment-wrapper"><div class="comment-info">
        <span class="name"><a href="https://www.toutiao.com/c/user/50025817786/">老用户</a></span>
        <p class="content">你好</p>
      </div></div>`,
      articleUrl,
    );
    const [block] = [...toutiao.blocks(document)];
    expect(block!.key).toMatch(/^comment:h\w+$/);
    expect(block!.author).toEqual({
      platform: 'toutiao',
      id: '50025817786',
      handle: '老用户',
      url: 'https://www.toutiao.com/c/user/50025817786/',
    });
  });
});

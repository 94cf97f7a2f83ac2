// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import type { TextBlock } from '../../../src/sites/adapter';
import { xiaohongshu } from '../../../src/sites/xiaohongshu';
import { loadFixture } from './load-fixture';

const demoAgent = '65a000000000000000000001';
const noteUrl =
  'https://www.xiaohongshu.com/explore/65b000000000000000000001?xsec_token=ABnoteDemo01&xsec_source=pc_feed';
const noteFixture = 'xiaohongshu/explore/65b000000000000000000001.html';
const profileUrl = `https://www.xiaohongshu.com/user/profile/${demoAgent}?xsec_token=ABuserDemo01&xsec_source=pc_note`;

const foreignUrls = [
  'https://www.douyin.com/video/7300000000000000001',
  'https://www.kuaishou.com/short-video/3xvideodemo0001',
  'https://www.toutiao.com/article/7300000000000000001/',
  'https://weibo.com/1234567890/O1aBcDeFg',
  'https://www.bilibili.com/video/BV1xx411c7mD',
  'https://www.zhihu.com/question/123456',
  'https://tieba.baidu.com/p/123456',
  'https://example.org/explore/65b000000000000000000001',
];

function scan(fixture: string, url: string): TextBlock[] {
  return [...xiaohongshu.blocks(loadFixture(fixture, url))];
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

describe('xiaohongshu.pageKind', () => {
  it.each(xiaohongshu.examples)('$url is a $kind page', ({ url, kind }) => {
    expect(xiaohongshu.pageKind(new URL(url))).toBe(kind);
  });

  it.each(foreignUrls)('does not claim %s', (url) => {
    expect(xiaohongshu.pageKind(new URL(url))).toBeNull();
  });

  it('does not claim malformed note ids or other pages', () => {
    expect(xiaohongshu.pageKind(new URL('https://www.xiaohongshu.com/explore/123'))).toBeNull();
    expect(xiaohongshu.pageKind(new URL('https://www.xiaohongshu.com/notification'))).toBeNull();
  });
});

describe('xiaohongshu.blocks on every example fixture', () => {
  it.each(xiaohongshu.examples.filter((e) => e.fixture))('$url', ({ url, fixture }) => {
    const doc = loadFixture(fixture!, url);
    const blocks = [...xiaohongshu.blocks(doc)];
    expect(blocks.length).toBeGreaterThan(0);
    expect(new Set(blocks.map((b) => b.key)).size).toBe(blocks.length);
    for (const block of blocks) {
      expect(block.key).toMatch(/^(title|post|bio|card|comment):[0-9a-f]{24}$/);
      expect(textOf(block).trim()).not.toBe('');
      for (const t of block.text) expect(block.element.contains(t)).toBe(true);
      expect(block.author?.platform).toBe('xiaohongshu');
      expect(block.author?.id).toMatch(/^[0-9a-f]{24}$/);
      expect(new URL(block.author!.url!).pathname).toBe(`/user/profile/${block.author!.id}`);
      if (block.authorElement) {
        for (const t of block.text) expect(t.contains(block.authorElement)).toBe(false);
      }
    }
    // The scanner re-reads a changed block from its own element.
    for (const block of blocks) {
      expect([...xiaohongshu.blocks(block.element)].map((b) => b.key)).toContain(block.key);
    }
    const elements = new Set(blocks.map((b) => b.element));
    for (const marked of doc.querySelectorAll('[data-fixture]')) {
      expect(elements.has(marked), marked.outerHTML.slice(0, 120)).toBe(true);
    }
  });
});

describe('xiaohongshu note', () => {
  it('finds the title, description, comments and replies', () => {
    const blocks = scan(noteFixture, noteUrl);
    expect(blocks.map((b) => `${b.kind} ${b.key}`)).toEqual([
      'title title:65b000000000000000000001',
      'post post:65b000000000000000000001',
      'comment comment:65c000000000000000000001',
      'reply comment:65c000000000000000000002',
      'comment comment:65c000000000000000000003',
      'comment comment:65c000000000000000000004',
      'comment comment:65c000000000000000000005',
      'comment comment:65c000000000000000000006',
    ]);
    const byKey = keyed(blocks);
    const desc = byKey.get('post:65b000000000000000000001')!;
    expect(desc.author).toEqual({
      platform: 'xiaohongshu',
      id: '5f1e2d3c4b5a6978877665a4',
      handle: '认真还钱的阿May',
      url: 'https://www.xiaohongshu.com/user/profile/5f1e2d3c4b5a6978877665a4?xsec_token=ABmayToken0001%3D&xsec_source=pc_note',
    });
    expect(textOf(desc)).toContain('个性化分期');
    expect(textOf(desc)).not.toContain('03-08');
    expect(byKey.get('title:65b000000000000000000001')!.author?.id).toBe(
      '5f1e2d3c4b5a6978877665a4',
    );
  });

  it('reads a reply (beside its parent, in .reply-container) with the comment it answers', () => {
    const byKey = keyed(scan(noteFixture, noteUrl));
    const parent = byKey.get('comment:65c000000000000000000001')!;
    const reply = byKey.get('comment:65c000000000000000000002')!;
    expect(parent.element.contains(reply.element)).toBe(false);
    expect(reply.element.closest('.parent-comment > .reply-container')).not.toBeNull();
    expect(reply.context).toEqual(parent.text);
    expect(parent.context).toBeUndefined();
  });

  it('falls back to .note-content .title and .desc without the detail ids', () => {
    const doc = loadFixture(noteFixture, noteUrl);
    for (const id of ['detail-title', 'detail-desc']) {
      const el = doc.getElementById(id)!;
      el.removeAttribute('id');
      el.classList.add(id === 'detail-title' ? 'title' : 'desc');
      if (!el.closest('.note-content')) el.parentElement!.classList.add('note-content');
    }
    const blocks = keyed([...xiaohongshu.blocks(doc)]);
    expect(blocks.get('title:65b000000000000000000001')?.author?.id).toBeDefined();
    expect(blocks.get('post:65b000000000000000000001')?.author?.id).toBeDefined();
  });

  it('keeps the xsec_token in comment authors’ profile URLs', () => {
    const reply = keyed(scan(noteFixture, noteUrl)).get('comment:65c000000000000000000002')!;
    expect(reply.author).toEqual({
      platform: 'xiaohongshu',
      id: demoAgent,
      handle: '上岸姐姐Lily',
      url: `https://www.xiaohongshu.com/user/profile/${demoAgent}?xsec_token=ABlilyToken01%3D&xsec_source=pc_comment`,
    });
    expect(reply.authorElement?.textContent).toBe('上岸姐姐Lily');
    expect(textOf(reply)).toContain('停息挂账');
    expect(textOf(reply)).not.toContain('2天前');
  });

  it('ignores @mentions: the replied-to user is neither the author nor scanned', () => {
    const doc = loadFixture(noteFixture, noteUrl);
    const reply = keyed([...xiaohongshu.blocks(doc)]).get('comment:65c000000000000000000002')!;
    const mentions = [...doc.querySelectorAll('a.note-content-user')];
    expect(mentions).toHaveLength(1);
    for (const mention of mentions) {
      expect(reply.text[0]!.contains(mention)).toBe(true);
      expect(xiaohongshu.ignore!.some((s) => mention.matches(s))).toBe(true);
    }
    // Hashtags are the author's words.
    const tag = doc.querySelector('#detail-desc a.tag')!;
    expect(xiaohongshu.ignore!.some((s) => tag.matches(s))).toBe(false);
  });

  it('re-reads the title from its own element, as the scanner does after a change', () => {
    const doc = loadFixture(noteFixture, noteUrl);
    const title = doc.querySelector('#detail-title')!;
    const again = [...xiaohongshu.blocks(title)].filter((b) => b.element === title);
    expect(again.map((b) => b.key)).toEqual(['title:65b000000000000000000001']);
    const comment = doc.querySelector('#comment-65c000000000000000000003')!;
    expect([...xiaohongshu.blocks(comment)].map((b) => b.key)).toEqual([
      'comment:65c000000000000000000003',
    ]);
  });

  it('keeps sticker images that split a word inside the text', () => {
    const comment = keyed(scan(noteFixture, noteUrl)).get('comment:65c000000000000000000006')!;
    expect(comment.text[0]!.querySelectorAll('img[alt="[哇R]"]')).toHaveLength(2);
  });

  it('gives the note its 举报 menu and comments none', () => {
    const blocks = keyed(scan(noteFixture, noteUrl));
    expect(blocks.get('post:65b000000000000000000001')!.reportEntry?.textContent).toBe('举报');
    expect(blocks.get('comment:65c000000000000000000001')!.reportEntry).toBeUndefined();
  });

  it('finds the comments the page appends, by event or by scrolling the list', () => {
    const doc = loadFixture(noteFixture, noteUrl);
    expect([...xiaohongshu.blocks(doc)]).toHaveLength(8);
    window.dispatchEvent(new Event('fixture:more'));
    const after = keyed([...xiaohongshu.blocks(doc)]);
    expect(after.size).toBe(11);
    const added = after.get('comment:65c000000000000000000011')!;
    expect(added.author?.id).toBe('65a000000000000000000004');
    expect(textOf(added)).toContain('ｔｉｎｇｘｉ挂账');

    const again = loadFixture(noteFixture, noteUrl);
    again.querySelector('.note-scroller')!.dispatchEvent(new Event('scroll'));
    expect([...xiaohongshu.blocks(again)]).toHaveLength(11);
  });

  it('keeps keys and text when the page re-renders a like count', () => {
    const doc = loadFixture(noteFixture, noteUrl);
    const before = [...xiaohongshu.blocks(doc)];
    const like = doc.querySelector<HTMLElement>('#comment-65c000000000000000000004 .like-wrapper')!;
    like.click();
    expect(like.textContent).toBe('1025');
    const after = [...xiaohongshu.blocks(doc)];
    expect(after.map((b) => b.key)).toEqual(before.map((b) => b.key));
    expect(after.map(textOf)).toEqual(before.map(textOf));
  });
});

describe('xiaohongshu feed, profile and search', () => {
  it('reads feed cards and follows the channel switch (SPA)', () => {
    const doc = loadFixture('xiaohongshu/explore.html', 'https://www.xiaohongshu.com/explore');
    const blocks = [...xiaohongshu.blocks(doc)];
    expect(blocks.map((b) => b.key)).toEqual([
      'card:65b000000000000000000011',
      'card:65b000000000000000000012',
      'card:65b000000000000000000013',
      'card:65b000000000000000000001',
      'card:65b000000000000000000015',
    ]);
    const lead = keyed(blocks).get('card:65b000000000000000000012')!;
    expect(lead.author).toEqual({
      platform: 'xiaohongshu',
      id: demoAgent,
      handle: '上岸姐姐Lily',
      url: `https://www.xiaohongshu.com/user/profile/${demoAgent}?xsec_token=ABlilyToken02%3D&xsec_source=pc_feed`,
    });
    expect(lead.authorElement?.matches('a.author')).toBe(true);
    expect(textOf(lead)).not.toContain('867');

    doc.querySelector<HTMLElement>('a[data-spa][href*="career"]')!.click();
    expect(location.search).toBe('?channel_id=homefeed.career_v3');
    expect(xiaohongshu.pageKind(new URL(location.href))).toBe('feed');
    expect([...xiaohongshu.blocks(doc)].map((b) => b.key)).toEqual([
      'card:65b000000000000000000021',
      'card:65b000000000000000000022',
      'card:65b000000000000000000023',
    ]);
    // Reloading the channel URL shows the same channel.
    const reloaded = scan('xiaohongshu/explore.html', location.href);
    expect(reloaded.map((b) => b.key)).toContain('card:65b000000000000000000022');
  });

  it('reads the bio with the page URL, token included, and the owner’s notes', () => {
    const blocks = scan(`xiaohongshu/user/profile/${demoAgent}.html`, profileUrl);
    expect(blocks.map((b) => `${b.kind} ${b.key}`)).toEqual([
      `bio bio:${demoAgent}`,
      'card card:65b000000000000000000012',
      'card card:65b000000000000000000032',
      'card card:65b000000000000000000033',
    ]);
    const bio = blocks[0]!;
    expect(bio.author).toEqual({
      platform: 'xiaohongshu',
      id: demoAgent,
      handle: '上岸姐姐Lily',
      url: profileUrl,
    });
    expect(textOf(bio)).toContain('停息挂账');
    expect(textOf(bio)).not.toContain('小红书号');
    expect(bio.reportEntry?.textContent).toBe('举报');
  });

  it('reads search results', () => {
    const blocks = scan(
      'xiaohongshu/search_result.html',
      'https://www.xiaohongshu.com/search_result?keyword=%E5%BE%81%E4%BF%A1%E4%BF%AE%E5%A4%8D',
    );
    expect(blocks).toHaveLength(5);
    const lead = keyed(blocks).get('card:65b000000000000000000042')!;
    expect(lead.author?.id).toBe('65a000000000000000000006');
    expect(lead.author?.url).toContain('xsec_token=ABs42a');
    expect(textOf(lead)).toContain('征*信*修*复');
  });
});

describe('xiaohongshu.blocks degrades', () => {
  it('returns [] on an empty or unknown page', () => {
    document.body.replaceChildren();
    expect([...xiaohongshu.blocks(document)]).toEqual([]);
    setPage('<div class="note"><p>停息挂账</p></div>', 'https://www.xiaohongshu.com/explore');
    expect([...xiaohongshu.blocks(document)]).toEqual([]);
  });

  it('takes the author id from data-user-id when the link has no profile path', () => {
    setPage(
      `<div class="comments-el"><div class="comment-item">
        <div class="author"><a class="name" href="javascript:void(0)" data-user-id="5e8d7c6b5a4f3e2d1c0b9a88">橘子汽水</a></div>
        <div class="content"><span class="note-text">你好</span></div>
      </div></div>`,
      noteUrl,
    );
    const [block] = [...xiaohongshu.blocks(document)];
    expect(block!.key).toMatch(/^comment:h\w+$/);
    expect(block!.author).toEqual({
      platform: 'xiaohongshu',
      id: '5e8d7c6b5a4f3e2d1c0b9a88',
      handle: '橘子汽水',
      url: 'https://www.xiaohongshu.com/user/profile/5e8d7c6b5a4f3e2d1c0b9a88',
    });
  });
});

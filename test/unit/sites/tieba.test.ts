// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import type { TextBlock } from '../../../src/sites/adapter';
import { tieba } from '../../../src/sites/tieba';
import { loadFixture } from './load-fixture';

const demoAgent = 'tb.1.leadguard.demo01';
const threadUrl = 'https://tieba.baidu.com/p/8912345678';
const threadFixture = 'tieba/p/8912345678.html';
const forumUrl = 'https://tieba.baidu.com/f?kw=%E4%BF%A1%E7%94%A8%E5%8D%A1&ie=utf-8';
const profileUrl = `https://tieba.baidu.com/home/main?id=${demoAgent}&fr=index`;
const searchUrl =
  'https://tieba.baidu.com/f/search/res?ie=utf-8&qw=%E5%81%9C%E6%81%AF%E6%8C%82%E8%B4%A6';

const foreignUrls = [
  'https://www.douyin.com/video/7300000000000000001',
  'https://weibo.com/1234567890/N8abcDEF1',
  'https://www.bilibili.com/video/BV1xx411c7mD',
  'https://www.zhihu.com/question/123456',
  'https://www.baidu.com/s?wd=%E8%B4%B4%E5%90%A7',
  'https://example.org/p/8912345678',
];

const examplesWithFixture = tieba.examples.filter((e) => e.fixture);

function scan(fixture: string, url: string): TextBlock[] {
  return [...tieba.blocks(loadFixture(fixture, url))];
}

function keyed(blocks: TextBlock[]): Map<string, TextBlock> {
  return new Map(blocks.map((b) => [b.key, b]));
}

function textOf(block: TextBlock): string {
  return block.text.map((t) => t.textContent ?? '').join('\n');
}

function setPage(html: string, url = threadUrl): void {
  (window as unknown as { happyDOM: { setURL(u: string): void } }).happyDOM.setURL(url);
  const parsed = new DOMParser().parseFromString(html, 'text/html');
  document.body.replaceChildren(
    ...[...parsed.body.childNodes].map((n) => document.importNode(n, true)),
  );
}

describe('tieba.pageKind', () => {
  it.each(tieba.examples)('$url is a $kind page', ({ url, kind }) => {
    expect(tieba.pageKind(new URL(url))).toBe(kind);
  });

  it.each(foreignUrls)('does not claim %s', (url) => {
    expect(tieba.pageKind(new URL(url))).toBeNull();
  });

  it('does not claim Tieba pages it has no blocks for', () => {
    expect(tieba.pageKind(new URL('https://tieba.baidu.com/f'))).toBeNull();
    expect(tieba.pageKind(new URL('https://tieba.baidu.com/home/main'))).toBeNull();
    expect(tieba.pageKind(new URL('https://tieba.baidu.com/index.html'))).toBeNull();
  });

  it('serves the manifest patterns of its platform', () => {
    expect(tieba.matches).toEqual(['https://tieba.baidu.com/*']);
  });
});

describe('tieba.blocks on every example fixture', () => {
  it.each(examplesWithFixture)('$url', ({ url, fixture }) => {
    const doc = loadFixture(fixture!, url);
    window.dispatchEvent(new Event('fixture:more'));
    const blocks = [...tieba.blocks(doc)];
    expect(blocks.length).toBeGreaterThan(0);
    expect(new Set(blocks.map((b) => b.key)).size).toBe(blocks.length);
    for (const block of blocks) {
      expect(block.key).toMatch(/^(title|post|comment|thread|bio):[\w.-]+$/);
      expect(textOf(block).trim()).not.toBe('');
      for (const t of block.text) expect(block.element.contains(t)).toBe(true);
      if (!block.author) continue;
      expect(block.author.platform).toBe('tieba');
      expect(block.author.id).toMatch(/^(tb\.1\.[\w.-]+|\d+)$/);
      if (block.author.id.startsWith('tb.1.')) {
        expect(block.author.url).toBe(`https://tieba.baidu.com/home/main?id=${block.author.id}`);
      }
      if (block.authorElement) {
        for (const t of block.text) expect(t.contains(block.authorElement)).toBe(false);
      }
    }
    const elements = new Set(blocks.map((b) => b.element));
    const marked = [...doc.querySelectorAll('[data-fixture]')];
    expect(marked.length).toBeGreaterThan(0);
    for (const m of marked) expect(elements.has(m), m.outerHTML.slice(0, 120)).toBe(true);
  });
});

describe('tieba thread', () => {
  it('reads the title, floors by post_id and loaded 楼中楼 by spid', () => {
    const blocks = scan(threadFixture, threadUrl);
    expect(blocks.map((b) => `${b.kind} ${b.key} ${b.author?.id}`)).toEqual([
      'title title:8912345678 tb.1.a1b2c3d4.HuAnKuAnDgR01',
      'post post:149000000001 tb.1.a1b2c3d4.HuAnKuAnDgR01',
      `comment post:149000000002 ${demoAgent}`,
      'comment post:149000000003 tb.1.0a1b2c3d.BaNkClErKlI02',
      'comment post:149000000004 tb.1.b7c8d9e0.XiNyOnGmIn03',
      'comment post:149000000005 1100000005',
      'reply comment:149100000011 tb.1.f1e2d3c4.FaNzHaLaOcHeN',
    ]);
    const lead = keyed(blocks).get('post:149000000002')!;
    expect(lead.author).toEqual({
      platform: 'tieba',
      id: demoAgent,
      handle: '上岸规划师小林',
      url: `https://tieba.baidu.com/home/main?id=${demoAgent}`,
    });
    expect(lead.authorElement?.matches('a.p_author_name')).toBe(true);
    expect(lead.text[0]!.matches('.d_post_content')).toBe(true);
    // The floor's own text only: not its 楼中楼, tail or badge.
    expect(textOf(lead)).not.toContain('已举报');
    expect(textOf(lead)).not.toContain('2楼');
    expect(textOf(lead)).not.toContain('信用卡');
  });

  it('falls back to the numeric user_id when the author link has no portrait', () => {
    const floor = keyed(scan(threadFixture, threadUrl)).get('post:149000000005')!;
    expect(floor.author).toEqual({ platform: 'tieba', id: '1100000005', handle: '数码小哥阿城' });
  });

  it('parses the single-quoted data-field of 楼中楼 and ignores its @mentions', () => {
    const doc = loadFixture(threadFixture, threadUrl);
    const reply = keyed([...tieba.blocks(doc)]).get('comment:149100000011')!;
    expect(reply.author?.handle).toBe('反诈民警老陈');
    expect(reply.authorElement?.textContent).toBe('反诈民警老陈');
    expect(reply.text[0]!.matches('.lzl_content_main')).toBe(true);
    const mention = reply.text[0]!.querySelector('a.at')!;
    expect(tieba.ignore!.some((s) => mention.matches(s))).toBe(true);
  });

  it('reads a 楼中楼 item with the floor it answers', () => {
    const blocks = keyed(scan(threadFixture, threadUrl));
    const reply = blocks.get('comment:149100000011')!;
    const floor = blocks.get('post:149000000002')!;
    expect(reply.context).toEqual(floor.text);
    expect(floor.context).toBeUndefined();
  });

  it('reaches a 楼中楼 item’s 举报 by hovering it: its .lzl_jb is empty until then', () => {
    const doc = loadFixture(threadFixture, threadUrl);
    const reply = keyed([...tieba.blocks(doc)]).get('comment:149100000011')!;
    expect(reply.reportEntry).toBeUndefined();
    const menu = reply.reportMenu!;
    expect(menu.trigger).toBe(reply.element);
    expect(menu.open).toBe('hover');
    expect(menu.control()).toBeNull();
    reply.element.dispatchEvent(new MouseEvent('mouseover', { bubbles: true }));
    const control = menu.control()!;
    expect(control.matches('.lzl_jb a.lzl_jb_in')).toBe(true);
    expect(control.closest('li')).toBe(reply.element);
    // Once shown, the next scan finds the control itself.
    const again = keyed([...tieba.blocks(doc)]).get('comment:149100000011')!;
    expect(again.reportEntry).toBe(control);
  });

  it('gives each floor its own 举报 link, outside its 楼中楼', () => {
    const floor = keyed(scan(threadFixture, threadUrl)).get('post:149000000002')!;
    expect(floor.reportEntry?.textContent).toBe('举报');
    expect(floor.reportEntry?.closest('.j_jb_ele')).not.toBeNull();
    expect(floor.reportEntry?.closest('.core_reply_wrapper')).toBeNull();
  });

  it('finds lazily loaded 楼中楼 after the page fills them', () => {
    const doc = loadFixture(threadFixture, threadUrl);
    const wrapper = doc.querySelector('[data-pid="149000000003"] .core_reply_wrapper')!;
    expect(wrapper.querySelector('.loading_reply')).not.toBeNull();
    expect([...tieba.blocks(wrapper)]).toEqual([]);
    window.dispatchEvent(new Event('fixture:more'));
    expect(wrapper.querySelector('.loading_reply')).toBeNull();
    const added = [...tieba.blocks(wrapper)];
    expect(added.map((b) => `${b.key} ${b.author?.id}`)).toEqual([
      'comment:149100000021 tb.1.9c8d7e6f.TiNgXiAjIe05',
      'comment:149100000022 tb.1.5e6f7a8b.KaoYanXiaoBei',
    ]);
    expect(textOf(added[0]!)).toBe('停📛息📛挂📛账 一对一帮你跟银行谈，私我发方案');
    expect([...tieba.blocks(doc)]).toHaveLength(9);
    window.dispatchEvent(new Event('fixture:more'));
    expect([...tieba.blocks(doc)]).toHaveLength(9);
  });

  it('reads a single 楼中楼 item, or the floor around a node, passed as the root', () => {
    const doc = loadFixture(threadFixture, threadUrl);
    const item = doc.querySelector('li.lzl_single_post')!;
    expect([...tieba.blocks(item)].map((b) => b.key)).toEqual(['comment:149100000011']);
    const text = doc.querySelector('#post_content_149000000004')!;
    expect([...tieba.blocks(text)].map((b) => b.key)).toEqual(['post:149000000004']);
  });

  it('keeps keys and text when an agree count re-renders', () => {
    const doc = loadFixture(threadFixture, threadUrl);
    const before = [...tieba.blocks(doc)];
    const agree = doc.querySelector<HTMLElement>('.post-agree-wrapper')!;
    agree.click();
    expect(agree.querySelector('.agree_num')!.textContent).toBe('4');
    const after = [...tieba.blocks(doc)];
    expect(after.map((b) => b.key)).toEqual(before.map((b) => b.key));
    expect(after.map(textOf)).toEqual(before.map(textOf));
  });

  it('follows the pager when it swaps the floors in place', () => {
    const doc = loadFixture(threadFixture, threadUrl);
    doc.querySelector<HTMLElement>('a[data-spa]')!.click();
    expect(location.search).toBe('?pn=2');
    expect(tieba.pageKind(new URL(location.href))).toBe('thread');
    const blocks = [...tieba.blocks(doc)];
    expect(blocks.map((b) => `${b.key} ${b.author?.id}`)).toEqual([
      // Floor 1 is on page 1: the title has no 楼主 to name.
      'title:8912345678 undefined',
      'post:149000000006 tb.1.a1b2c3d4.HuAnKuAnDgR01',
      'post:149000000007 tb.1.c3d4e5f6.ZhEnGxInGw07',
    ]);
    expect(textOf(blocks[2]!)).toContain('徵信修復');
  });
});

describe('tieba forum, search and profile', () => {
  it('reads the forum thread list from data-field and portrait links', () => {
    const blocks = scan('tieba/f.html', forumUrl);
    expect(blocks.map((b) => b.key)).toEqual([1, 2, 3, 4, 5, 6].map((n) => `thread:891234500${n}`));
    const lead = blocks[1]!;
    expect(lead.kind).toBe('card');
    expect(lead.author?.id).toBe(demoAgent);
    expect(lead.authorElement?.matches('a.frs-author-name')).toBe(true);
    expect(lead.text.map((t) => t.className.trim().split(' ')[0])).toEqual([
      'j_th_tit',
      'threadlist_abs',
    ]);
    expect(textOf(lead)).not.toContain('12:30');
  });

  it('reads search results keyed by the linked post, without accounts (?un= only)', () => {
    const blocks = scan('tieba/f/search/res.html', searchUrl);
    expect(blocks.map((b) => b.key)).toEqual([
      'post:149000001011',
      'post:149000001021',
      'post:149000001031',
    ]);
    expect(blocks.every((b) => b.author === undefined)).toBe(true);
    expect(textOf(blocks[0]!)).toContain('zx修复 加V');
    expect(textOf(blocks[0]!)).not.toContain('网贷');
  });

  it('reads the profile bio and threads for the portrait in the URL', () => {
    const blocks = scan('tieba/home/main.html', profileUrl);
    expect(blocks.map((b) => `${b.kind} ${b.key} ${b.author?.id}`)).toEqual([
      `bio bio:${demoAgent} ${demoAgent}`,
      `card thread:8912345002 ${demoAgent}`,
      `card thread:8912345009 ${demoAgent}`,
    ]);
    expect(blocks[0]!.author?.handle).toBe('上岸规划师小林');
    expect(textOf(blocks[0]!)).not.toContain('吧龄');
  });
});

describe('tieba 2026 layout (Vue SPA)', () => {
  const cardsUrl =
    'https://tieba.baidu.com/f/search/res?ie=utf-8&qw=%E5%80%BA%E5%8A%A1%E4%BC%98%E5%8C%96';
  const cardsFixture = 'tieba/f/search/res.2026.html';

  it('reads .threadcardclass cards by the thread they link, with portrait-keyed authors', () => {
    const blocks = scan(cardsFixture, cardsUrl);
    expect(blocks.map((b) => `${b.kind} ${b.key}`)).toEqual([
      'card thread:9012345671',
      'card thread:9012345672',
      'card thread:9012345673',
      'card thread:9012345674',
    ]);
    const [lead, , other, anonymous] = blocks;
    expect(lead!.author).toEqual({
      platform: 'tieba',
      id: demoAgent,
      handle: '上岸的林sa',
      url: `https://tieba.baidu.com/home/main?id=${demoAgent}`,
    });
    expect(lead!.authorElement?.textContent).toBe('上岸的林sa');
    expect(lead!.text.map((t) => t.className)).toEqual(['title-wrap', 'abstract-wrap']);
    // The forum name and comment count are the page's, not the author's words.
    expect(textOf(lead!)).not.toContain('信用卡吧');
    expect(textOf(lead!)).not.toContain('评论');
    expect(other!.author?.id).toBe('tb.1.9a8b7c6d.ZhEnGxInGuWeN');
    // A bare name names no stable account.
    expect(anonymous!.author).toBeUndefined();
  });

  it('reads the cards Vue renders after a tab switch', () => {
    const doc = loadFixture(cardsFixture, cardsUrl);
    doc.querySelector<HTMLElement>('a[data-tab="forum"]')!.click();
    const blocks = [...tieba.blocks(doc)];
    expect(blocks.map((b) => b.key)).toEqual(['thread:9012345681']);
    expect(blocks[0]!.author?.id).toBe(demoAgent);
  });

  it('reads the legacy layout and the new cards side by side', () => {
    setPage(
      `<div class="s_post_list"><div class="s_post"><span class="p_title"><a href="/p/1?pid=11">旧</a></span><div class="p_content">旧版结果</div></div></div>
       <div class="threadcardclass"><a class="action-link-bg" href="/p/2"></a><div class="title-wrap">新版</div></div>`,
      searchUrl,
    );
    expect([...tieba.blocks(document)].map((b) => b.key)).toEqual(['post:11', 'thread:2']);
  });
});

describe('tieba.blocks degrades', () => {
  it('returns [] on an empty or unknown page', () => {
    document.body.replaceChildren();
    expect([...tieba.blocks(document)]).toEqual([]);
    setPage(
      '<div class="x"><p>停息挂账 加薇信</p><a href="/home/main?id=tb.1.x">someone</a></div>',
    );
    expect([...tieba.blocks(document)]).toEqual([]);
    expect([...tieba.blocks(document.createDocumentFragment())]).toEqual([]);
  });

  it('survives broken data-field JSON and strips the portrait cache suffix', () => {
    setPage(`
      <div id="j_p_postlist">
        <div class="l_post" data-field="{broken" data-pid="1">
          <a class="p_author_name" href="/home/main?id=tb.1.abc.def?t=1600000000&amp;fr=pb">甲</a>
          <div class="d_post_content">你好</div>
        </div>
        <div class="l_post" data-field='{"author":{"user_id":42}}'>
          <div class="d_post_content">没有 pid</div>
        </div>
      </div>`);
    const blocks = [...tieba.blocks(document)].filter((b) => !b.key.startsWith('title:'));
    expect(blocks.map((b) => `${b.key} ${b.author?.id}`)).toEqual(['post:1 tb.1.abc.def']);
  });
});

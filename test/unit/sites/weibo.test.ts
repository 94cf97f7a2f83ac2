// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import type { TextBlock } from '../../../src/sites/adapter';
import { weibo } from '../../../src/sites/weibo';
import { loadFixture } from './load-fixture';
import { rehash } from './rehash';

const feedUrl = 'https://weibo.com/';
const feedFixture = 'weibo/index.html';
const detailUrl = 'https://weibo.com/1234567890/N8abcDEF1';
const detailFixture = 'weibo/1234567890/N8abcDEF1.html';
const profileUrl = 'https://weibo.com/u/7000000001';
const profileFixture = 'weibo/u/7000000001.html';
const searchUrl = 'https://s.weibo.com/weibo?q=%E5%BE%81%E4%BF%A1%E4%BF%AE%E5%A4%8D';
const searchFixture = 'weibo/weibo.html';
const mobileUrl = 'https://m.weibo.cn/detail/5012345678901234';
const mobileFixture = 'weibo/detail/5012345678901234.html';

const foreignUrls = [
  'https://www.douyin.com/video/7300000000000000001',
  'https://www.bilibili.com/video/BV1xx411c7mD',
  'https://www.zhihu.com/question/123456',
  'https://tieba.baidu.com/p/123456',
  'https://www.xiaohongshu.com/explore/65b000000000000000000001',
  'https://example.org/1234567890/N8abcDEF1',
  'https://weibo.com.example.org/u/7000000001',
];

const examplesWithFixture = weibo.examples.filter((e) => e.fixture);

function scan(fixture: string, url: string): TextBlock[] {
  return [...weibo.blocks(loadFixture(fixture, url))];
}

function keyed(blocks: TextBlock[]): Map<string, TextBlock> {
  return new Map(blocks.map((b) => [b.key, b]));
}

function textOf(block: TextBlock): string {
  return block.text.map((t) => t.textContent ?? '').join('\n');
}

/** Replaces the page with `html` (parsed, not assigned as innerHTML: test-written markup only). */
function setPage(html: string, url = feedUrl): void {
  (window as unknown as { happyDOM: { setURL(u: string): void } }).happyDOM.setURL(url);
  const parsed = new DOMParser().parseFromString(html, 'text/html');
  document.body.replaceChildren(
    ...[...parsed.body.childNodes].map((n) => document.importNode(n, true)),
  );
}

describe('weibo.pageKind', () => {
  it.each(weibo.examples)('$url is a $kind page', ({ url, kind }) => {
    expect(weibo.pageKind(new URL(url))).toBe(kind);
  });

  it.each(foreignUrls)('does not claim %s', (url) => {
    expect(weibo.pageKind(new URL(url))).toBeNull();
  });

  it('does not claim Weibo pages it has no blocks for', () => {
    expect(weibo.pageKind(new URL('https://weibo.com/1234567890/follow'))).toBeNull();
    expect(weibo.pageKind(new URL('https://huati.weibo.cn/discovery/super'))).toBeNull();
    expect(weibo.pageKind(new URL('https://s.weibo.com/top/summary'))).toBeNull();
  });

  it('serves the manifest patterns of its platform', () => {
    expect(weibo.matches).toEqual(['https://*.weibo.com/*', 'https://*.weibo.cn/*']);
  });
});

describe('weibo.blocks on every example fixture', () => {
  it.each(examplesWithFixture)('$url', ({ url, fixture }) => {
    const doc = loadFixture(fixture!, url);
    const blocks = [...weibo.blocks(doc)];
    expect(blocks.length).toBeGreaterThan(0);
    expect(new Set(blocks.map((b) => b.key)).size).toBe(blocks.length);
    for (const block of blocks) {
      expect(block.key).toMatch(/^(post|bio|comment):\w+$/);
      expect(textOf(block).trim()).not.toBe('');
      for (const t of block.text) expect(block.element.contains(t)).toBe(true);
      expect(block.author).toBeDefined();
      expect(block.author!.platform).toBe('weibo');
      expect(block.author!.id).toMatch(/^\d{10}$/);
      expect(block.author!.url).toBe(`https://weibo.com/u/${block.author!.id}`);
      expect(block.author!.handle).not.toMatch(/^@/);
      // The author's name is never scanned as the author's words.
      expect(block.authorElement).toBeDefined();
      for (const t of block.text) expect(t.contains(block.authorElement!)).toBe(false);
    }
    // Every element the fixture marks as lead or hard negative is the element of one block.
    const elements = new Set(blocks.map((b) => b.element));
    const marked = [...doc.querySelectorAll('[data-fixture]')];
    expect(marked.length).toBeGreaterThan(0);
    for (const m of marked) expect(elements.has(m), m.outerHTML.slice(0, 120)).toBe(true);
  });
});

describe('weibo feed (recycle scroller)', () => {
  it('reads each post, and a retweeted original as its own block', () => {
    const blocks = scan(feedFixture, feedUrl);
    expect(blocks.map((b) => `${b.kind} ${b.key} ${b.author?.id}`)).toEqual([
      'post post:N8fOOd0A1 7100000001',
      'post post:N8leAd001 7000000001',
      'post post:N8rTwEet2 7100000002',
      'post post:N7poLIce0 1288000001',
      'post post:N8bAnk0C3 1650000001',
      'post post:N8kaoYan4 7100000003',
      'post post:N8vicTim5 7100000004',
      'post post:N8phOne06 7100000005',
    ]);
    const byKey = keyed(blocks);
    const lead = byKey.get('post:N8leAd001')!;
    expect(lead.author).toEqual({
      platform: 'weibo',
      id: '7000000001',
      handle: '上岸规划师-老周',
      url: 'https://weibo.com/u/7000000001',
    });
    expect(lead.authorElement?.getAttribute('usercard')).toBe('7000000001');
    expect(textOf(lead)).toContain('停📛息📛挂📛账');
    expect(textOf(lead)).not.toContain('28分钟前');
    expect(textOf(lead)).not.toContain('投诉');

    // The reposter's words and the original's are separate, each with its own author.
    const repost = byKey.get('post:N8rTwEet2')!;
    const original = byKey.get('post:N7poLIce0')!;
    expect(textOf(repost)).not.toContain('征信修复');
    expect(textOf(original)).toContain('警惕“征信修复”骗局');
    expect(original.author?.handle).toBe('平安东城');
    expect(original.element.contains(repost.text[0]!)).toBe(false);
    expect(repost.element.contains(original.element)).toBe(true);
  });

  it('reaches each post’s 投诉 through its own "…" menu, built on click; not the retweet’s', () => {
    const doc = loadFixture(feedFixture, feedUrl);
    const byKey = keyed([...weibo.blocks(doc)]);
    const lead = byKey.get('post:N8leAd001')!;
    // The morepop exists only once opened (YF): no control on a normal scan.
    expect(lead.reportEntry).toBeUndefined();
    const menu = lead.reportMenu!;
    expect(menu.trigger.closest('article')).toBe(lead.element);
    expect(menu.trigger.className).toContain('_more_1v5ao_27');
    expect(menu.trigger.getAttribute('role')).toBe('button');
    expect(menu.control()).toBeNull();
    (menu.trigger as HTMLElement).click();
    const control = menu.control()!;
    expect(control.textContent).toBe('投诉');
    expect(control.closest('article')).toBe(lead.element);
    // Another post's menu, opened next, is that post's.
    const other = [...byKey.values()].find(
      (b) => b.reportMenu && b !== lead && b.element !== lead.element,
    )!;
    (other.reportMenu!.trigger as HTMLElement).click();
    expect(other.reportMenu!.control()?.closest('article')).toBe(other.element);
    const retweet = byKey.get('post:N7poLIce0')!;
    expect(retweet.reportEntry).toBeUndefined();
    expect(retweet.reportMenu).toBeUndefined();
  });

  it('lists ignore selectors that match the @mentions and the 展开 toggle in text', () => {
    const doc = loadFixture(feedFixture, feedUrl);
    const blocks = [...weibo.blocks(doc)];
    const ignored = [...doc.querySelectorAll('a[href^="/n/"], span.expand')];
    expect(ignored).toHaveLength(2);
    for (const el of ignored) {
      expect(weibo.ignore!.some((s) => el.matches(s))).toBe(true);
      expect(blocks.some((b) => b.text.some((t) => t.contains(el)))).toBe(true);
    }
    // Topics are the author's words and stay in.
    const topic = doc.querySelector('a[href*="s.weibo.com/weibo?q=%23"]')!;
    expect(weibo.ignore!.some((s) => topic.matches(s))).toBe(false);
  });

  it('includes emoticon images in the text elements', () => {
    const bank = keyed(scan(feedFixture, feedUrl)).get('post:N8bAnk0C3')!;
    expect(bank.text[0]!.querySelector('img[alt="[心]"]')).not.toBeNull();
  });

  it('yields the new post, key and author when the scroller recycles a node in place', () => {
    const doc = loadFixture(feedFixture, feedUrl);
    const view = doc.querySelector('.vue-recycle-scroller__item-view')!;
    const article = view.querySelector('article')!;
    const text = view.querySelector('[class*="_wbtext_"]')!;
    const nodeCount = doc.getElementsByTagName('*').length;
    const before = [...weibo.blocks(view)];
    expect(before.map((b) => b.key)).toEqual(['post:N8fOOd0A1']);
    expect(before[0]!.author?.id).toBe('7100000001');

    window.dispatchEvent(new Event('fixture:recycle'));
    // Same nodes, other post.
    expect(doc.getElementsByTagName('*').length).toBe(nodeCount);
    expect(view.querySelector('article')).toBe(article);
    const after = [...weibo.blocks(view)];
    expect(after).toHaveLength(1);
    expect(after[0]!.element).toBe(article);
    expect(after[0]!.text).toEqual([text]);
    expect(after[0]!.key).toBe('post:N8zxXfA03');
    expect(after[0]!.author).toEqual({
      platform: 'weibo',
      id: '7000000003',
      handle: '徵信顧問阿傑',
      url: 'https://weibo.com/u/7000000003',
    });
    expect(textOf(after[0]!)).toContain('徵信修復');
    // From the whole page too, and the old key is gone.
    const keys = [...weibo.blocks(doc)].map((b) => b.key);
    expect(keys).toContain('post:N8zxXfA03');
    expect(keys).not.toContain('post:N8fOOd0A1');
  });

  it('finds the post from a node inside its text (a mutation target)', () => {
    const doc = loadFixture(feedFixture, feedUrl);
    const img = doc.querySelector('img[alt="[泪]"]')!;
    expect([...weibo.blocks(img)].map((b) => b.key)).toEqual(['post:N8kaoYan4']);
  });

  it('keeps keys and text when a like count re-renders', () => {
    const doc = loadFixture(feedFixture, feedUrl);
    const before = [...weibo.blocks(doc)];
    const like = doc.querySelectorAll<HTMLElement>('.woo-like-main')[1]!;
    like.click();
    expect(like.querySelector('.woo-like-count')!.textContent).toBe('4');
    const after = [...weibo.blocks(doc)];
    expect(after.map((b) => b.key)).toEqual(before.map((b) => b.key));
    expect(after.map(textOf)).toEqual(before.map(textOf));
  });
});

describe('weibo post detail', () => {
  it('reads the post, comments and replies with their authors', () => {
    const blocks = scan(detailFixture, detailUrl);
    expect(blocks.map((b) => `${b.kind} ${b.author?.id}`)).toEqual([
      'post 1234567890',
      'comment 7200000001',
      'reply 7200000002',
      'comment 7000000002',
      'comment 7200000003',
      'comment 7000000001',
      'comment 7200000004',
      'reply 7200000005',
    ]);
    expect(blocks[0]!.key).toBe('post:N8abcDEF1');
    expect(blocks[0]!.reportEntry).toBeUndefined();
    (blocks[0]!.reportMenu!.trigger as HTMLElement).click();
    expect(blocks[0]!.reportMenu!.control()?.textContent).toBe('投诉');
    const lead = blocks[3]!;
    expect(lead.author?.handle).toBe('信用管家小敏');
    expect(textOf(lead)).toBe('征*信*修*复 找我，逾期记录也能处理，不成功不收费，主页有联系方式');
    expect(lead.element.matches('.item1')).toBe(true);
    // A parent comment is its own words, not its replies'.
    expect(textOf(blocks[1]!)).not.toContain('3800');
    expect(blocks[1]!.text[0]!.querySelector('img[alt="[允悲]"]')).not.toBeNull();
    // The reply's @mention is inside the scanned text but matched by an ignore selector.
    const mention = blocks[2]!.text[0]!.querySelector('a')!;
    expect(mention.textContent).toBe('@今天也要早睡');
    expect(weibo.ignore!.some((s) => mention.matches(s))).toBe(true);
    expect(blocks[2]!.authorElement?.textContent).toBe('还款中的打工人');
  });

  it.each([
    [feedFixture, feedUrl],
    [detailFixture, detailUrl],
  ])('finds the same blocks in a build whose CSS-module hashes differ (%s)', (fixture, url) => {
    const summary = (blocks: TextBlock[]) =>
      blocks.map((b) => [b.key, b.kind, b.author?.id, textOf(b), !!b.reportMenu, !!b.context]);
    const before = summary(scan(fixture, url));
    // `detail_wbtext_4CRf9`, `_wbtext_1h76l_19`, `Feed_retweet_JqZJb`: the stem stays, the hash changes.
    const renamed = rehash(
      document,
      /^(?<stem>[A-Za-z]*_[A-Za-z]+_)(?<hash>[0-9A-Za-z]{5})(?<tail>_\d+)?$/,
    );
    expect(renamed).toBeGreaterThan(20);
    expect(document.querySelector('[class*="4CRf9"], [class*="_1v5ao_"]')).toBeNull();
    expect(summary([...weibo.blocks(document)])).toEqual(before);
  });

  it('reads each reply (.list2 beside the .item1) with the comment it answers', () => {
    const blocks = scan(detailFixture, detailUrl);
    const [, parent, reply] = blocks;
    expect(reply!.element.parentElement?.matches('.wbpro-list > .list2')).toBe(true);
    expect(parent!.element.contains(reply!.element)).toBe(false);
    expect(reply!.context).toEqual(parent!.text);
    expect(parent!.context).toBeUndefined();
    const last = blocks[7]!;
    expect(last.kind).toBe('reply');
    expect(last.context).toEqual(blocks[6]!.text);
  });

  it('keys comments without ids by author and text, the same on every call', () => {
    const first = scan(detailFixture, detailUrl).map((b) => b.key);
    const second = [...weibo.blocks(document)].map((b) => b.key);
    expect(second).toEqual(first);
    expect(first.slice(1).every((k) => /^comment:h\w+$/.test(k))).toBe(true);
  });

  it('finds the comments the page appends when it loads more', () => {
    const doc = loadFixture(detailFixture, detailUrl);
    expect([...weibo.blocks(doc)]).toHaveLength(8);
    window.dispatchEvent(new Event('fixture:more'));
    const after = [...weibo.blocks(doc)];
    expect(after).toHaveLength(11);
    const added = after.slice(8);
    expect(added.map((b) => b.author?.id)).toEqual(['7000000005', '7200000006', '7200000007']);
    expect(textOf(added[0]!)).toBe('zx修复 加V：muzi_zx666 当天出方案');
    window.dispatchEvent(new Event('fixture:more'));
    expect([...weibo.blocks(doc)]).toHaveLength(11);
  });

  it('reads a single comment passed as the root', () => {
    const doc = loadFixture(detailFixture, detailUrl);
    const item = doc.querySelectorAll('.item1')[1]!;
    const blocks = [...weibo.blocks(item)];
    expect(blocks.map((b) => b.author?.id)).toEqual(['7000000002']);
  });

  it('follows an SPA navigation that replaces the detail', () => {
    const doc = loadFixture(detailFixture, detailUrl);
    doc.querySelector<HTMLElement>('a[data-spa]')!.click();
    expect(location.pathname).toBe('/2345678901/N9xyzABC2');
    expect(weibo.pageKind(new URL(location.href))).toBe('post');
    const blocks = [...weibo.blocks(doc)];
    expect(blocks.map((b) => `${b.kind} ${b.author?.id}`)).toEqual([
      'post 2345678901',
      'comment 7200000001',
      'comment 7000000008',
    ]);
    expect(blocks[0]!.key).toBe('post:N9xyzABC2');
    expect(textOf(blocks[2]!)).toContain('停息挂账');
  });
});

describe('weibo profile', () => {
  it('reads the bio of the profile owner and their posts', () => {
    const blocks = scan(profileFixture, profileUrl);
    expect(blocks.map((b) => `${b.kind} ${b.key}`)).toEqual([
      'bio bio:7000000001',
      'post post:N8prOf001',
      'post post:N8prOf002',
    ]);
    const bio = blocks[0]!;
    expect(bio.author).toEqual({
      platform: 'weibo',
      id: '7000000001',
      handle: '上岸规划师-老周',
      url: profileUrl,
    });
    expect(textOf(bio)).toContain('lz_shangan2024');
    expect(textOf(bio)).not.toContain('粉丝');
    for (const post of blocks.slice(1)) expect(post.author?.id).toBe('7000000001');
  });
});

describe('weibo search (s.weibo.com)', () => {
  it('reads result cards with authors from //weibo.com/<uid> links and the reportspam link', () => {
    const blocks = scan(searchFixture, searchUrl);
    expect(blocks.map((b) => `${b.key} ${b.author?.id}`)).toEqual([
      'post:N8seArch1 7000000004',
      'post:N8seArch2 1288000001',
      'post:N8seArch3 7300000001',
      'post:N8seArch4 7000000009',
      'post:N8seArch5 7300000002',
    ]);
    const lead = blocks[0]!;
    expect(lead.author?.handle).toBe('债务优化-林律助');
    expect(lead.reportEntry?.getAttribute('onclick')).toContain('reportspam?rid=5012345670000001');
    expect(textOf(lead)).toContain('lin_zw888');
  });

  it('scans the full text of a long result, not the truncated preview', () => {
    const long = keyed(scan(searchFixture, searchUrl)).get('post:N8seArch2')!;
    expect(long.text).toHaveLength(1);
    expect(long.text[0]!.getAttribute('node-type')).toBe('feed_list_content_full');
    const fold = long.text[0]!.querySelector('a[action-type="fl_fold"]')!;
    expect(weibo.ignore!.some((s) => fold.matches(s))).toBe(true);
  });
});

describe('weibo mobile (m.weibo.cn)', () => {
  it('reads the post by its mid and the comments with /profile/<uid> authors', () => {
    const blocks = scan(mobileFixture, mobileUrl);
    expect(blocks.map((b) => `${b.kind} ${b.author?.id} ${b.author?.handle}`)).toEqual([
      'post 7300000003 法治新闻眼',
      'comment 7000000006 退保维权-安姐',
      'comment 7300000004 保险小白',
      'comment 7300000005 退休教师老李',
    ]);
    expect(blocks[0]!.key).toBe('post:5012345678901234');
    expect(textOf(blocks[1]!)).toBe('代理退bao 全额退回，保险交了想退的找我，不成功不收费');
    expect(textOf(blocks[1]!)).not.toContain('3分钟前');
    expect(blocks[3]!.text[0]!.querySelector('img[alt="[赞]"]')).not.toBeNull();
  });

  it('finds the comments the page appends when it loads more', () => {
    const doc = loadFixture(mobileFixture, mobileUrl);
    window.dispatchEvent(new Event('fixture:more'));
    const blocks = [...weibo.blocks(doc)];
    expect(blocks).toHaveLength(6);
    expect(blocks[4]!.author?.id).toBe('7000000007');
    expect(textOf(blocks[4]!)).toContain('ｔｉｎｇｘｉ挂账');
  });
});

describe('weibo.blocks degrades', () => {
  it('returns [] on an empty or unknown page', () => {
    document.body.replaceChildren();
    expect([...weibo.blocks(document)]).toEqual([]);
    setPage('<div class="x"><p>征信修复 加薇信</p><a href="/u/7000000001">someone</a></div>');
    expect([...weibo.blocks(document)]).toEqual([]);
    expect([...weibo.blocks(document.createDocumentFragment())]).toEqual([]);
  });

  it('keeps a post whose author and time link are missing, keyed by its text', () => {
    setPage(
      '<article><div class="wbpro-feed-ogText"><div class="detail_wbtext_x1">只有正文</div></div></article>',
    );
    const blocks = [...weibo.blocks(document)];
    expect(blocks).toHaveLength(1);
    expect(blocks[0]!.key).toMatch(/^post:h\w+$/);
    expect(blocks[0]!.author).toBeUndefined();
  });

  it('reads a post from its text wrapper when the hashed text class changes', () => {
    setPage(
      '<article><a href="/u/7000000001" usercard="7000000001">老周</a><a class="x_time_1" href="https://weibo.com/7000000001/N8leAd001">1分钟前</a><div class="wbpro-feed-ogText"><div class="renamed">停息挂账</div></div></article>',
    );
    const blocks = [...weibo.blocks(document)];
    expect(blocks.map((b) => `${b.key} ${b.author?.id}`)).toEqual(['post:N8leAd001 7000000001']);
    expect(blocks[0]!.text[0]!.matches('.wbpro-feed-ogText')).toBe(true);
  });
});

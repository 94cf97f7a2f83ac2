// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import type { TextBlock } from '../../../src/sites/adapter';
import { zhihu } from '../../../src/sites/zhihu';
import { loadFixture } from './load-fixture';
import { rehash } from './rehash';

const demoAgent = 'leadguard-demo-agent';
const questionUrl = 'https://www.zhihu.com/question/610000001';
const questionFixture = 'zhihu/question/610000001.html';
const profileUrl = `https://www.zhihu.com/people/${demoAgent}`;
const profileFixture = `zhihu/people/${demoAgent}.html`;
const articleUrl = 'https://zhuanlan.zhihu.com/p/680000001';
const articleFixture = 'zhihu/p/680000001.html';

const foreignUrls = [
  'https://www.douyin.com/video/7300000000000000001',
  'https://weibo.com/1234567890/N8abcDEF1',
  'https://www.bilibili.com/video/BV1xx411c7mD',
  'https://tieba.baidu.com/p/123456',
  'https://www.toutiao.com/article/7300000000000000001/',
  'https://example.org/question/610000001',
  'https://zhihu.com.example.org/question/610000001',
];

const examplesWithFixture = zhihu.examples.filter((e) => e.fixture);

function scan(fixture: string, url: string): TextBlock[] {
  return [...zhihu.blocks(loadFixture(fixture, url))];
}

function keyed(blocks: TextBlock[]): Map<string, TextBlock> {
  return new Map(blocks.map((b) => [b.key, b]));
}

function textOf(block: TextBlock): string {
  return block.text.map((t) => t.textContent ?? '').join('\n');
}

function setPage(html: string, url = questionUrl): void {
  (window as unknown as { happyDOM: { setURL(u: string): void } }).happyDOM.setURL(url);
  const parsed = new DOMParser().parseFromString(html, 'text/html');
  document.body.replaceChildren(
    ...[...parsed.body.childNodes].map((n) => document.importNode(n, true)),
  );
}

describe('zhihu.pageKind', () => {
  it.each(zhihu.examples)('$url is a $kind page', ({ url, kind }) => {
    expect(zhihu.pageKind(new URL(url))).toBe(kind);
  });

  it.each(foreignUrls)('does not claim %s', (url) => {
    expect(zhihu.pageKind(new URL(url))).toBeNull();
  });

  it('does not claim Zhihu pages it has no blocks for', () => {
    expect(zhihu.pageKind(new URL('https://www.zhihu.com/settings/account'))).toBeNull();
    expect(zhihu.pageKind(new URL('https://zhuanlan.zhihu.com/write'))).toBeNull();
  });

  it('serves the manifest patterns of its platform', () => {
    expect(zhihu.matches).toEqual(['https://*.zhihu.com/*']);
  });
});

describe('zhihu.blocks on every example fixture', () => {
  it.each(examplesWithFixture)('$url', ({ url, fixture }) => {
    const doc = loadFixture(fixture!, url);
    const blocks = [...zhihu.blocks(doc)];
    expect(blocks.length).toBeGreaterThan(0);
    expect(new Set(blocks.map((b) => b.key)).size).toBe(blocks.length);
    for (const block of blocks) {
      expect(block.key).toMatch(/^(question|answer|article|comment|bio):[\w-]+$/);
      expect(textOf(block).trim()).not.toBe('');
      for (const t of block.text) expect(block.element.contains(t)).toBe(true);
      // Question titles on cards have no asker on the page; everything else has its author.
      if (block.key.startsWith('question:')) continue;
      expect(block.author?.platform).toBe('zhihu');
      expect(block.author!.id).toMatch(/^[\w-]+$/);
      expect(block.author!.url).toBe(`https://www.zhihu.com/people/${block.author!.id}`);
      expect(block.authorElement).toBeDefined();
      for (const t of block.text) expect(t.contains(block.authorElement!)).toBe(false);
    }
    const elements = new Set(blocks.map((b) => b.element));
    const marked = [...doc.querySelectorAll('[data-fixture]')];
    expect(marked.length).toBeGreaterThan(0);
    for (const m of marked) expect(elements.has(m), m.outerHTML.slice(0, 120)).toBe(true);
  });
});

describe('zhihu question page', () => {
  it('reads the question, the answers by data-zop itemId and the comments', () => {
    const blocks = scan(questionFixture, questionUrl);
    expect(blocks.map((b) => `${b.kind} ${b.key} ${b.author?.id ?? '-'}`)).toEqual([
      'title question:610000001 -',
      'post answer:3400000001 bank-clerk-li',
      'post answer:3400000002 beikeng-xiaozhang',
      `post answer:3400000003 ${demoAgent}`,
      'comment comment:10900000001 kaoyan-xiaobei',
      'reply comment:10900000002 ting-xi-ajie',
      'comment comment:10900000003 xinyong-xiaomin',
      'comment comment:10900000004 fanzha-laochen',
    ]);
    const question = blocks[0]!;
    expect(question.text).toHaveLength(2);
    expect(textOf(question)).not.toContain('关注者');
    const lead = keyed(blocks).get('answer:3400000003')!;
    expect(lead.author).toEqual({
      platform: 'zhihu',
      id: demoAgent,
      handle: '上岸规划师-周老师',
      url: profileUrl,
    });
    expect(lead.authorElement?.matches('a.UserLink-link')).toBe(true);
    expect(textOf(lead)).toContain('zhou_sa2024');
    expect(textOf(lead)).not.toContain('赞同');
    expect(textOf(lead)).not.toContain('十年债务规划师');
  });

  it('keeps an answer to its own text, not its comments', () => {
    const first = keyed(scan(questionFixture, questionUrl)).get('answer:3400000001')!;
    expect(textOf(first)).not.toContain('征*信');
    expect(textOf(first)).not.toContain('条评论');
  });

  it('reads CSS-in-JS comments from .CommentContent, stickers included', () => {
    const byKey = keyed(scan(questionFixture, questionUrl));
    const parent = byKey.get('comment:10900000001')!;
    expect(parent.text[0]!.matches('.CommentContent')).toBe(true);
    expect(parent.text[0]!.querySelector('img.sticker[alt="[赞同]"]')).not.toBeNull();
    expect(textOf(parent)).not.toContain('停📛息');
    const reply = byKey.get('comment:10900000002')!;
    expect(reply.author?.handle).toBe('停息互助阿杰');
    expect(reply.authorElement?.textContent).toBe('停息互助阿杰');
    expect(textOf(reply)).toBe('停📛息📛挂📛账 一对一帮你跟银行谈，私我发方案');
  });

  it('reads a reply (a [data-id] inside its parent’s) with the comment it answers', () => {
    const byKey = keyed(scan(questionFixture, questionUrl));
    const parent = byKey.get('comment:10900000001')!;
    const reply = byKey.get('comment:10900000002')!;
    expect(reply.kind).toBe('reply');
    expect(reply.context).toEqual(parent.text);
    expect(parent.context).toBeUndefined();
  });

  it('finds the same blocks in a build whose CSS-in-JS class hashes differ', () => {
    const summary = (blocks: TextBlock[]) =>
      blocks.map((b) => [b.key, b.kind, b.author?.id, textOf(b), b.context?.length ?? 0]);
    const before = summary(scan(questionFixture, questionUrl));
    const renamed = rehash(document, /^(?<stem>css-)(?<hash>[0-9a-z]+)$/);
    expect(renamed).toBeGreaterThan(20);
    expect(document.querySelector('.css-18ld3w0')).toBeNull();
    expect(summary([...zhihu.blocks(document)])).toEqual(before);
  });

  it('gives each comment its own 举报 button', () => {
    const byKey = keyed(scan(questionFixture, questionUrl));
    const parent = byKey.get('comment:10900000001')!;
    const reply = byKey.get('comment:10900000002')!;
    expect(parent.reportEntry?.textContent).toBe('举报');
    expect(reply.reportEntry?.textContent).toBe('举报');
    expect(parent.reportEntry).not.toBe(reply.reportEntry);
    expect(reply.reportEntry?.closest('[data-id]')).toBe(reply.element);
  });

  it('lists ignore selectors that match @mentions, and the mention is not the author', () => {
    const doc = loadFixture(questionFixture, questionUrl);
    const blocks = [...zhihu.blocks(doc)];
    const mentions = [...doc.querySelectorAll('a.member_mention')];
    expect(mentions).toHaveLength(1);
    for (const mention of mentions) {
      expect(zhihu.ignore!.some((s) => mention.matches(s))).toBe(true);
      expect(blocks.some((b) => b.text.some((t) => t.contains(mention)))).toBe(true);
    }
    expect(keyed(blocks).get('comment:10900000004')?.author?.id).toBe('fanzha-laochen');
  });

  it('finds the comments the page appends when it loads more', () => {
    const doc = loadFixture(questionFixture, questionUrl);
    expect([...zhihu.blocks(doc)]).toHaveLength(8);
    window.dispatchEvent(new Event('fixture:more'));
    const after = keyed([...zhihu.blocks(doc)]);
    expect(after.size).toBe(10);
    expect(after.get('comment:10900000005')?.author?.id).toBe('zx-muzi');
    expect(textOf(after.get('comment:10900000005')!)).toBe('zx修复 加V：muzi_zx666 当天出方案');
    expect(
      after.get('comment:10900000006')?.text[0]?.querySelector('img[alt="[捂脸]"]'),
    ).not.toBeNull();
    window.dispatchEvent(new Event('fixture:more'));
    expect([...zhihu.blocks(doc)]).toHaveLength(10);
  });

  it('reads a single comment, or the comment around a node, passed as the root', () => {
    const doc = loadFixture(questionFixture, questionUrl);
    const item = doc.querySelector('[data-id="10900000003"]')!;
    expect([...zhihu.blocks(item)].map((b) => b.key)).toEqual(['comment:10900000003']);
    const text = item.querySelector('.CommentContent')!;
    expect([...zhihu.blocks(text)].map((b) => b.key)).toEqual(['comment:10900000003']);
  });

  it('keeps keys and text when a vote count re-renders', () => {
    const doc = loadFixture(questionFixture, questionUrl);
    const before = [...zhihu.blocks(doc)];
    const vote = doc.querySelector<HTMLElement>('.VoteButton--up')!;
    vote.click();
    expect(vote.querySelector('.VoteCount')!.textContent).toBe('2049');
    const like = doc.querySelector<HTMLElement>('[data-za-like]')!;
    like.click();
    expect(like.textContent).toBe('喜欢 13');
    const after = [...zhihu.blocks(doc)];
    expect(after.map((b) => b.key)).toEqual(before.map((b) => b.key));
    expect(after.map(textOf)).toEqual(before.map(textOf));
  });

  it('follows an SPA navigation that replaces the question', () => {
    const doc = loadFixture(questionFixture, questionUrl);
    doc.querySelector<HTMLElement>('a[data-spa]')!.click();
    expect(location.pathname).toBe('/question/610000002');
    expect(zhihu.pageKind(new URL(location.href))).toBe('question');
    const blocks = [...zhihu.blocks(doc)];
    expect(blocks.map((b) => `${b.key} ${b.author?.id ?? '-'}`)).toEqual([
      'question:610000002 -',
      'answer:3400000021 kaoyan-ali',
      'comment:10900000021 xinyong-xiaoya',
    ]);
  });
});

describe('zhihu feed, search, profile and article', () => {
  it('reads feed answers with their question as a separate title, and articles with theirs', () => {
    const blocks = scan('zhihu/index.html', 'https://www.zhihu.com/');
    expect(blocks.map((b) => b.key)).toEqual([
      'question:620000001',
      'answer:3410000001',
      'question:620000002',
      'answer:3410000002',
      'article:680000009',
      'question:620000004',
      'answer:3410000004',
      'question:620000005',
      'answer:3410000005',
    ]);
    const byKey = keyed(blocks);
    const lead = byKey.get('answer:3410000002')!;
    expect(lead.author?.id).toBe('tuibao-anjie');
    expect(textOf(lead)).toContain('代理退bao');
    expect(textOf(lead)).not.toContain('交了好几年的保险');
    expect(textOf(lead)).not.toContain('阅读全文');
    const article = byKey.get('article:680000009')!;
    expect(article.text[0]!.matches('h2.ContentItem-title')).toBe(true);
    expect(byKey.get('question:620000002')!.author).toBeUndefined();
  });

  it('reads search results with <em> highlights', () => {
    const blocks = scan(
      'zhihu/search.html',
      'https://www.zhihu.com/search?type=content&q=%E5%BE%81%E4%BF%A1%E4%BF%AE%E5%A4%8D',
    );
    const lead = keyed(blocks).get('answer:3420000002')!;
    expect(lead.author).toEqual({
      platform: 'zhihu',
      id: 'zhengxin-guwen',
      handle: '徵信顧問',
      url: 'https://www.zhihu.com/people/zhengxin-guwen',
    });
    expect(textOf(keyed(blocks).get('question:640000002')!)).toBe('有逾期记录还能征信修复吗？');
  });

  it('reads the profile bio by the url_token in the page URL', () => {
    const blocks = scan(profileFixture, profileUrl);
    const bio = blocks[0]!;
    expect(bio.key).toBe(`bio:${demoAgent}`);
    expect(bio.author).toEqual({
      platform: 'zhihu',
      id: demoAgent,
      handle: '上岸规划师-周老师',
      url: profileUrl,
    });
    expect(bio.text.map((t) => t.className)).toEqual([
      'ztext ProfileHeader-headline',
      'ProfileHeader-detailValue',
    ]);
    expect(textOf(bio)).not.toContain('关注他');
    const answers = blocks.filter((b) => b.key.startsWith('answer:'));
    expect(answers).toHaveLength(2);
    for (const a of answers) expect(a.author?.id).toBe(demoAgent);
  });

  it('reads a 专栏 article with its title and comments', () => {
    const blocks = scan(articleFixture, articleUrl);
    expect(blocks.map((b) => `${b.key} ${b.author?.id}`)).toEqual([
      'article:680000001 lawyer-wang',
      'comment:10900000041 tingxi-xiaowu',
      'comment:10900000042 huankuan-dagongren',
    ]);
    expect(blocks[0]!.text.map((t) => t.className.split(' ')[0])).toEqual([
      'Post-Title',
      'RichText',
    ]);
    expect(textOf(blocks[1]!)).toContain('ｔｉｎｇｘｉ挂账');
  });
});

describe('zhihu.blocks degrades', () => {
  it('returns [] on an empty or unknown page', () => {
    document.body.replaceChildren();
    expect([...zhihu.blocks(document)]).toEqual([]);
    setPage('<div class="x"><p>征信修复 加薇信</p><a href="/people/someone">someone</a></div>');
    expect([...zhihu.blocks(document)]).toEqual([]);
    expect([...zhihu.blocks(document.createDocumentFragment())]).toEqual([]);
  });

  it('survives a broken data-zop and reads the author from the schema.org meta', () => {
    setPage(`
      <div class="ContentItem AnswerItem" data-zop="{not json" name="3499999999">
        <div class="AuthorInfo"><meta itemprop="name" content="匿名答主" /><meta itemprop="url" content="https://www.zhihu.com/people/some-token" /></div>
        <div class="RichContent"><span class="RichText">停息挂账 私我</span></div>
      </div>`);
    const blocks = [...zhihu.blocks(document)];
    expect(blocks.map((b) => `${b.key} ${b.author?.id} ${b.author?.handle}`)).toEqual([
      'answer:3499999999 some-token 匿名答主',
    ]);
    expect(blocks[0]!.authorElement).toBeUndefined();
  });

  it('finds comments without data-id by their avatar row, keyed by author and text', () => {
    setPage(`
      <div class="Comments-container"><div>
        <div class="css-a"><div class="css-b"><a href="https://www.zhihu.com/people/p1"><img class="Avatar" alt="甲" /></a></div>
          <div class="css-c"><a href="https://www.zhihu.com/people/p1">甲</a><div class="CommentContent">你好</div></div></div>
        <div class="css-a"><div class="css-b"><a href="https://www.zhihu.com/people/p2"><img class="Avatar" alt="乙" /></a></div>
          <div class="css-c"><div class="CommentContent">没有名字链接</div></div></div>
      </div></div>`);
    const blocks = [...zhihu.blocks(document)];
    expect(blocks.map((b) => `${b.kind} ${b.author?.id} ${b.author?.handle}`)).toEqual([
      'comment p1 甲',
      'comment p2 乙',
    ]);
    expect(blocks.every((b) => /^comment:h\w+$/.test(b.key))).toBe(true);
    expect(blocks[1]!.authorElement).toBeUndefined();
  });
});

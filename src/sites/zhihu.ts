/**
 * Zhihu (知乎): question titles, answers and articles (feed, question, search, profile, 专栏),
 * comments and replies, profile bios. Hooks are `.ContentItem[data-zop]` (item id and type),
 * /people/<url_token> links (data-zop has only the display name), BEM classes (`AuthorInfo`,
 * `RichText`, `ProfileHeader-*`) and `.CommentContent`; comment wrappers are CSS-in-JS
 * (`css-xxxx`) and found from their content, never by class. DOM facts and sources:
 * ../shared/domain/platforms.md §1, §2.6.
 * Evidence for each selector: ../shared/domain/dom-evidence.md §6.
 */
import type { Account, PageKind, SiteAdapter, SiteExample, TextBlock } from './adapter';
import {
  BlockSet,
  firstNamed,
  firstOf,
  hash,
  hrefOf,
  reportControl,
  pageUrl,
  parseUrl,
  stringOf,
  textOf,
  within,
  namedAccount,
} from './dom';
import { platformMatches } from './platforms';

const demoAgent = 'leadguard-demo-agent';

const examples: readonly SiteExample[] = [
  { url: 'https://www.zhihu.com/', kind: 'feed', fixture: 'zhihu/index.html' },
  { url: 'https://www.zhihu.com/follow', kind: 'feed' },
  {
    url: 'https://www.zhihu.com/question/610000001',
    kind: 'question',
    fixture: 'zhihu/question/610000001.html',
  },
  { url: 'https://www.zhihu.com/question/610000001/answer/3400000003', kind: 'question' },
  {
    url: 'https://zhuanlan.zhihu.com/p/680000001',
    kind: 'article',
    fixture: 'zhihu/p/680000001.html',
  },
  {
    url: `https://www.zhihu.com/people/${demoAgent}`,
    kind: 'profile',
    fixture: `zhihu/people/${demoAgent}.html`,
  },
  { url: `https://www.zhihu.com/people/${demoAgent}/answers`, kind: 'profile' },
  {
    url: 'https://www.zhihu.com/search?type=content&q=%E5%BE%81%E4%BF%A1%E4%BF%AE%E5%A4%8D',
    kind: 'search',
    fixture: 'zhihu/search.html',
  },
];

/** URL patterns (MC-zh-help, XIU2-zh). */
const urls = {
  www: /^(?:www\.)?zhihu\.com$/,
  zhuanlan: /^zhuanlan\.zhihu\.com$/,
  feed: /^\/(?:follow|hot)?\/?$/,
  question: /^\/question\/(\d+)(?:\/answer\/(\d+))?\/?$/,
  article: /^\/p\/(\d+)\/?$/,
  people: /^\/(?:people|org)\/([\w-]+)(?:\/[\w-]*)?\/?$/,
  search: /^\/search\/?$/,
  /** Links to an account: /people/<url_token> (XIU2-zh: `href.split('/')[4]`). */
  account: /^\/(?:people|org)\/([\w-]+)/,
  questionLink: /\/question\/(\d+)/,
  answerLink: /\/answer\/(\d+)/,
  articleLink: /zhuanlan\.zhihu\.com\/p\/(\d+)/,
};

const selectors = {
  /** Answers and articles in every list (SX-zh, XIU2-zh). */
  item: '.ContentItem[data-zop], .ContentItem.AnswerItem, .ContentItem.ArticleItem',
  itemText: '.RichContent .RichText',
  itemTitle: 'h2.ContentItem-title',
  authorInfo: '.AuthorInfo',
  authorLink: ['a.UserLink-link[href*="/people/"]', 'a[href*="/people/"]', 'a[href*="/org/"]'],
  authorMeta: 'meta[itemprop="url"][content*="/people/"], meta[itemprop="url"][content*="/org/"]',
  authorNameMeta: 'meta[itemprop="name"]',
  /** Question page header. */
  questionHeader: '.QuestionHeader',
  questionTitle: '.QuestionHeader-title',
  questionDetail: '.QuestionRichText .RichText',
  /** 专栏 article page. */
  post: '.Post-Main, article.Post-NormalMain',
  postTitle: '.Post-Title',
  postText: ['.Post-RichTextContainer .RichText', '.Post-RichText'],
  /** `.Post-Author` is unverified (dom-evidence.md §6). */
  postAuthor: '.Post-Author',
  /**
   * Comments: CSS-in-JS `div.css-*` wrappers, so read from `.CommentContent` outwards to the
   * `[data-id]` wrapper (XIU2); a `[data-id]` inside another's is a reply to it.
   */
  commentText: '.CommentContent',
  commentItem: '[data-id]',
  comments: '.Comments-container, .Modal-content, .Comments',
  /** Profile header `.ProfileHeader-name` (XIU2, UTags 017); the bio classes are a guess. */
  profileHeader: '.ProfileHeader-main, .ProfileHeader',
  profileName: ['.ProfileHeader-name'],
  profileBio: ['.ProfileHeader-headline', '.ProfileHeader-detailValue'],
  /** A comment's report control: the platform's own button labelled 举报 (guess: no source names it). */
  reportControl: 'button.Button, button[type="button"]',
  reportLabels: ['举报'],
};

/** @mentions inside answers, articles and comments. */
const ignore = ['.RichText a.member_mention', 'a.member_mention'];

export const zhihu: SiteAdapter = {
  id: 'zhihu',
  matches: platformMatches('zhihu'),
  examples,
  ignore,
  selectors,
  pageKind,
  *blocks(root) {
    const found = new BlockSet();
    const page = pageUrl(root);
    yield* found.readLazily(within(root, selectors.profileBio.join(', ')), (bio) =>
      bioBlock(bio, page),
    );
    yield* found.readLazily(within(root, selectors.questionTitle), (title) =>
      questionBlock(title, page),
    );
    yield* found.readLazily(within(root, selectors.postTitle), (title) =>
      articleBlock(title, page),
    );
    for (const item of within(root, selectors.item, selectors.comments)) {
      const title = found.read(() => titleOfItem(item));
      if (title) yield title;
      const block = found.read(() => itemBlock(item));
      if (block) yield block;
    }
    yield* found.readLazily(within(root, selectors.commentText), commentBlock);
  },
};

function pageKind(url: URL): PageKind | null {
  const path = url.pathname;
  if (urls.zhuanlan.test(url.hostname)) return urls.article.test(path) ? 'article' : null;
  if (!urls.www.test(url.hostname)) return null;
  if (urls.feed.test(path)) return 'feed';
  if (urls.question.test(path)) return 'question';
  if (urls.people.test(path)) return 'profile';
  if (urls.search.test(path)) return 'search';
  return null;
}

interface Zop {
  authorName?: string;
  itemId?: number | string;
  title?: string;
  type?: string;
}

/** `data-zop='{"authorName":"…","itemId":…,"title":"…","type":"answer"}'`. */
function zopOf(item: Element): Zop {
  const raw = item.getAttribute('data-zop');
  if (!raw) return {};
  try {
    const value: unknown = JSON.parse(raw);
    return value && typeof value === 'object' ? (value as Zop) : {};
  } catch {
    return {};
  }
}

/** An answer or article in a list: its text, and for articles its title. */
function itemBlock(item: Element): TextBlock | null {
  const zop = zopOf(item);
  const isArticle = zop.type === 'article' || item.matches('.ArticleItem');
  const body = [...item.querySelectorAll(selectors.itemText)].filter(
    (t) => !t.closest(selectors.comments) && t.closest(selectors.item) === item,
  );
  if (body.length === 0) return null;
  const title = isArticle ? item.querySelector(selectors.itemTitle) : null;
  const id =
    stringOf(zop.itemId) ??
    item.getAttribute('name') ??
    idFromMeta(item, isArticle ? urls.articleLink : urls.answerLink) ??
    `h${hash(body.map(textOf).join('\n'))}`;
  const who = authorIn(item.querySelector(selectors.authorInfo) ?? item, zop.authorName);
  return {
    key: `${isArticle ? 'article' : 'answer'}:${id}`,
    kind: 'post',
    element: item,
    text: title ? [title, ...body] : body,
    ...who,
  };
}

/** The question an answer card answers (feed, search, profile): a title block of its own. */
function titleOfItem(item: Element): TextBlock | null {
  if (zopOf(item).type === 'article' || item.matches('.ArticleItem')) return null;
  const title = item.querySelector(selectors.itemTitle);
  const link = title?.querySelector('a[href*="/question/"]');
  const qid = link && urls.questionLink.exec(link.getAttribute('href') ?? '')?.[1];
  if (!title || !qid) return null;
  // The asker is not shown on the card: no account.
  return { key: `question:${qid}`, kind: 'title', element: title, text: [title] };
}

function questionBlock(title: Element, page: URL | null): TextBlock | null {
  const header = title.closest(selectors.questionHeader);
  const qid = page && urls.www.test(page.hostname) ? urls.question.exec(page.pathname)?.[1] : null;
  if (!header || !qid) return null;
  const detail = header.querySelector(selectors.questionDetail);
  return {
    key: `question:${qid}`,
    kind: 'title',
    element: header,
    text: detail ? [title, detail] : [title],
  };
}

function articleBlock(title: Element, page: URL | null): TextBlock | null {
  const post = title.closest(selectors.post) ?? title.ownerDocument.body;
  const body = firstOf(post, selectors.postText);
  const id =
    page && urls.zhuanlan.test(page.hostname) ? urls.article.exec(page.pathname)?.[1] : null;
  if (!id) return null;
  const byline = post.querySelector(selectors.postAuthor) ?? post;
  return {
    key: `article:${id}`,
    kind: 'post',
    element: post,
    text: body ? [title, body] : [title],
    ...authorIn(byline),
  };
}

function bioBlock(bio: Element, page: URL | null): TextBlock | null {
  const token = page && urls.www.test(page.hostname) ? urls.people.exec(page.pathname)?.[1] : null;
  const header = bio.closest(selectors.profileHeader);
  if (!token || !header) return null;
  const texts = selectors.profileBio.flatMap((s) => [...header.querySelectorAll(s)]);
  const name = firstOf(header, selectors.profileName);
  return {
    key: `bio:${token}`,
    kind: 'bio',
    element: header,
    text: texts,
    author: account(token, name ? textOf(name) : ''),
    ...(name ? { authorElement: name } : {}),
  };
}

/** A comment or reply, from its `.CommentContent` out to its `[data-id]` wrapper. */
function commentBlock(text: Element): TextBlock | null {
  const keyed = text.closest(selectors.commentItem);
  // Without ids, the row around the avatar stands for the comment (and nesting is unknown).
  const item = keyed ?? rowOf(text);
  if (!item) return null;
  const own = (e: Element) =>
    !text.contains(e) && (keyed ? e.closest(selectors.commentItem) === item : item.contains(e));
  const link = firstNamed(item, selectors.authorLink, own);
  const token = link && tokenOf(link);
  // An avatar-only link names its user in the image's alt (XIU2-zh).
  const handle = link
    ? textOf(link) || (link.querySelector('img[alt]')?.getAttribute('alt') ?? '')
    : '';
  const id = item.getAttribute('data-id') ?? `h${hash(`${token ?? ''}\n${textOf(text)}`)}`;
  const nested = keyed && item.parentElement?.closest(selectors.commentItem);
  const report = reportControl(
    item,
    selectors.reportControl,
    selectors.reportLabels,
    [text, link],
    own,
  );
  return {
    key: `comment:${id}`,
    kind: nested ? 'reply' : 'comment',
    element: item,
    text: [text],
    ...(token ? { author: account(token, handle) } : {}),
    ...(token && link && textOf(link) ? { authorElement: link } : {}),
    ...(report ? { reportEntry: report } : {}),
    // A reply is read with the comment it answers (looked up only for replies, when asked).
    ...(nested
      ? {
          get context() {
            const own = [...nested.querySelectorAll(selectors.commentText)].find(
              (t) => t.closest(selectors.commentItem) === nested,
            );
            return own ? [own] : undefined;
          },
        }
      : {}),
  };
}

/** Without `data-id`: the nearest ancestor holding an avatar link, as XIU2-zh finds comments. */
function rowOf(element: Element): Element | null {
  for (let n = element.parentElement; n; n = n.parentElement) {
    if (n.matches(selectors.comments) || n.matches(selectors.item)) return null;
    if (n.querySelector('a[href*="/people/"] > img.Avatar, a[href*="/people/"] > img[alt]')) {
      return n;
    }
  }
  return null;
}

/** The author of an answer or article: the name link, else the schema.org meta url. */
function authorIn(scope: Element, zopName?: string): Pick<TextBlock, 'author' | 'authorElement'> {
  for (const selector of selectors.authorLink) {
    const links = [...scope.querySelectorAll(selector)].filter(
      (l) => !l.closest('.RichText') && !l.closest(selectors.comments),
    );
    const link = links.find((l) => textOf(l) !== '') ?? links[0];
    const token = link && tokenOf(link);
    if (link && token) {
      const name = textOf(link) || zopName || '';
      return {
        author: account(token, name),
        ...(textOf(link) ? { authorElement: link } : {}),
      };
    }
  }
  const meta = scope.querySelector(selectors.authorMeta);
  const url = parseUrl(meta?.getAttribute('content') ?? null, scope.ownerDocument.baseURI);
  const token = url && urls.account.exec(url.pathname)?.[1];
  if (!token) return {};
  const name = zopName ?? scope.querySelector(selectors.authorNameMeta)?.getAttribute('content');
  return { author: account(token, name ?? '') };
}

function tokenOf(link: Element): string | null {
  const url = hrefOf(link);
  if (!url || !urls.www.test(url.hostname)) return null;
  return urls.account.exec(url.pathname)?.[1] ?? null;
}

function account(token: string, name: string): Account {
  return namedAccount('zhihu', token, name, `https://www.zhihu.com/people/${token}`);
}

function idFromMeta(item: Element, pattern: RegExp): string | null {
  for (const meta of item.querySelectorAll('meta[itemprop="url"]')) {
    const id = pattern.exec(meta.getAttribute('content') ?? '')?.[1];
    if (id) return id;
  }
  return null;
}

/**
 * The blocks that Douyin, Kuaishou, Toutiao and Xiaohongshu lay out alike: a profile header with a
 * bio, feed cards with a title and author link, comments with nested replies and a 举报 menu. Each
 * adapter passes its selectors and how its links name accounts; nothing here knows a site.
 */
import type { Account, ReportMenu, TextBlock } from './adapter';
import {
  attr,
  firstOf,
  firstOutside,
  firstOwn,
  hash,
  notNestedIn,
  queryAll,
  reportControl,
  textOf,
  type Author,
  type Query,
} from './dom';

export interface ItemSelectors {
  comment: string;
  commentText: readonly string[];
  commentAuthor: readonly string[];
  /** Attributes that carry the comment id. */
  commentId?: readonly string[];
  /** Replies, where the site marks them; else a comment inside a comment is a reply. */
  reply?: string;
  /** Where a post's author link is, inside the post's scope and outside its comments. */
  postAuthor: readonly string[];
  cardTitle: readonly string[];
  cardAuthor: readonly string[];
  /** A profile's own posts: cards there without an author line are the profile owner's. */
  ownPosts?: string;
  profile: string;
  profileName: readonly string[];
  bio: readonly string[];
  /** Labels of the platform's own report control. */
  reportLabels: readonly string[];
  /** Where the platform puts its controls (menus, action bars): report controls are found only there. */
  reportAreas: string;
}

export interface ItemSite {
  selectors: ItemSelectors;
  /** The account an author link (or its name inside it) names. */
  authorOf(link: Element | null | undefined): Author;
  /** The account whose profile the page shows, named `name`. */
  owner(page: URL | null, name: string): Account | null;
  /** The id of a feed card's item. */
  cardId(card: Element): string | null;
  /** The comment id where the site keeps it elsewhere than in `selectors.commentId`. */
  commentId?(item: Element): string | null;
  /** How to query inside comments (Douyin splits descendant selectors). */
  query?: Query;
  /** A comment's own text where no selector names it (Douyin reads it from the layout). */
  commentBody?(item: Element): Element | null;
  /**
   * The comment a reply answers, where replies sit beside their parent rather than inside it;
   * else the comment item a reply is nested in.
   */
  parent?(item: Element): Element | null;
  /** The menu a block's 举报 sits behind, when `scope` shows no report control itself. */
  reportMenu?(scope: Element, kind: 'post' | 'bio' | 'comment'): ReportMenu | null;
}

export interface ItemBlocks {
  /** A post's own text (description, caption, title); its author and 举报 are in `scope`. */
  post(element: Element, kind: 'post' | 'title', id: string, scope: Element): TextBlock;
  bio(header: Element, page: URL | null): TextBlock | null;
  card(card: Element, page: URL | null): TextBlock | null;
  comment(item: Element): TextBlock | null;
  /**
   * The 举报 item of `scope`'s own menu, not of a comment inside it nor in `userContent` (the
   * block's text and author).
   */
  reportIn(scope: Element, userContent: readonly (Element | null | undefined)[]): Element | null;
}

export function itemBlocks(site: ItemSite): ItemBlocks {
  const s = site.selectors;
  const query = site.query ?? queryAll;

  const reportIn = (scope: Element, userContent: readonly (Element | null | undefined)[]) =>
    reportControl(scope, s.reportAreas, s.reportLabels, userContent, notNestedIn(scope, s.comment));

  const bodyOf = (item: Element) =>
    site.commentBody
      ? site.commentBody(item)
      : firstOwn(item, s.commentText, s.comment, undefined, query);
  const parentOf = (item: Element) =>
    site.parent ? site.parent(item) : (item.parentElement?.closest(s.comment) ?? null);
  const menuOf = (scope: Element, kind: 'post' | 'bio' | 'comment') =>
    site.reportMenu?.(scope, kind) ?? null;

  const nameIn = (scope: ParentNode | null) => {
    const name = scope && firstOf(scope, s.profileName);
    return { name, text: name ? textOf(name) : '' };
  };

  return {
    reportIn,

    post(element, kind, id, scope) {
      const link = firstOutside(scope, s.postAuthor, s.comment, query);
      const report = reportIn(scope, [element, link]);
      const menu = report ? null : menuOf(scope, 'post');
      return {
        key: `${kind}:${id}`,
        kind,
        element,
        text: [element],
        ...site.authorOf(link),
        ...(report ? { reportEntry: report } : {}),
        ...(menu ? { reportMenu: menu } : {}),
      };
    },

    bio(header, page) {
      const bio = firstOf(header, s.bio);
      if (!bio) return null;
      const { name, text } = nameIn(header);
      const author = site.owner(page, text);
      if (!author) return null;
      const report = reportIn(header, [bio, name]);
      const menu = report ? null : menuOf(header, 'bio');
      return {
        key: `bio:${author.id}`,
        kind: 'bio',
        element: header,
        text: [bio],
        author,
        ...(name ? { authorElement: name } : {}),
        ...(report ? { reportEntry: report } : {}),
        ...(menu ? { reportMenu: menu } : {}),
      };
    },

    card(card, page) {
      const title = firstOf(card, s.cardTitle);
      const id = site.cardId(card);
      if (!title || !id) return null;
      const fromLink = site.authorOf(firstOf(card, s.cardAuthor));
      const author =
        fromLink.author ??
        (s.ownPosts && card.closest(s.ownPosts)
          ? site.owner(page, nameIn(card.ownerDocument.querySelector(s.profile)).text)
          : null);
      return {
        key: `card:${id}`,
        kind: 'card',
        element: card,
        text: [title],
        ...(author ? { author } : {}),
        ...(fromLink.authorElement ? { authorElement: fromLink.authorElement } : {}),
      };
    },

    comment(item) {
      const body = bodyOf(item);
      if (!body) return null;
      const link = firstOwn(item, s.commentAuthor, s.comment, body, query);
      const who = site.authorOf(link);
      const id =
        site.commentId?.(item) ??
        attr(item, s.commentId ?? []) ??
        `h${hash(`${who.author?.id ?? ''}\n${textOf(body)}`)}`;
      const reply = s.reply ? item.matches(s.reply) : parentOf(item) !== null;
      return {
        key: `comment:${id}`,
        kind: reply ? 'reply' : 'comment',
        element: item,
        text: [body],
        ...who,
        // A reply is read with the comment it answers (looked up only for replies).
        ...(reply
          ? {
              get context() {
                const parent = parentOf(item);
                const text = parent && bodyOf(parent);
                return text ? [text] : undefined;
              },
            }
          : {}),
        // Looked up only when the card opens: walking every comment's subtree for 举报 up front
        // was a third of the page scan (bench:page).
        get reportEntry() {
          return reportIn(item, [body, link, who.authorElement]) ?? undefined;
        },
        get reportMenu() {
          return reportIn(item, [body, link, who.authorElement])
            ? undefined
            : (menuOf(item, 'comment') ?? undefined);
        },
      };
    },
  };
}

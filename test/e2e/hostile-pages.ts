/**
 * Pages a spammer or a hostile site could serve, built from the Douyin video fixture: extra
 * comments (with the fixture's markup, so the Douyin adapter reads them) at the top of the list.
 * Text goes in HTML-escaped, as a platform renders what users write; `rawHtml` is for the markup
 * the platform itself renders (emoji images, menus).
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixturesDir } from '../../src/cli/demo-server';

export const escapeHtml = (s: string) =>
  s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');

export interface HostileComment {
  cid: string;
  uid: string;
  /** The commenter's display name, as text. */
  name: string;
  /** The comment, as text; or `bodyHtml` for markup the platform renders itself. */
  body?: string;
  bodyHtml?: string;
  /** Extra query on the author link (hrefs are page input too). */
  linkQuery?: string;
  fixture?: 'lead' | 'benign';
}

const GIF = 'data:image/gif;base64,R0lGODlhAQABAAAAACH5BAEKAAEALAAAAAABAAEAAAICTAEAOw==';
export const emojiImg = `<img class="emoji" alt="[捂脸]" src="${GIF}" />`;

export function commentHtml(c: HostileComment): string {
  const href = `//www.douyin.com/user/${c.uid}${c.linkQuery ? `?${escapeHtml(c.linkQuery)}` : ''}`;
  const body = c.bodyHtml ?? `<span>${escapeHtml(c.body ?? '')}</span>`;
  const fixture = c.fixture ? ` data-fixture="${c.fixture}"` : '';
  return (
    `<div data-e2e="comment-item" class="SfwAcdr1" data-cid="${c.cid}"${fixture}>` +
    `<a href="${href}" class="uz1VJwFY"><span class="comment-avatar"></span></a>` +
    `<div class="VmOh3Y0B">` +
    `<div class="comment-item-info-wrap"><div class="RMSU6R7Y"><a href="${href}" class="uz1VJwFY"><span class="arnSiSbK xtTwhlGw">${escapeHtml(c.name)}</span></a></div></div>` +
    `<div class="C7LroK_h"><span class="WFJiGxr7"><span><span>${body}</span></span></span></div>` +
    `<div class="fJhvAqos"><span>1天前·广东</span></div>` +
    `<div class="comment-item-stats-container"><p class="xZhLomAs" role="button"><span>0</span></p>` +
    `<div class="UL2OAcbu" role="button">回复</div>` +
    `<div class="comment-more"><span>···</span><div class="comment-more-menu"><span class="ofz0c6Px">举报</span></div></div>` +
    `</div></div></div>`
  );
}

const videoFixture = join(fixturesDir, 'douyin', 'video', '7300000000000000001.html');
const listOpen = '<div data-e2e="comment-list" class="HV3aiR5J comment-mainContent">';

/** The Douyin video fixture with `comments` first in its list and `headScript` run first. */
export function douyinVideoWith(comments: HostileComment[], headScript = ''): string {
  const html = readFileSync(videoFixture, 'utf8');
  if (!html.includes(listOpen)) throw new Error('the Douyin fixture changed: no comment list');
  return html
    .replace('<head>', `<head><script>${headScript}</script>`)
    .replace(listOpen, listOpen + comments.map(commentHtml).join(''));
}

/**
 * Writes a page into the fixture tree for the demo server (for browsers without Playwright
 * routes), returning its URL and a function that deletes it.
 */
export function writeDouyinVideo(id: string, html: string): { url: string; remove: () => void } {
  const file = join(fixturesDir, 'douyin', 'video', `${id}.html`);
  writeFileSync(file, html);
  return { url: `https://www.douyin.com/video/${id}`, remove: () => rmSync(file, { force: true }) };
}

/**
 * Ten kinds of markup and script that would run if any surface put page text in as HTML. Each
 * calls `__xss(kind)`, which the page records; none may ever be called.
 */
export const xssPayloads: readonly [string, string][] = [
  ['img onerror', `<img src=x onerror="__xss('img')">`],
  ['script', `<script>__xss('script')</script>`],
  ['svg onload', `<svg/onload=__xss('svg')>`],
  ['iframe srcdoc', `"><iframe srcdoc="<script>parent.__xss('iframe')</script>"></iframe>`],
  ['javascript: link', `<a href="javascript:__xss('href')">点我领取</a>`],
  ['entity-encoded', `&lt;img src=x onerror=__xss('entity')&gt;`],
  ['details ontoggle', `<details open ontoggle=__xss('details')>`],
  ['style breakout', `</style><img src=x onerror=__xss('style')><style>`],
  ['template', `\${__xss('template')}{{constructor.constructor('__xss("tpl")')()}}`],
  [
    'bidi, NUL, MathML',
    `\u202e<b onmouseover=__xss('rtl')>\u0000<math><mtext><img src=x onerror=__xss('mathml')>`,
  ],
];

/** Records payload hits in the page's own world. */
export const xssRecorder =
  'window.__xssHits = []; window.__xss = function (k) { window.__xssHits.push(String(k)); };';

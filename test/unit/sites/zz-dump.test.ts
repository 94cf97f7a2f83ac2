// @vitest-environment happy-dom
import { it } from 'vitest';
import { weibo } from '../../../src/sites/weibo';
import { loadFixture } from './load-fixture';
import type { SiteAdapter, TextBlock } from '../../../src/sites/adapter';
function deepText(el: Element): string { return (el.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 40); }
export function dump(a: SiteAdapter, file: string, url: string, ev?: string) {
  const doc = loadFixture(file, url);
  if (ev) window.dispatchEvent(new Event(ev));
  const bs: TextBlock[] = a.blocks(doc);
  console.log(file, ev ?? '', '\n' + bs.map((b) => `${b.kind} ${b.key} ${b.author?.id}/${b.author?.handle} [${b.text.map(deepText).join(' | ')}] fx=${b.element.getAttribute('data-fixture')} rep=${b.reportEntry?.textContent}`).join('\n'));
}
it('dump', () => {
  for (const e of weibo.examples.filter((e) => e.fixture)) dump(weibo, e.fixture!, e.url);
  dump(weibo, 'weibo/index.html', 'https://weibo.com/', 'fixture:recycle');
  dump(weibo, 'weibo/1234567890/N8abcDEF1.html', 'https://weibo.com/1234567890/N8abcDEF1', 'fixture:more');
});

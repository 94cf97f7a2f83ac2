// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { blockText, rangeFor } from '../../../src/page/block-text';
import { generic } from '../../../src/sites/generic';

function html(markup: string): HTMLElement {
  const div = document.createElement('div');
  div.append(document.createRange().createContextualFragment(markup));
  document.body.replaceChildren(div);
  return div;
}

describe('block text', () => {
  it('reads text nodes and emoji img[alt], skipping mentions and the adapter’s ignores', () => {
    const el = html(
      '<p>停<img alt="😀">息挂账 <a class="mention" href="/u/1">@小王</a>找我<span class="ui">展开</span></p>',
    );
    const text = blockText([el], ['.ui']);
    expect(text.text).toBe('停😀息挂账 找我');
  });

  it('honours ignores that name a bare element, not only classes and attributes', () => {
    const el = html('<p>停息挂账<sup>1</sup> <span>找我</span><a href="/u/2">@小李</a></p>');
    expect(blockText([el], ['sup', 'p > a']).text).toBe('停息挂账 找我');
  });

  it('maps offsets back to a DOM range over exactly the page’s characters', () => {
    const el = html('<p><span>征</span><img alt="[哇R]"><span>信修复</span> 加V</p>');
    const text = blockText([el]);
    expect(text.text).toBe('征\u200b信修复 加V');
    const range = rangeFor(text, 0, 5, document)!;
    expect(range.toString()).toBe('征信修复');
    expect(range.cloneContents().querySelector('img')?.getAttribute('alt')).toBe('[哇R]');
    expect(rangeFor(text, 6, 8, document)!.toString()).toBe('加V');
  });

  it('turns typed [表情] codes into phrase breaks and joins elements with a newline', () => {
    const a = html('<p>征[微笑]信修复</p>');
    const b = document.createElement('p');
    b.textContent = '第二段';
    document.body.append(b);
    const text = blockText([a, b]);
    expect(text.text).toBe('征\uf8ff\uf8ff\uf8ff\uf8ff信修复\n第二段');
  });
});

describe('the generic adapter', () => {
  it('finds leaf text containers once each, with stable keys', () => {
    const root = html(
      '<article><h2>标题党来了</h2><p>第一段文字 <b>加粗</b> 结尾</p><div><p>嵌套段落文字</p></div><nav><p>导航链接文字</p></nav><p>短</p></article>',
    );
    const blocks = [...generic.blocks(root)];
    expect(blocks.map((b) => b.element.textContent)).toEqual([
      '标题党来了',
      '第一段文字 加粗 结尾',
      '嵌套段落文字',
    ]);
    expect([...generic.blocks(root)].map((b) => b.key)).toEqual(blocks.map((b) => b.key));
    expect([...generic.blocks(blocks[1]!.element)].map((b) => b.key)).toEqual([blocks[1]!.key]);
  });
});

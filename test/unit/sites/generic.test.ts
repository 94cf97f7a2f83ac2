// @vitest-environment happy-dom
import { beforeEach, describe, expect, it } from 'vitest';
import { adapterFor } from '../../../src/page/page-main';
import { bilibili } from '../../../src/sites/bilibili';
import { generic } from '../../../src/sites/generic';
import { loadFixture } from './load-fixture';

const texts = (root: ParentNode) => [...generic.blocks(root)].map((b) => b.element.textContent);

/** `depth` hosts, each with an open shadow root holding the next; the innermost root returned. */
function nested(parent: Element, depth: number): ShadowRoot {
  let host = parent;
  let root!: ShadowRoot;
  for (let i = 0; i < depth; i++) {
    root = host.attachShadow({ mode: 'open' });
    host = document.createElement('div');
    root.append(host);
  }
  return root;
}

describe('the generic adapter', () => {
  beforeEach(() => document.body.replaceChildren());

  it('reads leaf text containers, skipping navigation, editors and short text', () => {
    const html = `
      <nav><p>首页 推荐 热门 关注</p></nav>
      <article><p>征信修复找我，加V详聊</p><div>ok</div><li>停息挂账一对一协商</li></article>
      <div contenteditable="true"><p>我正在写的草稿内容</p></div>`;
    document.body.append(...new DOMParser().parseFromString(html, 'text/html').body.childNodes);
    expect(texts(document)).toEqual(['征信修复找我，加V详聊', '停息挂账一对一协商']);
  });

  it('reads text in open shadow roots, 2,000 deep', () => {
    const host = document.createElement('div');
    document.body.append(host);
    const top = host.attachShadow({ mode: 'open' });
    const first = document.createElement('p');
    first.textContent = '第一层里的一段评论文字';
    const deeper = document.createElement('div');
    top.append(first, deeper);
    const deepest = nested(deeper, 2_000);
    const p = document.createElement('p');
    p.textContent = '最深处的一段评论文字';
    deepest.append(p);
    expect(texts(document)).toEqual(['第一层里的一段评论文字', '最深处的一段评论文字']);
  });

  it('scans an unknown Bilibili page in its shadow-DOM comments', () => {
    loadFixture(
      'bilibili/video/BV1xx411c7mD.html',
      'https://www.bilibili.com/bangumi/play/ss12345',
    );
    const adapter = adapterFor(bilibili, new URL('https://www.bilibili.com/bangumi/play/ss12345'));
    expect(adapter).toBe(generic);
    const found = [...adapter.blocks(document)];
    const inShadow = found.filter((b) => b.element.getRootNode() !== document);
    expect(inShadow.map((b) => b.element.textContent)).toContain(
      '征*信*修*复 找我，逾期记录也能处理，不成功不收费',
    );
  });
});

// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { blockSnippet } from '../../../src/page/snippet';

function html(markup: string): HTMLElement {
  const div = document.createElement('div');
  div.className = 'comment';
  // Detached, as a page's block may be: nothing in it loads (no iframe fetch, no image request).
  div.append(document.createRange().createContextualFragment(markup));
  return div;
}

describe('the evidence snippet', () => {
  it.each([
    ['<script>alert(1)</script>征信修复', '<div class="comment">征信修复</div>'],
    [
      '<img src="x" onerror="alert(1)" alt="[玫瑰]">',
      '<div class="comment"><img src="http://localhost:3000/x" alt="[玫瑰]"></div>',
    ],
    [
      '<a href="javascript:alert(1)" onclick="x()">主页</a>',
      '<div class="comment"><a>主页</a></div>',
    ],
    [
      '<a href="//www.douyin.com/user/MS4w">小林</a>',
      '<div class="comment"><a href="http://www.douyin.com/user/MS4w">小林</a></div>',
    ],
    ['<span style="color:red">加V</span>', '<div class="comment"><span>加V</span></div>'],
    ['<iframe src="https://evil.example"></iframe>ok', '<div class="comment">ok</div>'],
    [
      '<custom-el><b>&lt;b&gt;"x"</b></custom-el>',
      '<div class="comment"><b>&lt;b&gt;"x"</b></div>',
    ],
    [
      '<span title="a&quot;b<c>">t</span>',
      '<div class="comment"><span title="a&quot;b&lt;c&gt;">t</span></div>',
    ],
    [
      '<leadguard-badge data-leadguard-ui="">引流</leadguard-badge>文字',
      '<div class="comment">文字</div>',
    ],
  ])('%s', (markup, expected) => {
    expect(blockSnippet(html(markup)).html).toBe(expected);
  });

  it('reads open shadow roots as children', () => {
    const host = document.createElement('bili-rich-text');
    const p = document.createElement('p');
    p.id = 'contents';
    p.textContent = '停息挂账 私我';
    host.attachShadow({ mode: 'open' }).append(p);
    const div = html('');
    div.append(host);
    expect(blockSnippet(div).html).toBe('<div class="comment"><p>停息挂账 私我</p></div>');
  });

  it('is cut at its byte bound and says so', () => {
    const snippet = blockSnippet(html(`<p>${'征'.repeat(50_000)}</p>`), 4096);
    expect(snippet.truncated).toBe(true);
    expect(new TextEncoder().encode(snippet.html).byteLength).toBeLessThanOrEqual(4096);
    expect(snippet.html).toMatch(/<!-- LeadGuard: cut at 4096 bytes -->$/);
  });
});

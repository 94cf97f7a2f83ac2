// @vitest-environment happy-dom
import { it, expect } from 'vitest';
it('probe', () => {
  (window as any).happyDOM.setURL('https://www.douyin.com/video/1?x=1');
  const parsed = new DOMParser().parseFromString('<body><template id="t"><div class="a">hi</div></template><div id="r"></div></body>', 'text/html');
  document.body.replaceChildren(...[...parsed.body.childNodes].map((n) => document.importNode(n, true)));
  const t = document.getElementById('t') as HTMLTemplateElement;
  console.log('tpl children', t.content.childNodes.length, document.querySelectorAll('.a').length);
  history.pushState({}, '', '/video/2');
  console.log(location.href, document.URL, document.baseURI);
  const a = document.createElement('a'); a.setAttribute('href', '//www.douyin.com/user/X'); document.body.append(a);
  console.log(a.href, a instanceof Element, document instanceof Document);
  new Function("window.addEventListener('fixture:more', function(){ console.log('got more') })")();
  window.dispatchEvent(new Event('fixture:more'));
  const s = document.createElement('span'); s.textContent='举报'; document.body.append(s);
  const x = (s as any).closest(':scope'); console.log('ok');
  expect(1).toBe(1);
});

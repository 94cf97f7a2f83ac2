/**
 * A site redesign, applied to a loaded fixture page: every class and id renamed, every data-*
 * hook but `data-fixture` (the tests' own labels) renamed, every custom element replaced by a <div>
 * with the same content (its open shadow root moved to the <div>'s), and each element's children
 * wrapped in one more <div>. Text, links and shadow roots stay: the page says the same things, its
 * structure doesn't. Self-contained (no imports, no outer names) so e2e tests can run it in a page
 * as `(${restyle})(document)`.
 */
export function restyle(doc: Document): void {
  const h = (s: string) => {
    let x = 2166136261;
    for (let i = 0; i < s.length; i++) x = Math.imul(x ^ s.charCodeAt(i), 16777619) >>> 0;
    return `r${x.toString(36)}`;
  };
  const all: Element[] = [];
  const visit = (root: ParentNode) => {
    for (const el of root.querySelectorAll('*')) {
      all.push(el);
      if (el.shadowRoot) visit(el.shadowRoot);
    }
  };
  visit(doc.body);
  for (const el of all) {
    if (/^(SCRIPT|STYLE|TEMPLATE)$/.test(el.tagName)) continue;
    const cls = el.getAttribute('class');
    if (cls) el.setAttribute('class', cls.split(/\s+/).filter(Boolean).map(h).join(' '));
    if (el.id) el.id = h(el.id);
    for (const name of el.getAttributeNames()) {
      if (name === 'data-fixture' || !/^(data-|node-type|action-type|mid$|dmid$)/.test(name))
        continue;
      el.setAttribute(h(name), el.getAttribute(name) ?? '');
      el.removeAttribute(name);
    }
    const parent = el.parentNode;
    let target: Element = el;
    if (el.localName.includes('-') && parent) {
      const div = doc.createElement('div');
      for (const name of el.getAttributeNames()) div.setAttribute(name, el.getAttribute(name)!);
      if (el.shadowRoot) div.attachShadow({ mode: 'open' }).append(...el.shadowRoot.childNodes);
      div.append(...el.childNodes);
      parent.replaceChild(div, el);
      target = div;
    }
    if (
      target.firstChild &&
      !/^(A|SPAN|BUTTON|IMG|P|H\d|TABLE|TBODY|TR|UL|OL)$/.test(target.tagName)
    ) {
      const wrap = doc.createElement('div');
      wrap.append(...target.childNodes);
      target.append(wrap);
    }
  }
}

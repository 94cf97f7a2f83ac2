/**
 * The reported block's HTML as evidence: rebuilt from the DOM as inert markup — an allow-list of
 * tags and attributes, text and attribute values escaped, links and images kept only as absolute
 * http(s) URLs, no scripts, styles, event handlers, frames or LeadGuard's own UI — and bounded in
 * size. It is built as a string and never parsed or inserted anywhere (the server serves it as
 * text too); open shadow roots (Bilibili's comments) are read as if they were children.
 */
const allowedTags = new Set([
  'a',
  'abbr',
  'article',
  'b',
  'blockquote',
  'br',
  'code',
  'dd',
  'del',
  'div',
  'dl',
  'dt',
  'em',
  'figcaption',
  'figure',
  'footer',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'header',
  'hr',
  'i',
  'img',
  'li',
  'mark',
  'ol',
  'p',
  'pre',
  'q',
  's',
  'section',
  'small',
  'span',
  'strong',
  'sub',
  'sup',
  'time',
  'u',
  'ul',
]);
/** Elements whose content is never evidence (or never safe to carry). */
const droppedTags = new Set([
  'script',
  'style',
  'noscript',
  'template',
  'iframe',
  'frame',
  'object',
  'embed',
  'link',
  'meta',
  'svg',
  'math',
  'canvas',
  'video',
  'audio',
  'source',
  'input',
  'textarea',
  'select',
  'button',
  'form',
]);
const allowedAttributes: Record<string, readonly string[]> = {
  '*': ['class', 'title', 'lang', 'dir', 'data-e2e'],
  a: ['href'],
  img: ['src', 'alt', 'width', 'height'],
  time: ['datetime'],
};
const urlAttributes = new Set(['href', 'src']);
const voidTags = new Set(['br', 'hr', 'img']);

const escapeText = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const escapeAttribute = (s: string) => escapeText(s).replace(/"/g, '&quot;');

function safeUrl(value: string, base: string): string | null {
  try {
    const url = new URL(value, base);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.toString() : null;
  } catch {
    return null;
  }
}

export interface Snippet {
  html: string;
  truncated: boolean;
}

export function blockSnippet(element: Element, maxBytes = 64 << 10, maxDepth = 64): Snippet {
  const encoder = new TextEncoder();
  const budget = maxBytes - 80;
  let out = '';
  let bytes = 0;
  let truncated = false;
  const emit = (s: string): boolean => {
    const n = encoder.encode(s).byteLength;
    if (bytes + n > budget) {
      truncated = true;
      return false;
    }
    out += s;
    bytes += n;
    return true;
  };
  const walk = (node: Node, depth: number): boolean => {
    if (node.nodeType === 3) return emit(escapeText(node.nodeValue ?? ''));
    if (node.nodeType !== 1) return true;
    const el = node as Element;
    if (el.hasAttribute('data-leadguard-ui')) return true;
    const tag = el.localName;
    if (droppedTags.has(tag) || depth > maxDepth) return true;
    const keep = allowedTags.has(tag);
    if (keep) {
      let open = `<${tag}`;
      for (const name of [...(allowedAttributes['*'] ?? []), ...(allowedAttributes[tag] ?? [])]) {
        const raw = el.getAttribute(name);
        if (raw === null) continue;
        const value = urlAttributes.has(name) ? safeUrl(raw, el.baseURI) : raw.slice(0, 500);
        if (value !== null) open += ` ${name}="${escapeAttribute(value)}"`;
      }
      if (!emit(`${open}>`)) return false;
      if (voidTags.has(tag)) return true;
    }
    const children = el.shadowRoot
      ? [...el.shadowRoot.childNodes, ...el.childNodes]
      : el.childNodes;
    for (const child of children) if (!walk(child, depth + 1)) return false;
    return keep ? emit(`</${tag}>`) : true;
  };
  walk(element, 0);
  if (truncated) out += `<!-- LeadGuard: cut at ${maxBytes} bytes -->`;
  return { html: out, truncated };
}

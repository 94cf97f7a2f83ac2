/**
 * Another build of a fixture page: every hashed class name gets another hash, as a site's next
 * build renames them (CSS modules keep their stem, CSS-in-JS only its prefix). Adapters that find
 * the same blocks in both builds do not depend on the hashes.
 */
export function rehash(root: ParentNode, hashed: RegExp): number {
  let renamed = 0;
  const visit = (scope: ParentNode) => {
    for (const element of scope.querySelectorAll('*')) {
      const tokens = [...element.classList];
      const next = tokens.map((t) => t.replace(hashed, (...m) => rehashMatch(m)));
      if (next.some((t, i) => t !== tokens[i])) {
        element.className = next.join(' ');
        renamed++;
      }
      if (element.shadowRoot) visit(element.shadowRoot);
    }
  };
  visit(root);
  return renamed;
}

/** The match with its `hash` group replaced by another string of the same length and alphabet. */
function rehashMatch(match: unknown[]): string {
  const groups = match[match.length - 1] as { stem?: string; hash: string; tail?: string };
  const alphabet = 'abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ0123456789';
  const hash = [...groups.hash]
    .map((c, i) => alphabet[(alphabet.indexOf(c) + 7 + i * 3 + alphabet.length) % alphabet.length])
    .join('');
  return `${groups.stem ?? ''}${hash}${groups.tail ?? ''}`;
}

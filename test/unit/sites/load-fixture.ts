/**
 * Loads a fixture page from test/fixtures into the happy-dom document of the current test file
 * (`// @vitest-environment happy-dom`), running its inline scripts so pages that build shadow
 * roots or append content by script look as they do in a browser.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixturesDir } from '../../../src/cli/demo-server';

export function loadFixture(file: string, url: string): Document {
  const html = readFileSync(join(fixturesDir, file), 'utf8');
  const happy = (window as unknown as { happyDOM: { setURL(url: string): void } }).happyDOM;
  happy.setURL(url);
  const parsed = new DOMParser().parseFromString(html, 'text/html');
  document.title = parsed.title;
  document.head.replaceChildren(
    ...[...parsed.head.childNodes].map((n) => document.importNode(n, true)),
  );
  document.body.replaceChildren(
    ...[...parsed.body.childNodes].map((n) => document.importNode(n, true)),
  );
  for (const script of [...document.querySelectorAll('script:not([src])')]) {
    if (script.getAttribute('type') && script.getAttribute('type') !== 'module') continue;
    // Fixture scripts are ours, not page input: evaluating them is how a browser would load them.
    new Function(script.textContent ?? '')();
  }
  return document;
}

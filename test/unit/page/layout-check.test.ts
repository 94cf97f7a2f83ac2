// @vitest-environment happy-dom
/**
 * Issue 9: each platform adapter, fed its own fixture pages, finds them as it expects (no
 * fallback); fed the same pages restyled (classes, ids, hooks and structure changed), it falls
 * back to the generic adapter with a diagnostic naming it, the page kind and the selectors that
 * found nothing.
 */
import { describe, expect, it } from 'vitest';
import { blockText } from '../../../src/page/block-text';
import { diagnosticText, layoutCheck, LayoutDiagnostic } from '../../../src/page/layout-check';
import type { SiteAdapter } from '../../../src/sites/adapter';
import { generic } from '../../../src/sites/generic';
import { platformAdapters } from '../../../src/sites/index';
import { loadFixture } from '../sites/load-fixture';
import { restyle } from './restyle';

function check(adapter: SiteAdapter, url: string) {
  const doc = document;
  const blocks = [...adapter.blocks(doc)];
  const chars = blocks.reduce((n, b) => n + blockText(b.text, adapter.ignore).text.length, 0);
  const kind = adapter.pageKind(new URL(url))!;
  return {
    blocks,
    result: layoutCheck({ adapter, kind, doc, blocks: blocks.length, chars, version: '9.9.9' }),
  };
}

const cases = platformAdapters.flatMap((adapter) =>
  adapter.examples
    .filter((e) => e.fixture)
    .map((e) => ({ id: adapter.id, adapter, url: e.url, fixture: e.fixture!, kind: e.kind })),
);

describe.each(platformAdapters.map((a) => ({ id: a.id, adapter: a })))('$id', ({ adapter }) => {
  const own = cases.filter((c) => c.adapter === adapter);

  it('declares its selectors as data', () => {
    expect(Object.keys(adapter.selectors ?? {}).length).toBeGreaterThan(0);
  });

  it.each(own)('reads its own page $fixture without falling back', ({ url, fixture }) => {
    loadFixture(fixture, url);
    const { result } = check(adapter, url);
    expect(result).toBeNull();
  });

  it.each(own)('falls back to generic on $fixture restyled', ({ url, fixture, kind }) => {
    loadFixture(fixture, url);
    restyle(document);
    const { blocks, result } = check(adapter, url);
    expect(blocks.length, 'the restyled page still matches the adapter').toBeLessThanOrEqual(
      result?.blocks ?? 0,
    );
    expect(result).not.toBeNull();
    expect(LayoutDiagnostic.parse(result)).toMatchObject({
      adapter: adapter.id,
      pageKind: kind,
      extensionVersion: '9.9.9',
    });
    expect(result!.selectorsNotFound.length).toBeGreaterThan(0);
    expect(diagnosticText(result!)).toContain(`adapter: ${adapter.id}`);
    // …and the generic adapter still has the page's words to scan.
    expect([...generic.blocks(document)].length).toBeGreaterThan(0);
  });
});

/**
 * A malformed list never replaces the active one (issue 10, what held): whatever is wrong with an
 * imported list, the import fails with an error in words and the previous list, and the matcher
 * published for tabs, stay active.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { db } from '../../../src/platform/db';
import { activeListInfo, importStaged, reconcile } from '../../../src/platform/list-store';
import { readPointer } from '../../../src/platform/matcher-delivery';
import { stageImport } from '../../../src/platform/staged-import';
import { sampleList } from '../core/sample-list';

const importList = async (list: unknown) =>
  importStaged(await stageImport(new Blob([JSON.stringify(list)]), 'list.json'));

beforeEach(async () => {
  await Promise.all(db.tables.map((t) => t.clear()));
  fakeBrowser.reset();
});

const provenance = { source: 'test', addedAt: '2026-12-01' };
const clone = () =>
  JSON.parse(JSON.stringify(sampleList)) as Record<string, unknown> & { entries: object[] };
const withEntry = (entry: object) => ({
  ...clone(),
  id: 'bad',
  entries: [...clone().entries, entry],
});

const malformed: [string, unknown][] = [
  ['not a list at all', '征信修复'],
  ['an empty object', {}],
  ['another format', { ...clone(), format: 'leadguard-list/9' }],
  ['entries missing', { ...clone(), entries: undefined }],
  ['a duplicate id', { ...clone(), entries: [...clone().entries, clone().entries[0]] }],
  ['an overlong name', { ...clone(), name: 'x'.repeat(5_000) }],
  [
    'an unbounded pattern',
    withEntry({
      kind: 'pattern',
      id: 'p.star',
      pattern: '征信.*',
      category: '征信修复',
      signal: 'strong',
      provenance,
    }),
  ],
  [
    'a pattern whose repeats multiply',
    withEntry({
      kind: 'pattern',
      id: 'p.slow',
      pattern: '.{0,20}征信.{0,20}x.{0,20}y',
      category: '征信修复',
      signal: 'strong',
      provenance,
    }),
  ],
  [
    'a reversed range',
    withEntry({
      kind: 'pattern',
      id: 'p.range',
      pattern: '[z-a]征信修复',
      category: '征信修复',
      signal: 'strong',
      provenance,
    }),
  ],
  [
    'a punctuation-only phrase',
    withEntry({
      kind: 'phrase',
      id: 'p.punct',
      text: '**',
      category: '征信修复',
      signal: 'strong',
      provenance,
    }),
  ],
  [
    'a one-character phrase after folding',
    withEntry({
      kind: 'phrase',
      id: 'p.short',
      text: 'v\u200b',
      category: '引流',
      signal: 'strong',
      provenance,
    }),
  ],
];

describe('importing a malformed list', () => {
  it.each(malformed)('(%s) fails in words and keeps the previous list', async (_what, list) => {
    await reconcile();
    await importList(sampleList);
    const before = await activeListInfo();
    const pointer = (await readPointer())!.sha256;
    expect(before).toMatchObject({ id: sampleList.id, hasImport: true });
    await expect(importList(list)).rejects.toThrow(/\S/);
    expect(await activeListInfo()).toEqual(before);
    expect((await readPointer())!.sha256).toBe(pointer);
  });
});

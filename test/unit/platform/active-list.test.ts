/**
 * A malformed list never replaces the active one (issue 10, what held): whatever is wrong with an
 * imported list, the import fails with a ListError in words and the previous list stays active.
 */
import { describe, expect, it } from 'vitest';
import { ListError } from '../../../src/core/list-schema';
import {
  activeListInfo,
  currentMatcher,
  setActiveList,
} from '../../../src/platform/matcher-service';
import { sampleList } from '../core/sample-list';

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
    await setActiveList(sampleList);
    const before = await activeListInfo();
    const matcher = await currentMatcher();
    await expect(setActiveList(list)).rejects.toThrow(ListError);
    expect(await activeListInfo()).toEqual(before);
    expect((await currentMatcher()).key).toBe(matcher.key);
  });
});

import { describe, expect, it } from 'vitest';
import {
  applyDelta,
  canonicalList,
  diffLists,
  FeedError,
  planUpdate,
  type Manifest,
} from '../../../src/core/feed-format';
import { defaultList } from '../../../src/core/default-list';
import { entriesFromCsv } from '../../../src/core/list-csv';
import { parseList, type List } from '../../../src/core/list-schema';
import { sampleList } from './sample-list';

const provenance = { source: 't', addedAt: '2026-01-01' };
const base = canonicalList({
  ...sampleList,
  version: 1,
  entries: [
    ...sampleList.entries,
    {
      kind: 'account-set',
      id: 'set.a',
      platform: 'douyin',
      category: '代理退保',
      ids: ['a1', 'a2', 'a3'],
      provenance,
    },
  ],
} as List);

describe('deltas', () => {
  it('carry header fields generically: a new model section travels like any other field', () => {
    const next = canonicalList({
      ...base,
      version: 2,
      name: 'renamed',
      description: undefined,
      model: defaultList().model,
      entries: base.entries.filter((e) => e.id !== 'cue.jingti'),
    } as List);
    const delta = diffLists('f', base, next);
    expect(Object.keys(delta.header.set).sort()).toEqual(['model', 'name', 'version']);
    expect(delta.remove).toEqual(['cue.jingti']);
    const applied = applyDelta(base, delta);
    expect(applied.name).toBe('renamed');
    expect(applied.model).toEqual(defaultList().model);
    expect(applied.entries).toEqual(next.entries);
    // And back: a removed header field is unset.
    const back = diffLists('f', next, { ...base, version: 3 });
    expect(back.header.unset).toContain('model');
    expect(applyDelta(next, back).model).toBeUndefined();
  });

  it('patch the members of a set instead of resending it', () => {
    const set = base.entries.find((e) => e.id === 'set.a')!;
    const next = canonicalList({
      ...base,
      version: 2,
      entries: base.entries.map((e) => (e === set ? { ...set, ids: ['a1', 'a3', 'a4'] } : e)),
    } as List);
    const delta = diffLists('f', base, next);
    expect(delta.put).toEqual([]);
    expect(delta.members).toEqual([{ id: 'set.a', add: ['a4'], remove: ['a2'] }]);
    expect(applyDelta(base, delta)).toEqual(next);
  });

  it.each([
    ['another base version', { from: 5 }],
    ['an unknown id removed', { remove: ['nope'] }],
    ['a member removed that is not there', { members: [{ id: 'set.a', add: [], remove: ['zz'] }] }],
    [
      'a patch on an entry that is not a set',
      { members: [{ id: 'cue.jingti', add: ['x'], remove: [] }] },
    ],
  ])('refuse to apply to a list they were not made from: %s', (_what, change) => {
    const delta = { ...diffLists('f', base, { ...base, version: 2 }), ...change };
    expect(() => applyDelta(base, delta)).toThrow(FeedError);
  });
});

describe('planning an update', () => {
  const manifest = (deltas: [number, number, number][], snapshot = 1000): Manifest => ({
    format: 'leadguard-feed/1',
    feed: 'f',
    version: 5,
    issuedAt: '2026-01-01T00:00:00Z',
    expires: '2026-02-01T00:00:00Z',
    entries: 1,
    members: 1,
    snapshot: { url: 's', size: snapshot, sha256: '0'.repeat(64) },
    deltas: deltas.map(([from, to, size]) => ({
      from,
      to,
      size,
      url: `${from}-${to}`,
      sha256: '0'.repeat(64),
    })),
  });
  it.each([
    [
      'the shortest chain',
      [
        [3, 4, 10],
        [4, 5, 10],
        [3, 5, 50],
      ],
      3,
      ['3-5'],
    ],
    [
      'a chain of consecutive deltas',
      [
        [2, 3, 10],
        [3, 4, 10],
        [4, 5, 10],
      ],
      2,
      ['2-3', '3-4', '4-5'],
    ],
    [
      'the snapshot across a gap',
      [
        [2, 3, 10],
        [4, 5, 10],
      ],
      2,
      'snapshot',
    ],
    ['the snapshot when the chain weighs more', [[4, 5, 2000]], 4, 'snapshot'],
    ['the snapshot on a first sync', [[4, 5, 10]], null, 'snapshot'],
  ] as const)('takes %s', (_what, deltas, active, expected) => {
    const plan = planUpdate(manifest(deltas as unknown as [number, number, number][]), active);
    if (expected === 'snapshot') expect(plan.kind).toBe('snapshot');
    else expect(plan.kind === 'deltas' && plan.chain.map((d) => d.url)).toEqual(expected);
  });
});

describe('list entries as CSV', () => {
  it('reads entries and gathers set members, with quoted fields', () => {
    const csv = [
      'kind,id,text,category,signal,pinyin,variants,platform,platformId,source',
      'phrase,p.a,"征信,修复",征信修复,strong,true,征信修護|徵信修复,,,alliance',
      'account-set,set.x,,反催收,,,,douyin,MS4wA,',
      'account-set,set.x,,反催收,,,,douyin,MS4wB,',
      '',
    ].join('\r\n');
    const entries = entriesFromCsv(csv, '2026-11-24');
    expect(entries).toEqual([
      expect.objectContaining({
        kind: 'phrase',
        id: 'p.a',
        text: '征信,修复',
        pinyin: true,
        variants: ['征信修護', '徵信修复'],
        provenance: { source: 'alliance', addedAt: '2026-11-24' },
      }),
      expect.objectContaining({
        kind: 'account-set',
        id: 'set.x',
        platform: 'douyin',
        ids: ['MS4wA', 'MS4wB'],
      }),
    ]);
    expect(() => parseList({ ...sampleList, entries })).not.toThrow();
  });

  it.each([
    ['an unknown column', 'kind,id,colour\nphrase,p,red', /columns not known: colour/],
    [
      'a bad entry, by line',
      'kind,id,text,category,signal\nphrase,p.ok,征信修复,征信修复,strong\nphrase,p.bad,x,征信修复,strong',
      /CSV line 3 \(p\.bad\): text/,
    ],
    ['an open quote', 'kind,id\n"phrase,p', /not closed/],
  ])('refuses %s', (_what, csv, message) => {
    expect(() => entriesFromCsv(csv)).toThrow(message);
  });
});

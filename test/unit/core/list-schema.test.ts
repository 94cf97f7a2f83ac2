import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { compileList } from '../../../src/core/compile-list';
import { List, ListError, parseList } from '../../../src/core/list-schema';
import { loadMatcher, scanText } from '../../../src/core/matcher';
import { sampleList } from './sample-list';

const provenance = { source: 'test', addedAt: '2026-11-24' };
const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

describe('string fields of the list', () => {
  it('all have a length limit', () => {
    const schema = z.toJSONSchema(List, { io: 'input', unrepresentable: 'any' });
    const unbounded: string[] = [];
    const walk = (node: unknown, path: string) => {
      if (!node || typeof node !== 'object') return;
      const n = node as Record<string, unknown>;
      if (n.type === 'string' && n.maxLength === undefined && !('const' in n) && !('enum' in n))
        unbounded.push(path);
      for (const [key, value] of Object.entries(n)) {
        if (Array.isArray(value)) value.forEach((v, i) => walk(v, `${path}.${key}[${i}]`));
        else walk(value, `${path}.${key}`);
      }
    };
    walk(schema, '$');
    expect(unbounded).toEqual([]);
  });

  it.each([
    ['name', (l: Record<string, unknown>) => (l.name = '名'.repeat(201)), /name/],
    [
      'description',
      (l: Record<string, unknown>) => (l.description = 'x'.repeat(2_001)),
      /description/,
    ],
    [
      'a provenance note',
      (l: Record<string, unknown>) =>
        ((l.entries as { provenance: { note?: string } }[])[0]!.provenance.note = 'x'.repeat(
          1_001,
        )),
      /entries\.0\.provenance\.note/,
    ],
    [
      'a provenance source',
      (l: Record<string, unknown>) =>
        ((l.entries as { provenance: { source: string } }[])[0]!.provenance.source = 's'.repeat(
          201,
        )),
      /entries\.0\.provenance\.source/,
    ],
  ])('rejects an overlong %s, naming the field', (_what, spoil, path) => {
    const list = clone(sampleList) as unknown as Record<string, unknown>;
    spoil(list);
    expect(() => parseList(list)).toThrow(ListError);
    expect(() => parseList(list)).toThrow(path);
  });
});

describe('malformed lists', () => {
  const spoilers: [string, (l: Record<string, unknown>) => unknown][] = [
    ['not an object', () => '征信修复'],
    ['another format', (l) => ({ ...l, format: 'leadguard-list/2' })],
    ['no entries', (l) => ({ ...l, entries: undefined })],
    ['entries not an array', (l) => ({ ...l, entries: { a: 1 } })],
    ['an unknown kind', (l) => ({ ...l, entries: [{ ...(l.entries as object[])[0], kind: 'x' }] })],
    [
      'a duplicate id',
      (l) => ({ ...l, entries: [...(l.entries as object[]), (l.entries as object[])[0]] }),
    ],
    ['an upper-case id', (l) => ({ ...l, entries: [{ ...(l.entries as object[])[0], id: 'ZX' }] })],
    [
      'a weight out of range',
      (l) => ({ ...l, entries: [{ ...(l.entries as object[])[0], weight: 99 }] }),
    ],
    ['a negative version', (l) => ({ ...l, version: -1 })],
    ['a bad issue date', (l) => ({ ...l, issuedAt: 'yesterday' })],
    ['a homophone of two characters', (l) => ({ ...l, homophones: { 微信: ['薇'] } })],
    [
      'a positive context weight',
      (l) => ({ ...l, scoring: { ...(l.scoring as object), context: { warning: 4 } } }),
    ],
  ];
  it.each(spoilers)('rejects %s with a ListError that says where', (_what, spoil) => {
    const bad = spoil(clone(sampleList) as unknown as Record<string, unknown>);
    expect(() => parseList(bad)).toThrow(ListError);
    expect(() => parseList(bad)).toThrow(/^invalid list: /);
  });
});

describe('keys that could reach Object.prototype', () => {
  it('pollute nothing, whether parsed, compiled or matched', () => {
    const json = JSON.stringify({ ...sampleList, entries: sampleList.entries.slice(0, 3) })
      // JSON.parse makes __proto__ an own key, as a feed or a file would deliver it.
      .replace(
        '"entries":[{',
        '"entries":[{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},',
      )
      .replace('"weights":{', '"weights":{"__proto__":{"polluted":true},')
      .replace(
        '{"format"',
        '{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},"format"',
      );
    const input: unknown = JSON.parse(json);
    const list = parseList(input);
    const matcher = loadMatcher(compileList(list));
    scanText(matcher, '征信修复 constructor __proto__ toString');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
    expect(Object.getPrototypeOf(list)).toBe(Object.prototype);
    expect(Object.getPrototypeOf(list.entries[0])).toBe(Object.prototype);
  });

  it('drop __proto__ and reject constructor as homophone keys, polluting nothing', () => {
    const withKey = (key: string) =>
      JSON.parse(
        JSON.stringify(sampleList).replace('"homophones":{', `"homophones":{"${key}":["x"],`),
      ) as unknown;
    const list = parseList(withKey('__proto__'));
    expect(Object.keys(list.homophones).sort()).toEqual(['保', '微']);
    expect(Object.getPrototypeOf(list.homophones)).toBe(Object.prototype);
    expect(() => parseList(withKey('constructor'))).toThrow(/homophones\.constructor/);
    compileList(list);
    expect(Object.prototype).not.toHaveProperty('0');
    expect(({} as Record<string, unknown>).length).toBeUndefined();
  });

  it('leave a phrase named like a prototype member an ordinary phrase', () => {
    const list = parseList({
      ...sampleList,
      homophones: {},
      entries: [
        {
          kind: 'phrase',
          id: 'p.proto',
          text: '__proto__',
          category: '引流',
          signal: 'strong',
          provenance,
        },
        {
          kind: 'phrase',
          id: 'p.ctor',
          text: 'constructor',
          category: '引流',
          signal: 'strong',
          provenance,
        },
        {
          kind: 'phrase',
          id: 'p.tostring',
          text: 'hasOwnProperty',
          category: '引流',
          signal: 'strong',
          provenance,
        },
      ],
    });
    const matcher = loadMatcher(compileList(list));
    const ids = scanText(matcher, 'a constructor, hasOwnProperty and __proto__').map(
      (m) => m.ruleId,
    );
    expect(ids.sort()).toEqual(['p.ctor', 'p.proto', 'p.tostring']);
    expect(scanText(matcher, 'valueOf toString')).toEqual([]);
  });
});

describe('phrases without a letter, digit or hanzi', () => {
  it.each(['**', '！！', '……', '...', '~~~', '—— ——'])(
    '%j is rejected, naming the entry',
    (text) => {
      const list: List = {
        ...sampleList,
        entries: [
          ...sampleList.entries,
          {
            kind: 'phrase',
            id: 'p.punct',
            text,
            category: '征信修复',
            signal: 'strong',
            provenance,
          },
        ],
      };
      expect(() => compileList(list)).toThrow(ListError);
      expect(() => compileList(list)).toThrow(/entry p\.punct: .*letter, digit or hanzi/);
    },
  );

  it.each(['**', '!!'])('%j is rejected as a cue or an allowed span too', (text) => {
    for (const entry of [
      { kind: 'cue' as const, id: 'c.punct', text, context: 'warning' as const, provenance },
      { kind: 'allow' as const, id: 'a.punct', text, provenance },
    ]) {
      expect(() => compileList({ ...sampleList, entries: [entry] })).toThrow(
        /letter, digit or hanzi/,
      );
    }
  });

  it('a phrase with punctuation inside still compiles', () => {
    const list: List = {
      ...sampleList,
      entries: [
        { kind: 'phrase', id: 'p.mixed', text: 'v+', category: '引流', signal: 'weak', provenance },
        {
          kind: 'phrase',
          id: 'p.dot',
          text: '征.信',
          category: '征信修复',
          signal: 'strong',
          provenance,
        },
      ],
    };
    expect(() => compileList(list)).not.toThrow();
  });
});

import { describe, expect, it } from 'vitest';
import { buildKeyIndex, KeyIndex, keyHash } from '../../../src/core/key-index';

describe('the account and contact index', () => {
  it('answers like a Map for every key it holds and none it does not', () => {
    const keys = Array.from(
      { length: 5000 },
      (_, i) => `douyin\u0000MS4wLjABAAAA${i.toString(36)}`,
    );
    const index = new KeyIndex(
      buildKeyIndex(
        keys,
        keys.map((_, i) => i * 7),
      ),
    );
    expect(index.size).toBe(5000);
    keys.forEach((key, i) => expect(index.get(key)).toBe(i * 7));
    for (const miss of ['', 'douyin', 'douyin\u0000', 'weibo\u0000MS4wLjABAAAA0', `${keys[9]}!`]) {
      expect(index.has(miss)).toBe(false);
    }
  });

  it('costs 12 bytes a key', () => {
    const keys = Array.from({ length: 1000 }, (_, i) => `k${i}`);
    expect(new KeyIndex(buildKeyIndex(keys, new Int32Array(1000))).byteLength).toBe(12_000);
  });

  it.each([
    ['the first listing wins', () => false, 1],
    ['a preferred rule wins', (candidate: number) => candidate === 3, 3],
  ])('keeps one rule for a repeated key: %s', (_name, prefer, expected) => {
    const data = buildKeyIndex(['a', 'b', 'a', 'a'], [1, 2, 3, 4], prefer);
    const index = new KeyIndex(data);
    expect(index.size).toBe(2);
    expect(index.get('a')).toBe(expected);
    expect(index.get('b')).toBe(2);
  });

  it('works empty and with one key', () => {
    expect(new KeyIndex(buildKeyIndex([], [])).get('x')).toBeUndefined();
    expect(new KeyIndex(buildKeyIndex(['x'], [5])).get('x')).toBe(5);
  });

  it('spreads keys that differ in one character (no 64-bit collisions in 200k near-identical keys)', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200_000; i++) seen.add(keyHash(`wechat\u0000wx${i}`).join(':'));
    expect(seen.size).toBe(200_000);
  });
});

import { describe, expect, it } from 'vitest';
import { canonicalJson, contentUrl, reasonPresetFor } from '../../../src/core/report';

describe('contentUrl', () => {
  it.each([
    ['https://user:pw@www.douyin.com/video/1#comments', 'https://www.douyin.com/video/1'],
    [
      'https://www.xiaohongshu.com/explore/65a1b2c3d4e5f6a7b8c9d0e1?xsec_token=ABC%3D&xsec_source=pc_feed',
      'https://www.xiaohongshu.com/explore/65a1b2c3d4e5f6a7b8c9d0e1?xsec_token=ABC%3D&xsec_source=pc_feed',
    ],
    [
      'https://www.bilibili.com/video/BV1xx?spm_id_from=333.1007&vd_source=abc&p=2',
      'https://www.bilibili.com/video/BV1xx?p=2',
    ],
    ['https://weibo.com/123/Abc?utm_source=x&id=9', 'https://weibo.com/123/Abc?id=9'],
  ])('%s → %s', (input, expected) => {
    expect(contentUrl(input)).toBe(expected);
  });
});

describe('canonicalJson', () => {
  it('sorts keys at every depth and drops undefined, so both sides hash the same bytes', () => {
    expect(
      canonicalJson({ b: 1, a: { d: [1, { z: null, y: '征' }], c: true }, u: undefined }),
    ).toBe('{"a":{"c":true,"d":[1,{"y":"征","z":null}]},"b":1}');
    expect(canonicalJson({ x: 1, y: 2 })).toBe(canonicalJson({ y: 2, x: 1 }));
  });
  it('refuses values JSON cannot hold exactly', () => {
    expect(() => canonicalJson({ x: NaN })).toThrow(/NaN/);
  });
});

describe('reasonPresetFor', () => {
  it.each([
    [['引流', '征信修复'], '征信修复'],
    [['引流'], 'other'],
    [[], 'other'],
  ])('%j → %s', (categories, preset) => {
    expect(reasonPresetFor(categories)).toBe(preset);
  });
});

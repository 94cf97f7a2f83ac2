import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtureSiteFor, fixturesDir, resolveFixture } from '../../../src/cli/demo-server';

describe('the demo server', () => {
  it.each([
    ['www.douyin.com', 'douyin'],
    ['douyin.com', 'douyin'],
    ['m.weibo.cn', 'weibo'],
    ['space.bilibili.com', 'bilibili'],
    ['tieba.baidu.com', 'tieba'],
    ['www.baidu.com', 'demo'],
    ['example.org', 'demo'],
  ])('serves %s from the %s fixtures', (host, site) => {
    expect(fixtureSiteFor(host)).toBe(site);
  });

  it('maps a platform path to its fixture file and refuses to leave the fixture folder', async () => {
    expect(await resolveFixture('douyin', '/video/7300000000000000001')).toBe(
      join(fixturesDir, 'douyin/video/7300000000000000001.html'),
    );
    expect(await resolveFixture('demo', '/')).toBe(join(fixturesDir, 'demo/index.html'));
    expect(await resolveFixture('douyin', '/../../package.json')).toBeNull();
    expect(await resolveFixture('douyin', '/missing')).toBeNull();
  });
});

/**
 * The explicit registry of site adapters (conventions.md §2). Adding a platform: write its adapter,
 * add it here and to platforms.ts, add `entrypoints/<site>.content.ts` and fixtures. The meta-test
 * (test/unit/sites/registry.test.ts) checks each one is wired, has fixtures and its README line.
 */
import type { SiteAdapter } from './adapter';
import { bilibili } from './bilibili';
import { douyin } from './douyin';
import { generic } from './generic';
import { kuaishou } from './kuaishou';
import { tieba } from './tieba';
import { toutiao } from './toutiao';
import { weibo } from './weibo';
import { xiaohongshu } from './xiaohongshu';
import { zhihu } from './zhihu';

export const platformAdapters: readonly SiteAdapter[] = [
  douyin,
  kuaishou,
  weibo,
  xiaohongshu,
  bilibili,
  zhihu,
  toutiao,
  tieba,
];

export const adapters: readonly SiteAdapter[] = [...platformAdapters, generic];

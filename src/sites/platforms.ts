/**
 * The platforms LeadGuard supports, with the manifest match patterns for each.
 * The manifest's host permissions and every site content script derive from this one table.
 */
export interface Platform {
  readonly id: PlatformId;
  /** The name moderators know the platform by. */
  readonly name: string;
  /** Manifest match patterns (https://developer.chrome.com/docs/extensions/develop/concepts/match-patterns). */
  readonly matches: readonly string[];
}

export const platformIds = [
  'douyin',
  'kuaishou',
  'weibo',
  'xiaohongshu',
  'bilibili',
  'zhihu',
  'toutiao',
  'tieba',
] as const;
export type PlatformId = (typeof platformIds)[number];

export const platforms: readonly Platform[] = [
  { id: 'douyin', name: '抖音', matches: ['https://*.douyin.com/*', 'https://*.iesdouyin.com/*'] },
  { id: 'kuaishou', name: '快手', matches: ['https://*.kuaishou.com/*'] },
  { id: 'weibo', name: '微博', matches: ['https://*.weibo.com/*', 'https://*.weibo.cn/*'] },
  { id: 'xiaohongshu', name: '小红书', matches: ['https://*.xiaohongshu.com/*'] },
  { id: 'bilibili', name: '哔哩哔哩', matches: ['https://*.bilibili.com/*'] },
  { id: 'zhihu', name: '知乎', matches: ['https://*.zhihu.com/*'] },
  { id: 'toutiao', name: '今日头条', matches: ['https://*.toutiao.com/*'] },
  { id: 'tieba', name: '百度贴吧', matches: ['https://tieba.baidu.com/*'] },
];

export const supportedMatches: readonly string[] = platforms.flatMap((p) => p.matches);

export function platformMatches(id: PlatformId): string[] {
  const platform = platforms.find((p) => p.id === id);
  if (!platform) throw new Error(`unknown platform ${id}`);
  return [...platform.matches];
}

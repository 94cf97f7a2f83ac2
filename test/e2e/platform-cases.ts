/** What each platform's fixture pages show, for the cross-platform e2e test. */
export interface PlatformCase {
  platform: string;
  url: string;
  /** Obfuscated phrases that must each be one lead highlight. */
  obfuscated: string[];
  listedAccount: boolean;
  /** `fixture:more` appends comments. */
  more: boolean;
  /** `fixture:recycle` rewrites rows in place (virtual list). */
  recycle?: boolean;
  /** a[data-spa] navigates with history.pushState. */
  spa: boolean;
  /** A control the page's own script re-renders when clicked. */
  rerender?: { click: string; read: string };
}

export const platformCases: PlatformCase[] = [
  {
    platform: 'douyin',
    url: 'https://www.douyin.com/video/7300000000000000001',
    obfuscated: ['征*信*修*复', '停📛息📛挂📛账'],
    listedAccount: true,
    more: true,
    spa: true,
    rerender: {
      click: '[data-e2e="comment-item"] .xZhLomAs',
      read: '[data-e2e="comment-item"] .xZhLomAs span',
    },
  },
  {
    platform: 'kuaishou',
    url: 'https://www.kuaishou.com/short-video/3xvideodemo0001',
    obfuscated: ['代理退bao', '征 信 修 复'],
    listedAccount: true,
    more: true,
    spa: true,
    rerender: { click: '.comment-like', read: '.comment-like .count' },
  },
  {
    platform: 'xiaohongshu',
    url: 'https://www.xiaohongshu.com/explore/65b000000000000000000001',
    // 征[哇R]信[哇R]修复: stickers between the characters; the range spans them.
    obfuscated: ['zx修复', '征信修复'],
    listedAccount: true,
    more: true,
    spa: false,
    rerender: { click: '.like-wrapper', read: '.like-wrapper .count' },
  },
  {
    platform: 'toutiao',
    url: 'https://www.toutiao.com/article/7300000000000000501/',
    obfuscated: ['ｔｉｎｇｘｉ挂账'],
    listedAccount: true,
    more: true,
    spa: false,
    rerender: { click: '.digg', read: '.digg .count' },
  },
  {
    platform: 'weibo (post)',
    url: 'https://weibo.com/1234567890/N8abcDEF1',
    obfuscated: ['征*信*修*复'],
    listedAccount: true,
    more: true,
    spa: true,
    rerender: { click: '.woo-like-main', read: '.woo-like-main .woo-like-count' },
  },
  {
    platform: 'weibo (recycled feed)',
    url: 'https://weibo.com/',
    obfuscated: ['停📛息📛挂📛账'],
    listedAccount: true,
    more: false,
    recycle: true,
    spa: false,
    rerender: { click: '.woo-like-main', read: '.woo-like-main .woo-like-count' },
  },
  {
    platform: 'weibo (m.weibo.cn)',
    url: 'https://m.weibo.cn/detail/5012345678901234',
    obfuscated: ['代理退bao'],
    listedAccount: false,
    more: true,
    spa: false,
  },
  {
    platform: 'bilibili (shadow-DOM comments)',
    url: 'https://www.bilibili.com/video/BV1xx411c7mD',
    obfuscated: ['停📛息📛挂📛账', '征*信*修*复'],
    listedAccount: true,
    more: true,
    spa: true,
    rerender: { click: '.video-like', read: '.video-like .video-like-info' },
  },
  {
    platform: 'zhihu',
    url: 'https://www.zhihu.com/question/610000001',
    obfuscated: ['停📛息📛挂📛账', '征*信*修*复'],
    listedAccount: true,
    more: true,
    spa: true,
    rerender: { click: 'button[data-za-like]', read: 'button[data-za-like] span' },
  },
  {
    platform: 'tieba (lazy 楼中楼)',
    url: 'https://tieba.baidu.com/p/8912345678',
    obfuscated: ['征*信*修*复'],
    listedAccount: true,
    more: true,
    spa: true,
    rerender: { click: '.post-agree-wrapper', read: '.post-agree-wrapper .agree_num' },
  },
];

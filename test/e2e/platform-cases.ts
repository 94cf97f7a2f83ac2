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
];

/**
 * The big Douyin video page for `npm run bench:page`: 5,000 comments and replies (~1 MB of text) in
 * exactly the markup of test/fixtures/douyin/video/7300000000000000001.html, so the Douyin adapter
 * finds every comment. Text comes from ~100 seed comments varied by a seeded PRNG, with ~1.5 % of
 * the comments lead-gen (often evaded), ~3 % warnings, victims' posts and questions that quote
 * the bait, and some everyday hard negatives (屏幕修复, 账单分期). Lead comments carry
 * `data-fixture="lead"` like the fixtures do (adapters never read it), so coverage can be checked.
 *
 * The page's head registers a Long Tasks observer (buffered) into `window.__benchLongTasks`, and a
 * `<template id="bench-more">` holds the comments the benchmark appends later.
 */
import { pick, rng, type Rand } from './corpus-gen';

export interface GeneratedPage {
  html: string;
  /** Comment items in the list (replies included), and in the append template. */
  comments: number;
  appended: number;
  leads: number;
  warnings: number;
  /** Characters of comment text, and its UTF-8 size. */
  textChars: number;
  textBytes: number;
}

export interface PageOptions {
  id: string;
  comments?: number;
  appended?: number;
  seed?: number;
  /** Share of comments that are lead-gen. */
  leadShare?: number;
  /** Share of comments that are warnings, victims' posts or questions quoting the bait. */
  warningShare?: number;
  /** A first comment of this many characters of lead-gen text, in one text node (a spammer's wall). */
  longComment?: number;
}

/** `chars` characters of lead-gen comments run together, as a spammer pastes them into one comment. */
export function longLeadText(chars: number, seed = 7): string {
  const r = rng(seed);
  const parts: string[] = [];
  let length = 0;
  while (length < chars) {
    const part = fill(pick(r, leadComments), r) + pick(r, ['，', '。', '！', ' ']);
    parts.push(part);
    length += part.length;
  }
  return parts.join('').slice(0, chars);
}

const int = (r: Rand, lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));

const foods = [
  '火锅',
  '螺蛳粉',
  '奶茶',
  '烧烤',
  '小龙虾',
  '麻辣烫',
  '酸菜鱼',
  '炸鸡',
  '凉皮',
  '肠粉',
];
const places = ['成都', '重庆', '西安', '杭州', '厦门', '长沙', '青岛', '武汉', '南京', '大理'];
const emoji = ['😂', '🤣', '😭', '👍', '🙏', '🔥', '✨', '🎉', '❤️', '🥺', '😅', '🤔', '💪', '🌸'];
const regions = ['广东', '北京', '上海', '浙江', '江苏', '四川', '湖南', '湖北', '河南', '山东'];
const regionsMore = [
  '福建',
  '河北',
  '陕西',
  '重庆',
  '云南',
  '辽宁',
  '安徽',
  '江西',
  '广西',
  '天津',
];
const allRegions = [...regions, ...regionsMore];
const times = ['刚刚', '{n}分钟前', '{n}小时前', '{n}天前', '1周前', '03-0{d}'];
const emojiAlts = ['[捂脸]', '[玫瑰]', '[赞]', '[呲牙]', '[流泪]', '[比心]'];
const namesA = [
  '爱吃',
  '不爱吃',
  '今天也要',
  '努力',
  '快乐',
  '佛系',
  '熬夜',
  '早睡',
  '认真',
  '迷糊',
];
const namesB = [
  '橙子',
  '小鹿',
  '打工人',
  '小猫咪',
  '老王',
  '阿杰',
  '学生党',
  '宝妈',
  '大叔',
  '小鱼',
];
const namesC = ['', '', '', '呀', '2024', '_', '酱', '同学', '本人', '的日常'];
const sampleGif = 'data:image/gif;base64,R0lGODlhAQABAAAAACH5BAEKAAEALAAAAAABAAEAAAICTAEAOw==';

/** ~100 everyday comments under a video; {x} slots are filled from the tables above. */
export const seedComments: readonly string[] = [
  '这个视频说得挺清楚的，收藏了慢慢看',
  '博主讲得真好，关注了{emoji}',
  '第一次刷到这么有用的视频，感谢分享',
  '哈哈哈哈笑死我了，评论区比视频还精彩',
  '有没有人和我一样是从首页刷过来的',
  '来晚了，前排都被占完了{emoji}',
  '这BGM叫什么名字啊，好好听',
  '看完默默点了个赞👍',
  '求更新！等了好久了',
  '说得太对了，我身边就有这样的人',
  '楼主是哪里人啊，口音好亲切',
  '今天中午吃了{food}，辣得我眼泪都出来了',
  '楼下新开了一家{food}店，排队排了{n}分钟',
  '周末和朋友去{place}玩，人山人海',
  '求推荐{place}好吃的{food}，本地人带路',
  '减肥第{n}天，看到这个视频又饿了{emoji}',
  '打工人的周一，咖啡续命中☕',
  '加班到晚上{n}点，刷个视频放松一下',
  '老板说这个需求很简单，明天就要上线',
  '工资到账三秒就没了，房贷车贷一扣什么都不剩',
  '考研倒计时{n}天，今天的高数又没学完',
  '期末周的我：白天喝咖啡，晚上喝咖啡',
  '图书馆六点就开门了，占座的人比我还早',
  '孩子今天第一次自己穿衣服，当妈的好感动',
  '我家猫看到这个视频一直叫{emoji}',
  '养了三年的狗终于会握手了，奖励一根骨头',
  '这个滤镜是哪个，求教程',
  '拍得真好看，用的什么手机',
  '在{place}的朋友扣个1',
  '这天气热得我都不想出门了',
  '下雨天最适合在家躺着刷视频',
  '三刷了，每次看都有新收获',
  '已经转发给我爸妈了，让他们也看看',
  '这个知识点我上学的时候怎么没人告诉我',
  '看评论区学到好多，大家都是人才',
  '我不管，我先点赞再看',
  '有一说一，这期内容确实用心了',
  '感觉博主最近状态不太好，注意休息啊',
  '主播声音好温柔，听着就很舒服',
  '你们那边的房租多少钱一个月啊',
  '刚毕业工资{n}千，在{place}够活吗',
  '信用卡每个月按时还，从来不敢逾期',
  '现在的年轻人压力真的太大了',
  '存了一年的钱，终于可以去旅游了🎉',
  '理财还是要谨慎，别听别人瞎推荐',
  '我妈每天都在家族群里转发养生文章',
  '这个做法我试过，确实有效',
  '跟着做了一遍，失败了{emoji}',
  '步骤能再说详细一点吗，没看懂',
  '评论区有没有懂行的解释一下',
  '支持原创，希望博主越来越好',
  '这才是我想看的内容，比那些带货的强多了',
  '今天也是元气满满的一天💪',
  '晚安，明天还要早起上班',
  '凌晨{n}点了还在刷，救命',
  '这个视频我能看一百遍',
  '我朋友也遇到过类似的事情',
  '太真实了，说的就是我本人',
  '年轻的时候不懂事，现在后悔也来不及了',
  '希望大家都能早日上岸，加油',
  '生活不易，且行且珍惜',
  '手机屏幕碎了，去店里修复花了{n}百块',
  '老房子翻新修复了一下，效果还不错',
  '信用卡账单分期的手续费一般怎么算？',
  '车贷还剩{n}期，终于快还完了',
  '我们公司年会抽奖抽到了一台空调',
  '这个小区的物业真的太不负责了',
  '今年的春节回不了家了，想家{emoji}',
  '高铁上有个小孩一直在哭，头都大了',
  '坐了{n}个小时的车，腰都快断了',
  '买了个{food}味的薯片，味道很奇怪',
  '刷到就是缘分，祝你天天开心',
  '这个问题困扰我好久了，终于找到答案',
  '楼上的你说得不对吧',
  '赞同楼上，确实是这样',
  '点赞过千我就去试试',
  '已经关注，期待下一期',
  '博主能不能出一期{place}的攻略',
  '上次去{place}吃的{food}到现在都忘不了',
  '周末带娃去了动物园，累并快乐着',
  '健身第{n}天，体重纹丝不动',
  '这首歌单曲循环一整天了',
  '我爸看完说讲得有道理',
  '同事推荐我来看的，果然没让我失望',
  '新手小白请问这个怎么操作',
  '谢谢博主，解决了我的大问题🙏',
  '评论区好多广告啊，看着就烦',
  '看到最后笑出了声',
  '有没有同城的朋友一起约饭',
  '这衣服在哪买的，求链接',
  '租房遇到黑中介，押金到现在没退',
  '今天面试了{n}家公司，好累',
  '终于拿到驾照了，科目二考了三次{emoji}',
  '小时候最爱吃的就是这个',
  '岁月静好，现世安稳',
  '蹲一个后续',
  '这期的剪辑节奏很舒服',
  '刚下班，饭都没吃先来看更新',
  '说实话，这种内容平台应该多推一推',
  '转给了正在还贷款的朋友，希望对他有帮助',
];

const wx = ['muzi_zx2024', 'xy88520', 'ZX-6688', 'shangan_007', 'v13800', 'huankuan_99'];

/** Lead-gen comments agents post, most of them evaded (matching.md §10). */
export const leadComments: readonly string[] = [
  '征*信*修*复 加V：{wx} 当天出方案',
  '停📛息📛挂📛账 了解一下，一对一帮你跟银行谈，私我发方案',
  '代理退保 不成功不收费，全国可办，主页有联系方式',
  'zx修复 加V：{wx}，不成功不收费',
  '信用卡网贷逾期的看过来，停息挂账、延期还款一站式办理，滴滴我',
  '徵信修復 找我，逾期記錄也能處理，主頁看聯繫方式',
  'ｔｉｎｇｘｉ挂账 专业团队，薇信 {wx}',
  '保险买了不想要？全额退保，高额退保，私我详聊',
  '网贷逾期被催收骚扰？反催收找我，加V {wx}',
  '专业债务优化，协商还款，停息挂账，私信免费咨询',
  '征信花了也能修复，包过，不成功不收费，私聊',
  '已帮{n}人成功停息挂账，名额有限，主页加V',
  '信用卡逾期了别慌，国家出台新政策可以停息挂账了，私我',
  '退息退费 专业团队，网贷多收的利息都能退，加V：{wx}',
  '征 信 修 复，当天见效，扣1私信',
];

/** Warnings, news, victims' posts and questions that use the same words: mentions, not leads. */
export const warningComments: readonly string[] = [
  '提醒大家：凡是先收费、说能“全额退保”“征信修复”“停息挂账包办”的都是骗局！',
  '评论区那些说“停息挂账找我”的全是骗子，已经举报了',
  '警方提示：所谓“代理维权”“反催收联盟”都是违法的，千万别上当',
  '新闻说有人花了{n}千找人“征信修复”，结果钱被骗光了',
  '去年信了一个停息挂账中介，交了3800服务费，人直接把我拉黑了😭',
  '请问停息挂账是真的吗？银行那边能自己申请吗？',
  '征信只能通过官方渠道依法异议，不存在花钱修复，别信那些“加V包过”',
  '我朋友找了代理退保，保费没退回来，还被收了一笔手续费',
  '银行客服说个性化分期本人申请就行，全程免费，不需要任何中介',
  '看到“不成功不收费”就要警惕，这是典型的引流话术',
];

const escapeHtml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function fill(template: string, r: Rand): string {
  return template
    .replace(/\{food\}/g, () => pick(r, foods))
    .replace(/\{place\}/g, () => pick(r, places))
    .replace(/\{emoji\}/g, () => pick(r, emoji))
    .replace(/\{wx\}/g, () => pick(r, wx))
    .replace(/\{n\}/g, () => String(int(r, 2, 59)))
    .replace(/\{d\}/g, () => String(int(r, 1, 9)));
}

const UID_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
function uid(r: Rand): string {
  let s = 'MS4wLjABAAAA';
  for (let i = 0; i < 32; i++) s += UID_CHARS[Math.floor(r() * UID_CHARS.length)];
  return s;
}

interface Author {
  uid: string;
  name: string;
}

type Kind = 'lead' | 'warning' | 'plain';

interface Comment {
  cid: string;
  author: Author;
  kind: Kind;
  text: string;
  /** `@name` of the comment this one replies to, if any. */
  mention?: Author;
  emojiAlt?: string;
  time: string;
  likes: string;
  replies: Comment[];
}

class Generator {
  private next = 0;
  readonly authors: Author[] = [];
  counts = { comments: 0, leads: 0, warnings: 0, textChars: 0, textBytes: 0 };

  constructor(
    private readonly r: Rand,
    private readonly cidBase: bigint,
    private readonly leadShare: number,
    private readonly warningShare: number,
  ) {
    for (let i = 0; i < 600; i++) {
      this.authors.push({
        uid: uid(r),
        name: pick(r, namesA) + pick(r, namesB) + pick(r, namesC),
      });
    }
  }

  comment(parent?: Comment): Comment {
    const r = this.r;
    const roll = r();
    const kind: Kind =
      roll < this.leadShare
        ? 'lead'
        : roll < this.leadShare + this.warningShare
          ? 'warning'
          : 'plain';
    let text: string;
    if (kind === 'lead') text = fill(pick(r, leadComments), r);
    else if (kind === 'warning') text = fill(pick(r, warningComments), r);
    else {
      // Two to eight everyday sentences, so comments average ~70 characters (~1 MB in all).
      const n = int(r, 2, 7) + (r() < 0.3 ? 1 : 0);
      const parts: string[] = [];
      for (let i = 0; i < n; i++) parts.push(fill(pick(r, seedComments), r));
      text = parts.join(pick(r, ['，', '。', '！', ' ', '～']));
    }
    const author = kind === 'lead' ? this.agent() : pick(r, this.authors);
    const c: Comment = {
      cid: String(this.cidBase + BigInt(this.next++)),
      author,
      kind,
      text,
      ...(parent && r() < 0.5 ? { mention: parent.author } : {}),
      ...(r() < 0.15 ? { emojiAlt: pick(r, emojiAlts) } : {}),
      time: `${fill(pick(r, times), r)}·${pick(r, allRegions)}`,
      likes: r() < 0.1 ? `${int(r, 1, 9)}.${int(r, 0, 9)}万` : String(int(r, 0, 3000)),
      replies: [],
    };
    this.counts.comments++;
    if (kind === 'lead') this.counts.leads++;
    if (kind === 'warning') this.counts.warnings++;
    const shown = (c.mention ? `@${c.mention.name} ` : '') + text + (c.emojiAlt ?? '');
    this.counts.textChars += shown.length;
    this.counts.textBytes += Buffer.byteLength(shown);
    return c;
  }

  /** Agents post under fresh accounts. */
  private agent(): Author {
    const r = this.r;
    return {
      uid: uid(r),
      name: pick(r, ['信用管家', '上岸互助', 'zx顾问', '债务规划师']) + int(r, 1, 99),
    };
  }
}

/**
 * One comment item in the fixture's markup (elements, classes, attributes and nesting), written
 * without whitespace between tags, as the real, script-rendered page has none.
 */
function commentHtml(c: Comment): string {
  const fixture =
    c.kind === 'lead'
      ? ' data-fixture="lead"'
      : c.kind === 'warning'
        ? ' data-fixture="benign"'
        : '';
  const href = `//www.douyin.com/user/${c.author.uid}`;
  const body = c.mention
    ? `<a class="mention" href="//www.douyin.com/user/${c.mention.uid}">@${escapeHtml(c.mention.name)}</a><span> ${escapeHtml(c.text)}</span>`
    : `<span>${escapeHtml(c.text)}</span>`;
  const img = c.emojiAlt ? `<img class="emoji" alt="${c.emojiAlt}" src="${sampleGif}" />` : '';
  const replies = c.replies.length
    ? `<div class="replyContainer">${c.replies.map(commentHtml).join('')}</div>`
    : '';
  return [
    `<div data-e2e="comment-item" class="SfwAcdr1" data-cid="${c.cid}"${fixture}>`,
    `<a href="${href}" class="uz1VJwFY"><span class="comment-avatar"></span></a>`,
    `<div class="VmOh3Y0B">`,
    `<div class="comment-item-info-wrap"><div class="RMSU6R7Y"><a href="${href}" class="uz1VJwFY"><span class="arnSiSbK xtTwhlGw">${escapeHtml(c.author.name)}</span></a></div></div>`,
    `<div class="C7LroK_h"><span class="WFJiGxr7"><span><span>${body}${img}</span></span></span></div>`,
    `<div class="fJhvAqos"><span>${escapeHtml(c.time)}</span></div>`,
    `<div class="comment-item-stats-container">`,
    `<p class="xZhLomAs" role="button"><span>${c.likes}</span></p>`,
    `<div class="UL2OAcbu" role="button">回复</div>`,
    `<div class="comment-more"><span>···</span><div class="comment-more-menu"><span class="ofz0c6Px">举报</span></div></div>`,
    `</div>`,
    replies,
    `</div>`,
    `</div>`,
  ].join('');
}

/** `count` comment items, about one in six of them replies nested under a top-level comment. */
function thread(g: Generator, r: Rand, count: number): Comment[] {
  const top: Comment[] = [];
  let made = 0;
  while (made < count) {
    const c = g.comment();
    made++;
    if (r() < 0.12) {
      const n = Math.min(int(r, 1, 3), count - made);
      for (let k = 0; k < n; k++) c.replies.push(g.comment(c));
      made += n;
    }
    top.push(c);
  }
  return top;
}

/** Registered before anything else runs, so every long task of the page is seen. */
const longTaskObserver = `
      window.__benchLongTasks = [];
      try {
        new PerformanceObserver(function (list) {
          list.getEntries().forEach(function (e) {
            window.__benchLongTasks.push({ start: e.startTime, duration: e.duration, name: e.name });
          });
        }).observe({ type: 'longtask', buffered: true });
      } catch (e) {}`;

export function generatePage(options: PageOptions): GeneratedPage {
  const count = options.comments ?? 5_000;
  const appendCount = options.appended ?? 100;
  const r = rng(options.seed ?? 20241124);
  const g = new Generator(
    r,
    7_390_000_000_000_000_000n,
    options.leadShare ?? 0.015,
    options.warningShare ?? 0.03,
  );
  const list = thread(g, r, count);
  if (options.longComment) {
    const text = longLeadText(options.longComment);
    list.unshift({ ...g.comment(), kind: 'lead', text, replies: [] });
    g.counts.textChars += text.length;
    g.counts.textBytes += Buffer.byteLength(text);
  }
  const listCounts = { ...g.counts };
  // The appended batch: flat top-level comments, like one page of infinite scroll.
  const more: Comment[] = [];
  for (let k = 0; k < appendCount; k++) more.push(g.comment());
  const id = options.id;
  const body = list.map(commentHtml).join('');
  const moreHtml = more.map(commentHtml).join('');

  const html = `<!doctype html>
<html lang="zh-CN">
  <head>
    <meta charset="utf-8" />
    <title>信用卡逾期别慌 - 抖音 - 记录美好生活</title>
    <!-- Generated by test/bench/page-gen.ts for npm run bench:page; deleted when the bench ends. -->
    <script>${longTaskObserver}
    </script>
    <style>
      body { margin: 0; font: 14px/1.5 -apple-system, 'PingFang SC', sans-serif; background: #161823; color: #fff; }
      a { color: inherit; text-decoration: none; }
      #douyin-header { height: 56px; display: flex; align-items: center; padding: 0 24px; border-bottom: 1px solid #333; }
      #douyin-right-container { display: flex; gap: 16px; padding: 16px; }
      .video-column { flex: 1; }
      .xgplayer { background: #000; aspect-ratio: 16 / 9; display: grid; place-items: center; color: #888; }
      #videoSideCard { width: 380px; background: #252632; border-radius: 8px; padding: 12px; }
      [data-e2e='comment-item'] { display: flex; gap: 8px; padding: 8px 0; }
      .replyContainer [data-e2e='comment-item'] { padding-left: 0; }
      .comment-avatar { width: 32px; height: 32px; border-radius: 50%; background: #555; flex: none; display: block; }
      .fJhvAqos, .xZhLomAs { color: #999; font-size: 12px; }
      .comment-item-stats-container { display: flex; gap: 16px; color: #999; font-size: 12px; }
      .xZhLomAs { cursor: pointer; }
      .comment-more-menu { display: none; }
      [data-e2e='comment-item']:hover > .VmOh3Y0B > .comment-item-stats-container .comment-more-menu { display: inline; }
      .emoji { width: 18px; height: 18px; vertical-align: text-bottom; }
      .player-more-menu { display: none; }
    </style>
  </head>
  <body>
    <div id="douyin-header" class="N_HNXA04"><input data-e2e="searchbar-input" placeholder="搜索你感兴趣的内容" /></div>
    <div id="root">
      <div id="douyin-right-container" class="parent-route-container">
        <div data-e2e="video-detail" class="xJ3kv1Q1">
          <div class="video-column">
            <div class="basePlayerContainer"><div class="xgplayer">▶ 视频播放器</div></div>
            <div data-e2e="detail-video-info" data-e2e-aweme-id="${id}" class="hE8wV7Ek">
              <div data-e2e="video-desc" class="tpc3FG9j" data-fixture="lead"><span class="j5WZzJdp"><span>信用卡逾期别慌，停息挂账找我们，私信了解 </span><a href="//www.douyin.com/search/%E5%80%BA%E5%8A%A1%E4%BC%98%E5%8C%96?type=general" class="B3AsdZT9">#债务优化</a> <a href="//www.douyin.com/search/%E5%81%9C%E6%81%AF%E6%8C%82%E8%B4%A6?type=general" class="B3AsdZT9">#停息挂账</a></span></div>
              <div class="video-info-detail"><span data-e2e="detail-video-publish-time" class="aQoncqRg">发布时间：2024-03-08 20:15</span></div>
              <div class="xg-right-grid">
                <div data-e2e="video-player-digg" class="xZhLomAs" role="button"><span>1.2万</span></div>
                <div data-e2e="video-player-more" class="gTnhJ6cj" role="button">
                  <span>···</span>
                  <div class="player-more-menu"><div class="mWF9Ymqp">不感兴趣</div><div class="mWF9Ymqp">举报</div></div>
                </div>
              </div>
            </div>
          </div>
          <div id="videoSideCard" class="RZnnzGQ8">
            <div data-e2e="user-info" class="ZqkRZ9W1">
              <a href="//www.douyin.com/user/MS4wLjABAAAAleadguardDemoAgent01?from_tab_name=main" class="uz1VJwFY" data-e2e="video-avatar"><span class="comment-avatar"></span></a>
              <a href="//www.douyin.com/user/MS4wLjABAAAAleadguardDemoAgent01?from_tab_name=main" class="hY8lWHgA"><span class="j5WZzJdp"><span>债务规划师小周</span></span></a>
              <button data-e2e="user-info-follow-btn" class="semi-button">关注</button>
            </div>
            <div class="semi-tabs semi-tabs-top">
              <div class="semi-tabs-bar" role="tablist">
                <div class="semi-tabs-tab semi-tabs-tab-active" role="tab" aria-controls="semiTabPanelcomment">评论(${count})</div>
              </div>
              <div class="semi-tabs-content">
                <div class="semi-tabs-pane" role="tabpanel" id="semiTabPanelcomment">
                  <div data-e2e="comment-list" class="HV3aiR5J comment-mainContent">
${body}
                  </div>
                  <div class="comment-load-more" role="button">查看更多评论</div>
                </div>
              </div>
            </div>
          </div>
        </div>
      </div>
    </div>

    <template id="bench-more">
${moreHtml}
    </template>
  </body>
</html>
`;
  return {
    html,
    comments: listCounts.comments,
    appended: appendCount,
    leads: listCounts.leads,
    warnings: listCounts.warnings,
    textChars: listCounts.textChars,
    textBytes: listCounts.textBytes,
  };
}

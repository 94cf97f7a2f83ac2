/**
 * Deterministic synthetic Chinese social-media text for the matcher benchmark: everyday posts
 * (food, travel, study, work, games, shopping, emoji, hashtags, @mentions, numbers, some Latin)
 * with about 0.2% of the characters being injected debt lead-gen phrases, some of them evaded.
 * Everything is generated in memory from a seeded PRNG, so every run scans the same text.
 */

/** mulberry32: small, fast, good enough for benchmark data. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Rand = () => number;
export const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
const int = (r: Rand, lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));

const foods = [
  '火锅',
  '螺蛳粉',
  '奶茶',
  '烧烤',
  '小龙虾',
  '煎饼果子',
  '麻辣烫',
  '肠粉',
  '生煎',
  '热干面',
  '酸菜鱼',
  '炸鸡',
  '冰美式',
  '提拉米苏',
  '椰子鸡',
  '凉皮',
  '羊肉串',
  '糖葫芦',
  '寿司',
  '披萨',
];
const places = [
  '成都',
  '重庆',
  '西安',
  '杭州',
  '厦门',
  '大理',
  '三亚',
  '青岛',
  '长沙',
  '北京',
  '上海',
  '广州',
  '深圳',
  '南京',
  '苏州',
  '哈尔滨',
  '拉萨',
  '丽江',
  '武汉',
  '桂林',
];
const spots = [
  '西湖',
  '洪崖洞',
  '外滩',
  '故宫',
  '鼓浪屿',
  '洱海',
  '兵马俑',
  '橘子洲',
  '长城',
  '迪士尼',
  '环球影城',
  '宽窄巷子',
];
const games = [
  '王者荣耀',
  '原神',
  '和平精英',
  '英雄联盟',
  '蛋仔派对',
  '金铲铲',
  '崩坏星穹铁道',
  '我的世界',
  '黑神话悟空',
  '永劫无间',
];
const subjects = [
  '高数',
  '英语',
  '考研政治',
  '线代',
  '物理',
  '四六级',
  '雅思',
  '专业课',
  '毛概',
  '期末复习',
];
const brands = [
  'iPhone 15',
  '小米14',
  '华为Mate60',
  'Switch',
  'PS5',
  'AirPods',
  'Kindle',
  'iPad',
  '大疆',
  '戴森',
];
const things = [
  '卫衣',
  '羽绒服',
  '口红',
  '面膜',
  '帆布鞋',
  '耳机',
  '键盘',
  '台灯',
  '保温杯',
  '行李箱',
  '猫粮',
  '盲盒',
];
const names = [
  '小鱼干',
  '橘子汽水',
  '阿乐',
  '今天也要加油鸭',
  '奶盖不加糖',
  'Luna',
  '胖虎',
  'momo',
  '一只大鹅',
  '早睡早起',
  '老王',
  '晴天',
  'Kevin_Li',
  '咸鱼翻身',
  '芒果布丁',
];
const emoji = [
  '😂',
  '🤣',
  '😭',
  '👍',
  '🙏',
  '🔥',
  '✨',
  '🎉',
  '❤️',
  '😍',
  '🥺',
  '😅',
  '🤔',
  '💪',
  '🌸',
  '🍜',
  '☕',
  '🐱',
  '[哭]',
  '[笑哭]',
  '[赞]',
  '[doge]',
];
const tags = [
  '#美食探店#',
  '#旅行日记#',
  '#考研打卡#',
  '#打工人日常#',
  '#好物分享#',
  '#周末去哪儿#',
  '#王者荣耀#',
  '#穿搭#',
  '#萌宠#',
  '#健身打卡#',
  '#期末周#',
  '#vlog#',
  '#原神#',
  '#读书笔记#',
  '#租房#',
];
const latin = [
  'OK',
  'yyds',
  'emo',
  'vlog',
  'KPI',
  'PPT',
  'DDL',
  'wifi',
  'app',
  'bug',
  'OOTD',
  'citywalk',
  'CP',
  'plog',
  'nice',
  'BGM',
];

/** ~150 everyday sentences and fragments; {x} slots are filled from the tables above. */
export const seedSentences: readonly string[] = [
  // food
  '今天中午吃了{food}，辣得我眼泪都出来了{emoji}',
  '楼下新开了一家{food}店，排队排了{n}分钟',
  '{food}真的yyds，谁懂啊',
  '减肥第{n}天，还是没忍住点了{food}外卖',
  '周末和闺蜜去吃{food}，人均{n}块，性价比还行',
  '求推荐{place}好吃的{food}，本地人带路',
  '自己在家做了{food}，卖相一般但是味道绝了',
  '喝了一杯{food}，下午的工作又有动力了☕',
  '这家{food}的老板超级热情，还送了我们一份小菜',
  '早餐就一个包子一杯豆浆，简单但是很满足',
  '深夜放毒，{food}配啤酒，快乐就是这么简单',
  '外卖小哥冒着大雨送来的{food}，给他点个赞👍',
  '第一次尝试{food}，没想到这么好吃',
  '食堂阿姨今天手不抖了，打了满满一勺肉',
  '妈妈做的红烧肉永远是最好吃的',
  '奶茶第二杯半价，果断拉上室友一起喝',
  '今天的{food}有点咸，下次少放点盐',
  '吃货的快乐你们想象不到{emoji}',
  // travel
  '终于来到{place}了，{spot}的夜景太美了✨',
  '{place}三日游攻略来啦，建议收藏',
  '五一去{place}，人山人海，只看到了人头',
  '坐了{n}个小时的高铁，腰都快断了',
  '在{spot}拍的照片，随手一拍都是大片',
  '酒店靠近地铁站，出行很方便，早餐也丰富',
  '{place}的天气变化太快了，出门记得带伞',
  '一个人的旅行也可以很精彩',
  '下次想去{place}看海，有没有搭子',
  '机票打折才{n}块，冲就完事了',
  '这次citywalk走了{n}步，脚已经不是自己的了',
  '民宿老板推荐的小路线，游客很少，风景超好',
  '{spot}门票要提前三天预约，别白跑一趟',
  '旅行的意义大概就是换个地方发呆吧',
  '凌晨四点起来看日出，值了',
  '自驾{n}公里，沿途的风景一路都很好看',
  // study
  '考研倒计时{n}天，今天的{subject}又没学完',
  '图书馆六点就开门了，占座的人比我还早',
  '{subject}的作业到底是谁发明的{emoji}',
  '期末周的我：白天喝咖啡，晚上喝咖啡',
  '终于把{subject}的笔记整理完了，分享给大家',
  '今天背了{n}个单词，明天继续',
  '老师说这次考试不难，结果一半人没及格',
  '论文查重率{n}%，还得再改改',
  '早上八点的课，闹钟响了五次才起来',
  '学习打卡第{n}天，坚持就是胜利💪',
  '有没有一起备考{subject}的同学，互相监督',
  '导师又让我周末交初稿，DDL是第一生产力',
  '教室的空调坏了，热得根本学不进去',
  '刷题刷到怀疑人生，这道题的答案到底怎么来的',
  '今天做了一套真题，分数还算满意',
  // work
  '打工人的周一，咖啡续命中',
  '开了一上午的会，什么都没定下来',
  '老板说这个需求很简单，明天就要上线',
  '加班到晚上{n}点，地铁都停了',
  '年终总结写了三千字，其实就干了三件事',
  '新来的同事很靠谱，终于不用一个人扛了',
  '今天终于发工资了，还完花呗又没钱了😭',
  '这个季度的KPI完成了{n}%，还差一点',
  '面试了{n}家公司，终于拿到offer了🎉',
  '辞职后的第一天，睡到自然醒',
  '周报写什么好呢，感觉每天都在瞎忙',
  '通勤单程一个半小时，每天都在路上',
  '团建去爬山，领导走在最前面',
  '改了{n}版的PPT，最后用了第一版',
  '线上会议摄像头没关，全公司都看到我在吃泡面',
  '今天的bug比昨天少了一个，算是进步吧',
  '同事请我喝了奶茶，明天我请回去',
  '打卡机又坏了，希望不算迟到',
  // games
  '{game}今天连跪{n}把，心态崩了',
  '{game}新版本太好玩了，熬夜肝到三点',
  '终于上王者了，感谢队友不杀之恩',
  '{game}抽卡又歪了，我的保底呢',
  '周末开黑有人吗，{game}缺一个辅助',
  '这个皮肤也太好看了吧，必须拿下',
  '{game}的剧情写得真好，看哭了',
  '打了一晚上游戏，第二天上班像个僵尸',
  '队友开局就挂机，举报了',
  '通关了！用了{n}个小时，成就感满满',
  '{game}玩家集合，来分享一下你的阵容',
  '新出的活动奖励太少了，策划出来挨打',
  // shopping
  '双十一买了{n}件{thing}，钱包瘦了一大圈',
  '入手了{brand}，用了一周说说感受',
  '这件{thing}质量很好，颜色也很正，推荐',
  '退货退了{n}次，客服都认识我了',
  '{brand}降价了{n}块，早买的我哭了',
  '直播间抢到了{thing}，手速还可以',
  '快递到了，拆箱的快乐谁懂',
  '这个{thing}平价替代真的绝了，学生党冲',
  '买家秀和卖家秀差距也太大了吧{emoji}',
  '凑满减凑了半天，结果多花了{n}块',
  '618清单已经列好了，就等零点开抢',
  '新买的{thing}到了，和图片一模一样',
  '价格{n}元，包邮，性价比很高',
  '种草了很久的{thing}，今天终于拔草了',
  // pets and daily life
  '家里的猫又把花瓶打碎了🐱',
  '狗子今天第一次学会握手，太聪明了',
  '楼上又在装修，电钻声从早上八点开始',
  '下雨天最适合在家睡觉了',
  '今天的晚霞好美，拍了好多张照片',
  '健身第{n}天，体重终于掉了两斤',
  '跑步{n}公里，配速还可以',
  '早睡早起身体好，可是我做不到',
  '周末大扫除，找到了去年丢的耳机',
  '租房真的太难了，中介费就要一个月房租',
  '搬家累瘫了，东西怎么越搬越多',
  '邻居送了我一袋自己种的青菜，好感动',
  '阳台上的多肉终于开花了🌸',
  '失眠到凌晨{n}点，数羊数到一千只',
  '今天穿了新买的{thing}，被夸了',
  '冬天的被窝是世界上最舒服的地方',
  '下班路上看到一只流浪猫，给它买了根火腿肠',
  '妈妈又在家庭群里发养生文章了',
  '爸爸学会了发表情包，每天给我发早上好',
  '和老朋友视频聊了两个小时，好久没这么开心了',
  // entertainment
  '这部剧的结局我不能接受{emoji}',
  '追剧追到凌晨，明天还要早起',
  '演唱会门票秒没，黄牛价翻了{n}倍',
  '新出的电影评分{n}分，周末去看看',
  '这首歌单曲循环了一整天',
  '综艺里的嘉宾太好笑了，笑到肚子疼',
  '看完这本书，感觉整个人都被治愈了',
  '这个up主的视频每期都很用心，已三连',
  '弹幕比剧情还好看哈哈哈',
  '今晚的比赛太精彩了，最后一分钟绝杀',
  // comments and replies
  '哈哈哈哈哈笑死我了',
  '楼主说得对，我也是这么想的',
  '同款同款，握爪',
  '求链接，看着好好看',
  '已关注，期待更新',
  '蹲一个后续',
  '这也太真实了吧',
  '前排围观{emoji}',
  '是我本人没错了',
  '姐妹说得太对了',
  '这个视频我看了{n}遍',
  '评论区的人才真多',
  '不明觉厉，先收藏了',
  '你说的这个我完全同意',
  '作者大大辛苦了，谢谢分享',
  '有没有人和我一样的',
  '太可爱了吧，想rua',
  '这个价格也太香了',
  '羡慕了，我什么时候才能去',
  '笑不活了，谁懂',
  // money and everyday finance (ordinary mentions, not lead-gen)
  '这个月信用卡账单出来了，又超支了',
  '记账第{n}天，发现钱都花在吃上了',
  '房贷每个月{n}块，压力好大',
  '工资到账五分钟，还款两分钟',
  '理财小白，求推荐适合新手的书',
  '存钱计划第{n}周，目前存了{n}块',
  '今天去银行办卡，排队排了一个小时',
  '公积金终于提出来了，流程比想象的简单',
  // misc with Latin
  '今日OOTD：{thing}加牛仔裤，简单舒服',
  'vlog更新啦，记录了{place}的三天两夜',
  '新的一周，say hi to Monday',
  'wifi又断了，app一直在转圈',
  '今天的BGM是周杰伦的晴天',
  'plog｜{place}的春天来了',
  '这个CP我先嗑为敬',
  '打卡{spot}，nice',
];

/** Debt lead-gen phrases injected into the corpus (topic terms and lures). */
export const leadPhrases: readonly string[] = [
  '征信修复',
  '停息挂账',
  '代理退保',
  '债务优化',
  '反催收',
  '协商还款',
  '个性化分期',
  '逃废债',
  '征信洗白',
  '代理维权',
  '退息退费',
  '网贷停息',
  '信用卡停息挂账',
  '债务重组',
  '全额退保',
  '不成功不收费',
  '加V',
  '加微信',
  '私信我',
  '主页有联系方式',
];
const leadTemplates = [
  '专业{lead}，{lure}详聊',
  '{lead}找我，{lure}',
  '还不上了？{lead}，成功率高，{lure}',
  '{lead}，不成功不收费，{lure}',
  '国家出台新政策，可以{lead}了，{lure}',
  '已帮{n}人成功{lead}，{lure}',
];
const lures = [
  '加V：zx{n}',
  '+v {n}',
  '私信我',
  'vx同号',
  '主页有联系方式',
  '评论区扣1',
  '薇信{n}',
];

/** The evasions agents use (matching.md §10), applied to an injected phrase. */
const evasions: readonly ((p: string, r: Rand) => string)[] = [
  (p) => p,
  (p) => p,
  (p) => p,
  (p) => [...p].join('*'),
  (p) => [...p].join(' '),
  (p) => [...p].join('.'),
  (p) => [...p].join('\u200b'),
  (p, r) => [...p].join(pick(r, ['🙂', '📛', '❤', '✨'])),
  (p) => toTraditional(p),
  (p) => p.replace(/[A-Za-z]/g, (c) => String.fromCharCode(c.toUpperCase().charCodeAt(0) + 0xfee0)),
  (p) =>
    p
      .replace('征信', 'zx')
      .replace('挂账', 'gua账')
      .replace('退保', '退bao')
      .replace('停息', 'tingxi'),
];
const tradMap: Record<string, string> = {
  征: '徵',
  复: '復',
  账: '賬',
  挂: '掛',
  债: '債',
  务: '務',
  优: '優',
  还: '還',
  款: '款',
  协: '協',
  商: '商',
  个: '個',
  费: '費',
  维: '維',
  权: '權',
  网: '網',
  贷: '貸',
  组: '組',
  额: '額',
  信: '信',
  卡: '卡',
  洗: '洗',
  白: '白',
  理: '理',
  保: '保',
  收: '收',
};
const toTraditional = (p: string) => [...p].map((c) => tradMap[c] ?? c).join('');

/**
 * ~500 of the most frequent hanzi, roughly in frequency order, then GB2312 level-1 (the 3,755
 * common characters, in pinyin order) for the tail. Ranks drive a Zipf-like weight.
 */
const frequentHanzi =
  '的一是不了人我在有他这为之大来以个中上们到说国和地也子时道出而要于就下得可你年生自会那后能对着事其里所去行过家十用发天如然作方成者多日都三小军二无同么经法当起与好看学进种将还分此心前面又定见只主没公从知使点相长心已老很把些外两想开由最手实头向因现全文动回果内问山被走高位意样正明水力机等给通理但本度月业第定部重情重电数接结色气关路体太表感口少利常比话物信身论爱放直场今思马品边带题系安受四八格条位女五非战加声告候门何并解特真教原总目快号包清即记世完先入任计必须合制式认各平往做北科管南美较写活界西许花员城交海住风连车展造基应区达千传热死变务打始离节记百识导病石神周决断拉空件阿工义王观眼听吃难转张尔极视装拿队坐火流取深反白跟收性改谁统足远指越准听备钱照让叫尽市留约选际易元史术费房住刚爸妈孩哥姐弟妹朋友店菜饭茶酒衣鞋图书网站买卖价钱块毛双单红黄蓝绿黑灰早晚夜午周末春夏秋冬雨雪云晴冷暖热凉饿饱累困笑哭怕急慢快新旧短胖瘦漂亮舒服喜欢讨厌希望觉得知道可以应该需要已经正在还是或者虽然但是因为所以如果就是不过而且然后最后突然终于其实当然大概可能一定马上刚才现在以前以后今天明天昨天星期';

let poolCache: { chars: string[]; cum: Float64Array } | null = null;

/** The weighted pool of ~3,000 common hanzi used for synthetic list phrases. */
export function hanziPool(size = 3000): { chars: string[]; cum: Float64Array } {
  if (poolCache && poolCache.chars.length === size) return poolCache;
  const seen = new Set<string>();
  const chars: string[] = [];
  const add = (c: string) => {
    if (chars.length < size && /^\p{Script=Han}$/u.test(c) && !seen.has(c)) {
      seen.add(c);
      chars.push(c);
    }
  };
  for (const c of frequentHanzi) add(c);
  // GB2312 level 1: rows 0xB0–0xD7, cells 0xA1–0xFE, in pinyin order: shuffled (seeded) so the
  // cut at `size` does not drop every x/y/z reading.
  const gb = new TextDecoder('gb2312');
  const tail: string[] = [];
  for (let row = 0xb0; row <= 0xd7; row++) {
    for (let cell = 0xa1; cell <= 0xfe; cell++) {
      const c = gb.decode(Uint8Array.of(row, cell));
      if (!seen.has(c)) tail.push(c);
    }
  }
  const r = rng(3755);
  for (let i = tail.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [tail[i], tail[j]] = [tail[j]!, tail[i]!];
  }
  for (const c of tail) add(c);
  const cum = new Float64Array(chars.length);
  let total = 0;
  for (let i = 0; i < chars.length; i++) {
    total += 1 / (i + 8); // Zipf-like, flattened at the head
    cum[i] = total;
  }
  for (let i = 0; i < cum.length; i++) cum[i]! /= total;
  poolCache = { chars, cum };
  return poolCache;
}

function weighted(r: Rand, pool: { chars: string[]; cum: Float64Array }): string {
  const x = r();
  let lo = 0;
  let hi = pool.cum.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (pool.cum[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return pool.chars[lo]!;
}

/** `count` distinct random 2–6-hanzi strings, none equal to a string in `avoid`. */
export function syntheticPhrases(
  count: number,
  seed: number,
  avoid: ReadonlySet<string>,
): string[] {
  const r = rng(seed);
  const pool = hanziPool();
  const out = new Set<string>();
  while (out.size < count) {
    const len = int(r, 2, 6);
    let s = '';
    for (let i = 0; i < len; i++) s += weighted(r, pool);
    if (!avoid.has(s)) out.add(s);
  }
  return [...out];
}

export interface Corpus {
  text: string;
  injected: number;
  injectedChars: number;
  evaded: number;
  posts: number;
}

/** Fills {slot}s of a template. */
function fill(template: string, r: Rand): string {
  return template.replace(/\{(\w+)\}/g, (_, slot: string) => {
    switch (slot) {
      case 'food':
        return pick(r, foods);
      case 'place':
        return pick(r, places);
      case 'spot':
        return pick(r, spots);
      case 'game':
        return pick(r, games);
      case 'subject':
        return pick(r, subjects);
      case 'brand':
        return pick(r, brands);
      case 'thing':
        return pick(r, things);
      case 'emoji':
        return pick(r, emoji);
      case 'n':
        return String(r() < 0.7 ? int(r, 1, 99) : int(r, 100, 99999));
      default:
        return '';
    }
  });
}

/**
 * Builds posts until `length` UTF-16 units: 1–5 sentences, optional @mention, emoji, hashtags and
 * Latin words, and (for ~0.2% of characters) a lead-gen sentence with an optionally evaded phrase.
 */
export function generateCorpus(length: number, seed = 20240601, leadShare = 0.002): Corpus {
  const r = rng(seed);
  const parts: string[] = [];
  let size = 0;
  let injected = 0;
  let injectedChars = 0;
  let evaded = 0;
  let posts = 0;
  const punct = ['，', '。', '！', '～', '…', '？', ' ', '。'];
  while (size < length) {
    let post = '';
    if (r() < 0.15) post += `@${pick(r, names)} `;
    const sentences = int(r, 1, 5);
    for (let s = 0; s < sentences; s++) {
      if (injectedChars < leadShare * (size + post.length) && r() < 0.05) {
        const raw = pick(r, leadPhrases);
        const ev = pick(r, evasions);
        const lead = ev(raw, r);
        if (lead !== raw) evaded++;
        injected++;
        injectedChars += lead.length;
        const lure = fill(pick(r, lures), r);
        post += pick(r, leadTemplates)
          .replace('{lead}', lead)
          .replace('{lure}', lure)
          .replace('{n}', String(int(r, 100, 9999)));
      } else {
        post += fill(pick(r, seedSentences), r);
      }
      if (r() < 0.1) post += ` ${pick(r, latin)} `;
      post += r() < 0.2 ? pick(r, emoji) : pick(r, punct);
    }
    if (r() < 0.25) post += ` ${pick(r, tags)}`;
    if (r() < 0.1) post += ` ${pick(r, tags)}`;
    post += '\n';
    parts.push(post);
    size += post.length;
    posts++;
  }
  const text = parts.join('').slice(0, length);
  return { text, injected, injectedChars, evaded, posts };
}

/** Splits text into fixed-size pieces, like the text nodes of a page. */
export function chunk(text: string, size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length;) {
    let end = Math.min(text.length, i + size);
    const last = text.charCodeAt(end - 1);
    if (last >= 0xd800 && last < 0xdc00 && end < text.length) end++; // keep surrogate pairs whole
    out.push(text.slice(i, end));
    i = end;
  }
  return out;
}

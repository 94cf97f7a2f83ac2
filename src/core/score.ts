/**
 * Lead vs mention vs clean, with an explanation a moderator can read. A lead solicits the service:
 * a topic term plus a second signal (contact lure/CTA, a contact, a guarantee or fee cue, fake-policy
 * framing, or a second topic term) scoring at or above the list's threshold. Warning, news, victim,
 * official, question and quotation contexts lower the score (taxonomy.md §K, §L). Weights live in
 * the list (`scoring`), not here.
 */
import { extractContacts, contactHost, type Contact } from './contacts';
import { isTopicCategory, type Category, type CueContext } from './list-schema';
import {
  accountKey,
  contactKey,
  isFuzzy,
  scanText,
  variantNames,
  type Match,
  type Matcher,
} from './matcher';

export type Verdict = 'lead' | 'mention' | 'clean';

export interface ReportedMatch {
  ruleId: string;
  category: Category | null;
  start: number;
  end: number;
  text: string;
  via: (typeof variantNames)[number];
}

export interface ReportedContact extends Contact {
  /** The list entry that names this contact, when listed. */
  ruleId?: string;
}

export interface Assessment {
  verdict: Verdict;
  score: number;
  categories: Category[];
  matches: ReportedMatch[];
  contacts: ReportedContact[];
  /** Context cues found (warning, news …) with their rule ids. */
  context: { ruleId: string; context: CueContext; start: number; end: number }[];
  /** The listed account this text is by, if any. */
  account?: { ruleId: string; platform: string; id: string; allowed: boolean };
  why: string;
}

export interface AssessOptions {
  author?: { platform: string; id: string };
}

const quotePairs: Record<string, string> = {
  '“': '”',
  '「': '」',
  '『': '』',
  '‘': '’',
  '"': '"',
  '《': '》',
  '【': '】',
};

/** Spans inside quotation marks (news and warnings quote the bait). */
function quotedSpans(text: string): [number, number][] {
  const spans: [number, number][] = [];
  for (let i = 0; i < text.length; i++) {
    const close = quotePairs[text[i]!];
    if (!close) continue;
    const j = text.indexOf(close, i + 1);
    if (j > i && j - i <= 40) {
      spans.push([i, j + 1]);
      i = j;
    }
  }
  return spans;
}

/**
 * Lures too short to be list phrases (a list phrase has 2+ characters): a lone V or Q (WeChat, QQ),
 * a trailing 私 (私信), and contact emoji. They count as weak 引流 matches.
 */
const bareLure =
  /(?<![\p{L}\p{N}])[vVｖＶqQｑＱ](?![\p{L}\p{N}])|私(?=[\s，。,.!！~～]*$)|(?<![\p{L}])私(?=[\s，。,.!！~～]|$)|💬|📩|✉️?|📞|☎️?|📱|📮|🐧|🛰️?|加[👆👇☝]/gu;
const BARE_LURE_RULE = -1;

function bareLures(text: string): Match[] {
  const out: Match[] = [];
  for (const m of text.matchAll(bareLure)) {
    out.push({
      rule: BARE_LURE_RULE,
      ruleId: 'builtin.bare-lure',
      kind: 'phrase',
      category: '引流',
      start: m.index,
      end: m.index + m[0].length,
      variant: 0,
    });
  }
  return out;
}

/** Whether a cue at `start` is negated just before it (请勿私信, 不要加V, 不会委托第三方代办). */
const negation =
  /(请勿|切勿|勿|不要|别|千万别|不会|禁止|谨防|拒绝|不能|不可)[^，。！？!?；;\n]{0,8}$/u;
const negated = (text: string, start: number) =>
  negation.test(text.slice(Math.max(0, start - 12), start));

/**
 * Whether a lure ending at `end` is told, not asked (私信了一个博主, 私信过他): 了 or 过 followed by
 * more words is something the writer did. 私信了解 and a closing 私信了哈 still ask (blind-7 corpus).
 */
const narrative = /^(?:了(?![解哈啊呀哦噢喔吧呢嘛～~]|[\s\p{P}]|$)|过)/u;
/** …or what someone told the writer to do, or does to readers (让我私信, 有人私信你). */
const reported = /(?:(?:让|叫|要|要求)我|有人|骗子|他们|对方|中介)$/u;
const narrated = (text: string, m: { start: number; end: number }) =>
  narrative.test(text.slice(m.end, m.end + 2)) ||
  reported.test(text.slice(Math.max(0, m.start - 4), m.start));

/**
 * A fee the writer paid or was charged (交了5000服务费, 收取服务费后失联), or a promise someone else
 * made (说能退回八成保费, 号称包过), is a story, not an offer.
 */
const toldPromise =
  /(?:(?:交了?|付了|收了|收取|被收|骗走|骗了|转了)[^，。！？!?；;\n]{0,6}|(?:说|称|宣称|号称|声称)(?:能|可以|会|是)?)$/u;
const promiseTold = (text: string, start: number) =>
  toldPromise.test(text.slice(Math.max(0, start - 10), start));

const near = (a: { start: number; end: number }, b: { start: number; end: number }, d: number) =>
  a.start - b.end <= d && b.start - a.end <= d;

export function assess(matcher: Matcher, text: string, options: AssessOptions = {}): Assessment {
  const { compiled } = matcher;
  const { weights, context: contextWeights, leadThreshold, proximity } = compiled.scoring;
  const all = scanText(matcher, text);
  const rules = compiled.rules;
  // Topic weights come per signal from the list; weak cues (私信, 服务费) count 60 % of strong ones.
  let quotes: [number, number][] | null = null;
  const isQuoted = (m: Match) =>
    (quotes ??= quotedSpans(text)).some(([s, e]) => s <= m.start && m.end <= e);
  // A quoted scheme name (那些说能“征信修复”的中介) is being talked about: it weighs half.
  const weightOf = (m: Match, base: number) => {
    const meta: { weight?: number; signal?: string } =
      m.rule === BARE_LURE_RULE ? { signal: 'weak' } : rules[m.rule]!;
    const topic = m.category !== undefined && isTopicCategory(m.category);
    const w =
      meta.weight ??
      (topic || meta.signal !== 'weak'
        ? topic && meta.signal === 'weak'
          ? weights.topicWeak
          : base
        : base * 0.7);
    const quoted = topic && isQuoted(m) ? 0.5 : 1;
    return (isFuzzy(m.variant) ? w * weights.fuzzyVariant : w) * quoted;
  };

  // Strong fake-policy framing (退保新政, 全民清债) is the scheme itself, so it counts as a topic.
  const isTopicMatch = (m: Match) =>
    !!m.category &&
    (isTopicCategory(m.category) ||
      (m.category === '虚假政策' && rules[m.rule]!.signal === 'strong'));
  // Context topics (weight < 1.5 in the list: 上岸, 口子) are everyday words: they add to a real
  // topic but are never the topic of a lead on their own (考研上岸 … 加V is an exam ad).
  const topicsWithContext = all.filter(isTopicMatch);
  const isContextTopic = (m: Match) => (rules[m.rule]!.weight ?? Infinity) < 1.5;
  const topicsAll = topicsWithContext.some((m) => !isContextTopic(m)) ? topicsWithContext : [];
  const lures = [...all.filter((m) => m.category === '引流'), ...bareLures(text)];
  const guarantees = all.filter((m) => m.category === '承诺收费');
  const policies = all.filter((m) => m.category === '虚假政策' && !isTopicMatch(m));
  const cues = all.filter((m) => m.kind === 'cue');

  const isListed = (type: string, value: string) => matcher.contacts.has(contactKey(type, value));
  const contacts: ReportedContact[] = extractContacts(text, isListed).map((c) => {
    const rule =
      matcher.contacts.get(contactKey(c.type, c.value)) ??
      (contactHost(c) !== null
        ? (matcher.contacts.get(contactKey('domain', contactHost(c)!)) ??
          matcher.contacts.get(contactKey('url', c.value)))
        : c.type === 'phone'
          ? matcher.contacts.get(contactKey('wechat', c.value))
          : undefined);
    return rule === undefined ? c : { ...c, ruleId: rules[rule]!.id };
  });
  const listedContacts = contacts.filter((c) => c.ruleId);

  let account: Assessment['account'];
  if (options.author) {
    const rule = matcher.accounts.get(accountKey(options.author.platform, options.author.id));
    if (rule !== undefined) {
      account = {
        ruleId: rules[rule]!.id,
        platform: options.author.platform,
        id: options.author.id,
        allowed: rules[rule]!.kind === 'allow',
      };
    }
  }
  if (account?.allowed) {
    return {
      verdict: 'clean',
      score: 0,
      categories: [],
      matches: [],
      contacts,
      context: [],
      account,
      why: `账号在允许名单中（${account.ruleId}），不标记。`,
    };
  }

  // Most page text has no topic at all: answer it before the quote, cue and score work.
  if (topicsAll.length === 0 && listedContacts.length === 0 && !account) {
    return {
      verdict: 'clean',
      score: 0,
      categories: [],
      matches: [],
      contacts,
      context: [],
      why: '无相关内容：未命中主题',
    };
  }

  // Fuzzy topic hits (pinyin initials, homophones) need a second, non-fuzzy signal.
  const exactTopics = topicsAll.filter((m) => !isFuzzy(m.variant));
  const nonFuzzySecond =
    lures.some((m) => !isFuzzy(m.variant)) ||
    contacts.length > 0 ||
    guarantees.length > 0 ||
    policies.length > 0 ||
    exactTopics.length > 0;
  const topics = nonFuzzySecond ? topicsAll : exactTopics;

  // A cue only solicits when it is the writer's own words: not quoted bait ("加V办理" in a warning),
  // not negated (请勿私信), and heavy enough (noun lures like 微信群 carry weight < 1.5 in the list).
  const solicits = (m: Match, base: number) =>
    !isQuoted(m) && !negated(text, m.start) && weightOf(m, base) >= 1.5;
  const inReach = (m: { start: number; end: number }) =>
    topics.some((t) => near(t, m, proximity)) || listedContacts.length > 0;
  const reachedLures = lures.filter(
    (m) => inReach(m) && solicits(m, weights.lure) && !narrated(text, m),
  );
  const reachedContacts = contacts.filter(inReach);
  const reachedGuarantees = guarantees.filter(
    (m) => inReach(m) && solicits(m, weights.guarantee) && !promiseTold(text, m.start),
  );
  const reachedPolicies = policies.filter((m) => inReach(m) && solicits(m, weights.policy));

  /**
   * Overlapping matches of different rules are one piece of text (信用卡退息 / 退息 / 退息退费):
   * each cluster counts once, at its heaviest; the `cap` heaviest clusters are summed.
   */
  const clusterWeights = (ms: Match[], base: number): number[] => {
    const sorted = [...ms].sort((a, b) => a.start - b.start);
    const out: number[] = [];
    let end = -1;
    for (const m of sorted) {
      const w = weightOf(m, base);
      if (m.start < end) {
        out[out.length - 1] = Math.max(out[out.length - 1]!, w);
        end = Math.max(end, m.end);
      } else {
        out.push(w);
        end = m.end;
      }
    }
    return out;
  };
  const best = (ms: Match[], base: number, cap: number) =>
    clusterWeights(ms, base)
      .sort((a, b) => b - a)
      .slice(0, cap)
      .reduce((sum, w) => sum + w, 0);
  const strongTopics = topics.filter((m) => rules[m.rule]!.signal === 'strong');
  // Weak topics are everyday debtor words: a question naming three of them (协商还款, 困难证明,
  // 医院证明) is not three times a lead (blind-8 corpus), so only two count without a strong one.
  const topicScore = best(topics, weights.topicStrong, strongTopics.length > 0 ? 3 : 2);
  const lureScore = best(reachedLures, weights.lure, 2);
  const contactScore =
    Math.min(new Set(reachedContacts.map((c) => `${c.type}:${c.value}`)).size, 2) *
      weights.contact +
    (listedContacts.length > 0 ? weights.account : 0);
  const guaranteeScore = best(reachedGuarantees, weights.guarantee, 2);
  const policyScore = best(reachedPolicies, weights.policy, 2);
  const accountScore = account && topics.length > 0 ? weights.account : 0;

  // Each distinct cue word adds its context's weight, up to 1.5× per context: one 记者 is a hint,
  // 记者 + 警方 + 李某 is a news report.
  const contexts = new Map<CueContext | 'quoted', number>();
  const seenCues = new Set<number>();
  for (const cue of cues) {
    if (seenCues.has(cue.rule)) continue;
    seenCues.add(cue.rule);
    const meta = rules[cue.rule]!;
    const ctx = meta.context!;
    const base = contextWeights[ctx] ?? 0;
    const w = meta.weight ?? base;
    contexts.set(ctx, Math.max(1.5 * Math.min(base, w), (contexts.get(ctx) ?? 0) + w));
  }
  if (topics.length && topics.every(isQuoted)) {
    contexts.set('quoted', contextWeights.quoted ?? 0);
  }
  const contextScore = [...contexts.values()].reduce((s, w) => s + w, 0);

  // Two different strong topic terms solicit on their own (征信修复 … 洗白征信); weak ones are
  // everyday debtor vocabulary (停息挂账 + 协商还款), and quoted ones are reporting.
  // In a warning, report or victim's post, naming several schemes is what such texts do.
  const distinctTopicRules =
    cues.length > 0
      ? 0
      : clusterWeights(
          strongTopics.filter((m) => !isFuzzy(m.variant) && !isQuoted(m)),
          weights.topicStrong,
        ).length;
  const secondSignal =
    reachedLures.length > 0 ||
    reachedContacts.length > 0 ||
    reachedGuarantees.length > 0 ||
    reachedPolicies.length > 0 ||
    distinctTopicRules >= 2 ||
    accountScore > 0;
  const score = round(
    topicScore +
      lureScore +
      contactScore +
      guaranteeScore +
      policyScore +
      accountScore +
      contextScore,
  );
  const hasTopic = topics.length > 0;
  const verdict: Verdict =
    (hasTopic && secondSignal && score >= leadThreshold) ||
    (listedContacts.length > 0 && score >= leadThreshold)
      ? 'lead'
      : hasTopic
        ? 'mention'
        : 'clean';

  const counted = [...topics, ...reachedLures, ...reachedGuarantees, ...reachedPolicies];
  const reported: ReportedMatch[] = counted
    .sort((a, b) => a.start - b.start || a.end - b.end)
    .map((m) => ({
      ruleId: m.ruleId,
      category: m.category ?? null,
      start: m.start,
      end: m.end,
      text: text.slice(m.start, m.end),
      via: variantNames[m.variant],
    }));
  const categories = [...new Set(counted.map((m) => m.category!))].sort(
    (a, b) => Number(isTopicCategory(b)) - Number(isTopicCategory(a)),
  );
  const contextList = cues.map((c) => ({
    ruleId: c.ruleId,
    context: rules[c.rule]!.context!,
    start: c.start,
    end: c.end,
  }));

  const quote = (ms: { start: number; end: number }[]) =>
    [...new Set(ms.map((m) => `「${text.slice(m.start, m.end)}」`))].slice(0, 4).join('');
  const parts: string[] = [];
  if (topics.length) parts.push(`主题 ${quote(topics)}`);
  if (reachedLures.length) parts.push(`引流 ${quote(reachedLures)}`);
  if (reachedContacts.length)
    parts.push(
      `联系方式 ${reachedContacts.map((c) => `${c.type}:${c.value}${c.ruleId ? '（名单）' : ''}`).join(' ')}`,
    );
  if (reachedGuarantees.length) parts.push(`承诺/收费 ${quote(reachedGuarantees)}`);
  if (reachedPolicies.length) parts.push(`虚假政策 ${quote(reachedPolicies)}`);
  if (accountScore) parts.push(`名单账号 ${account!.ruleId}`);
  if (contexts.size) {
    const names: Record<string, string> = {
      warning: '警示',
      news: '新闻',
      victim: '受害者',
      official: '官方',
      question: '提问',
      legit: '合规',
      quoted: '引用',
    };
    parts.push(
      `语境 ${[...contexts.keys()].map((k) => names[k]).join('、')}（${round(contextScore)}）`,
    );
  }
  const head =
    verdict === 'lead'
      ? '引流线索'
      : verdict === 'mention'
        ? secondSignal
          ? '提及（语境降分）'
          : '提及（无引流或承诺信号）'
        : '无相关内容';
  const why = `${head}：${parts.join('；') || '未命中'}；得分 ${score}/${leadThreshold}`;

  return {
    verdict,
    score,
    categories,
    matches: reported,
    contacts,
    context: contextList,
    ...(account ? { account } : {}),
    why,
  };
}

const round = (n: number) => Math.round(n * 100) / 100;

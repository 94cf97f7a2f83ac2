/**
 * Lead vs mention vs clean, with an explanation a moderator can read.
 *
 * Two readers work together. The lexicon (the list's phrases, patterns, cues, contacts and
 * grammar) finds the spans to highlight and scores them with the list's rules: a topic term plus a
 * second signal (a lure or CTA, a contact, a guarantee or fee, fake-policy framing, a second topic)
 * at or above the threshold, lowered by warning, news, victim, official, question and quotation
 * contexts (taxonomy.md §K, §L). The list's lead model (model.ts) then reads the folded text and
 * those signals, window by window for long texts, with the whole block and a reply's parent as
 * context, and gives the verdict: a lead needs a lexicon or contact span and a model probability
 * at the list's lead threshold, or a probability at the model-only threshold. A list without a
 * model gets the rules' verdict. Everything here is linear in the text.
 */
import { extractContacts, contactHost, type Contact } from './contacts';
import {
  FeatureBuilder,
  featureName,
  ngramSpan,
  ngramText,
  sentenceRanges,
  symbolsIn,
  textView,
  type FeatureSet,
  type Recording,
  type TextView,
} from './features';
import {
  bareLureSpans,
  isNarrated,
  isNegated,
  isPromiseTold,
  quotedSpans,
  reportedSpans,
  type GrammarRuntime,
} from './grammar';
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
import { logit, sigmoid, topContributions, type LoadedModel } from './model';
import { foldText } from './normalize';

export type Verdict = 'lead' | 'mention' | 'clean';

export interface ReportedMatch {
  ruleId: string;
  category: Category | null;
  start: number;
  end: number;
  text: string;
  via: (typeof variantNames)[number] | 'model';
}

export interface ReportedContact extends Contact {
  /** The list entry that names this contact, when listed. */
  ruleId?: string;
}

export interface ModelFeature {
  /** The feature in words: an n-gram of the folded text (「私我」) or a lexicon signal. */
  text: string;
  /** Its contribution to the logit. */
  weight: number;
}

export interface Assessment {
  verdict: Verdict;
  /** The lexicon rules' score (list `scoring`). */
  score: number;
  /**
   * The lead model's probability for the text's most soliciting window; null without a model, or
   * when the text holds none of the list's vocabulary and no contact (the model does not read it).
   */
  probability: number | null;
  categories: Category[];
  matches: ReportedMatch[];
  contacts: ReportedContact[];
  /** Context cues found (warning, news …) with their rule ids. */
  context: { ruleId: string; context: CueContext; start: number; end: number }[];
  /** The listed account this text is by, if any. */
  account?: { ruleId: string; platform: string; id: string; allowed: boolean };
  /** The stretch of text the verdict rests on (the whole text unless it was read in windows). */
  window?: { start: number; end: number };
  /** The model features that pushed the verdict most. */
  features?: ModelFeature[];
  why: string;
}

/** Where a text sits on the page: the model reads registers differently. */
export const blockKinds = [
  'post',
  'title',
  'bio',
  'name',
  'comment',
  'reply',
  'danmaku',
  'card',
] as const;
export type AssessKind = (typeof blockKinds)[number];

export interface AssessOptions {
  author?: { platform: string; id: string };
  kind?: AssessKind;
  /**
   * The text this one answers (a reply's parent comment, a comment's post). Context only: it can
   * explain what a reply offers, but only the replier's own words make a lead.
   */
  parent?: string;
}

// ---------------------------------------------------------------------------------------------
// The lexicon's reading of a stretch of text

/** What the lexicon sees in the whole text, computed once and shared by every window. */
interface TextScan {
  matcher: Matcher;
  grammar: GrammarRuntime;
  text: string;
  /** Every match, by start. */
  all: Match[];
  /** Bare lures (V, 私, 📩) as matches, by start. */
  bare: Match[];
  contacts: ReportedContact[];
  listedContacts: number;
  account?: Assessment['account'];
  folded(): string;
  quotes(): [number, number][];
}

/** The rules' reading of one stretch [from, to) of a text. */
export interface RuleSignals {
  from: number;
  to: number;
  topics: Match[];
  /** Everyday debt words (负债, 保单, 催收 …): context for the model, never a topic alone. */
  contextTopics: Match[];
  strongTopics: number;
  quotedTopics: number;
  fuzzyTopics: number;
  /** Lures that ask (not quoted, negated or narrated), wherever they stand. */
  solicitingLures: Match[];
  negatedLures: number;
  narratedLures: number;
  quotedLures: number;
  reachedLures: Match[];
  contacts: ReportedContact[];
  reachedContacts: ReportedContact[];
  listedContacts: number;
  guarantees: number;
  /** Guarantees and policy framing heavy enough to solicit, wherever they stand. */
  solicitingGuarantees: number;
  solicitingPolicies: number;
  toldPromises: number;
  reachedGuarantees: Match[];
  policies: number;
  reachedPolicies: Match[];
  cues: Match[];
  contexts: Map<CueContext | 'quoted', number>;
  contextScore: number;
  ruleIds: string[];
  accountScore: number;
  secondSignal: boolean;
  score: number;
  verdict: Verdict;
}

const BARE_LURE_RULE = -1;

function scanWhole(matcher: Matcher, text: string, options: AssessOptions): TextScan {
  const all = scanText(matcher, text);
  const grammar = matcher.grammar;
  let folded: string | null = null;
  let quotes: [number, number][] | null = null;
  const isListed = (type: string, value: string) => matcher.contacts.has(contactKey(type, value));
  const rules = matcher.compiled.rules;
  const fold = () => (folded ??= foldText(text));
  const contacts: ReportedContact[] = extractContacts(text, grammar, isListed, fold).map((c) => {
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
  const scan: TextScan = {
    matcher,
    grammar,
    text,
    all,
    bare: [],
    contacts,
    listedContacts: contacts.filter((c) => c.ruleId).length,
    ...(account ? { account } : {}),
    folded: fold,
    quotes: () => (quotes ??= quotedSpans(grammar, text)),
  };
  scan.bare = bareLureSpans(grammar, text, scan.folded()).map((s) => ({
    rule: BARE_LURE_RULE,
    ruleId: 'grammar.bare-lure',
    kind: 'phrase',
    category: '引流',
    start: s.start,
    end: s.end,
    variant: 0,
  }));
  return scan;
}

/** Index of the first element whose `start` is ≥ `at` (arrays sorted by start). */
function lowerBound(items: readonly { start: number }[], at: number): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (items[mid]!.start < at) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The items wholly inside [from, to). */
function within<T extends { start: number; end: number }>(
  items: readonly T[],
  from: number,
  to: number,
): T[] {
  if (from === 0 && to >= Number.MAX_SAFE_INTEGER) return items.slice();
  const out: T[] = [];
  for (let i = lowerBound(items, from); i < items.length && items[i]!.start < to; i++) {
    if (items[i]!.end <= to) out.push(items[i]!);
  }
  return out;
}

/** Whether [start, end) sits inside one of the sorted, disjoint `spans`. */
function insideSpan(spans: readonly [number, number][], start: number, end: number): boolean {
  let lo = 0;
  let hi = spans.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (spans[mid]![0] <= start) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found >= 0 && end <= spans[found]![1];
}

/**
 * Whether some topic lies within `d` characters of [start, end): topics sorted by start with the
 * running maximum of their ends, so each question is a binary search.
 */
function reachIndex(topics: readonly Match[], d: number) {
  const starts = topics.map((t) => t.start);
  const maxEnd: number[] = [];
  let m = -Infinity;
  for (const t of topics) maxEnd.push((m = Math.max(m, t.end)));
  return (x: { start: number; end: number }) => {
    let lo = 0;
    let hi = starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (starts[mid]! <= x.end + d) lo = mid + 1;
      else hi = mid;
    }
    return lo > 0 && maxEnd[lo - 1]! >= x.start - d;
  };
}

/** The rules' reading of [from, to) of a scanned text. */
function ruleSignals(scan: TextScan, from: number, to: number): RuleSignals {
  // Most sentences of a long text hold nothing of the list; their reading is always the same.
  if (
    within(scan.all, from, to).length === 0 &&
    within(scan.bare, from, to).length === 0 &&
    within(scan.contacts, from, to).length === 0
  ) {
    let empty = emptyReadings.get(scan.matcher);
    if (!empty) emptyReadings.set(scan.matcher, (empty = frozen(readSignals(scan, 0, 0))));
    return { ...empty, from, to };
  }
  return readSignals(scan, from, to);
}

/** The reading of a stretch with nothing of the list in it, per matcher (it is always the same). */
const emptyReadings = new WeakMap<Matcher, RuleSignals>();

/** A reading shared between windows, its lists frozen so that no caller can change it for all. */
function frozen(s: RuleSignals): RuleSignals {
  for (const v of Object.values(s)) if (Array.isArray(v)) Object.freeze(v);
  return s;
}

function readSignals(scan: TextScan, from: number, to: number): RuleSignals {
  const { matcher, grammar } = scan;
  const { compiled } = matcher;
  const rules = compiled.rules;
  const { weights, context: contextWeights, leadThreshold, proximity } = compiled.scoring;
  const all = within(scan.all, from, to);
  const isQuoted = (m: { start: number; end: number }) => insideSpan(scan.quotes(), m.start, m.end);

  // Topic weights come per signal from the list; weak cues (私信, 服务费) count 70 % of strong ones.
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
  // Context topics (weight < 1.5 in the list: 上岸, 负债, 保单) are everyday words: the rules never
  // count them (考研上岸 … 加V is an exam ad); the model reads them beside an ask.
  const isContextTopic = (m: Match) => (rules[m.rule]!.weight ?? Infinity) < 1.5;
  const topicsWithContext = all.filter(isTopicMatch);
  const topicsAll = topicsWithContext.filter((m) => !isContextTopic(m));
  const contextTopics = topicsWithContext.filter(isContextTopic);
  const bare = within(scan.bare, from, to);
  const lures = all.filter((m) => m.category === '引流');
  if (bare.length) lures.push(...bare);
  const guarantees = all.filter((m) => m.category === '承诺收费');
  const policies = all.filter((m) => m.category === '虚假政策' && !isTopicMatch(m));
  const cues = all.filter((m) => m.kind === 'cue');
  const contacts = within(scan.contacts, from, to);
  const listedContacts = contacts.filter((c) => c.ruleId).length;

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
  let folded: string | null = null;
  const f = () => (folded ??= scan.folded());
  const solicits = (m: Match, base: number) =>
    !isQuoted(m) && !isNegated(grammar, f(), m) && weightOf(m, base) >= 1.5;
  const near = reachIndex(topics, proximity);
  const inReach = (m: { start: number; end: number }) => listedContacts > 0 || near(m);

  let negatedLures = 0;
  let narratedLures = 0;
  let quotedLures = 0;
  const solicitingLures: Match[] = [];
  for (const m of lures) {
    if (isQuoted(m)) quotedLures++;
    else if (isNegated(grammar, f(), m)) negatedLures++;
    else if (isNarrated(grammar, f(), m)) narratedLures++;
    else if (weightOf(m, weights.lure) >= 1.5) solicitingLures.push(m);
  }
  const reachedLures = solicitingLures.filter(inReach);
  const reachedContacts = contacts.filter(inReach);
  let toldPromises = 0;
  const reachedGuarantees = guarantees.filter((m) => {
    if (!solicits(m, weights.guarantee)) return false;
    if (isPromiseTold(grammar, f(), m.start)) {
      toldPromises++;
      return false;
    }
    return inReach(m);
  });
  const reachedPolicies = policies.filter((m) => inReach(m) && solicits(m, weights.policy));
  const solicitingGuarantees = guarantees.filter(
    (m) => solicits(m, weights.guarantee) && !isPromiseTold(grammar, f(), m.start),
  ).length;
  const solicitingPolicies = policies.filter((m) => solicits(m, weights.policy)).length;

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
  // 医院证明) is not three times a lead, so only two count without a strong one.
  const topicScore = best(topics, weights.topicStrong, strongTopics.length > 0 ? 3 : 2);
  const lureScore = best(reachedLures, weights.lure, 2);
  const contactScore =
    Math.min(new Set(reachedContacts.map((c) => `${c.type}:${c.value}`)).size, 2) *
      weights.contact +
    (listedContacts > 0 ? weights.account : 0);
  const guaranteeScore = best(reachedGuarantees, weights.guarantee, 2);
  const policyScore = best(reachedPolicies, weights.policy, 2);
  const accountScore = scan.account && topics.length > 0 ? weights.account : 0;

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
  const quotedTopics = topics.filter(isQuoted).length;
  if (topics.length && quotedTopics === topics.length) {
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
    (listedContacts > 0 && score >= leadThreshold)
      ? 'lead'
      : hasTopic
        ? 'mention'
        : 'clean';
  const ruleIds = [
    ...new Set(all.filter((m) => m.kind !== 'allow').map((m) => m.ruleId)),
    ...(bare.length ? [bare[0]!.ruleId] : []),
  ];
  return {
    from,
    to,
    topics,
    contextTopics,
    strongTopics: strongTopics.length,
    quotedTopics,
    fuzzyTopics: topics.filter((m) => isFuzzy(m.variant)).length,
    solicitingLures,
    negatedLures,
    narratedLures,
    quotedLures,
    reachedLures,
    contacts,
    reachedContacts,
    listedContacts,
    guarantees: guarantees.length,
    solicitingGuarantees,
    solicitingPolicies,
    toldPromises,
    reachedGuarantees,
    policies: policies.length,
    reachedPolicies,
    cues,
    contexts,
    contextScore,
    ruleIds,
    accountScore,
    secondSignal,
    score,
    verdict,
  };
}

// ---------------------------------------------------------------------------------------------
// The model's reading

const bucketOf = (n: number, edges: readonly number[]) => {
  let i = 0;
  while (i < edges.length && n > edges[i]!) i++;
  return i;
};
const lengthEdges = [4, 8, 16, 32, 64, 128, 256];
const scoreEdges = [0, 2, 4.5, 7, 10];

/** Feature keys built once (named features are hashed by key; no string is built per text). */
const keyCache = new Map<string, string[]>();
/** `base` followed by 0…n (`t#1`, `t#2` …), or by each of `values`. */
function keysOf(base: string, values: readonly (string | number)[]): string[] {
  const id = `${base}\u0000${values.join('\u0001')}`;
  let keys = keyCache.get(id);
  if (!keys) keyCache.set(id, (keys = values.map((v) => `${base}${v}`)));
  return keys;
}
const counts = [0, 1, 2, 3];
const T_N = keysOf('t#', counts);
const L_N = keysOf('l#', counts);
const CT_N = keysOf('ct#', counts);
const RS = keysOf('rs:', [0, 1, 2, 3, 4, 5]);
const LEN = keysOf('len:', [0, 1, 2, 3, 4, 5, 6, 7]);
const memo = new Map<string, Map<string, string>>();
/** `prefix + value`, remembered (categories, contexts, rule ids, groups, kinds). */
function keyFor(prefix: string, value: string): string {
  let byValue = memo.get(prefix);
  if (!byValue) memo.set(prefix, (byValue = new Map()));
  let key = byValue.get(value);
  if (key === undefined) {
    key = prefix + value;
    if (byValue.size < 100_000) byValue.set(value, key);
  }
  return key;
}

/** Named features of one reading of the rules, under a prefix (window, block, parent). */
function signalFeatures(
  b: FeatureBuilder,
  prefix: string,
  s: RuleSignals,
  rules: Matcher['compiled']['rules'],
) {
  for (const t of s.topics) {
    b.named(keyFor('t:', t.category!), prefix);
    b.named(
      keyFor(keyFor('t:', t.category!), rules[t.rule]!.signal === 'strong' ? ':strong' : ':weak'),
      prefix,
    );
  }
  const hasTopic = s.topics.length > 0;
  const lure = s.solicitingLures.length > 0;
  const contact = s.contacts.length > 0;
  if (hasTopic) b.named(T_N[Math.min(3, s.topics.length)]!, prefix);
  if (s.strongTopics) b.named('ts', prefix);
  if (s.quotedTopics) b.named('tq', prefix);
  if (s.fuzzyTopics) b.named('tf', prefix);
  if (lure) b.named(L_N[Math.min(3, s.solicitingLures.length)]!, prefix);
  if (s.reachedLures.length) b.named('lr', prefix);
  if (s.negatedLures) b.named('ln', prefix);
  if (s.narratedLures) b.named('lv', prefix);
  if (s.quotedLures) b.named('lq', prefix);
  for (const c of s.contacts) b.named(keyFor('c:', c.type), prefix);
  if (s.reachedContacts.length) b.named('cr', prefix);
  if (s.listedContacts) b.named('cl', prefix);
  if (s.guarantees) b.named('g', prefix);
  if (s.solicitingGuarantees) b.named('gs', prefix);
  if (s.solicitingPolicies) b.named('ps', prefix);
  if (s.reachedGuarantees.length) b.named('gr', prefix);
  if (s.toldPromises) b.named('gt', prefix);
  if (s.policies) b.named('p', prefix);
  if (s.reachedPolicies.length) b.named('pr', prefix);
  // Cue contexts, once each, with how many cue words (1, 2, 3+).
  for (let i = 0; i < s.cues.length; i++) {
    const ctx = rules[s.cues[i]!.rule]!.context!;
    let n = 0;
    let first = true;
    for (let k = 0; k < s.cues.length; k++) {
      if (rules[s.cues[k]!.rule]!.context !== ctx) continue;
      if (k < i) first = false;
      n++;
    }
    if (!first) continue;
    b.named(keyFor('q:', ctx), prefix);
    b.named(keyFor(keyFor('q:', ctx), `#${Math.min(3, n)}`), prefix);
  }
  if (s.contextTopics.length) {
    for (const m of s.contextTopics) b.named(keyFor('ct:', m.category!), prefix);
    b.named(CT_N[Math.min(3, s.contextTopics.length)]!, prefix);
  }
  // A topic is on the everyday subject too: 征👨‍👩‍👧信修复 is a topic whose 征信 the noise rule
  // for two-character phrases doesn't match, and it must not lose what an ask beside 征信 earns.
  if (s.contextTopics.length || hasTopic) {
    if (lure || contact) b.named('ct&ask', prefix);
    if (s.guarantees) b.named('ct&g', prefix);
  }
  // Window-level readings name their rules too; every reading names the rules' groups (the id
  // before its first dot: lure, persona, proof, ctx …): the model learns what each phrase and
  // each kind of phrase is worth.
  for (const id of s.ruleIds) {
    if (prefix === '') b.named(keyFor('r:', id));
    b.named(keyFor('grp:', groupOf(id)), prefix);
  }
  if (hasTopic && lure) b.named('t&l', prefix);
  if (hasTopic && contact) b.named('t&c', prefix);
  if (hasTopic && s.guarantees) b.named('t&g', prefix);
  if (lure && contact) b.named('l&c', prefix);
  if (s.secondSignal) b.named('2nd', prefix);
  b.named(keyFor('rv:', s.verdict), prefix);
  b.named(RS[bucketOf(s.score, scoreEdges)]!, prefix);
}

/** The union of two sorted lists of disjoint spans, sorted and disjoint. */
function unionOf(a: [number, number][], b: [number, number][]): [number, number][] {
  if (a.length === 0) return b;
  if (b.length === 0) return a;
  const all = [...a, ...b].sort((x, y) => x[0] - y[0]);
  const out: [number, number][] = [[...all[0]!]];
  for (const [s, e] of all.slice(1)) {
    const last = out[out.length - 1]!;
    if (s <= last[1]) last[1] = Math.max(last[1], e);
    else out.push([s, e]);
  }
  return out;
}

/** An entry's group: its id up to the first dot (lure.kan-zhu-ye → lure). */
const groupOf = (id: string) => {
  const dot = id.indexOf('.');
  return dot < 0 ? id : id.slice(0, dot);
};

interface WindowReading {
  /** View symbol range and original text range. */
  range: [number, number];
  start: number;
  end: number;
  signals: RuleSignals;
}

/**
 * Reads a text as the model does: its windows (the whole text when short; sentences and pairs of
 * neighbouring sentences when long), each with its features. `visit` gets every window's feature
 * set (reused between calls: copy what you keep). The same code serves training and assessment.
 */
export interface PreparedText {
  scan: TextScan;
  whole: RuleSignals;
  view: TextView;
  /** The lexicon's signals in the text a reply answers (read once: scope, flags and windows). */
  parent?: RuleSignals;
}

/** The lexicon's reading of a whole text and its folded view, shared by every window. */
export function prepare(matcher: Matcher, text: string, options: AssessOptions = {}): PreparedText {
  const scan = scanWhole(matcher, text, options);
  const parent = parentSignals(matcher, options);
  return {
    scan,
    whole: ruleSignals(scan, 0, text.length),
    view: textView(text),
    ...(parent ? { parent } : {}),
  };
}

function parentSignals(matcher: Matcher, options: AssessOptions): RuleSignals | undefined {
  if (!options.parent) return undefined;
  return ruleSignals(scanWhole(matcher, options.parent, {}), 0, options.parent.length);
}

export function readWindows(
  matcher: Matcher,
  model: Pick<LoadedModel, 'spec' | 'builder'>,
  text: string,
  options: AssessOptions,
  visit: (set: FeatureSet, window: WindowReading, index: number) => void,
  prepared: PreparedText = prepare(matcher, text, options),
  /** Called before each window after the first, while the previous window's set is intact. */
  beforeNext?: () => void,
): void {
  const { scan, whole, view } = prepared;
  const { windows } = model.spec;
  const rules = matcher.compiled.rules;
  const base =
    view.length < windows.minBlock
      ? [[0, view.length] as [number, number]]
      : sentenceRanges(view, windows.minWindow, windows.maxWindow);
  const ranges: [number, number][] = [...base];
  // Neighbouring sentences together: the topic in one, the ask in the next.
  for (let i = 0; i + 1 < base.length; i++) {
    if (base[i + 1]![1] - base[i]![0] <= windows.maxWindow)
      ranges.push([base[i]![0], base[i + 1]![1]]);
  }
  const multi = ranges.length > 1;
  const kind = options.kind ?? 'post';
  const parent = prepared.parent ?? parentSignals(matcher, options) ?? null;
  const b = model.builder;
  const kindCross = model.spec.features.crosses.includes('kind')
    ? keyFor(keyFor('k:', kind), '|')
    : '';
  // Quotations and someone else's speech: read apart from the writer's own words.
  const quoted = symbolsIn(
    view,
    unionOf(scan.quotes(), reportedSpans(scan.grammar, scan.folded())),
  );
  const table = b.gramTable(view, quoted);
  // The block's and the parent's signals are the same for every window: hashed once, replayed.
  let shared: Recording | null = null;
  ranges.forEach((range, index) => {
    const [a, z] = range;
    const start = a < view.length ? view.start[a]! : text.length;
    const end = z > 0 ? view.end[z - 1]! : 0;
    const signals = multi ? ruleSignals(scan, start, end) : whole;
    if (index > 0) beforeNext?.();
    const set = b.begin();
    b.ngrams(table, a, z);
    b.named(keyFor('k:', kind));
    b.named(LEN[bucketOf(z - a, lengthEdges)]!);
    const asks = signals.solicitingLures.length > 0 || signals.contacts.length > 0;
    if (asks) b.named(keyFor(keyFor('k:', kind), '&ask'));
    if (signals.topics.length) b.named(keyFor(keyFor('k:', kind), '&t'));
    // What follows is read again under the register (model features.crosses).
    const crossFrom = b.namedCount();
    signalFeatures(b, '', signals, rules);
    if (scan.account && !scan.account.allowed) b.named('a:listed');
    if (shared) b.replay(shared);
    else {
      b.record();
      if (multi) {
        b.named('B');
        b.named(LEN[bucketOf(view.length, lengthEdges)]!, 'B:');
        signalFeatures(b, 'B:', whole, rules);
      }
      if (parent) signalFeatures(b, 'P:', parent, rules);
      shared = b.recorded();
    }
    // What the window asks, with what the block and the parent say.
    if (asks) {
      if (multi) {
        if (whole.topics.length) b.named('t&ask', 'B:');
        if (whole.contextTopics.length) b.named('ct&ask', 'B:');
      }
      if (parent) {
        if (parent.topics.length) b.named('t&ask', 'P:');
        if (parent.contextTopics.length) b.named('ct&ask', 'P:');
        if (parent.cues.length) b.named('q&ask', 'P:');
      }
    }
    if (kindCross) b.cross(kindCross, crossFrom);
    visit(set, { range, start, end, signals }, index);
  });
}

// ---------------------------------------------------------------------------------------------
// The assessment

export function assess(matcher: Matcher, text: string, options: AssessOptions = {}): Assessment {
  const scan = scanWhole(matcher, text, options);
  const { account, contacts } = scan;
  if (account?.allowed) {
    return {
      verdict: 'clean',
      score: 0,
      probability: null,
      categories: [],
      matches: [],
      contacts,
      context: [],
      account,
      why: `账号在允许名单中（${account.ruleId}），不标记。`,
    };
  }
  const model = matcher.model;
  const whole = ruleSignals(scan, 0, text.length);
  // A reply is in scope when what it answers is: "能办" under a debtor's question.
  const parent = model ? parentSignals(matcher, options) : undefined;
  if (!model || !inScope(scan, parent)) return explain(scan, whole, null);

  const view = textView(text);
  const prepared: PreparedText = { scan, whole, view, ...(parent ? { parent } : {}) };
  let bestP = -1;
  let bestWindow: WindowReading | null = null;
  // Feature sets are reused window to window: the best one so far is copied only when the next
  // window is about to be read, so a short text (one window) copies nothing.
  let live: FeatureSet | null = null;
  let liveIsBest = false;
  let bestSet: FeatureSet | null = null;
  let windows = 0;
  readWindows(
    matcher,
    model,
    text,
    options,
    (set, window) => {
      windows++;
      live = set;
      const p = sigmoid(logit(model, set));
      if (p > bestP) {
        bestP = p;
        bestWindow = window;
        liveIsBest = true;
      }
    },
    prepared,
    () => {
      if (liveIsBest && live) bestSet = model.builder.keep();
      liveIsBest = false;
    },
  );
  const chosen = bestWindow as WindowReading | null;
  const verdict = modelVerdict(model.spec.thresholds, bestP, lexiconFlags(prepared));
  if (verdict === 'clean') return explain(scan, whole, { verdict, p: bestP });

  // Name the features that pushed the deciding window.
  const set = (liveIsBest ? live : bestSet)! as FeatureSet;
  const top = topContributions(model, set, 24);
  // Single characters say little to a moderator: name n-grams and signals first.
  const telling = top.filter(({ index: i }) => set.origin[i]! < 0 || (set.origin[i]! & 7) >= 2);
  const features: ModelFeature[] = (telling.length ? telling : top)
    .slice(0, 6)
    .map(({ index: i, weight }) => {
      const origin = set.origin[i]!;
      return {
        text:
          origin >= 0 ? `「${ngramText(view, origin)}」` : featureWords(featureName(set, origin)),
        weight: round(weight),
      };
    });
  // The strongest n-grams of at least two characters, as spans of the original text.
  const modelSpans = top
    .filter(({ index: i }) => set.origin[i]! >= 0 && (set.origin[i]! & 7) >= 2)
    .slice(0, 3)
    .map(({ index: i }) => ngramSpan(view, set.origin[i]!));
  return explain(scan, whole, {
    verdict,
    p: bestP,
    window: chosen && windows > 1 ? { start: chosen.start, end: chosen.end } : undefined,
    features,
    modelSpans,
  });
}

/**
 * The verdict from the model's probability and the lexicon: a lead needs a span and the lead
 * threshold, or the model-only threshold; a listed contact the rules call a lead stays one.
 */
export function modelVerdict(
  t: { lead: number; modelOnly: number; mention: number },
  p: number,
  flags: LexiconFlags,
): Verdict {
  if (!flags.vocabulary) return 'clean';
  if (p >= t.modelOnly || (p >= t.lead && flags.spans)) return 'lead';
  if (flags.listedLead) return 'lead';
  return flags.topics || (p >= t.mention && flags.spans) ? 'mention' : 'clean';
}

/** What the verdict needs from the lexicon's reading of a whole text. */
export interface LexiconFlags {
  /**
   * Anything of the list at all, in the text or in the text it answers (`inScope`); without it
   * the verdict is clean.
   */
  vocabulary: boolean;
  /** A span to show: a topic, an ask, a promise, a contact. */
  spans: boolean;
  topics: boolean;
  /** A listed contact the rules call a lead. */
  listedLead: boolean;
}

/**
 * Whether the text holds anything of the list: a phrase or pattern of any kind (everyday debt words
 * included), a bare lure, a contact, a listed account. Text with none of these (nor in the text it
 * answers, `inScope`) is never a lead and the model does not read it. Most of a page's comments are
 * like that, so the model's cost stays small; and there its held-out scores are least reliable:
 * leave-one-family-out (model v9), 3 of 2,147 benign lines without vocabulary score ≥ 0.85 (pinyin chat, a
 * post about an eye operation among them) against 24 of 62 such leads (1 % of all leads). The
 * list's everyday words in pinyin, English and Cantonese (zhengxin, credit card, 卡數) count.
 */
export const hasVocabulary = (scan: TextScan): boolean =>
  scan.all.length > 0 ||
  scan.bare.length > 0 ||
  scan.contacts.length > 0 ||
  (scan.account !== undefined && !scan.account.allowed);

/**
 * Whether the model reads a text: it holds something of the list, or it answers a text on the
 * topic (a scheme, or an everyday debt word: "我这边可以" under a debtor's question, not under a
 * question about hiking routes).
 */
export const inScope = (scan: TextScan, parent?: RuleSignals): boolean =>
  hasVocabulary(scan) ||
  (parent !== undefined && (parent.topics.length > 0 || parent.contextTopics.length > 0));

export const lexiconFlags = ({ whole, scan, parent }: PreparedText): LexiconFlags => ({
  vocabulary: inScope(scan, parent),
  spans:
    whole.topics.length > 0 ||
    whole.solicitingLures.length > 0 ||
    whole.solicitingGuarantees > 0 ||
    whole.solicitingPolicies > 0 ||
    scan.contacts.length > 0,
  topics: whole.topics.length > 0,
  listedLead: whole.verdict === 'lead' && whole.listedContacts > 0,
});

/** A named model feature in words. */
function featureWords(name: string): string {
  // A cross (k:reply|P:ct&ask): the register, then the feature it qualifies.
  const cross = /^k:(\w+)\|/.exec(name);
  if (cross) return `${cross[1]}·${featureWords(name.slice(cross[0].length))}`;
  const scope = name.startsWith('B:') ? '全文' : name.startsWith('P:') ? '上文' : '';
  const n = scope ? name.slice(2) : name;
  const words: [RegExp, string][] = [
    [/^t:([^:]+):(strong|weak)$/, '主题词 $1'],
    [/^t:([^:]+)$/, '主题 $1'],
    [/^t#(\d)$/, '主题词 ×$1'],
    [/^ts$/, '强主题词'],
    [/^tq$/, '引号内主题'],
    [/^tf$/, '拼音/谐音主题'],
    [/^l#(\d)$/, '引流词 ×$1'],
    [/^lr$/, '主题旁的引流'],
    [/^ln$/, '否定的引流'],
    [/^lv$/, '叙述的引流'],
    [/^lq$/, '引用的引流'],
    [/^c:(\w+)$/, '联系方式 $1'],
    [/^cr$/, '主题旁的联系方式'],
    [/^cl$/, '名单联系方式'],
    [/^g$/, '承诺/收费'],
    [/^gr$/, '主题旁的承诺'],
    [/^gt$/, '转述的承诺'],
    [/^p$/, '政策话术'],
    [/^pr$/, '主题旁的政策话术'],
    [/^q:(\w+)(#\d)?$/, '语境 $1'],
    [/^ct:(.+)$/, '债务语境 $1'],
    [/^ct#(\d)$/, '债务语境词 ×$1'],
    [/^ct&ask$/, '债务语境+引流'],
    [/^ct&g$/, '债务语境+承诺'],
    [/^grp:(.+)$/, '词类 $1'],
    [/^gs$/, '承诺'],
    [/^ps$/, '权威/政策话术'],
    [/^t&l$/, '主题+引流'],
    [/^t&c$/, '主题+联系方式'],
    [/^t&g$/, '主题+承诺'],
    [/^l&c$/, '引流+联系方式'],
    [/^2nd$/, '第二信号'],
    [/^rv:(\w+)$/, '规则判定 $1'],
    [/^rs:(\d)$/, '规则得分档 $1'],
    [/^k:(\w+)&ask$/, '$1 中的引流'],
    [/^k:(\w+)&t$/, '$1 中的主题'],
    [/^k:(\w+)$/, '位置 $1'],
    [/^len:(\d)$/, '长度档 $1'],
    [/^a:listed$/, '名单账号'],
    [/^t&ask$/, '主题+引流'],
    [/^q&ask$/, '语境+引流'],
    [/^B$/, '长文窗口'],
  ];
  for (const [re, w] of words) if (re.test(n)) return `${scope}${n.replace(re, w)}`;
  return `${scope}${n}`;
}

function explain(
  scan: TextScan,
  s: RuleSignals,
  model: {
    verdict: Verdict;
    p: number;
    window?: { start: number; end: number };
    features?: ModelFeature[];
    modelSpans?: { start: number; end: number }[];
  } | null,
): Assessment {
  const { text, contacts, account } = scan;
  const rules = scan.matcher.compiled.rules;
  const verdict = model?.verdict ?? s.verdict;
  const { leadThreshold } = scan.matcher.compiled.scoring;
  const counted = [...s.topics, ...s.reachedLures, ...s.reachedGuarantees, ...s.reachedPolicies];
  if (model && verdict === 'lead') {
    // The model reads asks that stand away from the topic too: show every lure that asks.
    const seen = new Set(counted);
    for (const m of s.solicitingLures) if (!seen.has(m)) counted.push(m);
  }
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
  // A lead the lexicon has no span for shows the model's strongest n-grams instead.
  if (model && verdict === 'lead' && reported.length === 0 && model.modelSpans?.length) {
    const spans = [...model.modelSpans].sort((a, b) => a.start - b.start);
    const merged: { start: number; end: number }[] = [];
    for (const sp of spans) {
      const last = merged[merged.length - 1];
      if (last && sp.start <= last.end) last.end = Math.max(last.end, sp.end);
      else merged.push({ ...sp });
    }
    for (const sp of merged) {
      reported.push({
        ruleId: 'model',
        category: '引流',
        start: sp.start,
        end: sp.end,
        text: text.slice(sp.start, sp.end),
        via: 'model',
      });
    }
  }
  const categories = [...new Set(reported.map((m) => m.category!).filter(Boolean))].sort(
    (a, b) => Number(isTopicCategory(b)) - Number(isTopicCategory(a)),
  );
  const context = s.cues.map((c) => ({
    ruleId: c.ruleId,
    context: rules[c.rule]!.context!,
    start: c.start,
    end: c.end,
  }));

  const quote = (ms: { start: number; end: number }[]) =>
    [...new Set(ms.map((m) => `「${text.slice(m.start, m.end)}」`))].slice(0, 4).join('');
  const parts: string[] = [];
  if (s.topics.length) parts.push(`主题 ${quote(s.topics)}`);
  const lures = verdict === 'lead' && model ? s.solicitingLures : s.reachedLures;
  if (lures.length) parts.push(`引流 ${quote(lures)}`);
  if (s.reachedContacts.length || (model && contacts.length))
    parts.push(
      `联系方式 ${(model ? contacts : s.reachedContacts)
        .map((c) => `${c.type}:${c.value}${c.ruleId ? '（名单）' : ''}`)
        .join(' ')}`,
    );
  if (s.reachedGuarantees.length) parts.push(`承诺/收费 ${quote(s.reachedGuarantees)}`);
  if (s.reachedPolicies.length) parts.push(`虚假政策 ${quote(s.reachedPolicies)}`);
  if (s.accountScore) parts.push(`名单账号 ${account!.ruleId}`);
  if (s.contexts.size) {
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
      `语境 ${[...s.contexts.keys()].map((k) => names[k]).join('、')}（${round(s.contextScore)}）`,
    );
  }
  if (model && verdict !== 'clean' && model.features?.length) {
    parts.push(
      `模型 ${model.p.toFixed(2)}（${model.features
        .map((f) => `${f.text}${f.weight >= 0 ? '+' : ''}${f.weight.toFixed(1)}`)
        .join(' ')}）`,
    );
  } else if (model) parts.push(`模型 ${Math.max(0, model.p).toFixed(2)}`);
  const head =
    verdict === 'lead'
      ? reported.every((m) => m.via === 'model')
        ? '引流线索（模型）'
        : '引流线索'
      : verdict === 'mention'
        ? s.secondSignal
          ? '提及（语境降分）'
          : '提及（无引流或承诺信号）'
        : '无相关内容';
  const why = `${head}：${parts.join('；') || '未命中'}；规则得分 ${s.score}/${leadThreshold}`;
  return {
    verdict,
    score: s.score,
    probability: model ? round4(Math.max(0, model.p)) : null,
    categories,
    matches: reported,
    contacts,
    context,
    ...(account ? { account } : {}),
    ...(model?.window && model.verdict !== 'clean' ? { window: model.window } : {}),
    ...(model?.features?.length ? { features: model.features } : {}),
    why,
  };
}

const round = (n: number) => Math.round(n * 100) / 100;
const round4 = (n: number) => Math.round(n * 10000) / 10000;

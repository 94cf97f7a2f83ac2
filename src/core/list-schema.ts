/**
 * The list LeadGuard matches with: one schema for the default list, feeds, the CLI's `--list` and
 * storage. Versioned (`format`), parsed with zod wherever it crosses a boundary.
 */
import { z } from 'zod';

/** Topic categories: the illegal services themselves. */
export const topicCategories = [
  '代理退保',
  '反催收', // 反催收 / 代理投诉 / 代理维权 / 逃废债
  '停息挂账', // 停息挂账 / 协商还款 / 个性化分期 touted by agents
  '债务优化', // 债务优化 / 重组 / 化解 / 解债
  '征信修复', // 征信修复 / 洗白
  '退息退费',
  '伪造材料',
] as const;
/** Cue categories: what turns a topic mention into solicitation. */
export const cueCategories = [
  '引流', // contact lure or call to action (加V, 薇信, 私信, 主页, 评论区扣1 …)
  '承诺收费', // guarantee or fee cue (不成功不收费, 100%成功, X天拿回, 服务费 …)
  '虚假政策', // fake-policy or authority framing (退保新政, 国家出台政策, 通道已开通 …)
] as const;
export const categories = [...topicCategories, ...cueCategories] as const;
export type Category = (typeof categories)[number];
export type TopicCategory = (typeof topicCategories)[number];
export const isTopicCategory = (c: string): c is TopicCategory =>
  (topicCategories as readonly string[]).includes(c);

/** Contexts that mark a text as talking *about* the scheme rather than selling it. */
export const cueContexts = ['warning', 'news', 'victim', 'official', 'question', 'legit'] as const;
export type CueContext = (typeof cueContexts)[number];

export const platformNames = [
  'douyin',
  'kuaishou',
  'weibo',
  'xiaohongshu',
  'bilibili',
  'zhihu',
  'toutiao',
  'tieba',
] as const;

export const contactTypes = ['wechat', 'qq', 'phone', 'telegram', 'url', 'domain'] as const;
export type ContactType = (typeof contactTypes)[number];

const EntryId = z
  .string()
  .max(64)
  .regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'entry ids are lower-case ascii, digits, . _ -');

/** Every string in a list has a length limit: lists come from files and feeds (issue 10). */
export const Provenance = z.object({
  source: z.string().min(1).max(200),
  addedAt: z.string().max(40).date().or(z.string().max(40).datetime()),
  note: z.string().max(1_000).optional(),
});

const Signal = z.enum(['strong', 'weak']);
/** Members of one account or contact set. */
export const MAX_SET_MEMBERS = 2_000_000;

const base = {
  id: EntryId,
  provenance: Provenance,
  /** Overrides the list's default weight for this entry's class. */
  weight: z.number().min(-20).max(20).optional(),
};

/** Literal text matched with evasion tolerance (folding, separators, variants). */
export const PhraseEntry = z.object({
  ...base,
  kind: z.literal('phrase'),
  text: z.string().min(2).max(64),
  category: z.enum(categories),
  signal: Signal,
  /** Also match full pinyin, initials and mixed forms (zx修复, tingxi挂账, TXGZ). */
  pinyin: z.boolean().optional(),
  /** Further spellings of the same phrase, matched like the phrase itself. */
  variants: z.array(z.string().min(2).max(64)).max(32).optional(),
});

/** A restricted, linear-time pattern (see pattern.ts) for what phrases can't say. */
export const PatternEntry = z.object({
  ...base,
  kind: z.literal('pattern'),
  pattern: z.string().min(2).max(200),
  category: z.enum(categories),
  signal: Signal,
});

export const AccountEntry = z.object({
  ...base,
  kind: z.literal('account'),
  platform: z.enum(platformNames),
  /** The stable platform id (sec_uid, uid, mid, user id, url_token, portrait …), not the handle. */
  platformId: z.string().min(1).max(128),
  handle: z.string().max(64).optional(),
  category: z.enum(categories),
});

export const ContactEntry = z.object({
  ...base,
  kind: z.literal('contact'),
  type: z.enum(contactTypes),
  /** Normalized value: digits for phone/qq, lower-case id for wechat, host for url/domain. */
  value: z.string().min(3).max(256),
  category: z.enum(categories),
});

/**
 * Many accounts of one platform and category in one entry: a feed of a million accounts is a few
 * sets of ids, not a million objects (feeds patch a set's members in deltas; see feed-format.ts).
 */
export const AccountSetEntry = z.object({
  ...base,
  kind: z.literal('account-set'),
  platform: z.enum(platformNames),
  category: z.enum(categories),
  ids: z.array(z.string().min(1).max(128)).max(MAX_SET_MEMBERS),
});

/** Many contacts of one type and category in one entry (values normalized like ContactEntry's). */
export const ContactSetEntry = z.object({
  ...base,
  kind: z.literal('contact-set'),
  type: z.enum(contactTypes),
  category: z.enum(categories),
  values: z.array(z.string().min(3).max(256)).max(MAX_SET_MEMBERS),
});

/** Words that mark warnings, news, victims, official sources or questions, and lower a verdict. */
export const CueEntry = z.object({
  ...base,
  kind: z.literal('cue'),
  text: z.string().min(2).max(64),
  context: z.enum(cueContexts),
});

/** Exceptions: phrases (spans) or accounts never flagged. */
export const AllowEntry = z.union([
  z.object({ ...base, kind: z.literal('allow'), text: z.string().min(2).max(64) }),
  z.object({
    ...base,
    kind: z.literal('allow'),
    platform: z.enum(platformNames),
    platformId: z.string().min(1).max(128),
  }),
]);

export const Entry = z.union([
  PhraseEntry,
  PatternEntry,
  AccountEntry,
  ContactEntry,
  AccountSetEntry,
  ContactSetEntry,
  CueEntry,
  AllowEntry,
]);
export type Entry = z.infer<typeof Entry>;
export type PhraseEntry = z.infer<typeof PhraseEntry>;
export type PatternEntry = z.infer<typeof PatternEntry>;
export type AccountEntry = z.infer<typeof AccountEntry>;
export type ContactEntry = z.infer<typeof ContactEntry>;
export type AccountSetEntry = z.infer<typeof AccountSetEntry>;
export type ContactSetEntry = z.infer<typeof ContactSetEntry>;
export type CueEntry = z.infer<typeof CueEntry>;
export type AllowEntry = z.infer<typeof AllowEntry>;

/** Scoring weights live in the list so a feed can retune without a release. */
export const Scoring = z.object({
  weights: z.object({
    topicStrong: z.number(),
    topicWeak: z.number(),
    lure: z.number(),
    contact: z.number(),
    guarantee: z.number(),
    policy: z.number(),
    account: z.number(),
    /** Multiplier for hits through pinyin initials or homophones (they also need a second signal). */
    fuzzyVariant: z.number().min(0).max(1),
  }),
  context: z.partialRecord(z.enum([...cueContexts, 'quoted']), z.number().max(0)),
  /** Score at or above which a block with a topic and a second signal is a lead. */
  leadThreshold: z.number().positive(),
  /** Characters a lure or contact may sit from a topic term and still count for it. */
  proximity: z.number().int().positive().max(10_000),
});
export type Scoring = z.infer<typeof Scoring>;

const Word = z.string().min(1).max(32);
const Words = z.array(Word).max(512);

/**
 * How the scorer reads a lure or promise in its sentence, as vocabulary: matched on folded text, so
 * traditional, full-width and styled spellings read like the simplified ones. The code only knows
 * the relations (a negation shortly before a lure, a narrating particle right after it …).
 */
export const Grammar = z.object({
  /** Opening and closing quotation marks, as two-character strings (“” 「」 …). */
  quotes: z.array(z.string().length(2)).max(32),
  /** Quoted spans longer than this are not treated as quotations (a stray opening mark). */
  maxQuote: z.number().int().positive().max(400),
  /** Characters that end a clause: negation and lead-ins never reach across them. */
  clauseBreaks: z.string().min(1).max(64),
  /** A lure right after one of these, in its clause, is negated (请勿私信, 不要加V). */
  negationBefore: Words,
  /**
   * … unless the negation word begins one of these: reassurance, not refusal (别慌 私我, 不要犹豫
   * 加V). Older lists have none.
   */
  negationExcept: Words.default([]),
  /** … or right after it, in its clause (私信不回, 私信一律不看). */
  negationAfter: Words,
  negationReach: z.number().int().nonnegative().max(32),
  /** A lure followed by one of these is narrated (私信了一个博主, 私信过他) … */
  narratedAfter: Words,
  /** … unless followed by one of these (私信了解, 私信了哈 still ask). */
  narratedAfterExcept: Words,
  /** A lure right after one of these is reported speech (让我私信, 有人私信你). */
  reportedBefore: Words,
  /** Words that open someone else's speech, which runs to the end of the sentence (他说…, 号称…). */
  reportedSpeech: Words,
  /** A narrating word at the end of its clause narrates only if listed here (私信过。). */
  narratedAtClauseEnd: Words,
  /** A fee the writer paid (交了5000服务费) is a story, not an offer … */
  feePaidBefore: Words,
  feePaidReach: z.number().int().nonnegative().max(32),
  /** … and so is a promise someone else made (号称不成功不收费, 说能退回八成). */
  saidBefore: Words,
  /** Lures too short to be phrases: single letters standing alone (V, Q) … */
  bareLetters: z.array(z.string().length(1)).max(32),
  /** … a character at the end of a clause (私) … */
  bareClauseEnd: z.array(z.string().length(1)).max(32),
  /** … and symbols or emoji that stand for a contact (📩, 🐧, 加👆). */
  bareSymbols: z.array(z.string().min(1).max(8)).max(64),
  /** Lead-in words before a number or id that make it a contact of that type. */
  contactLeadIns: z.object({
    qq: Words,
    wechat: Words,
    telegram: Words,
  }),
  /** Numbers never read as a lead's contact: official hotlines and bank service numbers. */
  officialNumbers: z
    .array(
      z
        .string()
        .max(12)
        .regex(/^\d{3,12}$/),
    )
    .max(512),
  /** Top-level domains a bare host may end in to count as a link. */
  domainSuffixes: z
    .array(
      z
        .string()
        .max(12)
        .regex(/^[a-z]{2,12}$/),
    )
    .max(256),
});
export type Grammar = z.infer<typeof Grammar>;

export const modelFormat = 'leadguard-model/1';

/**
 * The learned lead model: a logistic regression over hashed features of the folded text and of
 * the lexicon's signals (features.ts). Weights are int8, scaled, base64; a feed can ship a new
 * model without a release.
 */
export const Model = z.object({
  format: z.literal(modelFormat),
  version: z.number().int().nonnegative(),
  /** What features.ts computes; a model for another spec is refused, not misread. */
  features: z.object({
    spec: z.literal('ngram-lex/1'),
    hashBits: z.number().int().min(10).max(22),
    ngramOrders: z.array(z.number().int().min(1).max(5)).min(1).max(5),
    /** 0: every n-gram counts 1; else each counts ngramNorm / √(n-grams in the window), ≤ 1. */
    ngramNorm: z.number().nonnegative().max(1000).default(0),
    /**
     * The lexicon's signals read again under an anchor: `kind`, the text's register (a contact is
     * worth one thing in a name and another in a reply under a debtor's question).
     */
    crosses: z.array(z.literal('kind')).max(1).default([]),
  }),
  weights: z.string().max(6_000_000),
  scale: z.number().positive(),
  bias: z.number(),
  /** Probabilities: a lead with a lexicon or contact span, a lead on the model alone, a mention. */
  thresholds: z.object({
    lead: z.number().min(0).max(1),
    modelOnly: z.number().min(0).max(1),
    mention: z.number().min(0).max(1),
  }),
  /** Long texts are also read in windows of sentences (windows.ts). */
  windows: z.object({
    /** Texts with fewer folded characters are one window. */
    minBlock: z.number().int().positive().max(10_000),
    /** Sentences shorter than this join the next one. */
    minWindow: z.number().int().positive().max(10_000),
    maxWindow: z.number().int().positive().max(10_000),
  }),
  training: z.object({
    trainedAt: z.string().max(40).datetime(),
    /** SHA-256 of the training lines, in order, as the trainer read them. */
    fingerprint: z
      .string()
      .max(64)
      .regex(/^[0-9a-f]{64}$/),
    lines: z.number().int().nonnegative(),
    examples: z.number().int().nonnegative(),
    families: z.array(z.string().max(64)).max(256),
    seed: z.number().int(),
    epochs: z.number().int().positive(),
    l2: z.number().nonnegative(),
    rate: z.number().positive().optional(),
    copies: z.number().int().nonnegative().optional(),
    average: z.boolean().optional(),
    nb: z.boolean().optional(),
    minCount: z.number().int().positive().optional(),
    /** Feature dropout (TrainConfig.dropout); lists without it were trained without. */
    dropout: z.number().min(0).lt(1).optional(),
  }),
  /** Figures measured when the model was trained (leave-one-family-out, per family). */
  metrics: z.record(z.string().max(64), z.number()).default({}),
});
export type Model = z.infer<typeof Model>;

export const List = z
  .object({
    format: z.literal('leadguard-list/1'),
    id: z.string().min(1).max(128),
    version: z.number().int().nonnegative(),
    issuedAt: z.string().max(40).datetime(),
    name: z.string().max(200).optional(),
    description: z.string().max(2_000).optional(),
    /**
     * Evasion spellings of characters, applied only inside list phrases that contain the canonical
     * character (维→微 globally would break 维权): canonical → variants, e.g. "微": ["薇","威"].
     */
    homophones: z.record(z.string().length(1), z.array(z.string().length(1)).max(16)).default({}),
    scoring: Scoring,
    /** Absent: the built-in list's grammar. */
    grammar: Grammar.optional(),
    /** Absent: verdicts from the lexicon's scoring rules alone. */
    model: Model.optional(),
    entries: z.array(Entry).max(500_000),
  })
  .superRefine((list, ctx) => {
    const seen = new Set<string>();
    list.entries.forEach((entry, index) => {
      if (seen.has(entry.id)) {
        ctx.addIssue({
          code: 'custom',
          path: ['entries', index, 'id'],
          message: `duplicate entry id ${entry.id}`,
        });
      }
      seen.add(entry.id);
    });
  });
export type List = z.infer<typeof List>;

/** Parses untrusted list JSON, with an error that names the first problems. */
export function parseList(input: unknown): List {
  const result = List.safeParse(input);
  if (result.success) return result.data;
  const problems = result.error.issues
    .slice(0, 5)
    .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
    .join('; ');
  throw new ListError(`invalid list: ${problems}`);
}

export class ListError extends Error {
  override name = 'ListError';
}

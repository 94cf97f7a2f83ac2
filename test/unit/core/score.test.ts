import { describe, expect, it } from 'vitest';
import { compileList } from '../../../src/core/compile-list';
import { loadMatcher } from '../../../src/core/matcher';
import { assess } from '../../../src/core/score';
import { sampleList } from './sample-list';

const matcher = loadMatcher(compileList(sampleList));

describe('the scorer', () => {
  it.each([
    ['征*信*修*复，加V详聊', 'lead', '征*信*修*复'],
    ['徵信修復 vx：abc12345', 'lead', '徵信修復'],
    ['代理退bao 不成功不收费', 'lead', '代理退bao'],
    ['zx修复 加V', 'lead', 'zx修复'],
    ['tingxi挂账 私信 13900139000', 'lead', 'tingxi挂账'],
    ['停息挂帐找我，电话13900139000', 'lead', '停息挂帐'],
    ['5折解债，加V', 'lead', '5折解债'],
    ['退保新政出台，代理退保找我', 'lead', '代理退保'],
    ['警惕“征信修复”骗局，切勿加V', 'mention', '征信修复'],
    ['我被骗了，找人代理退保交了四千多', 'mention', '代理退保'],
    ['征信修复是真的吗', 'mention', '征信修复'],
    ['d理退保 加V', 'lead', 'd理退保'],
    ['征信修复 私信了解', 'lead', '征信修复'],
    ['征信修复，有需要的私信了哈', 'lead', '征信修复'],
    // A lure the writer tells of (私信了一个, 私信过) is a story, not a request.
    ['征信修复那阵子我私信了一个博主', 'mention', '征信修复'],
    ['征信修复的事私信过他们', 'mention', '征信修复'],
    ['代理退保那边让我私信', 'mention', '代理退保'],
    ['代理退保的事，有人私信你要钱', 'mention', '代理退保'],
    // A promise someone else made, or a fee paid, is told, not offered.
    ['号称不成功不收费的代理退保', 'mention', '代理退保'],
    ['代理退保，交了3000不成功不收费的钱', 'mention', '代理退保'],
    // The grammar is matched on folded text: traditional and full-width spellings read the same.
    ['號稱不成功不收費的代理退保', 'mention', '代理退保'],
    ['徵信修復那陣子我私信過他們', 'mention', '徵信修復'],
    ['請勿私信，征信修复都是骗局', 'mention', '征信修复'],
    // A negation ends at the clause: full-width commas fold to ',' and still end it.
    ['征信修复，别担心，私信我', 'lead', '征信修复'],
    ['代理退保不要犹豫，加V', 'lead', '代理退保'],
    ['代理退保不要犹豫,加V', 'lead', '代理退保'],
    ['代理退保，不要加V', 'mention', '代理退保'],
    // Reassurance is not refusal: 别慌 and 不要犹豫 begin with a negation word but ask all the same.
    ['征信修复 别慌 私信我', 'lead', '征信修复'],
    ['代理退保千万别怕加V', 'lead', '代理退保'],
    ['代理退保千万别加V', 'mention', '代理退保'],
    ['代理退保 📮', 'lead', '代理退保'],
    ['zx修复', 'clean', null],
    ['征x修复', 'clean', null],
    ['txgz', 'clean', null],
    ['犹豫期内退保可以全额退', 'clean', null],
    ['加V领优惠券', 'clean', null],
    ['微信支付很方便', 'clean', null],
  ])('%j is a %s', (text, verdict, covered) => {
    const a = assess(matcher, text);
    expect(a.verdict, a.why).toBe(verdict);
    if (covered) {
      const start = text.indexOf(covered);
      expect(a.matches.some((m) => m.start <= start && m.end >= start + covered.length)).toBe(true);
    }
    expect(a.why.length).toBeGreaterThan(0);
  });

  it('flags a listed contact even when it is the only signal', () => {
    const a = assess(matcher, '有事联系 tuibao_laoshi888，加V');
    expect(a.contacts.find((c) => c.value === 'tuibao_laoshi888')?.ruleId).toBe('ct.wx');
  });

  it('matches listed contacts written differently from the list (+86, spaces)', () => {
    const a = assess(matcher, '代理退保 电话 138 0013 8000');
    expect(a.contacts[0]?.ruleId).toBe('ct.phone');
    expect(a.verdict).toBe('lead');
  });

  it('raises a listed account to a lead and never flags an allowed one', () => {
    const text = '退保咨询，退回保费';
    expect(assess(matcher, text).verdict).toBe('mention');
    const listed = assess(matcher, text, {
      author: { platform: 'douyin', id: 'MS4wLjABAAAAagent' },
    });
    expect(listed.verdict).toBe('lead');
    expect(listed.account?.ruleId).toBe('acct.agent');
    const allowed = assess(matcher, '代理退保加V', {
      author: { platform: 'weibo', id: '1000000001' },
    });
    expect(allowed.verdict).toBe('clean');
    expect(allowed.account?.allowed).toBe(true);
  });

  it('explains itself in terms a moderator reads', () => {
    const a = assess(matcher, '征信修复 加V');
    expect(a.why).toContain('征信修复');
    expect(a.why).toContain('加V');
    expect(a.categories).toEqual(['征信修复', '引流']);
  });
});

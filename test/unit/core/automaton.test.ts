import { describe, expect, it } from 'vitest';
import { buildAutomaton, scanAutomaton } from '../../../src/core/automaton';
import { foldPhrase } from '../../../src/core/normalize';

const phrases = [
  '征信修复',
  '信修',
  '停息挂账',
  'vx',
  'av',
  '69',
  '加v',
  '+v',
  '代理退保',
  '他',
  '他们',
  '私我',
  '反催收',
  '+卫星',
  'dd',
  '退dan',
];
// Folding drops separators from phrases; the list compiler emits '+卫星' as it is (the homophone
// form of 加卫星, 加 → +), so the automaton sees it the same way here.
const folded = phrases.map((p) => (p === '+卫星' ? p : foldPhrase(p)));
const automaton = buildAutomaton(folded);

function find(text: string): string[] {
  const r = scanAutomaton(automaton, text);
  const out: string[] = [];
  for (let j = 0; j < r.count; j++) {
    const [p, s, e] = [r.data[j * 3]!, r.data[j * 3 + 1]!, r.data[j * 3 + 2]!];
    out.push(`${phrases[p]}=${text.slice(s, e)}`);
  }
  return out.sort();
}

describe('the automaton', () => {
  it.each([
    ['征信修复', ['信修=信修', '征信修复=征信修复']],
    ['征*信*修*复', ['信修=信*修', '征信修复=征*信*修*复']],
    ['征 信 修 复', ['信修=信 修', '征信修复=征 信 修 复']],
    ['征.信.修.复', ['信修=信.修', '征信修复=征.信.修.复']],
    ['停📛息📛挂📛账', ['停息挂账=停📛息📛挂📛账']],
    ['征\u200b信\u200d修\ufeff复', ['信修=信\u200d修', '征信修复=征\u200b信\u200d修\ufeff复']],
    ['征\n信\n修\n复', ['信修=信\n修', '征信修复=征\n信\n修\n复']],
    ['徵信修復', ['信修=信修', '征信修复=徵信修復']],
    ['停 息 掛 賬', ['停息挂账=停 息 掛 賬']],
    ['征征信信修修复', ['信修=信信修', '征信修复=征征信信修修复']],
    ['ＶＸ', ['vx=ＶＸ']],
    ['Ⓥⓧ', ['vx=Ⓥⓧ']],
    ['𝐯𝐱', ['vx=𝐯𝐱']],
    ['加Ｖ', ['加v=加Ｖ']],
    ['➕V', ['+v=➕V']],
    ['✚v', ['+v=✚v']],
    ['+V', ['+v=+V']],
    ['I have a cat', []],
    ['695', []],
    ['call 69 now', ['69=69']],
    ['vx12345', ['vx=vx']],
    ['代理退保代理退保', ['代理退保=代理退保', '代理退保=代理退保']],
    ['他们', ['他=他', '他们=他们']],
    // One emoji is one noise character, however many code points draw it.
    ['私❤️我', ['私我=私❤️我']],
    ['私👍🏻我', ['私我=私👍🏻我']],
    ['停👨‍👩‍👧息👨‍👩‍👧挂👨‍👩‍👧账', ['停息挂账=停👨‍👩‍👧息👨‍👩‍👧挂👨‍👩‍👧账']],
    // + is noise inside a phrase, and starts one after noise or a finished phrase.
    ['停+息挂账', ['停息挂账=停+息挂账']],
    ['反催收＋卫星', ['反催收=反催收', '+卫星=＋卫星']],
    ['反催收 ＋卫星', ['反催收=反催收', '+卫星=＋卫星']],
    // A repeated character is skipped inside a phrase, unless a shorter phrase goes on with it:
    // 退，d went down 退dan, and the lure dd starts at the first d. The price:
    // a doubled letter inside such a phrase (退ddan) is no longer tolerated; Chinese repeats are.
    ['退，dd', ['dd=dd']],
    ['退dd', ['dd=dd']],
  ])('finds the phrases in %j', (text, expected) => {
    expect(find(text)).toEqual([...expected].sort());
  });

  it('gives up a phrase when more than maxGap noise characters separate two of its characters', () => {
    expect(find('征    信修复')).toEqual(['信修=信修']);
  });

  it('does not let single-character patterns through the boundary of the alphabet', () => {
    // 他 is a 1-character pattern (the list compiler rejects those; the automaton itself doesn't).
    expect(find('他')).toEqual(['他=他']);
  });

  it('is deterministic: the same patterns give the same arrays', () => {
    const again = buildAutomaton(folded);
    expect(Buffer.from(again.edgeTo.buffer)).toEqual(Buffer.from(automaton.edgeTo.buffer));
    expect(Buffer.from(again.fail.buffer)).toEqual(Buffer.from(automaton.fail.buffer));
  });
});

import { describe, expect, it } from 'vitest';
import { extractContacts } from '../../../src/core/contacts';
import { defaultList } from '../../../src/core/default-list';
import { compileGrammar } from '../../../src/core/grammar';

const grammar = compileGrammar(defaultList().grammar!);

describe('contact extraction', () => {
  it.each([
    ['加V：tuibao_laoshi888 详聊', [['wechat', 'tuibao_laoshi888', 'tuibao_laoshi888']]],
    ['薇信 zxxf-2024a 私聊', [['wechat', 'zxxf-2024a', 'zxxf-2024a']]],
    ['停息挂账｜薇：demo_xs', [['wechat', 'demo_xs', 'demo_xs']]],
    ['电话 壹叁捌 零零壹叁 捌零零零', [['phone', '13800138000', '壹叁捌 零零壹叁 捌零零零']]],
    ['①③⑧⓪⓪①③⑧⓪⓪⓪ 微信同号', [['phone', '13800138000', '①③⑧⓪⓪①③⑧⓪⓪⓪']]],
    ['幺三八 零零一三 八零零零', [['phone', '13800138000', '幺三八 零零一三 八零零零']]],
    ['1 3 8 🔥0 0 1 3 8 0 0 0', [['phone', '13800138000', '1 3 8 🔥0 0 1 3 8 0 0 0']]],
    ['+86 138-0013-8000', [['phone', '13800138000', '138-0013-8000']]],
    ['１３８００１３８０００', [['phone', '13800138000', '１３８００１３８０００']]],
    ['扣扣：800800800', [['qq', '800800800', '800800800']]],
    ['🐧 12345678', [['qq', '12345678', '12345678']]],
    ['看主页 www.tuibao-help.cn/abc', [['url', 'tuibao-help.cn/abc', 'www.tuibao-help.cn/abc']]],
    ['官网 tuibao-help.top', [['domain', 'tuibao-help.top', 'tuibao-help.top']]],
    ['请拨打12378热线咨询', []],
    ['订单号 695123 已发货', []],
    ['三四个人一起去', []],
    ['微信支付很方便', []],
    ['I have a VX-200 camera', []],
  ])('reads %j', (text, expected) => {
    expect(
      extractContacts(text, grammar).map((c) => [c.type, c.value, text.slice(c.start, c.end)]),
    ).toEqual(expected);
  });
});

/** Texts whose 征信修复 must be found at exact offsets (offsets.test.ts and the e2e). */
/** [label, text, the exact span the 征信修复 match must cover]. */
export const offsetCases: [string, string, string][] = [
  ['emoji before', '😀👍🏽征信修复 加V', '征信修复'],
  ['an emoji inside', '征😀信修复 加V', '征😀信修复'],
  ['a ZWJ emoji sequence inside', '征👨‍👩‍👧信修复 加V', '征👨‍👩‍👧信修复'],
  ['combining marks before', 'e\u0301\u0301征信修复 加V', '征信修复'],
  [
    'zero-width characters inside',
    '\u200b征\u200b信\u200d修\ufeff复\u200c 加V',
    '征\u200b信\u200d修\ufeff复',
  ],
  ['NUL around', '\u0000征信修复\u0000 加V', '征信修复'],
  ['a lone high surrogate before', '\ud800征信修复 加V', '征信修复'],
  ['a lone low surrogate after', '征信修复\udc00 加V', '征信修复'],
  ['an RTL override around', '\u202e征信修复\u202c 加V', '征信修复'],
  ['RTL isolates and marks inside', '征\u2067信\u2069修\u200f复 加V', '征\u2067信\u2069修\u200f复'],
  [
    'all of them',
    '\u0000😀\u202e\ud800e\u0301征\u200b信😀修\u2067复\u2069 加V',
    '征\u200b信😀修\u2067复',
  ],
];

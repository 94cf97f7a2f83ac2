import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { foldText } from '../../../src/core/normalize';

const root = join(import.meta.dirname, '../../..');

describe('the generated fold table', () => {
  it('is what scripts/gen-fold-data.ts makes from the installed opencc-js', () => {
    const file = join(root, 'src/core/fold-data.ts');
    const before = readFileSync(file, 'utf8');
    execFileSync('npx', ['tsx', 'scripts/gen-fold-data.ts'], { cwd: root, stdio: 'pipe' });
    expect(readFileSync(file, 'utf8')).toBe(before);
    // It runs the generator in a child process (tsx start-up): seconds on a busy machine.
  }, 60_000);

  it.each([
    ['徵信修復', '征信修复'],
    ['債務優化', '债务优化'],
    ['停息掛賬', '停息挂账'],
    ['臺灣', '台湾'],
    ['什么', '什么'], // simplified forms never fold (么 is not 幺)
    ['収入', '收入'], // shinjitai → simplified
    ['ＶＸ ＡＢＣ', 'vx abc'],
    ['Ⓥⓧ', 'vx'],
    ['zhēngxìn', 'zhengxin'],
    ['⼈', '人'],
  ])('folds %j to %j, one unit per unit', (input, expected) => {
    expect(foldText(input)).toBe(expected);
  });
});

import { describe, expect, it } from 'vitest';
import { csvCell } from '../../../src/ui/reports';

describe('CSV cells', () => {
  it.each([
    ['征信修复 加V', '"征信修复 加V"'],
    ['say "hi"', '"say ""hi"""'],
    ['=HYPERLINK("http://x")', `"'=HYPERLINK(""http://x"")"`],
    ['+86 138', `"'+86 138"`],
    ['-1', `"'-1"`],
    ['@sum', `"'@sum"`],
    [null, '""'],
    [0.97, '"0.97"'],
  ])('%j → %s', (value, cell) => {
    expect(csvCell(value)).toBe(cell);
  });
});

import { describe, expect, it } from 'vitest';
import { lineDiff } from './diff';

describe('lineDiff', () => {
  it.each([
    ['a\nb\nc', 'a\nb\nc', ' a| b| c'],
    ['a\nb\nc', 'a\nx\nc', ' a|-b|+x| c'],
    ['a\nc', 'a\nb\nc', ' a|+b| c'],
    ['a\nb', 'b', '-a| b'],
    ['', 'a', '-|+a'],
  ])('%j → %j', (before, after, expected) => {
    expect(lineDiff(before, after).map((d) => `${d.op}${d.line}`).join('|')).toBe(expected);
  });
});

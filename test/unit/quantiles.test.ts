import { describe, expect, it } from 'vitest';
import { quantileBreaks, quantileClass } from '../../domain/quantiles.ts';

describe('quantile breaks (type 7)', () => {
  it('splits 1…9 into quarters at 3, 5 and 7', () => {
    // h = 8 × k/4 = 2, 4, 6 → the 3rd, 5th and 7th values.
    expect(quantileBreaks([9, 1, 8, 2, 7, 3, 6, 4, 5], 4)).toEqual([3, 5, 7]);
  });

  it('interpolates between order statistics', () => {
    // [10, 20, 30, 40]: h = 3 × 1/3 = 1 → 20; h = 3 × 2/3 = 2 → 30. Halves: h = 1.5 → 25.
    expect(quantileBreaks([40, 10, 30, 20], 3)).toEqual([20, 30]);
    expect(quantileBreaks([40, 10, 30, 20], 2)).toEqual([25]);
  });

  it('drops repeated breaks when many values are equal, and ignores missing ones', () => {
    // h = 9 × 0.2, 0.4, 0.6 fall on zeros (the minimum: no break); h = 7.2 → 0 + 0.2 × (10 − 0) = 2.
    const breaks = quantileBreaks([0, 0, 0, 0, 0, 0, 0, 0, 10, 20], 5);
    expect(breaks).toHaveLength(1);
    expect(breaks[0]).toBeCloseTo(2, 12);
    expect(quantileBreaks([NaN, Infinity, 1, 3], 2)).toEqual([2]);
    expect(quantileBreaks([], 5)).toEqual([]);
  });

  it('puts a value equal to a break in the class above', () => {
    const breaks = [3, 5, 7];
    expect([1, 3, 4.9, 5, 7, 100].map((v) => quantileClass(v, breaks))).toEqual([0, 1, 1, 2, 3, 3]);
  });
});

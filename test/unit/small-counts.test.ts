import { describe, expect, it } from 'vitest';
import { canBeWorkedOut, withholdSmallCounts } from '../../functions/domain/small-counts.js';

const THRESHOLD = 5;

function withheldCells(counts: number[], threshold: number): boolean[] {
  const { cells, total } = withholdSmallCounts(counts, threshold);
  expect(total).toBe(false);
  return cells;
}

/**
 * Every value each withheld figure could take, for a reader who knows the total, the figures
 * shown and that a withheld figure is at least 1 (or 0, when 0s are withheld too).
 */
function possibleValues(counts: number[], withheld: boolean[]): Set<number>[] {
  const hidden = counts.map((_, i) => i).filter((i) => withheld[i]);
  const least = withheld.every(Boolean) ? 0 : 1;
  const sum = hidden.reduce((a, i) => a + (counts[i] as number), 0);
  const values = hidden.map(() => new Set<number>());
  const pick = (k: number, left: number, chosen: number[]) => {
    if (k === hidden.length - 1) {
      if (left < least) return;
      for (const [m, v] of [...chosen, left].entries()) values[m]?.add(v);
      return;
    }
    for (let v = least; v <= left; v++) pick(k + 1, left - v, [...chosen, v]);
  };
  if (hidden.length) pick(0, sum, []);
  return values;
}

describe('withholdSmallCounts', () => {
  it('withholds nothing when no figure is from 1 to 4, and never a 0 on its own account', () => {
    expect(withheldCells([20, 7, 0, 5], THRESHOLD)).toEqual([false, false, false, false]);
  });

  it('withholds the next smallest too when a single figure would be withheld, as the total less the rest gives it', () => {
    // 2 alone would be 30 − 20 − 8.
    expect(withheldCells([8, 20, 2, 0], THRESHOLD)).toEqual([true, false, true, false]);
  });

  it('withholds the next smallest too when two figures of 1 are withheld, as they must add to 2', () => {
    expect(withheldCells([20, 1, 1, 0, 0, 0], THRESHOLD)).toEqual([true, true, true, false, false, false]);
  });

  it('withholds no more than the small figures when the sum of them leaves each more than one value', () => {
    // The two add to 3: one is 1 and the other 2, but which is which cannot be told.
    expect(withheldCells([20, 1, 2, 0], THRESHOLD)).toEqual([false, true, true, false]);
    expect(withheldCells([20, 3, 3, 3], THRESHOLD)).toEqual([false, true, true, true]);
  });

  it('withholds the next smallest too when small figures could only each be 4, as a small figure is at most 4', () => {
    expect(withheldCells([4, 4, 30, 10], THRESHOLD)).toEqual([true, true, false, true]);
  });

  it('withholds every figure, the 0s too, when no other figure is left to withhold', () => {
    expect(withheldCells([1, 1, 1, 1, 1, 0], THRESHOLD)).toEqual([true, true, true, true, true, true]);
    expect(withheldCells([4, 4, 0], THRESHOLD)).toEqual([true, true, true]);
  });

  it('withholds the total too when every figure is withheld and none is 0, as the total alone gives them', () => {
    // Five answers given once each: 5 figures adding to 5, each at least 1.
    expect(withholdSmallCounts([1, 1, 1, 1, 1], THRESHOLD)).toEqual({
      cells: [true, true, true, true, true],
      total: true,
    });
  });

  it('leaves no withheld figure that subtraction gives exactly, in any breakdown of three figures up to 12', () => {
    for (let a = 0; a <= 12; a++)
      for (let b = 0; b <= 12; b++)
        for (let c = 0; c <= 12; c++) {
          const counts = [a, b, c];
          const { cells: withheld, total } = withholdSmallCounts(counts, THRESHOLD);
          if (total) continue;
          const values = possibleValues(counts, withheld);
          for (const v of values) expect(v.size, JSON.stringify(counts)).toBeGreaterThan(1);
        }
  });
});

describe('canBeWorkedOut', () => {
  it('says a single withheld figure can be worked out, whatever it is', () => {
    expect(canBeWorkedOut([20, 3], [false, true], THRESHOLD)).toBe(true);
    expect(canBeWorkedOut([20, 30], [false, true], THRESHOLD)).toBe(true);
  });

  it('says figures that must add to no more than one each can be worked out, and others cannot', () => {
    expect(canBeWorkedOut([20, 1, 1], [false, true, true], THRESHOLD)).toBe(true);
    expect(canBeWorkedOut([20, 1, 2], [false, true, true], THRESHOLD)).toBe(false);
  });

  it('takes a figure withheld as the next smallest to be at most the smallest still shown', () => {
    // The withheld 12 is at most the 12 shown, so the two small ones add to at least 8: both are 4.
    expect(canBeWorkedOut([12, 4, 12, 4], [true, true, false, true], THRESHOLD)).toBe(true);
    expect(canBeWorkedOut([12, 4, 30, 4], [true, true, false, true], THRESHOLD)).toBe(false);
  });
});

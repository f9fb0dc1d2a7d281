/**
 * Small-number suppression for a breakdown of a published total, with secondary (complementary)
 * suppression as statistical disclosure control does it (the Office for National Statistics'
 * guidance on disclosure control of tables): withholding the small figures is not enough when
 * they can be worked out by subtraction. The total less the figures shown is the sum of those
 * withheld; one withheld figure is then known exactly, and so are two withheld figures that must
 * add to 2 (each is at least 1, since a 0 is shown).
 *
 * What a reader is taken to know: the total (the breakdown's figures add up to it), every figure
 * shown, that a figure withheld for being small is from 1 to `threshold − 1`, and that one
 * withheld for being the next smallest is at least `threshold` and at most the smallest figure
 * still shown.
 */

/** What to withhold of one breakdown: each figure, and whether the total must go too. */
export interface Withholding {
  cells: boolean[];
  /**
   * The total itself must be withheld: every figure is withheld, none is 0 to blur which is which,
   * and they could still be worked out from the total alone (five answers given once each).
   */
  total: boolean;
}

/**
 * Which figures of a breakdown to withhold: every one from 1 to `threshold − 1`, then, while any
 * withheld figure could still be worked out, the smallest figure still shown that is not 0. When
 * no such figure is left, every figure of the breakdown is withheld, the 0s too, so that only the
 * total is known; and when there is no 0 among them, the total as well. Nothing is withheld when
 * no figure is small.
 */
export function withholdSmallCounts(counts: readonly number[], threshold: number): Withholding {
  const withheld = counts.map((n) => n >= 1 && n < threshold);
  while (withheld.some(Boolean) && canBeWorkedOut(counts, withheld, threshold)) {
    const next = counts
      .map((n, i) => ({ n, i }))
      .filter(({ n, i }) => n > 0 && !withheld[i])
      .sort((a, b) => a.n - b.n)[0];
    if (!next) return { cells: counts.map(() => true), total: counts.every((n) => n > 0) };
    withheld[next.i] = true;
  }
  return { cells: withheld, total: false };
}

/**
 * Whether any withheld figure has only one value that fits what the reader knows: the withheld
 * figures add to the total less those shown, a small one is from 1 to `threshold − 1` and any
 * other from `threshold` to the smallest figure shown (other than 0).
 */
export function canBeWorkedOut(
  counts: readonly number[],
  withheld: readonly boolean[],
  threshold: number,
): boolean {
  const hidden = counts.filter((_, i) => withheld[i]);
  const sum = hidden.reduce((a, b) => a + b, 0);
  const shown = counts.filter((n, i) => n > 0 && !withheld[i]);
  const next = Math.min(sum, ...shown);
  const small = (n: number) => n < threshold;
  const least = (n: number) => (small(n) ? 1 : threshold);
  const most = (n: number) => (small(n) ? threshold - 1 : next);
  const leastOfAll = hidden.reduce((a, n) => a + least(n), 0);
  const mostOfAll = hidden.reduce((a, n) => a + most(n), 0);
  return hidden.some(
    (n) =>
      Math.max(least(n), sum - (mostOfAll - most(n))) >= Math.min(most(n), sum - (leastOfAll - least(n))),
  );
}

import { canBeWorkedOut } from '../domain/small-counts.js';

/**
 * Secondary suppression for the performance report: the small-number rule
 * (`domain/small-counts.ts`) applied across the report's breakdowns at once. A breakdown's
 * figures add up to a total the report shows; a figure withheld in one breakdown, or a total
 * withheld in another, changes what the rest give away, so the breakdowns are gone over again
 * until none lets a withheld figure be worked out. The same count shown in two places (the
 * complaints received and the complaints that reached stage 1; the redirected count in the
 * totals and in its own section) is withheld in both or neither.
 */

/** One figure of the report: how many cases it counts, whether it is shown, and how to withhold it. */
export interface Figure {
  readonly value: number;
  shown(): boolean;
  withhold(): void;
}

/** Figures that add up to a total the report also shows. */
export interface Breakdown {
  total: Figure;
  parts: readonly Figure[];
}

/**
 * Withholds, beyond the small figures already withheld, whatever lets one be worked out: the
 * next smallest figure of a breakdown (or its total, when no figure other than 0 is left), and
 * every copy of a withheld figure. Returns whether it withheld anything.
 */
export function withholdWorkedOut(
  breakdowns: readonly Breakdown[],
  copies: readonly (readonly Figure[])[],
  threshold: number,
): boolean {
  let withheldAny = false;
  for (let changed = true; changed; ) {
    changed = false;
    for (const same of copies) {
      if (!same.some((f) => !f.shown())) continue;
      for (const f of same.filter((f) => f.shown())) {
        f.withhold();
        changed = withheldAny = true;
      }
    }
    for (const { total, parts } of breakdowns) {
      const withheld = parts.map((p) => !p.shown());
      if (!total.shown()) {
        // A total withheld is still the sum of its figures when every one is shown (a total is
        // often broken down more than one way: by service, by directorate, by channel).
        if (withheld.some(Boolean)) continue;
        const next = parts.filter((p) => p.value > 0).sort((a, b) => a.value - b.value)[0];
        if (!next) continue;
        next.withhold();
        changed = withheldAny = true;
        continue;
      }
      if (!withheld.some(Boolean)) continue;
      if (
        !canBeWorkedOut(
          parts.map((p) => p.value),
          withheld,
          threshold,
        )
      )
        continue;
      const next = parts.filter((p) => p.shown() && p.value > 0).sort((a, b) => a.value - b.value)[0];
      (next ?? total).withhold();
      changed = withheldAny = true;
    }
  }
  return withheldAny;
}

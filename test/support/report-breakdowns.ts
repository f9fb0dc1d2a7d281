import type { Policy } from '../../functions/domain/policy-schema.js';
import {
  type Count,
  isSuppressed,
  type PerformanceReport,
  type TimelinessBreakdown,
} from '../../functions/reports/compute.js';

/**
 * What a reader of the published report can work out. Each figure below is a breakdown of a
 * total it shows; a figure withheld as small is from 1 to 4, one withheld further (`secondary`)
 * any number up to what the total leaves. Whatever is withheld, no withheld figure may
 * have only one value that fits: the test reasons from the report alone, as a reader would.
 */
type Shown = number | { suppressed: true; secondary?: true };

export function workedOut(total: Shown, parts: Shown[]): number[] {
  if (isSuppressed(total)) return [];
  const shown = parts.filter((p): p is number => !isSuppressed(p));
  const hidden = parts.filter((p) => isSuppressed(p)) as { suppressed: true; secondary?: true }[];
  if (hidden.length === 0) return [];
  const sum = total - shown.reduce((a, b) => a + b, 0);
  const range = (p: { secondary?: true }) => (p.secondary ? [0, sum] : [1, 4]) as [number, number];
  const ranges = hidden.map(range);
  const lows = ranges.reduce((a, [lo]) => a + lo, 0);
  const highs = ranges.reduce((a, [, hi]) => a + hi, 0);
  return ranges.flatMap(([lo, hi]) => {
    const least = Math.max(lo, sum - (highs - hi));
    const most = Math.min(hi, sum - (lows - lo));
    return least >= most ? [least] : [];
  });
}

const cases = (c: TimelinessBreakdown['all']): Shown => (isSuppressed(c) ? c : c.cases);

/** Every breakdown the report publishes with its total, by name. */
export function breakdowns(r: PerformanceReport, policy: Policy): [string, Shown, Shown[]][] {
  const values = (o: Record<string, Count>) => Object.values(o) as Shown[];
  const out: [string, Shown, Shown[]][] = [
    ['received', r.totals.received, [r.totals.handled, r.totals.redirected]],
    ['by kind', r.totals.handled, values(r.counts.byKind)],
    ['by service', r.totals.handled, values(r.counts.byService)],
    ['by directorate', r.totals.handled, values(r.counts.byDirectorate)],
    ['by channel', r.totals.handled, values(r.counts.byChannel)],
    ['redirected', r.redirected.total, values(r.redirected.byExclusion)],
    ['compliments', r.compliments.total, values(r.compliments.byService)],
  ];
  for (const directorate of Object.keys(r.counts.byDirectorate)) {
    const services = policy.routing.services.filter((s) => s.directorate === directorate).map((s) => s.id);
    out.push([
      `services of ${directorate}`,
      r.counts.byDirectorate[directorate] as Count,
      services.map((s) => r.counts.byService[s] ?? 0) as Shown[],
    ]);
  }
  for (const [clock, groups] of Object.entries(r.timeliness)) {
    for (const [group, b] of Object.entries(groups as Record<string, TimelinessBreakdown>)) {
      for (const by of ['byService', 'byDirectorate', 'byChannel'] as const) {
        out.push([`${clock} ${group} ${by}`, cases(b.all), Object.values(b[by]).map(cases)]);
      }
    }
  }
  return out;
}

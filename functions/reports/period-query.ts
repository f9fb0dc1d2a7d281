import * as z from 'zod';
import { addDays, addYears, MAX_PERIOD_YEARS, type Period, YEARS } from './period.js';

/**
 * The report pages' `from`/`to` query, read with zod: a module of its own, apart from
 * `period.ts`, so that the functions that only reckon with periods (the stream's counters, the
 * monthly report) do not load zod's whole API when they start.
 */

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

function isRealDate(s: string): boolean {
  if (!DATE_RE.test(s)) return false;
  const year = Number(s.slice(0, 4));
  if (year < YEARS.first || year > YEARS.last) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

const dateField = (name: string) =>
  z
    .string({ error: `Enter the ${name} date` })
    .trim()
    .min(1, `Enter the ${name} date`)
    .refine(
      isRealDate,
      `The ${name} date must be a real date from ${YEARS.first} to ${YEARS.last} written YYYY-MM-DD, like 2025-04-01`,
    );

/**
 * The `from`/`to` query of the performance report: real dates, `from` not after `to`, and at
 * most {@link MAX_PERIOD_YEARS} years apart. One message per field.
 */
export const periodQuerySchema = z
  .object({ from: dateField('start'), to: dateField('end') })
  .superRefine((q, ctx) => {
    // Each unreal date has its own message already; comparing them would only throw.
    if (!isRealDate(q.from) || !isRealDate(q.to)) return;
    if (q.from > q.to) {
      ctx.addIssue({
        code: 'custom',
        path: ['to'],
        message: 'The end date must be the same as or after the start date',
      });
    } else if (q.to > addDays(addYears(q.from, MAX_PERIOD_YEARS), -1)) {
      ctx.addIssue({
        code: 'custom',
        path: ['to'],
        message: `The report can cover at most ${MAX_PERIOD_YEARS} years: choose an end date before ${addYears(q.from, MAX_PERIOD_YEARS)}`,
      });
    }
  });

/** Parses a query into a period, or returns one message per field (`from`, `to`). */
export function parsePeriod(
  query: Record<string, string | undefined> | null | undefined,
): { ok: true; period: Period } | { ok: false; errors: Record<string, string> } {
  const parsed = periodQuerySchema.safeParse({ from: query?.from, to: query?.to });
  if (parsed.success) return { ok: true, period: parsed.data };
  const errors: Record<string, string> = {};
  for (const issue of parsed.error.issues) {
    const key = String(issue.path[0] ?? 'query');
    errors[key] ??= issue.message;
  }
  return { ok: false, errors };
}

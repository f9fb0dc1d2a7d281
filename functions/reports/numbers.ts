import { onFirstUse } from '../domain/first-use.js';

/**
 * Number formatting for the reports, with formatters made once: `toLocaleString` with a locale
 * builds a new `Intl.NumberFormat` (and loads its locale data) on every call, and a report
 * formats a number for every cell.
 */

const whole = onFirstUse(() => new Intl.NumberFormat('en-GB'));
const oneDecimal = onFirstUse(() => new Intl.NumberFormat('en-GB', { maximumFractionDigits: 1 }));

/** `12345` → `12,345` (as `toLocaleString('en-GB')`). */
export function formatCount(n: number): string {
  return whole().format(n);
}

/** `12.345` → `12.3`, `12` → `12` (at most one decimal place, en-GB). */
export function formatOneDecimal(n: number): string {
  return oneDecimal().format(n);
}

import type { RateLimit } from './ports.js';

/**
 * How much public feedback one sender may send. A resident rarely sends more than a couple of
 * complaints a day; someone using the form to have the council email strangers, or to flood
 * the complaints team, sends hundreds. Staff entering a letter or a call are not limited here.
 */
export interface IntakeLimits {
  /** Submissions giving one email address, per day. */
  perEmailPerDay: number;
  /** Submissions from one client (IP address), per hour. */
  perClientPerHour: number;
}

/** Defaults: above any real resident's use, far below what abuse needs. */
export const DEFAULT_INTAKE_LIMITS: IntakeLimits = { perEmailPerDay: 10, perClientPerHour: 60 };

const HOUR = 3_600;
const DAY = 24 * HOUR;

/** The limits one submission is counted against: its email address (if any) and its client. */
export function intakeRateLimits(
  limits: IntakeLimits,
  sender: { email?: string | undefined; client?: string | undefined },
): RateLimit[] {
  const out: RateLimit[] = [];
  if (sender.email) {
    out.push({
      key: `email:${sender.email.trim().toLowerCase()}`,
      max: limits.perEmailPerDay,
      windowSeconds: DAY,
    });
  }
  if (sender.client) {
    out.push({ key: `client:${sender.client}`, max: limits.perClientPerHour, windowSeconds: HOUR });
  }
  return out;
}

/** Reads `10` or `off` style settings; a bad value is a configuration error at start. */
export function parseLimit(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value.trim() === '') return fallback;
  if (value.trim() === 'off') return Number.POSITIVE_INFINITY;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`${name} must be a whole number of at least 1, or "off"`);
  return n;
}

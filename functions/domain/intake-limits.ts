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
  // The client first: a sender refused for flooding from one address has not used up the
  // email address's allowance too (the other way round would cost the owner of the address).
  const out: RateLimit[] = [];
  if (sender.client) {
    out.push({
      key: `client:${clientKey(sender.client)}`,
      max: limits.perClientPerHour,
      windowSeconds: HOUR,
    });
  }
  if (sender.email) {
    out.push({ key: `email:${mailboxKey(sender.email)}`, max: limits.perEmailPerDay, windowSeconds: DAY });
  }
  return out;
}

/**
 * One mailbox however it is written: lower case, and without a `+tag` (`ada+1@…` and `ada+2@…`
 * reach the same inbox, so they share one allowance).
 */
export function mailboxKey(email: string): string {
  const address = email.trim().toLowerCase();
  const at = address.lastIndexOf('@');
  if (at < 0) return address;
  const local = address.slice(0, at).split('+')[0] ?? '';
  return `${local}${address.slice(at)}`;
}

/**
 * One client: an IPv4 address as it is; an IPv6 address by its /64, which one household or
 * device is given whole and can rotate addresses within.
 */
export function clientKey(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped?.[1]) return mapped[1];
  if (!ip.includes(':')) return ip;
  const [head = '', tail = ''] = ip.toLowerCase().split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = ip.includes('::')
    ? [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right]
    : left;
  const prefix = groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, ''));
  return `${prefix.join(':')}::/64`;
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

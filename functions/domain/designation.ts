import { londonDate } from './calendar.js';
import type { CaseRecord, Designation } from './case.js';
import type { Language } from './language.js';
import type { IsoTimestamp } from './types.js';

/**
 * Designating a complainant unreasonably persistent or vexatious. Dudley MBC Corporate Customer
 * Feedback Procedure, June 2019, §6 is the only one of the councils' documents that speaks of it:
 * an officer refers the matter to a nominated officer, who "will seek appropriate advice and
 * decide what action to take in dealing with the complainant's continued involvement with the
 * council" and "will inform the complainant that their behaviour has become vexatious and that
 * the council will not enter into any further correspondence with them on the matter". None of
 * the documents sets a review period; a designation that is never looked at again would restrict
 * someone for ever, so every one carries a review date, six months on unless the nominated
 * officer chooses another within a year.
 */

/**
 * The restrictions the nominated officer may choose, in the English words the complainant is
 * sent. A designation stores the keys (`Restriction`), never the words: the wording is looked
 * up when a page or a letter is written, in the case's language (`restrictionText`). The first
 * is §6's own: "the council will not enter into any further correspondence with them on the
 * matter".
 */
export const RESTRICTIONS = {
  'no-further-correspondence':
    'We will not enter into any further correspondence with you about this matter.',
  'single-contact': 'Please contact us only through the complaints team, who will reply to you.',
  'written-only': 'Please contact us in writing (by letter or email) rather than by phone.',
} as const;
export type Restriction = keyof typeof RESTRICTIONS;

/**
 * The restrictions a form post chose, as sent: the page has one checkbox per restriction, named
 * `restrictions.<key>` with the key as its value, because a form post keeps one value per name
 * and boxes named alike would send only the last one ticked. A single `restrictions` value (a
 * post made by hand) is taken too. Not checked against the list: the caller refuses what is not on it.
 */
export function restrictionsPosted(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  if (typeof value === 'object') return Object.values(value);
  return [value];
}

/**
 * The same restrictions in Welsh, for a resident whose case is in Welsh.
 * DRAFT WELSH: for review by the council's Welsh translation service with the letters
 * (`functions/templates/email/cy/README.md`).
 */
const RESTRICTIONS_CY: Readonly<Record<Restriction, string>> = {
  'no-further-correspondence': 'Ni fyddwn yn gohebu ymhellach â chi am y mater hwn.',
  'single-contact': 'Cysylltwch â ni drwy’r tîm cwynion yn unig, a fydd yn eich ateb.',
  'written-only': 'Cysylltwch â ni yn ysgrifenedig (drwy lythyr neu e-bost) yn hytrach na dros y ffôn.',
};

const RESTRICTION_WORDS: Readonly<Record<Language, Readonly<Record<Restriction, string>>>> = {
  en: RESTRICTIONS,
  cy: RESTRICTIONS_CY,
};

export function isRestriction(value: unknown): value is Restriction {
  return typeof value === 'string' && Object.hasOwn(RESTRICTIONS, value);
}

/**
 * The key of a restriction as a designation holds it: the key itself, or, on a designation
 * stored before keys were (when the English sentence was kept), the key of that sentence.
 * Undefined for text that is neither.
 */
export function restrictionKey(stored: string): Restriction | undefined {
  if (isRestriction(stored)) return stored;
  const entry = Object.entries(RESTRICTIONS).find(([, words]) => words === stored.trim());
  return entry ? (entry[0] as Restriction) : undefined;
}

/** A stored restriction in `language`'s words; text that is no known restriction is shown as it is. */
export function restrictionText(stored: string, language: Language = 'en'): string {
  const key = restrictionKey(stored);
  return key ? RESTRICTION_WORDS[language][key] : stored;
}

/** What applies to every designation: their later contact goes to the nominated officer (`triage`). */
export const ALWAYS_APPLIES =
  'Anything new you send us will go to our nominated officer, who will decide whether it needs a reply.';

/** Months to a designation's review when the nominated officer gives no date (an emailed decision). */
export const DEFAULT_REVIEW_MONTHS = 6;
/** The latest review date the nominated officer may set, in months from the decision. */
export const MAX_REVIEW_MONTHS = 12;

/** `YYYY-MM-DD` `months` calendar months after `date` (the month's last day when it has no such day). */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const total = m - 1 + months;
  const year = y + Math.floor(total / 12);
  const month = total % 12;
  const last = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return `${year}-${String(month + 1).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

/** The designation an emailed "designate" decision makes: the standing restriction, reviewed in six months. */
export function defaultDesignation(at: IsoTimestamp, by: string, reason: string): Designation {
  return {
    at,
    by,
    reason,
    restrictions: ['no-further-correspondence'],
    reviewBy: addMonths(londonDate(at), DEFAULT_REVIEW_MONTHS),
  };
}

/** Whether the complainant of these cases stands designated: new contact goes to the nominated officer. */
export function complainantDesignated(cases: readonly CaseRecord[]): boolean {
  return cases.some((c) =>
    c.designation
      ? c.designation.liftedAt === undefined
      : // Designated before designations were recorded: the flag alone. A case that was itself
        // routed to the nominated officer carries the flag as a copy, not as a decision.
        c.vexatious === true && c.triage.route !== 'nominated-officer',
  );
}

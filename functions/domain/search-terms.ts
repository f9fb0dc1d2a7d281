import type { CaseRecord } from './case.js';

/**
 * What staff can search cases by — name, email, phone, postcode — as normalised terms. The case
 * store keeps each term only as a hash in its index keys (as it does the email of
 * `ByComplainant`), so no key names a resident; these functions say which terms a case has and
 * which terms a search asks for, so the two always normalise alike.
 */

/** A UK postcode anywhere in a text (outward and inward code, the space optional). */
const POSTCODE = /\b([A-Z]{1,2}[0-9][A-Z0-9]?)\s*([0-9][A-Z]{2})\b/i;
const REFERENCE = /^[A-Z]{3}-\d{4}-\d{6}$/i;

/** `SW1A 1AA`, `sw1a1aa` → `SW1A1AA`; undefined when the text holds no postcode. */
export function postcodeIn(text: string | undefined): string | undefined {
  const m = text ? POSTCODE.exec(text) : null;
  return m ? `${m[1]}${m[2]}`.toUpperCase() : undefined;
}

/**
 * A phone number's digits, `+44` written as the national `0`: `+44 1632 960001` and
 * `+44 (0)1632 960001` → `01632960001`.
 */
export function phoneDigits(phone: string): string {
  const digits = phone.replace(/[^0-9+]/g, '');
  if (!digits.startsWith('+44')) return digits.replace(/\D/g, '');
  const rest = digits.slice(3).replace(/\D/g, '');
  return rest.startsWith('0') ? rest : `0${rest}`;
}

/**
 * A run of a word's letters: a to z once accents are taken off (other Latin letters, such as ø,
 * part words as they always have, so the terms of cases already stored stay the same), and the
 * letters and marks of every other script (Олег, محمد, 王小明, सुरेश).
 */
const WORD = /(?:[a-z]|[^\P{L}\p{Script=Latin}]|[^\P{M}\p{Script=Latin}])+/gu;

/** Words of a name, lower-cased, letters only (`O'Brien-Smith` → `obrien`, `smith`). */
function nameWords(name: string): string[] {
  return (
    name
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[\u0300-\u036f']/g, '')
      .match(WORD) ?? []
  ).filter((w) => w.length >= 2);
}

/** The most terms a case has (the store writes them in the case's own transaction). */
export const MAX_SEARCH_TERMS = 16;

/** Every term a case can be found by (its reference is looked up directly, not through these). */
export function caseSearchTerms(c: Pick<CaseRecord, 'complainant' | 'onBehalfOf'>): string[] {
  const p = c.complainant ?? {};
  const contact: string[] = [];
  if (p.email?.trim()) contact.push(`email:${p.email.trim().toLowerCase()}`);
  if (p.phone) {
    const digits = phoneDigits(p.phone);
    if (digits.length >= 7) contact.push(`phone:${digits}`);
  }
  const postcode = postcodeIn(p.address);
  if (postcode) contact.push(`postcode:${postcode}`);
  const names = new Set<string>();
  for (const word of nameWords(p.name ?? '')) names.add(`name:${word}`);
  for (const word of nameWords(c.onBehalfOf?.name ?? '')) names.add(`name:${word}`);
  // The contact details first: a long name (or two) fills only what they leave.
  return [...contact, ...[...names].slice(0, MAX_SEARCH_TERMS - contact.length)].sort();
}

/** What a search box's text asks for: a reference, or terms every case found must have. */
export type SearchQuery = { reference: string } | { terms: string[] } | { empty: true };

/** What kind of detail a search was by: what the audit log keeps of it instead of the words. */
export type SearchKind = 'reference' | 'name' | 'email' | 'phone' | 'postcode';

/** The kind of detail a (non-empty) query searches by, from its terms' own prefixes. */
export function searchKind(query: Exclude<SearchQuery, { empty: true }>): SearchKind {
  if ('reference' in query) return 'reference';
  return (query.terms[0]?.split(':')[0] ?? 'name') as SearchKind;
}

/**
 * Reads the search box: a reference (`CMP-2026-000123`), an email, a postcode, a phone number,
 * or a name (every word must match).
 */
export function parseSearch(input: string): SearchQuery {
  const text = input.trim();
  if (text === '') return { empty: true };
  if (REFERENCE.test(text)) return { reference: text.toUpperCase() };
  if (text.includes('@')) return { terms: [`email:${text.toLowerCase()}`] };
  const postcode = postcodeIn(text);
  if (postcode && text.replace(/\s/g, '').length === postcode.length)
    return { terms: [`postcode:${postcode}`] };
  if (/^[+0-9 ()-]+$/.test(text)) {
    const digits = phoneDigits(text);
    return digits.length >= 7 ? { terms: [`phone:${digits}`] } : { empty: true };
  }
  const words = nameWords(text);
  return words.length ? { terms: words.map((w) => `name:${w}`) } : { empty: true };
}

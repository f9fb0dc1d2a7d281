/**
 * Core vocabulary of Redress, shared by the domain, the adapters and the handlers.
 * Pure types and constants: nothing here touches AWS.
 */

/** The UK nations whose bank holidays differ. */
export type Nation = 'england-and-wales' | 'scotland' | 'northern-ireland';
export const NATIONS: readonly Nation[] = ['england-and-wales', 'scotland', 'northern-ireland'];

/** A calendar date in Europe/London, `YYYY-MM-DD`. */
export type IsoDate = string;
/** An ISO 8601 timestamp with offset, e.g. `2026-03-02T23:59:59.000Z`. */
export type IsoTimestamp = string;

/** The kinds of feedback a resident can give. */
export type FeedbackKind = 'complaint' | 'compliment' | 'comment' | 'representation';
export const FEEDBACK_KINDS: readonly FeedbackKind[] = [
  'complaint',
  'compliment',
  'comment',
  'representation',
];

/**
 * Kinds a policy has clocks for: the four a resident can choose, plus the statutory
 * social-care complaint (SI 2009/309), which triage routes to its own one-stage workflow.
 */
export type CaseKind = FeedbackKind | 'social-care';

/** How the contact reached the council (Dudley MBC Corporate Customer Feedback Procedure, June 2019, §4: on-line form, e-mail, letter, telephone, in person). */
export type Channel = 'online' | 'email' | 'letter' | 'phone' | 'in-person';
export const CHANNELS: readonly Channel[] = ['online', 'email', 'letter', 'phone', 'in-person'];

/** Outcomes of an investigated complaint (Dudley MBC Corporate Customer Feedback Procedure, June 2019, §5). */
export type Outcome = 'upheld' | 'partially-upheld' | 'not-upheld';
export const OUTCOMES: readonly Outcome[] = ['upheld', 'partially-upheld', 'not-upheld'];

export type Stage = 1 | 2;

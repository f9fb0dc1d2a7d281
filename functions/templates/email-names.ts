import type { EmailTemplate } from './render-email.js';

/**
 * The names of the email templates, apart from the templates themselves: the workflows' step
 * payloads name a template (`functions/app/step-events.ts`), and a step function that sends no
 * email must not load nunjucks and every template to check the name. The compiler checks the
 * list names every template (`render-email.ts`'s `EmailData`) and no other.
 */
export const EMAIL_TEMPLATE_NAMES = [
  'receipt',
  'acknowledgement',
  'redirect',
  'not-a-complaint',
  'holding-letter',
  'extension',
  'pause',
  'resume',
  'reopened',
  'response',
  'final-response',
  'stage-2-acknowledgement',
  'stage-2-refused',
  'stage-2-too-late',
  'stage-2-resolved',
  'out-of-time',
  'consent-needed',
  'consent-not-given',
  'referral',
  'compliment-acknowledgement',
  'comment-reply',
  'representation-feedback',
  'vexatious-decision',
  'referred-to-manager',
  'social-care-plan',
  'social-care-closed',
  'social-care-six-months',
  'social-care-response',
  'contact-recorded',
  'officer-task',
  'officer-reminder',
  'manager-escalation',
  'compliment-to-staff',
  'representation-to-policy-owner',
  'nominated-officer-contact',
  'complaints-team-alert',
  'print-and-post',
  'case-assigned',
  'sign-in-link',
] as const satisfies readonly EmailTemplate[];

/** Fails to compile when a template is missing from the list. */
type Unlisted = Exclude<EmailTemplate, (typeof EMAIL_TEMPLATE_NAMES)[number]>;
export const EVERY_TEMPLATE_LISTED: [Unlisted] extends [never] ? true : Unlisted = true;

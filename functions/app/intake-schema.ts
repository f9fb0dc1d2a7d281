import * as z from 'zod';
import { LANGUAGES } from '../domain/language.js';
import { isPhoneNumber, looksEmpty, tabsAsSpaces, textProblem } from '../domain/typed-text.js';
import { CHANNELS, FEEDBACK_KINDS } from '../domain/types.js';
import { FIELD_NAMES } from './intake-field-names.js';

/**
 * What a resident (or a member of staff entering a letter, call or visit) may send to
 * `POST /complaints`. The same schema serves JSON and form posts: form fields are named by
 * the dotted path of the JSON field (`complainant.email`). Messages follow the GOV.UK
 * Design System's error message style: they say what to do.
 */

const yes = new Set(['yes', 'true', 'on', '1']);
const no = new Set(['no', 'false', 'off', '0', '']);

/** Form posts send "yes"; JSON sends true. Anything else is an error, not a silent false. */
const flag = (message: string) =>
  z.preprocess(
    (v) => {
      if (typeof v === 'string') {
        const s = v.trim().toLowerCase();
        if (yes.has(s)) return true;
        if (no.has(s)) return false;
      }
      return v;
    },
    z.boolean({ error: message }),
  );

/** A text field: trimmed, at most `max` characters, without hidden characters (a one-line field's tabs are spaces). */
const text = (max: number, what: string, multiline = true) =>
  z
    .string({ error: `${what} must be text` })
    .overwrite((value) => (multiline ? value : tabsAsSpaces(value)))
    .trim()
    .max(max, `${what} must be ${max} characters or fewer`)
    .superRefine((value, ctx) => {
      const problem = textProblem(value, what, multiline);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    });

const optionalText = (max: number, what: string, multiline = true) =>
  z.preprocess(
    (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
    text(max, what, multiline).optional(),
  );

/**
 * When the matter happened, or the resident found out: `YYYY-MM-DD` in JSON, or the GOV.UK date
 * input's day, month and year from the form. Optional; a real date, not in the future.
 */
const happenedOn = z.preprocess(
  (v) => {
    if (typeof v === 'string') return v.trim() === '' ? undefined : v.trim();
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
      const { day, month, year } = v as Record<string, unknown>;
      const parts = [day, month, year].map((p) => (typeof p === 'string' ? p.trim() : p));
      if (parts.every((p) => p === undefined || p === '')) return undefined;
      if (!parts.every((p) => typeof p === 'string' && /^\d{1,4}$/.test(p))) return 'invalid';
      const [d, m, y] = parts as [string, string, string];
      return `${y.padStart(4, '0')}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`;
    }
    return v;
  },
  z
    .string({ error: 'Enter the date it happened as a day, month and year, like 27 3 2026' })
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'Enter the date it happened as a day, month and year, like 27 3 2026')
    .refine((s) => {
      const d = new Date(`${s}T00:00:00Z`);
      return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(s) && s >= '1900-01-01';
    }, 'The date it happened must be a real date, like 27 3 2026')
    .optional(),
);

export const intakeSchema = z
  .strictObject(
    {
      kind: z
        .enum(FEEDBACK_KINDS, { error: 'Choose complaint, compliment, comment or representation' })
        .default('complaint'),
      service: optionalText(100, FIELD_NAMES.service, false),
      summary: z
        .string({ error: 'Enter your feedback' })
        .trim()
        .refine((v) => !looksEmpty(v), 'Enter your feedback')
        .pipe(text(5000, FIELD_NAMES.summary)),
      desiredOutcome: optionalText(2000, FIELD_NAMES.desiredOutcome),
      happenedOn,
      complainant: z
        .strictObject(
          {
            name: optionalText(200, FIELD_NAMES['complainant.name'], false),
            email: z.preprocess(
              (v) =>
                typeof v === 'string' && v.trim() === '' ? undefined : typeof v === 'string' ? v.trim() : v,
              z
                .email('Enter an email address in the correct format, like name@example.com')
                .max(254)
                .optional(),
            ),
            phone: z.preprocess(
              (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
              z
                .string({ error: 'Phone number must be text' })
                .trim()
                .refine(isPhoneNumber, 'Enter a telephone number, like 01632 960 001 or +44 808 157 0192')
                .optional(),
            ),
            address: optionalText(500, FIELD_NAMES['complainant.address']),
            contactBy: z.preprocess(
              (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
              z.enum(['email', 'post'], { error: 'Choose email or post' }).optional(),
            ),
          },
          { error: 'Send your contact details as name, email, phone, address and contactBy' },
        )
        .default({}),
      onBehalfOf: z
        .strictObject(
          {
            name: z
              .string({ error: 'Enter the name of the person you are complaining for' })
              .trim()
              .refine((v) => !looksEmpty(v), 'Enter the name of the person you are complaining for')
              .pipe(text(200, FIELD_NAMES['onBehalfOf.name'], false)),
            relationship: optionalText(200, FIELD_NAMES['onBehalfOf.relationship'], false),
            consent: flag('Say whether they have agreed to you complaining for them').default(false),
            consentNote: optionalText(1000, FIELD_NAMES['onBehalfOf.consentNote']),
          },
          { error: 'Send the person you are complaining for as name, relationship and consent' },
        )
        .optional(),
      anonymous: flag('Say whether you want to stay anonymous').default(false),
      channel: z
        .enum(CHANNELS, { error: 'Channel must be online, email, letter, phone or in-person' })
        .default('online'),
      /**
       * A date and time, or a date alone (`2026-03-02`) when nobody noted the time of a call or
       * letter: intake keeps that it has no time rather than inventing one.
       */
      receivedAt: z.preprocess(
        (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
        z
          .union([z.iso.date(), z.iso.datetime({ offset: true })], {
            error:
              'Date received must be a date and time, like 2026-03-02T09:30:00Z, or a date, like 2026-03-02',
          })
          .optional(),
      ),
      accessibilityNeeds: optionalText(1000, FIELD_NAMES.accessibilityNeeds),
      /** The language of the resident's letters; checked against the policy's `languages` by intake. */
      language: z.preprocess(
        (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
        z.enum(LANGUAGES, { error: 'Language must be "en" (English) or "cy" (Welsh)' }).optional(),
      ),
    },
    { error: 'Send the feedback as a JSON object' },
  )
  // Run even when a field failed its own check, so a form shows every problem at once: a name
  // missing is said with a summary too long, not once that is fixed. Until then the values are
  // as sent, so each rule reads only what has the shape it needs.
  .superRefine((v, ctx) => crossFieldRules(v, ctx), { when: () => true });

/** The parts of the answers the checks across fields read, as far as they were sent. */
interface Answers {
  anonymous?: unknown;
  complainant?: unknown;
  channel?: unknown;
  receivedAt?: unknown;
}

/** What intake needs beyond each field's own check: a name, a way to reply, the date's channel. */
function crossFieldRules(v: Answers, ctx: z.RefinementCtx): void {
  // Not an object at all (a JSON array, a string, null): its own message says what to send.
  if (typeof v !== 'object' || v === null) return;
  const c = (typeof v.complainant === 'object' && v.complainant !== null ? v.complainant : {}) as Record<
    string,
    unknown
  >;
  const complainantSent = typeof v.complainant === 'object' && v.complainant !== null;
  // Whether they stay anonymous is known only from a yes or a no: nothing is asked on its account
  // before then, nor of contact details sent in a shape of their own (their message says so).
  if (v.anonymous === false && complainantSent) {
    if (!c.name) {
      ctx.addIssue({
        code: 'custom',
        path: ['complainant', 'name'],
        message: 'Enter your name, or choose to stay anonymous',
      });
    }
    if (!c.email && !c.phone && !c.address) {
      ctx.addIssue({
        code: 'custom',
        path: ['complainant', 'email'],
        message: 'Enter an email address, phone number or postal address so we can reply to you',
      });
    }
    if (c.contactBy === 'post' && !c.address) {
      ctx.addIssue({
        code: 'custom',
        path: ['complainant', 'address'],
        message: 'Enter your postal address so we can post letters to you',
      });
    }
    if (c.contactBy === 'email' && !c.email) {
      ctx.addIssue({
        code: 'custom',
        path: ['complainant', 'email'],
        message: 'Enter your email address, or choose to get letters by post',
      });
    }
  }
  if (v.receivedAt && v.channel === 'online') {
    ctx.addIssue({
      code: 'custom',
      path: ['receivedAt'],
      message: 'Only staff entering a letter, email, call or visit can give the date it was received',
    });
  }
}

export type IntakeInput = z.output<typeof intakeSchema>;

/**
 * One message per field, keyed by dotted path; the first problem with a field wins. Keyed on an
 * object of no prototype: a field the sender named `toString` or `__proto__` is a key like any
 * other, never one `??=` finds already there and so leaves without a message.
 */
export function fieldErrors(error: z.ZodError): Record<string, string> {
  const out: Record<string, string> = Object.create(null);
  for (const issue of error.issues) {
    let path = issue.path.map(String).join('.');
    let message = issue.message;
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const keyPath = path ? `${path}.${key}` : key;
        out[keyPath] ??= `"${key}" is not a field we accept`;
      }
      continue;
    }
    if (path === '') {
      path = 'body';
      message = issue.message;
    }
    out[path] ??= message;
  }
  return out;
}

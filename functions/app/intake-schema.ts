import { z } from 'zod';
import { CHANNELS, FEEDBACK_KINDS } from '../domain/types.js';

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

const text = (max: number, what: string) =>
  z
    .string({ error: `${what} must be text` })
    .trim()
    .max(max, `${what} must be ${max} characters or fewer`);

const optionalText = (max: number, what: string) =>
  z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), text(max, what).optional());

export const intakeSchema = z
  .strictObject(
    {
      kind: z
        .enum(FEEDBACK_KINDS, { error: 'Choose complaint, compliment, comment or representation' })
        .default('complaint'),
      service: optionalText(100, 'Service'),
      summary: z
        .string({ error: 'Enter your feedback' })
        .trim()
        .min(1, 'Enter your feedback')
        .max(5000, 'Your feedback must be 5000 characters or fewer'),
      desiredOutcome: optionalText(2000, 'What you would like us to do'),
      complainant: z
        .strictObject(
          {
            name: optionalText(200, 'Your name'),
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
                .regex(
                  /^\+?[0-9 ()-]{7,20}$/,
                  'Enter a telephone number, like 01632 960 001 or +44 808 157 0192',
                )
                .optional(),
            ),
            address: optionalText(500, 'Address'),
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
              .min(1, 'Enter the name of the person you are complaining for')
              .max(200, 'Their name must be 200 characters or fewer'),
            relationship: optionalText(200, 'Your relationship to them'),
            consent: flag('Say whether they have agreed to you complaining for them').default(false),
            consentNote: optionalText(1000, 'Why they cannot agree'),
          },
          { error: 'Send the person you are complaining for as name, relationship and consent' },
        )
        .optional(),
      anonymous: flag('Say whether you want to stay anonymous').default(false),
      channel: z
        .enum(CHANNELS, { error: 'Channel must be online, email, letter, phone or in-person' })
        .default('online'),
      receivedAt: z.preprocess(
        (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
        z.iso
          .datetime({
            offset: true,
            error: 'Date received must be a date and time, like 2026-03-02T09:30:00Z',
          })
          .optional(),
      ),
      accessibilityNeeds: optionalText(1000, 'Accessibility needs'),
    },
    { error: 'Send the feedback as a JSON object' },
  )
  .superRefine((v, ctx) => {
    const c = v.complainant;
    if (!v.anonymous && !c.name) {
      ctx.addIssue({
        code: 'custom',
        path: ['complainant', 'name'],
        message: 'Enter your name, or choose to stay anonymous',
      });
    }
    if (!v.anonymous && !c.email && !c.phone && !c.address) {
      ctx.addIssue({
        code: 'custom',
        path: ['complainant', 'email'],
        message: 'Enter an email address, phone number or postal address so we can reply to you',
      });
    }
    if (!v.anonymous && c.contactBy === 'post' && !c.address) {
      ctx.addIssue({
        code: 'custom',
        path: ['complainant', 'address'],
        message: 'Enter your postal address so we can post letters to you',
      });
    }
    if (!v.anonymous && c.contactBy === 'email' && !c.email) {
      ctx.addIssue({
        code: 'custom',
        path: ['complainant', 'email'],
        message: 'Enter your email address, or choose to get letters by post',
      });
    }
    if (v.receivedAt && v.channel === 'online') {
      ctx.addIssue({
        code: 'custom',
        path: ['receivedAt'],
        message: 'Only staff entering a letter, email, call or visit can give the date it was received',
      });
    }
  });

export type IntakeInput = z.output<typeof intakeSchema>;

/** One message per field, keyed by dotted path; the first problem with a field wins. */
export function fieldErrors(error: z.ZodError): Record<string, string> {
  const out: Record<string, string> = {};
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

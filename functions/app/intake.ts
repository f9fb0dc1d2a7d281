import { londonDate, startOfLondonDay } from '../domain/calendar.js';
import type { CaseRecord } from '../domain/case.js';
import { computeDeadlines } from '../domain/deadlines.js';
import { IntakeLimitReachedError, type ReachedLimit } from '../domain/errors.js';
import { DEFAULT_INTAKE_LIMITS, type IntakeLimits, intakeRateLimits } from '../domain/intake-limits.js';
import type { Policy } from '../domain/policy-schema.js';
import type { CaseStore, RateLimiter } from '../domain/ports.js';
import { recordedService, triage } from '../domain/triage.js';
import { HttpError, ValidationError } from '../http/errors.js';
import { limitMessage } from '../web/i18n.js';
import { fieldErrors, type IntakeInput, intakeSchema } from './intake-schema.js';

/** What intake needs from the outside world; built once per container by the entry file. */
export interface IntakeDeps {
  store: CaseStore;
  policy: Policy;
  now: () => Date;
  newId: () => string;
  /** Counts public submissions per email address and per client; none: no limits (unit tests). */
  limiter?: RateLimiter;
  limits?: IntakeLimits;
}

export interface IntakeResult {
  record: CaseRecord;
  /** False when an `Idempotency-Key` matched an earlier submission. */
  created: boolean;
}

/**
 * Validates feedback, triages it, and stores the case with its first event (atomically). That is
 * all a resident waits for: the case's workflow starts from the table's stream
 * (`workflow-starter.ts`), so an intake that dies after the write still leaves a case that gets
 * its workflow, and the resident has the reference at once.
 */
/** How far back staff may date a letter, call or visit they enter (366 days: a leap year). */
export const MAX_RECEIVED_AGO_MS = 366 * 24 * 3_600_000;

export async function submitFeedback(
  deps: IntakeDeps,
  body: unknown,
  options: {
    idempotencyKey?: string;
    /**
     * The key is the feedback form's (`feedbackFormKey`: the browser and the feedback it sends):
     * the same answers sent again (after an outage, a second click, Back after the confirmation)
     * find the case they stored. The same feedback with other answers (a phone number added after
     * an outage that did store it) is refused (`FormAlreadySentError`), never taken for the first:
     * the resident is told, and can send it as feedback of its own. Any other key used again for
     * a different submission is refused (`IdempotencyKeyReusedError`).
     */
    formKey?: boolean;
    /** Who sent it (the client's address), for the per-client intake limit. */
    client?: string;
    /**
     * The signed-in member of staff recording a contact received by phone, letter, email or in
     * person: only then may `channel` be other than `online` and `receivedAt` be given
     * (staff-only facts, DESIGN.md §3a). Without it, either is refused.
     */
    staff?: { email: string };
    /** Problems with a form's own questions (`feedbackFormAnswers`), shown with the schema's. */
    formProblems?: Record<string, string>;
  } = {},
): Promise<IntakeResult> {
  const input = validateFeedback(deps, body, options.staff !== undefined, options.formProblems);
  const now = deps.now();
  const { receivedAt, receivedDateOnly } = input.receivedAt
    ? receivedFrom(input.receivedAt)
    : { receivedAt: now.toISOString(), receivedDateOnly: false };

  if (deps.limiter && input.channel === 'online') {
    await withinLimits(
      deps,
      deps.limiter,
      { email: input.complainant.email, client: options.client },
      options,
    );
  }

  // The store answers for the mailbox the address reaches: `ada+council@…` is Ada's, so a `+tag`
  // added to (or dropped from) a designated address does not route around the nominated officer.
  const vexatious = input.complainant.email
    ? await deps.store.complainantDesignated(input.complainant.email)
    : false;
  // The resident's language, kept for every letter; none given: the policy's first (its default).
  const language = input.language ?? deps.policy.languages[0] ?? 'en';
  const verdict = triage(
    {
      kind: input.kind,
      service: input.service,
      summary: input.summary,
      desiredOutcome: input.desiredOutcome,
      anonymous: input.anonymous,
      onBehalfOf: input.onBehalfOf ? { consent: input.onBehalfOf.consent } : undefined,
      complainantVexatious: vexatious,
      // What the resident is told about where to go is in their language.
      language,
    },
    deps.policy,
  );

  const year = Number(londonDate(receivedAt).slice(0, 4));
  const reference = await deps.store.nextReference(verdict.kind, year);
  // The service that handles it: the one chosen, unless triage hands it to another or to none.
  const serviceId = recordedService(verdict, input.service);
  const service = serviceId ? deps.policy.routing.services.find((s) => s.id === serviceId) : undefined;
  const nowIso = now.toISOString();
  const record: CaseRecord = {
    caseId: deps.newId(),
    reference,
    kind: verdict.kind,
    submittedKind: input.kind,
    status: verdict.route === 'redirect' ? 'redirected' : verdict.route === 'refer' ? 'referred' : 'received',
    stage: 1,
    policyId: deps.policy.id,
    ...(service ? { service: service.id, directorate: service.directorate } : {}),
    summary: input.summary,
    ...(input.desiredOutcome ? { desiredOutcome: input.desiredOutcome } : {}),
    ...(input.happenedOn ? { happenedOn: input.happenedOn } : {}),
    complainant: input.anonymous ? {} : stripEmpty(input.complainant),
    ...(input.onBehalfOf ? { onBehalfOf: stripEmpty(input.onBehalfOf) } : {}),
    anonymous: input.anonymous,
    channel: input.channel,
    ...(input.accessibilityNeeds ? { accessibilityNeeds: input.accessibilityNeeds } : {}),
    language,
    receivedAt,
    ...(receivedDateOnly ? { receivedDateOnly: true as const } : {}),
    createdAt: nowIso,
    updatedAt: nowIso,
    triage: {
      route: verdict.route,
      ...(verdict.exclusion ? { exclusion: verdict.exclusion } : {}),
      ...(verdict.redirect ? { redirect: verdict.redirect } : {}),
      reasons: verdict.reasons,
    },
    // A referred case has only its check's clock, set when the workflow starts the wait.
    deadlines:
      verdict.route === 'redirect' || verdict.route === 'refer'
        ? {}
        : computeDeadlines(deps.policy, verdict.kind, receivedAt),
    ...(vexatious ? { vexatious: true } : {}),
    progress: { stage1: { startedAt: receivedAt } },
    version: 1,
  };

  const { record: stored, created } = await deps.store.create(
    record,
    {
      at: nowIso,
      type: 'received',
      actor: options.staff ? options.staff.email : 'resident',
      channel: input.channel,
      detail: { kind: record.kind, route: record.triage.route, exclusion: record.triage.exclusion ?? null },
    },
    options.idempotencyKey,
  );
  if (!created && !sameSubmission(stored, record)) {
    throw options.formKey ? new FormAlreadySentError(stored.reference) : new IdempotencyKeyReusedError();
  }

  return { record: stored, created };
}

/**
 * An `Idempotency-Key` already used for another submission: answered 422, never with the other
 * case (its reference, status or evidence link would go to whoever guessed or reused the key).
 */
export class IdempotencyKeyReusedError extends HttpError {
  override name = 'IdempotencyKeyReusedError';
  constructor() {
    super(
      422,
      'This Idempotency-Key was already used for a different submission. Send each new piece of feedback with a new key.',
    );
  }
}

/**
 * Different answers sent from a form page that has already sent feedback (its token is the
 * idempotency key): answered 409 with the form again, the answers kept and a new token, so that
 * sending it again stores it as feedback of its own. The reference is the earlier case's, sent
 * from this browser (the token is bound to its cookie), which was shown it then.
 */
export class FormAlreadySentError extends HttpError {
  override name = 'FormAlreadySentError';
  constructor(readonly reference: string) {
    // The page says it in the resident's language (`form.alreadySent`); this is for the logs.
    super(409, `Feedback was sent from this page already (reference ${reference}): this was not stored`);
  }
}

/**
 * Whether a replayed submission is the one first stored under its key: every answer the sender
 * gave the same. One added or changed on the way back (a phone number, an accessibility need)
 * makes it another submission, never dropped in silence for the first one's confirmation.
 */
function sameSubmission(stored: CaseRecord, replay: CaseRecord): boolean {
  return JSON.stringify(answersOf(stored)) === JSON.stringify(answersOf(replay));
}

/** What the sender told us, as a case records it (nothing intake adds: times, references, triage). */
function answersOf(c: CaseRecord): unknown[] {
  const who = c.complainant;
  return [
    c.kind,
    c.service ?? '',
    c.summary,
    c.desiredOutcome ?? '',
    c.happenedOn ?? '',
    c.accessibilityNeeds ?? '',
    c.anonymous === true,
    c.language ?? '',
    who.name ?? '',
    who.email?.trim().toLowerCase() ?? '',
    who.phone ?? '',
    who.address ?? '',
    who.contactBy ?? '',
    c.onBehalfOf ? [c.onBehalfOf.name, c.onBehalfOf.relationship ?? '', c.onBehalfOf.consent] : null,
  ];
}

/** Refuses a sender who has used up a limit, saying when they can send more. */
async function withinLimits(
  deps: IntakeDeps,
  limiter: RateLimiter,
  sender: { email?: string | undefined; client?: string | undefined },
  options: { idempotencyKey?: string },
): Promise<void> {
  const limits = intakeRateLimits(deps.limits ?? DEFAULT_INTAKE_LIMITS, sender);
  const decision = await limiter.take(limits, deps.now(), options.idempotencyKey);
  if (decision.allowed) return;
  const limit: ReachedLimit = {
    what: 'feedback',
    sender: decision.limit.key.startsWith('email:') ? 'email' : 'client',
    until: new Date(deps.now().getTime() + decision.retryAfterSeconds * 1000).toISOString(),
  };
  throw new IntakeLimitReachedError(limitMessage(limit, 'en'), decision.retryAfterSeconds, limit);
}

/** The form's "Are you making this for someone else?" left unanswered or answered other than yes or no. */
export const ON_BEHALF_UNANSWERED = 'Say whether you are making this for someone else';

/**
 * A feedback form's answers as intake takes them. "Are you making this for someone else?"
 * (`onBehalf`) is the form's question, not a field of the schema: the representative's details
 * (`onBehalfOf`) count only under "yes", so details typed and then hidden by answering "no" never
 * make someone a representative. "Yes" with no details at all (a hand-made post: the browser
 * sends the revealed fields, if empty) is a "yes" still, and the schema asks for their name,
 * never a resident's own complaint. A person's details under no answer, or under one the
 * radios do not have, are a question to ask (`problems`), not details to drop. `onBehalf` is
 * handed back for showing the form again.
 */
export function feedbackFormAnswers(form: Record<string, unknown>): {
  answers: Record<string, unknown>;
  onBehalf: unknown;
  /** Problems with the form's own question, by field, to show with the rest. */
  problems: Record<string, string>;
} {
  const { onBehalf, ...answers } = form;
  const problems: Record<string, string> = {};
  const answer = typeof onBehalf === 'string' ? onBehalf.trim().toLowerCase() : onBehalf;
  if (answer === 'yes') {
    // The schema asks for what is missing: `{}` has no name.
    answers.onBehalfOf ??= {};
  } else {
    const typed = answers.onBehalfOf;
    const named =
      typeof typed === 'object' && typed !== null
        ? Object.values(typed).some((v) => typeof v === 'string' && v.trim() !== '' && v.trim() !== 'no')
        : typed !== undefined;
    const unanswered = answer === undefined || answer === '';
    if ((unanswered && named) || (!unanswered && answer !== 'no')) problems.onBehalf = ON_BEHALF_UNANSWERED;
    delete answers.onBehalfOf;
  }
  return { answers, onBehalf, problems };
}

/**
 * Checks feedback against the intake schema, the council's policy (its services and languages)
 * and the clock (a date received not in the future nor over a year back, a date it happened not
 * after it was received), throwing a `ValidationError` with one message per field: the rules
 * every way in shares, the resident's form and API and the workspace's "Record feedback
 * received". Every problem is in it at once, each field's own and those across fields, so a
 * form is put right in one go.
 */
export function validateFeedback(
  deps: Pick<IntakeDeps, 'policy' | 'now'>,
  body: unknown,
  byStaff: boolean,
  formProblems: Record<string, string> = {},
): IntakeInput {
  const parsed = intakeSchema.safeParse(body);
  // A field only staff may set says so, whatever else is wrong with it.
  const problems: Record<string, string> = {
    ...formProblems,
    ...(parsed.success ? {} : fieldErrors(parsed.error)),
    ...(byStaff ? {} : staffOnlyFields(body)),
  };
  const add = (more: Record<string, string>) => {
    for (const [field, message] of Object.entries(more)) problems[field] ??= message;
  };
  // What the schema took, or as sent when it refused something else: each check below reads only
  // a value of the shape it needs, so one answer's problem never hides another's.
  const answers = (
    parsed.success ? parsed.data : typeof body === 'object' && body !== null ? body : {}
  ) as Record<string, unknown>;
  add(policyProblems(deps.policy, answers));
  add(dateProblems(deps.now(), answers, problems));
  if (!parsed.success || Object.keys(problems).length > 0) throw new ValidationError(problems);
  return parsed.data;
}

/** A service or language the council's policy does not have. */
function policyProblems(policy: Policy, answers: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  const service = typeof answers.service === 'string' ? answers.service.trim() : '';
  if (service && !policy.routing.services.some((s) => s.id === service)) {
    out.service = 'Choose a service from the list';
  }
  const language = answers.language;
  if ((language === 'en' || language === 'cy') && !policy.languages.includes(language)) {
    out.language = `${policy.council} does not offer letters in ${language === 'cy' ? 'Welsh' : 'English'}: leave language out, or send one of ${policy.languages.map((l) => `"${l}"`).join(', ')}`;
  }
  return out;
}

/**
 * A date received in the future or more than a year back, or a date it happened after it was
 * received (today when no date received is given). Dates not in their format are the schema's.
 */
function dateProblems(
  now: Date,
  answers: Record<string, unknown>,
  found: Record<string, string>,
): Record<string, string> {
  const out: Record<string, string> = {};
  // Only a date the schema took: one it refused has its message already.
  const given =
    typeof answers.receivedAt === 'string' && !('receivedAt' in found) ? answers.receivedAt.trim() : '';
  const received = given ? receivedFrom(given).receivedAt : undefined;
  if (received) {
    if (Date.parse(received) > now.getTime() + 60_000) {
      out.receivedAt = 'Date received must be today or in the past';
    } else if (Date.parse(received) < now.getTime() - MAX_RECEIVED_AGO_MS) {
      // A letter found in a drawer a year on is a new complaint today, not one born a year overdue.
      out.receivedAt = 'Date received must be within the last 12 months';
    }
  }
  const happenedOn = answers.happenedOn;
  if (
    typeof happenedOn === 'string' &&
    !('happenedOn' in found) &&
    ISO_DATE.test(happenedOn) &&
    happenedOn > londonDate(received ?? now.toISOString())
  ) {
    out.happenedOn = 'The date it happened must be today or in the past';
  }
  return out;
}

/** A calendar date alone, with no time: `2026-03-02`. */
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A date received as given: a date alone (no time known) counts from the start of that London day. */
function receivedFrom(given: string): { receivedAt: string; receivedDateOnly: boolean } {
  // The clocks count from the date (`computeDeadlines`): no time of day it could be moved past
  // is made up for it.
  if (ISO_DATE.test(given)) return { receivedAt: startOfLondonDay(given), receivedDateOnly: true };
  return { receivedAt: new Date(given).toISOString(), receivedDateOnly: false };
}

/**
 * The fields only signed-in staff may set, refused when anyone else sends them: a public post
 * that dated a complaint weeks back would be born overdue, escalate at once and skew the
 * published figures.
 */
function staffOnlyFields(body: unknown): Record<string, string> {
  if (typeof body !== 'object' || body === null) return {};
  const { channel, receivedAt } = body as Record<string, unknown>;
  const out: Record<string, string> = {};
  if (channel !== undefined && channel !== '' && channel !== 'online') {
    out.channel =
      'Only council staff can record feedback received by email, letter, phone or in person: leave channel out, or send "online"';
  }
  if (receivedAt !== undefined && receivedAt !== '') {
    out.receivedAt = 'Only council staff can give the date feedback was received: leave receivedAt out';
  }
  return out;
}

function stripEmpty<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined && v !== '')) as T;
}

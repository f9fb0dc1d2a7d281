import { type CaseRecord, replacementOf } from '../domain/case.js';
import {
  FormTokenInvalidError,
  InputRejectedError,
  IntakeLimitReachedError,
  LinkExpiredError,
  LinkInvalidError,
  type ReachedLimit,
  TaskAlreadyDoneError,
} from '../domain/errors.js';
import { formToken, LinkVerificationError, verifyLink } from '../domain/links.js';
import type { Policy } from '../domain/policy-schema.js';
import type { Archive, CaseStore, RateLimiter, SignInLinks, WorkflowEngine } from '../domain/ports.js';
import {
  CHECK_LIMIT_KEY_PREFIX,
  type CheckLimits,
  checkRateLimits,
  constantTimeEqual,
  DEFAULT_CHECK_LIMITS,
  emailMatchesCase,
  newSession,
  normaliseEmail,
  normaliseReference,
  REFERENCE_PATTERN,
  type ResidentSession,
  SIGN_IN_ACTION,
  SIGN_IN_LINK_MINUTES,
  sessionEnd,
  sessionFromClaims,
  sessionToken,
  signInToken,
  signInTokenHash,
} from '../domain/resident-access.js';
import { limitMessage } from '../web/i18n.js';
import type { SendEmail } from './steps.js';
import { validateTaskForm } from './task-form-schema.js';
import { decideOnTask, formOptions, type TaskOutcome } from './tasks.js';

/**
 * "Check your complaint" for residents: ask for a one-time link with a reference and an email
 * address, use it once to open a short session, see the case and ask for stage 2. The pure rules
 * are in `functions/domain/resident-access.ts`; the pages in `resident-routes.ts`.
 */
export interface ResidentAccessDeps {
  store: CaseStore;
  archive: Archive;
  workflows: WorkflowEngine;
  policy: Policy;
  limiter: RateLimiter;
  checkLimits?: CheckLimits;
  signInLinks: SignInLinks;
  send: SendEmail;
  /** The service's clock (decisions and case dates). */
  now: () => Date;
  /** Real time: links and sessions expire in people's time, whatever the service's clock does. */
  sessionClock: () => Date;
  linkSecrets: () => Promise<string[]>;
  baseUrl: string;
  /**
   * Waits until a request for a sign-in link has taken `CHECK_ANSWER_FLOOR_MS` since it started
   * (`performance.now()` then), match or not. Real timers unless a test gives its own.
   */
  answerFloor?: (startedAt: number) => Promise<void>;
}

/**
 * The least time a request for a sign-in link takes. A matching reference and address costs a
 * write and an email (a few hundred milliseconds) that a wrong one does not: answering both no
 * sooner than this keeps the time from telling anyone that an address goes with a reference.
 * (Only an email slower than this could still show; the answer's words never do.)
 */
export const CHECK_ANSWER_FLOOR_MS = 1500;

/** Waits out what is left of the floor after `startedAt` (a `performance.now()` reading). */
export async function waitOutAnswerFloor(startedAt: number): Promise<void> {
  const left = startedAt + CHECK_ANSWER_FLOOR_MS - performance.now();
  if (left > 0) await new Promise((resolve) => setTimeout(resolve, left));
}

/** A link already used: the page says to ask for a new one. */
export class SignInLinkUsedError extends Error {
  override name = 'SignInLinkUsedError';
  constructor() {
    super('This link has already been used');
  }
}

/** Why there is no session: none (or not ours), its time is up, or it was signed out of. */
export type NoSessionReason = 'none' | 'expired' | 'signed-out';

/** No session (none, expired, signed out, or not ours): the resident asks for a new link. */
export class ResidentSessionMissingError extends Error {
  override name = 'ResidentSessionMissingError';
  constructor(readonly reason: NoSessionReason = 'none') {
    super(
      reason === 'expired'
        ? 'Your session has ended'
        : reason === 'signed-out'
          ? 'You have signed out'
          : 'Ask for a link to check your complaint',
    );
  }
}

/** What the "check your complaint" form sends. */
export interface CheckRequest {
  reference: string;
  email: string;
}

/** The form's answers checked for shape only (what matches is never said). */
export function validateCheckRequest(body: Record<string, unknown>): CheckRequest {
  const reference = normaliseReference(typeof body.reference === 'string' ? body.reference : '');
  const email = normaliseEmail(typeof body.email === 'string' ? body.email : '');
  const errors: Record<string, string> = {};
  if (reference === '') errors.reference = 'Enter your reference number';
  else if (!REFERENCE_PATTERN.test(reference))
    errors.reference = 'Enter your reference number as it is on your confirmation, like CMP-2026-000123';
  if (email === '') errors.email = 'Enter the email address you gave us';
  else if (email.length > 254 || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email))
    errors.email = 'Enter an email address in the correct format, like name@example.com';
  if (Object.keys(errors).length) throw new InputRejectedError(errors);
  return { reference, email };
}

/**
 * Emails a one-time link when the reference and address match a case; does nothing visible
 * otherwise. The caller answers the same whichever happened, and no sooner than the answer's
 * floor either way. Counted against the limits first, whether or not it matches, so the limits
 * say nothing about which references exist.
 */
export async function requestSignInLink(
  deps: ResidentAccessDeps,
  body: Record<string, unknown>,
  client: string | undefined,
): Promise<void> {
  const request = validateCheckRequest(body);
  const now = deps.sessionClock();
  const decision = await deps.limiter.take(
    checkRateLimits(deps.checkLimits ?? DEFAULT_CHECK_LIMITS, { email: request.email, client }),
    now,
  );
  if (!decision.allowed) {
    const limit: ReachedLimit = {
      what: 'check',
      sender: decision.limit.key.startsWith(`${CHECK_LIMIT_KEY_PREFIX}email:`) ? 'email' : 'client',
      until: new Date(now.getTime() + decision.retryAfterSeconds * 1000).toISOString(),
    };
    throw new IntakeLimitReachedError(limitMessage(limit, 'en'), decision.retryAfterSeconds, limit);
  }
  const started = performance.now();
  try {
    await sendSignInLink(deps, request, now);
  } finally {
    await (deps.answerFloor ?? waitOutAnswerFloor)(started);
  }
}

/** The link, emailed only when the reference and the address go together. */
async function sendSignInLink(deps: ResidentAccessDeps, request: CheckRequest, now: Date): Promise<void> {
  const record = await deps.store.getByReference(request.reference);
  if (!emailMatchesCase(record, request.email) || !record) return;
  const [secret] = await deps.linkSecrets();
  if (!secret) throw new Error('No link secret is configured');
  const { token, expiresAt } = signInToken(record.caseId, request.email, now, secret);
  await deps.signInLinks.issue(signInTokenHash(token), record.caseId, expiresAt.toISOString());
  await deps.send(record, 'sign-in-link', [request.email], {
    // The page the link opens speaks the case's language.
    signInUrl: `${deps.baseUrl}/check/sign-in/${token}${record.language === 'cy' ? '?lang=cy' : ''}`,
    validMinutes: SIGN_IN_LINK_MINUTES,
  });
}

/** A sign-in link checked (signature, expiry, action), with the form token bound to it. */
export async function openSignInLink(
  deps: ResidentAccessDeps,
  token: string,
): Promise<{ caseId: string; email: string; csrf: string }> {
  const secrets = await deps.linkSecrets();
  let claims: ReturnType<typeof verifyLink>;
  try {
    claims = verifyLink(token, secrets, deps.sessionClock());
  } catch (error: unknown) {
    if (error instanceof LinkVerificationError && error.reason === 'expired') throw new LinkExpiredError();
    throw new LinkInvalidError();
  }
  if (claims.a !== SIGN_IN_ACTION) throw new LinkInvalidError();
  return { caseId: claims.c, email: claims.o, csrf: formToken(token, secrets[0] as string) };
}

/**
 * Uses a sign-in link (POST from its page: mail scanners that fetch the link use nothing) and
 * opens a session; `SignInLinkUsedError` the second time.
 */
export async function useSignInLink(
  deps: ResidentAccessDeps,
  token: string,
  body: Record<string, unknown>,
): Promise<{ cookie: string; maxAgeSeconds: number }> {
  const opened = await openSignInLink(deps, token);
  const secrets = await deps.linkSecrets();
  const given = typeof body.csrf === 'string' ? body.csrf : '';
  if (!secrets.some((s) => constantTimeEqual(formToken(token, s), given))) throw new FormTokenInvalidError();
  const now = deps.sessionClock();
  const use = await deps.signInLinks.use(signInTokenHash(token), now.toISOString());
  if (use === 'used') throw new SignInLinkUsedError();
  if (use === 'unknown') throw new LinkInvalidError();
  const session = newSession(opened.caseId, opened.email, now);
  const { token: cookie, maxAgeSeconds } = sessionToken(session, now, secrets[0] as string);
  return { cookie, maxAgeSeconds };
}

/** A signed-in resident: their session, its case, the refreshed cookie and the form token. */
export interface ResidentSignedIn {
  session: ResidentSession;
  record: CaseRecord;
  cookie: string;
  maxAgeSeconds: number;
  csrf: string;
}

/**
 * The session in a cookie, checked and refreshed (a new idle expiry, never past its absolute
 * end); `ResidentSessionMissingError` without a valid one, or for one signed out of (wherever
 * this copy of its cookie was kept). The address must still be the case's.
 */
export async function residentSession(
  deps: ResidentAccessDeps,
  cookie: string | undefined,
): Promise<ResidentSignedIn> {
  if (!cookie) throw new ResidentSessionMissingError();
  const secrets = await deps.linkSecrets();
  const now = deps.sessionClock();
  let session: ResidentSession | undefined;
  try {
    session = sessionFromClaims(verifyLink(cookie, secrets, now));
  } catch (error: unknown) {
    if (error instanceof LinkVerificationError) {
      throw new ResidentSessionMissingError(error.reason === 'expired' ? 'expired' : 'none');
    }
    throw error;
  }
  if (!session) throw new ResidentSessionMissingError();
  // The one read a sign-out adds to a page, made alongside the case's so the page waits for neither.
  const [record, signedOut] = await Promise.all([
    deps.store.get(session.caseId),
    deps.signInLinks.signedOut(session.id),
  ]);
  if (signedOut) throw new ResidentSessionMissingError('signed-out');
  if (!record || !emailMatchesCase(record, session.email)) throw new ResidentSessionMissingError();
  const refreshed = sessionToken(session, now, secrets[0] as string);
  return {
    session,
    record,
    cookie: refreshed.token,
    maxAgeSeconds: refreshed.maxAgeSeconds,
    csrf: formToken(`session:${session.id}`, secrets[0] as string),
  };
}

/** Checks a POST's form token against its session's (any current secret, constant time). */
export async function checkResidentCsrf(
  deps: ResidentAccessDeps,
  signedIn: ResidentSignedIn,
  body: Record<string, unknown>,
): Promise<void> {
  const given = typeof body.csrf === 'string' ? body.csrf : '';
  const secrets = await deps.linkSecrets();
  if (!secrets.some((s) => constantTimeEqual(formToken(`session:${signedIn.session.id}`, s), given))) {
    throw new FormTokenInvalidError();
  }
}

/**
 * Signs the resident out (a POST with the session's form token): the session ends everywhere,
 * not only in this browser, until its absolute end, after which no copy of its cookie works.
 */
export async function signOutResident(
  deps: ResidentAccessDeps,
  signedIn: ResidentSignedIn,
  body: Record<string, unknown>,
): Promise<void> {
  await checkResidentCsrf(deps, signedIn, body);
  await deps.signInLinks.signOut(signedIn.session.id, sessionEnd(signedIn.session).toISOString());
}

/**
 * The resident asks for stage 2 from their session: the same use case and form rules as the
 * link in the response email (`decideOnTask`, `validateTaskForm`), so the time limit is the
 * workflow's: the task is open only until the policy's stage-2 window closes.
 */
export async function requestStage2(
  deps: ResidentAccessDeps,
  signedIn: ResidentSignedIn,
  body: Record<string, unknown>,
): Promise<TaskOutcome> {
  await checkResidentCsrf(deps, signedIn, body);
  const { record } = signedIn;
  if (record.openTask?.name !== 'stage-2-request' || record.openTask.officer !== 'resident') {
    throw new TaskAlreadyDoneError();
  }
  const validation = validateTaskForm(
    'stage-2-request',
    { ...body, decision: 'request' },
    formOptions(deps.policy, record, 'stage-2-request'),
  );
  if (!validation.ok) throw new InputRejectedError(validation.errors);
  return decideOnTask(
    {
      store: deps.store,
      workflows: deps.workflows,
      policy: deps.policy,
      now: deps.now,
      linkSecrets: deps.linkSecrets,
    },
    record,
    'stage-2-request',
    validation.submission.decision,
    validation.submission.values,
    { actor: 'resident', channel: 'link', detail: { via: 'check-your-complaint' } },
  );
}

/** A letter (PDF) of the signed-in resident's own case, if it was written to them. */
export async function residentLetter(
  deps: ResidentAccessDeps,
  signedIn: ResidentSignedIn,
  letter: string,
): Promise<Uint8Array | undefined> {
  const events = await deps.store.events(signedIn.record.caseId);
  const written = events.some((e) => e.type === 'letter-written' && e.detail?.letter === letter);
  // One written again before it was posted never reached them (`correspondenceOf`).
  if (!written || replacementOf(events, letter)) return undefined;
  return deps.archive.getLetter(signedIn.record.caseId, letter);
}

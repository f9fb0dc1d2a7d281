import { actedOnNothing } from '../adapters/errors.js';
import type { CaseEvent, CaseRecord } from '../domain/case.js';
import type { Policy } from '../domain/policy-schema.js';
import { type CaseStore, ConcurrentUpdateError } from '../domain/ports.js';
import { referralContactBy, referralOf } from '../domain/referrals.js';
import { formatDate } from '../web/format.js';
import { type EffectDeps, finishStarted, once, type StepContext } from './effects.js';
import type { SendEmail } from './steps.js';

/** The part of an SES event notification (via SNS) that Redress reads. */
export interface SesEventNotification {
  eventType?: string;
  notificationType?: string;
  mail?: { messageId?: string; tags?: Record<string, string[]>; destination?: string[] };
  bounce?: { bounceType?: string; bouncedRecipients?: { emailAddress?: string }[] };
  complaint?: { complainedRecipients?: { emailAddress?: string }[] };
}

/** The email that tells the complaints team of a resident's bounced address. */
const ALERT = 'complaints-team-alert';

/**
 * Longer than the email events queue waits before it delivers a failed event again (three
 * minutes: `EMAIL_EVENTS_DELIVERY` in the stack), with room for a slow poll: a delivery after a
 * longer gap was kept from the case table, as SES's word was, so the window for it starts again.
 */
export const REDELIVERY_GAP_MS = 6 * 60_000;

export interface MailEventDeps {
  store: CaseStore;
  policy: Policy;
  send: SendEmail;
  now: () => Date;
  /** Told when an alert whose sending was never confirmed is sent again (it may be a duplicate). */
  onResend?: (caseId: string, key: string) => void;
  /** How many times faster than real time `now` runs, and how long SES's word takes (`confirmWindowMs`). */
  timeScale?: number;
  sesWordWithinMs?: number | undefined;
}

/**
 * Whether a recorded bounce's addresses are these. A record made before the addresses were kept
 * has none, and stands for its whole message, as it did then.
 */
function sameRecipients(recorded: unknown, recipients: readonly string[]): boolean {
  if (!Array.isArray(recorded)) return true;
  return recorded.length === recipients.length && recorded.every((a, i) => a === recipients[i]);
}

/** The SES event notification a record carries, or undefined for a body that is none (not a JSON object). */
export function notificationOf(text: string): SesEventNotification | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as SesEventNotification)
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Records SES's word about an email on the case it was about. A Send event (SES accepted the
 * message) of an email a workflow step sent is recorded as `email-accepted` with the step
 * effect's key: it settles whether an email whose step died before recording it went out
 * (`effects.ts`), so that it is neither lost nor sent twice.
 *
 * A bounce or spam complaint is recorded on the case the email was about (the mailer tags every
 * email with its case id). When the resident's address bounces the complaints team is told, so
 * they can reply by post or phone instead: a reply that never arrives must not go unnoticed. So
 * too when a referral bounces: the team it was passed to never got it, and nobody else has it.
 */
export async function recordMailEvent(
  deps: MailEventDeps,
  notification: SesEventNotification,
): Promise<'recorded' | 'ignored'> {
  const type = notification.eventType ?? notification.notificationType;
  if (type !== 'Bounce' && type !== 'Complaint' && type !== 'Send') return 'ignored';
  const caseId = notification.mail?.tags?.['case-id']?.[0];
  if (!caseId) return 'ignored';
  const c = await deps.store.get(caseId);
  if (!c) return 'ignored';
  // An erased case (or one being erased) keeps no history but its erasure: a bounce or spam
  // complaint reported after it would put the resident's address back (`recipients` below).
  if (c.erasure || c.erasureStarted) return 'ignored';
  if (type === 'Send') return recordAccepted(deps, c, notification);
  // Only the addresses given as text: a recipient SES words otherwise is none, rather than an
  // error that would hand the event back to the queue until it is dead-lettered, unrecorded.
  const listed: unknown =
    type === 'Bounce' ? notification.bounce?.bouncedRecipients : notification.complaint?.complainedRecipients;
  const affected = (Array.isArray(listed) ? listed : []).flatMap((r: unknown) => {
    const address =
      typeof r === 'object' && r !== null ? (r as { emailAddress?: unknown }).emailAddress : undefined;
    return typeof address === 'string' ? [address.toLowerCase()] : [];
  });
  const residentAffected = !!c.complainant.email && affected.includes(c.complainant.email.toLowerCase());
  const recorded = type === 'Bounce' ? 'email-bounced' : 'email-complaint';
  const messageId = notification.mail?.messageId;
  // One record per message and addresses: SES reports each address's bounce of one email in an
  // event of its own, and the queue may deliver any of them again (when the alert below could not
  // go, or at least once in any case): the first record stands.
  const recipients = [...new Set(affected.filter((a) => a !== ''))].sort();
  const record = {
    at: deps.now().toISOString(),
    type: recorded,
    actor: 'system',
    detail: {
      template: notification.mail?.tags?.template?.[0] ?? null,
      bounceType: notification.bounce?.bounceType ?? null,
      residentAffected,
      recipients,
      ...(messageId === undefined ? {} : { messageId }),
    },
  } as const;
  let events: CaseEvent[] = [];
  if (messageId === undefined) await deps.store.appendEvent(caseId, record);
  else {
    events = await appendUnlessRecorded(
      deps.store,
      caseId,
      (e) =>
        e.type === recorded &&
        e.detail?.messageId === messageId &&
        sameRecipients(e.detail?.recipients, recipients),
      record,
    );
  }
  const alerted =
    messageId !== undefined &&
    events.some(
      (e) => e.type === 'email-sent' && e.detail?.template === ALERT && e.detail?.about === messageId,
    );
  if (type === 'Bounce' && !alerted) {
    // The resident's address: they hear nothing more by email. A referral: the team it was
    // passed to never got it, while the resident was told they had.
    const problem = residentAffected
      ? residentBounce(c)
      : record.detail.template === 'referral' && recipients.length > 0
        ? referralBounce(deps.policy, c, recipients, events)
        : undefined;
    if (problem) await alertTeam(deps, c, messageId, problem);
  }
  return 'recorded';
}

/** What the complaints team is told, as the alert email's `problem` and its words. */
interface Alert {
  problem: 'bounce' | 'referral-bounce';
  error: string;
}

function residentBounce(c: CaseRecord): Alert {
  return {
    problem: 'bounce',
    error: `An email to the resident about ${c.reference} bounced. Contact them another way (phone or post).`,
  };
}

/**
 * A referral that did not reach the team it was passed to: nobody has the case, and the resident
 * waits to hear from that team (by a date, where they were given one). The complaints team passes
 * it on by hand, and has the policy's address put right.
 */
function referralBounce(
  policy: Policy,
  c: CaseRecord,
  recipients: readonly string[],
  events: readonly CaseEvent[],
): Alert {
  const referral = referralOf(policy, c);
  const team = referral?.team ?? 'the team it was passed to';
  // The date the resident was given counts from when the case was passed on (as the letter
  // counts it), which for feedback typed in late is after its receipt.
  const sent = events.find((e) => e.type === 'email-sent' && e.detail?.template === 'referral')?.at;
  const passedOnAt = sent && Date.parse(sent) > Date.parse(c.receivedAt) ? sent : c.receivedAt;
  const contactBy = referral ? referralContactBy(policy, referral, passedOnAt) : undefined;
  return {
    problem: 'referral-bounce',
    error: [
      `Passed to: ${team} (${recipients.join(', ')}). The email to them bounced.`,
      `The resident was told that we had passed their message to them${contactBy ? `, and that they would be contacted by ${formatDate(contactBy)}` : ''}.`,
      "Once you have passed it on, have the address in the council's complaints policy corrected.",
    ].join(' '),
  };
}

/** Attempts at recording an event once while other events keep being appended to the case. */
const APPEND_ONCE_ATTEMPTS = 5;

/**
 * Appends `event` unless the history holds a record `found` already, once however many deliveries
 * of the same word do so at the same moment: the append is conditional on the history being as
 * it was read, and a delivery that lost the race reads it again and finds the winner's record.
 * Returns the history as it was read (without `event`).
 */
async function appendUnlessRecorded(
  store: CaseStore,
  caseId: string,
  found: (e: CaseEvent) => boolean,
  event: Omit<CaseEvent, 'caseId' | 'seq'>,
): Promise<CaseEvent[]> {
  for (let attempt = 1; ; attempt++) {
    const events = await store.events(caseId);
    if (events.some(found)) return events;
    try {
      await store.appendEvent(caseId, event, {
        afterSeq: events.reduce((last, e) => Math.max(last, e.seq), 0),
      });
      return events;
    } catch (error: unknown) {
      // The table's word is the queue's cue to deliver again: the record is made then.
      if (!(error instanceof ConcurrentUpdateError) || attempt >= APPEND_ONCE_ATTEMPTS) throw error;
    }
  }
}

/**
 * Tells the complaints team of a bounce (the resident's address, a referral), once per bounced message however
 * its events are delivered: again, at the same moment by two invocations, or one for each address
 * of the message. The alert is an effect (`effects.ts`) of no workflow state, claimed on the case
 * in a write conditional on its version before it goes: a delivery that loses the claim reads the
 * case again and finds it taken. A claim left unfinished (the function died after SES took the
 * alert, or before) is settled by SES's Send event for it, which names the claim's key
 * (`recordAccepted`), or sent again when none has come within the window the workflow's steps
 * wait (`confirmWindowMs`); until then the delivery fails, and the queue delivers it again.
 * The history's `email-sent` record, not the claim (any step's write drops it once done), is
 * what says that the team was told.
 */
async function alertTeam(
  deps: MailEventDeps,
  c: CaseRecord,
  messageId: string | undefined,
  problem: Alert,
): Promise<void> {
  const alert = (about: CaseRecord, key?: string, lease?: AbortSignal) =>
    deps.send(
      about,
      ALERT,
      [deps.policy.routing.complaintsTeam],
      { ...problem },
      { ...(key === undefined ? {} : { effect: key }), ...(lease ? { signal: lease } : {}) },
    );
  // A bounce that names no message cannot be told from another: each delivery alerts.
  if (messageId === undefined) {
    await alert(c);
    return;
  }
  const effectDeps: EffectDeps = {
    store: deps.store,
    now: deps.now,
    ...(deps.onResend ? { onResend: deps.onResend } : {}),
    askedAgainWithinMs: REDELIVERY_GAP_MS,
    ...(deps.timeScale === undefined ? {} : { timeScale: deps.timeScale }),
    ...(deps.sesWordWithinMs === undefined ? {} : { sesWordWithinMs: deps.sesWordWithinMs }),
  };
  // One entry of one state per bounced message (the same for every delivery of its events).
  const step: StepContext = { execution: 'bounce-alert', state: messageId, enteredAt: 'bounced' };
  const recordedIn = async (caseId: string, found: (e: CaseEvent) => boolean) => {
    const event = (await deps.store.events(caseId)).find(found);
    return event ? { messageId: String(event.detail?.messageId ?? '') } : undefined;
  };
  await once(effectDeps, c, step, {
    perform: (fresh, key, lease) => alert(fresh, key, lease),
    confirm: (fresh, key) =>
      recordedIn(fresh.caseId, (e) => e.type === 'email-accepted' && e.detail?.effect === key),
    actedOnNothing,
    apart: {
      recorded: (fresh) =>
        recordedIn(
          fresh.caseId,
          (e) => e.type === 'email-sent' && e.detail?.template === ALERT && e.detail?.about === messageId,
        ),
    },
    record: (_fresh, sent) => ({
      event: {
        at: deps.now().toISOString(),
        type: 'email-sent',
        actor: 'system',
        detail: { template: ALERT, problem: problem.problem, about: messageId, messageId: sent.messageId },
      },
    }),
  });
}

/**
 * SES accepted an email a step sent: recorded once, for the step to find (`effects.ts`), while the
 * case holds its effect unfinished (its step died before recording it, or has yet to: the word came
 * first). An email already recorded as done, or done and dropped from the case since (`keep`),
 * needs no word: nothing would read it, and recording it cost a read of the case's history and a
 * write for every email sent.
 */
async function recordAccepted(
  deps: { store: CaseStore; now: () => Date },
  c: CaseRecord,
  notification: SesEventNotification,
): Promise<'recorded' | 'ignored'> {
  const effect = notification.mail?.tags?.effect?.[0];
  if (!effect) return 'ignored';
  if (!Object.values(c.effects ?? {}).some((e) => e.key === effect && e.status !== 'done')) return 'ignored';
  // SES may deliver an event more than once, twice at the same moment too: the first record
  // stands. The email of a decided task is recorded all the same: the queue delivers the event
  // again when the table failed that write.
  const events = await appendUnlessRecorded(
    deps.store,
    c.caseId,
    (e) => e.type === 'email-accepted' && e.detail?.effect === effect,
    {
      at: deps.now().toISOString(),
      type: 'email-accepted',
      actor: 'system',
      detail: {
        effect,
        messageId: notification.mail?.messageId ?? null,
        template: notification.mail?.tags?.template?.[0] ?? null,
      },
    },
  );
  // An append leaves the case item as it was: the case and history read above still hold.
  await recordDecidedTaskEmail(deps, c, events, effect, notification.mail?.messageId ?? '');
  return 'recorded';
}

/**
 * An officer's task email whose step died before recording it, and whose task was decided
 * before the workflow came back for it (an outage): no step will ever finish that effect, so SES's
 * word records the `email-sent` here. (When the word comes first, the workflow records it as it
 * hands the decision over: `steps.ts`, `recordOpeningEmail`.) A task's id is its email's key.
 */
async function recordDecidedTaskEmail(
  deps: { store: CaseStore; now: () => Date },
  c: CaseRecord,
  events: readonly CaseEvent[],
  effect: string,
  messageId: string,
): Promise<void> {
  const slot = Object.entries(c.effects ?? {}).find(([, e]) => e.key === effect && e.status !== 'done')?.[0];
  if (slot === undefined || c.openTask?.taskId === effect) return;
  const decided = events.find((e) => e.type === 'task-done' && e.detail?.taskId === effect);
  if (!decided || events.some((e) => e.type === 'email-sent' && e.detail?.taskId === effect)) return;
  await finishStarted(
    deps,
    c,
    slot,
    effect,
    () => ({
      event: {
        at: deps.now().toISOString(),
        type: 'email-sent',
        actor: 'workflow',
        detail: { template: 'officer-task', task: decided.detail?.task, taskId: effect },
      },
    }),
    { messageId, taskId: effect },
  );
}

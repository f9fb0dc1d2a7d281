import { londonDate } from '../domain/calendar.js';
import { HOLD_REASONS, holdReviewDue } from '../domain/legal-hold.js';
import type { Policy } from '../domain/policy-schema.js';
import {
  type CaseStore,
  ConcurrentUpdateError,
  type EmailMessage,
  type HoldReminder,
  type HoldReminders,
  type Mailer,
  type StaffCaseQueries,
} from '../domain/ports.js';
import { logger } from '../observability.js';
import { escapeHtml, operationalEmailHtml } from '../templates/escape-html.js';
import { formatDate, formatDateTime } from '../web/format.js';

/**
 * The hold review reminder (UK GDPR storage limitation): a legal hold keeps a case past its
 * retention only while it is needed, and its review date is when someone must decide whether it
 * still is. When that date comes, the complaints team's mailbox gets one email listing every hold
 * now due, with a link to each case; a hold is reminded of once per review date. Setting a new
 * review date (`reviewHold`) makes it due again on that date; lifting it takes it off the list.
 *
 * Exactly once, however often the job runs: the holds due are read from the holds list (a Query,
 * `WORKLIST#hold`), the intent is claimed in one conditional write (`HoldReminders.claim`: a run
 * beside it finds it claimed and leaves it), the email is sent, SES's acceptance is recorded, then
 * each case records that it was reminded (which takes it off the due holds), and only then is the
 * claim forgotten. A run that finds a sent reminder unfinished finishes the cases' part without
 * sending. SES takes no idempotency key: a run that died between claiming and SES's answer leaves
 * an unsent claim, which the next run leaves alone for `SEND_WINDOW_MS` (the run may still be
 * sending) and then sends again, logging the risk of a duplicate, as the workflow steps do
 * (`effects.ts`): a reminder sent twice is a nuisance, one never sent is a hold forgotten.
 */

/** How long an unsent claim is left to the run that made it before it is taken as never sent. */
export const SEND_WINDOW_MS = 10 * 60_000;

/** The email's template tag (built here, not from a case's letter templates). */
export const HOLD_REVIEW_TEMPLATE = 'legal-hold-review';

/** Holds listed in one email at most; the rest go in the next run's. */
const MAX_PER_EMAIL = 100;

/** Attempts at recording a reminder on a case that keeps changing under it. */
const MAX_ATTEMPTS = 3;

export interface HoldReviewDeps {
  store: CaseStore & Pick<StaffCaseQueries, 'workList'>;
  reminders: HoldReminders;
  policy: Pick<Policy, 'council' | 'routing'>;
  mailer: Mailer;
  now: () => Date;
  newId: () => string;
  /** Where the workspace is served (e.g. `https://complaints.example.gov.uk`); no links when absent. */
  baseUrl?: string;
}

export interface HoldReviewResult {
  /** Holds listed in an email this run sent (a resent one included). */
  reminded: number;
  /** Whether this run sent an email. */
  emailed: boolean;
  /** An unsent reminder of another run was left alone (it may still be sending). */
  waiting: boolean;
}

/** Emails the holds whose review date has come, each once; finishes what an earlier run began. */
export async function remindHoldReviews(deps: HoldReviewDeps): Promise<HoldReviewResult> {
  const result: HoldReviewResult = { reminded: 0, emailed: false, waiting: false };
  const earlier = await deps.reminders.pending();
  if (earlier) {
    if (!earlier.sentAt) {
      const startedAt = Date.parse(earlier.startedAt);
      if (deps.now().getTime() - startedAt < SEND_WINDOW_MS) return { ...result, waiting: true };
      if (!(await deps.reminders.retake(earlier.id, earlier.startedAt, deps.now().toISOString()))) {
        return { ...result, waiting: true };
      }
      logger.warn('hold review reminder: an earlier run died before SES answered; sending again', {
        reminder: earlier.id,
      });
      await send(deps, earlier);
      result.emailed = true;
      result.reminded = earlier.holds.length;
    }
    await recordOnCases(deps, earlier);
    await deps.reminders.finish(earlier.id);
  }

  const due = await holdsDue(deps);
  if (due.length === 0) return result;
  const reminder: HoldReminder = { id: deps.newId(), startedAt: deps.now().toISOString(), holds: due };
  if (!(await deps.reminders.claim(reminder))) return { ...result, waiting: true };
  await send(deps, reminder);
  await recordOnCases(deps, reminder);
  await deps.reminders.finish(reminder.id);
  return { reminded: result.reminded + due.length, emailed: true, waiting: false };
}

/** The holds whose review date has come and has not been reminded of, earliest first (a Query). */
async function holdsDue(deps: HoldReviewDeps): Promise<HoldReminder['holds']> {
  const today = londonDate(deps.now().toISOString());
  const due: HoldReminder['holds'] = [];
  let cursor: string | undefined;
  do {
    // Reminded holds stay listed until reviewed: read on past them, a page at a time.
    const page = await deps.store.workList('hold', {
      limit: MAX_PER_EMAIL,
      dueBy: today,
      ...(cursor ? { cursor } : {}),
    });
    for (const e of page.entries) {
      const h = e.hold;
      if (!h?.reviewBy) continue;
      if (!holdReviewDue({ reviewBy: h.reviewBy, ...(h.reminded ? { remindedFor: h.reviewBy } : {}) }, today))
        continue;
      due.push({ ...h, reviewBy: h.reviewBy, caseId: e.caseId, reference: e.reference });
    }
    cursor = page.next;
  } while (cursor && due.length < MAX_PER_EMAIL);
  return due.slice(0, MAX_PER_EMAIL);
}

async function send(deps: HoldReviewDeps, reminder: HoldReminder): Promise<void> {
  const message = holdReviewEmail(reminder, {
    council: deps.policy.council,
    to: [deps.policy.routing.complaintsTeam],
    ...(deps.baseUrl ? { baseUrl: deps.baseUrl } : {}),
  });
  const { messageId } = await deps.mailer.send(message);
  await deps.reminders.sent(reminder.id, deps.now().toISOString(), messageId);
}

/**
 * Records on each case listed that its hold was reminded of this review date: the hold leaves
 * the due holds, and the case's history says when. A hold lifted, or given a new review date,
 * since the email is left as it is (a new date is reminded of when it comes).
 */
async function recordOnCases(deps: HoldReviewDeps, reminder: HoldReminder): Promise<void> {
  for (const h of reminder.holds) {
    for (let attempt = 1; ; attempt++) {
      const c = await deps.store.get(h.caseId);
      const hold = c?.legalHold;
      if (!c || !hold || hold.reviewBy !== h.reviewBy || hold.remindedFor === h.reviewBy) break;
      try {
        await deps.store.update(c.caseId, c.version, {
          set: { legalHold: { ...hold, remindedFor: h.reviewBy } },
          event: {
            at: deps.now().toISOString(),
            type: 'legal-hold-review-reminded',
            actor: 'system',
            detail: { reviewBy: h.reviewBy },
          },
        });
        break;
      } catch (error: unknown) {
        if (!(error instanceof ConcurrentUpdateError) || attempt >= MAX_ATTEMPTS) throw error;
      }
    }
  }
}

/**
 * The email to the complaints team's mailbox: one line per hold, by reference, with why it was
 * placed, by whom, when, its review date and a link to the case in the workspace (sign-in
 * needed). No resident's data: email is copied and forwarded, and the officer's note stays on
 * the case.
 */
export function holdReviewEmail(
  reminder: Pick<HoldReminder, 'holds'>,
  options: { council: string; to: string[]; baseUrl?: string },
): EmailMessage {
  const n = reminder.holds.length;
  const subject = n === 1 ? 'A legal hold is due for review' : `${n} legal holds are due for review`;
  const day = (date: string) => formatDate(`${date}T12:00:00Z`, { weekday: false });
  const items = reminder.holds.map((h) => ({
    reference: h.reference,
    lines: [
      `Reason: ${HOLD_REASONS[h.reason]}`,
      `Placed by ${h.by} on ${formatDateTime(h.placedAt)}`,
      `Review by ${day(h.reviewBy)}`,
    ],
    link: options.baseUrl ? `${options.baseUrl}/staff/cases/${encodeURIComponent(h.reference)}` : undefined,
  }));
  const intro =
    n === 1
      ? 'The review date of this legal hold has come. A held case is kept past its retention period, so decide whether the hold is still needed: lift it, or set a new review date.'
      : 'The review date of these legal holds has come. A held case is kept past its retention period, so decide for each whether the hold is still needed: lift it, or set a new review date.';
  const outro =
    'You will not be reminded of these review dates again. All the holds are listed in the workspace under Legal holds.';
  const footer = 'This email holds no personal data. Do not add any before forwarding it.';
  const text = [
    intro,
    '',
    ...items.flatMap((i) => [
      i.reference,
      ...i.lines.map((l) => `  ${l}`),
      ...(i.link ? [`  Open the case: ${i.link}`] : []),
      '',
    ]),
    outro,
    '',
    footer,
    '',
    options.council,
  ].join('\n');
  const html = operationalEmailHtml(subject, [
    `<p>${escapeHtml(intro)}</p>`,
    '<ul>',
    ...items.map(
      (i) =>
        `<li><strong>${escapeHtml(i.reference)}</strong><br>${i.lines.map(escapeHtml).join('<br>')}` +
        (i.link
          ? `<br><a href="${escapeHtml(i.link)}" style="color:#1d70b8;">Open case ${escapeHtml(i.reference)}</a>`
          : '') +
        '</li>',
    ),
    '</ul>',
    `<p>${escapeHtml(outro)}</p>`,
    `<p>${escapeHtml(footer)}</p>`,
    `<p>${escapeHtml(options.council)}</p>`,
  ]);
  return { to: options.to, subject, text, html, template: HOLD_REVIEW_TEMPLATE };
}

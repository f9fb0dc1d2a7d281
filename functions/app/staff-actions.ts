import { createHash } from 'node:crypto';
import { auditEntry } from '../domain/audit.js';
import { endOfLondonDay, londonDate, londonTime } from '../domain/calendar.js';
import type { CaseEvent, CaseRecord } from '../domain/case.js';
import { stage1HandlerRefusal } from '../domain/decisions.js';
import { CaseErasedError, ConcurrentActionError, DecisionRefusedError } from '../domain/errors.js';
import { signLink } from '../domain/links.js';
import { type OmbudsmanId, ombudsmenOf } from '../domain/ombudsmen.js';
import type { Policy } from '../domain/policy-schema.js';
import {
  AlreadyDoneError,
  type Archive,
  type AuditLog,
  type CasePage,
  type CaseStore,
  type StaffCaseQueries,
  type StaffStore,
  type WorkflowEngine,
} from '../domain/ports.js';
import { parseSearch, searchKind } from '../domain/search-terms.js';
import {
  canSeeCase,
  isCouncilAddress,
  reassignTargets,
  type StaffMember,
  seesAllCases,
  weekEnd,
} from '../domain/staff.js';
import { textProblem } from '../domain/typed-text.js';
import { DependencyUnavailableError, HttpError, httpErrorOf, ValidationError } from '../http/errors.js';
import { FORM_ID } from '../web/form-token.js';
import { caseViewLink } from './case-links.js';
import { changeCase } from './case-writes.js';
import { feedbackFormAnswers, submitFeedback, validateFeedback } from './intake.js';
import { recordOmbudsmanEnquiry } from './ombudsman.js';
import { stage1Officer } from './people.js';
import type { SendEmail } from './steps.js';
import { validateTaskForm } from './task-form-schema.js';
import {
  type ActionWithDecision,
  decideOnTask,
  formOptions,
  offersDecision,
  type TaskOutcome,
} from './tasks.js';

/**
 * What signed-in staff do in the workspace, one use case each. Every one names the person as the
 * actor of what it records; none trusts a case id or an address from the page without checking
 * it against the case, the person's roles and the council's own directory.
 */
export interface StaffActionDeps {
  store: CaseStore & StaffCaseQueries;
  staffStore: StaffStore;
  archive: Archive;
  workflows: WorkflowEngine;
  policy: Policy;
  /** The service's clock (deadlines, events). */
  now: () => Date;
  newId: () => string;
  linkSecrets: () => Promise<string[]>;
  /** Renders and sends one templated email (the workflow steps' own sender). */
  send: SendEmail;
  /** Public address task links start with. */
  baseUrl: string;
}

/** How long a re-issued task link works: as long as the one the workflow sends. */
const REISSUED_LINK_DAYS = 120;

/** The person may not see this case (an officer of another service). */
export class CaseForbiddenError extends HttpError {
  override name = 'CaseForbiddenError';
  constructor() {
    super(
      403,
      'You cannot open this case: it belongs to another service. Ask the complaints team if you need it.',
    );
  }
}

/** The person's role may not do this. */
export class ActionForbiddenError extends HttpError {
  override name = 'ActionForbiddenError';
  constructor(what: string) {
    super(403, `Your role cannot ${what}. Ask the complaints team.`);
  }
}

/** The queue's filters, as the page's query string gives them. */
export interface QueueFilter {
  view: 'mine' | 'team' | 'all';
  due: 'overdue' | 'today' | 'week' | 'any';
  service?: string;
  stage?: 1 | 2;
  cursor?: string;
}

/** Queue page size. */
export const QUEUE_PAGE = 25;

/**
 * One page of the work queue, soonest deadline first, from the open-cases index. An officer's
 * "team" is their services; they cannot ask for all cases.
 */
export async function queue(
  deps: StaffActionDeps,
  staff: StaffMember,
  filter: QueueFilter,
): Promise<CasePage> {
  const now = deps.now();
  const dueBy =
    filter.due === 'overdue'
      ? now.toISOString()
      : filter.due === 'today'
        ? endOfLondonDay(londonDate(now.toISOString()))
        : filter.due === 'week'
          ? weekEnd(now, deps.policy)
          : undefined;
  let services: string[] | undefined;
  if (filter.service) {
    if (!seesAllCases(staff) && !staff.services.includes(filter.service)) throw new CaseForbiddenError();
    services = [filter.service];
  } else if (filter.view === 'team' && !seesAllCases(staff)) {
    services = staff.services;
  } else if (filter.view === 'all' && !seesAllCases(staff)) {
    services = staff.services;
  }
  return deps.store.openPage({
    ...(dueBy ? { dueBy } : {}),
    ...(services ? { services } : {}),
    ...(filter.view === 'mine' ? { assignedTo: staff.email } : {}),
    ...(filter.stage ? { stage: filter.stage } : {}),
    limit: QUEUE_PAGE,
    ...(filter.cursor ? { cursor: filter.cursor } : {}),
  });
}

/** Cases found by reference, name, email, phone or postcode that this person may see. */
/**
 * The cases `text` finds that this person may see. The list shows residents' names and contact
 * details, so each search is written to the audit log before it is shown: who, when, by what
 * kind of detail, and the references of the cases shown. The words searched for are not kept:
 * they are themselves a person's name, email address, phone number or postcode, and a hash of
 * them would not hide them (there are few enough names and phone numbers to hash every one). The
 * cases shown say whose data was seen, which is what the log is for.
 */
export async function search(
  deps: Pick<StaffActionDeps, 'store' | 'now' | 'newId'> & { audit: AuditLog },
  staff: StaffMember,
  text: string,
): Promise<CaseRecord[]> {
  const query = parseSearch(text);
  if ('empty' in query) return [];
  const found =
    'reference' in query
      ? [await deps.store.getByReference(query.reference)].filter((c): c is CaseRecord => c !== undefined)
      : await deps.store.search(query.terms, 50);
  const shown = found.filter((c) => canSeeCase(staff, c));
  const references = shown.map((c) => c.reference);
  const detail = `by ${searchKind(query)}; ${
    shown.length === 0
      ? 'no case shown'
      : `${shown.length} ${shown.length === 1 ? 'case' : 'cases'} shown: ${references.join(', ')}`
  }`;
  await deps.audit.record(
    auditEntry(staff, 'workspace.search', deps.now().toISOString(), deps.newId(), { detail }),
  );
  return shown;
}

/**
 * A case opened by staff, with its history. Opening it shows the resident's personal data, so
 * the view is recorded on the case (who, when) before anything is shown.
 */
export async function openCase(
  deps: StaffActionDeps,
  staff: StaffMember,
  reference: string,
): Promise<{ record: CaseRecord; events: CaseEvent[] }> {
  const record = await caseFor(deps, staff, reference);
  await deps.store.appendEvent(record.caseId, {
    at: deps.now().toISOString(),
    type: 'viewed',
    actor: staff.email,
    detail: { what: 'case and contact details' },
  });
  return { record, events: await deps.store.events(record.caseId) };
}

/** The case by reference, if this person may see it: 404 when there is none, 403 when not theirs. */
export async function caseFor(
  deps: { store: Pick<CaseStore, 'getByReference'> },
  staff: StaffMember,
  reference: string,
): Promise<CaseRecord> {
  const record = await deps.store.getByReference(reference.toUpperCase());
  if (!record) throw new HttpError(404, 'There is no case with this reference');
  if (!canSeeCase(staff, record)) throw new CaseForbiddenError();
  return record;
}

type CaseChangeOf = Parameters<CaseStore['update']>[2];

/**
 * Retries a change that lost a race with the workflow, on the case as it is now. `make` answers
 * undefined when, on the case as it is now, there is nothing left to write.
 */
export async function change(
  deps: { store: Pick<CaseStore, 'get' | 'update'> },
  caseId: string,
  // A change may render something first (a letter written again, `readdressed-letters.ts`): each
  // attempt renders from the case it writes over.
  make: (c: CaseRecord) => CaseChangeOf | undefined | Promise<CaseChangeOf | undefined>,
): Promise<CaseRecord> {
  const changed = await changeCase(deps.store, caseId, (current) => {
    if (current.erasure || current.erasureStarted) throw new CaseErasedError();
    return make(current);
  });
  if (!changed) throw new HttpError(404, 'There is no case with this reference');
  return changed;
}

/**
 * Adds a note to the case (kept on the case and in its history, never sent to the resident).
 * With the page's one-off form id, once: the same form sent again (a double click without
 * script, the page sent again from the browser's history) adds nothing and answers as the first
 * did. Without one (a page from before forms had it), as before.
 */
export async function addNote(
  deps: StaffActionDeps,
  staff: StaffMember,
  reference: string,
  text: unknown,
  formId?: unknown,
): Promise<void> {
  const note = typeof text === 'string' ? text.trim() : '';
  if (!note) throw new ValidationError({ note: 'Enter the note' });
  if (note.length > 5000) throw new ValidationError({ note: 'The note must be 5000 characters or fewer' });
  const hidden = textProblem(note, 'The note', true);
  if (hidden) throw new ValidationError({ note: hidden });
  const record = await caseFor(deps, staff, reference);
  const at = deps.now().toISOString();
  // The note is kept with its event, not on the case (`caseNotes`).
  await doneOnce(() =>
    change(deps, record.caseId, () => ({
      event: { at, type: 'note-added', actor: staff.email, detail: { length: note.length, text: note } },
      ...onceFor('note', formId),
    })),
  );
}

/** The change's `once` for a form of kind `form` sent with `formId`; none without a proper one. */
export function onceFor(form: string, formId: unknown): Pick<CaseChangeOf, 'once'> {
  return typeof formId === 'string' && FORM_ID.test(formId) ? { once: `${form}:${formId}` } : {};
}

/** Runs a write made once per form: the form sent again finds it done, which is what it asked. */
export async function doneOnce(write: () => Promise<unknown>): Promise<void> {
  try {
    await write();
  } catch (error: unknown) {
    if (!(error instanceof AlreadyDoneError)) throw error;
  }
}

/**
 * Hands the case to a team or person the council has. With a task open that can be reassigned
 * (acknowledge, respond), it is the same decision as the emailed link's "send it to another
 * team": the workflow sends the new officer their task. Otherwise the case is assigned.
 */
export async function reassign(
  deps: StaffActionDeps,
  staff: StaffMember,
  reference: string,
  to: unknown,
): Promise<TaskOutcome> {
  const target = typeof to === 'string' ? to.trim().toLowerCase() : '';
  const directory = await deps.staffStore.directory();
  if (!target) throw new ValidationError({ reassignTo: 'Choose who to send the case to' });
  if (!isCouncilAddress(target, deps.policy, directory)) {
    throw new ValidationError({
      reassignTo: 'Choose a team or officer of the council: a case cannot be sent outside it',
    });
  }
  const record = await caseFor(deps, staff, reference);
  const task = record.openTask?.name;
  if (
    (task === 'acknowledge' || task === 'respond') &&
    offersDecision(deps.policy, record, task, 'reassign')
  ) {
    try {
      return await decideOnTask(
        { ...deps, staffDirectory: async () => directory },
        record,
        task,
        'reassign',
        { reassignTo: target },
        { actor: staff.email, channel: 'workspace' },
      );
    } catch (error: unknown) {
      if (error instanceof DecisionRefusedError) throw new ValidationError({ ...error.fields });
      throw error;
    }
  }
  if (record.assignedTo?.toLowerCase() === target) {
    // A second press, or a move to where it is: nothing to write, and nobody emailed again.
    return { message: `The case is already with ${target}.`, reference: record.reference };
  }
  const at = deps.now().toISOString();
  let handed = false;
  let already = false;
  const reassigned = await change(deps, record.caseId, (c) => {
    // Checked again on the case as it is now: someone else may have just sent it there.
    already = c.assignedTo?.toLowerCase() === target;
    if (already) return undefined;
    // The rule of the task's own "send it to another team", where no such task is waiting: the
    // next task of a stage 2 case goes to whoever has it, never to who handled stage 1.
    const handledStage1 = stage1HandlerRefusal(deps.policy, c, target);
    if (handledStage1) throw new ValidationError({ reassignTo: handledStage1 });
    const task = taskHandedOver(c, c.assignedTo ?? stage1Officer(deps.policy, c), target, at);
    handed = task !== undefined;
    return {
      set: { assignedTo: target, ...task },
      event: {
        at,
        type: 'reassigned',
        actor: staff.email,
        detail: { to: target, ...(task?.openTask ? { task: task.openTask.name } : {}) },
      },
    };
  });
  if (already) return { message: `The case is already with ${target}.`, reference: record.reference };
  if (handed) {
    await tellNewOfficer(deps, reassigned);
    return {
      message: `The case and its waiting task are now with ${target}, who has been emailed a link to it.`,
      reference: record.reference,
    };
  }
  await afterWritten(
    () => tellAssigned(deps, reassigned, target, staff),
    `The case is now with ${target}, but the email telling them could not be sent just now: tell them yourself, or send the case to them again in a minute.`,
  );
  return {
    message: `The case is now with ${target}, who has been emailed a link to it.`,
    reference: record.reference,
  };
}

/**
 * Tells the team or officer a case was passed to while no task waits on it that it is theirs,
 * with a link to it: otherwise they would learn of it only by finding it in their queue.
 */
async function tellAssigned(
  deps: StaffActionDeps,
  record: CaseRecord,
  to: string,
  by: StaffMember,
): Promise<void> {
  const [secret] = await deps.linkSecrets();
  if (!secret) throw new Error('No link secret is configured');
  await deps.send(record, 'case-assigned', [to], {
    from: by.name || by.email,
    caseUrl: caseViewLink(deps.baseUrl, secret, record, to, deps.now()),
  });
}

/** Who a case may be handed to, for the page's list. */
export async function reassignOptions(deps: StaffActionDeps): Promise<string[]> {
  return reassignTargets(deps.policy, await deps.staffStore.directory());
}

export const OMBUDSMAN_DECISIONS = [
  'not-investigated',
  'investigating',
  'upheld',
  'partially-upheld',
  'not-upheld',
  'settled',
] as const;

/**
 * Records an Ombudsman enquiry, or its decision, on a case open or closed: the case file moves to
 * the 6-year retention class and the reports count it. The complaints team, directors and
 * administrators record these; an officer asks them.
 */
export async function recordOmbudsman(
  deps: StaffActionDeps,
  staff: StaffMember,
  reference: string,
  body: Record<string, unknown>,
): Promise<void> {
  if (!seesAllCases(staff)) throw new ActionForbiddenError('record an Ombudsman enquiry');
  // Only the offices the council's nation answers to (the LGSCO and the Housing Ombudsman in England).
  const ombudsman = ombudsmenOf(deps.policy.ombudsman.nation).find((id) => id === body.ombudsman);
  const errors: Record<string, string> = {};
  if (!ombudsman) errors.ombudsman = 'Choose which Ombudsman is asking';
  const decision = typeof body.ombudsmanDecision === 'string' ? body.ombudsmanDecision : '';
  if (decision && !(OMBUDSMAN_DECISIONS as readonly string[]).includes(decision)) {
    errors.ombudsmanDecision = 'Choose the Ombudsman’s decision from the list';
  }
  const note = typeof body.ombudsmanNote === 'string' ? body.ombudsmanNote.trim() : '';
  if (note.length > 2000) errors.ombudsmanNote = 'The note must be 2000 characters or fewer';
  const hidden = textProblem(note, 'The note', true);
  if (hidden && !errors.ombudsmanNote) errors.ombudsmanNote = hidden;
  if (Object.keys(errors).length) throw new ValidationError(errors);
  const record = await caseFor(deps, staff, reference);
  await recordOmbudsmanEnquiry(deps, record.reference, {
    ombudsman: ombudsman as OmbudsmanId,
    by: staff.email,
    ...onceFor('ombudsman', body.formId),
    ...(note ? { note } : {}),
    ...(decision ? { decision } : {}),
  });
}

/**
 * Records feedback received by phone, letter, email or in person, with the date it really came:
 * the only way to set the channel and the date received. The rest of the form is the resident
 * form's (contact details and how they want letters, someone making it for another person,
 * accessibility needs), checked by the same intake rules and stored as intake stores it, so the
 * workflow posts printed letters and asks for consent as it does for a resident's own.
 */
export async function recordReceived(
  deps: StaffActionDeps,
  staff: StaffMember,
  form: Record<string, unknown>,
): Promise<CaseRecord> {
  const { receivedDay, receivedMonth, receivedYear, receivedTime, csrf: _csrf, formId, ...fields } = form;
  const { answers, problems: formProblems } = feedbackFormAnswers(fields);
  const errors: Record<string, string> = { ...formProblems };
  const channel = answers.channel;
  if (!['phone', 'letter', 'email', 'in-person'].includes(String(channel))) {
    errors.channel = 'Choose how the feedback was received';
  }
  // Digits as a person writes them: Number() would also take "0x1" or "1e0".
  const digits = (value: unknown): number =>
    typeof value === 'string' && /^\s*\d{1,4}\s*$/.test(value) ? Number(value) : Number.NaN;
  const day = digits(receivedDay);
  const month = digits(receivedMonth);
  const year = digits(receivedYear);
  const date = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  const valid =
    Number.isInteger(day) &&
    Number.isInteger(month) &&
    Number.isInteger(year) &&
    year >= 2000 &&
    !Number.isNaN(Date.parse(`${date}T12:00:00Z`)) &&
    new Date(`${date}T12:00:00Z`).getUTCDate() === day;
  let receivedAt: string | undefined;
  if (!valid) {
    errors.receivedDate = 'Enter the date it was received, for example 27 3 2026';
  } else {
    const time = typeof receivedTime === 'string' ? receivedTime.trim() : '';
    const m = /^(\d{1,2}):(\d{2})$/.exec(time);
    if (time && (!m || Number(m[1]) > 23 || Number(m[2]) > 59)) {
      errors.receivedTime = 'Enter the time as hours and minutes, like 14:30, or leave it empty';
    } else {
      // No time given: the date alone, which intake keeps as a date (never as midnight). Intake
      // checks it is not in the future nor more than a year back.
      receivedAt = m ? londonTime(date, Number(m[1]), Number(m[2])) : date;
    }
  }
  const submission = { ...answers, receivedAt };
  // Anonymous chosen with a name or contact details typed: which it is is the officer's to say,
  // never details dropped without a word.
  const typed = answers.complainant as Record<string, unknown> | undefined;
  const onBehalfTyped = answers.onBehalfOf as Record<string, unknown> | undefined;
  const hasText = (v: unknown) => typeof v === 'string' && v.trim() !== '';
  if (
    (answers.anonymous === true || answers.anonymous === 'yes') &&
    (['name', 'email', 'phone', 'address'].some((k) => hasText(typed?.[k])) || hasText(onBehalfTyped?.name))
  ) {
    errors.anonymous =
      'They cannot stay anonymous with a name or contact details recorded: remove the name and contact details, or say they do not want to stay anonymous';
  }
  // Every problem at once: the form's own (how and when it came) with all of intake's, not the
  // date's first, then the rest once the officer has fixed it.
  const problems = { ...intakeProblems(deps, submission), ...errors };
  if (Object.keys(problems).length) throw new ValidationError(problems);
  const { record } = await submitFeedback(deps, submission, {
    staff: { email: staff.email },
    // The same answers recorded again by the same person (a second press, the page sent again
    // after a slow answer) are the same contact: the case they stored, not another. The page
    // sends its fields in its own order, so the same answers give the same text.
    // The page's own id (one per page view) keeps two pages with the same words (a campaign's
    // identical unsigned letters) two contacts.
    idempotencyKey: `staff-record:${createHash('sha256')
      .update(
        JSON.stringify([staff.email.toLowerCase(), submission, typeof formId === 'string' ? formId : '']),
      )
      .digest('base64url')}`,
  });
  return record;
}

/** What intake's rules find wrong with the answers, by field; none: they would be taken. */
function intakeProblems(deps: StaffActionDeps, answers: Record<string, unknown>): Record<string, string> {
  try {
    validateFeedback(deps, answers, true);
    return {};
  } catch (error: unknown) {
    if (error instanceof ValidationError) return error.fields;
    throw error;
  }
}

/**
 * Sends the officer whose task is waiting a fresh link to it (same task, new expiry): an email
 * lost, deleted or older than its link's life no longer loses the case. Links sent before keep
 * working until they expire; the task's token on the case is not touched.
 */
export async function reissueTaskLink(
  deps: StaffActionDeps,
  staff: StaffMember,
  reference: string,
): Promise<string> {
  const record = await caseFor(deps, staff, reference);
  const open = record.openTask;
  if (!open || open.officer === 'resident') {
    throw new ValidationError({
      reissue: 'No officer task is waiting on this case, so there is no link to send',
    });
  }
  const now = deps.now();
  const at = now.toISOString();
  // The link's new issue time is written before the email goes, and only when the last link went
  // out long enough ago: of two requests at once (a double click with no script, the page sent
  // again) the second finds it just written and sends nothing, as the first's email is on its way.
  let claimed = false;
  await change(deps, record.caseId, (c) => {
    claimed =
      c.openTask?.taskId === open.taskId &&
      now.getTime() - Date.parse(c.openTask.issuedAt) >= REISSUE_AGAIN_AFTER_MS;
    return claimed && c.openTask ? { set: { openTask: { ...c.openTask, issuedAt: at } } } : undefined;
  });
  if (!claimed) return open.officer;
  try {
    await emailTaskLink(deps, record, open);
  } catch (error: unknown) {
    // Not sent: the issue time goes back, so asking again sends the link rather than nothing.
    await change(deps, record.caseId, (c) =>
      c.openTask?.taskId === open.taskId && c.openTask.issuedAt === at
        ? { set: { openTask: { ...c.openTask, issuedAt: open.issuedAt } } }
        : undefined,
    );
    throw error;
  }
  await change(deps, record.caseId, () => ({
    event: {
      at,
      type: 'task-link-reissued',
      actor: staff.email,
      detail: { task: open.name, taskId: open.taskId, to: open.officer },
    },
  }));
  return open.officer;
}

/** How soon after a task's link was sent another may be asked for: sooner, it is the same request sent twice. */
export const REISSUE_AGAIN_AFTER_MS = 60_000;

/** Emails the officer of `open` a fresh link to it (same task, a new expiry). */
async function emailTaskLink(
  deps: StaffActionDeps,
  record: CaseRecord,
  open: NonNullable<CaseRecord['openTask']>,
): Promise<void> {
  const [secret] = await deps.linkSecrets();
  if (!secret) throw new Error('No link secret is configured');
  const token = signLink(
    {
      c: record.caseId,
      t: open.taskId,
      a: open.name,
      o: open.officer.toLowerCase(),
      e: Math.floor(deps.now().getTime() / 1000) + REISSUED_LINK_DAYS * 86_400,
    },
    secret,
  );
  await deps.send(record, 'officer-task', [open.officer], {
    link: `${deps.baseUrl}/tasks/${token}`,
    task: open.name,
    reissued: true,
  });
}

/**
 * The case's waiting task handed to `to` with the case, when the task is the case handler's
 * (`officer` is who has the case) and its form offers no "send it to another team" (the
 * statutory social care procedure's tasks): `to` takes it over in the same write that moves the
 * case, its old links stop acting (`TaskPassedOnError`), and `to` is emailed a link. None when no
 * such task waits.
 */
function taskHandedOver(
  c: CaseRecord,
  from: string,
  to: string,
  at: string,
): Pick<CaseRecord, 'openTask'> | undefined {
  const open = c.openTask;
  if (!open || open.officer.toLowerCase() !== from.toLowerCase() || from.toLowerCase() === to.toLowerCase()) {
    return undefined;
  }
  return { openTask: { ...open, officer: to, issuedAt: at } };
}

/** Emails the task's new officer its link after a hand-over (written already). */
async function tellNewOfficer(deps: StaffActionDeps, handed: CaseRecord): Promise<void> {
  const open = handed.openTask;
  if (!open) return;
  await afterWritten(
    () => emailTaskLink(deps, handed, open),
    `The case and its waiting task are now with ${open.officer}, but the email with their link could not be sent just now. Use "Email a new link" in a minute.`,
  );
}

/**
 * A workspace action whose own write went in, and what it does after that did not, a service
 * not answering (an email, a workflow's start): the officer is told what is done and what is
 * left, never that nothing changed (503). `message` is theirs to read.
 */
export class PartlyDoneError extends Error {
  override name = 'PartlyDoneError';
  constructor(message: string, cause: unknown) {
    super(message, { cause });
  }
}

/** Runs what an action does after its write; a service not answering is a `PartlyDoneError` saying `message`. */
export async function afterWritten<T>(run: () => Promise<T>, message: string): Promise<T> {
  try {
    return await run();
  } catch (error: unknown) {
    if (httpErrorOf(error) instanceof DependencyUnavailableError) throw new PartlyDoneError(message, error);
    throw error;
  }
}

/** How a resident's request reached staff, when they did not use their emailed link. */
const OFFLINE_CHANNELS = ['phone', 'letter', 'email', 'in-person'] as const;

/**
 * Records a resident's request for stage 2 received by phone, letter, email or in person: the
 * same decision as the resident's own link ("ask for a review"), taken by the member of staff
 * who took the call, with the channel in the history. Only while the case waits for one.
 */
export async function recordStage2Request(
  deps: StaffActionDeps,
  staff: StaffMember,
  reference: string,
  body: Record<string, unknown>,
): Promise<TaskOutcome> {
  const channel = OFFLINE_CHANNELS.find((c) => c === body.stage2Channel);
  const record = await caseFor(deps, staff, reference);
  if (record.openTask?.name !== 'stage-2-request') {
    throw new ValidationError({
      stage2Channel: 'This case is not waiting for a request for a review, so one cannot be recorded now',
    });
  }
  // The resident's own form, with the grounds the policy asks for (`formOptions`), checks it.
  const validation = validateTaskForm(
    'stage-2-request',
    {
      decision: 'request',
      response: typeof body.stage2Text === 'string' ? body.stage2Text : '',
      ...(body.stage2Grounds === undefined ? {} : { grounds: body.stage2Grounds }),
    },
    formOptions(deps.policy, record, 'stage-2-request'),
  );
  // Every problem at once: how it came with what the form finds.
  const errors: Record<string, string> = {
    ...(channel ? {} : { stage2Channel: 'Choose how the request was received' }),
    ...(validation.ok ? {} : stage2FieldErrors(validation.errors)),
  };
  if (!validation.ok || !channel) throw new ValidationError(errors);
  return decideOnTask(deps, record, 'stage-2-request', 'request', validation.submission.values, {
    actor: staff.email,
    channel: 'workspace',
    detail: { receivedBy: channel },
  });
}

/** The resident's form's fields as the workspace's request-for-review form names them. */
const STAGE_2_FIELDS: Readonly<Record<string, string>> = { response: 'stage2Text', grounds: 'stage2Grounds' };

/** The form's problems under the workspace's names; the grounds asked for in the officer's words. */
function stage2FieldErrors(errors: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(errors).map(([k, v]) => [
      STAGE_2_FIELDS[k] ?? k,
      k === 'grounds' ? 'Choose why they are asking for a review' : v,
    ]),
  );
}

/**
 * Moves the case to another service of the policy's routing table (it was sent to the wrong
 * one). Whatever sat with the old service's stage-1 handler (its team's mailbox, its manager, or
 * the complaints team when it has neither, as `stage1Officer` routes a new case) goes to the new
 * service's: an open acknowledge or respond task is handed over as "send it to another team"
 * would, in the same write as the move; with no task open, the case's assignee, to whom the
 * workflow gives its next task. A case with a named person stays with them.
 */
export async function changeService(
  deps: StaffActionDeps,
  staff: StaffMember,
  reference: string,
  serviceId: unknown,
): Promise<void> {
  const service = deps.policy.routing.services.find((s) => s.id === serviceId);
  if (!service) throw new ValidationError({ service: 'Choose a service from the list' });
  const record = await caseFor(deps, staff, reference);
  if (record.service === service.id)
    throw new ValidationError({ service: 'The case is already with this service' });
  const at = deps.now().toISOString();
  const move: ActionWithDecision = (c) => {
    // Checked again on the case as it is now: two people moving it at once move it once.
    if (c.service === service.id)
      throw new ValidationError({ service: 'The case is already with this service' });
    return {
      set: { service: service.id, directorate: service.directorate },
      event: {
        at,
        type: 'service-changed',
        actor: staff.email,
        detail: { from: c.service ?? null, to: service.id },
      },
    };
  };
  const handOver = handOverOf(deps.policy, record, service.id);
  if (handOver.task) {
    // The move and the hand-over in one write: a decision through the old team's emailed link
    // lands before it (and the officer is told someone acted, nothing moved) or after it (and
    // finds the task done), never between, where the old team would keep the moved case.
    try {
      await decideOnTask(
        { ...deps, staffDirectory: () => deps.staffStore.directory() },
        record,
        handOver.task,
        'reassign',
        { reassignTo: handOver.to },
        { actor: staff.email, channel: 'workspace' },
        move,
      );
    } catch (error: unknown) {
      // A hand-over the rules refuse (stage 2 to the team that handled stage 1) moves nothing.
      if (error instanceof DecisionRefusedError) {
        throw new ValidationError({ service: Object.values(error.fields).join(' ') });
      }
      throw error;
    }
    return;
  }
  let handed = false;
  const moved = await change(deps, record.caseId, (c) => {
    const now = handOverOf(deps.policy, c, service.id);
    // A task for the old team opened since the case was read: acting again, the officer moves
    // it with the case rather than leaving it with a team the case is no longer with.
    if (now.task) throw new ConcurrentActionError();
    const change = move(c);
    // The old team's task that its form cannot send on goes with the case all the same.
    const task = taskHandedOver(c, stage1Officer(deps.policy, c), now.to, at);
    handed = task !== undefined;
    return {
      ...change,
      set: { ...change.set, ...(now.assignee ? { assignedTo: now.assignee } : {}), ...task },
    };
  });
  if (handed) await tellNewOfficer(deps, moved);
}

/**
 * What moving case `c` to service `toService` hands from the old service's stage-1 handler to
 * the new one's (`stage1Officer` before and after the move; `to`), when they differ: its open
 * acknowledge or respond task waiting on the old handler (`task`, to be reassigned to `to`), or
 * else, when the case is assigned to the old handler, the assignee (`assignee`: `to`).
 */
function handOverOf(
  policy: Policy,
  c: CaseRecord,
  toService: string,
): { task?: 'acknowledge' | 'respond'; to: string; assignee?: string } {
  const from = stage1Officer(policy, c);
  const to = stage1Officer(policy, { ...c, service: toService });
  if (from.toLowerCase() === to.toLowerCase()) return { to };
  const task = c.openTask;
  if (
    (task?.name === 'acknowledge' || task?.name === 'respond') &&
    task.officer.toLowerCase() === from.toLowerCase() &&
    offersDecision(policy, c, task.name, 'reassign')
  ) {
    return { task: task.name, to };
  }
  // A procedure whose tasks take no "send it to another team": the move hands the task itself
  // over (`taskHandedOver`), and the tasks after it follow the assignee.
  return c.assignedTo?.toLowerCase() === from.toLowerCase() ? { to, assignee: to } : { to };
}

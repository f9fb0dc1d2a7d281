import { calendarFor, londonDate } from '../domain/calendar.js';
import type { CaseRecord, StageResponse } from '../domain/case.js';
import { deriveDeadlines } from '../domain/case-clock.js';
import { stageProgress, withStageProgress } from '../domain/case-stage.js';
import { ExtensionLimitError, extendDeadline } from '../domain/deadlines.js';
import { formToken, type LinkClaims, LinkVerificationError, verifyLink } from '../domain/links.js';
import type { Policy } from '../domain/policy-schema.js';
import {
  type CaseChange,
  type CaseStore,
  ConcurrentUpdateError,
  type WorkflowEngine,
} from '../domain/ports.js';
import type { Outcome } from '../domain/types.js';
import { LinkError, ValidationError } from '../http/errors.js';
import { isTaskName, type TaskName, type TaskSubmission, validateTaskForm } from '../web/task-forms.js';

/**
 * What an officer (or a resident asking for stage 2) does through an emailed link. GET shows
 * the task and never changes anything (mail scanners fetch links); POST acts once: the case is
 * updated with a conditional write (so two people acting at once cannot both win) and only
 * then is the workflow told, with the token stored on the case — never one from the link.
 */
export interface TaskDeps {
  store: CaseStore;
  workflows: WorkflowEngine;
  policy: Policy;
  now: () => Date;
  /** Current and previous link secrets (rotation keeps old links working until they expire). */
  linkSecrets: () => Promise<string[]>;
}

export interface OpenedTask {
  claims: LinkClaims;
  record: CaseRecord;
  task: TaskName;
  /** Token for the form, bound to this link (CSRF). */
  csrf: string;
}

/** Verifies a link and finds its open task; throws `LinkError` (403/404/409/410) otherwise. */
export async function openTask(deps: TaskDeps, token: string): Promise<OpenedTask> {
  const secrets = await deps.linkSecrets();
  let claims: LinkClaims;
  try {
    claims = verifyLink(token, secrets, deps.now());
  } catch (error: unknown) {
    if (error instanceof LinkVerificationError && error.reason === 'expired') {
      throw new LinkError(410, 'This link has expired');
    }
    throw new LinkError(403, 'This link is not valid');
  }
  const record = await deps.store.get(claims.c);
  if (!record) throw new LinkError(404, 'This case could not be found');
  const open = record.openTask;
  if (!open || open.taskId !== claims.t || open.name !== claims.a) {
    const done = (await deps.store.events(record.caseId))
      .reverse()
      .find((e) => e.type === 'task-done' && e.detail?.taskId === claims.t);
    throw new LinkError(409, 'This task has already been done', {
      ...(done ? { doneBy: done.actor, doneAt: done.at } : {}),
    });
  }
  if (open.officer.toLowerCase() !== claims.o) {
    // Reassigned since the link was sent: the old link no longer acts.
    throw new LinkError(403, 'This task has been passed to someone else');
  }
  if (!isTaskName(claims.a)) throw new LinkError(403, 'This link is not valid');
  return { claims, record, task: claims.a, csrf: formToken(token, secrets[0] as string) };
}

/**
 * Decisions that record something on the case without finishing the task: the workflow is not
 * told, and the link keeps working (seed 001: "contact the complainant to discuss the complaint
 * and agree what we are going to do").
 */
export const NON_COMPLETING_DECISIONS: readonly string[] = ['record-contact'];

/** The result of a POST: what to tell the officer. */
export interface TaskOutcome {
  message: string;
  reference: string;
}

/**
 * Acts on a task. Bad input → `ValidationError` (the page is shown again with the errors);
 * a race lost to another officer → 409.
 */
export async function actOnTask(
  deps: TaskDeps,
  token: string,
  body: Record<string, unknown>,
): Promise<TaskOutcome> {
  const opened = await openTask(deps, token);
  const secrets = await deps.linkSecrets();
  const csrfOk = secrets.some((s) => formToken(token, s) === body.csrf);
  if (!csrfOk) throw new LinkError(403, 'This form is not valid');
  const validation = validateTaskForm(
    opened.task,
    body,
    formOptions(deps.policy, opened.record, opened.task),
  );
  if (!validation.ok) throw new ValidationError(validation.errors);
  const { record } = opened;
  const open = record.openTask as NonNullable<CaseRecord['openTask']>;
  const now = deps.now().toISOString();
  if (NON_COMPLETING_DECISIONS.includes(validation.submission.decision)) {
    await recordContact(deps, record, open, String(validation.submission.values.contactNote ?? ''), now);
    return {
      message:
        'The conversation is recorded on the case. The task is still open: use the same link when you are ready.',
      reference: record.reference,
    };
  }
  const effect = applyDecision(deps.policy, record, opened.task, validation.submission, now);
  const set = { ...effect.set } as Partial<CaseRecord>;
  const next = { ...record, ...set } as CaseRecord;
  if (next.status !== 'redirected') set.deadlines = deriveDeadlines(deps.policy, next);
  await updateFirst(deps, record, {
    set,
    remove: ['openTask'],
    event: {
      at: now,
      type: 'task-done',
      actor: open.officer,
      channel: 'link',
      detail: { task: opened.task, taskId: open.taskId, decision: validation.submission.decision },
    },
  });
  await deps.workflows.sendTaskSuccess(open.taskToken, { decision: validation.submission.decision });
  return { message: effect.message, reference: record.reference };
}

async function recordContact(
  deps: TaskDeps,
  record: CaseRecord,
  open: NonNullable<CaseRecord['openTask']>,
  text: string,
  now: string,
): Promise<void> {
  await updateFirst(deps, record, {
    set: { notes: note(record, open.officer, now, text) },
    event: {
      at: now,
      type: 'contact-with-resident',
      actor: open.officer,
      channel: 'link',
      detail: { task: open.name },
    },
  });
}

/** A conditional write on the version read with the link: someone else acting first is a 409. */
async function updateFirst(deps: TaskDeps, record: CaseRecord, change: CaseChange): Promise<void> {
  try {
    await deps.store.update(record.caseId, record.version, change);
  } catch (error: unknown) {
    if (error instanceof ConcurrentUpdateError) {
      throw new LinkError(409, 'Someone else acted on this case at the same moment');
    }
    throw error;
  }
}

/** Narrows a form to what the policy allows for this case (e.g. the extension cap). */
export function formOptions(
  policy: Policy,
  record: CaseRecord,
  task: TaskName,
): { allowed?: string[]; max?: Record<string, number> } {
  // The social-care workflow has its own loop: acknowledging is all its first task does.
  if (task === 'acknowledge' && record.kind === 'social-care') return { allowed: ['acknowledge'] };
  if (task !== 'respond' || record.kind !== 'complaint') return {};
  const stage = record.stage === 2 ? policy.complaint.stage2 : policy.complaint.stage1;
  const progress = stageProgress(record);
  const left = (stage?.extension.maxWorkingDays ?? 0) - (progress.extensionDays ?? 0);
  if (left <= 0) return { allowed: ['respond', 'pause', 'record-contact', 'reassign', 'refer-vexatious'] };
  return { max: { extendDays: left } };
}

function text(values: TaskSubmission['values'], name: string): string | undefined {
  const v = values[name];
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}

function note(record: CaseRecord, by: string, at: string, body: string | undefined): CaseRecord['notes'] {
  return body ? [...(record.notes ?? []), { at, by, text: body }] : record.notes;
}

/** What a decision does to the case, and what the officer is told. Pure. */
export function applyDecision(
  policy: Policy,
  record: CaseRecord,
  task: TaskName,
  submission: TaskSubmission,
  now: string,
): { set: Partial<CaseRecord>; message: string } {
  const v = submission.values;
  const by = record.openTask?.officer ?? 'officer';
  const response = (outcome?: Outcome): StageResponse => ({
    ...(outcome ? { outcome } : {}),
    reasons: text(v, 'response') ?? '',
    ...(text(v, 'remedy') ? { remedy: text(v, 'remedy') } : {}),
    ...(text(v, 'actions') ? { actions: text(v, 'actions') } : {}),
    ...(text(v, 'lessons') ? { lessons: text(v, 'lessons') } : {}),
  });
  switch (`${task}:${submission.decision}`) {
    case 'acknowledge:acknowledge':
      return {
        set: { status: 'investigating', progress: withStageProgress(record, { acknowledgedAt: now }) },
        message: 'The resident has been sent an acknowledgement with the date they will hear from us.',
      };
    case 'acknowledge:resolve':
      return {
        set: {
          status: 'responded',
          progress: withStageProgress(record, {
            acknowledgedAt: now,
            respondedAt: now,
            response: response(),
          }),
        },
        message: 'The complaint is recorded as resolved at first contact and the resident has been told.',
      };
    case 'acknowledge:reassign':
    case 'respond:reassign': {
      const to = text(v, 'reassignTo') as string;
      if (to.toLowerCase() === by.toLowerCase()) {
        throw new ValidationError({ reassignTo: 'Enter the email address of another team or officer' });
      }
      return {
        set: { assignedTo: to },
        message: `The case has been sent to ${to}. They will get an email with a link.`,
      };
    }
    case 'acknowledge:not-a-complaint':
      return {
        set: {
          status: 'redirected',
          triage: {
            ...record.triage,
            route: 'redirect',
            exclusion: 'service-request',
            redirect: text(v, 'redirect'),
          },
        },
        message:
          'The case is recorded as not a complaint and the resident has been told where to go instead.',
      };
    case 'acknowledge:refer-vexatious':
    case 'respond:refer-vexatious':
      return {
        set: {
          status: 'awaiting-decision',
          notes: note(record, by, now, text(v, 'reason') ?? text(v, 'referralReason')),
        },
        message: 'The case has been referred to the nominated officer, who will decide.',
      };
    case 'respond:respond': {
      const outcome = text(v, 'outcome') as Outcome;
      return {
        set: {
          status: 'responded',
          outcome,
          progress: withStageProgress(record, { respondedAt: now, response: response(outcome) }),
        },
        message: 'Your response has been sent to the resident.',
      };
    }
    case 'respond:extend': {
      const days = Number(v.extendDays);
      const progress = stageProgress(record);
      const current = deriveDeadlines(policy, record)[
        record.stage === 2 ? 'stage2RespondBy' : 'respondBy'
      ] as string;
      const original = deriveDeadlines(policy, {
        ...record,
        progress: withStageProgress(record, { extensionDays: 0 }),
      })[record.stage === 2 ? 'stage2RespondBy' : 'respondBy'] as string;
      try {
        extendDeadline(policy, current, days, record.stage, original);
      } catch (error: unknown) {
        if (error instanceof ExtensionLimitError) throw new ValidationError({ extendDays: error.message });
        throw error;
      }
      const reason = text(v, 'reason') as string;
      return {
        set: {
          progress: withStageProgress(record, {
            extensionDays: (progress.extensionDays ?? 0) + days,
            extensions: [...(progress.extensions ?? []), { at: now, days, reason }],
          }),
        },
        message: 'The resident has been told the new date and the reason.',
      };
    }
    case 'respond:pause':
      return {
        set: {
          status: 'paused',
          progress: withStageProgress(record, { pausedAt: now }),
          notes: note(record, by, now, text(v, 'pauseNote')),
        },
        message:
          'The clock is paused and the resident has been told. Use the link in your next email to restart it.',
      };
    case 'resume:resume': {
      const progress = stageProgress(record);
      const paused = progress.pausedAt
        ? calendarFor(policy).workingDaysBetween(londonDate(progress.pausedAt), londonDate(now))
        : 0;
      const { pausedAt: _dropped, ...rest } = progress;
      return {
        set: {
          status: 'investigating',
          progress: {
            ...record.progress,
            [record.stage === 2 ? 'stage2' : 'stage1']: {
              ...rest,
              pausedWorkingDays: (progress.pausedWorkingDays ?? 0) + paused,
            },
          },
        },
        message: 'The clock has restarted and the resident has been told the new date.',
      };
    }
    case 'stage-2-request:request':
      return {
        set: {
          status: 'stage-2-requested',
          progress: {
            ...record.progress,
            stage2: {
              startedAt: now,
              grounds: String(v.grounds ?? '')
                .split(',')
                .filter(Boolean),
              ...(text(v, 'response') ? { groundsText: text(v, 'response') } : {}),
            },
          },
        },
        message:
          'We have your request for a review. A senior officer will look at it and we will write to you.',
      };
    case 'stage-2-decision:accept':
      return { set: {}, message: 'Stage 2 has started. You will get the acknowledgement task next.' };
    case 'stage-2-decision:refuse':
      return {
        set: { status: 'responded', notes: note(record, by, now, `Stage 2 refused: ${text(v, 'reason')}`) },
        message: 'The resident has been told why stage 2 was refused, with the ombudsman details.',
      };
    case 'vexatious-decision:designate':
      return {
        set: { vexatious: true, notes: note(record, by, now, text(v, 'reason')) },
        message: 'The complainant is designated and has been told. Their later contact will come to you.',
      };
    case 'vexatious-decision:do-not-designate':
      return {
        set: { status: 'investigating', notes: note(record, by, now, text(v, 'reason')) },
        message: 'The complaint continues as normal.',
      };
    case 'compliment-pass-on:passed-on':
      return {
        set: {
          staffNamed: String(text(v, 'staffNamed') ?? '')
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean),
          progress: withStageProgress(record, { response: response() }),
        },
        message: 'Thank you. The compliment is recorded against the service and the staff named.',
      };
    case 'comment-reply:reply':
    case 'representation-feedback:feedback':
      return {
        set: { progress: withStageProgress(record, { respondedAt: now, response: response() }) },
        message: 'Your reply has been sent to the resident.',
      };
    case 'social-care-plan:agree-plan':
    case 'social-care-review:new-plan':
      return {
        set: {
          status: 'investigating',
          plan: {
            text: text(v, 'plan') as string,
            agreedWorkingDays: Number(v.agreedWorkingDays),
            agreedAt: now,
            round: (record.plan?.round ?? 0) + 1,
          },
          ...(record.progress.stage1.acknowledgedAt
            ? {}
            : { progress: withStageProgress(record, { acknowledgedAt: now }) }),
        },
        message: 'The plan and timeframe are recorded and the complainant has been sent them.',
      };
    case 'social-care-review:resolved':
      return {
        set: { progress: withStageProgress(record, { respondedAt: now, response: response() }) },
        message: 'The complaint is recorded as resolved to the complainant’s satisfaction.',
      };
    case 'social-care-review:propose-closing':
      return {
        set: { status: 'awaiting-decision', notes: note(record, by, now, text(v, 'reason')) },
        message: 'The director has been asked to sign off closing the complaint.',
      };
    case 'sign-off:approve':
      return {
        set: {
          progress: withStageProgress(record, {
            respondedAt: now,
            response: { reasons: 'An appropriate and proportional response has been given.' },
          }),
        },
        message: 'Signed off. The complainant has been told, with the ombudsman details.',
      };
    case 'sign-off:decline':
      return {
        set: { status: 'investigating', notes: note(record, by, now, text(v, 'reason')) },
        message: 'Declined. The complaints team will continue the feedback loop.',
      };
    case 'nominated-contact:handle':
    case 'anonymous-review:investigate':
      return {
        set: { status: 'awaiting-acknowledgement' },
        message: 'The contact will be handled as a complaint.',
      };
    case 'consent:consent-received':
      return {
        set: { ...(record.onBehalfOf ? { onBehalfOf: { ...record.onBehalfOf, consent: true } } : {}) },
        message: 'Consent is recorded and the complaint goes ahead.',
      };
    case 'nominated-contact:no-further-action':
    case 'anonymous-review:no-action':
    case 'consent:no-consent':
      return {
        set: { notes: note(record, by, now, text(v, 'reason')) },
        message: 'Recorded. The case will be closed.',
      };
    default:
      return { set: {}, message: 'Your decision has been recorded.' };
  }
}

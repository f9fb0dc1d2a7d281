import { randomUUID } from 'node:crypto';
import type { CaseRecord, StageProgress } from '../domain/case.js';
import { activeDeadlines, type ClockName, deriveDeadlines, readClock } from '../domain/case-clock.js';
import { stageProgress, withStageProgress } from '../domain/case-stage.js';
import { signLink } from '../domain/links.js';
import type { Policy } from '../domain/policy-schema.js';
import { type Archive, type CaseChange, CaseNotFoundError, type CaseStore } from '../domain/ports.js';
import { retentionClassFor } from '../domain/retention.js';
import type { TaskName, Transition } from '../domain/workflow-names.js';
import type { EmailTemplate } from '../templates/render-email.js';
import { caseViewLink } from './case-routes.js';
import {
  type Audience,
  recipients,
  serviceOf,
  stage1Officer,
  stage2Officer,
  TASK_AUDIENCE,
} from './people.js';

/**
 * The workflow's steps. Each is called by one small Lambda (`functions/handlers/*.ts`) with
 * `{ caseId, … }`: the execution carries ids, never personal data; the steps read the case.
 * Every step records what it did in the case's history.
 */

/** Sends one templated email about a case (see `correspondence.ts`). */
export type SendEmail = (
  c: CaseRecord,
  template: string,
  to: string[],
  extra?: Record<string, unknown>,
) => Promise<void>;

export interface StepDeps {
  store: CaseStore;
  archive: Archive;
  policy: Policy;
  send: SendEmail;
  now: () => Date;
  /** Current link-signing secret. */
  linkSecret: () => Promise<string>;
  /** Public base URL of the API, for links in emails (no trailing slash). */
  baseUrl: string;
  /** Publishes the breached-deadline metric the operations alarm watches. */
  onBreach?: (c: CaseRecord, clock: string) => Promise<void>;
}

/** How long officer links stay valid: long enough to outlive reminders and escalations. */
const OFFICER_LINK_DAYS = 120;

async function load(deps: StepDeps, caseId: string): Promise<CaseRecord> {
  const c = await deps.store.get(caseId);
  if (!c) throw new CaseNotFoundError(`case ${caseId} not found`);
  return c;
}

/** Writes a change, with deadlines re-derived so the "open by deadline" index stays true. */
async function change(deps: StepDeps, c: CaseRecord, ch: CaseChange): Promise<CaseRecord> {
  const next = { ...c, ...ch.set } as CaseRecord;
  const deadlines = next.status === 'redirected' ? {} : deriveDeadlines(deps.policy, next);
  return deps.store.update(c.caseId, c.version, { ...ch, set: { ...ch.set, deadlines } });
}

function event(deps: StepDeps, type: string, detail?: Record<string, unknown>): CaseChange['event'] {
  return {
    at: deps.now().toISOString(),
    type,
    actor: 'workflow',
    channel: 'workflow',
    ...(detail ? { detail } : {}),
  };
}

/** Route: assign the case by the policy's routing table and tell the workflow how it is handled. */
export async function route(deps: StepDeps, caseId: string) {
  const c = await load(deps, caseId);
  const service = serviceOf(deps.policy, c);
  const officer = c.assignedTo ?? stage1Officer(deps.policy, c);
  const handled = c.triage.route !== 'redirect';
  if (!c.assignedTo && handled) {
    await change(deps, c, {
      set: { assignedTo: officer, status: 'awaiting-acknowledgement' },
      event: event(deps, 'routed', { directorate: service?.directorate ?? null, route: c.triage.route }),
    });
  }
  return {
    route: c.triage.route,
    stage2Available: c.kind === 'complaint' && deps.policy.complaint.stages === 2,
    groundsRequired: deps.policy.complaint.stage2?.groundsRequired ?? false,
  };
}

/** Notify: one templated email to one audience; a resident without an email address gets a letter-needed event. */
export async function notify(
  deps: StepDeps,
  caseId: string,
  template: EmailTemplate,
  audience: Audience,
  error?: string,
) {
  const c = await load(deps, caseId);
  const to = recipients(deps.policy, c, audience);
  if (to.length === 0) {
    await deps.store.appendEvent(caseId, {
      ...event(deps, 'letter-needed', { template, audience }),
    });
    return { sent: false };
  }
  const extra: Record<string, unknown> = error ? { error } : {};
  if (template === 'officer-reminder' && c.openTask) {
    extra.link = await taskLink(deps, c, c.openTask.taskId, c.openTask.name, c.openTask.officer);
  }
  if (
    template === 'response' &&
    c.stage === 1 &&
    c.kind === 'complaint' &&
    deps.policy.complaint.stages === 2
  ) {
    // The stage-2 link is in the response; the task it answers opens right after (same task id).
    extra.link = await taskLink(
      deps,
      c,
      'stage-2-request',
      'stage-2-request',
      'resident',
      stage2WindowEnd(deps, c),
    );
  }
  await deps.send(c, template, to, extra);
  await deps.store.appendEvent(caseId, event(deps, 'email-sent', { template, audience }));
  if (template === 'officer-reminder') {
    const fresh = await load(deps, caseId);
    await change(deps, fresh, {
      set: { progress: withStageProgress(fresh, { reminded: true }) },
      event: event(deps, 'officer-reminded'),
    });
  }
  return { sent: true };
}

function stage2WindowEnd(deps: StepDeps, c: CaseRecord): Date {
  const respondedAt = c.progress.stage1.respondedAt ?? deps.now().toISOString();
  const probe = { ...c, progress: { ...c.progress, stage1: { ...c.progress.stage1, respondedAt } } };
  return new Date(deriveDeadlines(deps.policy, probe).stage2RequestBy ?? deps.now().toISOString());
}

async function taskLink(
  deps: StepDeps,
  c: CaseRecord,
  taskId: string,
  task: string,
  audience: string,
  expires?: Date,
): Promise<string> {
  const expiry = expires ?? new Date(deps.now().getTime() + OFFICER_LINK_DAYS * 86_400_000);
  const token = signLink(
    { c: c.caseId, t: taskId, a: task, o: audience.toLowerCase(), e: Math.floor(expiry.getTime() / 1000) },
    await deps.linkSecret(),
  );
  return `${deps.baseUrl}/tasks/${token}`;
}

/**
 * Request task: called by a `.waitForTaskToken` state. Stores the token on the case and emails
 * the officer a signed link. Re-entering the same task for the same officer (after a clock
 * wake-up, a reminder, or a restart) only replaces the token: links already sent keep working
 * and nothing is emailed twice.
 */
export async function requestTask(deps: StepDeps, caseId: string, task: TaskName, taskToken: string) {
  const c = await load(deps, caseId);
  const audience = TASK_AUDIENCE[task];
  const officer =
    audience === 'resident'
      ? 'resident'
      : audience === 'officer'
        ? (c.assignedTo ?? stage1Officer(deps.policy, c))
        : (recipients(deps.policy, c, audience)[0] ?? deps.policy.routing.complaintsTeam);
  const same = c.openTask?.name === task && c.openTask.officer === officer;
  const taskId = same ? (c.openTask?.taskId as string) : audience === 'resident' ? task : randomUUID();
  await deps.store.update(c.caseId, c.version, {
    set: {
      openTask: {
        taskId,
        name: task,
        officer,
        taskToken,
        issuedAt: same ? (c.openTask?.issuedAt as string) : deps.now().toISOString(),
      },
    },
    event: event(deps, same ? 'task-reopened' : 'task-opened', { task, taskId }),
  });
  if (!same && audience !== 'resident') {
    const link = await taskLink(deps, c, taskId, task, officer);
    await deps.send({ ...c, openTask: undefined }, 'officer-task', [officer], { link, task });
    await deps.store.appendEvent(caseId, event(deps, 'email-sent', { template: 'officer-task', task }));
  }
  return { taskId };
}

/** Clock: re-derive the case's deadlines with today's calendar and policy, store them if they moved, read one clock. */
export async function clock(deps: StepDeps, caseId: string, name: ClockName) {
  const c = await load(deps, caseId);
  const deadlines = deriveDeadlines(deps.policy, c);
  if (JSON.stringify(deadlines) !== JSON.stringify(c.deadlines) && c.status !== 'redirected') {
    await deps.store.update(c.caseId, c.version, {
      set: { deadlines },
      event: event(deps, 'deadlines-recalculated', { from: c.deadlines, to: deadlines }),
    });
  }
  return readClock(deps.policy, { ...c, deadlines }, name, deps.now());
}

/** Escalate: tell the service manager a deadline was missed, count it, and raise the metric. */
export async function escalate(deps: StepDeps, caseId: string, name: ClockName) {
  const c = await load(deps, caseId);
  const reading = readClock(deps.policy, c, name, deps.now());
  const progress = stageProgress(c);
  const patch: Partial<StageProgress> =
    name === 'acknowledge'
      ? { acknowledgementEscalated: true }
      : { escalations: (progress.escalations ?? 0) + 1 };
  const managers = recipients(deps.policy, c, 'manager');
  await deps.send(c, 'manager-escalation', managers, {
    clock: name,
    deadline: reading.deadline,
    caseUrl: caseViewLink(deps.baseUrl, await deps.linkSecret(), c, managers[0] ?? '', deps.now()),
  });
  await change(deps, c, {
    set: { progress: withStageProgress(c, patch) },
    event: event(deps, 'deadline-missed', { clock: name, deadline: reading.deadline, stage: c.stage }),
  });
  await deps.onBreach?.(c, name);
  return { escalated: true };
}

/** Record: a workflow transition that changes the case without an officer. */
export async function record(deps: StepDeps, caseId: string, transition: Transition) {
  const c = await load(deps, caseId);
  const now = deps.now().toISOString();
  switch (transition) {
    case 'acknowledged-automatically':
      // The officer did not acknowledge in time: the resident still hears on time. The
      // officer's open acknowledgement task is closed; its link now answers "already done".
      await change(deps, c, {
        set: { status: 'investigating', progress: withStageProgress(c, { acknowledgedAt: now }) },
        remove: ['openTask'],
        event: event(deps, 'acknowledged-automatically', { stage: c.stage }),
      });
      return { stage2Available: false };
    case 'responded': {
      const stage2Available =
        c.kind === 'complaint' &&
        c.stage === 1 &&
        deps.policy.complaint.stages === 2 &&
        c.status !== 'closed';
      const progress = stageProgress(c);
      await change(deps, c, {
        set: {
          status: 'responded',
          progress: withStageProgress(c, { respondedAt: progress.respondedAt ?? now }),
        },
        event: event(deps, 'response-sent', { stage: c.stage, outcome: progress.response?.outcome ?? null }),
      });
      return { stage2Available };
    }
    case 'stage-2-started': {
      const next: CaseRecord = { ...c, stage: 2 };
      const officer = stage2Officer(deps.policy, c);
      await change(deps, c, {
        set: {
          stage: 2,
          status: 'awaiting-acknowledgement',
          assignedTo: officer,
          progress: {
            ...c.progress,
            stage2: { ...c.progress.stage2, startedAt: c.progress.stage2?.startedAt ?? now },
          },
        },
        event: event(deps, 'stage-2-started', { previousOfficerDifferent: officer !== c.assignedTo }),
      });
      return { stage2Available: false, stage: next.stage };
    }
    case 'told-six-months':
      await change(deps, c, {
        set: { progress: { ...c.progress, stage1: { ...c.progress.stage1, toldBeyondSixMonths: true } } },
        event: event(deps, 'told-beyond-six-months'),
      });
      return { stage2Available: false };
    case 'closed':
      await deps.store.update(c.caseId, c.version, {
        set: { status: 'closed', closedAt: now, deadlines: {} },
        remove: ['openTask'],
        event: event(deps, 'closed', { outcome: c.outcome ?? null }),
      });
      return { stage2Available: false };
    default: {
      const unknown: never = transition;
      throw new Error(`unknown transition ${String(unknown)}`);
    }
  }
}

/** Archive: write the closed case file (record + history) to S3 with its retention class. */
export async function archive(deps: StepDeps, caseId: string) {
  const c = await load(deps, caseId);
  const events = await deps.store.events(caseId);
  const retention = retentionClassFor(c.ombudsmanInvolved);
  const { key } = await deps.archive.putCaseFile(
    caseId,
    { case: c, events, archivedAt: deps.now().toISOString() },
    retention,
  );
  await deps.store.appendEvent(caseId, event(deps, 'archived', { key, retention }));
  return { key, retention, nextDeadlines: activeDeadlines(c).length };
}

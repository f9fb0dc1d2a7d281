import { beforeEach, describe, expect, it } from 'vitest';
import { TaskTokenInvalidError } from '../../functions/adapters/errors.js';
import { clock, requestTask, type StepDeps } from '../../functions/app/steps.js';
import type { CaseRecord } from '../../functions/domain/case.js';
import {
  deriveDeadlines,
  MAX_WAIT_SECONDS,
  stage2LateRequestDeadline,
} from '../../functions/domain/case-clock.js';
import { loadPolicy } from '../../functions/domain/policy.js';
import { RecordingWorkflows } from '../support/fake-workflows.js';
import { MemoryCaseStore } from '../support/memory-store.js';
import { recordingSend, stepDeps } from '../support/step-deps.js';

/**
 * A state that sends a letter and then starts a wait (`sendThenClock`): the clock step sends the
 * letter and records the change before it reads the clock, each once, whether the state is
 * retried, or enters itself again after an outage; and a timed wait whose clock found the
 * deadline passed is left at once (`exits`), opening and emailing nothing.
 */

const policy = loadPolicy('lgsco-code-2024');
const OFFICER = 'officer@council.example';
const EXECUTION = 'arn:aws:states:eu-west-2:000000000000:execution:complaint:case-1';

/** Acknowledged by the officer a moment ago: the workflow is about to send the acknowledgement. */
const acknowledged = {
  caseId: 'case-1',
  reference: 'CMP-2026-000001',
  kind: 'complaint',
  submittedKind: 'complaint',
  status: 'investigating',
  stage: 1,
  policyId: 'lgsco-code-2024',
  summary: 'Bins not collected',
  complainant: { email: 'ada@example.com' },
  anonymous: false,
  channel: 'online',
  receivedAt: '2026-03-02T09:00:00.000Z',
  createdAt: '2026-03-02T09:00:00.000Z',
  updatedAt: '2026-03-03T09:00:00.000Z',
  triage: { route: 'handle', reasons: [] },
  assignedTo: OFFICER,
  deadlines: {},
  progress: {
    stage1: { startedAt: '2026-03-02T09:00:00.000Z', acknowledgedAt: '2026-03-03T09:00:00.000Z' },
  },
  version: 1,
} satisfies CaseRecord;

let store: MemoryCaseStore;
let workflows: RecordingWorkflows;
let sent: { template: string; to: string[] }[];
let now: Date;

function deps(): StepDeps {
  return stepDeps({ store, policy, now: () => now, send: recordingSend(sent), workflows });
}

/** One entry into "Send the acknowledgement", after the decision on task `lastTaskId`. */
const acknowledgement = (enteredAt: string, lastTaskId = 'acknowledge-1') => ({
  caseId: 'case-1',
  step: { execution: EXECUTION, state: 'Send the acknowledgement', enteredAt },
  clock: 'respond' as const,
  executionStartedAt: '2026-03-02T09:00:01.000Z',
  route: { route: 'handle' },
  lastTaskId,
  holdingLetters: true,
  acts: ['remind' as const, 'holding' as const, 'deadline' as const, 'overdue' as const],
  first: {
    template: 'acknowledgement' as const,
    to: 'resident' as const,
    resumeAt: 'Check the response clock',
  },
});

/** One entry into "Send the response", after the officer's response (task `respond-1`). */
const response = (enteredAt: string) => ({
  caseId: 'case-1',
  step: { execution: EXECUTION, state: 'Send the response', enteredAt },
  clock: 'stage-2-request' as const,
  executionStartedAt: '2026-03-02T09:00:01.000Z',
  route: { route: 'handle' },
  lastTaskId: 'respond-1',
  first: {
    template: 'response' as const,
    to: 'resident' as const,
    record: 'responded' as const,
    resumeAt: 'Check the stage 2 window',
  },
});

async function eventTypes(): Promise<string[]> {
  return (await store.events('case-1')).map((e) => e.type);
}

beforeEach(async () => {
  store = new MemoryCaseStore();
  workflows = new RecordingWorkflows();
  sent = [];
  now = new Date('2026-03-03T09:00:05.000Z');
});

describe('the clock step of a state that sends a letter first', () => {
  it('sends the letter once and reads the clock, however often one entry runs', async () => {
    // Prepare
    await store.create(acknowledged, { at: acknowledged.receivedAt, type: 'received', actor: 'resident' });

    // Act: the step, then its retry (the same entry).
    const first = await clock(deps(), acknowledgement(now.toISOString()));
    const retry = await clock(deps(), acknowledgement(now.toISOString()));

    // Assess
    const { respondBy } = deriveDeadlines(policy, acknowledged);
    expect(sent).toEqual([{ template: 'acknowledgement', to: ['ada@example.com'] }]);
    expect(first).toMatchObject({ due: 'none', deadline: respondBy });
    expect(retry).toEqual(first);
    expect((await eventTypes()).filter((t) => t === 'email-sent')).toHaveLength(1);
  });

  it('sends nothing again when an outage makes the state enter itself again', async () => {
    // Prepare: the table fails the clock read's write (the deadlines stored) after the letter went.
    await store.create(acknowledged, { at: acknowledged.receivedAt, type: 'received', actor: 'resident' });
    const update = store.update.bind(store);
    let failures = 1;
    store.update = async (...args: Parameters<MemoryCaseStore['update']>) => {
      if (args[2].event?.type === 'deadlines-recalculated' && failures-- > 0) {
        throw Object.assign(new Error('DynamoDB is not answering'), { name: 'StoreUnavailableError' });
      }
      return update(...args);
    };

    // Act: the first entry fails after its letter; the state enters itself again (a fresh entry time).
    await expect(clock(deps(), acknowledgement('2026-03-03T09:00:05.000Z'))).rejects.toThrow(/not answering/);
    now = new Date('2026-03-03T10:40:00.000Z');
    const reading = await clock(deps(), acknowledgement('2026-03-03T10:40:00.000Z'));

    // Assess
    expect(sent).toEqual([{ template: 'acknowledgement', to: ['ada@example.com'] }]);
    expect(reading.due).toBe('none');
    expect(await eventTypes()).toContain('deadlines-recalculated');
  });

  it('sends the letter again when a later decision brings the workflow back to the state', async () => {
    // Prepare: the acknowledgement went after the officer's decision on task acknowledge-1.
    await store.create(acknowledged, { at: acknowledged.receivedAt, type: 'received', actor: 'resident' });
    await clock(deps(), acknowledgement('2026-03-03T09:00:05.000Z'));

    // Act: back to the state after another decision (stage 2's acknowledgement, say).
    now = new Date('2026-03-03T11:00:00.000Z');
    await clock(deps(), acknowledgement('2026-03-03T11:00:00.000Z', 'acknowledge-2'));

    // Assess
    expect(sent.map((m) => m.template)).toEqual(['acknowledgement', 'acknowledgement']);
  });

  it('records the response once and says the resident may ask for stage 2, with the window read', async () => {
    // Prepare
    await store.create(acknowledged, { at: acknowledged.receivedAt, type: 'received', actor: 'resident' });

    // Act
    const first = await clock(deps(), response(now.toISOString()));
    const retry = await clock(deps(), response(now.toISOString()));

    // Assess
    const c = (await store.get('case-1')) as CaseRecord;
    expect(sent.map((m) => m.template)).toEqual(['response']);
    expect(c.status).toBe('responded');
    expect((await eventTypes()).filter((t) => t === 'response-sent')).toHaveLength(1);
    expect(first).toMatchObject({
      due: 'none',
      stage2Available: true,
      deadline: c.deadlines.stage2RequestBy,
    });
    expect(retry).toEqual(first);
  });

  it('makes a change without a letter once and reads the clock: stage 2 starting', async () => {
    // Prepare: the resident asked for stage 2 (task stage-2-request).
    await store.create(
      {
        ...acknowledged,
        status: 'responded',
        progress: { stage1: { ...acknowledged.progress.stage1, respondedAt: '2026-03-03T09:00:00.000Z' } },
      },
      { at: acknowledged.receivedAt, type: 'received', actor: 'resident' },
    );
    const start = (enteredAt: string) => ({
      caseId: 'case-1',
      step: { execution: EXECUTION, state: 'Start stage 2', enteredAt },
      clock: 'acknowledge' as const,
      executionStartedAt: '2026-03-02T09:00:01.000Z',
      route: { route: 'handle' },
      lastTaskId: 'stage-2-request',
      first: { record: 'stage-2-started' as const, resumeAt: 'Check the acknowledgement clock' },
    });

    // Act: the state, its retry, and an entry of it again after an outage.
    await clock(deps(), start(now.toISOString()));
    await clock(deps(), start(now.toISOString()));
    const reading = await clock(deps(), start(new Date(now.getTime() + 60_000).toISOString()));

    // Assess
    const c = (await store.get('case-1')) as CaseRecord;
    expect(sent).toEqual([]);
    expect(c.stage).toBe(2);
    expect((await eventTypes()).filter((t) => t === 'stage-2-started')).toHaveLength(1);
    expect(reading).toMatchObject({ due: 'none', deadline: c.deadlines.stage2AcknowledgeBy });
  });

  it('reads no window when the policy has one stage', async () => {
    // Prepare
    const oneStage = { ...policy, complaint: { ...policy.complaint, stages: 1 } } as typeof policy;
    await store.create(acknowledged, { at: acknowledged.receivedAt, type: 'received', actor: 'resident' });

    // Act
    const reading = await clock({ ...deps(), policy: oneStage }, response(now.toISOString()));

    // Assess
    expect(reading).toMatchObject({ due: 'no-stage-2', stage2Available: false });
    expect((await store.get('case-1'))?.status).toBe('responded');
  });

  it('hands a case near the year limit to a fresh execution that resumes where the clock is read alone', async () => {
    // Prepare
    await store.create(acknowledged, { at: acknowledged.receivedAt, type: 'received', actor: 'resident' });
    now = new Date('2027-02-01T09:00:00.000Z');

    // Act
    const reading = await clock(deps(), acknowledgement(now.toISOString()));

    // Assess
    expect(reading.due).toBe('renewed');
    expect(sent.map((m) => m.template)).toEqual(['acknowledgement']);
    expect(workflows.started).toEqual([
      expect.objectContaining({
        caseId: 'case-1_2',
        input: expect.objectContaining({ resumeAt: 'Check the response clock' }),
      }),
    ]);
  });
});

describe('a timed wait whose clock found its deadline passed', () => {
  const wait = {
    caseId: 'case-1',
    task: 'acknowledge' as const,
    taskToken: 'token-1',
    lastTaskId: 'none',
    step: { execution: EXECUTION, state: 'Await acknowledgement', enteredAt: '2026-03-10T00:00:01.000Z' },
    due: 'deadline',
    exits: ['deadline' as const],
  };

  it('fails the wait at once, opening and emailing nothing', async () => {
    // Prepare
    await store.create(
      {
        ...acknowledged,
        status: 'awaiting-acknowledgement',
        progress: { stage1: { startedAt: acknowledged.receivedAt } },
      },
      { at: acknowledged.receivedAt, type: 'received', actor: 'resident' },
    );

    // Act
    const result = await requestTask(deps(), wait);

    // Assess
    expect(result).toEqual({ taskId: 'none' });
    expect(workflows.failed).toEqual([
      expect.objectContaining({ taskToken: 'token-1', error: 'DeadlinePassedError' }),
    ]);
    expect(sent).toEqual([]);
    expect((await store.get('case-1'))?.openTask).toBeUndefined();
  });

  it('fails the wait for a stage-2 request at once when the resident cannot ask for one', async () => {
    // Prepare: the stage-2 response was sent; its clock says there is no stage 2 to ask for.
    await store.create(
      { ...acknowledged, stage: 2, status: 'responded' },
      { at: acknowledged.receivedAt, type: 'received', actor: 'resident' },
    );

    // Act
    await requestTask(deps(), {
      ...wait,
      task: 'stage-2-request',
      due: 'no-stage-2',
      exits: ['deadline', 'no-stage-2'],
      step: { ...wait.step, state: 'Await a stage 2 request' },
    });

    // Assess
    expect(workflows.failed).toEqual([expect.objectContaining({ error: 'NoStage2Error' })]);
    expect((await store.get('case-1'))?.openTask).toBeUndefined();
  });

  it('waits as before when the definition gives the wait no way out for the deadline', async () => {
    // Prepare
    await store.create(
      {
        ...acknowledged,
        status: 'awaiting-acknowledgement',
        progress: { stage1: { startedAt: acknowledged.receivedAt } },
      },
      { at: acknowledged.receivedAt, type: 'received', actor: 'resident' },
    );
    const { exits: _exits, ...older } = wait;

    // Act
    await requestTask(deps(), older);

    // Assess
    expect(workflows.failed).toEqual([]);
    expect((await store.get('case-1'))?.openTask?.name).toBe('acknowledge');
    expect(sent.map((m) => m.template)).toEqual(['officer-task']);
  });
});

describe('a clock read of deadlines that have not moved', () => {
  it('writes nothing when the table hands the deadlines back in another order', async () => {
    // Prepare: today's deadlines, stored with their keys reversed (as DynamoDB may return a map).
    const today = deriveDeadlines(policy, acknowledged);
    const reversed = Object.fromEntries(Object.entries(today).reverse());
    expect(Object.keys(reversed)).not.toEqual(Object.keys(today));
    await store.create(
      { ...acknowledged, deadlines: reversed },
      { at: acknowledged.receivedAt, type: 'received', actor: 'resident' },
    );

    // Act
    const { first: _first, ...read } = acknowledgement(now.toISOString());
    const reading = await clock(deps(), {
      ...read,
      step: { ...read.step, state: 'Check the response clock' },
    });

    // Assess
    expect(reading.deadline).toBe(today.respondBy);
    expect(await eventTypes()).toEqual(['received']);
    expect((await store.get('case-1'))?.version).toBe(1);
  });
});

/** Responded on 3 March; the window and the late-request time are read from the policy. */
const responded = {
  ...acknowledged,
  status: 'responded',
  progress: {
    stage1: { ...acknowledged.progress.stage1, respondedAt: '2026-03-03T09:00:00.000Z' },
  },
} satisfies CaseRecord;

/** One entry into "Check the stage 2 window", as the definitions before the callbacks wrote it. */
const windowCheck = (enteredAt: string) => ({
  caseId: 'case-1',
  step: { execution: EXECUTION, state: 'Check the stage 2 window', enteredAt },
  clock: 'stage-2-request' as const,
  executionStartedAt: '2026-03-02T09:00:01.000Z',
  route: { route: 'handle' },
  lastTaskId: 'respond-1',
  closing: {
    template: 'stage-2-too-late' as const,
    to: 'resident' as const,
    readsOn: 'stage-2-late-request' as const,
  },
});

describe('the stage-2 window’s clock once the window has closed', () => {
  it('tells the resident once, however often the state is entered, and reads on the late-request time', async () => {
    // Prepare: just after the window's end.
    const windowEnd = deriveDeadlines(policy, responded).stage2RequestBy as string;
    await store.create(responded, { at: responded.receivedAt, type: 'received', actor: 'resident' });
    now = new Date(Date.parse(windowEnd) + 1000);

    // Act: the state, then a fresh entry of it (after an outage, or a fresh execution resuming there).
    const first = await clock(deps(), windowCheck(now.toISOString()));
    now = new Date(now.getTime() + 3_600_000);
    const again = await clock(deps(), windowCheck(now.toISOString()));

    // Assess
    const late = stage2LateRequestDeadline(policy, (await store.get('case-1')) as CaseRecord);
    expect(sent).toEqual([{ template: 'stage-2-too-late', to: ['ada@example.com'] }]);
    expect(first).toMatchObject({ due: 'late', deadline: late });
    expect(again).toMatchObject({ due: 'late', deadline: late });
    expect((await store.get('case-1'))?.progress.stage1.toldStage2WindowClosed).toBe(true);
  });

  it('says the deadline has passed once the late-request time is over too', async () => {
    // Prepare
    await store.create(responded, { at: responded.receivedAt, type: 'received', actor: 'resident' });
    const late = stage2LateRequestDeadline(policy, responded) as string;
    now = new Date(Date.parse(late) + 1000);

    // Act
    const reading = await clock(deps(), windowCheck(now.toISOString()));

    // Assess: told (it had not been), and the case may close.
    expect(reading).toMatchObject({ due: 'deadline', deadline: late });
    expect(sent.map((m) => m.template)).toEqual(['stage-2-too-late']);
  });

  it('reads the window alone while it is open', async () => {
    // Prepare
    await store.create(responded, { at: responded.receivedAt, type: 'received', actor: 'resident' });

    // Act
    const reading = await clock(deps(), windowCheck(now.toISOString()));

    // Assess
    expect(reading).toMatchObject({
      due: 'none',
      deadline: deriveDeadlines(policy, responded).stage2RequestBy,
    });
    expect(sent).toEqual([]);
  });
});

describe('a clock state that is a callback (the step answers the workflow itself)', () => {
  /** "Check the stage 2 window" as the definitions write it now: a token, and the wait's exits. */
  const callbackCheck = (enteredAt: string) => ({
    ...windowCheck(enteredAt),
    taskToken: 'clock-token-1',
    exits: ['deadline' as const, 'no-stage-2' as const, 'late' as const],
  });

  it('answers the reading as the task’s success while the window is open, with what the late-request clock will read when it closes', async () => {
    // Prepare
    await store.create(responded, { at: responded.receivedAt, type: 'received', actor: 'resident' });
    const late = stage2LateRequestDeadline(policy, responded) as string;

    // Act
    const reading = await clock(deps(), callbackCheck(now.toISOString()));

    // Assess: the wait's timeout takes the foresight straight to the wait for a late request.
    expect(workflows.failed).toEqual([]);
    const timesOutAt = now.getTime() + reading.waitSeconds * 1000;
    expect(workflows.succeeded).toEqual([
      {
        taskToken: 'clock-token-1',
        output: {
          due: 'none',
          waitSeconds: reading.waitSeconds,
          deadline: reading.deadline,
          onTimeout: {
            due: 'late',
            // From when the wait times out (the window's end) to the late requests' last moment,
            // at most the month every wait wakes within.
            waitSeconds: Math.min(MAX_WAIT_SECONDS, Math.ceil((Date.parse(late) - timesOutAt) / 1000)),
            deadline: late,
            foreseen: true,
          },
        },
      },
    ]);
  });

  it('fails the task with Stage2WindowClosedError and the late-request clock as its cause once the window has closed', async () => {
    // Prepare: just after the window's end.
    const windowEnd = deriveDeadlines(policy, responded).stage2RequestBy as string;
    await store.create(responded, { at: responded.receivedAt, type: 'received', actor: 'resident' });
    now = new Date(Date.parse(windowEnd) + 1000);

    // Act
    await clock(deps(), callbackCheck(now.toISOString()));

    // Assess: the workflow parses the cause into `$.clock` for the wait for a late request.
    const late = stage2LateRequestDeadline(policy, (await store.get('case-1')) as CaseRecord);
    expect(workflows.succeeded).toEqual([]);
    expect(workflows.failed).toHaveLength(1);
    const [failure] = workflows.failed;
    expect(failure?.error).toBe('Stage2WindowClosedError');
    expect(JSON.parse(failure?.cause ?? '')).toEqual({
      due: 'late',
      waitSeconds: Math.round((Date.parse(late as string) - now.getTime()) / 1000),
      deadline: late,
    });
    expect(sent.map((m) => m.template)).toEqual(['stage-2-too-late']);
  });

  it('fails the task with DeadlinePassedError once the late-request time is over too', async () => {
    // Prepare
    await store.create(responded, { at: responded.receivedAt, type: 'received', actor: 'resident' });
    now = new Date(Date.parse(stage2LateRequestDeadline(policy, responded) as string) + 1000);

    // Act
    await clock(deps(), callbackCheck(now.toISOString()));

    // Assess
    expect(workflows.failed.map((f) => f.error)).toEqual(['DeadlinePassedError']);
  });

  it('answers a deadline the following wait has no way out for as a success (the clock escalates it)', async () => {
    // Prepare: the response is late; the response clock's wait has no exits.
    await store.create(acknowledged, { at: acknowledged.receivedAt, type: 'received', actor: 'resident' });
    now = new Date(Date.parse(deriveDeadlines(policy, acknowledged).respondBy as string) + 3_600_000);
    const { first: _first, ...read } = acknowledgement(now.toISOString());

    // Act
    await clock(deps(), {
      ...read,
      step: { ...read.step, state: 'Check the response clock' },
      taskToken: 't-2',
    });

    // Assess: escalated by the clock step, and the wait goes on.
    expect(workflows.failed).toEqual([]);
    expect(workflows.succeeded.map((s) => s.taskToken)).toEqual(['t-2']);
    expect(sent.map((m) => m.template)).toContain('manager-escalation');
  });

  it('fails the task with NoStage2Error after the response when the policy has one stage', async () => {
    // Prepare
    const oneStage = { ...policy, complaint: { ...policy.complaint, stages: 1 } } as typeof policy;
    await store.create(acknowledged, { at: acknowledged.receivedAt, type: 'received', actor: 'resident' });

    // Act
    await clock(
      { ...deps(), policy: oneStage },
      { ...response(now.toISOString()), taskToken: 't-3', exits: ['deadline', 'no-stage-2', 'late'] },
    );

    // Assess
    expect(workflows.failed).toEqual([expect.objectContaining({ taskToken: 't-3', error: 'NoStage2Error' })]);
    expect(sent.map((m) => m.template)).toEqual(['response']);
  });

  it('fails the task with CaseContinuedError when it hands the case to a fresh execution', async () => {
    // Prepare
    await store.create(acknowledged, { at: acknowledged.receivedAt, type: 'received', actor: 'resident' });
    now = new Date('2027-02-01T09:00:00.000Z');

    // Act
    await clock(deps(), { ...acknowledgement(now.toISOString()), taskToken: 't-4' });

    // Assess
    expect(workflows.failed).toEqual([
      expect.objectContaining({ taskToken: 't-4', error: 'CaseContinuedError' }),
    ]);
    expect(workflows.started).toHaveLength(1);
  });

  it('does nothing more when its token was already answered (the same invocation run twice)', async () => {
    // Prepare
    await store.create(responded, { at: responded.receivedAt, type: 'received', actor: 'resident' });
    workflows.sendTaskSuccess = async () => {
      throw new TaskTokenInvalidError('send task success: the task is no longer waiting (TaskTimedOut)');
    };

    // Act + Assess: no error for nobody to hear.
    await expect(clock(deps(), callbackCheck(now.toISOString()))).resolves.toMatchObject({ due: 'none' });
  });

  it('lets a failure to answer fail the step, for the workflow to retry it', async () => {
    // Prepare
    await store.create(responded, { at: responded.receivedAt, type: 'received', actor: 'resident' });
    workflows.sendTaskSuccess = async () => {
      throw Object.assign(new Error('Step Functions is not answering'), { name: 'ServiceUnavailableError' });
    };

    // Act + Assess
    await expect(clock(deps(), callbackCheck(now.toISOString()))).rejects.toThrow(/not answering/);
  });
});

import { beforeEach, describe, expect, it } from 'vitest';
import { TaskTokenInvalidError } from '../../functions/adapters/errors.js';
import { effectSlot } from '../../functions/app/effects.js';
import { recordMailEvent } from '../../functions/app/mail-events.js';
import { requestTask, type StepDeps } from '../../functions/app/steps.js';
import type { CaseRecord } from '../../functions/domain/case.js';
import { loadPolicy } from '../../functions/domain/policy.js';
import { again, EXECUTION, STATE } from '../support/acknowledgement-entry.js';
import { RecordingWorkflows } from '../support/fake-workflows.js';
import { MemoryCaseStore } from '../support/memory-store.js';
import { openCase } from '../support/open-case.js';
import { stepDeps } from '../support/step-deps.js';

/**
 * The email that opened a task, when the step that sent it died between SES and the table (an
 * outage) and the officer decided before the workflow came back for it: the workflow, entering
 * the wait again, hands the decision over and records the email from SES's word.
 */

const OFFICER = 'waste.team@example.gov.uk';
/** The key of the first entry, whose email went out and was never recorded. */
const FIRST_KEY = 'first-entry-key';

let store: MemoryCaseStore;
let workflows: RecordingWorkflows;

function deps(): StepDeps {
  return stepDeps({
    store,
    policy: loadPolicy('lgsco-code-2024'),
    now: () => new Date('2026-03-02T10:00:00.000Z'),
    send: async () => ({ messageId: 'never-sent-again' }),
    workflows,
  });
}

/**
 * As `decidedWithUnrecordedEmail`, with SES's word not yet come: the decision recorded as done and
 * handed over as the workflow comes back for the task (the step opens the wait again).
 */
async function handedOverWithUnrecordedEmail(): Promise<void> {
  await decidedWithUnrecordedEmail(false);
  await store.appendEvent('case-1', {
    at: '2026-03-02T09:30:00.000Z',
    type: 'task-done',
    actor: OFFICER,
    detail: { task: 'acknowledge', taskId: FIRST_KEY, decision: 'acknowledge' },
  });
  await requestTask(deps(), again);
}

/** A case whose acknowledgement task was emailed (unrecorded) and then decided through its link. */
async function decidedWithUnrecordedEmail(sesConfirmed: boolean): Promise<void> {
  const record: CaseRecord = {
    ...openCase('case-1'),
    assignedTo: OFFICER,
    effects: {
      [effectSlot({ execution: EXECUTION, state: STATE, enteredAt: '2026-03-02T09:00:00.000Z' })]: {
        key: FIRST_KEY,
        status: 'started',
        at: '2026-03-02T09:00:00.100Z',
      },
    },
    pendingDecision: {
      task: 'acknowledge',
      taskId: FIRST_KEY,
      decision: 'acknowledge',
      officer: OFFICER,
      at: '2026-03-02T09:30:00.000Z',
      taskToken: 'token-of-the-first-entry',
      message: 'Acknowledged',
    },
  };
  await store.create(record, { at: '2026-03-02T08:59:00.000Z', type: 'received', actor: 'resident' });
  if (sesConfirmed) {
    await store.appendEvent('case-1', {
      at: '2026-03-02T09:00:01.000Z',
      type: 'email-accepted',
      actor: 'system',
      detail: { effect: FIRST_KEY, messageId: 'ses-message-1', template: 'officer-task' },
    });
  }
}

beforeEach(() => {
  store = new MemoryCaseStore();
  workflows = new RecordingWorkflows();
});

describe('the task email an outage left unrecorded', () => {
  it('is recorded from SES’s word, under the entry that sent it, when the workflow hands the decision over', async () => {
    await decidedWithUnrecordedEmail(true);

    const result = await requestTask(deps(), again);

    expect(result).toEqual({ taskId: FIRST_KEY });
    expect(workflows.succeeded.map((s) => s.taskToken)).toEqual(['token-of-the-second-entry']);
    const sent = (await store.events('case-1')).filter((e) => e.type === 'email-sent');
    expect(sent.map((e) => e.detail)).toEqual([
      { template: 'officer-task', task: 'acknowledge', taskId: FIRST_KEY },
    ]);
    const effects = (await store.get('case-1'))?.effects ?? {};
    expect(effects[effectSlot(again.step)]).toMatchObject({ key: FIRST_KEY, status: 'done' });
  });

  it('hands the same decision over again, opening no task and sending nothing, when the entry that handed it over is retried', async () => {
    await decidedWithUnrecordedEmail(true);
    let sends = 0;
    const counting = { ...deps(), send: async () => ({ messageId: `sent-${++sends}` }) };
    // The hand-over is delivered and settled, but DynamoDB's answer to the settling write is
    // lost: the step fails after the workflow heard, and the workflow retries the entry with a
    // new token (as the local engine does; Step Functions may too).
    const update = store.update.bind(store);
    store.update = async (caseId, version, change, expected) => {
      const written = await update(caseId, version, change, expected);
      if (change.remove?.includes('pendingDecision')) {
        store.update = update;
        throw new Error('socket hang up');
      }
      return written;
    };
    await expect(requestTask(counting, again)).rejects.toThrow('socket hang up');

    const retried = await requestTask(counting, { ...again, taskToken: 'token-of-the-retry' });

    expect(retried).toEqual({ taskId: FIRST_KEY });
    expect(workflows.succeeded.map((s) => [s.taskToken, s.output.decision])).toEqual([
      ['token-of-the-second-entry', 'acknowledge'],
      ['token-of-the-retry', 'acknowledge'],
    ]);
    expect(sends).toBe(0);
    const c = await store.get('case-1');
    expect(c?.openTask).toBeUndefined();
    expect(c?.pendingDecision).toBeUndefined();
    const events = await store.events('case-1');
    expect(events.filter((e) => e.type === 'email-sent' || e.type === 'task-opened')).toHaveLength(1);
    expect(events.filter((e) => e.type === 'decision-delivered')).toHaveLength(1);
  });

  it('takes a used token’s refusal as the workflow having the decision when the same invocation comes twice', async () => {
    await decidedWithUnrecordedEmail(true);
    const used = new Set<string>();
    const send = workflows.sendTaskSuccess.bind(workflows);
    workflows.sendTaskSuccess = async (token, output) => {
      if (used.has(token)) throw new TaskTokenInvalidError('TaskTimedOut: the task is no longer waiting');
      used.add(token);
      return send(token, output);
    };

    const first = await requestTask(deps(), again);
    const duplicate = await requestTask(deps(), again);

    expect(duplicate).toEqual(first);
    expect(workflows.succeeded).toHaveLength(1);
    expect((await store.get('case-1'))?.openTask).toBeUndefined();
  });

  it('still records the email from SES’s word when it arrives after the hand-over', async () => {
    await handedOverWithUnrecordedEmail();

    await recordMailEvent(
      { store, policy: deps().policy, send: async () => ({ messageId: 'x' }), now: deps().now },
      {
        eventType: 'Send',
        mail: {
          messageId: 'ses-message-1',
          tags: { 'case-id': ['case-1'], effect: [FIRST_KEY], template: ['officer-task'] },
        },
      },
    );

    const sent = (await store.events('case-1')).filter((e) => e.type === 'email-sent');
    expect(sent.map((e) => e.detail)).toEqual([
      { template: 'officer-task', task: 'acknowledge', taskId: FIRST_KEY },
    ]);
  });

  it('records the email when the queue delivers SES’s word again after the table failed between its two writes', async () => {
    await handedOverWithUnrecordedEmail();
    // The word is written; the table fails the write that records the email with it.
    const update = store.update.bind(store);
    store.update = async () => {
      store.update = update;
      throw new Error('socket hang up');
    };
    const mailDeps = {
      store,
      policy: deps().policy,
      send: async () => ({ messageId: 'x' }),
      now: deps().now,
    };
    const sendEvent = {
      eventType: 'Send',
      mail: {
        messageId: 'ses-message-1',
        tags: { 'case-id': ['case-1'], effect: [FIRST_KEY], template: ['officer-task'] },
      },
    };
    await expect(recordMailEvent(mailDeps, sendEvent)).rejects.toThrow('socket hang up');

    // The email events queue delivers the event again.
    await recordMailEvent(mailDeps, sendEvent);

    const sent = (await store.events('case-1')).filter((e) => e.type === 'email-sent');
    expect(sent.map((e) => e.detail)).toEqual([
      { template: 'officer-task', task: 'acknowledge', taskId: FIRST_KEY },
    ]);
    const effects = (await store.get('case-1'))?.effects ?? {};
    expect(Object.values(effects).filter((e) => e.key === FIRST_KEY)).toMatchObject([{ status: 'done' }]);
  });

  it('records nothing without SES’s word, and still hands the decision over', async () => {
    await decidedWithUnrecordedEmail(false);

    await requestTask(deps(), again);

    expect(workflows.succeeded).toHaveLength(1);
    expect((await store.events('case-1')).filter((e) => e.type === 'email-sent')).toEqual([]);
  });
});

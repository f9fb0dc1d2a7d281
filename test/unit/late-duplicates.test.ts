import { beforeEach, describe, expect, it } from 'vitest';
import { once, SupersededEntryError } from '../../functions/app/effects.js';
import { clock, record, requestTask, type StepDeps } from '../../functions/app/steps.js';
import type { CaseRecord } from '../../functions/domain/case.js';
import { loadPolicy } from '../../functions/domain/policy.js';
import { MemoryCaseStore } from '../support/memory-store.js';
import { openCase } from '../support/open-case.js';
import { recordingSend, stepDeps } from '../support/step-deps.js';

/**
 * Late duplicates of step entries: Lambda may run an invocation twice, and a copy that stalls can
 * arrive after the workflow has moved on (and dropped the entry's done effects from the case). It
 * must do nothing: send no letter again, record no change again, put no dead token on a task.
 */

const OFFICER = 'waste.team@example.gov.uk';
const EXECUTION = 'arn:aws:states:eu-west-2:000000000000:execution:complaint:case-1';
const STATE = 'Await the response';

let store: MemoryCaseStore;
let sent: { template: string; to: string[] }[];
let now: Date;

function deps(): StepDeps {
  return stepDeps({
    store,
    policy: loadPolicy('lgsco-code-2024'),
    now: () => now,
    send: recordingSend(sent),
  });
}

/** A task id as the steps make them (an effect key); `after task <id>` is no date. */
const TASK_ID = 'bfJmw4r5BYhjteFY7OAi8hyK1jKJGZC5';

const entry = (enteredAt: string, taskToken: string) => ({
  caseId: 'case-1',
  task: 'respond' as const,
  taskToken,
  lastTaskId: 'none',
  step: { execution: EXECUTION, state: STATE, enteredAt },
});

beforeEach(async () => {
  store = new MemoryCaseStore();
  sent = [];
  now = new Date('2026-03-10T10:00:00.000Z');
  await store.create(openCase('case-1', { assignedTo: OFFICER, status: 'investigating' }), {
    at: '2026-03-02T09:00:00.000Z',
    type: 'received',
    actor: 'resident',
  });
});

describe('a late duplicate of an entry into a wait', () => {
  it('leaves the live entry’s token on the task, and opens and emails nothing', async () => {
    // Prepare: the first entry opened the task and emailed the officer; a clock wake-up entered
    // the wait again, which took the task with its own token.
    const first = entry('2026-03-02T10:00:00.000Z', 'token-of-the-first-entry');
    await requestTask(deps(), first);
    await requestTask(deps(), entry('2026-03-09T10:00:00.000Z', 'token-of-the-second-entry'));
    expect((await store.get('case-1'))?.openTask?.taskToken).toBe('token-of-the-second-entry');

    // Act: a copy of the first entry's invocation, stalled until now.
    const late = requestTask(deps(), first);

    // Assess
    await expect(late).rejects.toThrow(SupersededEntryError);
    const c = await store.get('case-1');
    expect(c?.openTask?.taskToken).toBe('token-of-the-second-entry');
    expect(sent.map((s) => s.template)).toEqual(['officer-task']);
    const events = await store.events('case-1');
    expect(events.filter((e) => e.type === 'task-reopened')).toHaveLength(1);
  });

  it('is still answered for a retry of the live entry, which carries its own moment', async () => {
    // Prepare
    await requestTask(deps(), entry('2026-03-02T10:00:00.000Z', 'token-of-the-first-entry'));
    const second = entry('2026-03-09T10:00:00.000Z', 'token-of-the-second-entry');
    const taken = await requestTask(deps(), second);

    // Act: Step Functions retries the second entry (same moment, a new token).
    const retried = await requestTask(deps(), { ...second, taskToken: 'token-of-the-retry' });

    // Assess
    expect(retried).toEqual(taken);
    expect((await store.get('case-1'))?.openTask?.taskToken).toBe('token-of-the-retry');
    expect(sent).toHaveLength(1);
  });
});

/** The state that sends a letter and reads the next clock (`sendThenClock`), as the workflow calls it. */
const letterThenClock = (
  state: 'Send the acknowledgement' | 'Send the response',
  enteredAt: string,
  lastTaskId = TASK_ID,
) => ({
  caseId: 'case-1',
  step: { execution: EXECUTION, state, enteredAt },
  executionStartedAt: '2026-03-02T09:00:01.000Z',
  route: { route: 'handle' },
  lastTaskId,
  ...(state === 'Send the acknowledgement'
    ? {
        clock: 'respond' as const,
        first: {
          template: 'acknowledgement' as const,
          to: 'resident' as const,
          resumeAt: 'Check the response clock',
        },
      }
    : {
        clock: 'stage-2-request' as const,
        first: {
          template: 'response' as const,
          to: 'resident' as const,
          record: 'responded' as const,
          resumeAt: 'Check the stage 2 window',
        },
      }),
});

/** The workflow moving on into the wait after a letter: a later entry writes on the case. */
async function waitEntered(task: 'respond' | 'stage-2-request', state: string, enteredAt: string) {
  await requestTask(deps(), {
    caseId: 'case-1',
    task,
    taskToken: 'token-of-the-live-entry',
    lastTaskId: TASK_ID,
    step: { execution: EXECUTION, state, enteredAt },
  });
}

describe('a late duplicate of a state that sends a letter and reads the next clock', () => {
  it('sends the acknowledgement once', async () => {
    // Prepare: the acknowledgement went, and the workflow entered the wait for the response.
    const entered = '2026-03-10T10:00:00.000Z';
    await clock(deps(), letterThenClock('Send the acknowledgement', entered));
    now = new Date('2026-03-10T10:00:01.000Z');
    await waitEntered('respond', 'Await the response', '2026-03-10T10:00:01.000Z');

    // Act
    now = new Date('2026-03-10T10:05:00.000Z');
    const late = clock(deps(), letterThenClock('Send the acknowledgement', entered));

    // Assess
    await expect(late).rejects.toThrow(SupersededEntryError);
    expect(sent.map((s) => s.template)).toEqual(['acknowledgement', 'officer-task']);
  });

  it('sends the response and records it once', async () => {
    // Prepare
    const entered = '2026-03-10T10:00:00.000Z';
    await clock(deps(), letterThenClock('Send the response', entered));
    now = new Date('2026-03-10T10:00:01.000Z');
    await waitEntered('stage-2-request', 'Await a stage 2 request', '2026-03-10T10:00:01.000Z');

    // Act
    now = new Date('2026-03-10T10:04:00.000Z');
    const late = clock(deps(), letterThenClock('Send the response', entered));

    // Assess
    await expect(late).rejects.toThrow(SupersededEntryError);
    expect(sent.map((s) => s.template)).toEqual(['response']);
    const events = await store.events('case-1');
    expect(events.filter((e) => e.type === 'response-sent')).toHaveLength(1);
  });

  it('leaves a legitimate entry alone whatever its task id reads like as a date', async () => {
    // Prepare: `after task <id>` of these ids is read by Date.parse as 2001 and 2033.
    for (const [i, id] of [
      'dEODgrIqPoNiNvYJHMJNTXgXAjsELd-7',
      'nOnQgupaxptRJloLIfF-kPCX-uBSy-33',
    ].entries()) {
      const caseId = `case-${i + 2}`;
      await store.create(openCase(caseId, { assignedTo: OFFICER, status: 'investigating' }), {
        at: '2026-03-02T09:00:00.000Z',
        type: 'received',
        actor: 'resident',
      });
      const execution = EXECUTION.replace('case-1', caseId);
      await requestTask(deps(), {
        caseId,
        task: 'acknowledge',
        taskToken: 'token',
        lastTaskId: 'none',
        step: { execution, state: 'Await acknowledgement', enteredAt: '2026-03-10T09:00:00.000Z' },
      });
      const letter = letterThenClock('Send the acknowledgement', '2026-03-10T10:00:00.000Z', id);

      // Act: the letter after the decision, then the wait after it.
      await clock(deps(), { ...letter, caseId, step: { ...letter.step, execution } });
      await requestTask(deps(), {
        caseId,
        task: 'respond',
        taskToken: 'token-2',
        lastTaskId: id,
        step: { execution, state: 'Await the response', enteredAt: '2026-03-10T10:00:01.000Z' },
      });
    }

    // Assess: each case's acknowledgement and both officer tasks went.
    expect(sent.map((s) => s.template)).toEqual([
      'officer-task',
      'acknowledgement',
      'officer-task',
      'officer-task',
      'acknowledgement',
      'officer-task',
    ]);
  });

  it('after the letter, a late duplicate of the wait before it puts no dead token on a task', async () => {
    // Prepare: the acknowledgement task was opened and decided; the letter after it went.
    const wait = {
      caseId: 'case-1',
      task: 'acknowledge' as const,
      taskToken: 'dead-token',
      lastTaskId: 'none',
      step: { execution: EXECUTION, state: 'Await acknowledgement', enteredAt: '2026-03-10T09:00:00.000Z' },
    };
    await requestTask(deps(), wait);
    const c = (await store.get('case-1')) as CaseRecord;
    await store.update('case-1', c.version, { remove: ['openTask'] });
    await clock(deps(), letterThenClock('Send the acknowledgement', '2026-03-10T10:00:00.000Z'));

    // Act
    const late = requestTask(deps(), wait);

    // Assess
    await expect(late).rejects.toThrow(SupersededEntryError);
    expect((await store.get('case-1'))?.openTask).toBeUndefined();
    expect(sent.map((s) => s.template)).toEqual(['officer-task', 'acknowledgement']);
  });
});

describe('a change-only step overtaken between its read and its write', () => {
  it('writes nothing and leaves the later entry’s record on the case', async () => {
    // Prepare: the later entry of the same execution writes just after the stale step has read.
    const get = store.get.bind(store);
    let overtaken = false;
    store.get = async (id: string) => {
      const read = await get(id);
      if (!overtaken) {
        overtaken = true;
        await once(
          { store, now: () => now },
          'case-1',
          {
            execution: EXECUTION,
            state: 'Close the case',
            enteredAt: '2026-03-10T10:00:02.000Z',
          },
          { record: () => ({ set: { status: 'closed' } }) },
        );
      }
      return read;
    };

    // Act
    const stale = record(deps(), {
      caseId: 'case-1',
      step: { execution: EXECUTION, state: 'Record the response', enteredAt: '2026-03-10T10:00:01.000Z' },
      transition: 'responded',
    });

    // Assess
    await expect(stale).rejects.toThrow(SupersededEntryError);
    store.get = get;
    const c = await store.get('case-1');
    expect(c?.status).toBe('closed');
    expect(Object.keys(c?.effects ?? {})).toEqual(['case-1/Close the case']);
  });
});

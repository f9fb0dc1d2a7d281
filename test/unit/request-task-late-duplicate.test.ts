import { beforeEach, describe, expect, it } from 'vitest';
import { SupersededEntryError } from '../../functions/app/effects.js';
import { requestTask, type StepDeps } from '../../functions/app/steps.js';
import { loadPolicy } from '../../functions/domain/policy.js';
import { MemoryCaseStore } from '../support/memory-store.js';
import { openCase } from '../support/open-case.js';
import { recordingSend, stepDeps } from '../support/step-deps.js';

/**
 * A late duplicate of an entry into a wait: Lambda may run an invocation twice, and a copy that
 * stalls before its first read can arrive after the workflow has moved on. Its token is dead; it
 * must neither take the task's place nor open or email anything.
 */

const OFFICER = 'waste.team@example.gov.uk';
const EXECUTION = 'arn:aws:states:eu-west-2:000000000000:execution:complaint:case-1';
const STATE = 'Await the response';

let store: MemoryCaseStore;
let sent: { template: string; to: string[] }[];

function deps(): StepDeps {
  return stepDeps({
    store,
    policy: loadPolicy('lgsco-code-2024'),
    now: () => new Date('2026-03-10T10:00:00.000Z'),
    send: recordingSend(sent),
  });
}

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

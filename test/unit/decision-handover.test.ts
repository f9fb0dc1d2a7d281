import { beforeEach, describe, expect, it } from 'vitest';
import { handDecisionTo } from '../../functions/app/decision-delivery.js';
import { requestTask, type StepDeps } from '../../functions/app/steps.js';
import { decideOnTask } from '../../functions/app/tasks.js';
import type { CaseRecord } from '../../functions/domain/case.js';
import { DecisionRefusedError } from '../../functions/domain/errors.js';
import { loadPolicy } from '../../functions/domain/policy.js';
import { RecordingWorkflows } from '../support/fake-workflows.js';
import { MemoryCaseStore } from '../support/memory-store.js';
import { openCase } from '../support/open-case.js';
import { stepDeps } from '../support/step-deps.js';

/**
 * A wait that expects one decision (the definitions fold the Choice after a wait into it): the
 * expected decision is handed over as the task's success, any other as a task failure named for
 * it whose cause is the decision, which the workflow catches straight to the decision's state.
 * Waits of older definitions expect none, and every decision is a success, as before.
 */

const OFFICER = 'waste.team@example.gov.uk';
const EXECUTION = 'arn:aws:states:eu-west-2:000000000000:execution:complaint:case-1';

let store: MemoryCaseStore;
let workflows: RecordingWorkflows;

function deps(): StepDeps {
  return stepDeps({
    store,
    policy: loadPolicy('lgsco-code-2024'),
    now: () => new Date('2026-03-02T10:00:00.000Z'),
    workflows,
  });
}

/** One entry into "Await acknowledgement" as the definitions write it now. */
const wait = (taskToken: string, enteredAt: string, expected: string | null = 'acknowledge') => ({
  caseId: 'case-1',
  step: { execution: EXECUTION, state: 'Await acknowledgement', enteredAt },
  task: 'acknowledge' as const,
  taskToken,
  lastTaskId: 'none',
  ...(expected ? { expected } : {}),
});

beforeEach(() => {
  store = new MemoryCaseStore();
  workflows = new RecordingWorkflows();
});

describe('handing a decision to a wait', () => {
  it('hands the expected decision over as the task’s success', async () => {
    await handDecisionTo(workflows, 'tok', {
      decision: 'acknowledge',
      taskId: 't-1',
      expected: 'acknowledge',
    });

    expect(workflows.succeeded).toEqual([
      { taskToken: 'tok', output: { decision: 'acknowledge', taskId: 't-1' } },
    ]);
    expect(workflows.failed).toEqual([]);
  });

  it('hands any other decision over as a failure named for it, with the decision as its cause', async () => {
    await handDecisionTo(workflows, 'tok', {
      decision: 'refer-vexatious',
      taskId: 't-1',
      expected: 'acknowledge',
    });

    expect(workflows.succeeded).toEqual([]);
    expect(workflows.failed).toEqual([
      {
        taskToken: 'tok',
        error: 'Decision.refer-vexatious',
        cause: '{"decision":"refer-vexatious","taskId":"t-1"}',
      },
    ]);
  });

  it('hands every decision over as a success to a wait that expects none (an older definition)', async () => {
    await handDecisionTo(workflows, 'tok', { decision: 'refer-vexatious', taskId: 't-1' });

    expect(workflows.succeeded).toHaveLength(1);
    expect(workflows.failed).toEqual([]);
  });
});

describe('the wait’s step', () => {
  it('records on the open task what the wait expects, and keeps it when a wake-up replaces the token', async () => {
    // Prepare
    await store.create(
      { ...openCase('case-1'), assignedTo: OFFICER },
      { at: '2026-03-02T09:00:00.000Z', type: 'received', actor: 'resident' },
    );

    // Act: the wait, then its entry again after a clock wake-up.
    await requestTask(deps(), wait('token-1', '2026-03-02T10:00:00.000Z'));
    const first = (await store.get('case-1'))?.openTask;
    await requestTask(deps(), wait('token-2', '2026-03-03T10:00:00.000Z'));

    // Assess
    expect(first).toMatchObject({ name: 'acknowledge', taskToken: 'token-1', expected: 'acknowledge' });
    expect((await store.get('case-1'))?.openTask).toMatchObject({
      taskToken: 'token-2',
      expected: 'acknowledge',
    });
  });

  it('drops the expectation when a wait of an older definition is entered', async () => {
    // Prepare
    await store.create(
      { ...openCase('case-1'), assignedTo: OFFICER },
      { at: '2026-03-02T09:00:00.000Z', type: 'received', actor: 'resident' },
    );
    await requestTask(deps(), wait('token-1', '2026-03-02T10:00:00.000Z'));

    // Act
    await requestTask(deps(), wait('token-2', '2026-03-03T10:00:00.000Z', null));

    // Assess
    expect((await store.get('case-1'))?.openTask).not.toHaveProperty('expected');
  });

  it('hands a decision taken while the workflow was away back by name when it is not the one expected', async () => {
    // Prepare: the officer sent the case back (reassign) while the wait was being entered again.
    const record: CaseRecord = {
      ...openCase('case-1'),
      assignedTo: OFFICER,
      pendingDecision: {
        task: 'acknowledge',
        taskId: 'acknowledge-1',
        decision: 'reassign',
        officer: OFFICER,
        at: '2026-03-02T09:30:00.000Z',
        taskToken: 'token-of-the-first-entry',
        expected: 'acknowledge',
        message: 'Passed on',
      },
    };
    await store.create(record, { at: '2026-03-02T08:59:00.000Z', type: 'received', actor: 'resident' });

    // Act
    await requestTask(deps(), wait('token-2', '2026-03-02T10:00:00.000Z'));

    // Assess
    expect(workflows.failed).toEqual([
      expect.objectContaining({ taskToken: 'token-2', error: 'Decision.reassign' }),
    ]);
    expect(JSON.parse(workflows.failed[0]?.cause ?? '')).toEqual({
      decision: 'reassign',
      taskId: 'acknowledge-1',
    });
    expect((await store.get('case-1'))?.pendingDecision).toBeUndefined();
  });
});

describe('a wait whose link is running out (a long pause)', () => {
  it('keeps the token of a retried entry on the task after the fresh link was sent and recorded', async () => {
    // Prepare: the task was opened 115 days ago; its link lapses within the reissue margin.
    await store.create(
      {
        ...openCase('case-1'),
        assignedTo: OFFICER,
        openTask: {
          taskId: 'respond-1',
          name: 'acknowledge',
          officer: OFFICER,
          taskToken: 'token-of-an-earlier-entry',
          issuedAt: '2025-11-07T10:00:00.000Z',
          expected: 'acknowledge',
        },
      },
      { at: '2026-03-02T09:00:00.000Z', type: 'received', actor: 'resident' },
    );
    const entry = '2026-03-02T10:00:00.000Z';

    // Act: the entry sends the fresh link and records it, then its Lambda fails (a lost answer);
    // Step Functions retries the same entry with a new token.
    await requestTask(deps(), wait('token-first-attempt', entry));
    await requestTask(deps(), wait('token-retry', entry));

    // Assess: one fresh link, and the decision will go to the token the workflow waits on (the
    // retry finds the link fresh and takes the task's token as any later entry does).
    const c = (await store.get('case-1')) as CaseRecord;
    expect(c.openTask).toMatchObject({
      taskId: 'respond-1',
      taskToken: 'token-retry',
      expected: 'acknowledge',
    });
    const reissued = (await store.events('case-1')).filter((e) => e.detail?.reissued === true);
    expect(reissued).toHaveLength(1);
  });
});

describe('a decision the task’s form does not offer on this case', () => {
  it('is refused, and nothing is handed to the workflow: a social care acknowledgement only acknowledges', async () => {
    // Prepare: a social care case waiting on its acknowledgement.
    const record: CaseRecord = {
      ...openCase('case-1'),
      kind: 'social-care',
      assignedTo: OFFICER,
      openTask: {
        taskId: 'acknowledge-1',
        name: 'acknowledge',
        officer: OFFICER,
        taskToken: 'token-1',
        issuedAt: '2026-03-02T09:00:00.000Z',
      },
    };
    await store.create(record, { at: '2026-03-02T09:00:00.000Z', type: 'received', actor: 'resident' });
    const taskDeps = { ...deps(), linkSecrets: async () => ['secret'] };

    // Act
    const refused = decideOnTask(
      taskDeps,
      record,
      'acknowledge',
      'reassign',
      { reassignTo: 'waste.feedback@example.gov.uk' },
      {
        actor: 'team@example.gov.uk',
        channel: 'workspace',
      },
    );

    // Assess
    await expect(refused).rejects.toBeInstanceOf(DecisionRefusedError);
    expect(workflows.succeeded).toEqual([]);
    expect(workflows.failed).toEqual([]);
    expect((await store.get('case-1'))?.pendingDecision).toBeUndefined();
  });
});

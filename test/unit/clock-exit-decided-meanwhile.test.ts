import { beforeEach, describe, expect, it } from 'vitest';
import { TaskTokenInvalidError } from '../../functions/adapters/errors.js';
import { clock, requestTask, type StepDeps } from '../../functions/app/steps.js';
import { actOnTask } from '../../functions/app/tasks.js';
import type { CaseRecord } from '../../functions/domain/case.js';
import { deriveDeadlines } from '../../functions/domain/case-clock.js';
import { TaskAlreadyDoneError } from '../../functions/domain/errors.js';
import { formToken, signLink } from '../../functions/domain/links.js';
import { loadPolicy } from '../../functions/domain/policy.js';
import { ACKNOWLEDGE } from '../support/acknowledge.js';
import { RecordingWorkflows } from '../support/fake-workflows.js';
import { MemoryCaseStore } from '../support/memory-store.js';
import { openCase } from '../support/open-case.js';
import { stepDeps } from '../support/step-deps.js';

/**
 * An officer deciding as the workflow leaves the task's wait for good: the wait timed out at the
 * deadline, and the clock state after it reads the deadline passed, which sends the workflow on
 * to the escalation and the automatic acknowledgement (or, for the resident's request for stage
 * 2, to the close) instead of back to the wait. The officer's link still found the task open, and
 * handed the decision to the timed-out wait's token, which Step Functions refuses as a wait that
 * is over, and was told it is recorded. Nothing would ever hand it over: the workflow had gone
 * past the wait, and the decision stayed pending on the case, where every later clock took it for
 * one about to be handed over and waited again instead of reminding or escalating.
 */

const policy = loadPolicy('lgsco-code-2024');
const SECRET = 'secret';
const OFFICER = 'waste.team@example.gov.uk';
const EXECUTION = 'arn:aws:states:eu-west-2:000000000000:execution:complaint:case-1';
/** The acknowledgement deadline is the end of 9 March: the wait timed out then. */
const now = () => new Date('2026-03-10T00:00:02.000Z');

/** The acknowledgement the timed-out wait opened, with that wait's token. */
const open: NonNullable<CaseRecord['openTask']> = {
  taskId: 'acknowledge-1',
  name: 'acknowledge',
  officer: OFFICER,
  taskToken: 'token-of-the-timed-out-wait',
  issuedAt: '2026-03-02T09:00:05.000Z',
};

/** The entry into "Check the acknowledgement clock" after the wait's timeout. */
const clockState = {
  caseId: 'case-1',
  step: {
    execution: EXECUTION,
    state: 'Check the acknowledgement clock',
    enteredAt: '2026-03-10T00:00:01.000Z',
  },
  clock: 'acknowledge' as const,
  executionStartedAt: '2026-03-02T09:00:01.000Z',
  route: { route: 'handle' },
  lastTaskId: 'none',
  taskToken: 'token-of-the-clock-state',
  exits: ['deadline' as const],
};

let store: MemoryCaseStore;
let workflows: RecordingWorkflows;

function deps(): StepDeps {
  return stepDeps({ store, policy, now, workflows, linkSecret: async () => SECRET });
}

/** The officer acknowledging through the link emailed with the task. */
function acknowledgeThroughLink() {
  const link = signLink(
    { c: 'case-1', t: open.taskId, a: open.name, o: OFFICER, e: Math.floor(Date.parse('2026-12-01') / 1000) },
    SECRET,
  );
  return actOnTask({ store, workflows, policy, now, linkSecrets: async () => [SECRET] }, link, {
    csrf: formToken(link, SECRET),
    ...ACKNOWLEDGE,
  });
}

/**
 * Runs `officer` (to its end) as the clock state first acts on what it read: just before its first
 * write to the case, or its answer to the workflow, whichever comes first.
 */
function officerDecidesAsTheClockActs(officer: () => Promise<unknown>, only: 'answer' | 'either' = 'either') {
  const decided: { outcome?: PromiseSettledResult<unknown> } = {};
  const write = store.update.bind(store);
  const fail = workflows.sendTaskFailure.bind(workflows);
  const succeed = workflows.sendTaskSuccess.bind(workflows);
  let done = false;
  const decide = async () => {
    if (done) return;
    done = true;
    [decided.outcome] = await Promise.allSettled([officer()]);
  };
  store.update = async (caseId, version, change, expected) => {
    if (only === 'either' && change.event?.actor === 'workflow') await decide();
    return write(caseId, version, change, expected);
  };
  workflows.sendTaskFailure = async (token, error, cause) => {
    if (token === clockState.taskToken) await decide();
    return fail(token, error, cause);
  };
  workflows.sendTaskSuccess = async (token, output) => {
    if (token === clockState.taskToken) await decide();
    return succeed(token, output);
  };
  return decided;
}

beforeEach(async () => {
  store = new MemoryCaseStore();
  workflows = new RecordingWorkflows();
  // Step Functions: the timed-out wait's token belongs to a wait that is over.
  const succeed = workflows.sendTaskSuccess.bind(workflows);
  workflows.sendTaskSuccess = async (token, output) => {
    if (token === open.taskToken) throw new TaskTokenInvalidError('TaskTimedOut: no longer waiting');
    return succeed(token, output);
  };
  const waiting = openCase('case-1', {
    status: 'awaiting-acknowledgement',
    assignedTo: OFFICER,
    openTask: open,
  });
  await store.create(
    { ...waiting, deadlines: deriveDeadlines(policy, waiting) },
    { at: '2026-03-02T09:00:00.000Z', type: 'received', actor: 'resident' },
  );
});

describe('an officer deciding as the clock finds the wait’s deadline passed', () => {
  it('has the decision handed over by the wait entered again, not left behind by the escalation', async () => {
    const officer = officerDecidesAsTheClockActs(acknowledgeThroughLink);

    await clock(deps(), clockState);

    expect(officer.outcome).toMatchObject({ status: 'fulfilled', value: { reference: expect.any(String) } });
    // The workflow goes back to the wait, whose step hands the decision over: no escalation.
    expect(workflows.failed).toEqual([]);
    expect(workflows.succeeded).toEqual([
      { taskToken: clockState.taskToken, output: expect.objectContaining({ due: 'none' }) },
    ]);
    await requestTask(deps(), {
      caseId: 'case-1',
      task: 'acknowledge',
      taskToken: 'token-of-the-wait-entered-again',
      lastTaskId: 'none',
      step: { execution: EXECUTION, state: 'Await acknowledgement', enteredAt: '2026-03-10T00:00:03.000Z' },
    });
    const c = await store.get('case-1');
    expect(workflows.succeeded.at(-1)).toEqual({
      taskToken: 'token-of-the-wait-entered-again',
      output: { decision: 'acknowledge', taskId: open.taskId },
    });
    expect(c?.pendingDecision).toBeUndefined();
    expect(c?.openTask).toBeUndefined();
  });

  it('closes the task before it leaves the wait, so a decision after that is told the task is done', async () => {
    const officer = officerDecidesAsTheClockActs(acknowledgeThroughLink, 'answer');

    await clock(deps(), clockState);

    expect(workflows.failed.map((f) => [f.taskToken, f.error])).toEqual([
      [clockState.taskToken, 'DeadlinePassedError'],
    ]);
    // Not "recorded": nothing would ever hand the decision to the workflow, gone to the escalation.
    expect(officer.outcome).toMatchObject({ status: 'rejected', reason: expect.any(TaskAlreadyDoneError) });
    const c = await store.get('case-1');
    expect(c?.pendingDecision).toBeUndefined();
    expect(c?.openTask).toBeUndefined();
    expect(c?.progress.stage1.acknowledgedAt).toBeUndefined();
  });
});

import { beforeEach, describe, expect, it } from 'vitest';
import { TaskTokenInvalidError } from '../../functions/adapters/errors.js';
import { effectSlot } from '../../functions/app/effects.js';
import { requestTask, type StepDeps } from '../../functions/app/steps.js';
import { actOnTask } from '../../functions/app/tasks.js';
import type { CaseRecord } from '../../functions/domain/case.js';
import { formToken, signLink } from '../../functions/domain/links.js';
import { loadPolicy } from '../../functions/domain/policy.js';
import type { CaseChange } from '../../functions/domain/ports.js';
import { ACKNOWLEDGE } from '../support/acknowledge.js';
import { again } from '../support/acknowledgement-entry.js';
import { RecordingWorkflows } from '../support/fake-workflows.js';
import { MemoryCaseStore } from '../support/memory-store.js';
import { openCase } from '../support/open-case.js';
import { stepDeps } from '../support/step-deps.js';

/**
 * An officer deciding while the workflow enters the task's wait again (a restart, a retry): the
 * entry has read the case, and writes its token there after the decision. The officer handed the
 * decision over with the token the case held (the earlier entry's, which Step Functions refuses as
 * a wait that is over) and was told it is recorded; the entry must not open the task over it, and
 * must hand it over itself. Met first in `npm start` killed between SES taking the task's email
 * and the case recording it: the case waited for ever with its decision pending.
 */

const policy = loadPolicy('lgsco-code-2024');
const SECRET = 'secret';
const OFFICER = 'waste.team@example.gov.uk';
const NEW_OFFICER = 'planning.feedback@example.gov.uk';
/** The key of the entry before the restart, whose task email SES took. */
const FIRST_KEY = 'first-entry-key';
const now = () => new Date('2026-03-02T10:00:00.000Z');

let store: MemoryCaseStore;
let workflows: RecordingWorkflows;
let sent: string[];

function deps(): StepDeps {
  return stepDeps({
    store,
    policy,
    now,
    workflows,
    linkSecret: async () => SECRET,
    send: async (_c, template) => {
      sent.push(String(template));
      return { messageId: `m-${sent.length}` };
    },
  });
}

/** The acknowledgement task an earlier entry opened, with that entry's token. */
function earlierTask(
  officer: string,
  issuedAt = '2026-03-02T09:00:00.100Z',
): NonNullable<CaseRecord['openTask']> {
  return {
    taskId: FIRST_KEY,
    name: 'acknowledge',
    officer,
    taskToken: 'token-of-the-first-entry',
    issuedAt,
  };
}

/** The officer's link to the earlier task, as emailed. */
function linkFor(open: NonNullable<CaseRecord['openTask']>): string {
  return signLink(
    {
      c: 'case-1',
      t: open.taskId,
      a: open.name,
      o: open.officer,
      e: Math.floor(Date.parse('2026-12-01') / 1000),
    },
    SECRET,
  );
}

/** The officer acknowledging through the link. */
function acknowledgeThrough(open: NonNullable<CaseRecord['openTask']>) {
  const link = linkFor(open);
  return actOnTask({ store, workflows, policy, now, linkSecrets: async () => [SECRET] }, link, {
    csrf: formToken(link, SECRET),
    ...ACKNOWLEDGE,
  });
}

/**
 * Runs `officer` (to its end) just before the step's first write that `isStepWrite` picks out: the
 * step read the case before the officer decided, and writes after.
 */
function officerDecidesBefore(isStepWrite: (change: CaseChange) => boolean, officer: () => Promise<unknown>) {
  const write = store.update.bind(store);
  const decided: { answer?: unknown } = {};
  store.update = async (caseId, version, change, expected) => {
    if (isStepWrite(change)) {
      store.update = write;
      decided.answer = await officer();
    }
    return write(caseId, version, change, expected);
  };
  return decided;
}

/** Step Functions: the earlier entry's token belongs to a wait that is over. */
function earlierTokenRefused(): void {
  const succeed = workflows.sendTaskSuccess.bind(workflows);
  workflows.sendTaskSuccess = async (token, output) => {
    if (token === 'token-of-the-first-entry')
      throw new TaskTokenInvalidError('TaskTimedOut: no longer waiting');
    return succeed(token, output);
  };
}

/**
 * The decision handed over once, to the entry's own token, and settled; the task closed; the
 * task's email recorded `emailsRecorded` times.
 */
async function expectHandedOverOnce(emailsRecorded: number): Promise<void> {
  expect(await outcome()).toEqual({
    openTask: undefined,
    pendingDecision: undefined,
    handedTo: [['token-of-the-second-entry', 'acknowledge']],
    decided: 1,
    delivered: 1,
    emailsRecorded,
  });
}

/** What the case ends with, in the terms that matter here. */
async function outcome() {
  const c = await store.get('case-1');
  const events = await store.events('case-1');
  const count = (type: string) => events.filter((e) => e.type === type).length;
  return {
    openTask: c?.openTask,
    pendingDecision: c?.pendingDecision,
    handedTo: workflows.succeeded.map((s) => [s.taskToken, s.output.decision]),
    decided: count('task-done'),
    delivered: count('decision-delivered'),
    emailsRecorded: count('email-sent'),
  };
}

beforeEach(() => {
  store = new MemoryCaseStore();
  workflows = new RecordingWorkflows();
  sent = [];
  earlierTokenRefused();
});

describe('an officer deciding while the workflow enters the wait again', () => {
  it('is handed over by the entry that records the task’s email from SES’s word after the decision', async () => {
    const open = earlierTask(OFFICER);
    await store.create(
      openCase('case-1', {
        assignedTo: OFFICER,
        openTask: open,
        effects: {
          [effectSlot(again.step)]: { key: FIRST_KEY, status: 'started', at: '2026-03-02T09:00:00.100Z' },
        },
      }),
      { at: '2026-03-02T08:59:00.000Z', type: 'received', actor: 'resident' },
    );
    await store.appendEvent('case-1', {
      at: '2026-03-02T09:00:01.000Z',
      type: 'email-accepted',
      actor: 'system',
      detail: { effect: FIRST_KEY, messageId: 'ses-message-1', template: 'officer-task' },
    });
    const officer = officerDecidesBefore(
      (change) => change.event?.type === 'email-sent',
      () => acknowledgeThrough(open),
    );

    const result = await requestTask(deps(), again);

    expect(officer.answer).toMatchObject({ reference: expect.any(String) });
    expect(result).toEqual({ taskId: FIRST_KEY });
    await expectHandedOverOnce(1);
    expect(sent).toEqual([]);
  });

  it('emails nobody and hands the decision over when the task was reassigned and its first officer decided as it was reopened', async () => {
    const open = earlierTask(OFFICER);
    await store.create(openCase('case-1', { assignedTo: NEW_OFFICER, openTask: open }), {
      at: '2026-03-02T08:59:00.000Z',
      type: 'received',
      actor: 'resident',
    });
    // The entry opens the task for the new officer before emailing them: that write comes after
    // the first officer's decision.
    const officer = officerDecidesBefore(
      (change) => (change.set?.openTask as { officer?: string } | undefined)?.officer === NEW_OFFICER,
      () => acknowledgeThrough(open),
    );

    const result = await requestTask(deps(), again);

    expect(officer.answer).toMatchObject({ reference: expect.any(String) });
    expect(result).toEqual({ taskId: FIRST_KEY });
    expect(sent).toEqual([]);
    await expectHandedOverOnce(0);
  });

  it('records the fresh link it sent after a long wait without reopening a task decided meanwhile', async () => {
    // Issued 115 days ago: the link runs out within days, so the entry emails a fresh one.
    const open = earlierTask(OFFICER, '2025-11-07T10:00:00.000Z');
    await store.create(openCase('case-1', { assignedTo: OFFICER, openTask: open }), {
      at: '2025-11-07T09:59:00.000Z',
      type: 'received',
      actor: 'resident',
    });
    const officer = officerDecidesBefore(
      (change) => change.event?.type === 'email-sent',
      () => acknowledgeThrough(open),
    );

    await requestTask(deps(), again);

    expect(officer.answer).toMatchObject({ reference: expect.any(String) });
    expect(sent).toEqual(['officer-task']);
    await expectHandedOverOnce(1);
  });
});

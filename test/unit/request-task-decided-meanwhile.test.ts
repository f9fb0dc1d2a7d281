import { beforeEach, describe, expect, it } from 'vitest';
import { TaskTokenInvalidError, ThrottledError } from '../../functions/adapters/errors.js';
import { effectSlot } from '../../functions/app/effects.js';
import { reassign } from '../../functions/app/staff-actions.js';
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
import { staffActionDeps } from '../support/staff-action-deps.js';
import { TEAM } from '../support/staff-members.js';
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
 * The decision handed over once, to `token` (the entry's own), and settled; the task closed; the
 * task's email recorded `emailsRecorded` times.
 */
async function expectHandedOverOnce(emailsRecorded: number, token = again.taskToken): Promise<void> {
  expect(await outcome()).toEqual({
    openTask: undefined,
    pendingDecision: undefined,
    handedTo: [[token, 'acknowledge']],
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

/**
 * The officer deciding through the link the entry has just emailed, before the entry records the
 * email: the task is open from before the email goes (with this entry's token, which the officer's
 * request hands the decision to), so a quick officer, or an entry slowed between SES and the
 * table, decides it first.
 */
describe('an officer deciding through the link the entry has just emailed, before the entry records it', () => {
  const firstEntry = { ...again, taskToken: 'token-of-this-entry' };

  /** Step Functions takes a token once: a second hand-over to it is refused as a wait that is over. */
  function tokensTakenOnce(): void {
    const used = new Set<string>();
    const succeed = workflows.sendTaskSuccess.bind(workflows);
    workflows.sendTaskSuccess = async (token, output) => {
      if (used.has(token)) throw new TaskTokenInvalidError('TaskTimedOut: the task was already completed');
      used.add(token);
      return succeed(token, output);
    };
  }

  /** The officer acting on the task as the entry's email goes (`whenSent` runs inside SES's send). */
  function depsSending(whenSent: () => Promise<void>): StepDeps {
    return {
      ...deps(),
      send: async () => {
        await whenSent();
        return { messageId: 'ses-message-1' };
      },
    };
  }

  async function openedNow(): Promise<NonNullable<CaseRecord['openTask']>> {
    const open = (await store.get('case-1'))?.openTask;
    if (!open) throw new Error('the entry opens the task before its email goes');
    return open;
  }

  beforeEach(async () => {
    tokensTakenOnce();
    await store.create(openCase('case-1', { assignedTo: OFFICER, status: 'awaiting-acknowledgement' }), {
      at: '2026-03-02T08:59:00.000Z',
      type: 'received',
      actor: 'resident',
    });
  });

  it('does not open the task again over the decision the officer has handed over and settled', async () => {
    let answer: unknown;
    const sending = depsSending(async () => {
      answer = await acknowledgeThrough(await openedNow());
    });

    await requestTask(sending, firstEntry);

    expect(answer).toMatchObject({ reference: expect.any(String) });
    await expectHandedOverOnce(1, 'token-of-this-entry');
  });

  it('takes the officer’s hand-over to its own token as done, when the decision is not yet settled', async () => {
    // The officer's request has handed the decision over and is about to settle it.
    let handed = () => {};
    const handedOver = new Promise<void>((resolve) => {
      handed = resolve;
    });
    let entryDone = () => {};
    const entryFinished = new Promise<void>((resolve) => {
      entryDone = resolve;
    });
    const succeed = workflows.sendTaskSuccess.bind(workflows);
    let first = true;
    workflows.sendTaskSuccess = async (token, output) => {
      await succeed(token, output);
      if (!first) return;
      first = false;
      handed();
      await entryFinished;
    };
    let officer: Promise<unknown> = Promise.resolve();
    const sending = depsSending(async () => {
      const open = await openedNow();
      officer = acknowledgeThrough(open);
      await handedOver;
    });

    const entry = await Promise.allSettled([requestTask(sending, firstEntry)]);
    entryDone();

    expect(entry).toEqual([{ status: 'fulfilled', value: { taskId: expect.any(String) } }]);
    expect(await officer).toMatchObject({ reference: expect.any(String) });
    await expectHandedOverOnce(1, 'token-of-this-entry');
  });
});

describe('a retry of the entry that set out to hand a decision over, whose wait timed out first', () => {
  it('leaves the decision for the wait entered after the timeout, rather than settling it unheard', async () => {
    const open = earlierTask(OFFICER);
    await store.create(openCase('case-1', { assignedTo: OFFICER, openTask: open }), {
      at: '2026-03-02T08:59:00.000Z',
      type: 'received',
      actor: 'resident',
    });
    // The officer decided as the earlier wait timed out: the decision waits on the case.
    await acknowledgeThrough(open);
    const refused = workflows.sendTaskSuccess.bind(workflows);
    workflows.sendTaskSuccess = async (token, output) => {
      // The entry's first attempt: Step Functions is not answering.
      if (token === again.taskToken) throw new ThrottledError('Rate exceeded');
      // Its retry came after the wait's timeout (a slow step, a sped-up local clock): over.
      if (token === 'token-of-the-retry') throw new TaskTokenInvalidError('TaskTimedOut: no longer waiting');
      return refused(token, output);
    };
    await expect(requestTask(deps(), again)).rejects.toBeInstanceOf(ThrottledError);

    await requestTask(deps(), { ...again, taskToken: 'token-of-the-retry' });

    // The workflow heard nothing: the decision still waits for it, and the wait entered after the
    // timeout (through the clock, which finds it waiting) hands it over.
    expect((await store.get('case-1'))?.pendingDecision).toMatchObject({ taskId: FIRST_KEY });
    await requestTask(deps(), {
      ...again,
      taskToken: 'token-after-the-timeout',
      step: { ...again.step, enteredAt: '2026-03-02T10:05:00.000Z' },
    });
    await expectHandedOverOnce(0, 'token-after-the-timeout');
  });
});

describe('a task handed to another officer in the workspace as the entry sends a fresh link after a long wait', () => {
  it('keeps the task with the new officer, with the entry’s token', async () => {
    // A social care acknowledgement (its form cannot send it on: the workspace hands the task
    // itself over), issued 115 days ago: the link runs out within days.
    const open = earlierTask(OFFICER, '2025-11-07T10:00:00.000Z');
    const c = openCase('case-1', { kind: 'social-care', assignedTo: OFFICER, openTask: open });
    await store.create(c, { at: '2025-11-07T09:59:00.000Z', type: 'received', actor: 'resident' });
    const to = policy.routing.complaintsTeam;
    const staff = staffActionDeps({ store, workflows, policy, now, secret: SECRET });
    const handed = officerDecidesBefore(
      (change) => change.event?.type === 'email-sent',
      () => reassign(staff, TEAM, c.reference, to),
    );

    await requestTask(deps(), again);

    expect(handed.answer).toMatchObject({ message: expect.stringContaining(to) });
    expect(await store.get('case-1')).toMatchObject({
      assignedTo: to,
      openTask: { taskId: FIRST_KEY, officer: to, taskToken: again.taskToken },
    });
  });
});

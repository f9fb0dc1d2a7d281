import { beforeEach, describe, expect, it } from 'vitest';
import { TaskTokenInvalidError } from '../../functions/adapters/errors.js';
import { changeService } from '../../functions/app/staff-actions.js';
import {
  type CaseLifeDeps,
  designateVexatious,
  reviewDesignation,
} from '../../functions/app/staff-case-actions.js';
import { requestTask } from '../../functions/app/steps.js';
import { actOnTask } from '../../functions/app/tasks.js';
import type { CaseRecord } from '../../functions/domain/case.js';
import { ConcurrentActionError, TaskAlreadyDoneError } from '../../functions/domain/errors.js';
import { formToken, signLink } from '../../functions/domain/links.js';
import { loadPolicy } from '../../functions/domain/policy.js';
import type { Policy } from '../../functions/domain/policy-schema.js';
import type { CaseChange } from '../../functions/domain/ports.js';
import { httpErrorOf, ValidationError } from '../../functions/http/errors.js';
import { ACKNOWLEDGE } from '../support/acknowledge.js';
import { RecordingWorkflows } from '../support/fake-workflows.js';
import { MemoryArchive } from '../support/memory-archive.js';
import { MemoryArchiveControl } from '../support/memory-archive-control.js';
import { MemoryCaseStore } from '../support/memory-store.js';
import { openCase } from '../support/open-case.js';
import { staffActionDeps } from '../support/staff-action-deps.js';
import { NOMINATED, TEAM } from '../support/staff-members.js';
import { stepDeps } from '../support/step-deps.js';

/**
 * An officer's decision that loses its write is taken again on the case as it is now only when
 * the write that won was the workflow's bookkeeping (`decideOnTask`). These interleave writes
 * that were someone else acting on the task, and the same officer's form sent twice; then the
 * workspace's designation and move, each one write with the task's decision, with a link deciding
 * around them, and the moments around that write when no task is open (a decision just taken and
 * not yet followed by the workflow's next task, or not yet passed to the workflow).
 */

const basePolicy = loadPolicy('lgsco-code-2024');
let policy = basePolicy;
const SECRET = 'current-secret-0123456789abcdef0123456789';
const NOMINATED_BOX = 'customer.relations.manager@example.gov.uk';
const now = () => new Date('2026-03-03T10:00:00Z');

const EXECUTION = 'arn:aws:states:eu-west-2:000000000000:execution:complaint:case-1';
const highways = basePolicy.routing.services.find((s) => s.id === 'highways');
const oldBox = basePolicy.routing.services.find((s) => s.id === 'waste-recycling')?.mailbox as string;
/** The acknowledgement, waiting on the waste team's mailbox. */
const acknowledge = {
  taskId: 'task-a',
  name: 'acknowledge' as const,
  officer: oldBox,
  taskToken: 'token-a',
  issuedAt: '2026-03-02T09:00:01.000Z',
};

/** A case waiting on its acknowledgement (the workflow's first task). */
function awaitingAcknowledgement(
  openTask: CaseRecord['openTask'],
  extra: Partial<CaseRecord> = {},
): CaseRecord {
  return record(openTask, {
    status: 'awaiting-acknowledgement',
    progress: { stage1: { startedAt: '2026-03-02T09:00:00.000Z' } },
    ...extra,
  });
}

let store: MemoryCaseStore;
let workflows: RecordingWorkflows;
let sent: string[];

function record(openTask: CaseRecord['openTask'], extra: Partial<CaseRecord> = {}): CaseRecord {
  return openCase('case-1', {
    status: 'awaiting-decision',
    summary: 'My bin was missed',
    deadlines: {},
    progress: {
      stage1: { startedAt: '2026-03-02T09:00:00.000Z', acknowledgedAt: '2026-03-02T10:00:00.000Z' },
    },
    version: 3,
    ...(openTask ? { openTask } : {}),
    ...extra,
  });
}

function linkFor(open: NonNullable<CaseRecord['openTask']>): string {
  return signLink(
    {
      c: 'case-1',
      t: open.taskId,
      a: open.name,
      o: open.officer.toLowerCase(),
      e: Math.floor(Date.parse('2026-06-01T00:00:00Z') / 1000),
    },
    SECRET,
  );
}

const taskDeps = () => ({ store, workflows, policy, now, linkSecrets: async () => [SECRET] });

function lifeDeps(): CaseLifeDeps {
  return {
    store,
    archive: new MemoryArchive(),
    control: new MemoryArchiveControl(),
    workflows,
    policy,
    now,
    linkSecrets: async () => [SECRET],
    send: async (_c, template) => {
      sent.push(String(template));
      return { messageId: `m-${sent.length}` };
    },
  };
}

function staffDeps(): Parameters<typeof changeService>[0] {
  return staffActionDeps({ store, workflows, policy, now, secret: SECRET });
}

/** A promise and its resolver. */
function gate(): { wait: Promise<void>; open: () => void } {
  let open = () => {};
  const wait = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { wait, open };
}

/** The task's decision, written by `actor`. */
const decisionBy = (actor: string) => (change: CaseChange) =>
  change.event?.type === 'task-done' && change.event.actor === actor;

/**
 * The link's first decision write (by `linkOfficer`) waits until the workspace's decision (by
 * `staff`) is written, and the workspace's waits until the link's has come to write: the link read
 * the case before the workspace wrote, and writes after it. Each side opens its gate when it ends,
 * so a side that never writes cannot hold the other.
 */
function linkWritesAfter(
  linkOfficer: string,
  staff: string,
): { linkWriting: ReturnType<typeof gate>; workspaceWrote: ReturnType<typeof gate> } {
  const linkWriting = gate();
  const workspaceWrote = gate();
  const write = store.update.bind(store);
  let linkWrites = 0;
  store.update = async (caseId, version, change, expected) => {
    if (decisionBy(linkOfficer)(change) && linkWrites++ === 0) {
      linkWriting.open();
      await workspaceWrote.wait;
    }
    const workspace = decisionBy(staff)(change);
    if (workspace) await linkWriting.wait;
    const result = await write(caseId, version, change, expected);
    if (workspace) workspaceWrote.open();
    return result;
  };
  return { linkWriting, workspaceWrote };
}

beforeEach(() => {
  store = new MemoryCaseStore();
  workflows = new RecordingWorkflows();
  policy = basePolicy;
  sent = [];
});

describe('decideOnTask retry: a write that was someone else acting on the task', () => {
  it('does not take the emailed "do not designate" over a designation the nominated officer just made in the workspace', {
    timeout: 5000,
  }, async () => {
    const open = {
      taskId: 'task-v',
      name: 'vexatious-decision' as const,
      officer: NOMINATED_BOX,
      taskToken: 'token-v',
      issuedAt: '2026-03-02T09:00:01.000Z',
    };
    await store.create(record(open), { at: '2026-03-02T09:00:00.000Z', type: 'received', actor: 'resident' });
    const token = linkFor(open);

    // Interleaving: the link's POST reads the case (v3) and comes to write; the workspace's one
    // write (v4: the designation and its decision) goes first; the link's write on v3 is refused.
    const { linkWriting, workspaceWrote: designated } = linkWritesAfter(NOMINATED_BOX, NOMINATED.email);

    const viaLink = actOnTask(taskDeps(), token, {
      csrf: formToken(token, SECRET),
      decision: 'do-not-designate',
      reason: 'Not persistent enough',
    }).finally(linkWriting.open);
    const inWorkspace = designateVexatious(lifeDeps(), NOMINATED, 'CMP-2026-000001', {
      designationReason: 'Forty emails a day',
      restrictions: ['single-contact'],
      reviewDay: '1',
      reviewMonth: '6',
      reviewYear: '2026',
    }).finally(designated.open);
    const [link, workspace] = await Promise.allSettled([viaLink, inWorkspace]);

    const after = (await store.get('case-1')) as CaseRecord;
    const decisions = workflows.succeeded.map((s) => s.output.decision);
    // Whatever order wins, the case and the workflow must agree: a designation recorded on the
    // case (and read by intake) with the workflow told "do not designate" and no letter sent
    // is the state the retry produces.
    const designationStands = after.designation !== undefined && after.designation.liftedAt === undefined;
    expect({ designationStands, decisions, letters: sent }).not.toEqual({
      designationStands: true,
      decisions: ['do-not-designate'],
      letters: [],
    });
    // As before decisions were retried: the link lost with a 409 and the workspace's decision went to the workflow.
    expect(link.status).toBe('rejected');
    expect((link as PromiseRejectedResult).reason).toBeInstanceOf(ConcurrentActionError);
    expect(workspace.status).toBe('fulfilled');
    expect(decisions).toEqual(['designate']);
  });

  it('does not let the old team reassign to its own officer a case just moved to another service', {
    timeout: 5000,
  }, async () => {
    const waste = policy.routing.services.find((s) => s.id === 'waste-recycling');
    const other = policy.routing.services.find((s) => s.id !== 'waste-recycling' && s.mailbox);
    expect(waste?.mailbox).toBeDefined();
    expect(other).toBeDefined();
    const oldBox = waste?.mailbox as string;
    const open = {
      taskId: 'task-r',
      name: 'respond' as const,
      officer: oldBox,
      taskToken: 'token-r',
      issuedAt: '2026-03-02T09:00:01.000Z',
    };
    await store.create(record(open, { status: 'investigating', assignedTo: oldBox }), {
      at: '2026-03-02T09:00:00.000Z',
      type: 'received',
      actor: 'resident',
    });
    const token = linkFor(open);
    // Interleaving: the link's POST reads the case and comes to write; the workspace's one write
    // (the move and the hand-over) goes first; the link's write is refused.
    const { linkWriting, workspaceWrote: moved } = linkWritesAfter(oldBox, TEAM.email);
    const viaLink = actOnTask(taskDeps(), token, {
      csrf: formToken(token, SECRET),
      decision: 'reassign',
      reassignTo: 'waste.manager@example.gov.uk',
    }).finally(linkWriting.open);
    const inWorkspace = changeService(staffDeps(), TEAM, 'CMP-2026-000001', other?.id).finally(moved.open);
    const [link, workspace] = await Promise.allSettled([viaLink, inWorkspace]);
    const after = (await store.get('case-1')) as CaseRecord;
    // As before decisions were retried: the link lost (409) and the task went to the new service's mailbox.
    expect(after.service).toBe(other?.id);
    expect(link.status === 'rejected' ? (link.reason as Error).name : 'ok').toBe('ConcurrentActionError');
    expect(workspace.status).toBe('fulfilled');
    expect(after.assignedTo).toBe(other?.mailbox);
  });
});

describe('decideOnTask retry: the same officer twice', () => {
  it('records a conversation once when the same form is sent twice at the same moment', {
    timeout: 5000,
  }, async () => {
    const token = await taskWaiting('respond');
    const body = { csrf: formToken(token, SECRET), decision: 'record-contact', contactNote: 'Rang Ada' };
    // Both requests read the case before either writes (a double click).
    bothReadFirst();
    const results = await Promise.allSettled([
      actOnTask(taskDeps(), token, body),
      actOnTask(taskDeps(), token, body),
    ]);
    const after = (await store.get('case-1')) as CaseRecord;
    const events = (await store.events('case-1')).filter((e) => e.type === 'contact-with-resident');
    // A page from before the one-off id: one recorded, the other told someone else acted (409).
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(after.notes ?? []).toHaveLength(1);
    expect(events).toHaveLength(1);
  });

  it('records a conversation of one page once when its form is sent twice at the same moment, answering both as recorded', {
    timeout: 5000,
  }, async () => {
    // Prepare: the respond task open, and its page's form with its one-off id.
    const token = await taskWaiting('respond');
    const body = {
      csrf: formToken(token, SECRET),
      formId: 'a7f1c1a2-3c4d-4e5f-8a9b-0c1d2e3f4a5b',
      decision: 'record-contact',
      contactNote: 'Rang Ada',
    };
    bothReadFirst();

    // Act: a double click; both requests read the case before either writes.
    const results = await Promise.allSettled([
      actOnTask(taskDeps(), token, body),
      actOnTask(taskDeps(), token, body),
    ]);

    // Assess: both answered as the first was, the conversation recorded once.
    const [first, second] = results.map(outcomeOf);
    expect(first).toMatch(/^The conversation is recorded on the case/);
    expect(second).toBe(first);
    const after = (await store.get('case-1')) as CaseRecord;
    expect(after.notes ?? []).toHaveLength(1);
    expect((await store.events('case-1')).filter((e) => e.type === 'contact-with-resident')).toHaveLength(1);
  });

  it('answers the same decision sent twice at the same moment as the first, telling the workflow once', {
    timeout: 5000,
  }, async () => {
    // Prepare: the acknowledgement waiting on the link's officer.
    const token = await taskWaiting('acknowledge');
    const body = { csrf: formToken(token, SECRET), ...ACKNOWLEDGE };
    bothReadFirst();
    workflows.tokensTakenOnce = true;

    // Act: a double click with no script; both requests read the case before either writes.
    const results = await Promise.allSettled([
      actOnTask(taskDeps(), token, body),
      actOnTask(taskDeps(), token, body),
    ]);

    // Assess: not "someone else acted" for the second, but the first's answer; one decision.
    const [first, second] = results.map(outcomeOf);
    expect(first).toMatch(/acknowledg/i);
    expect(second).toBe(first);
    expect((await store.events('case-1')).filter((e) => e.type === 'task-done')).toHaveLength(1);
    expect(workflows.succeeded).toHaveLength(1);
  });

  it('still tells the second of two different decisions sent at the same moment that it lost (409)', {
    timeout: 5000,
  }, async () => {
    const token = await taskWaiting('acknowledge');
    const csrf = formToken(token, SECRET);
    bothReadFirst();
    workflows.tokensTakenOnce = true;

    const results = await Promise.allSettled([
      actOnTask(taskDeps(), token, { csrf, ...ACKNOWLEDGE }),
      actOnTask(taskDeps(), token, { csrf, decision: 'resolve', response: 'Sorted on the phone.' }),
    ]);

    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(httpErrorOf(refused.reason)?.statusCode).toBe(409);
    expect((await store.events('case-1')).filter((e) => e.type === 'task-done')).toHaveLength(1);
    expect(workflows.succeeded).toHaveLength(1);
  });
});

/**
 * A case whose `name` task waits on its officer's link (the respond task of a case being
 * investigated, or the acknowledgement of one just received); the link.
 */
async function taskWaiting(name: 'respond' | 'acknowledge'): Promise<string> {
  const open =
    name === 'respond'
      ? { taskId: 'task-c', name, officer: 'waste.team@example.gov.uk', taskToken: 'token-c' }
      : { taskId: 'task-a', name, officer: 'waste.feedback@example.gov.uk', taskToken: 'token-a' };
  const task = { ...open, issuedAt: '2026-03-02T09:00:01.000Z' };
  const status = name === 'respond' ? 'investigating' : 'awaiting-acknowledgement';
  await store.create(record(task, { status }), {
    at: '2026-03-02T09:00:00.000Z',
    type: 'received',
    actor: 'resident',
  });
  return linkFor(task);
}

/** The first two reads of a case wait for each other: two requests that read it before either writes. */
function bothReadFirst(): void {
  const read = store.get.bind(store);
  const bothRead = gate();
  let reads = 0;
  store.get = async (id) => {
    const r = await read(id);
    if (++reads === 2) bothRead.open();
    if (reads <= 2) await bothRead.wait;
    return r;
  };
}

/** A settled decision's message, or the name of what refused it. */
function outcomeOf(result: PromiseSettledResult<{ message: string }>): string {
  return result.status === 'fulfilled' ? result.value.message : String(result.reason);
}

describe('decideOnTask retry: what the retry itself must get right', () => {
  const open = {
    taskId: 'task-a',
    name: 'acknowledge' as const,
    officer: 'waste.feedback@example.gov.uk',
    taskToken: 'token-old',
    issuedAt: '2026-03-02T09:00:01.000Z',
  };

  beforeEach(async () => {
    await store.create(record(open, { status: 'awaiting-acknowledgement' }), {
      at: '2026-03-02T09:00:00.000Z',
      type: 'received',
      actor: 'resident',
    });
  });

  it('hands the decision to the wait entered since (its new token), once', { timeout: 5000 }, async () => {
    const token = linkFor(open);
    const write = store.update.bind(store);
    let raced = false;
    store.update = async (caseId, version, change, expected) => {
      if (!raced) {
        raced = true;
        // The workflow enters the wait again (a clock wake-up): same task, same officer, new token.
        const c = (await store.get(caseId)) as CaseRecord;
        await write(caseId, c.version, {
          set: { openTask: { ...open, taskToken: 'token-new', issuedAt: '2026-03-03T09:59:59.000Z' } },
          event: { at: '2026-03-03T09:59:59.000Z', type: 'task-reopened', actor: 'workflow' },
        });
      }
      return write(caseId, version, change, expected);
    };
    await actOnTask(taskDeps(), token, { csrf: formToken(token, SECRET), ...ACKNOWLEDGE });
    expect(raced).toBe(true);
    expect(workflows.succeeded).toEqual([
      { taskToken: 'token-new', output: { decision: 'acknowledge', taskId: 'task-a' } },
    ]);
    expect((await store.events('case-1')).filter((e) => e.type === 'task-done')).toHaveLength(1);
  });

  it('gives up with a 409 after five lost writes, having written nothing', { timeout: 5000 }, async () => {
    const token = linkFor(open);
    const write = store.update.bind(store);
    let lost = 0;
    store.update = async (caseId, version, change, expected) => {
      if (change.event?.type === 'task-done') {
        lost++;
        const c = (await store.get(caseId)) as CaseRecord;
        await write(caseId, c.version, { set: { effects: { [`slot-${lost}`]: {} as never } } });
      }
      return write(caseId, version, change, expected);
    };
    await expect(
      actOnTask(taskDeps(), token, { csrf: formToken(token, SECRET), ...ACKNOWLEDGE }),
    ).rejects.toBeInstanceOf(ConcurrentActionError);
    expect(lost).toBe(5);
    expect(workflows.succeeded).toHaveLength(0);
    expect((await store.get('case-1'))?.openTask?.taskId).toBe('task-a');
    expect((await store.get('case-1'))?.pendingDecision).toBeUndefined();
  });
});

/**
 * Runs `land` once, inside the store's write of the first change `when` picks: before the
 * write (`before`) or after it and before its caller sees it (`after`). Writes `land` makes are
 * not picked again.
 */
function landWhile(
  when: (change: CaseChange) => boolean,
  at: 'before' | 'after',
  land: () => Promise<unknown>,
): () => PromiseSettledResult<unknown> | undefined {
  const write = store.update.bind(store);
  let landed: PromiseSettledResult<unknown> | undefined;
  let picked = false;
  const settle = async () => {
    picked = true;
    const [result] = await Promise.allSettled([land()]);
    landed = result;
  };
  store.update = async (caseId, version, change, expected) => {
    const now = !picked && when(change);
    if (now && at === 'before') await settle();
    const result = await write(caseId, version, change, expected);
    if (now && at === 'after') await settle();
    return result;
  };
  return () => landed;
}

const byNominatedOfficer = (change: CaseChange) => change.event?.actor === NOMINATED.email;

describe('designating in the workspace, with the emailed link deciding around it', () => {
  const vexatious = {
    taskId: 'task-v',
    name: 'vexatious-decision' as const,
    officer: NOMINATED_BOX,
    taskToken: 'token-v',
    issuedAt: '2026-03-02T09:00:01.000Z',
  };
  const designation = {
    designationReason: 'Forty emails a day',
    restrictions: ['single-contact'],
    reviewDay: '1',
    reviewMonth: '6',
    reviewYear: '2026',
  };

  async function doNotDesignate(): Promise<unknown> {
    const token = linkFor(vexatious);
    return actOnTask(taskDeps(), token, {
      csrf: formToken(token, SECRET),
      decision: 'do-not-designate',
      reason: 'Not persistent enough',
    });
  }

  /** The designation on the case and what the workflow was told agree, told once. */
  async function expectDesignationAgrees(): Promise<CaseRecord> {
    const after = (await store.get('case-1')) as CaseRecord;
    const designated = after.designation !== undefined && after.designation.liftedAt === undefined;
    expect(workflows.succeeded.map((s) => s.output.decision)).toEqual([
      designated ? 'designate' : 'do-not-designate',
    ]);
    expect(after.vexatious === true).toBe(designated);
    expect((await store.events('case-1')).filter((e) => e.type === 'task-done')).toHaveLength(1);
    return after;
  }

  beforeEach(async () => {
    await store.create(record(vexatious), {
      at: '2026-03-02T09:00:00.000Z',
      type: 'received',
      actor: 'resident',
    });
  });

  it('designates and decides in one write: a "do not designate" sent after it finds the task done', {
    timeout: 5000,
  }, async () => {
    const link = landWhile(byNominatedOfficer, 'after', doNotDesignate);

    await designateVexatious(lifeDeps(), NOMINATED, 'CMP-2026-000001', designation);

    expect(link()?.status).toBe('rejected');
    expect((link() as PromiseRejectedResult).reason).toBeInstanceOf(TaskAlreadyDoneError);
    const after = await expectDesignationAgrees();
    // The workspace's own designation (its restrictions and review date), with its history entry.
    expect(after.designation).toMatchObject({ restrictions: ['single-contact'], reviewBy: '2026-06-01' });
    const types = (await store.events('case-1')).map((e) => e.type);
    expect(types.slice(-3)).toEqual(['designated-vexatious', 'task-done', 'decision-delivered']);
  });

  it('leaves the complainant undesignated, with a 409, when "do not designate" is written first', {
    timeout: 5000,
  }, async () => {
    const link = landWhile(decisionBy(NOMINATED.email), 'before', doNotDesignate);

    await expect(designateVexatious(lifeDeps(), NOMINATED, 'CMP-2026-000001', designation)).rejects.toSatisfy(
      (error: unknown) => httpErrorOf(error)?.statusCode === 409,
    );

    expect(link()?.status).toBe('fulfilled');
    const after = await expectDesignationAgrees();
    expect(after.designation).toBeUndefined();
    expect((await store.events('case-1')).some((e) => e.type === 'designated-vexatious')).toBe(false);
    expect(sent).toEqual([]);
  });

  it('asks the nominated officer to act again (409), designating nothing, when a referral arrives as they designate', async () => {
    const c = (await store.get('case-1')) as CaseRecord;
    await store.update('case-1', c.version, { remove: ['openTask'] });
    // Read with no referral; the workflow opens the nominated officer's task before the designation is written.
    landWhile(
      (change) => change.event?.type === 'designated-vexatious',
      'before',
      async () => {
        const now = (await store.get('case-1')) as CaseRecord;
        await store.update('case-1', now.version, { set: { openTask: vexatious } });
      },
    );

    await expect(
      designateVexatious(lifeDeps(), NOMINATED, 'CMP-2026-000001', designation),
    ).rejects.toBeInstanceOf(ConcurrentActionError);

    const after = (await store.get('case-1')) as CaseRecord;
    expect(after.designation).toBeUndefined();
    expect(after.openTask).toEqual(vexatious);
    expect(sent).toEqual([]);
  });
  it('does not designate beside a decision on the referral the workflow has not yet been told', async () => {
    // Step Functions is not answering: the link's decision is written on the case, pending.
    const succeed = workflows.sendTaskSuccess.bind(workflows);
    workflows.sendTaskSuccess = async () => {
      const error = new Error('Rate exceeded');
      error.name = 'ThrottlingException';
      throw error;
    };
    const token = linkFor(vexatious);
    const body = { csrf: formToken(token, SECRET), decision: 'do-not-designate', reason: 'Not persistent' };
    await expect(actOnTask(taskDeps(), token, body)).rejects.toSatisfy(
      (error: unknown) => httpErrorOf(error)?.statusCode === 503,
    );
    workflows.sendTaskSuccess = succeed;

    // Meanwhile, in the workspace: no referral is open, so it is a plain designation.
    const designated = await designateVexatious(lifeDeps(), NOMINATED, 'CMP-2026-000001', designation).then(
      () => 'designated',
      (error: unknown) => httpErrorOf(error)?.statusCode,
    );
    // The officer of the link uses it again, as they were told to: the decision is delivered.
    await actOnTask(taskDeps(), token, body);

    const after = (await store.get('case-1')) as CaseRecord;
    const designationStands = after.designation !== undefined && after.designation.liftedAt === undefined;
    const told = workflows.succeeded.map((s) => s.output.decision);
    expect(told).toEqual(['do-not-designate']);
    // The workflow was told "do not designate": the case must not end up designated behind it.
    expect({ designated, designationStands }).toEqual({ designated: 409, designationStands: false });
  });

  it('credits the reasons to the nominated officer who designated, not to the referral’s mailbox', async () => {
    await designateVexatious(lifeDeps(), NOMINATED, 'CMP-2026-000001', designation);

    const after = (await store.get('case-1')) as CaseRecord;
    expect(after.notes?.at(-1)).toEqual(
      expect.objectContaining({ by: NOMINATED.email, text: 'Forty emails a day' }),
    );
    expect(workflows.succeeded.map((s) => s.output.decision)).toEqual(['designate']);
  });
});

describe('moving the case to another service, with the emailed link deciding around it', () => {
  const other = policy.routing.services.find((s) => s.id !== 'waste-recycling' && s.mailbox);

  beforeEach(async () => {
    await store.create(record(acknowledge, { status: 'awaiting-acknowledgement', assignedTo: oldBox }), {
      at: '2026-03-02T09:00:00.000Z',
      type: 'received',
      actor: 'resident',
    });
  });

  function linkDecides(body: Record<string, unknown>): () => Promise<unknown> {
    const token = linkFor(acknowledge);
    return () => actOnTask(taskDeps(), token, { csrf: formToken(token, SECRET), ...body });
  }

  const move = () => changeService(staffDeps(), TEAM, 'CMP-2026-000001', other?.id);

  it('moves the case and hands the task to the new team in one write: a link acting after it finds the task done', {
    timeout: 5000,
  }, async () => {
    const link = landWhile((change) => change.event?.actor === TEAM.email, 'after', linkDecides(ACKNOWLEDGE));

    await move();

    expect(link()?.status).toBe('rejected');
    expect((link() as PromiseRejectedResult).reason).toBeInstanceOf(TaskAlreadyDoneError);
    const after = (await store.get('case-1')) as CaseRecord;
    expect(after.service).toBe(other?.id);
    expect(after.assignedTo).toBe(other?.mailbox);
    expect(workflows.succeeded.map((s) => s.output.decision)).toEqual(['reassign']);
    const types = (await store.events('case-1')).map((e) => e.type);
    expect(types.slice(-3)).toEqual(['service-changed', 'task-done', 'decision-delivered']);
  });

  it('credits the hand-over to the person who moved the case, not to the old team, who did nothing', async () => {
    await move();

    const after = (await store.get('case-1')) as CaseRecord;
    // Under the Code's rule (stage 2 by someone who did not handle stage 1) a team recorded here
    // could never take the complaint at stage 2, though it never saw more than the email.
    expect(after.stage1Handlers).toEqual([TEAM.email]);
    expect(after.stage1Handlers).not.toContain(oldBox);
  });

  it.each([
    ['acknowledges', ACKNOWLEDGE, oldBox],
    [
      'sends it to someone else',
      { decision: 'reassign', reassignTo: 'waste.manager@example.gov.uk' },
      'waste.manager@example.gov.uk',
    ],
  ])(
    'tells the officer (409), having moved nothing, when the link %s first',
    {
      timeout: 5000,
    },
    async (_what, body, assignedTo) => {
      const link = landWhile(decisionBy(TEAM.email), 'before', linkDecides(body));

      await expect(move()).rejects.toSatisfy((error: unknown) => httpErrorOf(error)?.statusCode === 409);

      expect(link()?.status).toBe('fulfilled');
      const after = (await store.get('case-1')) as CaseRecord;
      expect(after.service).toBe('waste-recycling');
      expect(after.assignedTo).toBe(assignedTo);
      expect(workflows.succeeded.map((s) => s.output.decision)).toEqual([body.decision]);
      expect((await store.events('case-1')).some((e) => e.type === 'service-changed')).toBe(false);
    },
  );

  it('moves nothing when the rules refuse the hand-over (stage 2 to the team that handled stage 1)', async () => {
    const c = (await store.get('case-1')) as CaseRecord;
    await store.update('case-1', c.version, {
      set: { stage: 2, stage1Handlers: [other?.mailbox as string] },
    });

    await expect(move()).rejects.toSatisfy(
      (error: unknown) =>
        error instanceof ValidationError &&
        /handled this complaint at stage 1/.test(error.fields.service ?? ''),
    );

    const after = (await store.get('case-1')) as CaseRecord;
    expect(after).toMatchObject({ service: 'waste-recycling', assignedTo: oldBox, openTask: acknowledge });
    expect((await store.events('case-1')).some((e) => e.type === 'service-changed')).toBe(false);
    expect(workflows.succeeded).toEqual([]);
  });

  it('asks the officer to act again (409), moving nothing, when the old team’s task opens as the case moves', async () => {
    const c = (await store.get('case-1')) as CaseRecord;
    await store.update('case-1', c.version, { remove: ['openTask'] });
    // Read with no task; the workflow opens the acknowledgement before the move is written.
    landWhile(
      (change) => change.event?.type === 'service-changed',
      'before',
      async () => {
        const now = (await store.get('case-1')) as CaseRecord;
        await store.update('case-1', now.version, { set: { openTask: acknowledge } });
      },
    );

    await expect(move()).rejects.toBeInstanceOf(ConcurrentActionError);

    const after = (await store.get('case-1')) as CaseRecord;
    expect(after).toMatchObject({ service: 'waste-recycling', openTask: acknowledge });
    expect((await store.events('case-1')).some((e) => e.type === 'service-changed')).toBe(false);
  });
});

/** The workflow opening its next task on the case (the wait after the one decided). */
async function workflowOpens(task: 'acknowledge' | 'respond', lastTaskId: string): Promise<CaseRecord> {
  await requestTask(stepDeps({ store, policy, now, workflows }), {
    caseId: 'case-1',
    task,
    taskToken: `token-${task}-2`,
    lastTaskId,
    step: { execution: EXECUTION, state: `Await ${task}`, enteredAt: '2026-03-03T10:00:01.000Z' },
  });
  return (await store.get('case-1')) as CaseRecord;
}

describe('moving the case to another service when no task is open', () => {
  it('leaves the next task with the new service’s team after the old team acknowledged through its link', async () => {
    await store.create(awaitingAcknowledgement(acknowledge, { assignedTo: oldBox }), {
      at: '2026-03-02T09:00:00.000Z',
      type: 'received',
      actor: 'resident',
    });
    const token = linkFor(acknowledge);
    await actOnTask(taskDeps(), token, { csrf: formToken(token, SECRET), ...ACKNOWLEDGE });
    // The old team acknowledged; before the workflow opens the response task the case is moved
    // (or: the move was refused with a 409 while the link landed, and the officer acted again).
    await changeService(staffDeps(), TEAM, 'CMP-2026-000001', highways?.id);

    const after = await workflowOpens('respond', 'task-a');
    expect(after.service).toBe('highways');
    // The response task goes to the team of the service the case is with, not the old one.
    expect(after.openTask?.officer).toBe(highways?.mailbox);
  });

  it('does not leave the first mover’s team with a case a second officer moved on', async () => {
    // Two officers move the case at once, to different services. The first one's write moves it
    // and hands the task to its new team; the second reads the case after that write, before the
    // workflow reopens the task for the new team, and moves the case again with no task open.
    await store.create(awaitingAcknowledgement(acknowledge, { assignedTo: oldBox }), {
      at: '2026-03-02T09:00:00.000Z',
      type: 'received',
      actor: 'resident',
    });
    await changeService(staffDeps(), TEAM, 'CMP-2026-000001', highways?.id);
    await changeService(staffDeps(), TEAM, 'CMP-2026-000001', 'planning');

    const after = await workflowOpens('acknowledge', 'task-a');
    expect(after.service).toBe('planning');
    expect(after.openTask?.officer).toBe(
      basePolicy.routing.services.find((s) => s.id === 'planning')?.mailbox,
    );
  });
});

describe('moving the case to a service that has no mailbox', () => {
  it('does not leave the open task with the old service’s team', async () => {
    policy = {
      ...basePolicy,
      routing: {
        ...basePolicy.routing,
        services: basePolicy.routing.services.map((s) =>
          s.id === 'highways' ? { ...s, mailbox: undefined } : s,
        ) as Policy['routing']['services'],
      },
    };
    await store.create(awaitingAcknowledgement(acknowledge, { assignedTo: oldBox }), {
      at: '2026-03-02T09:00:00.000Z',
      type: 'received',
      actor: 'resident',
    });
    const moved = await changeService(staffDeps(), TEAM, 'CMP-2026-000001', 'highways').then(
      () => 'moved',
      (error: unknown) => httpErrorOf(error)?.statusCode ?? error,
    );
    const after = (await store.get('case-1')) as CaseRecord;
    // A service without a mailbox is handled by the complaints team, as a new case of it would be.
    expect(moved).toBe('moved');
    expect(after.service).toBe('highways');
    expect(after.openTask).toBeUndefined();
    expect(after.assignedTo).toBe(basePolicy.routing.complaintsTeam);
    expect(workflows.succeeded.map((s) => s.output.decision)).toEqual(['reassign']);
  });
});

describe('two reviews of one designation at the same moment', () => {
  beforeEach(async () => {
    await store.create(
      record(undefined, {
        status: 'closed',
        vexatious: true,
        designation: {
          at: '2026-01-05T10:00:00.000Z',
          by: NOMINATED.email,
          reason: 'Forty emails in ten days.',
          restrictions: ['single-contact'],
          reviewBy: '2026-03-03',
        },
      }),
      { at: '2026-03-02T09:00:00.000Z', type: 'received', actor: 'resident' },
    );
  });

  it('records nothing of a "keep" on a designation the other review lifted as it wrote (409)', async () => {
    const keep = () =>
      reviewDesignation(lifeDeps(), NOMINATED, 'CMP-2026-000001', {
        reviewOutcome: 'keep',
        reviewReason: 'Still emailing daily.',
        reviewDay: '4',
        reviewMonth: '6',
        reviewYear: '2026',
      });
    const lift = landWhile(
      (change) => change.event?.type === 'designation-kept',
      'before',
      () =>
        reviewDesignation(lifeDeps(), NOMINATED, 'CMP-2026-000001', {
          reviewOutcome: 'lift',
          reviewReason: 'Their behaviour has improved.',
        }),
    );

    await expect(keep()).rejects.toSatisfy((error: unknown) => httpErrorOf(error)?.statusCode === 409);

    expect(lift()?.status).toBe('fulfilled');
    const after = (await store.get('case-1')) as CaseRecord;
    expect(after.designation?.reviews?.map((r) => r.outcome)).toEqual(['lifted']);
    expect(after.designation?.reviewBy).toBe('2026-03-03');
    expect(after.vexatious).toBe(false);
  });
});

describe('the same decision sent twice while the first is being handed to the workflow (a double click)', () => {
  const open = {
    taskId: 'task-a',
    name: 'acknowledge' as const,
    officer: 'waste.feedback@example.gov.uk',
    taskToken: 'token-a',
    issuedAt: '2026-03-02T09:00:01.000Z',
  };

  beforeEach(async () => {
    await store.create(record(open, { status: 'awaiting-acknowledgement' }), {
      at: '2026-03-02T09:00:00.000Z',
      type: 'received',
      actor: 'resident',
    });
  });

  it('tells the second request the decision is recorded, not that the case could not move on', {
    timeout: 10_000,
  }, async () => {
    // Prepare: Step Functions takes a token once; the first hand-over is held just after it took it.
    const used = new Set<string>();
    const firstTaken = gate();
    const secondRefused = gate();
    const succeed = workflows.sendTaskSuccess.bind(workflows);
    workflows.sendTaskSuccess = async (taskToken, output) => {
      if (used.has(taskToken)) {
        secondRefused.open();
        throw new TaskTokenInvalidError('sendTaskSuccess: the task was already completed');
      }
      used.add(taskToken);
      await succeed(taskToken, output);
      firstTaken.open();
      await secondRefused.wait;
    };
    const token = linkFor(open);
    const body = { csrf: formToken(token, SECRET), ...ACKNOWLEDGE };

    // Act: the second click comes once the first has handed the decision over, before it settled.
    const first = actOnTask(taskDeps(), token, body);
    await firstTaken.wait;
    const second = actOnTask(taskDeps(), token, body);
    const results = await Promise.allSettled([first, second]);

    // Assess: both answered as recorded; the workflow was told once.
    expect(results.map((r) => (r.status === 'rejected' ? String(r.reason) : 'recorded'))).toEqual([
      'recorded',
      'recorded',
    ]);
    expect(workflows.succeeded).toHaveLength(1);
  });
});

import { beforeEach, describe, expect, it } from 'vitest';
import { changeService } from '../../functions/app/staff-actions.js';
import { type CaseLifeDeps, designateVexatious } from '../../functions/app/staff-case-actions.js';
import { requestTask } from '../../functions/app/steps.js';
import { actOnTask } from '../../functions/app/tasks.js';
import type { CaseRecord } from '../../functions/domain/case.js';
import { formToken, signLink } from '../../functions/domain/links.js';
import { loadPolicy } from '../../functions/domain/policy.js';
import type { Policy } from '../../functions/domain/policy-schema.js';
import { httpErrorOf } from '../../functions/http/errors.js';
import { RecordingWorkflows } from '../support/fake-workflows.js';
import { MemoryArchive } from '../support/memory-archive.js';
import { MemoryStaffStore } from '../support/memory-staff-store.js';
import { MemoryCaseStore } from '../support/memory-store.js';
import { openCase } from '../support/open-case.js';
import { NOMINATED, TEAM } from '../support/staff-members.js';
import { stepDeps } from '../support/step-deps.js';

/**
 * The workspace's designation and move are one write with the open task's decision. These are
 * the moments around that write where no task is open (a decision just taken, not yet followed
 * by the workflow's next task), which the one write does not cover.
 */

const basePolicy = loadPolicy('lgsco-code-2024');
const SECRET = 'current-secret-0123456789abcdef0123456789';
const NOMINATED_BOX = 'customer.relations.manager@example.gov.uk';
const EXECUTION = 'arn:aws:states:eu-west-2:000000000000:execution:complaint:case-1';
const now = () => new Date('2026-03-03T10:00:00Z');

const waste = basePolicy.routing.services.find((s) => s.id === 'waste-recycling');
const highways = basePolicy.routing.services.find((s) => s.id === 'highways');
const oldBox = waste?.mailbox as string;

let store: MemoryCaseStore;
let workflows: RecordingWorkflows;
let policy: Policy;
let sent: string[];

function record(openTask: CaseRecord['openTask'], extra: Partial<CaseRecord> = {}): CaseRecord {
  return openCase('case-1', {
    status: 'awaiting-acknowledgement',
    summary: 'My bin was missed',
    deadlines: {},
    progress: { stage1: { startedAt: '2026-03-02T09:00:00.000Z' } },
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

function staffDeps(): Parameters<typeof changeService>[0] {
  return {
    store,
    staffStore: new MemoryStaffStore(),
    archive: new MemoryArchive(),
    workflows,
    policy,
    now,
    newId: () => 'x',
    linkSecrets: async () => [SECRET],
    send: async () => {},
    baseUrl: 'https://example.test',
  } as unknown as Parameters<typeof changeService>[0];
}

function lifeDeps(): CaseLifeDeps {
  return {
    store,
    archive: new MemoryArchive(),
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

beforeEach(() => {
  store = new MemoryCaseStore();
  workflows = new RecordingWorkflows();
  policy = basePolicy;
  sent = [];
});

describe('moving the case to another service when no task is open', () => {
  const acknowledge = {
    taskId: 'task-a',
    name: 'acknowledge' as const,
    officer: oldBox,
    taskToken: 'token-a',
    issuedAt: '2026-03-02T09:00:01.000Z',
  };

  it('leaves the next task with the new service’s team after the old team acknowledged through its link', async () => {
    await store.create(record(acknowledge, { assignedTo: oldBox }), {
      at: '2026-03-02T09:00:00.000Z',
      type: 'received',
      actor: 'resident',
    });
    const token = linkFor(acknowledge);
    await actOnTask(taskDeps(), token, { csrf: formToken(token, SECRET), decision: 'acknowledge' });
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
    await store.create(record(acknowledge, { assignedTo: oldBox }), {
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
    const acknowledge = {
      taskId: 'task-a',
      name: 'acknowledge' as const,
      officer: oldBox,
      taskToken: 'token-a',
      issuedAt: '2026-03-02T09:00:01.000Z',
    };
    await store.create(record(acknowledge, { assignedTo: oldBox }), {
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

describe('designating while the referral’s "do not designate" waits to reach the workflow', () => {
  it('does not designate beside a decision on the referral the workflow has not yet been told', async () => {
    const vexatious = {
      taskId: 'task-v',
      name: 'vexatious-decision' as const,
      officer: NOMINATED_BOX,
      taskToken: 'token-v',
      issuedAt: '2026-03-02T09:00:01.000Z',
    };
    await store.create(record(vexatious, { status: 'awaiting-decision' }), {
      at: '2026-03-02T09:00:00.000Z',
      type: 'received',
      actor: 'resident',
    });
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
    const designated = await designateVexatious(lifeDeps(), NOMINATED, 'CMP-2026-000001', {
      designationReason: 'Forty emails a day',
      restrictions: ['single-contact'],
      reviewDay: '1',
      reviewMonth: '6',
      reviewYear: '2026',
    }).then(
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
});

describe('designating in the workspace on a referral', () => {
  it('credits the reasons to the nominated officer who designated, not to the referral’s mailbox', async () => {
    const vexatious = {
      taskId: 'task-v',
      name: 'vexatious-decision' as const,
      officer: NOMINATED_BOX,
      taskToken: 'token-v',
      issuedAt: '2026-03-02T09:00:01.000Z',
    };
    await store.create(record(vexatious, { status: 'awaiting-decision' }), {
      at: '2026-03-02T09:00:00.000Z',
      type: 'received',
      actor: 'resident',
    });

    await designateVexatious(lifeDeps(), NOMINATED, 'CMP-2026-000001', {
      designationReason: 'Forty emails a day',
      restrictions: ['single-contact'],
      reviewDay: '1',
      reviewMonth: '6',
      reviewYear: '2026',
    });

    const after = (await store.get('case-1')) as CaseRecord;
    expect(after.notes?.at(-1)).toEqual(
      expect.objectContaining({ by: NOMINATED.email, text: 'Forty emails a day' }),
    );
    expect(workflows.succeeded.map((s) => s.output.decision)).toEqual(['designate']);
  });
});

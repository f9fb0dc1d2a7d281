import { beforeEach, describe, expect, it } from 'vitest';
import { effectKey, effectSlot, SupersededEntryError } from '../../functions/app/effects.js';
import { requestTask, type StepDeps } from '../../functions/app/steps.js';
import type { CaseRecord } from '../../functions/domain/case.js';
import { loadPolicy } from '../../functions/domain/policy.js';
import { RecordingWorkflows } from '../support/fake-workflows.js';
import { MemoryCaseStore } from '../support/memory-store.js';
import { openCase } from '../support/open-case.js';
import { stepDeps } from '../support/step-deps.js';

/**
 * Review of ad91642: a duplicate invocation of a wait's entry reads the case while the original
 * is sending the task email (slot: started), then stalls. The original finishes; the officer
 * reassigns; the workflow enters the same wait again (same execution, same state: one slot) and
 * emails the new officer. The stalled duplicate then resumes from the copy it read.
 */

const OFFICER = 'waste.team@example.gov.uk';
const NEW_OFFICER = 'highways.team@example.gov.uk';
const EXECUTION = 'arn:aws:states:eu-west-2:000000000000:execution:complaint:case-1';
const STATE = 'Await acknowledgement';
const E1 = { execution: EXECUTION, state: STATE, enteredAt: '2026-03-02T09:00:00.000Z' };
const E2 = { execution: EXECUTION, state: STATE, enteredAt: '2026-03-02T11:00:00.000Z' };

let store: MemoryCaseStore;
let workflows: RecordingWorkflows;
let sends: string[];
let stalledRead: CaseRecord | undefined;

function deps(): StepDeps {
  return stepDeps({
    store,
    policy: loadPolicy('lgsco-code-2024'),
    now: () => new Date('2026-03-02T11:00:01.000Z'),
    send: async (c, _template, to) => {
      sends.push(to.join());
      // The duplicate invocation of E1 reads the case now (its email under way), then stalls.
      stalledRead ??= (await store.get(c.caseId)) as CaseRecord;
      return { messageId: `m-${sends.length}` };
    },
    workflows,
  });
}

beforeEach(async () => {
  store = new MemoryCaseStore();
  workflows = new RecordingWorkflows();
  sends = [];
  stalledRead = undefined;
  await store.create(
    { ...openCase('case-1'), assignedTo: OFFICER },
    { at: '2026-03-02T08:59:00.000Z', type: 'received', actor: 'resident' },
  );
});

describe('a stalled duplicate of a wait’s entry, from the copy it read', () => {
  it('leaves the later entry’s open task (new officer, live token) alone', async () => {
    // E1: the task emailed to the officer; SES accepted it (mail-events records that).
    await requestTask(deps(), {
      caseId: 'case-1',
      task: 'acknowledge',
      taskToken: 'T1',
      lastTaskId: 'none',
      step: E1,
    });
    const k1 = effectKey(E1);
    await store.appendEvent('case-1', {
      at: '2026-03-02T09:00:01.000Z',
      type: 'email-accepted',
      actor: 'system',
      detail: { effect: k1, messageId: 'ses-1', template: 'officer-task' },
    });
    expect(stalledRead?.effects?.[effectSlot(E1)]).toMatchObject({ key: k1, status: 'started' });

    // The officer passes it on (decided, delivered, settled): the workflow enters the wait again.
    const c = (await store.get('case-1')) as CaseRecord;
    await store.update('case-1', c.version, { set: { assignedTo: NEW_OFFICER }, remove: ['openTask'] });
    await requestTask(deps(), {
      caseId: 'case-1',
      task: 'acknowledge',
      taskToken: 'T2',
      lastTaskId: k1,
      step: E2,
    });
    const k2 = effectKey(E2);
    expect((await store.get('case-1'))?.openTask).toMatchObject({
      taskId: k2,
      officer: NEW_OFFICER,
      taskToken: 'T2',
    });

    // The stalled duplicate of E1 resumes: its read returned the copy from before.
    const get = store.get.bind(store);
    let once = true;
    store.get = async (caseId) => {
      if (once) {
        once = false;
        return structuredClone(stalledRead);
      }
      return get(caseId);
    };
    const late = await requestTask(deps(), {
      caseId: 'case-1',
      task: 'acknowledge',
      taskToken: 'T1',
      lastTaskId: 'none',
      step: E1,
    }).then(
      () => 'returned',
      (error: unknown) => (error instanceof SupersededEntryError ? 'superseded' : String(error)),
    );

    // Assess: the workflow waits on T2 for the new officer's task; nothing may take that back.
    const after = (await store.get('case-1')) as CaseRecord;
    expect({
      late,
      openTask: {
        taskId: after.openTask?.taskId,
        officer: after.openTask?.officer,
        token: after.openTask?.taskToken,
      },
      slot: after.effects?.[effectSlot(E2)]?.key,
    }).toEqual({
      late: 'superseded',
      openTask: { taskId: k2, officer: NEW_OFFICER, token: 'T2' },
      slot: k2,
    });
  });
});

import { beforeEach, describe, expect, it } from 'vitest';
import { loadPolicy } from '../../functions/domain/policy.js';
import { ConcurrentUpdateError } from '../../functions/domain/ports.js';
import { formPost } from '../support/api-event.js';
import { RecordingWorkflows } from '../support/fake-workflows.js';
import { MemoryStaffStore } from '../support/memory-staff-store.js';
import { MemoryCaseStore } from '../support/memory-store.js';
import { openCase } from '../support/open-case.js';
import { NOMINATED } from '../support/staff-members.js';
import { staffSession, workspaceApi, workspaceDeps } from '../support/workspace-api.js';

/**
 * The workspace's 409 says "nothing was changed". A designation on a referral is written and
 * handed to the workflow before its settling write (`settleDecision`), which can still lose its
 * races: the page must not tell the nominated officer that nothing was changed, and to act
 * again, when the case already records their designation and the workflow has their decision.
 */

const policy = loadPolicy('lgsco-code-2024');
const now = () => new Date('2026-03-03T10:00:00Z');

let store: MemoryCaseStore;
let staffStore: MemoryStaffStore;
let workflows: RecordingWorkflows;

beforeEach(async () => {
  store = new MemoryCaseStore();
  staffStore = new MemoryStaffStore();
  workflows = new RecordingWorkflows();
  await store.create(
    openCase('case-1', {
      status: 'awaiting-decision',
      summary: 'Forty emails a day',
      deadlines: {},
      progress: { stage1: { startedAt: '2026-03-02T09:00:00.000Z' } },
      openTask: {
        taskId: 'task-v',
        name: 'vexatious-decision',
        officer: 'customer.relations.manager@example.gov.uk',
        taskToken: 'token-v',
        issuedAt: '2026-03-02T10:00:00.000Z',
      },
      version: 3,
    }),
    { at: '2026-03-02T09:00:00.000Z', type: 'received', actor: 'resident' },
  );
});

/** What the page's error summary says, without its markup. */
function errorSummary(body: string): string {
  const summary = /<div class="govuk-error-summary"[\s\S]*?<\/ul>/.exec(body)?.[0] ?? '';
  return summary.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
}

describe('a workspace designation whose decision reached the workflow but whose settling lost its races', () => {
  it('does not tell the nominated officer that nothing was changed when the designation is saved', async () => {
    // Every settling write loses (the workflow, just told, keeps writing to the case).
    const write = store.update.bind(store);
    store.update = async (caseId, version, change, expected) => {
      if (change.event?.type === 'decision-delivered') throw new ConcurrentUpdateError('lost');
      return write(caseId, version, change, expected);
    };
    const api = workspaceApi(workspaceDeps({ store: store as never, staffStore, policy, now, workflows }));
    const session = await staffSession(staffStore, NOMINATED, now());

    const response = await api(
      formPost(
        '/staff/cases/CMP-2026-000001/designate',
        {
          csrf: session.csrf,
          designationReason: 'Forty emails a day',
          restrictions: 'single-contact',
          reviewDay: '1',
          reviewMonth: '6',
          reviewYear: '2026',
        },
        { Cookie: session.cookie },
      ),
    );

    // The designation is on the case and the workflow was told.
    expect((await store.get('case-1'))?.designation).toBeDefined();
    expect(workflows.succeeded.map((s) => s.taskToken)).toEqual(['token-v']);
    // So the page must not say the opposite, nor ask for the designation again: the decision
    // stands, and the workflow settles it on the case when it next enters a wait.
    expect(errorSummary(response.body)).not.toContain('nothing was changed');
    expect(response.statusCode).toBe(303);
    expect(response.headers?.Location).toBe('/staff/cases/CMP-2026-000001?done=designated');
    expect((await store.get('case-1'))?.pendingDecision?.taskId).toBe('task-v');
  });
});

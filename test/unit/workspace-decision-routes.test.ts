import { beforeEach, describe, expect, it } from 'vitest';
import { ServiceUnavailableError } from '../../functions/adapters/errors.js';
import type { CaseRecord } from '../../functions/domain/case.js';
import { loadPolicy } from '../../functions/domain/policy.js';
import { type CaseChange, ConcurrentUpdateError } from '../../functions/domain/ports.js';
import { apiEvent, formPost } from '../support/api-event.js';
import { RecordingWorkflows } from '../support/fake-workflows.js';
import { MemoryStaffStore } from '../support/memory-staff-store.js';
import { MemoryCaseStore } from '../support/memory-store.js';
import { openCase } from '../support/open-case.js';
import { NOMINATED, TEAM } from '../support/staff-members.js';
import { staffSession, workspaceApi, workspaceDeps } from '../support/workspace-api.js';

/**
 * The workspace's designation and move, through their routes, when the workflow opens the task
 * they decide on while they write: the officer is asked to act again, in the workspace's words;
 * and when a designation's decision reached the workflow but settling it on the case lost its
 * races, the officer is told it is done.
 */

const policy = loadPolicy('lgsco-code-2024');
const now = () => new Date('2026-03-03T10:00:00Z');
const waste = policy.routing.services.find((s) => s.id === 'waste-recycling');
const oldBox = waste?.mailbox as string;

let store: MemoryCaseStore;
let staffStore: MemoryStaffStore;
let workflows: RecordingWorkflows;

beforeEach(async () => {
  store = new MemoryCaseStore();
  staffStore = new MemoryStaffStore();
  workflows = new RecordingWorkflows();
  await store.create(
    openCase('case-1', {
      status: 'investigating',
      summary: 'My bin was missed',
      deadlines: {},
      progress: { stage1: { startedAt: '2026-03-02T09:00:00.000Z' } },
      assignedTo: oldBox,
      version: 3,
    }),
    { at: '2026-03-02T09:00:00.000Z', type: 'received', actor: 'resident' },
  );
});

/** The workflow opens `openTask` on the case just before the write `when` picks. */
function taskOpensBefore(when: (change: CaseChange) => boolean, openTask: CaseRecord['openTask']): void {
  const write = store.update.bind(store);
  let done = false;
  store.update = async (caseId, version, change, expected) => {
    if (!done && when(change)) {
      done = true;
      const c = (await store.get(caseId)) as CaseRecord;
      await write(caseId, c.version, { set: { openTask } });
    }
    return write(caseId, version, change, expected);
  };
}

function api() {
  return workspaceApi(workspaceDeps({ store: store as never, staffStore, policy, now, workflows }));
}

/** The nominated officer designates the complainant of CMP-2026-000001 through the workspace's form. */
async function designate(session: Awaited<ReturnType<typeof staffSession>>) {
  return api()(
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
}

/** What the page's error summary says, without its markup. */
function errorSummary(body: string): string {
  const summary = /<div class="govuk-error-summary"[\s\S]*?<\/ul>/.exec(body)?.[0] ?? '';
  return summary.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
}

describe('a workspace action that finds a task opened as it writes', () => {
  it('asks the nominated officer to designate again, not that a link was used, when a referral arrives', async () => {
    taskOpensBefore((c) => c.event?.type === 'designated-vexatious', {
      taskId: 'task-v',
      name: 'vexatious-decision',
      officer: 'customer.relations.manager@example.gov.uk',
      taskToken: 'token-v',
      issuedAt: '2026-03-03T09:59:59.000Z',
    });
    const session = await staffSession(staffStore, NOMINATED, now());

    const response = await designate(session);

    expect(response.statusCode).toBe(409);
    expect((await store.get('case-1'))?.designation).toBeUndefined();
    // The officer acted in the workspace, with no link: the case page again, as it is now, says so.
    const problem = errorSummary(response.body);
    expect(problem).toContain('Someone else acted on this case at the same moment, so nothing was changed');
    expect(problem).not.toMatch(/link|already been done/i);
  });

  it('asks the officer to move the case again, not that a link was used, when the old team’s task opens', async () => {
    taskOpensBefore((c) => c.event?.type === 'service-changed', {
      taskId: 'task-r',
      name: 'respond',
      officer: oldBox,
      taskToken: 'token-r',
      issuedAt: '2026-03-03T09:59:59.000Z',
    });
    const session = await staffSession(staffStore, TEAM, now());

    const response = await api()(
      formPost(
        '/staff/cases/CMP-2026-000001/service',
        { csrf: session.csrf, service: 'highways' },
        { Cookie: session.cookie },
      ),
    );

    expect(response.statusCode).toBe(409);
    expect((await store.get('case-1'))?.service).toBe('waste-recycling');
    // The officer acted in the workspace, with no link: the case page again, as it is now, says so.
    const problem = errorSummary(response.body);
    expect(problem).toContain('Someone else acted on this case at the same moment, so nothing was changed');
    expect(problem).not.toMatch(/link|already been done/i);
  });
});

describe('a workspace designation whose decision reached the workflow but whose settling lost its races', () => {
  it('does not tell the nominated officer that nothing was changed when the designation is saved', async () => {
    // A referral waits on the nominated officer.
    const c = (await store.get('case-1')) as CaseRecord;
    await store.update('case-1', c.version, {
      set: {
        status: 'awaiting-decision',
        openTask: {
          taskId: 'task-v',
          name: 'vexatious-decision',
          officer: 'customer.relations.manager@example.gov.uk',
          taskToken: 'token-v',
          issuedAt: '2026-03-02T09:00:01.000Z',
        },
      },
    });
    // Every settling write loses (the workflow, just told, keeps writing to the case).
    const write = store.update.bind(store);
    store.update = async (caseId, version, change, expected) => {
      if (change.event?.type === 'decision-delivered') throw new ConcurrentUpdateError('lost');
      return write(caseId, version, change, expected);
    };
    const session = await staffSession(staffStore, NOMINATED, now());

    const response = await designate(session);

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

describe('a workspace designation whose letter the email service did not take', () => {
  it('says the designation is recorded and the letter owed, and offers to send it from the case page', async () => {
    let emailDown = true;
    const sent: string[] = [];
    const deps = workspaceDeps({
      store: store as never,
      staffStore,
      policy,
      now,
      workflows,
      send: async (_record, template) => {
        if (emailDown) {
          throw new ServiceUnavailableError('mailer send: connect ECONNREFUSED', {
            cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
          });
        }
        sent.push(template);
        return { messageId: `m-${sent.length}` };
      },
    });
    const session = await staffSession(staffStore, NOMINATED, now());
    const post = (body: Record<string, unknown>) =>
      workspaceApi(deps)(
        formPost(
          '/staff/cases/CMP-2026-000001/designate',
          { csrf: session.csrf, ...body },
          { Cookie: session.cookie },
        ),
      );

    const failed = await post({
      designationReason: 'Forty emails a day',
      reviewDay: '1',
      reviewMonth: '6',
      reviewYear: '2026',
    });

    expect(failed.statusCode).toBe(503);
    expect(errorSummary(failed.body)).toContain(
      'The designation is recorded, but the letter telling the complainant could not be sent just now: nothing was sent.',
    );
    expect(failed.body).toContain('has not been sent the letter telling them of this decision');
    expect(failed.body).toContain('Send the decision letter');

    emailDown = false;
    const resent = await post({});

    expect(resent.statusCode).toBe(303);
    expect(sent).toEqual(['vexatious-decision']);
    expect((await store.get('case-1'))?.designation).toMatchObject({ reason: 'Forty emails a day' });
    expect((await store.get('case-1'))?.designation?.letterOwed).toBeUndefined();
  });
});

/**
 * What a browser sends from the case page's form posting to `action`, with `typed` filled in and
 * the checkboxes whose values are in `ticked` ticked: every field the page gives, in page order,
 * a name given twice sent twice.
 */
function submitted(page: string, action: string, typed: Record<string, string>, ticked: string[]): string {
  const form = new RegExp(`<form[^>]*action="[^"]*/${action}"[\\s\\S]*?</form>`).exec(page)?.[0] ?? '';
  const body = new URLSearchParams();
  for (const [input] of form.matchAll(/<(?:input|textarea)\b[^>]*>/g)) {
    const name = /name="([^"]+)"/.exec(input)?.[1];
    const value = /value="([^"]*)"/.exec(input)?.[1] ?? '';
    if (!name) continue;
    if (/type="checkbox"/.test(input)) {
      if (ticked.includes(value)) body.append(name, value);
    } else {
      body.append(name, typed[name] ?? value);
    }
  }
  return body.toString();
}

describe('the designation form of the case page', () => {
  it('records every restriction the nominated officer ticks, and ticks them all again when the form is shown again', async () => {
    const session = await staffSession(staffStore, NOMINATED, now());
    const casePage = await api()(
      apiEvent('GET', '/staff/cases/CMP-2026-000001', {
        headers: { Accept: 'text/html', Cookie: session.cookie },
      }),
    );
    const post = (typed: Record<string, string>) =>
      api()(
        apiEvent('POST', '/staff/cases/CMP-2026-000001/designate', {
          body: submitted(casePage.body, 'designate', typed, ['single-contact', 'written-only']),
          headers: {
            'Content-Type': 'application/x-www-form-urlencoded',
            Accept: 'text/html',
            Cookie: session.cookie,
          },
        }),
      );
    const review = { reviewDay: '1', reviewMonth: '6', reviewYear: '2026' };

    // Without reasons: the form again, both boxes still ticked.
    const again = await post(review);
    expect(again.statusCode).toBe(400);
    for (const ticked of ['single-contact', 'written-only']) {
      expect(again.body).toMatch(new RegExp(`<input[^>]*value="${ticked}"[^>]*checked`));
    }
    expect(again.body).not.toMatch(/<input[^>]*value="no-further-correspondence"[^>]*checked/);

    const response = await post({ designationReason: 'Forty emails a day', ...review });

    expect(response.statusCode).toBe(303);
    expect((await store.get('case-1'))?.designation?.restrictions).toEqual([
      'single-contact',
      'written-only',
    ]);
  });
});

describe('two people sending a case with no task waiting to the same team at the same moment', () => {
  it('hands it over once: one entry in its history and one email to the team', async () => {
    const highways = policy.routing.services.find((s) => s.id === 'highways')?.mailbox as string;
    const sent: { template: string; to: string[] }[] = [];
    const deps = workspaceDeps({
      store: store as never,
      staffStore,
      policy,
      now,
      workflows,
      send: async (_record, template, to) => {
        sent.push({ template, to });
        return { messageId: `m-${sent.length}` };
      },
    });
    const first = await staffSession(staffStore, TEAM, now());
    const second = await staffSession(staffStore, NOMINATED, now());
    const reassign = (session: typeof first) =>
      workspaceApi(deps)(
        formPost(
          '/staff/cases/CMP-2026-000001/reassign',
          { csrf: session.csrf, reassignTo: highways },
          { Cookie: session.cookie },
        ),
      );
    // The second person's whole request lands after the first read the case and before it wrote.
    const read = store.get.bind(store);
    let raced = false;
    store.get = async (caseId) => {
      if (!raced) {
        raced = true;
        expect((await reassign(second)).statusCode).toBe(303);
      }
      return read(caseId);
    };

    const response = await reassign(first);

    expect(raced).toBe(true);
    expect(response.statusCode).toBe(303);
    expect((await store.get('case-1'))?.assignedTo).toBe(highways);
    expect((await store.events('case-1')).filter((e) => e.type === 'reassigned')).toHaveLength(1);
    expect(sent).toEqual([{ template: 'case-assigned', to: [highways] }]);
  });
});

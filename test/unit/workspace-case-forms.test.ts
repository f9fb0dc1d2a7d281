import { beforeEach, describe, expect, it } from 'vitest';
import { loadPolicy } from '../../functions/domain/policy.js';
import { formPost } from '../support/api-event.js';
import { MemoryStaffStore } from '../support/memory-staff-store.js';
import { MemoryCaseStore } from '../support/memory-store.js';
import { openCase } from '../support/open-case.js';
import { TEAM } from '../support/staff-members.js';
import { staffSession, workspaceApi, workspaceDeps } from '../support/workspace-api.js';

/**
 * The case page's forms shown again with a problem (GOV.UK Design System, error summary and error
 * message): what the officer chose and typed is still there, every message of the summary links
 * to its field, and the field says it too.
 */

const policy = loadPolicy('lgsco-code-2024');
const now = () => new Date('2026-03-03T10:00:00Z');

let store: MemoryCaseStore;
let staffStore: MemoryStaffStore;

beforeEach(async () => {
  store = new MemoryCaseStore();
  staffStore = new MemoryStaffStore();
  // Answered at stage 1: the resident's request for a review is awaited.
  await store.create(
    openCase('case-1', {
      status: 'responded',
      openTask: {
        taskId: 'task-s2',
        name: 'stage-2-request',
        officer: 'resident',
        taskToken: 'token-s2',
        issuedAt: '2026-03-02T09:00:00.000Z',
      },
    }),
    { at: '2026-03-02T09:00:00.000Z', type: 'received', actor: 'resident' },
  );
});

async function post(action: string, fields: Record<string, string>) {
  const session = await staffSession(staffStore, TEAM, now());
  const api = workspaceApi(workspaceDeps({ store: store as never, staffStore, policy, now }));
  return api(
    formPost(
      `/staff/cases/CMP-2026-000001/${action}`,
      { csrf: session.csrf, ...fields },
      { Cookie: session.cookie },
    ),
  );
}

/** Each link of the page's error summary goes to an element of the page, whose field shows a message. */
function expectSummaryLinked(body: string): void {
  const summary = /<div class="govuk-error-summary"[\s\S]*?<\/ul>/.exec(body)?.[0] ?? '';
  const items = [...summary.matchAll(/<li>([\s\S]*?)<\/li>/g)].map((m) => m[1] as string);
  expect(items.length).toBeGreaterThan(0);
  for (const item of items) {
    const href = /href="#([^"]+)"/.exec(item)?.[1];
    expect(href, `not linked: ${item.trim()}`).toBeDefined();
    expect(body).toContain(`id="${href}"`);
    const field = (href as string).replace(/-day$/, '');
    expect(body, `no message beside ${field}`).toContain(`id="${field}-error"`);
  }
}

describe('the case page’s forms shown again with a problem', () => {
  it('keeps the words of a request for a review taken by phone when how it came is not chosen', async () => {
    const response = await post('stage-2', { stage2Text: 'They did not look at the photographs I sent.' });

    expect(response.statusCode).toBe(400);
    expectSummaryLinked(response.body);
    expect(response.body).toContain('They did not look at the photographs I sent.');
  });

  it('keeps how a request for a review came when its words are refused', async () => {
    const response = await post('stage-2', { stage2Channel: 'letter', stage2Text: 'Hidden \u202e text' });

    expect(response.statusCode).toBe(400);
    expectSummaryLinked(response.body);
    expect(response.body).toMatch(/<input[^>]*value="letter"[^>]*checked/);
  });

  it('keeps the Ombudsman and its decision chosen when the note is too long', async () => {
    const response = await post('ombudsman', {
      ombudsman: 'lgsco',
      ombudsmanDecision: 'upheld',
      ombudsmanNote: 'n'.repeat(2001),
    });

    expect(response.statusCode).toBe(400);
    expectSummaryLinked(response.body);
    expect(response.body).toMatch(/<input[^>]*value="lgsco"[^>]*checked/);
    expect(response.body).toMatch(/<option value="upheld" selected/);
  });

  it('links a service not on the list to the list of services, which says what is wrong', async () => {
    const response = await post('service', { service: 'parking-on-the-moon' });

    expect(response.statusCode).toBe(400);
    expectSummaryLinked(response.body);
  });
});

describe('a request for a review taken by phone where the policy asks for its grounds', () => {
  // Dudley MBC Corporate Customer Feedback Procedure, June 2019, §4: a review is asked for on grounds.
  const dudley = loadPolicy('dudley');

  beforeEach(async () => {
    store = new MemoryCaseStore();
    await store.create(
      openCase('case-1', {
        policyId: dudley.id,
        service: 'highways',
        status: 'responded',
        openTask: {
          taskId: 'task-s2',
          name: 'stage-2-request',
          officer: 'resident',
          taskToken: 'token-s2',
          issuedAt: '2026-03-02T09:00:00.000Z',
        },
      }),
      { at: '2026-03-02T09:00:00.000Z', type: 'received', actor: 'resident' },
    );
  });

  async function postDudley(fields: Record<string, string>) {
    const session = await staffSession(staffStore, TEAM, now());
    const api = workspaceApi(workspaceDeps({ store: store as never, staffStore, policy: dudley, now }));
    return api(
      formPost(
        '/staff/cases/CMP-2026-000001/stage-2',
        { csrf: session.csrf, ...fields },
        { Cookie: session.cookie },
      ),
    );
  }

  it('asks for the grounds, as the resident’s own link does, and records nothing without one', async () => {
    const response = await postDudley({
      stage2Channel: 'phone',
      stage2Text: 'The photographs were not looked at.',
    });

    expect(response.statusCode).toBe(400);
    expectSummaryLinked(response.body);
    expect(response.body).toContain('There has been an oversight on a significant piece of evidence');
    expect(response.body).toContain('The photographs were not looked at.');
    expect((await store.get('case-1'))?.openTask?.name).toBe('stage-2-request');
  });

  it('records the ground the resident gave', async () => {
    const response = await postDudley({ stage2Channel: 'phone', stage2Grounds: 'evidence-overlooked' });

    expect(response.statusCode).toBe(303);
    expect((await store.get('case-1'))?.progress.stage2?.grounds).toEqual(['evidence-overlooked']);
  });
});

describe('sending a stage 2 case on with no task of its handler waiting', () => {
  it('refuses to send it back to whoever handled stage 1, as the task’s own form does', async () => {
    const stage1Team = policy.routing.services.find((s) => s.id === 'waste-recycling')?.mailbox as string;
    const reviewer = policy.routing.stage2Reviewer;
    store = new MemoryCaseStore();
    // Stage 2, its response with a director for sign-off: the case's reviewer gets it back if returned.
    await store.create(
      openCase('case-1', {
        stage: 2,
        status: 'investigating',
        assignedTo: reviewer,
        stage1Handlers: [stage1Team],
        openTask: {
          taskId: 'task-so',
          name: 'sign-off',
          officer: 'director@example.gov.uk',
          taskToken: 'token-so',
          issuedAt: '2026-03-02T09:00:00.000Z',
        },
      }),
      { at: '2026-03-02T09:00:00.000Z', type: 'received', actor: 'resident' },
    );

    const response = await post('reassign', { reassignTo: stage1Team });

    expect(response.statusCode).toBe(400);
    expectSummaryLinked(response.body);
    expect(response.body).toContain('handled this complaint at stage 1');
    expect((await store.get('case-1'))?.assignedTo).toBe(reviewer);
  });
});

/**
 * The 503 pages in a real browser, served by the real API (intake and task routes behind the
 * API Gateway stand-in) over a case table that can be switched off: what a resident and an
 * officer see while it is down, that the pages pass axe and load under the CSP, and that
 * "Try again" once it is back finishes the job with nothing typed again.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ServiceUnavailableError } from '../../functions/adapters/errors.js';
import { type ApiDeps, createApi } from '../../functions/app/api.js';
import { taskRoutes } from '../../functions/app/task-routes.js';
import type { CaseRecord } from '../../functions/domain/case.js';
import { signLink } from '../../functions/domain/links.js';
import { loadPolicy } from '../../functions/domain/policy.js';
import type { CaseStore, WorkflowEngine } from '../../functions/domain/ports.js';
import { type ApiGatewayServer, startApiGateway } from '../../infra/local/api-gateway.js';
import {
  consoleErrors,
  launchBrowser,
  openWatched,
  type PageProblems,
  runAxe,
  screenshot,
} from '../support/browser.js';
import { RecordingWorkflows } from '../support/fake-workflows.js';
import { MemoryCaseStore } from '../support/memory-store.js';

const policy = loadPolicy('lgsco-code-2024');
const SECRET = 'browser-test-secret-0123456789abcdef012345';
const OFFICER = 'waste.team@example.gov.uk';
const NOW = new Date('2026-03-03T10:00:00Z');
const SUMMARY = 'My bin has been missed four weeks running and nobody has answered my calls.';
const RESPONSE = 'I rang Ada, apologised and booked a collection for tomorrow morning.';

let memory: MemoryCaseStore;
let workflows: RecordingWorkflows;
/** While true, every call to the table fails as DynamoDB does when it does not answer. */
let tableDown = false;
let browser: Browser;
let gateway: ApiGatewayServer;

/** The memory store behind a switch: off, every call throws the adapter's retryable error. */
function switchable(): CaseStore {
  return new Proxy({} as CaseStore, {
    get(_target, property) {
      const value: unknown = Reflect.get(memory, property, memory);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        if (tableDown) return Promise.reject(new ServiceUnavailableError('case store: AWS service failure'));
        return (value as (...a: unknown[]) => unknown).apply(memory, args);
      };
    },
  });
}

function caseWithTask(): CaseRecord {
  return {
    caseId: 'case-1',
    reference: 'CMP-2026-000100',
    kind: 'complaint',
    submittedKind: 'complaint',
    status: 'awaiting-acknowledgement',
    stage: 1,
    policyId: policy.id,
    service: 'waste-recycling',
    summary: SUMMARY,
    complainant: { name: 'Ada Lovelace', email: 'ada@example.com' },
    anonymous: false,
    channel: 'online',
    receivedAt: '2026-03-02T09:00:00.000Z',
    createdAt: '2026-03-02T09:00:00.000Z',
    updatedAt: '2026-03-02T09:00:00.000Z',
    triage: { route: 'handle', reasons: [] },
    deadlines: { acknowledgeBy: '2026-03-09T23:59:59.000Z' },
    assignedTo: OFFICER,
    openTask: {
      taskId: 'task-1',
      name: 'acknowledge',
      officer: OFFICER,
      taskToken: 'sfn-task-token-1',
      issuedAt: '2026-03-02T09:00:01.000Z',
    },
    progress: { stage1: { startedAt: '2026-03-02T09:00:00.000Z' } },
    version: 3,
  };
}

const taskLink = signLink(
  { c: 'case-1', t: 'task-1', a: 'acknowledge', o: OFFICER, e: Math.floor(Date.parse('2026-06-01') / 1000) },
  SECRET,
);

beforeAll(async () => {
  const store = switchable();
  // Read when used: each test gets a fresh recording of the workflow calls.
  const deps = {
    store,
    get workflows() {
      return workflows;
    },
    policy,
    now: () => NOW,
    linkSecrets: async () => [SECRET],
  };
  let ids = 0;
  // Workflows too, for an intake that starts a case's workflow itself.
  const apiDeps: ApiDeps & { workflows?: WorkflowEngine } = {
    store,
    policy,
    now: () => NOW,
    newId: () => `case-new-${++ids}`,
    linkSecrets: async () => [SECRET],
    extraRoutes: (router) => taskRoutes(router, deps),
    get workflows() {
      return workflows;
    },
  };
  const api = createApi(apiDeps);
  gateway = await startApiGateway({ handler: (event, context) => api(event, context) });
  browser = await launchBrowser();
});

beforeEach(async () => {
  tableDown = false;
  memory = new MemoryCaseStore();
  workflows = new RecordingWorkflows();
  await memory.create(caseWithTask(), {
    at: '2026-03-02T09:00:00.000Z',
    type: 'received',
    actor: 'resident',
  });
});

afterAll(async () => {
  await browser?.close();
  await gateway?.close();
});

/** Styled, scripted, no CSP or asset errors, no axe violations; then a screenshot to look at. */
async function assertHealthy(page: Page, problems: PageProblems, name: string): Promise<void> {
  await page.locator('body.govuk-frontend-supported').waitFor({ state: 'attached' });
  const headingFont = await page
    .locator('h1')
    .first()
    .evaluate((el) => el.ownerDocument.defaultView?.getComputedStyle(el).fontFamily);
  expect(headingFont).toContain('GDS Transport');
  expect(problems.failed).toEqual([]);
  expect(consoleErrors(problems)).toEqual([]);
  expect(await runAxe(page)).toEqual([]);
  await screenshot(page, name);
}

/** Submits the page's main form and resolves with the status of the page it loads. */
async function submit(page: Page, button: string): Promise<number | undefined> {
  const [response] = await Promise.all([
    page.waitForEvent('response', (r) => r.request().isNavigationRequest()),
    page.getByRole('button', { name: button }).click(),
  ]);
  await page.waitForLoadState('load');
  return response.status();
}

describe('while the case table is down', () => {
  it('shows the resident the form again with the problem and their answers, and sends it once it is back', async () => {
    // Prepare
    const { page, problems } = await openWatched(browser, `${gateway.url}/`);
    await page.locator('input[name="kind"][value="complaint"]').check();
    await page.locator('#summary').fill(SUMMARY);
    await page.locator('#complainant-name').fill('Ada Lovelace');
    await page.locator('#complainant-email').fill('ada@example.com');
    tableDown = true;

    // Act
    const down = await submit(page, 'Send');

    // Assess
    expect(down).toBe(503);
    await expect(page.title()).resolves.toMatch(/^Error: Give feedback or make a complaint/);
    await expect(page.locator('.govuk-error-summary').textContent()).resolves.toContain(
      'It may have been saved. Try again in a minute: if it was saved, you will get its reference',
    );
    await expect(page.locator('#summary').inputValue()).resolves.toBe(SUMMARY);
    await expect(page.locator('#complainant-email').inputValue()).resolves.toBe('ada@example.com');
    await expect(page.locator('input[name="kind"][value="complaint"]').isChecked()).resolves.toBe(true);
    await assertHealthy(page, problems, 'unavailable-resident-form');

    // Act: the table is back; the resident sends the same answers again.
    tableDown = false;
    const back = await submit(page, 'Send');

    // Assess
    // Post/Redirect/Get: the post answers with a redirect to the confirmation page.
    expect(back).toBe(303);
    await page.locator('.govuk-panel').waitFor();
    await expect(page.locator('.govuk-panel').textContent()).resolves.toContain('Complaint received');
    expect(
      [...memory.cases.values()].filter((c) => c.summary === SUMMARY && c.caseId !== 'case-1'),
    ).toHaveLength(1);
    await page.close();
  });

  it('tells the officer the decision may not have been recorded and sends the same answers again from "Try again"', async () => {
    // Prepare
    const { page, problems } = await openWatched(browser, `${gateway.url}/tasks/${taskLink}`);
    await page.getByLabel('Resolve it now, at first contact').check();
    await page.locator('textarea[name="response"]').fill(RESPONSE);
    tableDown = true;

    // Act
    const down = await submit(page, (await page.locator('main form button').textContent())?.trim() ?? '');

    // Assess
    expect(down).toBe(503);
    await expect(page.locator('main').textContent()).resolves.toContain(
      'It may have been recorded. Try again in a minute: if it was recorded, you will be told so',
    );
    await assertHealthy(page, problems, 'unavailable-task-decision');
    expect(workflows.succeeded).toEqual([]);

    // Act: the table is back.
    tableDown = false;
    const back = await submit(page, 'Try again');

    // Assess: recorded, and answered Post/Redirect/Get to the page that says so.
    expect(back).toBe(303);
    expect(new URL(page.url()).pathname).toBe(`/tasks/${taskLink}/done`);
    expect(workflows.succeeded).toEqual([
      { taskToken: 'sfn-task-token-1', output: expect.objectContaining({ decision: 'resolve' }) },
    ]);
    expect(memory.cases.get('case-1')?.progress?.stage1.response).toMatchObject({ reasons: RESPONSE });
    await page.close();
  });

  it('offers to load the task page again, and shows it once the table is back', async () => {
    // Prepare
    tableDown = true;

    // Act
    const { page, problems } = await openWatched(browser, `${gateway.url}/tasks/${taskLink}`);

    // Assess
    await expect(page.locator('h1').textContent()).resolves.toContain(
      'Sorry, there is a problem with the service',
    );
    await assertHealthy(page, problems, 'unavailable-page');

    // Act
    tableDown = false;
    await page.getByRole('button', { name: 'Try again' }).click();
    await page.waitForLoadState('load');

    // Assess
    await expect(page.locator('h1').textContent()).resolves.toContain('Acknowledge this complaint');
    await page.close();
  });
});

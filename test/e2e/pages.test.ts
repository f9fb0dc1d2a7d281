/**
 * Every page in a real browser: GOV.UK styling and scripts load under the Content-Security-Policy,
 * axe finds no WCAG 2.2 AA violation, conditional reveals work, and each state is screenshotted.
 * A tiny HTTP server in the test serves the rendered pages and `/assets/*`; the real API server
 * is tested elsewhere.
 */
import { createReadStream } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateTaskForm } from '../../functions/app/task-form-schema.js';
import { effectiveDecisions, TASK_FORMS } from '../../functions/app/task-forms.js';
import type { CaseEvent } from '../../functions/domain/case.js';
import { tabulateEquality } from '../../functions/domain/equality.js';
import { loadPolicy } from '../../functions/domain/policy.js';
import { isTaskName, TASK_NAMES } from '../../functions/domain/workflow-names.js';
import { resolveAsset } from '../../functions/web/assets.js';
import { equalityFormPage, equalityReportPage } from '../../functions/web/equality-pages.js';
import {
  casePage,
  confirmationPage,
  errorPage,
  linkProblemPage,
  notFoundPage,
  problemPage,
  residentFormPage,
  taskDonePage,
  taskPage,
  workspaceProblemPage,
} from '../../functions/web/render.js';
import { securityHeaders } from '../../functions/web/security-headers.js';
import { chrome, staffCasePage } from '../../functions/web/staff-pages.js';
import {
  consoleErrors,
  launchBrowser,
  openWatched,
  type PageProblems,
  runAxe,
  screenshot,
  serveOnLoopback,
} from '../support/browser.js';
import { NOMINATED, TEAM } from '../support/staff-members.js';
import {
  sampleCase,
  sampleDeadlines,
  sampleEvents,
  samplePolicy,
  sampleTask,
} from '../unit/web/sample-data.js';

const CSRF = 'csrf-token-123';

/** Bodies the pages posted, by path, so tests can check the field names a browser really sends. */
const posted = new Map<string, URLSearchParams>();

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', ...securityHeaders() });
  res.end(html);
}

/** Routes of the test server: each page in each state the tests open. */
async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const path = url.pathname;
  if (path.startsWith('/assets/')) {
    const asset = resolveAsset(path);
    if (!asset) return send(res, 404, notFoundPage());
    res.writeHead(200, { 'Content-Type': asset.contentType, 'Cache-Control': asset.cacheControl });
    createReadStream(asset.path).pipe(res);
    return;
  }
  if (req.method === 'POST') {
    const body = new URLSearchParams(await readBody(req));
    posted.set(path, body);
    if (path === '/complaints') {
      const errors: Record<string, string> = {};
      if (!body.get('summary')?.trim()) errors.summary = 'Enter your feedback';
      if (!body.get('anonymous') && !body.get('complainant.name')?.trim()) {
        errors['complainant.name'] = 'Enter your name, or choose to stay anonymous';
      }
      if (body.get('onBehalf') === 'yes' && !body.get('onBehalfOf.name')?.trim()) {
        errors['onBehalfOf.name'] = 'Enter the name of the person you are complaining for';
      }
      if (Object.keys(errors).length > 0) {
        return send(
          res,
          400,
          residentFormPage({ policy: samplePolicy, csrf: CSRF, errors, values: Object.fromEntries(body) }),
        );
      }
      return send(
        res,
        200,
        confirmationPage({
          reference: 'CMP-2026-000124',
          kind: 'complaint',
          deadlines: sampleDeadlines,
          councilName: samplePolicy.council,
        }),
      );
    }
    const taskName = path.replace(/^\/tasks\//, '');
    if (isTaskName(taskName)) {
      const result = validateTaskForm(taskName, Object.fromEntries(body), { max: { extendDays: 10 } });
      if (!result.ok) {
        const page = taskPage({
          task: sampleTask(taskName),
          csrf: CSRF,
          errors: result.errors,
          values: Object.fromEntries(body),
        });
        return send(res, 400, page);
      }
      return send(
        res,
        200,
        taskDonePage({ message: 'The resident has been told.', reference: sampleCase.reference }),
      );
    }
    return send(res, 404, notFoundPage());
  }
  const pages: Record<string, () => [number, string]> = {
    '/': () => [200, residentFormPage({ policy: samplePolicy, csrf: CSRF })],
    '/form-errors': () => [
      400,
      residentFormPage({
        policy: samplePolicy,
        csrf: CSRF,
        values: {
          kind: 'complaint',
          summary: 'Bin missed',
          onBehalf: 'yes',
          complainant: { email: 'not-an-email' },
        },
        errors: {
          'complainant.email': 'Enter an email address in the correct format, like name@example.com',
          'onBehalfOf.name': 'Enter the name of the person you are complaining for',
          summary: 'Your feedback must be 5000 characters or fewer',
        },
      }),
    ],
    '/confirmation': () => [
      200,
      confirmationPage({
        reference: 'CMP-2026-000123',
        kind: 'complaint',
        deadlines: sampleDeadlines,
        councilName: samplePolicy.council,
        equalityPath: '/equality',
      }),
    ],
    '/equality': () => [200, equalityFormPage({ councilName: samplePolicy.council, kind: 'complaint' })],
    '/equality-errors': () => [
      400,
      equalityFormPage({
        councilName: samplePolicy.council,
        kind: 'complaint',
        values: { sex: 'female' },
        errors: { age: 'Choose one of the answers to “What is your age?”, or leave it blank' },
      }),
    ],
    '/equality-report': () => [
      200,
      equalityReportPage({
        councilName: samplePolicy.council,
        report: tabulateEquality([
          ...Array.from({ length: 12 }, () => ({
            month: '2026-05',
            kind: 'complaint' as const,
            answers: { age: '35-44', sex: 'female' },
          })),
          ...Array.from({ length: 9 }, () => ({
            month: '2026-06',
            kind: 'complaint' as const,
            answers: { age: '65-74', sex: 'male' },
          })),
          ...Array.from({ length: 2 }, () => ({
            month: '2026-06',
            kind: 'compliment' as const,
            answers: { sex: 'prefer-not-to-say' },
          })),
        ]),
        period: { from: '2026-04-01', to: '2027-03-31' },
        yearText: '2026/27',
        previousYear: 2025,
        previousYearText: '2025/26',
      }),
    ],
    '/confirmation-redirect': () => [
      200,
      confirmationPage({
        reference: 'FBK-2026-000009',
        kind: 'complaint',
        deadlines: {},
        councilName: samplePolicy.council,
        redirect:
          'To report a missed bin, use Report a missed collection on our website. We have passed this on for you.',
      }),
    ],
    '/done': () => [
      200,
      taskDonePage({ message: 'The resident has been sent your response.', reference: 'CMP-2026-000123' }),
    ],
    '/link/403': () => [403, linkProblemPage({ status: 403, contact: 'complaints@example.gov.uk' })],
    '/link/409': () => [
      409,
      linkProblemPage({ status: 409, doneBy: 'waste@example.gov.uk', doneAt: '2026-06-01T10:00:00.000Z' }),
    ],
    '/link/410': () => [410, linkProblemPage({ status: 410, contact: 'complaints@example.gov.uk' })],
    '/cases/CMP-2026-000123': () => [
      200,
      casePage({
        record: sampleCase,
        events: sampleEvents,
        serviceName: 'Bins and recycling',
        councilName: samplePolicy.council,
      }),
    ],
    '/error': () => [500, errorPage({ contact: 'complaints@example.gov.uk' })],
    '/problem/cy': () => [
      403,
      problemPage({
        message: 'The form has expired. Go back to the form, refresh the page and send it again.',
        councilName: samplePolicy.council,
        language: 'cy',
      }),
    ],
    // A request for a review taken by phone, under a policy that asks for its grounds, sent
    // without them: the error summary links to each field, the officer's words are kept.
    '/staff/cases/CMP-2026-000123/stage-2': () => {
      const dudley = loadPolicy('dudley');
      return [
        400,
        staffCasePage({
          staff: TEAM,
          csrf: CSRF,
          policy: dudley,
          record: {
            ...sampleCase,
            policyId: dudley.id,
            service: 'highways',
            status: 'responded',
            openTask: {
              taskId: 'task-s2',
              name: 'stage-2-request',
              officer: 'resident',
              taskToken: 'token',
              issuedAt: '2026-06-20T09:00:00.000Z',
            },
          },
          events: sampleEvents,
          reassignTargets: [],
          canRecordOmbudsman: true,
          values: { stage2Channel: 'phone', stage2Text: 'They did not look at the photographs I sent.' },
          errors: { stage2Grounds: 'Choose why they are asking for a review' },
        }),
      ];
    },
    // The designation sent without reasons, two restrictions ticked: both are still ticked.
    '/staff/cases/CMP-2026-000123/designate': () => [
      400,
      staffCasePage({
        staff: NOMINATED,
        csrf: CSRF,
        policy: samplePolicy,
        record: sampleCase,
        events: sampleEvents,
        reassignTargets: [],
        canRecordOmbudsman: true,
        canDesignate: true,
        values: {
          restrictions: { 'single-contact': 'single-contact', 'written-only': 'written-only' },
          reviewDay: '1',
          reviewMonth: '12',
          reviewYear: '2026',
        },
        errors: { designationReason: 'Enter the reasons for your decision' },
      }),
    ],
    // A resident's evidence: a letter checked and kept, the same letter sent again from a new
    // form, and a file refused. The officer reads each by its number and what it is.
    '/staff/cases/CMP-2026-000123/evidence-timeline': () => [
      200,
      staffCasePage({
        staff: TEAM,
        csrf: CSRF,
        policy: samplePolicy,
        record: sampleCase,
        events: [...sampleEvents, ...EVIDENCE_EVENTS_SAMPLE],
        reassignTargets: [],
        canRecordOmbudsman: true,
      }),
    ],
    '/staff/cases/CMP-2026-999999': () => [
      404,
      workspaceProblemPage({
        status: 404,
        message: 'There is no case with this reference',
        chrome: chrome({ staff: TEAM, csrf: CSRF, policy: samplePolicy }, ''),
      }),
    ],
    '/staff/cases/CMP-2026-000123': () => [
      403,
      workspaceProblemPage({
        status: 403,
        message:
          'You cannot open this case: it belongs to another service. Ask the complaints team if you need it.',
        chrome: chrome({ staff: TEAM, csrf: CSRF, policy: samplePolicy }, ''),
      }),
    ],
  };
  const page = pages[path];
  if (page) {
    const [status, html] = page();
    return send(res, status, html);
  }
  const taskName = path.replace(/^\/tasks\//, '');
  if (path.startsWith('/tasks/') && isTaskName(taskName)) {
    return send(res, 200, taskPage({ task: sampleTask(taskName), csrf: CSRF }));
  }
  return send(res, 404, notFoundPage());
}

/** Evidence on the sample case's timeline, under the ids the service chose (never shown to officers). */
const EVIDENCE_EVENTS_SAMPLE: CaseEvent[] = [
  ['evidence-received', { fileId: 'file-a1b2c3d4', type: 'application/pdf', size: 12_288, sha256: 'ab12' }],
  ['evidence-scanned', { fileId: 'file-a1b2c3d4', result: 'NO_THREATS_FOUND' }],
  ['evidence-sent-again', { fileId: 'file-e5f6a7b8', sameAs: 'file-a1b2c3d4' }],
  ['evidence-rejected', { fileId: 'file-c9d0e1f2', reason: 'type' }],
].map(([type, detail], i) => ({
  caseId: sampleCase.caseId,
  seq: 3 + i,
  at: `2026-06-02T10:0${i}:00.000Z`,
  type: type as string,
  actor: i === 0 || i === 2 ? 'resident' : 'system',
  detail: detail as Record<string, unknown>,
}));

let browser: Browser;
let base: string;
let closeServer: () => Promise<void>;

beforeAll(async () => {
  const served = await serveOnLoopback(async (req, res) => {
    try {
      await route(req, res);
    } catch (error: unknown) {
      send(res, 500, errorPage());
      throw error;
    }
  });
  base = served.base;
  closeServer = served.close;
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await closeServer?.();
});

function open(path: string): Promise<{ page: Page; problems: PageProblems }> {
  return openWatched(browser, `${base}${path}`);
}

/** Resolves once GOV.UK Frontend's module ran (the body class is set by the template's hashed inline script). */
async function jsStarted(page: Page): Promise<void> {
  await page.locator('body.govuk-frontend-supported').waitFor({ state: 'attached' });
}

/** An element's text with runs of white space collapsed, as a reader would see it. */
async function text(locator: Locator): Promise<string> {
  return ((await locator.textContent()) ?? '').replace(/\s+/g, ' ').trim();
}

/** True when the element has keyboard focus. */
async function isFocused(page: Page, selector: string): Promise<boolean> {
  return page.locator(selector).evaluate((el) => el.ownerDocument.activeElement === el);
}

/** The checks every page must pass: styled, scripted, no CSP or asset errors, no axe violations. */
async function assertHealthy(page: Page, problems: PageProblems, name: string): Promise<void> {
  await jsStarted(page);
  // Expressions as strings: they run in the page, and this project's TypeScript has no DOM types.
  const fontLoaded = await page.evaluate(
    `document.fonts.ready.then(() => document.fonts.check('19px "GDS Transport"'))`,
  );
  const headingFont = await page
    .locator('h1')
    .first()
    .evaluate((el) => el.ownerDocument.defaultView?.getComputedStyle(el).fontFamily);
  expect(headingFont).toContain('GDS Transport');
  expect(fontLoaded).toBe(true);
  expect(problems.failed).toEqual([]);
  expect(consoleErrors(problems)).toEqual([]);
  expect(await runAxe(page)).toEqual([]);
  await screenshot(page, name);
}

describe('pages in a browser', () => {
  it('shows the empty resident form with every kind of feedback and reveals the representative fields', async () => {
    const { page, problems } = await open('/');

    await assertHealthy(page, problems, 'form-empty');
    await expect(page.title()).resolves.toMatch(/^Give feedback or make a complaint/);
    const kinds = await page
      .locator('input[name="kind"]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('value')));
    expect(kinds).toEqual(['complaint', 'compliment', 'comment', 'representation']);
    await expect(
      page.locator('label', { hasText: 'Raise a concern about a council policy' }).count(),
    ).resolves.toBe(1);
    await expect(
      page.locator('#service optgroup').evaluateAll((els) => els.map((e) => e.getAttribute('label'))),
    ).resolves.toEqual(['Environment', 'Finance', 'People']);
    await expect(
      page.locator('#service option', { hasText: 'adult social care complaints team' }).count(),
    ).resolves.toBe(1);
    await expect(page.locator('input[name="csrf"]').inputValue()).resolves.toBe(CSRF);
    await expect(page.locator('form').getAttribute('action')).resolves.toBe('/complaints');
    await expect(page.locator('#onBehalfOf-name').isVisible()).resolves.toBe(false);

    await page.locator('label[for="onBehalf"]').click();

    await expect(page.locator('#onBehalfOf-name').isVisible()).resolves.toBe(true);
    await expect(page.locator('#onBehalfOf-consent').isVisible()).resolves.toBe(true);
    await screenshot(page, 'form-representative-revealed');
    await page.close();
  });

  it('counts characters in the summary as the resident types', async () => {
    const { page } = await open('/');
    await jsStarted(page);

    await page.locator('#summary').fill('My bin was missed');

    await expect(text(page.locator('.govuk-character-count__status'))).resolves.toMatch(
      /4,?983 characters remaining/,
    );
    await page.close();
  });

  it('posts the dotted field names and shows the error summary when required answers are missing', async () => {
    const { page, problems } = await open('/');
    await page.locator('label[for="onBehalf"]').click();

    await page.getByRole('button', { name: 'Send' }).click();
    await page.waitForLoadState('load');

    const body = posted.get('/complaints');
    expect(body?.get('csrf')).toBe(CSRF);
    expect(body?.get('onBehalf')).toBe('yes');
    expect([...(body?.keys() ?? [])]).toEqual(
      expect.arrayContaining([
        'csrf',
        'service',
        'summary',
        'complainant.name',
        'complainant.email',
        'onBehalfOf.name',
      ]),
    );
    await expect(page.title()).resolves.toMatch(/^Error: /);
    const links = await page
      .locator('.govuk-error-summary a')
      .evaluateAll((els) => els.map((e) => e.getAttribute('href')));
    expect(links).toEqual(['#summary', '#complainant-name', '#onBehalfOf-name']);
    await expect(isFocused(page, '.govuk-error-summary')).resolves.toBe(true);
    await expect(page.locator('#onBehalfOf-name').isVisible()).resolves.toBe(true);
    await assertHealthy(page, problems, 'form-errors-after-post');

    await page.locator('.govuk-error-summary a[href="#complainant-name"]').click();

    await expect(isFocused(page, '#complainant-name')).resolves.toBe(true);
    await page.close();
  });

  it('re-fills values and shows inline errors in the error summary state', async () => {
    const { page, problems } = await open('/form-errors');

    await assertHealthy(page, problems, 'form-errors');
    await expect(page.locator('#summary').inputValue()).resolves.toBe('Bin missed');
    await expect(page.locator('#complainant-email').inputValue()).resolves.toBe('not-an-email');
    await expect(page.locator('#kind').isChecked()).resolves.toBe(true);
    await expect(text(page.locator('#complainant-email-error'))).resolves.toContain('Enter an email address');
    const links = await page
      .locator('.govuk-error-summary a')
      .evaluateAll((els) => els.map((e) => e.getAttribute('href')));
    expect(links).toEqual(['#summary', '#complainant-email', '#onBehalfOf-name']);
    await page.close();
  });

  it('shows the confirmation with the reference and dates in words', async () => {
    const { page, problems } = await open('/confirmation');

    await assertHealthy(page, problems, 'confirmation');
    await expect(text(page.locator('.govuk-panel'))).resolves.toContain('CMP-2026-000123');
    const main = await text(page.locator('main'));
    expect(main).toContain('Friday 5 June 2026');
    expect(main).toContain('Friday 19 June 2026');
    await page.close();
  });

  it('offers the optional equality questions, shows their errors, and the counts to the complaints team', async () => {
    const confirmation = await open('/confirmation');
    await confirmation.page.getByRole('link', { name: 'Answer the optional equality questions' }).click();
    await confirmation.page.waitForURL(/\/equality$/);
    await assertHealthy(confirmation.page, confirmation.problems, 'equality-form');
    expect(await confirmation.page.getByRole('radio').count()).toBeGreaterThan(30);
    await confirmation.page.close();

    const errors = await open('/equality-errors');
    await assertHealthy(errors.page, errors.problems, 'equality-form-errors');
    await expect(text(errors.page.locator('.govuk-error-summary'))).resolves.toContain('What is your age?');
    expect(await errors.page.locator('input[name="sex"][value="female"]').isChecked()).toBe(true);
    await errors.page.close();

    const report = await open('/equality-report');
    await assertHealthy(report.page, report.problems, 'equality-report');
    const main = await text(report.page.locator('main'));
    expect(main).toContain('Sets of answers: 23');
    expect(main).toContain('not shown');
    await report.page.close();
  });

  it('tells the resident where to go when the submission is out of scope', async () => {
    const { page, problems } = await open('/confirmation-redirect');

    await assertHealthy(page, problems, 'confirmation-redirect');
    await expect(text(page.locator('main'))).resolves.toContain('Report a missed collection');
    await expect(page.locator('h2', { hasText: 'Where to go instead' }).count()).resolves.toBe(1);
    await page.close();
  });

  it.each(TASK_NAMES)(
    'shows the %s task form with the case summary and working reveals',
    async (taskName) => {
      const { page, problems } = await open(`/tasks/${taskName}`);
      const form = TASK_FORMS[taskName];

      await assertHealthy(page, problems, `task-${taskName}`);
      await expect(text(page.locator('h1'))).resolves.toBe(form.title);
      await expect(text(page.locator('main'))).resolves.toContain('CMP-2026-000123');
      await expect(text(page.locator('main'))).resolves.toContain('My bin was missed three weeks running.');
      await expect(page.locator('input[name="csrf"]').inputValue()).resolves.toBe(CSRF);
      // As offered with no policy choices (a radios field with no options from the policy is not asked).
      const decisions = effectiveDecisions(taskName);
      const withFields = decisions.length > 1 ? decisions.find((d) => d.fields.length > 0) : undefined;
      if (decisions.length === 1) {
        await expect(page.locator('input[name="decision"]').getAttribute('type')).resolves.toBe('hidden');
        // A single decision shows its fields at once (a form such as "restart the clock" has none).
        const first = decisions[0]?.fields[0]?.name;
        if (first) await expect(page.locator(`[name="${first}"]`).first().isVisible()).resolves.toBe(true);
        else
          await expect(
            page.locator('button[type="submit"], .govuk-button').first().isVisible(),
          ).resolves.toBe(true);
      } else if (withFields) {
        const field = withFields.fields[0]?.name as string;
        const radio = page.locator(`input[name="decision"][value="${withFields.value}"]`);
        await expect(page.locator(`[name="${field}"]`).first().isVisible()).resolves.toBe(false);

        await page.locator(`label[for="${await radio.getAttribute('id')}"]`).click();

        await expect(page.locator(`[name="${field}"]`).first().isVisible()).resolves.toBe(true);
        await screenshot(page, `task-${taskName}-revealed`);
      } else {
        await expect(page.locator('input[name="decision"][type="radio"]').count()).resolves.toBe(
          form.decisions.length,
        );
        for (const field of form.fields) {
          await expect(page.locator(`[name="${field.name}"]`).first().isVisible()).resolves.toBe(true);
        }
      }
      await page.close();
    },
  );

  it('shows task errors from the shared form definitions and then the done page', async () => {
    const { page } = await open('/tasks/respond');
    await page.locator('label[for="decision"]').click();

    await page.getByRole('button', { name: TASK_FORMS.respond.submitText }).click();
    await page.waitForLoadState('load');

    const links = await page
      .locator('.govuk-error-summary a')
      .evaluateAll((els) => els.map((e) => e.getAttribute('href')));
    expect(links).toEqual(['#outcome', '#response']);
    await expect(page.locator('#outcome').isVisible()).resolves.toBe(true);
    await screenshot(page, 'task-respond-errors');

    await page.locator('label[for="outcome-2"]').click();
    await page.locator('#response').fill('We found the crew missed your street.');
    await page.getByRole('button', { name: TASK_FORMS.respond.submitText }).click();
    await page.waitForLoadState('load');

    expect(posted.get('/tasks/respond')?.get('outcome')).toBe('partially-upheld');
    await expect(text(page.locator('h1'))).resolves.toBe('Decision recorded');
    await page.close();
  });

  it.each([
    ['/done', 'Decision recorded', 'done'],
    ['/link/403', 'This link is not valid', 'link-403'],
    ['/link/409', 'This task has already been done', 'link-409'],
    ['/link/410', 'This link has expired', 'link-410'],
    ['/error', 'Sorry, there is a problem with the service', 'error-500'],
    ['/nowhere', 'Page not found', 'not-found'],
    ['/problem/cy', 'Mae problem wedi codi', 'problem-welsh'],
    ['/staff/cases/CMP-2026-999999', 'Page not found', 'workspace-not-found'],
    ['/staff/cases/CMP-2026-000123', 'You cannot do this', 'workspace-forbidden'],
  ])('shows %s saying what happened', async (path, heading, name) => {
    const { page, problems } = await open(path);

    await assertHealthy(page, problems, name);
    await expect(text(page.locator('h1'))).resolves.toBe(heading);
    await page.close();
  });

  it('shows the workspace’s error pages in the workspace, with its navigation and the way back', async () => {
    const { page } = await open('/staff/cases/CMP-2026-999999');

    const navigation = page.getByRole('navigation', { name: 'Menu' });
    await expect(navigation.getByRole('link', { name: 'Work queue' }).getAttribute('href')).resolves.toBe(
      '/staff',
    );
    await expect(text(page.locator('main'))).resolves.toContain('There is no case with this reference');
    await page.getByRole('link', { name: 'Go to the work queue' }).click();
    await page.waitForURL(/\/staff$/);
    await page.close();
  });

  it('shows a request for a review taken by phone again with its grounds asked for and its words kept', async () => {
    const { page, problems } = await open('/staff/cases/CMP-2026-000123/stage-2');

    await assertHealthy(page, problems, 'staff-case-stage-2-errors');
    const links = await page
      .locator('.govuk-error-summary a')
      .evaluateAll((els) => els.map((e) => e.getAttribute('href')));
    expect(links).toEqual(['#stage2Grounds']);
    await expect(text(page.locator('#stage2Grounds-error'))).resolves.toContain(
      'Choose why they are asking for a review',
    );
    await expect(page.locator('#stage2Text').inputValue()).resolves.toBe(
      'They did not look at the photographs I sent.',
    );
    await expect(page.getByLabel('By phone').isChecked()).resolves.toBe(true);
    await page.close();
  });

  it('shows the designation again with every restriction ticked still ticked', async () => {
    const { page, problems } = await open('/staff/cases/CMP-2026-000123/designate');

    await assertHealthy(page, problems, 'staff-case-designation-errors');
    await expect(page.getByLabel(/only through the complaints team/).isChecked()).resolves.toBe(true);
    await expect(page.getByLabel(/in writing/).isChecked()).resolves.toBe(true);
    await expect(page.getByLabel(/any further correspondence/).isChecked()).resolves.toBe(false);
    await page.getByLabel('Your reasons').fill('Forty calls in a week about a matter already answered.');
    await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST'),
      page.getByRole('button', { name: 'Designate' }).click(),
    ]);
    const sent = posted.get('/staff/cases/CMP-2026-000123/designate');
    expect(sent?.getAll('restrictions.single-contact')).toEqual(['single-contact']);
    expect(sent?.getAll('restrictions.written-only')).toEqual(['written-only']);
    await page.close();
  });

  it('shows who did a task already on the 409 page', async () => {
    const { page } = await open('/link/409');

    await expect(text(page.locator('main'))).resolves.toContain(
      'by waste@example.gov.uk on 1 June 2026 at 11:00am',
    );
    await page.close();
  });

  it('shows the case and its timeline in order', async () => {
    const { page, problems } = await open('/cases/CMP-2026-000123');

    await assertHealthy(page, problems, 'case-timeline');
    const titles = (await page.locator('.app-timeline__title').allTextContents()).map((t) => t.trim());
    expect(titles).toEqual(['Feedback received', 'Acknowledged']);
    await expect(text(page.locator('.govuk-summary-list').first())).resolves.toContain('Bins and recycling');
    await page.close();
  });

  it('shows the evidence on the officer’s timeline by file number and what each is, never by id', async () => {
    const { page, problems } = await open('/staff/cases/CMP-2026-000123/evidence-timeline');

    await assertHealthy(page, problems, 'staff-case-evidence-timeline');
    const items = page.locator('.app-timeline__item');
    const item = async (title: string) => text(items.filter({ hasText: title }));
    await expect(item('Evidence received')).resolves.toContain('File: File 1 (PDF, 12 KB)');
    await expect(item('Evidence passed the virus check')).resolves.toContain('File: File 1 (PDF, 12 KB)');
    await expect(item('Evidence sent again')).resolves.toContain('Repeats: File 1 (PDF, 12 KB)');
    await expect(item('Evidence not accepted')).resolves.toContain('File: File 2');
    await expect(item('Evidence not accepted')).resolves.toContain(
      'Why: it is not a PDF, JPEG, PNG, HEIC or Word (DOCX) file',
    );
    // The ids and raw values are the service's, not the officer's.
    const timeline = await text(page.locator('.app-timeline'));
    expect(timeline).not.toMatch(/file-[0-9a-f]{8}|Same as|File id|NO_THREATS_FOUND|application\/pdf/);
    await page.close();
  });
});

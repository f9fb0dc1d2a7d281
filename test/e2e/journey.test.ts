/**
 * The whole journey in a real browser against `npm start`: a resident complains through the
 * form, the officer acts through the links emailed to them (read from the SES stand-in), and the
 * resident's response arrives with the stage-2 link. Every page is checked with axe (WCAG 2.2 AA)
 * and screenshotted under test-results/screenshots/.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UNDERSTANDING } from '../support/acknowledge.js';
import { launchBrowser, runAxe, screenshot } from '../support/browser.js';
import { linkFor, type RuntimeProcess, startRuntimeProcess, waitForEmail } from '../support/runtime.js';

const RESIDENT = { name: 'Grace Hopper', email: 'grace.hopper@example.com' };
const SUMMARY =
  'You took the wrong council tax amount from my account twice. I phoned four times and was promised a call back that never came.';

let runtime: RuntimeProcess;
let browser: Browser;
let page: Page;
let dataDir: string;

/** Checks the page with axe and saves a screenshot; the test fails on any violation. */
async function checkPage(name: string, on: Page = page): Promise<void> {
  await screenshot(on, `journey-${name}`);
  const violations = await runAxe(on);
  expect(violations, `${name}: ${JSON.stringify(violations, null, 2)}`).toEqual([]);
}

/** Fills the form's complaint as the resident does. */
async function fillForm(on: Page, summary: string): Promise<void> {
  await on.locator('#kind').check();
  await on.locator('#service').selectOption('council-tax-benefits');
  await on.locator('#summary').fill(summary);
  await on.locator('#complainant-name').fill(RESIDENT.name);
  await on.locator('#complainant-email').fill(RESIDENT.email);
}

/** Sends the form on `on` and resolves with the status the post was answered with. */
async function send(on: Page): Promise<number> {
  const [answer] = await Promise.all([
    on.waitForResponse(
      (r) => r.request().method() === 'POST' && new URL(r.url()).pathname.endsWith('/complaints'),
    ),
    on.getByRole('button', { name: /send|submit|continue/i }).click(),
  ]);
  await on.waitForLoadState();
  return answer.status();
}

describe('npm start: the complaint journey in a browser', () => {
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'redress-journey-'));
    [runtime, browser] = await Promise.all([startRuntimeProcess({ dataDir, timeScale: 1 }), launchBrowser()]);
    page = await browser.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await runtime?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('prints the form, inbox, reports and health addresses', () => {
    // Prepare / Act: started in beforeAll. Assess
    const printed = runtime.output();
    expect(printed).toContain(`Resident form:  ${runtime.baseUrl}/`);
    expect(printed).toContain(`Inbox:          ${runtime.endpoints.ses}/`);
    expect(printed).toContain(`Reports:        ${runtime.baseUrl}/reports?link=`);
    expect(printed).toContain(`Health:         ${runtime.baseUrl}/health`);
  });

  it("prints a reports link that opens the officers' report page", async () => {
    // Act
    const response = await fetch(runtime.urls.reports, { headers: { Accept: 'text/html' } });
    // Assess
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/text\/html/);
  });

  it('answers health through the API Gateway stand-in', async () => {
    // Act
    const response = await fetch(runtime.urls.health);
    // Assess
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      status: 'ok',
      checks: { table: 'ok', archive: 'ok', email: 'ok', workflows: 'ok' },
    });
  });

  it('shows the form, then its error summary when sent empty', async () => {
    // Act
    await page.goto(runtime.urls.form);
    await checkPage('01-form');
    await page.getByRole('button', { name: /send|submit|continue/i }).click();
    // Assess
    await page.locator('.govuk-error-summary').waitFor();
    expect(await page.locator('.govuk-error-summary__list li').count()).toBeGreaterThan(0);
    await checkPage('02-form-errors');
  });

  it('takes a complaint through the form and shows its reference', async () => {
    // Prepare
    await page.goto(runtime.urls.form);
    await fillForm(page, SUMMARY);
    await page.locator('#desiredOutcome').fill('Refund the extra payments and explain what went wrong.');
    // Act
    await page.getByRole('button', { name: /send|submit|continue/i }).click();
    // Assess
    await page.locator('.govuk-panel').waitFor();
    expect(await page.locator('.govuk-panel').textContent()).toMatch(/CMP-\d{4}-\d{6}/);
    await checkPage('03-confirmation');
  });

  it('emails the officer a link that acknowledges the complaint', async () => {
    // Prepare
    const email = await waitForEmail(
      runtime,
      (e) => !e.destination.to.includes(RESIDENT.email) && /acknowledge/i.test(e.subject),
      'the officer acknowledgement task',
    );
    // Act
    await page.goto(linkFor(email, 'acknowledge'));
    await page.getByRole('heading', { level: 1 }).waitFor();
    expect(await page.locator('main').textContent()).toContain(SUMMARY);
    await checkPage('04-acknowledge-task');
    await page.locator('input[name="decision"][value="acknowledge"]').check();
    await page.locator('textarea[name="understanding"]').fill(UNDERSTANDING);
    await page.getByRole('button', { name: /continue|send|save|submit|confirm/i }).click();
    // Assess
    await page.locator('.govuk-panel, .govuk-notification-banner--success').first().waitFor();
    await checkPage('05-acknowledged');
    await waitForEmail(
      runtime,
      (e) => e.destination.to.includes(RESIDENT.email) && /looked into|acknowledg/i.test(e.subject),
      "the resident's acknowledgement",
    );
  });

  it('emails the officer a link that sends the response, upheld with reasons', async () => {
    // Prepare
    const email = await waitForEmail(
      runtime,
      (e) => !e.destination.to.includes(RESIDENT.email) && /respon/i.test(e.subject),
      'the officer response task',
    );
    await page.goto(linkFor(email, 'respond'));
    await page.getByRole('heading', { level: 1 }).waitFor();
    await checkPage('06-respond-task');
    // Act
    await page.locator('input[name="decision"][value="respond"]').check();
    await page.locator('input[name="outcome"][value="upheld"]').check();
    await page
      .locator('textarea[name="response"]')
      .fill(
        'We took the payment twice because of an error in our direct debit run. We have refunded you and fixed the error.',
      );
    await page.getByRole('button', { name: /continue|send|save|submit|confirm/i }).click();
    // Assess
    await page.locator('.govuk-panel, .govuk-notification-banner--success').first().waitFor();
    await checkPage('07-responded');
  });

  it('sends the resident the response with a working stage-2 link', async () => {
    // Act
    const response = await waitForEmail(
      runtime,
      (e) =>
        e.destination.to.includes(RESIDENT.email) &&
        /stage 2|escalat|response/i.test(e.body.text ?? '') &&
        /\/tasks\//.test(e.body.text ?? ''),
      "the resident's response with the stage-2 link",
    );
    // Assess
    expect(response.body.text).toMatch(/upheld/i);
    await page.goto(linkFor(response, 'stage-2-request'));
    await page.getByRole('heading', { level: 1 }).waitFor();
    await checkPage('08-stage-2-request');
  });

  it('sends two tabs of the form, opened one after the other, as a complaint each, first tab first', async () => {
    // Prepare: the resident's own browser, with the form open in two tabs
    const context = await browser.newContext();
    try {
      const first = await context.newPage();
      const second = await context.newPage();
      await first.goto(runtime.urls.form);
      await second.goto(runtime.urls.form);
      await fillForm(first, 'First tab: the bin lorry damaged my garden wall on Tuesday.');
      await fillForm(second, 'Second tab: nobody answered my email about the damaged wall.');

      // Act
      const sent = [await send(first), await send(second)];

      // Assess
      expect(sent).toEqual([303, 303]);
      const references = await Promise.all(
        [first, second].map(async (tab) => {
          await tab.locator('.govuk-panel').waitFor();
          return /CMP-\d{4}-\d{6}/.exec((await tab.locator('.govuk-panel').textContent()) ?? '')?.[0];
        }),
      );
      expect(references[0]).toBeDefined();
      expect(references[1]).toBeDefined();
      expect(references[0]).not.toBe(references[1]);
    } finally {
      await context.close();
    }
  });

  it('keeps the answers of a form whose token is refused, and sends them when the resident sends it again', async () => {
    // Prepare: the browser lost its cookies while the form was open
    const context = await browser.newContext();
    try {
      const tab = await context.newPage();
      await tab.goto(runtime.urls.form);
      const summary = 'Third try: the wall is still broken and rain is getting into the garage.';
      await fillForm(tab, summary);
      await context.clearCookies();

      // Act
      const refused = await send(tab);

      // Assess: nothing sent, the answers kept, and a plain message
      expect(refused).toBe(403);
      await tab.locator('.govuk-error-summary').waitFor();
      expect(await tab.locator('.govuk-error-summary').textContent()).toContain(
        'Your feedback has not been sent: the page had been open too long, or did not come from this service.',
      );
      expect(await tab.locator('#summary').inputValue()).toBe(summary);
      expect(await tab.locator('#complainant-email').inputValue()).toBe(RESIDENT.email);
      await checkPage('09-form-not-sent', tab);
      expect(await send(tab)).toBe(303);
      await tab.locator('.govuk-panel').waitFor();
      expect(await tab.locator('.govuk-panel').textContent()).toMatch(/CMP-\d{4}-\d{6}/);
    } finally {
      await context.close();
    }
  });
});

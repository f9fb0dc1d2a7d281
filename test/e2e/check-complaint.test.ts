/**
 * "Check your complaint" in a real browser against `npm start`: a resident complains through the
 * form (the confirmation survives a refresh), the officer responds through their emailed links,
 * then the resident asks for a link with their reference and email address, reads it from the SES
 * stand-in, signs in once, sees the case, asks for stage 2 (the page survives a refresh) and signs
 * out; the used link is refused. The privacy notice and the reports' date inputs too. Every page
 * is checked with axe (0 violations) and screenshotted under test-results/screenshots/.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UNDERSTANDING } from '../support/acknowledge.js';
import { launchBrowser, runAxe, screenshot } from '../support/browser.js';
import { linkFor, type RuntimeProcess, startRuntimeProcess, waitForEmail } from '../support/runtime.js';

const RESIDENT = { name: 'Mary Seacole', email: 'mary.seacole@example.com' };

let runtime: RuntimeProcess;
let browser: Browser;
let page: Page;
let dataDir: string;
let reference = '';
let signInLink = '';

async function checkPage(name: string): Promise<void> {
  await screenshot(page, `check-${name}`);
  const violations = await runAxe(page);
  expect(violations, `${name}: ${JSON.stringify(violations, null, 2)}`).toEqual([]);
}

const residentMail = async () =>
  (await runtime.emails()).filter((e) => e.destination.to.includes(RESIDENT.email));

describe('npm start: checking a complaint in a browser', () => {
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'redress-check-'));
    [runtime, browser] = await Promise.all([startRuntimeProcess({ dataDir, timeScale: 1 }), launchBrowser()]);
    page = await browser.newPage();
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await runtime?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('links the form to checking a complaint and to the privacy notice', async () => {
    await page.goto(runtime.urls.form);
    await checkPage('01-form');

    await page.getByRole('link', { name: 'how we use your information' }).click();
    await page.getByRole('heading', { level: 1, name: /Privacy notice/ }).waitFor();
    expect(await page.locator('main').textContent()).toMatch(/public task/);
    await checkPage('02-privacy');
  });

  it('confirms a complaint on a page of its own, which a refresh does not send again', async () => {
    await page.goto(runtime.urls.form);
    await page.locator('#kind').check();
    await page.locator('#service').selectOption('council-tax-benefits');
    await page.locator('#summary').fill('My council tax was taken twice this month.');
    await page.locator('#complainant-name').fill(RESIDENT.name);
    await page.locator('#complainant-email').fill(RESIDENT.email);
    await page.getByRole('button', { name: 'Send' }).click();
    await page.locator('.govuk-panel').waitFor();
    expect(page.url()).toMatch(/\/complaints\/received\?receipt=/);
    reference = /CMP-\d{4}-\d{6}/.exec((await page.locator('.govuk-panel').textContent()) ?? '')?.[0] ?? '';
    expect(reference).not.toBe('');
    await checkPage('03-confirmation');

    const reloaded = await page.reload();

    expect(reloaded?.request().method()).toBe('GET');
    expect(await page.locator('.govuk-panel').textContent()).toContain(reference);
    const receipt = await waitForEmail(
      runtime,
      (e) => e.destination.to.includes(RESIDENT.email),
      'the receipt',
    );
    expect(receipt.body.text).toContain(`${runtime.baseUrl}/check`);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect((await residentMail()).filter((e) => /received/i.test(e.subject))).toHaveLength(1);
  });

  it('lets the officer respond, so there is something to check', async () => {
    const ack = await waitForEmail(
      runtime,
      (e) => !e.destination.to.includes(RESIDENT.email) && /acknowledge/i.test(e.subject),
      'the acknowledgement task',
    );
    await page.goto(linkFor(ack, 'acknowledge'));
    await page.locator('input[name="decision"][value="acknowledge"]').check();
    await page.locator('textarea[name="understanding"]').fill(UNDERSTANDING);
    await page.getByRole('button', { name: /continue|send|save|submit|confirm/i }).click();
    await page.locator('.govuk-panel, .govuk-notification-banner--success').first().waitFor();
    const respond = await waitForEmail(
      runtime,
      (e) => !e.destination.to.includes(RESIDENT.email) && /respon/i.test(e.subject),
      'the response task',
    );
    await page.goto(linkFor(respond, 'respond'));
    await page.locator('input[name="decision"][value="respond"]').check();
    await page.locator('input[name="outcome"][value="not-upheld"]').check();
    await page
      .locator('textarea[name="response"]')
      .fill('The second payment was for last month, which was missed.');
    await page.getByRole('button', { name: /continue|send|save|submit|confirm/i }).click();
    await page.locator('.govuk-panel, .govuk-notification-banner--success').first().waitFor();
    await waitForEmail(
      runtime,
      (e) => e.destination.to.includes(RESIDENT.email) && /\/tasks\//.test(e.body.text ?? ''),
      'the response to the resident',
    );
  });

  it('answers a wrong email address with the same page as a right one, and sends nothing', async () => {
    await page.goto(`${runtime.baseUrl}/check`);
    await checkPage('04-check-start');
    await page.getByRole('button', { name: 'Send me a link' }).click();
    await page.locator('.govuk-error-summary').waitFor();
    await checkPage('05-check-errors');
    const before = (await residentMail()).length;

    await page.getByLabel('Reference number').fill(reference);
    await page.getByLabel('Email address').fill('someone.else@example.com');
    await page.getByRole('button', { name: 'Send me a link' }).click();
    await page.getByRole('heading', { level: 1, name: 'Check your email' }).waitFor();

    expect(page.url()).toBe(`${runtime.baseUrl}/check/sent`);
    await checkPage('06-check-sent');
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Check your email' }).waitFor();
    expect((await runtime.emails()).some((e) => e.destination.to.includes('someone.else@example.com'))).toBe(
      false,
    );
    expect((await residentMail()).length).toBe(before);
  });

  it('emails a one-time link to the right address, which opens the case', async () => {
    await page.goto(`${runtime.baseUrl}/check`);
    await page.getByLabel('Reference number').fill(reference.toLowerCase());
    await page.getByLabel('Email address').fill(RESIDENT.email.toUpperCase());
    await page.getByRole('button', { name: 'Send me a link' }).click();
    await page.getByRole('heading', { level: 1, name: 'Check your email' }).waitFor();

    const email = await waitForEmail(
      runtime,
      (e) => e.destination.to.includes(RESIDENT.email) && /Your link to check/.test(e.subject),
      'the sign-in link',
    );
    signInLink = /https?:\/\/\S+\/check\/sign-in\/[\w.-]+/.exec(email.body.text ?? '')?.[0] ?? '';
    expect(signInLink).not.toBe('');
    await page.goto(signInLink);
    await checkPage('07-sign-in');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('heading', { level: 1, name: reference }).waitFor();

    // The response's stage-2 task opens just after the response is sent.
    for (let i = 0; i < 60 && !(await page.getByRole('button', { name: 'Ask for a review' }).count()); i++) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      await page.reload();
    }
    const main = (await page.locator('main').textContent()) ?? '';
    expect(main).toContain('We have responded');
    expect(main).toContain('Our response');
    expect(main).toContain('Evidence');
    expect(main).toMatch(/You can ask until \w+ \d+ \w+ \d{4}/);
    await checkPage('08-status');
  });

  it('asks for stage 2, and a refresh of the page shown after does not ask again', {
    timeout: 120_000,
  }, async () => {
    const answered = page.waitForResponse((r) => r.request().method() === 'POST');
    await page.getByRole('button', { name: 'Ask for a review' }).click();
    const posted = await answered;
    await page.waitForLoadState();
    expect(
      posted.status(),
      `${await page.locator('main').textContent()}\n${runtime.output().slice(-4000)}`,
    ).toBe(303);
    expect(page.url()).toMatch(/\/check\/complaint\?asked=stage-2$/);
    await page.locator('.govuk-notification-banner--success').waitFor();
    await checkPage('09-stage-2-asked');

    const reloaded = await page.reload();

    expect(reloaded?.request().method()).toBe('GET');
    expect(await page.getByRole('button', { name: 'Ask for a review' }).count()).toBe(0);
    expect(await page.locator('main').textContent()).toContain(
      'You have asked us to look at your complaint again',
    );
    // The request reached the workflow once: the stage-2 reviewer is sent one task to acknowledge it.
    await waitForEmail(
      runtime,
      (e) =>
        !e.destination.to.includes(RESIDENT.email) &&
        /acknowledge/i.test(e.subject) &&
        /stage 2|review/i.test(e.body.text ?? ''),
      'the stage-2 acknowledgement task',
    );
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const reviewTasks = (await runtime.emails()).filter(
      (e) =>
        !e.destination.to.includes(RESIDENT.email) &&
        /acknowledge/i.test(e.subject) &&
        /stage 2|review/i.test(e.body.text ?? ''),
    );
    expect(reviewTasks).toHaveLength(1);
  });

  it('signs out, and refuses the used link', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.locator('.govuk-notification-banner').waitFor();
    expect(await page.locator('.govuk-notification-banner').textContent()).toContain('You have signed out');
    await checkPage('10-signed-out');
    const after = await page.goto(`${runtime.baseUrl}/check/complaint`);
    expect(after?.url()).toBe(`${runtime.baseUrl}/check`);

    await page.goto(signInLink);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('heading', { level: 1, name: 'This link has already been used' }).waitFor();
    await checkPage('11-link-used');
  });

  it('asks for the report dates with the GOV.UK date input, with an error summary for a date that is not real', async () => {
    await page.goto(runtime.urls.reports);
    await page.getByRole('heading', { level: 1, name: 'Complaints performance' }).waitFor();
    expect(await page.locator('input[type="date"]').count()).toBe(0);
    await checkPage('12-reports');

    await page.locator('#from-day').fill('31');
    await page.locator('#from-month').fill('2');
    await page.locator('#from-year').fill('2026');
    const answer = page.waitForResponse((r) => r.url().includes('from-day='));
    await page.getByRole('button', { name: 'Show figures' }).click();

    expect((await answer).status()).toBe(400);
    await page.locator('.govuk-error-summary').waitFor();
    expect(await page.locator('.govuk-error-summary').textContent()).toContain(
      'The start date must be a real date',
    );
    await checkPage('13-reports-bad-date');
  });
});

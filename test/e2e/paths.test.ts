/**
 * Two of the paths beyond the happy one, in a real browser against `npm start` with Dudley's
 * policy: a referral (Children's Services complaints go to Dudley's social care complaints team,
 * who are emailed; the complaints team confirms), and a stage-2 request with Dudley's grounds
 * chosen on the resident's page. Every page is checked with axe and screenshotted under
 * test-results/screenshots/.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, runAxe, screenshot } from '../support/browser.js';
import { linkFor, type RuntimeProcess, startRuntimeProcess, waitForEmail } from '../support/runtime.js';

const RESIDENT = { name: 'Mary Seacole', email: 'mary.seacole@example.com' };
const SOCIAL_CARE = 'complaints.socialcare@dudley.gov.uk';
const COMPLAINTS_TEAM = 'complaints@dudley.example.gov.uk';

let runtime: RuntimeProcess;
let browser: Browser;
let page: Page;
let dataDir: string;

async function checkPage(name: string): Promise<void> {
  await screenshot(page, `paths-${name}`);
  const violations = await runAxe(page);
  expect(violations, `${name}: ${JSON.stringify(violations, null, 2)}`).toEqual([]);
}

async function submit(service: string, summary: string): Promise<void> {
  await page.goto(runtime.urls.form);
  await page.locator('#kind').check();
  await page.locator('#service').selectOption(service);
  await page.locator('#summary').fill(summary);
  await page.locator('#complainant-name').fill(RESIDENT.name);
  await page.locator('#complainant-email').fill(RESIDENT.email);
  await page.getByRole('button', { name: /send|submit|continue/i }).click();
  await page.locator('.govuk-panel').waitFor();
}

async function decide(link: string, decision: string, fields: Record<string, string> = {}): Promise<void> {
  await page.goto(link);
  await page.getByRole('heading', { level: 1 }).waitFor();
  const radio = page.locator(`input[name="decision"][value="${decision}"]`);
  if ((await radio.count()) > 0) await radio.check();
  for (const [name, value] of Object.entries(fields)) {
    const radio = page.locator(`input[type="radio"][name="${name}"][value="${value}"]`);
    if ((await radio.count()) > 0) await radio.check();
    else await page.locator(`[name="${name}"]`).fill(value);
  }
  await page.getByRole('button', { name: /continue|send|save|submit|confirm|ask|accept/i }).click();
  await page.locator('.govuk-panel, .govuk-notification-banner--success').first().waitFor();
}

describe('npm start: referrals and stage 2 in a browser (Dudley)', () => {
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'redress-paths-'));
    [runtime, browser] = await Promise.all([
      startRuntimeProcess({ dataDir, timeScale: 1, policy: 'dudley' }),
      launchBrowser(),
    ]);
    page = await browser.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await runtime?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("refers a Children's Services complaint to the social care team, tells the resident when they will hear, and lets the complaints team confirm", async () => {
    await submit('childrens-services', 'Nobody from the children’s team has visited since January.');
    await checkPage('01-referral-confirmation');

    const referral = await waitForEmail(
      runtime,
      (e) => e.destination.to.includes(SOCIAL_CARE),
      'the referral to the social care complaints team',
    );
    expect(referral.body.text).toContain('Nobody from the children’s team has visited since January.');
    const caseLink = /Read the case: (\S+)/.exec(referral.body.text ?? '')?.[1] as string;
    await page.goto(caseLink);
    await checkPage('02-referred-case');

    const letter = await waitForEmail(
      runtime,
      (e) => e.destination.to.includes(RESIDENT.email) && /What happens to your message/.test(e.subject),
      "the resident's letter",
    );
    expect(letter.body.text).toMatch(/We have passed your message to Dudley's social care complaints team/);
    expect(letter.body.text).toMatch(/They will contact you by \w+day \d+ \w+ \d{4}\./);
    expect(letter.body.text).toContain('Ombudsman');

    const task = await waitForEmail(
      runtime,
      (e) => e.destination.to.includes(COMPLAINTS_TEAM) && /Check a message/.test(e.subject),
      "the complaints team's check",
    );
    await page.goto(linkFor(task, 'confirm-exclusion'));
    await page.getByRole('heading', { level: 1 }).waitFor();
    await checkPage('03-confirm-exclusion-task');
    await decide(linkFor(task, 'confirm-exclusion'), 'confirm');
    await checkPage('04-exclusion-confirmed');
  });

  it("asks for stage 2 with one of Dudley's grounds, which the reviewer sees", async () => {
    await submit('highways', 'The council lost my claim form twice and nobody has called back in six weeks.');
    const ack = await waitForEmail(
      runtime,
      (e) => /^Acknowledge/.test(e.subject) && !e.destination.to.includes(RESIDENT.email),
      'the acknowledgement task',
    );
    await decide(linkFor(ack, 'acknowledge'), 'acknowledge');
    const respond = await waitForEmail(
      runtime,
      (e) => /^Send the response/.test(e.subject) && !e.destination.to.includes(RESIDENT.email),
      'the response task',
    );
    await decide(linkFor(respond, 'respond'), 'respond', {
      outcome: 'not-upheld',
      response: 'We found the form was received once and processed.',
    });
    const response = await waitForEmail(
      runtime,
      (e) => e.destination.to.includes(RESIDENT.email) && /\/tasks\//.test(e.body.text ?? ''),
      "the resident's response",
    );

    const link = linkFor(response, 'stage-2-request');
    // The response goes out a moment before the workflow opens the request (a known race): retry.
    for (let i = 0; i < 20; i++) {
      await page.goto(link);
      if (await page.getByRole('button', { name: /ask for a review/i }).count()) break;
      await page.waitForTimeout(500);
    }
    await checkPage('05-stage-2-request');
    await page.getByRole('button', { name: /ask for a review/i }).click();
    await page.locator('.govuk-error-summary').waitFor();
    expect(await page.locator('.govuk-error-summary').textContent()).toContain(
      'Select why you are asking for a review',
    );
    await checkPage('06-stage-2-request-errors');
    await page.locator('input[name="grounds"][value="new-evidence"]').check();
    await page.locator('textarea[name="response"]').fill('I have the postal receipt for the second form.');
    await page.getByRole('button', { name: /ask for a review/i }).click();
    await page.locator('.govuk-panel, .govuk-notification-banner--success').first().waitFor();
    await checkPage('07-stage-2-requested');

    const decision = await waitForEmail(
      runtime,
      (e) => /stage 2 request/i.test(e.subject) && !e.destination.to.includes(RESIDENT.email),
      "the reviewer's stage 2 decision task",
    );
    await page.goto(linkFor(decision, 'stage-2-decision'));
    await page.getByRole('heading', { level: 1 }).waitFor();
    expect(await page.locator('main').textContent()).toContain('New evidence has been provided');
    await checkPage('08-stage-2-decision-task');
  });
});

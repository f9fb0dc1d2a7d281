/**
 * The Ombudsman's case file in a real browser against `npm start -- --demo`: the complaints team
 * (casey) takes the demo's responded complaint to stage 2 by recording the resident's request
 * made by phone, downloads the Ombudsman's file from the case page in one click (a ZIP whose PDF
 * has the contents page and the chronology), marks it sent, and sees it on the timeline. Every
 * page is checked with axe and screenshotted under test-results/screenshots/.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { unzipSync } from 'fflate';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbCaseStore } from '../../functions/adapters/dynamodb-case-store.js';
import { londonDate } from '../../functions/domain/calendar.js';
import { LOCAL_AWS_ENV } from '../../infra/local/stand-ins/index.js';
import { launchBrowser, runAxe, screenshot } from '../support/browser.js';
import { pdfPages } from '../support/pdf-text.js';
import { type RuntimeProcess, startRuntimeProcess } from '../support/runtime.js';

let runtime: RuntimeProcess;
let browser: Browser;
let page: Page;
let dataDir: string;
let store: DynamoDbCaseStore;
let reference: string;
let password: string;

async function checkPage(name: string): Promise<void> {
  await screenshot(page, `ombudsman-file-${name}`);
  const violations = await runAxe(page);
  expect(violations, `${name}: ${JSON.stringify(violations, null, 2)}`).toEqual([]);
}

describe('npm start: the Ombudsman’s case file in a browser', () => {
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'redress-ombudsman-'));
    [runtime, browser] = await Promise.all([startRuntimeProcess({ dataDir, demo: true }), launchBrowser()]);
    // The demo's cases are seeded as the runtime starts: on a busy machine their lines come later.
    const lineOf = async (pattern: RegExp): Promise<string> => {
      for (const deadline = Date.now() + 120_000; Date.now() < deadline; ) {
        const found = pattern.exec(runtime.output())?.[1];
        if (found) return found;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      throw new Error(`npm start never printed ${pattern}:\n${runtime.output()}`);
    };
    password = await lineOf(/Staff user:\s+casey\s+password (\S+)/);
    reference = await lineOf(/demo: (\S+) — responded/);
    store = new DynamoDbCaseStore({
      tableName: 'redress-cases',
      client: DynamoDBDocumentClient.from(
        new DynamoDBClient({
          endpoint: runtime.endpoints.dynamodb,
          region: LOCAL_AWS_ENV.AWS_REGION,
          credentials: {
            accessKeyId: LOCAL_AWS_ENV.AWS_ACCESS_KEY_ID,
            secretAccessKey: LOCAL_AWS_ENV.AWS_SECRET_ACCESS_KEY,
          },
        }),
      ),
    });
    page = await (await browser.newContext({ acceptDownloads: true })).newPage();
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await runtime?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('takes the responded complaint to stage 2 by recording the resident’s request made by phone', async () => {
    expect(password).toBeTruthy();
    expect(reference).toMatch(/^CMP-/);
    await page.goto(`${runtime.baseUrl}/staff/cases/${reference}`);
    await page.getByLabel('User name').fill('casey');
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: reference }).waitFor();
    await page.locator('#stage2Channel').check();
    await page.locator('#stage2Text').fill('You did not tell me why the advice was right.');
    await page.getByRole('button', { name: 'Record the request' }).click();
    await page.locator('.govuk-notification-banner').waitFor();
    await expect
      .poll(async () => (await store.getByReference(reference))?.stage, { timeout: 60_000 })
      .toBe(2);
    await page.goto(`${runtime.baseUrl}/staff/cases/${reference}`);
    await page.getByRole('heading', { name: 'Case file for the Ombudsman' }).waitFor();
    await checkPage('01-case');
  }, 120_000);

  it('downloads the Ombudsman’s file in one click: a ZIP whose PDF has the contents and the chronology', async () => {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download the Ombudsman’s case file (ZIP)' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`${reference}-ombudsman-file.zip`);
    const zip = unzipSync(readFileSync(await download.path()));
    expect(Object.keys(zip)).toEqual(
      expect.arrayContaining([`${reference}-case-file.pdf`, 'manifest.json', 'case-history.json']),
    );
    const pages = await pdfPages(zip[`${reference}-case-file.pdf`] as Uint8Array);
    expect(pages[0]?.replace(/\s+/g, ' ')).toContain(
      'Case file for the Local Government and Social Care Ombudsman',
    );
    expect(pages[1]).toMatch(/^Contents/);
    expect(pages[1]).toMatch(/Chronology \.{3,} ?3/);
    const text = pages.join('\n').replace(/\s+/g, ' ');
    expect(text).toContain('The resident asked for a review (stage 2)');
    expect(text).toContain('Review (stage 2) started');
    expect(text).toContain('In their words: You did not tell me why the advice was right.');
    expect(text).toContain(`Page ${pages.length} of ${pages.length}`);
  }, 120_000);

  it('shows the form again with its errors when it is sent empty', async () => {
    await page.getByRole('button', { name: 'Mark as sent' }).click();
    await page.locator('.govuk-error-summary').waitFor();
    await checkPage('02-errors');
    expect(await page.locator('.govuk-error-summary').textContent()).toContain(
      'Enter the date the file was sent',
    );
  }, 60_000);

  it('marks the file sent, and the case’s timeline shows it', async () => {
    const [year, month, day] = londonDate(new Date().toISOString()).split('-');
    await page.locator('#sentDate-day').fill(String(Number(day)));
    await page.locator('#sentDate-month').fill(String(Number(month)));
    await page.locator('#sentDate-year').fill(year as string);
    await page.locator('#ombudsmanReference').fill('26 001 234');
    await page.locator('#how').check();
    await page.getByRole('button', { name: 'Mark as sent' }).click();
    await page.locator('.govuk-notification-banner').waitFor();
    await checkPage('03-sent');
    expect(await page.locator('.govuk-notification-banner').textContent()).toContain(
      'The case file is marked as sent to the Ombudsman',
    );
    expect(await page.locator('.app-timeline').textContent()).toContain('Case file sent to the Ombudsman');
    const c = await store.getByReference(reference);
    expect(c?.ombudsmanInvolved).toBe(true);
  }, 60_000);
});

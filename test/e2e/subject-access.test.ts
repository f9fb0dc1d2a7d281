/**
 * Subject access and rectification in a real browser against `npm start`: a resident sends three
 * pieces of feedback through the API (one a pothole report, redirected, closed and archived with
 * its printed letter); the data protection officer signs in through the local OpenID Connect
 * provider, records their subject access request, finds and confirms the three cases, exports
 * the ZIP and reads it, then corrects the contact details of the archived case. Every page is
 * checked with axe and screenshotted under test-results/screenshots/.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { strFromU8, unzipSync } from 'fflate';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbCaseStore } from '../../functions/adapters/dynamodb-case-store.js';
import { S3Archive } from '../../functions/adapters/s3-archive.js';
import type { CaseRecord } from '../../functions/domain/case.js';
import { DEFAULT_ARCHIVE_BUCKET, LOCAL_AWS_ENV } from '../../infra/local/stand-ins/index.js';
import { launchBrowser, runAxe, screenshot } from '../support/browser.js';
import { demoStaffUsers, type RuntimeProcess, startRuntimeProcess } from '../support/runtime.js';

let runtime: RuntimeProcess;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let dataDir: string;
let store: DynamoDbCaseStore;
let archive: S3Archive;
const users = new Map<string, { password: string; role: string }>();
const references: string[] = [];
let archived: CaseRecord;

const RESIDENT = {
  name: 'Grace Hopper',
  email: 'grace.hopper@example.com',
  phone: '01632 960123',
  address: '7 Harbour Lane, Exampleton EX2 4QT',
};

async function checkPage(name: string): Promise<void> {
  await screenshot(page, `subject-access-${name}`);
  const violations = await runAxe(page);
  expect(violations, `${name}: ${JSON.stringify(violations, null, 2)}`).toEqual([]);
}

async function submit(body: Record<string, unknown>): Promise<{ reference: string; caseId: string }> {
  const response = await fetch(`${runtime.baseUrl}/complaints`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(201);
  return (await response.json()) as { reference: string; caseId: string };
}

/** A date as the GOV.UK date input takes it, `days` after today (UTC). */
function dateParts(date: Date): { day: string; month: string; year: string } {
  return {
    day: String(date.getUTCDate()),
    month: String(date.getUTCMonth() + 1),
    year: String(date.getUTCFullYear()),
  };
}

describe('npm start: subject access and rectification in a browser', () => {
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'redress-dsar-'));
    [runtime, browser] = await Promise.all([startRuntimeProcess({ dataDir }), launchBrowser()]);
    for (const [name, user] of demoStaffUsers(runtime.output())) users.set(name, user);
    const credentials = {
      accessKeyId: LOCAL_AWS_ENV.AWS_ACCESS_KEY_ID,
      secretAccessKey: LOCAL_AWS_ENV.AWS_SECRET_ACCESS_KEY,
    };
    store = new DynamoDbCaseStore({
      tableName: 'redress-cases',
      client: DynamoDBDocumentClient.from(
        new DynamoDBClient({
          endpoint: runtime.endpoints.dynamodb,
          region: LOCAL_AWS_ENV.AWS_REGION,
          credentials,
        }),
      ),
    });
    archive = new S3Archive({
      bucket: DEFAULT_ARCHIVE_BUCKET,
      client: new S3Client({
        endpoint: runtime.endpoints.s3,
        region: LOCAL_AWS_ENV.AWS_REGION,
        credentials,
        forcePathStyle: true,
      }),
    });
    // Three pieces of feedback from one resident; the pothole report asks for post, so its
    // redirection is a printed letter, archived with the case file when it closes.
    const first = await submit({
      service: 'council-tax-benefits',
      summary:
        'You sent me two council tax bills for the same month with different amounts, and nobody can tell me which one is right.',
      complainant: RESIDENT,
    });
    const second = await submit({
      service: 'parks-leisure',
      summary:
        'The leisure centre cancelled my swimming lessons three times without notice and kept charging my card.',
      complainant: { name: RESIDENT.name, phone: RESIDENT.phone, address: RESIDENT.address },
    });
    const pothole = await submit({
      service: 'highways',
      summary:
        'There is a deep pothole outside 7 Harbour Lane that nearly threw me off my bike this morning.',
      complainant: { ...RESIDENT, contactBy: 'post' },
    });
    references.push(first.reference, second.reference, pothole.reference);
    // The redirection closes the case and archives it in a few seconds.
    const deadline = Date.now() + 90_000;
    while ((await archive.getCaseFile(pothole.caseId)) === undefined) {
      if (Date.now() > deadline)
        throw new Error(`case ${pothole.reference} was not archived:\n${runtime.output()}`);
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    archived = (await store.get(pothole.caseId)) as CaseRecord;
    context = await browser.newContext({ acceptDownloads: true });
    page = await context.newPage();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await runtime?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('signs in the data protection officer, who has the Data protection page', async () => {
    expect(users.get('dana')?.role).toBe('data protection officer');
    await page.goto(`${runtime.baseUrl}/staff/data-protection`);
    await page.getByLabel('User name').fill('dana');
    await page.getByLabel('Password').fill(users.get('dana')?.password ?? '');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Data protection' }).waitFor();
    await checkPage('01-register-empty');
    expect(await page.textContent('body')).toContain('There are no subject access requests on the register');
  });

  it('records a request received a month ago: due within the week, shown on the staff home', async () => {
    await page.getByRole('button', { name: 'Record a subject access request' }).click();
    await page.getByRole('heading', { name: 'Record a subject access request' }).waitFor();
    await checkPage('02-new-request');
    const received = new Date();
    received.setUTCMonth(received.getUTCMonth() - 1);
    received.setUTCDate(received.getUTCDate() + 1);
    const d = dateParts(received);
    await page.getByLabel('Full name').fill(RESIDENT.name);
    await page.getByLabel('Email address (optional)').fill(RESIDENT.email);
    await page.getByLabel('Phone number (optional)').fill(RESIDENT.phone);
    await page.getByLabel('Postcode (optional)').fill('EX2 4QT');
    await page.getByLabel('By email').check();
    await page.getByLabel('Day').fill(d.day);
    await page.getByLabel('Month').fill(d.month);
    await page.getByLabel('Year').fill(d.year);
    await page.getByRole('button', { name: 'Record the request' }).click();
    await page.locator('.govuk-notification-banner').waitFor();
    await checkPage('03-request');
    expect(await page.textContent('body')).toContain('The request is recorded');

    await page.goto(`${runtime.baseUrl}/staff`);
    await page.getByRole('heading', { name: 'Work queue' }).waitFor();
    expect(await page.locator('.govuk-inset-text').textContent()).toMatch(
      /Subject access requests\s+1 (due this week|overdue)/,
    );
    await checkPage('04-home');
  });

  it('finds the three cases, confirms them, and exports one ZIP with the index, JSON and letters', async () => {
    await page.getByRole('link', { name: 'Data protection' }).first().click();
    await page.getByRole('link', { name: RESIDENT.name }).click();
    await page.getByRole('button', { name: 'Find their cases' }).click();
    await page.getByRole('heading', { name: '2. Confirm which cases are theirs' }).waitFor();
    await checkPage('05-found');
    for (const reference of references) {
      await page.getByLabel(new RegExp(reference)).check();
    }
    await page.getByRole('button', { name: 'Confirm these cases' }).click();
    await page.getByText('The cases are confirmed').waitFor();
    await checkPage('06-confirmed');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export their data (ZIP)' }).click(),
    ]);
    const path = await download.path();
    const files = unzipSync(readFileSync(path));
    const names = Object.keys(files);
    expect(names).toEqual(expect.arrayContaining(['index.html', 'redactions.json']));
    for (const reference of references) {
      expect(names).toContain(`cases/${reference}/case.json`);
      expect(names).toContain(`cases/${reference}/events.json`);
    }
    expect(names).toContain(`cases/${archived.reference}/archived-case-file.json`);
    const letters = names.filter(
      (n) => n.startsWith(`cases/${archived.reference}/letters/`) && n.endsWith('.pdf'),
    );
    expect(letters.length).toBeGreaterThan(0);
    expect(strFromU8((files[letters[0] as string] as Uint8Array).slice(0, 5))).toBe('%PDF-');
    const index = strFromU8(files['index.html'] as Uint8Array);
    expect(index).toContain(`Personal data held about ${RESIDENT.name}`);
    for (const reference of references) expect(index).toContain(`Case ${reference}`);

    // The export is on the request's history; the index opened in the browser passes axe too.
    await page.reload();
    expect(await page.locator('table').last().textContent()).toContain('Data exported for review');
    const indexFile = join(dataDir, 'export-index.html');
    writeFileSync(indexFile, index);
    await page.goto(`file://${indexFile}`);
    await checkPage('07-export-index');
  });

  it('corrects the archived case’s contact details: the archive file changes, the old ones stay in its history', async () => {
    await page.goto(`${runtime.baseUrl}/staff/cases/${archived.reference}`);
    await page.getByRole('link', { name: 'Correct contact details' }).click();
    await page.getByRole('heading', { name: 'Correct contact details' }).waitFor();
    await checkPage('08-rectify');
    await page.getByLabel('Email address').fill('grace@');
    await page.getByLabel('Why they are being corrected').fill('She wrote to give her new email address.');
    await page.getByRole('button', { name: 'Save the correction' }).click();
    await page.locator('.govuk-error-summary').waitFor();
    await checkPage('09-rectify-error');
    expect(await page.getByLabel('Email address').inputValue()).toBe('grace@');

    await page.getByLabel('Email address').fill('grace.hopper@navy.example.org');
    await page.getByRole('button', { name: 'Save the correction' }).click();
    await page.getByText('The contact details are corrected').waitFor();
    await checkPage('10-rectified');

    const file = (await archive.getCaseFile(archived.caseId)) as {
      case: CaseRecord;
      events: { type: string; detail?: Record<string, unknown> }[];
    };
    expect(file.case.complainant.email).toBe('grace.hopper@navy.example.org');
    expect(file.events.at(-1)).toMatchObject({
      type: 'rectified',
      detail: { previousEmail: RESIDENT.email },
    });
    expect(await archive.getRetention(archived.caseId)).toBe('2y');
    const trail = (await store.events(archived.caseId)).find((e) => e.type === 'rectified');
    expect(trail?.actor).toMatch(/^dana\.okafor@/);
    expect(trail?.detail).toMatchObject({ previousEmail: RESIDENT.email });
  });
});

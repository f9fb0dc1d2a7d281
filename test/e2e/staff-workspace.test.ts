/**
 * The complaints team's workspace in a real browser against `npm start -- --demo`: sign in
 * through the local OpenID Connect provider with an example user it printed, the queue, search,
 * a case, recording a phone complaint, a note, reassigning, an Ombudsman enquiry on an archived
 * case (whose file is then tagged for 6 years), and signing out. Every page is checked with axe
 * and screenshotted under test-results/screenshots/.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbCaseStore } from '../../functions/adapters/dynamodb-case-store.js';
import { S3Archive } from '../../functions/adapters/s3-archive.js';
import { addWorkingDays, londonDate } from '../../functions/domain/calendar.js';
import { DEFAULT_ARCHIVE_BUCKET, LOCAL_AWS_ENV } from '../../infra/local/stand-ins/index.js';
import { launchBrowser, runAxe, screenshot } from '../support/browser.js';
import { demoStaffUsers, type RuntimeProcess, signInAs, startRuntimeProcess } from '../support/runtime.js';

let runtime: RuntimeProcess;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let dataDir: string;
let store: DynamoDbCaseStore;
let archive: S3Archive;
const users = new Map<string, { password: string; role: string }>();

/** The case ids of the search page's results for `q`, as the signed-in page shows them. */
async function search(q: string): Promise<string[]> {
  await page.goto(`${runtime.baseUrl}/staff/search?q=${encodeURIComponent(q)}`);
  const references = await page.locator('tbody a').allTextContents();
  const ids = await Promise.all(references.map(async (r) => (await store.getByReference(r.trim()))?.caseId));
  return ids.filter((id): id is string => id !== undefined);
}

async function checkPage(name: string): Promise<void> {
  await screenshot(page, `staff-${name}`);
  const violations = await runAxe(page);
  expect(violations, `${name}: ${JSON.stringify(violations, null, 2)}`).toEqual([]);
}

/** Signs in through the provider's own page. */
const signIn = (p: Page, username: string) => signInAs(p, users, username);

describe('npm start: the staff workspace in a browser', () => {
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'redress-staff-'));
    [runtime, browser] = await Promise.all([startRuntimeProcess({ dataDir, demo: true }), launchBrowser()]);
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
    context = await browser.newContext();
    page = await context.newPage();
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await runtime?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('prints the workspace address and one example user per role', () => {
    expect(runtime.output()).toContain(`Staff workspace: ${runtime.baseUrl}/staff`);
    expect([...users.values()].map((u) => u.role)).toEqual(
      expect.arrayContaining(['complaints team', 'nominated officer', 'director', 'administrator']),
    );
    expect([...users.values()].filter((u) => u.role.startsWith('officer ('))).toHaveLength(2);
  });

  it('sends a visitor without a session to the sign-in', async () => {
    const response = await fetch(`${runtime.baseUrl}/staff`, { redirect: 'manual' });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/staff/sign-in?return=%2Fstaff');
  });

  it('signs in through the OpenID Connect provider and shows the queue, soonest deadline first', async () => {
    await page.goto(`${runtime.baseUrl}/staff`);
    await page.getByLabel('User name').waitFor();
    await checkPage('01-sign-in');
    await signIn(page, 'casey');
    await page.getByRole('heading', { name: 'Work queue' }).waitFor();
    await checkPage('02-queue');
    expect(await page.textContent('body')).toContain('Signed in as Casey Morgan (complaints team)');
    const cookies = await context.cookies(`${runtime.baseUrl}/staff`);
    const session = cookies.find((c) => c.name === 'redress_staff');
    expect(session).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Lax', path: '/staff' });
    // The first case listed is overdue, the demo's late letter.
    expect(await page.locator('tbody tr').first().textContent()).toContain('Overdue');
  });

  it('finds a case by the resident’s name and opens it, recording the view', async () => {
    await page.getByRole('link', { name: 'Search' }).click();
    await page.getByLabel(/Reference, name/).fill('Somerville');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.locator('table').waitFor();
    await checkPage('03-search');
    await page.locator('tbody a').first().click();
    await page.getByRole('heading', { name: 'Who has viewed this case' }).waitFor();
    await checkPage('04-case');
    const viewed = await page.locator('table').last().textContent();
    expect(viewed).toContain('casey.morgan@example.gov.uk');
  });

  it('adds a note with the signed-in person as its author', async () => {
    await page.getByLabel('Add a note').fill('Phoned Ms Somerville: surveyor booked for Tuesday.');
    await page.getByRole('button', { name: 'Add note' }).click();
    await page.locator('.govuk-notification-banner').waitFor();
    await checkPage('05-note-added');
    const notes = await page.locator('.govuk-inset-text').allTextContents();
    expect(notes.join(' ')).toContain('by casey.morgan@example.gov.uk');
  });

  it('reassigns the case to a team of the council; the list offers no outside address', async () => {
    const options = await page.locator('#reassignTo option').allTextContents();
    expect(options.every((o) => o === 'Choose a team or person' || o.endsWith('@example.gov.uk'))).toBe(true);
    await page.locator('#reassignTo').selectOption('complaints@example.gov.uk');
    await page.getByRole('button', { name: 'Reassign' }).click();
    await page.locator('.govuk-notification-banner').waitFor();
    const reference = (await page.locator('h1').textContent())?.trim() as string;
    const c = await store.getByReference(reference);
    const events = await store.events(c?.caseId as string);
    expect(events.find((e) => e.type === 'task-done' && e.detail?.decision === 'reassign')).toMatchObject({
      actor: 'casey.morgan@example.gov.uk',
    });
  });

  it('records a complaint received by phone with its real date, made for someone else, with letters by post', async () => {
    const received = addWorkingDays(londonDate(new Date(Date.now() - 10 * 86_400_000).toISOString()), 1);
    const [year, month, day] = received.split('-');
    await page.getByRole('link', { name: 'Record feedback received' }).click();
    await checkPage('06-record');
    await page.getByLabel('By phone').check();
    await page.locator('#receivedDate-day').fill(String(Number(day)));
    await page.locator('#receivedDate-month').fill(String(Number(month)));
    await page.locator('#receivedDate-year').fill(year as string);
    await page.locator('#service').selectOption({ index: 2 });
    await page
      .getByLabel('What they told us')
      .fill('The gritter missed our road all week and my neighbour fell.');
    await page.locator('#complainant-name').fill('Katherine Johnson');
    await page.locator('#complainant-phone').fill('01632 960123');
    await page.getByLabel('By post').check();
    // The details of the person it is for show once the officer answers yes.
    await expect(page.locator('#onBehalfOf-name').isVisible()).resolves.toBe(false);
    await page.locator('input[name="onBehalf"][value="yes"]').check();
    await page.locator('#onBehalfOf-name').fill('Mary Jackson');
    await page.locator('#onBehalfOf-relationship').fill('Neighbour');
    await page.getByLabel('They have agreed to it being made for them').check();
    await page.locator('#accessibilityNeeds').fill('Large print letters');
    await page.getByRole('button', { name: 'Record it' }).click();
    // Post with no address: the form again, the answers kept.
    await page.locator('.govuk-error-summary').waitFor();
    await checkPage('06b-record-error');
    await expect(page.locator('.govuk-error-summary').textContent()).resolves.toContain(
      'Enter their postal address so we can post letters to them',
    );
    await expect(page.locator('#onBehalfOf-name').inputValue()).resolves.toBe('Mary Jackson');
    await expect(page.locator('#accessibilityNeeds').inputValue()).resolves.toBe('Large print letters');
    await page.locator('#complainant-address').fill('3 Orbit Road\nExampletown\nEX2 4CD');
    await page.getByRole('button', { name: 'Record it' }).click();
    await page.locator('.govuk-notification-banner').waitFor();
    await checkPage('07-recorded');
    const reference = (await page.locator('h1').textContent())?.trim() as string;
    const c = await store.getByReference(reference);
    expect(c).toMatchObject({
      channel: 'phone',
      complainant: { contactBy: 'post', address: expect.stringContaining('3 Orbit Road') },
      onBehalfOf: { name: 'Mary Jackson', relationship: 'Neighbour', consent: true },
      accessibilityNeeds: 'Large print letters',
    });
    expect(londonDate(c?.receivedAt as string)).toBe(received);
    expect((await store.events(c?.caseId as string))[0]).toMatchObject({
      type: 'received',
      actor: 'casey.morgan@example.gov.uk',
      channel: 'phone',
    });
  });

  it('records an Ombudsman enquiry on an archived case: its file is re-tagged for 6 years', async () => {
    // The demo's pothole report was redirected, closed and its file archived (2 years).
    const pothole = await store.getByReference('CMP-2026-000005');
    expect(pothole?.status).toBe('closed');
    const caseId = pothole?.caseId as string;
    await expect.poll(() => archive.getRetention(caseId), { timeout: 30_000 }).toBe('2y');
    await page.goto(`${runtime.baseUrl}/staff/cases/CMP-2026-000005`);
    await page.getByLabel('Local Government and Social Care Ombudsman').check();
    await page.getByRole('button', { name: 'Record Ombudsman enquiry' }).click();
    await page.locator('.govuk-notification-banner').waitFor();
    await checkPage('08-ombudsman');
    expect(await archive.getRetention(caseId)).toBe('6y');
    const events = await store.events(caseId);
    expect(events.find((e) => e.type === 'ombudsman-enquiry')).toMatchObject({
      actor: 'casey.morgan@example.gov.uk',
    });
    // What the performance reports count as an Ombudsman enquiry.
    expect((await store.get(caseId))?.ombudsmanInvolved).toBe(true);
  });

  it('lists the phone complaint’s printed letter to post, downloads it, and marks it posted', async () => {
    // Katherine Johnson gave no email: her letters are printed, and wait on the list.
    const c = (await search('Katherine Johnson'))[0];
    await expect
      .poll(async () => (await store.get(c as string))?.lettersToPost?.length ?? 0, { timeout: 30_000 })
      .toBeGreaterThan(0);
    const record = await store.get(c as string);
    const letter = record?.lettersToPost?.[0];
    await page.getByRole('link', { name: 'Letters to post' }).click();
    await page.getByRole('heading', { name: 'Letters to print and post' }).waitFor();
    await checkPage('11-letters');
    const link = page.locator(`a[href$="/${letter?.letter}"]`);
    const row = page.locator('tbody tr').filter({ has: link });
    const href = await link.getAttribute('href');
    const pdf = await page.request.get(`${runtime.baseUrl}${href}`);
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()['content-type']).toBe('application/pdf');
    expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');
    await row.getByRole('button', { name: /Mark as posted/ }).click();
    await page.locator('.govuk-notification-banner').waitFor();
    await checkPage('12-letter-posted');
    expect(await page.locator(`a[href$="/${letter?.letter}"]`).count()).toBe(0);
    const events = await store.events(c as string);
    expect(events.find((e) => e.type === 'letter-posted')).toMatchObject({
      actor: 'casey.morgan@example.gov.uk',
      detail: { letter: letter?.letter },
    });
    await page.goto(`${runtime.baseUrl}/staff/cases/${record?.reference}`);
    expect(await page.locator('.app-timeline').textContent()).toContain('Letter posted');
  });

  it('reopens the closed case: a fresh workflow gives the officer the response task again', async () => {
    await page.goto(`${runtime.baseUrl}/staff/cases/CMP-2026-000005`);
    await page.getByLabel('Reopen the case').fill('The pothole was on a council footpath, not the road.');
    await page.getByRole('button', { name: 'Reopen the case' }).click();
    await page.locator('.govuk-notification-banner').waitFor();
    await checkPage('13-reopened');
    const c = await store.getByReference('CMP-2026-000005');
    expect(c?.status).toBe('investigating');
    expect(c?.reopenings?.[0]).toMatchObject({ by: 'casey.morgan@example.gov.uk' });
    await expect
      .poll(async () => (await store.getByReference('CMP-2026-000005'))?.openTask?.name, { timeout: 30_000 })
      .toBe('respond');
    expect((await store.getByReference('CMP-2026-000005'))?.workflow?.executionArn).toMatch(/_2$/);
  });

  it('lets the nominated officer designate a complainant with a review date', async () => {
    const nominated = [...users].find(([, u]) => u.role === 'nominated officer')?.[0] as string;
    const other = await browser.newContext();
    const p = await other.newPage();
    await p.goto(`${runtime.baseUrl}/staff/cases/CMP-2026-000002`);
    await p.getByLabel('User name').waitFor();
    await signIn(p, nominated);
    await p.getByRole('heading', { name: 'Designate the complainant unreasonably persistent' }).waitFor();
    const review = new Date(Date.now() + 180 * 86_400_000);
    await p
      .getByLabel('Your reasons')
      .fill('Forty calls in a week to officers about a matter already answered.');
    // Two restrictions ticked: both are recorded (and go in the letter), not only the last.
    await p.getByLabel(/in writing/).check();
    await p.getByLabel(/only through the complaints team/).check();
    await p.locator('#reviewDate-day').fill(String(review.getUTCDate()));
    await p.locator('#reviewDate-month').fill(String(review.getUTCMonth() + 1));
    await p.locator('#reviewDate-year').fill(String(review.getUTCFullYear()));
    await p.getByRole('button', { name: 'Designate' }).click();
    await p.locator('.govuk-notification-banner').waitFor();
    await screenshot(p, 'staff-14-designated');
    expect(await runAxe(p)).toEqual([]);
    expect(await p.textContent('body')).toContain('Designated unreasonably persistent');
    const c = await store.getByReference('CMP-2026-000002');
    expect(c?.designation).toMatchObject({ by: expect.stringContaining('@example.gov.uk') });
    expect(c?.designation?.restrictions).toEqual(['single-contact', 'written-only']);
    expect(
      (await store.events(c?.caseId as string)).find((e) => e.type === 'designated-vexatious')?.actor,
    ).toBe(c?.designation?.by);
    await other.close();
  });

  it('refuses a POST with a forged anti-forgery token', async () => {
    const cookie = (await context.cookies(`${runtime.baseUrl}/staff`)).find(
      (c) => c.name === 'redress_staff',
    );
    const response = await fetch(`${runtime.baseUrl}/staff/cases/CMP-2026-000002/note`, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        Cookie: `redress_staff=${cookie?.value}`,
      },
      body: new URLSearchParams({ csrf: 'forged', note: 'not mine' }).toString(),
    });
    expect(response.status).toBe(403);
  });

  it("refuses an officer another service's case", async () => {
    const officer = await browser.newContext();
    const p = await officer.newPage();
    await p.goto(`${runtime.baseUrl}/staff/cases/CMP-2026-000001`);
    await p.getByLabel('User name').waitFor();
    await signIn(p, 'sam');
    expect(await p.textContent('body')).toContain('belongs to another service');
    // Their navigation offers only the pages an officer may open: not the letters to post.
    await p.goto(`${runtime.baseUrl}/staff`);
    await p.getByRole('heading', { name: 'Work queue' }).waitFor();
    await screenshot(p, 'staff-officer-queue');
    expect(await runAxe(p)).toEqual([]);
    const navigation = p.getByRole('navigation', { name: 'Menu' });
    expect(await navigation.getByRole('link').allTextContents()).not.toContain('Letters to post');
    await officer.close();
  });

  it('refuses a public POST that sets the channel or the date received', async () => {
    const response = await fetch(`${runtime.baseUrl}/complaints`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        summary: 'Backdated',
        channel: 'letter',
        receivedAt: '2026-01-05T09:00:00Z',
        complainant: { name: 'Mallory', email: 'mallory@example.com' },
      }),
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { errors: Record<string, string> };
    expect(Object.keys(body.errors).sort()).toEqual(['channel', 'receivedAt']);
  });

  it('signs out of the workspace and the provider; the workspace then asks to sign in', async () => {
    await page.goto(`${runtime.baseUrl}/staff`);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Yes, sign me out' }).waitFor();
    await checkPage('09-provider-sign-out');
    await page.getByRole('button', { name: 'Yes, sign me out' }).click();
    await page.getByRole('heading', { name: 'You have signed out' }).waitFor();
    await checkPage('10-signed-out');
    await page.goto(`${runtime.baseUrl}/staff`);
    await page.getByLabel('User name').waitFor();
    expect(new URL(page.url()).origin).toBe(runtime.endpoints.oidc);
  });
});

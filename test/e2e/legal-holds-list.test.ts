/**
 * The records officer's list of legal holds in a real browser against `npm start -- --demo`: the
 * data protection officer (Dana Okafor) finds "Legal holds" in the workspace's navigation, places
 * a hold on a case with a review date, and sees every held case with its reason, who placed it,
 * when, its review date and whether that date has passed; she keeps one hold to a new review date
 * and lifts another, and the list follows. An officer is offered no such page and is refused it.
 * Every page is checked with axe and screenshotted under test-results/screenshots/.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbCaseStore } from '../../functions/adapters/dynamodb-case-store.js';
import { launchBrowser, runAxe, screenshot } from '../support/browser.js';
import {
  demoStaffUsers,
  type RuntimeProcess,
  runtimeTableClient,
  signInAs,
  startRuntimeProcess,
} from '../support/runtime.js';

const TABLE = 'redress-cases';

let runtime: RuntimeProcess;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let dataDir: string;
let raw: DynamoDBDocumentClient;
let store: DynamoDbCaseStore;
const users = new Map<string, { password: string; role: string }>();
/** Held from its case page, with a review date two years on. */
const PLACED = 'CMP-2026-000005';
/** Held since January with a review date in the past, of which the mailbox was reminded. */
const OVERDUE = 'CMP-2026-000002';
const DANA = 'dana.okafor';

async function checkPage(name: string): Promise<void> {
  await screenshot(page, `holds-${name}`);
  const violations = await runAxe(page);
  expect(violations, `${name}: ${JSON.stringify(violations, null, 2)}`).toEqual([]);
}

const signIn = (p: Page, username: string) => signInAs(p, users, username);

/** The rows of the holds table: each cell's text, the case reference first. */
async function rows(): Promise<string[][]> {
  return page.locator('table.govuk-table tbody tr').evaluateAll((trs) =>
    trs.map((tr) =>
      // innerText: a line break in a cell reads as a space.
      [...tr.querySelectorAll('th, td')].map((c) =>
        (c as unknown as { innerText: string }).innerText.replace(/\s+/g, ' ').trim(),
      ),
    ),
  );
}

describe('npm start: the list of legal holds in a browser', () => {
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'redress-holds-'));
    [runtime, browser] = await Promise.all([startRuntimeProcess({ dataDir, demo: true }), launchBrowser()]);
    for (const [name, user] of demoStaffUsers(runtime.output())) users.set(name, user);
    raw = runtimeTableClient(runtime);
    store = new DynamoDbCaseStore({ tableName: TABLE, client: raw });
    // A hold placed in January whose review date has passed and was reminded of: written as the
    // workspace and the reminder would have left it, through the store (which keeps the list).
    const overdue = await store.getByReference(OVERDUE);
    if (!overdue) throw new Error(`the demo has no ${OVERDUE}`);
    await store.update(overdue.caseId, overdue.version, {
      set: {
        legalHold: {
          at: '2026-01-12T10:30:00.000Z',
          by: 'dana.okafor@example.gov.uk',
          reason: 'ombudsman',
          reviewBy: '2026-06-30',
          remindedFor: '2026-06-30',
        },
      },
      event: {
        at: '2026-01-12T10:30:00.000Z',
        type: 'legal-hold-placed',
        actor: 'dana.okafor@example.gov.uk',
      },
    });
    context = await browser.newContext();
    page = await context.newPage();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await runtime?.stop();
    raw?.destroy();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('shows the data protection officer every held case, reached from the navigation, overdue reviews marked', async () => {
    await page.goto(`${runtime.baseUrl}/staff`);
    await page.getByLabel('User name').waitFor();
    await signIn(page, 'dana');

    // A hold placed from the case page, with a review date.
    await page.goto(`${runtime.baseUrl}/staff/cases/${PLACED}`);
    await page.getByLabel('Litigation, or a claim likely to be made').check();
    await page.locator('#holdReview-day').fill('1');
    await page.locator('#holdReview-month').fill('3');
    await page.locator('#holdReview-year').fill('2028');
    await page.getByRole('button', { name: 'Place legal hold' }).click();
    await page.locator('.govuk-notification-banner').waitFor();

    await page.getByRole('navigation').getByRole('link', { name: 'Legal holds' }).click();
    await page.getByRole('heading', { name: 'Legal holds', level: 1 }).waitFor();
    await checkPage('01-list');

    expect(await rows()).toEqual([
      [
        OVERDUE,
        'An ombudsman’s investigation',
        'dana.okafor@example.gov.uk',
        '12 January 2026 at 10:30am',
        '30 June 2026 Overdue Reminder sent',
      ],
      [
        PLACED,
        'Litigation, or a claim likely to be made',
        expect.stringContaining(DANA),
        expect.stringMatching(/^\d{1,2} \w+ 2\d{3} at \d{1,2}:\d{2}(am|pm)$/),
        '1 March 2028',
      ],
    ]);
    expect(await page.locator('.govuk-warning-text').textContent()).toContain(
      '1 hold is past its review date.',
    );
    expect(await page.getByRole('link', { name: OVERDUE }).getAttribute('href')).toBe(
      `/staff/cases/${OVERDUE}`,
    );
  });

  it('moves a hold kept to a new review date and drops a lifted one', async () => {
    await page.getByRole('link', { name: OVERDUE }).click();
    await page.locator('#holdNextReview-day').fill('30');
    await page.locator('#holdNextReview-month').fill('6');
    await page.locator('#holdNextReview-year').fill('2029');
    await page.getByRole('button', { name: 'Keep the hold until the new date' }).click();
    await page.locator('.govuk-notification-banner').waitFor();
    expect(await page.locator('.govuk-notification-banner').textContent()).toContain(
      'The legal hold is kept until its new review date.',
    );
    await checkPage('02-reviewed');

    await page.goto(`${runtime.baseUrl}/staff/cases/${PLACED}`);
    await page.getByRole('button', { name: 'Lift the legal hold' }).click();
    await page.locator('.govuk-notification-banner').waitFor();

    await page.getByRole('navigation').getByRole('link', { name: 'Legal holds' }).click();
    await page.getByRole('heading', { name: 'Legal holds', level: 1 }).waitFor();
    await checkPage('03-after');
    expect(await rows()).toEqual([
      [
        OVERDUE,
        'An ombudsman’s investigation',
        'dana.okafor@example.gov.uk',
        '12 January 2026 at 10:30am',
        '30 June 2029',
      ],
    ]);
    expect(await page.locator('.govuk-warning-text').count()).toBe(0);
  });

  it('offers an officer no list of holds, and refuses it when asked (403)', async () => {
    const officerContext = await browser.newContext();
    const p = await officerContext.newPage();
    await p.goto(`${runtime.baseUrl}/staff`);
    await p.getByLabel('User name').waitFor();
    await signIn(p, 'sam');
    expect(await p.getByRole('navigation').getByRole('link', { name: 'Legal holds' }).count()).toBe(0);
    const response = await p.goto(`${runtime.baseUrl}/staff/holds`);
    expect(response?.status()).toBe(403);
    expect(await p.textContent('body')).not.toContain(OVERDUE);
    await officerContext.close();
  });
});

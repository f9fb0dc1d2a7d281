/**
 * The letters to post and the case page in a real browser after the resident's address is
 * corrected: the workspace's deployed routes behind the API Gateway stand-in, over DynamoDB Local
 * and the S3 stand-in, signed in as the complaints team. A letter waiting to be posted shows as
 * re-addressed (its PDF the one to the new address); one already posted to the old address is
 * said plainly, without a PDF, and posted again in one click. Each page is checked with axe and
 * screenshotted under test-results/screenshots/.
 */
import { randomUUID } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbAuditLog } from '../../functions/adapters/dynamodb-audit-log.js';
import { DynamoDbStaffStore } from '../../functions/adapters/dynamodb-staff-store.js';
import { DynamoDbSubjectAccessRegister } from '../../functions/adapters/dynamodb-subject-access-register.js';
import { S3Archive } from '../../functions/adapters/s3-archive.js';
import { S3Downloads } from '../../functions/adapters/s3-downloads.js';
import { S3EvidenceStore } from '../../functions/adapters/s3-evidence.js';
import { dataProtectionRoutes } from '../../functions/app/data-protection-routes.js';
import { submitFeedback } from '../../functions/app/intake.js';
import { rectify } from '../../functions/app/rectification.js';
import { markLetterPosted } from '../../functions/app/staff-case-actions.js';
import type { CaseRecord } from '../../functions/domain/case.js';
import { loadPolicy } from '../../functions/domain/policy.js';
import { type ApiGatewayServer, startApiGateway } from '../../infra/local/api-gateway.js';
import { formPost } from '../support/api-event.js';
import { launchBrowser, runAxe, screenshot } from '../support/browser.js';
import { type CaseTableOnStandIns, startCaseTable } from '../support/case-table.js';
import { pdfPages } from '../support/pdf-text.js';
import { DPO, NOMINATED, TEAM } from '../support/staff-members.js';
import { staffSession, workspaceApi, workspaceDeps } from '../support/workspace-api.js';

const policy = loadPolicy('lgsco-code-2024');
const NOW = new Date('2026-03-04T10:00:00Z');
const MOVED = {
  name: 'Grace Hopper',
  phone: '01632 960001',
  address: '7 New Road, Othertown',
  postcode: 'EX9 9ZZ',
  reason: 'The resident phoned to say they have moved',
};

let table: CaseTableOnStandIns;
let gateway: ApiGatewayServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let deps: ReturnType<typeof workspaceDeps<Parameters<typeof dataProtectionRoutes>[1]>>;
let api: ReturnType<typeof workspaceApi>;
/** A letter to the old address still waiting, and one already posted there. */
let waiting: CaseRecord;
let posted: { record: CaseRecord; letter: string };

async function checkPage(name: string): Promise<void> {
  await screenshot(page, `readdressed-${name}`);
  const violations = await runAxe(page);
  expect(violations, `${name}: ${JSON.stringify(violations, null, 2)}`).toEqual([]);
}

/** A plain-http address on this machine, as the gateway stand-in serves. */
const LOCAL_BASE_URL = 'http://127.0.0.1';

/** A postal complaint with one real letter on the list (the nominated officer's designation letter). */
async function postalCaseWithLetter(name: string): Promise<{ record: CaseRecord; letter: string }> {
  const intake = { store: table.store, policy, now: () => NOW, newId: () => `case-${randomUUID()}` };
  const { record } = await submitFeedback(intake, {
    service: policy.routing.services[0]?.id,
    summary: 'Officers keep calling at my house without warning.',
    complainant: { name, phone: '01632 960001', address: '12 Mill Lane, Exampletown EX1 2AB' },
  });
  const nominated = await staffSession(deps.staffStore, NOMINATED, NOW, LOCAL_BASE_URL);
  const done = await api(
    formPost(
      `/staff/cases/${record.reference}/designate`,
      {
        csrf: nominated.csrf,
        designationReason: 'Daily calls to officers about a matter already answered.',
        restrictions: 'written-only',
        reviewDay: '4',
        reviewMonth: '9',
        reviewYear: '2026',
      },
      { Cookie: nominated.cookie },
    ),
  );
  expect(done.statusCode).toBe(303);
  return { record, letter: (await table.store.get(record.caseId))?.lettersToPost?.[0]?.letter as string };
}

describe('letters to post after an address is corrected, in a browser', () => {
  beforeAll(async () => {
    table = await startCaseTable(['dynamodb', 's3']);
    const staffStore = new DynamoDbStaffStore({ tableName: table.tableName });
    deps = workspaceDeps({
      store: table.store,
      staffStore,
      policy,
      now: () => NOW,
      // Served on plain http on this machine, as npm start is: the cookie keeps its plain name.
      baseUrl: LOCAL_BASE_URL,
      archive: new S3Archive({ bucket: table.standIns.bucket }),
      evidence: new S3EvidenceStore({ bucket: table.standIns.bucket }),
      downloads: new S3Downloads({ bucket: table.standIns.bucket }),
      audit: new DynamoDbAuditLog({ tableName: table.tableName }),
      subjectAccess: new DynamoDbSubjectAccessRegister({ tableName: table.tableName }),
    });
    api = workspaceApi(deps, dataProtectionRoutes);
    gateway = await startApiGateway({ handler: (event) => api(event) });

    waiting = (await postalCaseWithLetter('Grace Hopper')).record;
    posted = await postalCaseWithLetter('Grace Hopper');
    await markLetterPosted(deps, TEAM, posted.record.reference, posted.letter);
    await rectify(deps, DPO, waiting.reference, MOVED);
    await rectify(deps, DPO, posted.record.reference, MOVED);

    browser = await launchBrowser();
    context = await browser.newContext();
    const session = await staffSession(staffStore, TEAM, NOW, LOCAL_BASE_URL);
    await context.addCookies([{ name: 'redress_staff', value: session.id, url: gateway.url }]);
    page = await context.newPage();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await gateway?.close();
    await table?.stop();
  });

  it('shows the re-addressed letter as the one to print, and the posted one as gone to the previous address', async () => {
    await page.goto(`${gateway.url}/staff/letters`);
    await page.getByRole('heading', { name: 'Letters to print and post' }).waitFor();
    await checkPage('letters');

    const readdressed = page.locator('tbody tr').filter({ hasText: waiting.reference });
    await expect(readdressed.textContent()).resolves.toContain('Re-addressed');
    const href = (await readdressed.getByRole('link').nth(1).getAttribute('href')) as string;
    const pdf = await page.request.get(`${gateway.url}${href}`);
    expect(pdf.status()).toBe(200);
    const text = (await pdfPages(await pdf.body())).join('\n');
    expect(text).toContain('7 New Road');
    expect(text).not.toContain('12 Mill Lane');

    const previous = page.locator('tbody tr').filter({ hasText: posted.record.reference });
    await expect(previous.textContent()).resolves.toContain('Posted to the previous address');
    expect(await previous.locator(`a[href$="/${posted.letter}"]`).count()).toBe(0);
  });

  it('tells the team plainly on the case page, and posts the letter again in one click', async () => {
    await page.goto(`${gateway.url}/staff/cases/${posted.record.reference}`);
    await page.locator('.govuk-warning-text').first().waitFor();
    await checkPage('case-posted-to-previous');
    await expect(page.locator('.govuk-warning-text').first().textContent()).resolves.toContain(
      'was posted to the previous address',
    );

    await page.getByRole('button', { name: /Post it again to the corrected address/ }).click();
    await page.locator('.govuk-notification-banner').waitFor();
    await checkPage('letters-posted-again');

    const row = page.locator('tbody tr').filter({ hasText: posted.record.reference });
    await expect(row.textContent()).resolves.not.toContain('Posted to the previous address');
    await expect(row.getByRole('button', { name: /Mark as posted/ }).count()).resolves.toBe(1);
    await page.goto(`${gateway.url}/staff/cases/${waiting.reference}`);
    await checkPage('case-readdressed');
    await expect(page.locator('body').textContent()).resolves.toContain(
      'Not to be posted: written again to the corrected address',
    );
  });
});

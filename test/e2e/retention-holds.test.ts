/**
 * Legal holds and erasure in a real browser against `npm start -- --demo`: the data protection
 * officer (Dana Okafor) places a legal hold on a closed, archived case; an officer's attempt to
 * lift it is refused and audited; another case is erased and its page shows the tombstone while
 * its archive objects are gone; then the local sweeper, its clock three years on, deletes an
 * unheld case's archive and keeps the held one. Every page is checked with axe and
 * screenshotted under test-results/screenshots/.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseKey } from '../../functions/adapters/case-table.js';
import { DynamoDbAuditLog } from '../../functions/adapters/dynamodb-audit-log.js';
import { DynamoDbCaseStore } from '../../functions/adapters/dynamodb-case-store.js';
import { S3Archive } from '../../functions/adapters/s3-archive.js';
import { S3RecordsControl } from '../../functions/adapters/s3-records-control.js';
import type { AuditEntry } from '../../functions/domain/audit.js';
import { loadPolicy } from '../../functions/domain/policy.js';
import { retentionRules } from '../../functions/domain/retention.js';
import { DEFAULT_ARCHIVE_BUCKET, LOCAL_AWS_ENV } from '../../infra/local/stand-ins/index.js';
import { sweepArchive } from '../../infra/local/sweeper.js';
import { launchBrowser, runAxe, screenshot } from '../support/browser.js';
import { demoStaffUsers, type RuntimeProcess, signInAs, startRuntimeProcess } from '../support/runtime.js';

const TABLE = 'redress-cases';
const DAY_MS = 86_400_000;

let runtime: RuntimeProcess;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let dataDir: string;
let raw: DynamoDBDocumentClient;
let store: DynamoDbCaseStore;
let s3: S3Client;
let archive: S3Archive;
let control: S3RecordsControl;
let audit: DynamoDbAuditLog;
const users = new Map<string, { password: string; role: string }>();
/** The demo's redirected pothole report: closed and archived. Held in this test. */
const HELD = 'CMP-2026-000005';
let held: string;
/** Two more pothole reports, closed and archived the same way: one erased, one left alone. */
let erased: { reference: string; caseId: string };
let unheld: { reference: string; caseId: string };

async function checkPage(name: string): Promise<void> {
  await screenshot(page, `retention-${name}`);
  const violations = await runAxe(page);
  expect(violations, `${name}: ${JSON.stringify(violations, null, 2)}`).toEqual([]);
}

const signIn = (p: Page, username: string) => signInAs(p, users, username);

/** A resident's pothole report: triage redirects it, and the workflow closes and archives it. */
async function reportPothole(name: string): Promise<{ reference: string; caseId: string }> {
  const response = await fetch(`${runtime.baseUrl}/complaints`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      service: 'highways',
      summary: `There is a deep pothole outside ${name.length} Station Road that nearly threw me off my bike.`,
      complainant: { name, email: `${name.toLowerCase().replace(/\W+/g, '.')}@example.com` },
    }),
  });
  expect(response.status).toBe(201);
  return (await response.json()) as { reference: string; caseId: string };
}

/** Waits until the case's file is in the archive with its retention class. */
async function archived(caseId: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await archive.getRetention(caseId)) !== '2y') {
    if (Date.now() > deadline) throw new Error(`case ${caseId} was not archived:\n${runtime.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
}

async function auditEntries(): Promise<AuditEntry[]> {
  const month = new Date().toISOString().slice(0, 7);
  const entries: AuditEntry[] = [];
  for await (const e of audit.between(month, month)) entries.push(e);
  return entries;
}

describe('npm start: legal holds and erasure in a browser', () => {
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'redress-retention-'));
    [runtime, browser] = await Promise.all([startRuntimeProcess({ dataDir, demo: true }), launchBrowser()]);
    for (const [name, user] of demoStaffUsers(runtime.output())) users.set(name, user);
    const credentials = {
      accessKeyId: LOCAL_AWS_ENV.AWS_ACCESS_KEY_ID,
      secretAccessKey: LOCAL_AWS_ENV.AWS_SECRET_ACCESS_KEY,
    };
    raw = DynamoDBDocumentClient.from(
      new DynamoDBClient({
        endpoint: runtime.endpoints.dynamodb,
        region: LOCAL_AWS_ENV.AWS_REGION,
        credentials,
      }),
    );
    store = new DynamoDbCaseStore({ tableName: TABLE, client: raw });
    audit = new DynamoDbAuditLog({ tableName: TABLE, client: raw });
    s3 = new S3Client({
      endpoint: runtime.endpoints.s3,
      region: LOCAL_AWS_ENV.AWS_REGION,
      credentials,
      forcePathStyle: true,
    });
    archive = new S3Archive({ bucket: DEFAULT_ARCHIVE_BUCKET, client: s3 });
    control = new S3RecordsControl({ bucket: DEFAULT_ARCHIVE_BUCKET, client: s3 });
    erased = await reportPothole('Grace Hopper');
    unheld = await reportPothole('Alan Turing');
    held = (await store.getByReference(HELD))?.caseId as string;
    // Each report's workflow closes it and archives it (2 years) within seconds.
    for (const caseId of [held, erased.caseId, unheld.caseId]) await archived(caseId);
    context = await browser.newContext();
    page = await context.newPage();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await runtime?.stop();
    raw?.destroy();
    s3?.destroy();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('lets the data protection officer place a legal hold on a closed, archived case', async () => {
    await page.goto(`${runtime.baseUrl}/staff/cases/${HELD}`);
    await page.getByLabel('User name').waitFor();
    await signIn(page, 'dana');
    await page.getByRole('heading', { name: 'Retention and erasure' }).waitFor();
    await checkPage('01-case');
    // No reason chosen: the whole case page again with the error, every section still there.
    await page.getByRole('button', { name: 'Place legal hold' }).click();
    await page.locator('.govuk-error-summary').waitFor();
    await checkPage('01-hold-error');
    expect(await page.textContent('body')).toContain('Case file for the Ombudsman');
    await page.getByLabel('Litigation, or a claim likely to be made').check();
    await page.locator('#holdNote').fill('Claim HC-2026-0042');
    await page.getByRole('button', { name: 'Place legal hold' }).click();
    await page.locator('.govuk-notification-banner').waitFor();
    await checkPage('02-held');

    expect(await page.textContent('body')).toContain('Nothing of this case is deleted by retention');
    expect(Object.values(await control.tags(held)).every((t) => t === 'hold')).toBe(true);
    const item = await raw.send(
      new GetCommand({ TableName: TABLE, Key: caseKey(held), ConsistentRead: true }),
    );
    // The hold is read as every step reads the case (its item may be packed); the item's expiry
    // (DynamoDB's TTL attribute, never packed) is read from the item itself.
    expect((await store.get(held))?.legalHold).toMatchObject({
      reason: 'litigation',
      by: expect.stringContaining('dana'),
    });
    expect(item.Item?.expiresAt).toBeUndefined();
    expect((await auditEntries()).map((e) => e.action)).toContain('hold.place');
  });

  it('refuses an officer who tries to lift the hold (403), and audits the refusal', async () => {
    const officerContext = await browser.newContext();
    const p = await officerContext.newPage();
    await p.goto(`${runtime.baseUrl}/staff`);
    await p.getByLabel('User name').waitFor();
    await signIn(p, 'sam');
    // The officer has no lift button: the browser posts the form by hand, with the session's token.
    const path = `/staff/cases/${HELD}/legal-hold/lift`;
    const responded = p.waitForResponse((r) => r.url().endsWith(path) && r.request().method() === 'POST');
    await p.evaluate(`(() => {
      const form = document.createElement('form');
      form.method = 'post';
      form.action = '${path}';
      const token = document.createElement('input');
      token.type = 'hidden';
      token.name = 'csrf';
      token.value = document.querySelector('input[name="csrf"]').value;
      form.appendChild(token);
      document.body.appendChild(form);
      form.submit();
    })()`);
    const status = (await responded).status();
    await p.waitForLoadState();
    expect(status).toBe(403);
    expect(await p.textContent('body')).toContain('Only the data protection team may lift a legal hold');
    await screenshot(p, 'retention-03-lift-refused');
    await officerContext.close();

    expect((await store.get(held))?.legalHold).toBeDefined();
    const refused = (await auditEntries()).filter((e) => e.action === 'refused');
    expect(refused).toContainEqual(
      expect.objectContaining({ attempted: 'hold.lift', subject: expect.objectContaining({ caseId: held }) }),
    );
  });

  it('erases another closed case: its page shows the tombstone and its archive is gone', async () => {
    await page.goto(`${runtime.baseUrl}/staff/cases/${erased.reference}`);
    await page.getByRole('heading', { name: 'Retention and erasure' }).waitFor();
    await page.getByLabel('Erase this case: the ground (UK GDPR Article 17(1))').selectOption('objection');
    await page.getByLabel('I understand this cannot be undone').check();
    await page.getByRole('button', { name: 'Erase case' }).click();
    await page.locator('.govuk-notification-banner').waitFor();
    await checkPage('04-erased');

    const body = (await page.textContent('body')) ?? '';
    expect(body).toMatch(/This case was erased on .+, reason: Article 17\(1\)\(c\)/);
    expect(body).not.toContain('Grace Hopper');
    expect(body).not.toContain('grace.hopper@example.com');
    expect(await control.tags(erased.caseId)).toEqual({});
    expect((await store.get(erased.caseId))?.complainant).toEqual({});
    expect((await auditEntries()).map((e) => e.action)).toContain('erase');
  });

  it('keeps the held case and its archive through a sweep past retention, while the unheld one goes', async () => {
    const threeYearsOn = new Date(Date.now() + 3 * 365 * DAY_MS);
    const result = await sweepArchive({
      client: s3,
      bucket: DEFAULT_ARCHIVE_BUCKET,
      rules: retentionRules(loadPolicy('lgsco-code-2024')),
      now: () => threeYearsOn,
    });

    const expired = result.expired.map((x) => x.key);
    expect(expired).toContain(`cases/${unheld.caseId}.json`);
    expect(expired.filter((k) => k.includes(held))).toEqual([]);
    expect(Object.keys(await control.tags(held))).toContain(`cases/${held}.json`);
    expect(await archive.getCaseFile(held)).toMatchObject({ case: { caseId: held } });

    await page.goto(`${runtime.baseUrl}/staff/cases/${HELD}`);
    await page.getByRole('heading', { name: 'Retention and erasure' }).waitFor();
    await checkPage('05-held-after-sweep');
    expect(await page.textContent('body')).toContain('Legal hold');
  });
});

/**
 * A resident without email, through `npm start` in a real browser: a phone-only complaint sent
 * through the form becomes a printed letter stored with the case (the S3 stand-in) and a "print
 * and post" email in the SES stand-in's inbox, whose links open the PDF and the case page with
 * the resident's phone.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, runAxe, screenshot } from '../support/browser.js';
import { type RuntimeProcess, startRuntimeProcess, waitForEmail } from '../support/runtime.js';

const PHONE = '01632 960 001';

let runtime: RuntimeProcess;
let browser: Browser;
let page: Page;
let dataDir: string;

describe('npm start: letters by post for a resident without email', () => {
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'redress-post-'));
    [runtime, browser] = await Promise.all([startRuntimeProcess({ dataDir, timeScale: 1 }), launchBrowser()]);
    page = await browser.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await runtime?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('prints the receipt of a phone-only complaint and asks the mailbox to post it', async () => {
    // Prepare
    await page.goto(runtime.urls.form);
    await page.locator('#summary').fill('The bin crew missed my street three weeks running.');
    await page.locator('#complainant-name').fill('Grace Hopper');
    await page.locator('#complainant-phone').fill(PHONE);

    // Act
    await page.getByRole('button', { name: /send|submit|continue/i }).click();
    await page.locator('.govuk-panel').waitFor();
    const email = await waitForEmail(
      runtime,
      (e) => e.subject.startsWith('Print and post:'),
      'print and post',
    );

    // Assess: the email says what to do, to whom, and links to the letter and the case.
    const text = email.body.text ?? '';
    expect(email.subject).toMatch(/^Print and post: We have received your complaint \(CMP-\d{4}-\d{6}\)$/);
    expect(text).toContain(`We have no postal address for Grace Hopper. Phone them on ${PHONE}`);
    const letterUrl = /Open the letter \(PDF\): (\S+)/.exec(text)?.[1] as string;
    const caseUrl = /The case: (\S+)/.exec(text)?.[1] as string;
    const pdf = await fetch(letterUrl);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    const bytes = Buffer.from(await pdf.arrayBuffer());
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    expect(bytes.toString('latin1')).toMatch(/\/Lang \(en-GB\)/);
    // No email went to anyone but the mailbox and the officer's task.
    expect(
      (await runtime.emails()).every((e) => e.destination.to.every((to) => to.endsWith('.gov.uk'))),
    ).toBe(true);

    await page.goto(caseUrl);
    await page.getByRole('heading', { level: 1 }).waitFor();
    const main = (await page.locator('main').textContent()) ?? '';
    expect(main).toContain(PHONE);
    expect(main).toMatch(/Letters go by\s*post/);
    expect(main).toMatch(/Letter sent to print/);
    await screenshot(page, 'post-case');
    expect(await runAxe(page)).toEqual([]);
  });
});

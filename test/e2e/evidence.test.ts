/**
 * Sending evidence in a real browser against `npm start`: after the form, the resident opens the
 * evidence page from the confirmation, and each file goes straight to the S3 stand-in with a
 * presigned POST, back to the service's check by content, and past the stand-in malware scanner.
 * A PNG and a PDF are kept; an EICAR test file, an 11 MB file (with and without JavaScript) and a
 * sixth file are refused, each with a message; the officer sees the files and downloads only
 * clean ones. Every page is checked with axe (WCAG 2.2 AA) and screenshotted.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EICAR_SIGNATURE } from '../../infra/local/stand-ins/scanner.js';
import { launchBrowser, runAxe, screenshot } from '../support/browser.js';
import { type RuntimeProcess, startRuntimeProcess } from '../support/runtime.js';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'evidence');
const file = (name: string, mimeType: string, buffer = readFileSync(join(FIXTURES, name))) => ({
  name,
  mimeType,
  buffer,
});

let runtime: RuntimeProcess;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let dataDir: string;
let evidenceUrl: string;
let reference: string;

async function checkPage(p: Page, name: string): Promise<void> {
  await screenshot(p, `evidence-${name}`);
  const violations = await runAxe(p);
  expect(violations, `${name}: ${JSON.stringify(violations, null, 2)}`).toEqual([]);
}

/**
 * Chooses a file on the evidence page and sends it; resolves on the page of this upload (with
 * JavaScript the page sends the file itself and then opens it, so the page stays a moment).
 */
async function upload(p: Page, chosen: ReturnType<typeof file>): Promise<void> {
  const before = new URL(p.url()).searchParams.get('file');
  await p.locator('input[type="file"]').setInputFiles(chosen);
  await Promise.all([
    p.waitForURL((url) => url.searchParams.has('file') && url.searchParams.get('file') !== before),
    p.getByRole('button', { name: 'Upload file' }).click(),
  ]);
}

/** The text of the files table's row for `File n`, spaces collapsed. */
async function rowText(p: Page, n: number): Promise<string> {
  const row = p.locator('tr', { has: p.locator('th', { hasText: new RegExp(`^\\s*File ${n}\\s*$`) }) });
  if ((await row.count()) === 0) return '';
  return ((await row.textContent()) ?? '').replace(/\s+/g, ' ').trim();
}

/** Reloads until the row of `File n` holds `text` (the scanner works on its own time). */
async function waitForRow(p: Page, n: number, text: string): Promise<string> {
  let seen = '';
  for (let i = 0; i < 60; i++) {
    seen = await rowText(p, n);
    if (seen.includes(text)) return seen;
    await new Promise((resolve) => setTimeout(resolve, 500));
    await p.reload();
  }
  throw new Error(`File ${n} never showed "${text}"; last seen: "${seen}"`);
}

describe('npm start: sending evidence in a browser', () => {
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'redress-evidence-'));
    [runtime, browser] = await Promise.all([startRuntimeProcess({ dataDir }), launchBrowser()]);
    context = await browser.newContext();
    page = await context.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await runtime?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('offers to send evidence on the confirmation page', async () => {
    // Prepare
    await page.goto(runtime.urls.form);
    await page.locator('#kind').check();
    await page.locator('#service').selectOption('council-tax-benefits');
    await page.locator('#summary').fill('Damp in my flat has been reported three times and nobody came.');
    await page.locator('#complainant-name').fill('Ada Lovelace');
    await page.locator('#complainant-email').fill('ada@example.com');
    // Act
    await page.getByRole('button', { name: /send|submit|continue/i }).click();
    await page.locator('.govuk-panel').waitFor();
    // Assess
    reference = /CMP-\d{4}-\d{6}/.exec(
      (await page.locator('.govuk-panel').textContent()) ?? '',
    )?.[0] as string;
    const link = page.getByRole('link', { name: `Send evidence for ${reference}` });
    evidenceUrl = new URL((await link.getAttribute('href')) as string, runtime.baseUrl).href;
    await checkPage(page, '01-confirmation');
  });

  it('shows an empty evidence page whose form posts to the S3 stand-in', async () => {
    // Act
    await page.goto(evidenceUrl);
    // Assess
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Send evidence');
    expect(await page.locator('form[enctype="multipart/form-data"]').getAttribute('action')).toContain(
      runtime.endpoints.s3,
    );
    await checkPage(page, '02-empty');
  });

  it('keeps a PNG and a PDF, and marks them received once the scan passes', async () => {
    // Act
    await upload(page, file('photo.png', 'image/png'));
    // Assess
    expect(await page.locator('.govuk-notification-banner--success').textContent()).toContain(
      'File 1 (PNG image, 1 KB) has been uploaded',
    );
    await checkPage(page, '03-png-uploaded');
    await upload(page, file('letter.pdf', 'application/pdf'));
    expect(await waitForRow(page, 2, 'Received')).toContain('File 2 PDF, 1 KB');
    expect(await waitForRow(page, 1, 'Received')).toContain('File 1 PNG image, 1 KB');
    await checkPage(page, '04-pdf-received');
  }, 120_000);

  it('refuses a file holding the EICAR test string and says the virus check found a threat', async () => {
    // Prepare: a PDF by its bytes, so only the scanner can refuse it
    const eicar = Buffer.concat([
      Buffer.from('%PDF-1.4\n'),
      Buffer.from(EICAR_SIGNATURE),
      Buffer.from('\n%%EOF\n'),
    ]);
    // Act
    await upload(page, file('eicar.pdf', 'application/pdf', eicar));
    expect(await waitForRow(page, 3, 'Not accepted')).toContain(
      'The file was not accepted: our virus check found a threat in it',
    );
    // Assess: the page of that upload says it too, in the error summary
    expect(await page.locator('.govuk-error-summary').textContent()).toContain(
      'our virus check found a threat',
    );
    await checkPage(page, '05-eicar-refused');
  }, 120_000);

  it('stops an 11 MB file in the page before it is sent', async () => {
    // Prepare
    await page.goto(evidenceUrl);
    const big = Buffer.alloc(11 * 1024 * 1024);
    readFileSync(join(FIXTURES, 'letter.pdf')).copy(big);
    // Act
    await page.locator('input[type="file"]').setInputFiles(file('big.pdf', 'application/pdf', big));
    await page.getByRole('button', { name: 'Upload file' }).click();
    // Assess
    await page.locator('.govuk-error-summary').waitFor();
    expect(await page.locator('.govuk-error-summary').textContent()).toContain('larger than 10 MB');
    expect(await page.locator('#file-error').textContent()).toContain('larger than 10 MB');
    // Above the field, as GOV.UK places an error message, and read out with the field's button.
    const errorBox = await page.locator('#file-error').boundingBox();
    const fieldBox = await page.locator('.govuk-file-upload-wrapper').boundingBox();
    expect(errorBox && fieldBox && errorBox.y + errorBox.height <= fieldBox.y).toBe(true);
    expect(await page.locator('button#file').getAttribute('aria-describedby')).toContain('file-error');
    expect(new URL(page.url()).href).toBe(evidenceUrl);
    await checkPage(page, '06-oversized-in-page');
  });

  it('refuses an 11 MB file sent without JavaScript after it arrives, and says why', async () => {
    // Prepare
    const noScript = await browser.newContext({ javaScriptEnabled: false });
    const p = await noScript.newPage();
    await p.goto(evidenceUrl);
    const big = Buffer.alloc(11 * 1024 * 1024);
    readFileSync(join(FIXTURES, 'photo.png')).copy(big);
    // Act
    await upload(p, file('big.png', 'image/png', big));
    // Assess
    expect(await p.locator('.govuk-error-summary').textContent()).toContain('it is larger than 10 MB');
    expect(await rowText(p, 4)).toContain('The file was not accepted: it is larger than 10 MB');
    // axe needs JavaScript: the same server-rendered page is checked in the main context.
    await screenshot(p, 'evidence-07-oversized-no-js');
    await page.goto(p.url());
    await checkPage(page, '07-oversized-no-js-axe');
    await noScript.close();
  });

  it('refuses a sixth file, from a page opened before the fifth, and then offers no more uploads', async () => {
    // Prepare: three more kept files make five; a second tab holds a form signed before the fifth
    await page.goto(evidenceUrl);
    await upload(page, file('photo.jpg', 'image/jpeg'));
    await page.goto(evidenceUrl);
    await upload(page, file('photo.heic', 'image/heic'));
    const stale = await context.newPage();
    await stale.goto(evidenceUrl);
    await page.goto(evidenceUrl);
    await upload(
      page,
      file('letter.docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'),
    );
    await page.goto(evidenceUrl);
    expect(await page.locator('.govuk-inset-text').textContent()).toContain('You have sent 5 files');
    expect(await page.locator('input[type="file"]').count()).toBe(0);
    await checkPage(page, '08-five-files');
    // Act: a photo not sent before (the same content again would be file 1, kept once)
    const another = Buffer.concat([readFileSync(join(FIXTURES, 'photo.png')), Buffer.from('another photo')]);
    await upload(stale, file('another.png', 'image/png', another));
    // Assess
    expect(await stale.locator('.govuk-error-summary').textContent()).toContain('at most 5 files');
    await checkPage(stale, '09-sixth-refused');
    await stale.close();
    const api = await fetch(evidenceUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{}',
    });
    expect(api.status).toBe(409);
    expect(await api.json()).toEqual({ error: 'a complaint can have at most 5 files' });
  });

  it('shows the officer every file, with a download only for clean ones', async () => {
    // Prepare
    const users = new Map<string, string>();
    for (const m of runtime.output().matchAll(/Staff user:\s+(\S+)\s+password (\S+)/g)) {
      users.set(m[1] as string, m[2] as string);
    }
    const staff = await browser.newPage();
    await staff.goto(`${runtime.baseUrl}/staff/cases/${reference}`);
    await staff.getByLabel('User name').fill('casey');
    await staff.getByLabel('Password').fill(users.get('casey') ?? '');
    await staff.getByRole('button', { name: 'Sign in' }).click();
    await staff.waitForURL(/\/staff\/cases\//);
    // Act
    const section = staff.locator('#evidence + table');
    await waitForRow(staff, 7, 'Received');
    // Assess
    const text = (await section.textContent()) ?? '';
    expect(text).toContain('Download PNG image, 1 KB');
    expect(text).toContain('The file was not accepted: our virus check found a threat in it');
    expect(text).toContain('The file was not accepted: it is larger than 10 MB');
    expect(await section.getByRole('link').count()).toBe(5);
    expect(await staff.locator('main').textContent()).toContain('Evidence not accepted');
    await checkPage(staff, '10-staff-case');
    const href = (await section
      .getByRole('link', { name: 'Download PNG image, 1 KB' })
      .getAttribute('href')) as string;
    const cookies = await staff.context().cookies(`${runtime.baseUrl}/staff`);
    const download = await fetch(new URL(href, runtime.baseUrl), {
      headers: { Cookie: cookies.map((c) => `${c.name}=${c.value}`).join('; ') },
    });
    expect(download.status).toBe(200);
    expect(Buffer.from(await download.arrayBuffer())).toEqual(readFileSync(join(FIXTURES, 'photo.png')));
    await staff.close();
  }, 120_000);
});

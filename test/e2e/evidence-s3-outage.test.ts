/**
 * A resident sends a file while S3 is down, the rest of `npm start` up. The file goes from the
 * browser straight to S3 (a presigned POST): when S3 cannot be reached the browser would show its
 * own error page, and the resident would lose the page and not know whether the file or their
 * complaint got through. They stay on our evidence page, told that the file was not received,
 * that their complaint is safe, and what to do; once S3 is back the same page sends the file.
 * The whole runtime runs in this process; the S3 stand-in's port is closed for a few seconds
 * (`POST /_faults/outage`), or it takes every request and answers none (`POST /_faults/hang`).
 * The page is screenshotted and checked with axe.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { injectS3Fault } from '../../infra/local/stand-ins/index.js';
import { launchBrowser, runAxe, screenshot } from '../support/browser.js';
import { answers, until as polled } from '../support/polling.js';
import { runtimeInProcess } from '../support/runtime-in-process.js';

const OUTAGE_SECONDS = 8;
/** Longer than the page waits for a small file to reach S3 (20 seconds), so the page gives up first. */
const HANG_SECONDS = 45;

const { runtime, output } = runtimeInProcess('evidence-s3-outage', 1);
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

const s3Answers = () => answers(runtime().endpoints.s3);

const until = (check: () => Promise<boolean>, what: string, timeoutMs = 30_000) =>
  polled(check, what, { timeoutMs, context: () => output.join('\n') });

/** A complaint accepted, and the address of its evidence page (as its confirmation page links it). */
async function evidencePageOfNewComplaint(): Promise<string> {
  const answer = await fetch(`${runtime().endpoints.api}/complaints`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      service: 'planning',
      summary: 'The planning team promised three times to call me back about my enquiry and never did.',
      complainant: { name: 'A Resident', email: 'upload.resident@example.com' },
    }),
  });
  expect(answer.status).toBe(201);
  const { evidenceUrl } = (await answer.json()) as { evidenceUrl?: string };
  expect(evidenceUrl).toBeDefined();
  return new URL(evidenceUrl as string, runtime().endpoints.api).href;
}

const letter = {
  name: 'letter.pdf',
  mimeType: 'application/pdf',
  buffer: Buffer.from('%PDF-1.4\n% A letter the council sent me.\n%%EOF\n'),
};

async function chooseAndSend(page: Page): Promise<void> {
  await page.locator('input[type="file"]').setInputFiles(letter);
  await page.getByRole('button', { name: 'Upload file' }).click();
}

describe('sending evidence while S3 is down', () => {
  it('keeps the resident on our page, says the file was not received and their complaint is safe, and sends it once S3 is back', async () => {
    // Prepare: the evidence page open, then S3 goes down.
    const evidenceUrl = await evidencePageOfNewComplaint();
    const page = await browser.newPage();
    try {
      await page.goto(evidenceUrl);
      const ours = new URL(evidenceUrl).origin;
      await injectS3Fault(runtime().endpoints.s3, 'outage', { seconds: OUTAGE_SECONDS });
      await until(async () => !(await s3Answers()), 'the S3 port to close');

      // Act
      await chooseAndSend(page);

      // Assess: our page (not the browser's error page), in the GOV.UK error pattern, in words a
      // resident can act on.
      await expect
        .poll(async () => `${page.url()} ${await page.locator('.govuk-error-summary').count()}`, {
          timeout: 20_000,
        })
        .toMatch(new RegExp(`^${ours.replace(/[.]/g, '\\.')}/.* 1$`));
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Send evidence');
      const summary = ((await page.locator('.govuk-error-summary').textContent()) ?? '').replace(/\s+/g, ' ');
      expect(summary).toContain('Your file was not received');
      expect(summary).toContain('Your complaint is safe');
      expect(summary).toContain('try again in a few minutes');
      expect(await page.locator('#file-error').textContent()).toContain('Your file was not received');
      await screenshot(page, 'evidence-s3-outage-01-not-received');
      expect(await runAxe(page)).toEqual([]);

      // Act: S3 is back; the resident sends the file again from the same page.
      await until(s3Answers, 'the S3 port to open again');
      await Promise.all([
        page.waitForURL((url) => url.searchParams.has('file'), { timeout: 20_000 }),
        chooseAndSend(page),
      ]);

      // Assess: received this time, shown on our page as any upload is.
      expect(new URL(page.url()).origin).toBe(ours);
      const row = page.locator('tr', { has: page.locator('th', { hasText: /^\s*File 1\s*$/ }) });
      expect(((await row.textContent()) ?? '').replace(/\s+/g, ' ')).toContain('PDF');
      await screenshot(page, 'evidence-s3-outage-02-sent-after');
    } finally {
      await page.close();
    }
  }, 120_000);

  it('says the file was not received when S3 answers with a refusal, as it does while it is failing on AWS', async () => {
    // Prepare: a form S3 answers with an error page of its own and sends the browser nowhere, as
    // it answers uploads while it is failing on AWS (here the form names a bucket there is not).
    const evidenceUrl = await evidencePageOfNewComplaint();
    const page = await browser.newPage();
    try {
      await page.goto(evidenceUrl);
      await page.locator('form[data-evidence-upload]').evaluate((form: { action: string }) => {
        form.action = form.action.replace(/\/[^/]+$/, '/no-such-bucket');
      });

      // Act
      await chooseAndSend(page);

      // Assess: our evidence page again, saying the file was not received.
      await expect
        .poll(
          async () => `${new URL(page.url()).pathname} ${await page.locator('.govuk-error-summary').count()}`,
          {
            timeout: 20_000,
          },
        )
        .toMatch(/^\/complaints\/[^/]+\/evidence 1$/);
      const summary = ((await page.locator('.govuk-error-summary').textContent()) ?? '').replace(/\s+/g, ' ');
      expect(summary).toContain('Your file was not received');
      expect(summary).toContain('Your complaint is safe');
      expect(
        await page.locator('tr', { has: page.locator('th', { hasText: /^\s*File 1\s*$/ }) }).count(),
      ).toBe(0);
      await screenshot(page, 'evidence-s3-outage-03-refused-by-s3');
      expect(await runAxe(page)).toEqual([]);
    } finally {
      await page.close();
    }
  }, 120_000);

  it('gives up on a file S3 takes and never answers, says it was not sent, and lets the resident send it again', async () => {
    // Prepare: the evidence page open, then S3 takes every request and answers none.
    const evidenceUrl = await evidencePageOfNewComplaint();
    const page = await browser.newPage();
    try {
      await page.goto(evidenceUrl);
      await injectS3Fault(runtime().endpoints.s3, 'hang', { seconds: HANG_SECONDS });

      // Act
      await chooseAndSend(page);

      // Assess: still on our page, told plainly that the file was not sent and to try again,
      // with the button back as it was.
      const submit = page.locator('form[data-evidence-upload] button[type="submit"]');
      await expect
        .poll(() => page.locator('.govuk-error-summary').count(), { timeout: (HANG_SECONDS - 5) * 1000 })
        .toBe(1);
      expect(page.url()).toBe(evidenceUrl);
      const summary = ((await page.locator('.govuk-error-summary').textContent()) ?? '').replace(/\s+/g, ' ');
      expect(summary).toContain('Your file was not sent');
      expect(summary).toContain('Your complaint is safe');
      expect(summary).toContain('Please try again');
      expect(await page.locator('#file-error').textContent()).toContain('Your file was not sent');
      expect(((await submit.textContent()) ?? '').trim()).toBe('Upload file');
      expect(await submit.isDisabled()).toBe(false);
      await screenshot(page, 'evidence-s3-outage-04-hung-not-sent');
      expect(await runAxe(page)).toEqual([]);

      // Act: S3 answers again; the resident presses the button again, the file still chosen.
      await until(s3Answers, 'S3 to answer again', HANG_SECONDS * 1000);
      await Promise.all([
        page.waitForURL((url) => url.searchParams.has('file'), { timeout: 20_000 }),
        submit.click(),
      ]);

      // Assess: received once.
      const rows = page.locator('tbody tr');
      expect(await rows.count()).toBe(1);
      expect(((await rows.first().textContent()) ?? '').replace(/\s+/g, ' ')).toContain('File 1');
    } finally {
      await page.close();
    }
  }, 180_000);

  it('without JavaScript, warns on a page opened while S3 is down that no file can be sent now, instead of a form that would lead to the browser’s error page', async () => {
    // Prepare: a browser without JavaScript, whose form would post straight to S3.
    const evidenceUrl = await evidencePageOfNewComplaint();
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    try {
      // Long enough for both pages below to be opened while it lasts.
      await injectS3Fault(runtime().endpoints.s3, 'outage', { seconds: 3 * OUTAGE_SECONDS });
      await until(async () => !(await s3Answers()), 'the S3 port to close');

      // Act
      const answer = await page.goto(evidenceUrl);

      // Assess: our page, saying plainly that files cannot be sent just now and the complaint is
      // safe, with no upload form to press.
      expect(answer?.status()).toBe(200);
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Send evidence');
      const warning = ((await page.locator('.govuk-warning-text').textContent()) ?? '').replace(/\s+/g, ' ');
      expect(warning).toContain('You cannot send files at the moment');
      expect(warning).toContain('Your complaint is safe');
      expect(await page.locator('form[data-evidence-upload]').count()).toBe(0);
      await screenshot(page, 'evidence-s3-outage-05-no-js-uploads-unavailable');
      // axe runs as a script: the same page, opened where scripts run, while S3 is still down.
      const checked = await browser.newPage();
      try {
        await checked.goto(evidenceUrl);
        expect(await checked.locator('.govuk-warning-text').count()).toBe(1);
        expect(await runAxe(checked)).toEqual([]);
      } finally {
        await checked.close();
      }

      // Act: S3 is back; the resident opens the page again, as the warning says.
      await until(s3Answers, 'the S3 port to open again');
      await page.getByRole('link', { name: 'Try again' }).click();

      // Assess: the form is back, and no warning.
      expect(await page.locator('form[data-evidence-upload]').count()).toBe(1);
      expect(await page.locator('.govuk-warning-text').count()).toBe(0);
    } finally {
      await context.close();
    }
  }, 120_000);
});

/**
 * While the evidence page's script sends a file to S3 (the presigned POST, from the page), the
 * resident sees that it is being sent where they pressed, on the "Upload file" button, which cannot
 * be pressed again meanwhile; the file chooser keeps showing the file they chose. The page is
 * served as the API serves it (its headers letting it post to the "S3" origin), and "S3" is a
 * loopback server that holds the upload until the test has looked.
 */
import { createReadStream } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveAsset } from '../../functions/web/assets.js';
import { evidencePage } from '../../functions/web/evidence-pages.js';
import { securityHeaders } from '../../functions/web/security-headers.js';
import { launchBrowser, screenshot, serveOnLoopback } from '../support/browser.js';

let browser: Browser;
let site: { base: string; close(): Promise<void> };
let s3: { base: string; close(): Promise<void> };
/** Uploads "S3" holds, answered when the test lets them go. */
const held: ServerResponse[] = [];

/** The page's headers as the API sends them: its form and script may post to S3's origin. */
function pageHeaders(origin: string): Record<string, string> {
  const headers = securityHeaders();
  headers['Content-Security-Policy'] = (headers['Content-Security-Policy'] ?? '')
    .replace("form-action 'self'", `form-action 'self' ${origin}`)
    .replace("connect-src 'self'", `connect-src 'self' ${origin}`);
  return headers;
}

async function serveSite(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://localhost').pathname;
  if (path.startsWith('/assets/')) {
    const asset = resolveAsset(path);
    if (!asset) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': asset.contentType, 'Cache-Control': asset.cacheControl });
    createReadStream(asset.path).pipe(res);
    return;
  }
  const html = evidencePage({
    reference: 'CMP-2026-000001',
    councilName: 'Example Council',
    files: [],
    upload: {
      url: `${s3.base}/archive`,
      fields: { key: 'evidence/case-1/file-1', success_action_redirect: `${site.base}/uploaded` },
    },
  });
  res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', ...pageHeaders(s3.base) });
  res.end(html);
}

beforeAll(async () => {
  s3 = await serveOnLoopback(async (req, res) => {
    req.resume();
    held.push(res);
  });
  site = await serveOnLoopback(serveSite);
  browser = await launchBrowser();
});

afterAll(async () => {
  for (const res of held) res.destroy();
  await browser?.close();
  await site?.close();
  await s3?.close();
});

describe('the evidence page while its file is being sent', () => {
  it('says so on the "Upload file" button, which cannot be pressed again, and keeps the chosen file shown', async () => {
    // Prepare
    const page = await browser.newPage();
    try {
      await page.goto(`${site.base}/evidence`);
      await page.locator('body.govuk-frontend-supported').waitFor({ state: 'attached' });
      await page.locator('input[type="file"]').setInputFiles({
        name: 'letter.pdf',
        mimeType: 'application/pdf',
        buffer: Buffer.from('%PDF-1.4\n% A letter the council sent me.\n%%EOF\n'),
      });

      // Act
      await page.getByRole('button', { name: 'Upload file' }).click();
      await expect.poll(() => held.length, { timeout: 10_000 }).toBe(1);

      // Assess
      await screenshot(page, 'evidence-upload-sending-01');
      const submit = page.locator('form[data-evidence-upload] button[type="submit"]');
      expect(((await submit.textContent()) ?? '').trim()).toBe('Uploading your file…');
      expect(await submit.isDisabled()).toBe(true);
      expect(await page.locator('.govuk-file-upload-button').textContent()).toContain('letter.pdf');
    } finally {
      await page.close();
    }
  }, 60_000);
});

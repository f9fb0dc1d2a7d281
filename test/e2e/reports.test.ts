/**
 * The report pages in a real browser: the performance page and the annual report load their
 * GOV.UK styling and the reports stylesheet under the Content-Security-Policy, axe finds no
 * WCAG 2.2 AA violation, the charts are labelled images followed by tables, the date form works,
 * and each state is screenshotted (the annual report in print media too). A tiny HTTP server
 * runs the real report routes over an in-memory store holding the seeded year.
 */
import { createReadStream } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportRoutes } from '../../functions/app/report-routes.js';
import { HttpError } from '../../functions/http/errors.js';
import { Router } from '../../functions/http/router.js';
import { resolveAsset } from '../../functions/web/assets.js';
import { notFoundPage } from '../../functions/web/render.js';
import { securityHeaders } from '../../functions/web/security-headers.js';
import { apiEvent } from '../support/api-event.js';
import {
  consoleErrors,
  launchBrowser,
  openWatched,
  type PageProblems,
  runAxe,
  screenshot,
  serveOnLoopback,
} from '../support/browser.js';
import { MemoryCaseStore } from '../support/memory-store.js';
import { REPORT_AS_OF, reportCases, reportPolicy, SEEDED_LESSONS } from '../support/report-cases.js';

const router = new Router();

async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (url.pathname.startsWith('/assets/')) {
    const asset = resolveAsset(url.pathname);
    if (!asset) {
      res.writeHead(404, { 'Content-Type': 'text/html; charset=utf-8', ...securityHeaders() });
      res.end(notFoundPage());
      return;
    }
    res.writeHead(200, { 'Content-Type': asset.contentType, 'Cache-Control': asset.cacheControl });
    createReadStream(asset.path).pipe(res);
    return;
  }
  try {
    const result = await router.handle(
      apiEvent(req.method ?? 'GET', url.pathname, { query: Object.fromEntries(url.searchParams) }),
    );
    res.writeHead(result.statusCode, result.headers as Record<string, string>);
    res.end(result.body);
  } catch (error: unknown) {
    const status = error instanceof HttpError ? error.statusCode : 500;
    res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
    res.end(error instanceof Error ? error.message : 'error');
  }
}

let browser: Browser;
let base: string;
let closeServer: () => Promise<void>;

beforeAll(async () => {
  const store = new MemoryCaseStore();
  for (const c of reportCases())
    await store.create(c, { at: c.receivedAt, type: 'received', actor: 'resident' });
  reportRoutes(router, { store, policy: reportPolicy, now: () => new Date(REPORT_AS_OF) });
  const served = await serveOnLoopback(route);
  base = served.base;
  closeServer = served.close;
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await closeServer?.();
});

function open(path: string): Promise<{ page: Page; problems: PageProblems }> {
  return openWatched(browser, `${base}${path}`, { viewport: { width: 1200, height: 900 } });
}

/** Styles and scripts loaded under the CSP, no console errors, no axe violations; then a screenshot. */
async function assertHealthy(page: Page, problems: PageProblems, name: string): Promise<void> {
  await page.waitForFunction('document.body.classList.contains("govuk-frontend-supported")');
  const chartWidth = await page.evaluate(
    `(() => { const svg = document.querySelector('svg.app-chart'); return svg ? svg.getBoundingClientRect().width : -1 })()`,
  );
  if (chartWidth !== -1) expect(chartWidth).toBeLessThanOrEqual(760); // the reports stylesheet applied
  expect(problems.failed).toEqual([]);
  expect(consoleErrors(problems)).toEqual([]);
  expect(await runAxe(page)).toEqual([]);
  await screenshot(page, name);
}

describe('report pages in a browser', () => {
  it('shows the performance page with labelled charts, each followed by its table', async () => {
    const { page, problems } = await open('/reports?from=2025-04-01&to=2026-03-31');

    await assertHealthy(page, problems, 'reports-performance');
    await expect(page.locator('h1').innerText()).resolves.toBe('Complaints performance');
    const charts = page.locator('svg[role="img"]');
    await expect(charts.count()).resolves.toBe(5);
    for (const svg of await charts.all()) {
      const labelledBy = (await svg.getAttribute('aria-labelledby'))?.split(' ') ?? [];
      expect(labelledBy).toHaveLength(2);
      await expect(page.locator(`[id="${labelledBy[0]}"]`).evaluate((el) => el.tagName)).resolves.toBe(
        'title',
      );
      await expect(page.locator(`[id="${labelledBy[1]}"]`).evaluate((el) => el.tagName)).resolves.toBe(
        'desc',
      );
      await expect(svg.evaluate((el) => el.parentElement?.querySelector('table') !== null)).resolves.toBe(
        true,
      );
    }
    const main = await page.locator('main').innerText();
    expect(main).toContain('fewer than 5');
    expect(main).toContain('Suppression applied');
    expect(main).toContain(SEEDED_LESSONS);
    expect(main).not.toContain('Resident Person');
    await page.close();
  });

  it('shows what is wrong with the dates and keeps what was typed', async () => {
    const { page, problems } = await open('/reports?from=2026-01-01&to=2025-01-01');

    await assertHealthy(page, problems, 'reports-date-error');
    await expect(page.title()).resolves.toMatch(/^Error: /);
    const links = await page
      .locator('.govuk-error-summary a')
      .evaluateAll((els) => els.map((e) => e.getAttribute('href')));
    expect(links).toEqual(['#to-day']);
    await expect(page.locator('#from-day').inputValue()).resolves.toBe('1');
    await expect(page.locator('#from-month').inputValue()).resolves.toBe('1');
    await expect(page.locator('#from-year').inputValue()).resolves.toBe('2026');
    await page.close();
  });

  it('asks for the figures of the dates chosen in the form', async () => {
    const { page } = await open('/reports?from=2025-04-01&to=2026-03-31');

    // The GOV.UK date input: day, month and year boxes, not the browser's date picker.
    await page.locator('#from-day').fill('1');
    await page.locator('#from-month').fill('6');
    await page.locator('#from-year').fill('2025');
    await page.locator('#to-day').fill('30');
    await page.locator('#to-month').fill('6');
    await page.locator('#to-year').fill('2025');
    await page.getByRole('button', { name: 'Show figures' }).click();
    await page.waitForLoadState('load');

    expect(new URL(page.url()).search).toBe(
      '?from-day=1&from-month=6&from-year=2025&to-day=30&to-month=6&to-year=2025',
    );
    await expect(
      page.locator('h2', { hasText: 'Received 1 June 2025 to 30 June 2025' }).count(),
    ).resolves.toBe(1);
    await page.close();
  });

  it('shows the annual report with the self-assessment, on screen and in print', async () => {
    const { page, problems } = await open('/reports/annual?year=2025');

    await assertHealthy(page, problems, 'reports-annual');
    await expect(page.locator('h1').innerText()).resolves.toContain('2025/26');
    const selfAssessment = await page.locator('table', { hasText: 'Self-assessment 2025/26' }).innerText();
    expect(selfAssessment).toContain('Stage 1 responses within the Code’s timescale: 75.8% (25 of 33)');
    expect(selfAssessment).toContain('Meets the Code');

    await page.emulateMedia({ media: 'print' });

    await expect(page.locator('header').first().isVisible()).resolves.toBe(false);
    await screenshot(page, 'reports-annual-print');
    await page.close();
  });
});

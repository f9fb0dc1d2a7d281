/**
 * The workspace's answers to input no form should send, in a real browser against `npm start --demo`:
 * a note far over the size limit gets a page in the workspace saying nothing was saved, with the
 * way back to the case; a review date typed as "1e1" is refused in the form, which keeps the
 * officer's other answers; the session cookie is HttpOnly, Secure and Lax, scoped to the
 * workspace (plain http on this machine, so no `__Host-` prefix). Every page is checked with axe
 * and screenshotted under test-results/screenshots/.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES } from '../../functions/http/request.js';
import { launchBrowser, runAxe, screenshot } from '../support/browser.js';
import {
  type DemoStaffUser,
  demoStaffUsers,
  type RuntimeProcess,
  signInAs,
  startRuntimeProcess,
} from '../support/runtime.js';

const CASE = 'CMP-2026-000002';

let runtime: RuntimeProcess;
let browser: Browser;
let dataDir: string;
let users: Map<string, DemoStaffUser>;

async function checkPage(page: Page, name: string): Promise<void> {
  await screenshot(page, `hostile-${name}`);
  const violations = await runAxe(page);
  expect(violations, `${name}: ${JSON.stringify(violations, null, 2)}`).toEqual([]);
}

/** A new browser session signed in as the demo user of `role`, on the case's page. */
async function onCase(role: string): Promise<Page> {
  const username = [...users].find(([, u]) => u.role === role)?.[0] as string;
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${runtime.baseUrl}/staff/cases/${CASE}`);
  await page.getByLabel('User name').waitFor();
  await signInAs(page, users, username);
  return page;
}

describe('npm start: the workspace and input no form should send', () => {
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'redress-hostile-'));
    [runtime, browser] = await Promise.all([startRuntimeProcess({ dataDir, demo: true }), launchBrowser()]);
    users = demoStaffUsers(runtime.output());
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await runtime?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('sets the session cookie HttpOnly, Secure and Lax for the workspace only', async () => {
    const page = await onCase('complaints team');
    const cookies = await page.context().cookies(`${runtime.baseUrl}/staff`);
    expect(cookies.find((c) => c.name === 'redress_staff')).toMatchObject({
      httpOnly: true,
      secure: true,
      sameSite: 'Lax',
      path: '/staff',
    });
    await page.context().close();
  });

  it('answers a note over the size limit with a workspace page: nothing saved, and the way back', async () => {
    const page = await onCase('complaints team');
    await page.getByLabel('Add a note').fill('a'.repeat(MAX_BODY_BYTES + 10));
    await page.getByRole('button', { name: 'Add note' }).click();
    await page.getByRole('heading', { name: 'What you sent is too long' }).waitFor();
    await checkPage(page, '01-note-too-long');
    expect(await page.textContent('main')).toContain('Nothing has been saved');
    await page.getByRole('link', { name: 'Go back to the case' }).click();
    await page.getByLabel('Add a note').waitFor();
    expect(await page.textContent('main')).not.toContain('aaaaaaaaaa');
    await page.context().close();
  });

  it('refuses "1e1" as the day of a designation’s review date, keeping the reasons and restrictions typed', async () => {
    const page = await onCase('nominated officer');
    await page.getByRole('heading', { name: 'Designate the complainant unreasonably persistent' }).waitFor();
    await page.getByLabel('Your reasons').fill('Forty calls in a week about a matter already answered.');
    await page.getByLabel(/in writing/).check();
    await page.locator('#reviewDate-day').fill('1e1');
    await page.locator('#reviewDate-month').fill('6');
    await page.locator('#reviewDate-year').fill(String(new Date().getUTCFullYear() + 1));
    await page.getByRole('button', { name: 'Designate' }).click();
    await page.locator('.govuk-error-summary').waitFor();
    await checkPage(page, '02-review-date-1e1');
    expect(await page.locator('.govuk-error-summary').textContent()).toContain(
      'The review date must be a real date',
    );
    expect(await page.getByLabel('Your reasons').inputValue()).toBe(
      'Forty calls in a week about a matter already answered.',
    );
    expect(await page.getByLabel(/in writing/).isChecked()).toBe(true);
    expect(await page.locator('#reviewDate-day').inputValue()).toBe('1e1');
    await page.context().close();
  });
});

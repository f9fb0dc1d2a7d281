/**
 * The Welsh form in a real browser against `npm start` with a council in Wales that offers Welsh:
 * the resident switches to Cymraeg with the language toggle, sends a complaint in Welsh, sees the
 * confirmation in Welsh and gets the receipt in Welsh; the case keeps the language. From the
 * confirmation's link they check their complaint in Welsh: the start page, its errors, the "check
 * your email" page, the emailed link's page and the case itself. Every page is checked with axe
 * (WCAG 2.2 AA, 0 violations) and screenshotted under test-results/screenshots/.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, runAxe, screenshot } from '../support/browser.js';
import { type RuntimeProcess, startRuntimeProcess, waitForEmail } from '../support/runtime.js';

const WELSH_POLICY = fileURLToPath(new URL('../fixtures/policies/welsh-council.json', import.meta.url));
const GWEN = { name: 'Gwen Jones', email: 'gwen.jones@example.com' };

let runtime: RuntimeProcess;
let browser: Browser;
let page: Page;
let dataDir: string;
let reference = '';

async function checkPage(name: string): Promise<void> {
  await screenshot(page, `welsh-${name}`);
  const violations = await runAxe(page);
  expect(violations, `${name}: ${JSON.stringify(violations, null, 2)}`).toEqual([]);
}

describe('npm start: the Welsh form in a browser', () => {
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'redress-welsh-'));
    [runtime, browser] = await Promise.all([
      startRuntimeProcess({ dataDir, timeScale: 1, policy: WELSH_POLICY }),
      launchBrowser(),
    ]);
    page = await browser.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await runtime?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('offers Cymraeg from the English form, with the language toggle at the top', async () => {
    await page.goto(`${runtime.baseUrl}/`);
    expect(await page.getAttribute('html', 'lang')).toBe('en-GB');
    const toggle = page.getByRole('navigation', { name: 'Choose a language' });
    await expect(toggle.getByRole('link', { name: 'Cymraeg' }).getAttribute('hreflang')).resolves.toBe('cy');
    await checkPage('form-english');

    await toggle.getByRole('link', { name: 'Cymraeg' }).click();
    await page.waitForURL(/\?lang=cy$/);

    expect(await page.getAttribute('html', 'lang')).toBe('cy');
    await expect(page.locator('h1').textContent()).resolves.toBe(
      'Rhoi adborth, gwneud cwyn neu roi canmoliaeth',
    );
    await expect(page.title()).resolves.toMatch(/^Rhoi adborth neu wneud cwyn – Cwynion ac adborth – /);
    await expect(
      page.getByRole('navigation', { name: 'Dewis iaith' }).getByRole('link', { name: 'English' }).count(),
    ).resolves.toBe(1);
    await expect(page.locator('.govuk-character-count__status').textContent()).resolves.toMatch(
      /Mae gennych 5000 nod ar ôl/,
    );
    await checkPage('form');
  });

  it('shows the errors in Welsh when something is missing', async () => {
    await page.getByRole('button', { name: 'Anfon' }).click();
    await page.waitForSelector('.govuk-error-summary');
    expect(await page.getAttribute('html', 'lang')).toBe('cy');
    await expect(page.locator('.govuk-error-summary__title').textContent()).resolves.toMatch(
      /Mae problem wedi codi/,
    );
    await expect(page.title()).resolves.toMatch(/^Gwall: /);
    await expect(page.locator('.govuk-error-summary__list').innerText()).resolves.toContain(
      'Rhowch eich adborth',
    );
    await checkPage('form-errors');
  });

  it('sends a complaint in Welsh and confirms it in Welsh, with the receipt in Welsh', async () => {
    await page.getByLabel('Gwneud cwyn').check();
    await page
      .getByLabel('Dywedwch wrthym beth ddigwyddodd')
      .fill('Ni chasglwyd fy miniau ers tair wythnos.');
    await page.getByLabel('Enw llawn', { exact: true }).fill(GWEN.name);
    await page.getByLabel('Cyfeiriad e-bost').fill(GWEN.email);
    await page.getByLabel('Nac ydw').check();
    await page.getByRole('button', { name: 'Anfon' }).click();
    await page.waitForSelector('.govuk-panel');

    expect(await page.getAttribute('html', 'lang')).toBe('cy');
    await expect(page.locator('.govuk-panel__title').textContent()).resolves.toMatch(/Cwyn wedi dod i law/);
    reference = (await page.locator('.govuk-panel__body strong').textContent())?.trim() ?? '';
    expect(reference).toMatch(/^CMP-\d{4}-\d+$/);
    const body = await page.locator('main').innerText();
    expect(body).toContain('Beth sy’n digwydd nesaf');
    expect(body).toMatch(/Byddwn yn ei chydnabod erbyn dydd \w+ \d+ \w+ \d{4}/);
    expect(body).not.toMatch(/What happens next|We will acknowledge/);
    await checkPage('confirmation');

    const receipt = await waitForEmail(
      runtime,
      (e) => e.destination.to.includes(GWEN.email),
      'the receipt to the Welsh resident',
    );
    expect(receipt.subject).toBe(`Rydym wedi cael eich cwyn (${reference})`);
  });

  it("checks the complaint in Welsh, from the confirmation's link to the case itself", async () => {
    const receipt = await waitForEmail(
      runtime,
      (e) => e.destination.to.includes(GWEN.email),
      'the receipt to the Welsh resident',
    );
    expect(receipt.body.text).toContain(`${runtime.baseUrl}/check?lang=cy`);

    await page.getByRole('link', { name: /wirio eich cwyn/ }).click();
    await page.waitForURL(/\/check\?lang=cy$/);
    expect(await page.getAttribute('html', 'lang')).toBe('cy');
    await expect(page.locator('h1').textContent()).resolves.toBe('Gwirio eich cwyn');
    await checkPage('check-start');

    await page.getByRole('button', { name: 'Anfon dolen ataf' }).click();
    await page.waitForSelector('.govuk-error-summary');
    await expect(page.locator('.govuk-error-summary__list').innerText()).resolves.toContain(
      'Rhowch eich cyfeirnod',
    );
    await checkPage('check-errors');

    await page.getByLabel('Cyfeirnod').fill(reference);
    await page.getByLabel('Cyfeiriad e-bost').fill(GWEN.email);
    await page.getByRole('button', { name: 'Anfon dolen ataf' }).click();
    await page.getByRole('heading', { level: 1, name: 'Gwiriwch eich e-bost' }).waitFor();
    expect(page.url()).toBe(`${runtime.baseUrl}/check/sent?lang=cy`);
    await checkPage('check-sent');

    const email = await waitForEmail(
      runtime,
      (e) => e.destination.to.includes(GWEN.email) && /\/check\/sign-in\//.test(e.body.text ?? ''),
      'the Welsh sign-in link',
    );
    const link = /https?:\/\/\S+\/check\/sign-in\/[\w.-]+\?lang=cy/.exec(email.body.text ?? '')?.[0] ?? '';
    expect(link).not.toBe('');
    await page.goto(link);
    expect(await page.getAttribute('html', 'lang')).toBe('cy');
    await checkPage('check-sign-in');
    await page.getByRole('button', { name: 'Parhau' }).click();
    await page.waitForURL(/\/check\/complaint$/);

    expect(await page.getAttribute('html', 'lang')).toBe('cy');
    await expect(page.locator('h1').textContent()).resolves.toBe(reference);
    const body = await page.locator('main').innerText();
    expect(body).toContain('Llythyrau a negeseuon e-bost rydym wedi’u hanfon atoch');
    expect(body).toContain('Cadarnhad ei bod wedi dod i law');
    expect(body).not.toMatch(/Letters and emails|Response due|Sign out/);
    await checkPage('check-status');
  });
});

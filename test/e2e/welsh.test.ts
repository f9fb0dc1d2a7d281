/**
 * The Welsh form in a real browser against `npm start` with a council in Wales that offers Welsh:
 * the resident switches to Cymraeg with the language toggle, sends a complaint in Welsh, sees the
 * confirmation in Welsh and gets the receipt in Welsh; the case keeps the language. From the
 * confirmation's link they check their complaint in Welsh: the start page, its errors, the "check
 * your email" page, the emailed link's page and the case itself, and the start page again once
 * the session is gone. From the confirmation they send evidence and answer the optional equality
 * questions in Welsh, and from the form read the privacy notice in Welsh. Every page is checked
 * with axe (WCAG 2.2 AA, 0 violations) and screenshotted under test-results/screenshots/.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
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
let confirmationUrl = '';
const PHOTO = fileURLToPath(new URL('../fixtures/evidence/photo.png', import.meta.url));

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
    // GOV.UK Frontend's own words are Welsh too: the skip link, the character count's hint.
    await expect(page.locator('.govuk-skip-link').textContent()).resolves.toBe('Neidio i’r prif gynnwys');
    await expect(page.locator('#summary-info').textContent()).resolves.toMatch(/Gallwch roi hyd at 5000 nod/);
    await page.locator('#summary').fill('Ni chasglwyd fy miniau.');
    await expect(page.locator('.govuk-character-count__status').textContent()).resolves.toMatch(
      /Mae gennych 4977 nod ar ôl/,
    );
    await page.locator('#summary').fill('');
    await expect(page.locator('body').innerText()).resolves.not.toMatch(/Skip to main content|characters/);
    // The policy's services, their directorates and who handles the redirected ones, in its Welsh.
    await expect(page.locator('#service option[value="waste-recycling"]').textContent()).resolves.toBe(
      'Gwastraff ac ailgylchu',
    );
    await expect(
      page
        .locator('#service optgroup', { has: page.locator('option[value="waste-recycling"]') })
        .getAttribute('label'),
    ).resolves.toBe('Lle');
    await expect(page.locator('#service').innerText()).resolves.not.toMatch(
      /Waste and recycling|Adult social care/,
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
    await expect(page.locator('#summary-error .govuk-visually-hidden').textContent()).resolves.toBe('Gwall:');
    await checkPage('form-errors');
  });

  it('answers the Welsh form sent after its token is gone in Welsh, never English', async () => {
    await page.goto(`${runtime.baseUrl}/?lang=cy`);
    await page.getByLabel('Gwneud cwyn').check();
    await page.context().clearCookies({ name: 'redress_csrf' });
    await page.getByRole('button', { name: 'Anfon' }).click();
    await page.waitForLoadState('load');

    expect(await page.getAttribute('html', 'lang')).toBe('cy');
    const body = await page.locator('body').innerText();
    expect(body).toContain('Mae problem wedi codi');
    expect(body).not.toMatch(/The form has expired|There is a problem|Skip to main content/);
    await checkPage('form-expired');

    // Back to the form, as it says, to send the complaint.
    await page.goto(`${runtime.baseUrl}/?lang=cy`);
    await page.getByRole('button', { name: 'Anfon' }).click();
    await page.waitForSelector('.govuk-error-summary');
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
    confirmationUrl = page.url();
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

  it('sends a Welsh resident whose session has gone back to the Welsh start page', async () => {
    // The browser has dropped the session cookie (it ended): the case's language is still known.
    await page.context().clearCookies({ name: 'redress_resident' });
    await page.reload();
    await page.waitForURL(/\/check\?lang=cy$/);

    expect(await page.getAttribute('html', 'lang')).toBe('cy');
    await expect(page.locator('h1').textContent()).resolves.toBe('Gwirio eich cwyn');
    await checkPage('check-session-gone');
  });

  it('sends evidence in Welsh from the confirmation, the file named in Welsh', async () => {
    await page.goto(confirmationUrl);
    await page.getByRole('link', { name: `Anfon tystiolaeth ar gyfer ${reference}` }).click();
    await page.waitForURL(/\/evidence\?link=[\w.-]+&lang=cy$/);
    expect(await page.getAttribute('html', 'lang')).toBe('cy');
    await expect(page.locator('#file-hint').textContent()).resolves.toContain(
      'PDF, JPEG, PNG, HEIC neu Word (DOCX)',
    );
    await checkPage('evidence');
    // GOV.UK's improved file upload speaks Welsh too, not the browser's "Choose file".
    await expect(page.locator('.govuk-file-upload-button').innerText()).resolves.toMatch(
      /Dewiswch ffeil[\s\S]*neu ollwng ffeil/,
    );
    await expect(page.locator('.govuk-file-upload-button__status').innerText()).resolves.toBe(
      'Dim ffeil wedi’i dewis',
    );
    expect(await page.locator('main').innerText()).not.toMatch(/Choose file|No file chosen|drop file/);
    // Its name, as the browser gives it to assistive technology: the label, then what it shows.
    await page
      .getByRole('button', {
        name: /^Llwytho ffeil.*Dim ffeil wedi’i dewis\s+Dewiswch ffeil\s+neu ollwng ffeil$/,
      })
      .waitFor();

    // Sent with no file, the page's script says so in Welsh, in the GOV.UK error pattern.
    await page.getByRole('button', { name: 'Llwytho’r ffeil' }).click();
    await page.waitForSelector('.govuk-error-summary');
    await expect(page.locator('.govuk-error-summary').innerText()).resolves.toMatch(
      /Mae problem wedi codi\s+Dewiswch ffeil i’w llwytho/,
    );
    await expect(page.locator('#file-error .govuk-visually-hidden').textContent()).resolves.toBe('Gwall:');
    await expect(page.title()).resolves.toMatch(/^Gwall: /);
    await checkPage('evidence-no-file');
    // The button ignores a second press within a second (GOV.UK's `preventDoubleClick`).
    await page.waitForTimeout(1_100);

    await page.locator('input[type="file"]').setInputFiles({
      name: 'llun.png',
      mimeType: 'image/png',
      buffer: readFileSync(PHOTO),
    });
    await Promise.all([
      page.waitForURL((url) => url.searchParams.has('file')),
      page.getByRole('button', { name: 'Llwytho’r ffeil' }).click(),
    ]);

    expect(await page.getAttribute('html', 'lang')).toBe('cy');
    expect(new URL(page.url()).searchParams.get('lang')).toBe('cy');
    const body = await page.locator('main').innerText();
    expect(body).toContain('Mae ffeil 1 (Delwedd PNG, 1 KB) wedi’i llwytho.');
    expect(body).toContain('Llwyddiant');
    expect(body).not.toMatch(/PNG image|has been uploaded|Files you have sent|Success/);
    await checkPage('evidence-uploaded');
  });

  it('asks the optional equality questions in Welsh, in the Census’s Welsh, and thanks in Welsh', async () => {
    await page.goto(confirmationUrl);
    await page.getByRole('link', { name: 'Ateb y cwestiynau cydraddoldeb dewisol' }).click();
    await page.waitForURL(/\/equality\/[\w.-]+\?lang=cy$/);

    expect(await page.getAttribute('html', 'lang')).toBe('cy');
    await expect(page.locator('h1').textContent()).resolves.toBe(
      'Helpwch ni i wirio bod ein gwasanaeth yn deg i bawb',
    );
    const body = await page.locator('main').innerText();
    expect(body).toContain('Beth yw eich grŵp ethnig?');
    expect(body).toContain('Pa un o’r canlynol sy’n disgrifio orau eich cyfeiriadedd rhywiol?');
    expect(body).not.toMatch(/What is your|Prefer not to say|Send answers/);
    await checkPage('equality');

    await page.getByRole('group', { name: 'Beth yw eich rhyw?' }).getByLabel('Benyw').check();
    await page
      .getByRole('group', { name: 'Beth yw eich grŵp ethnig?' })
      .getByLabel('Gwyn', { exact: true })
      .check();
    await page.getByRole('button', { name: 'Anfon yr atebion' }).click();
    await page.waitForURL(/\/equality\/done\?lang=cy$/);

    expect(await page.getAttribute('html', 'lang')).toBe('cy');
    await expect(page.locator('.govuk-panel__title').textContent()).resolves.toMatch(
      /Diolch am eich atebion/,
    );
    await checkPage('equality-thanks');
  });

  it('shows the privacy notice in Welsh from the Welsh form', async () => {
    await page.goto(`${runtime.baseUrl}/?lang=cy`);
    await page.getByRole('link', { name: 'sut rydym yn defnyddio eich gwybodaeth' }).click();
    await page.waitForURL(/\/privacy\?lang=cy$/);

    expect(await page.getAttribute('html', 'lang')).toBe('cy');
    await expect(page.locator('h1').textContent()).resolves.toBe(
      'Hysbysiad preifatrwydd: cwynion ac adborth',
    );
    const body = await page.locator('main').innerText();
    expect(body).toContain('Eich hawliau');
    expect(body).not.toMatch(/What we collect|Your rights/);
    await checkPage('privacy');
  });
});

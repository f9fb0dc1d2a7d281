import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPolicy } from '../../functions/domain/policy.js';
import { CATALOGUE, type MessageKey } from '../../functions/web/i18n.js';
import { firewallPage, type GatewayResponseType, gatewayResponses } from '../../infra/gateway-responses.js';
import { type ApiGatewayServer, startApiGateway } from '../../infra/local/api-gateway.js';
import { launchBrowser, runAxe, screenshot } from '../support/browser.js';
import { councilInWales } from '../support/council-in-wales.js';

/**
 * The pages API Gateway answers with itself (`infra/gateway-responses.ts`), in a browser, as a
 * resident meets them: alone (no stylesheet), in the council's name, with a heading, what happened
 * and a next step, in Welsh and English where the council offers Welsh; no accessibility
 * violations (WCAG 2.2 AA) and no sideways scrolling on a 320 px wide phone. Through the local
 * stand-in, a form too large for Lambda and a function that fails get them, as on AWS.
 */
const en = CATALOGUE.en;
const cy = CATALOGUE.cy;

const dudley = loadPolicy('dudley');
const inWales = loadPolicy(councilInWales('dudley'));

/** The heading a resident sees for each page. */
const HEADINGS: Record<GatewayResponseType, MessageKey> = {
  REQUEST_TOO_LARGE: 'problem.heading',
  THROTTLED: 'error.heading',
  MISSING_AUTHENTICATION_TOKEN: 'notFound.heading',
  RESOURCE_NOT_FOUND: 'notFound.heading',
  BAD_REQUEST_PARAMETERS: 'problem.heading',
  INTEGRATION_TIMEOUT: 'error.heading',
  INTEGRATION_FAILURE: 'error.heading',
  DEFAULT_4XX: 'problem.heading',
  DEFAULT_5XX: 'error.heading',
};

const DESKTOP = { width: 1024, height: 768 };
const PHONE = { width: 320, height: 640 };

let browser: Browser;
let gateway: ApiGatewayServer;
let welshGateway: ApiGatewayServer;

beforeAll(async () => {
  browser = await launchBrowser();
  gateway = await startApiGateway({
    handler: async () => ({ statusCode: 200, body: 'never reached' }),
    onError: () => undefined,
    gatewayResponses: gatewayResponses(dudley, { basePath: '' }),
  });
  welshGateway = await startApiGateway({
    handler: async () => {
      throw new Error('the function failed');
    },
    onError: () => undefined,
    gatewayResponses: gatewayResponses(inWales, { basePath: '' }),
  });
}, 120_000);

afterAll(async () => {
  await gateway?.close();
  await welshGateway?.close();
  await browser?.close();
});

/** What a resident reads on the page: the html language, the heading, each part's words and links. */
async function seen(page: Page) {
  return {
    lang: await page.locator('html').getAttribute('lang'),
    header: (await page.locator('header').textContent())?.trim(),
    h1: await page.locator('h1').allTextContents(),
    links: await page.getByRole('link').allTextContents(),
    text: (await page.locator('main').textContent()) ?? '',
    // WCAG 1.4.10 Reflow: nothing wider than the viewport.
    scrollsSideways: await page.evaluate('document.documentElement.scrollWidth > window.innerWidth'),
  };
}

/** Each page is looked at on both. */
const VIEWPORTS = [
  [DESKTOP, 'desktop'],
  [PHONE, 'phone'],
] as const;

async function show(html: string, viewport: { width: number; height: number }): Promise<Page> {
  const page = await browser.newPage({ viewport });
  await page.setContent(html);
  return page;
}

describe('API Gateway’s own pages, for a council in England', () => {
  for (const response of gatewayResponses(dudley, { basePath: '' })) {
    it(`shows the ${response.type} page with the council’s name, a heading and a next step, on a desktop and a phone`, async () => {
      for (const [viewport, size] of VIEWPORTS) {
        const page = await show(response.templates['text/html'], viewport);
        const view = await seen(page);

        expect(view.lang).toBe('en');
        expect(view.header).toBe(dudley.council);
        expect(view.h1).toEqual([en[HEADINGS[response.type]]]);
        expect(view.text).toContain(en['gateway.next']);
        expect(view.links).toEqual(
          expect.arrayContaining([en['service.name'], en['gateway.form'], dudley.routing.complaintsTeam]),
        );
        expect(view.scrollsSideways).toBe(false);
        expect(await runAxe(page)).toEqual([]);
        await screenshot(page, `gateway-${response.type.toLowerCase()}-${size}`);
        await page.close();
      }
    });
  }
});

describe('API Gateway’s own pages, for a council in Wales that offers Welsh', () => {
  for (const response of gatewayResponses(inWales, { basePath: '' })) {
    it(`shows the ${response.type} page in Welsh first and in English, on a desktop and a phone`, async () => {
      for (const [viewport, size] of VIEWPORTS) {
        const page = await show(response.templates['text/html'], viewport);
        const view = await seen(page);
        const heading = HEADINGS[response.type];

        expect(view.lang).toBe('cy');
        expect(view.h1).toEqual([`${cy[heading]}${en[heading]}`]);
        expect(await page.locator('h1 [lang="en"]').textContent()).toBe(en[heading]);
        const welsh = (await page.locator('main [lang="cy"]').textContent()) ?? '';
        const english = (await page.locator('main [lang="en"]:not(span)').textContent()) ?? '';
        expect(welsh).toContain(cy['gateway.next']);
        expect(welsh).toContain(cy['gateway.form']);
        expect(english).toContain(en['gateway.next']);
        expect(english).toContain(en['gateway.form']);
        // Welsh is read first: above the English on a phone, to its left on a desktop.
        const welshBox = await page.locator('main [lang="cy"]').boundingBox();
        const englishBox = await page.locator('main [lang="en"]:not(span)').boundingBox();
        if (size === 'phone') expect(welshBox?.y).toBeLessThan(englishBox?.y ?? 0);
        else expect(welshBox?.x).toBeLessThan(englishBox?.x ?? 0);
        expect(view.scrollsSideways).toBe(false);
        expect(await runAxe(page)).toEqual([]);
        await screenshot(page, `gateway-${response.type.toLowerCase()}-cy-${size}`);
        await page.close();
      }
    });
  }
});

describe('WAF’s page for an address that sent too much (429)', () => {
  it('is the council’s page, in English, and in Welsh first for a council in Wales, on a desktop and a phone', async () => {
    for (const [policy, language] of [
      [dudley, 'en'],
      [inWales, 'cy'],
    ] as const) {
      for (const [viewport, size] of VIEWPORTS) {
        const page = await show(firewallPage(policy, { basePath: '' }), viewport);
        const view = await seen(page);

        expect(view.lang).toBe(language);
        expect(view.header).toBe(policy.council);
        expect(view.text).toContain(en['gateway.firewall'].replace('{minutes}', '5'));
        if (language === 'cy') expect(view.text).toContain(cy['gateway.firewall'].replace('{minutes}', '5'));
        expect(view.links).toEqual(
          expect.arrayContaining([en['gateway.form'], policy.routing.complaintsTeam]),
        );
        expect(view.scrollsSideways).toBe(false);
        expect(await runAxe(page)).toEqual([]);
        await screenshot(page, `waf-429-${language}-${size}`);
        await page.close();
      }
    }
  });
});

describe('API Gateway’s own pages, through the local stand-in', () => {
  it('shows a resident whose form is too large for Lambda the 413 page, with the way back to the form', async () => {
    const page = await browser.newPage({ viewport: PHONE });
    await page.setContent(
      `<form method="post" action="${gateway.url}/complaints"><textarea name="summary"></textarea><button>Send</button></form>`,
    );
    await page.locator('textarea').fill('a'.repeat(5 * 1024 * 1024));
    const [answer] = await Promise.all([page.waitForNavigation(), page.locator('button').click()]);
    const view = await seen(page);

    expect(answer?.status()).toBe(413);
    expect(view.lang).toBe('en');
    expect(view.h1).toEqual([en['problem.heading']]);
    expect(view.text).toContain('Go back, make the longest answer shorter and send it again.');
    expect(view.links).toContain(en['gateway.form']);
    await page.getByRole('link', { name: en['gateway.form'] }).click();
    expect(new URL(page.url()).pathname).toBe('/');
    await page.close();
  }, 60_000);

  it('shows a resident of a council in Wales whose request the function failed the page in Welsh and English', async () => {
    const page = await browser.newPage({ viewport: DESKTOP });
    const answer = await page.goto(`${welshGateway.url}/complaints/received?ref=X`);
    const view = await seen(page);

    expect(answer?.status()).toBe(502);
    expect(view.lang).toBe('cy');
    expect(view.header).toBe(inWales.council);
    expect(view.h1).toEqual([`${cy['error.heading']}${en['error.heading']}`]);
    expect(view.text).toContain(cy['gateway.failed.p2']);
    expect(view.text).toContain(en['gateway.failed.p2']);
    await screenshot(page, 'gateway-502-from-stand-in-cy');
    await page.close();
  });
});

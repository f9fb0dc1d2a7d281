import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GATEWAY_RESPONSES } from '../../infra/gateway-responses.js';
import { type ApiGatewayServer, startApiGateway } from '../../infra/local/api-gateway.js';
import { launchBrowser, runAxe, screenshot } from '../support/browser.js';

/**
 * The pages API Gateway answers with itself (`infra/gateway-responses.ts`), in a browser: each
 * passes axe (WCAG 2.2 AA) alone, with no stylesheet, and a resident who posts a form too large
 * for Lambda sees the 413 page through the local stand-in, as on AWS.
 */
let browser: Browser;
let gateway: ApiGatewayServer;

beforeAll(async () => {
  browser = await launchBrowser();
  gateway = await startApiGateway({
    handler: async () => ({ statusCode: 200, body: 'never reached' }),
    onError: () => undefined,
  });
}, 120_000);

afterAll(async () => {
  await gateway?.close();
  await browser?.close();
});

describe('API Gateway’s own pages', () => {
  it.each(GATEWAY_RESPONSES.map((r) => [r.type, r.templates['text/html']] as const))(
    'shows the %s page with no accessibility violations',
    async (type, html) => {
      const page = await browser.newPage();
      await page.setContent(html);

      expect(await runAxe(page)).toEqual([]);
      expect(await page.locator('h1').count()).toBe(1);
      await screenshot(page, `gateway-${type.toLowerCase()}`);
      await page.close();
    },
  );

  it('shows a resident whose form is too large for Lambda the 413 page, not JSON', async () => {
    const page = await browser.newPage();
    await page.setContent(
      `<form method="post" action="${gateway.url}/complaints"><textarea name="summary"></textarea><button>Send</button></form>`,
    );
    await page.locator('textarea').fill('a'.repeat(5 * 1024 * 1024));
    const [answer] = await Promise.all([page.waitForNavigation(), page.locator('button').click()]);

    expect(answer?.status()).toBe(413);
    expect(await page.locator('h1').textContent()).toBe('There is a problem');
    await screenshot(page, 'gateway-413-from-form');
    await page.close();
  }, 60_000);
});

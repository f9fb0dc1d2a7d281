import type { Context } from 'aws-lambda';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi } from '../../functions/app/api.js';
import { loadPolicy } from '../../functions/domain/policy.js';
import { type ApiGatewayServer, startApiGateway } from '../../infra/local/api-gateway.js';
import { launchBrowser, screenshot } from '../support/browser.js';
import { MemoryCaseStore } from '../support/memory-store.js';
import { until } from '../support/polling.js';

/**
 * Every browser asks a site for `/favicon.ico` after a page loads unless the page names an icon,
 * and these pages name none: GOV.UK Frontend's icons are the crown, which is only for GOV.UK
 * services, and each council's own is not known. The answer was the API's 404, an error in every
 * browser's console and a line in the logs for every visitor. The API answers it with no content
 * (204), which browsers take as no icon, and lets them keep that answer for a day.
 */

const policy = loadPolicy('dudley');

let browser: Browser;
let gateway: ApiGatewayServer;
/** Each answer the API gave, by path (the browser's own icon request is not shown to the page's events). */
const answered: { path: string; statusCode: number; headers: Record<string, unknown>; body: string }[] = [];

beforeAll(async () => {
  const api = createApi({
    store: new MemoryCaseStore(),
    policy,
    now: () => new Date(),
    newId: () => 'id',
    linkSecrets: async () => ['test-secret-test-secret-test-secret'],
  });
  [browser, gateway] = await Promise.all([
    launchBrowser(),
    startApiGateway({
      handler: async (event) => {
        const answer = await api(event, {} as Context);
        answered.push({ path: event.path, ...answer, headers: answer.headers ?? {} });
        return answer;
      },
    }),
  ]);
}, 120_000);

afterAll(async () => {
  await gateway?.close();
  await browser?.close();
});

describe('GET /favicon.ico', () => {
  it('is answered with no icon and no error when a browser opens a page', async () => {
    // Act: the feedback form, and the browser's own request for an icon after it.
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    await page.goto(`${gateway.url}/`, { waitUntil: 'load' });
    await until(() => answered.some((a) => a.path === '/favicon.ico'), 'the browser to ask for an icon');
    const asked = answered.find((a) => a.path === '/favicon.ico');

    // Assess: no content, kept for a day; the page itself answered, and the console is clean.
    expect(answered.find((a) => a.path === '/')?.statusCode).toBe(200);
    expect(asked?.statusCode).toBe(204);
    expect(asked?.headers['Cache-Control']).toBe('public, max-age=86400');
    expect(asked?.body).toBe('');
    expect(errors).toEqual([]);
    await screenshot(page, 'favicon-form');
    await page.close();
  });
});

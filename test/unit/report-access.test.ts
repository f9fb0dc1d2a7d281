import type { Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { createApi } from '../../functions/app/api.js';
import { officersOnly, reportsLink } from '../../functions/app/report-access.js';
import { reportRoutes } from '../../functions/app/report-routes.js';
import { loadPolicy } from '../../functions/domain/policy.js';
import { apiEvent } from '../support/api-event.js';
import { MemoryCaseStore } from '../support/memory-store.js';

const SECRET = 'reports-secret-0123456789abcdef0123456789';
let now = new Date('2026-05-01T10:00:00Z');
const policy = loadPolicy('lgsco-code-2024');
const store = new MemoryCaseStore();
const deps = { store, policy, now: () => now, linkSecrets: async () => [SECRET] };
const api = createApi({
  ...deps,
  newId: () => 'x',
  extraRoutes: (router) => reportRoutes(officersOnly(router, deps, ['/reports', '/reports/annual']), deps),
});

function get(path: string, query: Record<string, string> = {}, headers: Record<string, string> = {}) {
  return api(apiEvent('GET', path, { query, headers: { Accept: 'text/html', ...headers } }), {} as Context);
}

function token(): string {
  return new URL(reportsLink('http://redress.test', SECRET, 'team@example.gov.uk', now)).searchParams.get(
    'link',
  ) as string;
}

describe('access to the officers’ report pages', () => {
  it('refuses the report pages without a link', async () => {
    expect((await get('/reports')).statusCode).toBe(403);
    expect((await get('/reports/annual', { year: '2025' })).statusCode).toBe(403);
  });

  it('opens them with a signed link and remembers it in a cookie scoped to /reports', async () => {
    const first = await get('/reports', { link: token() });
    const cookie = String(first.headers?.['Set-Cookie']);
    const next = await get('/reports/annual', { year: '2025' }, { Cookie: cookie.split(';')[0] as string });

    expect(first.statusCode).toBe(200);
    expect(cookie).toMatch(/Path=\/reports; HttpOnly; Secure; SameSite=Strict/);
    expect(next.statusCode).toBe(200);
  });

  it('answers 410 for an expired link and 403 for a link to something else', async () => {
    const old = token();
    now = new Date('2026-07-01T10:00:00Z');

    expect((await get('/reports', { link: old })).statusCode).toBe(410);
    expect((await get('/reports', { link: 'abc.def' })).statusCode).toBe(403);
  });

  it('keeps the anonymised figures public', async () => {
    const result = await api(
      apiEvent('GET', '/reports/performance', { query: { from: '2026-04-01', to: '2026-04-30' } }),
      {} as Context,
    );

    expect(result.statusCode).toBe(200);
  });
});

describe('the report pages for a period with no cases', () => {
  it('render with empty tables rather than failing', async () => {
    const result = await get('/reports', { link: token(), from: '2030-01-01', to: '2030-01-31' });

    expect(result.statusCode).toBe(200);
    expect(result.body).toContain('<svg');
  });
});

import { fileURLToPath } from 'node:url';
import type { APIGatewayProxyResult, Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { createApi } from '../../functions/app/api.js';
import { evidenceLink } from '../../functions/app/evidence-links.js';
import { evidenceRoutes } from '../../functions/app/evidence-routes.js';
import { loadPolicy } from '../../functions/domain/policy.js';
import type { EvidenceStore } from '../../functions/domain/ports.js';
import { CATALOGUE } from '../../functions/web/i18n.js';
import { apiEvent } from '../support/api-event.js';
import { MemoryCaseStore } from '../support/memory-store.js';

/**
 * A Welsh case's evidence link carries `&lang=cy`, so that when it has expired (or was changed)
 * the page saying so is in Welsh like the evidence page itself.
 */

const SECRET = 'evidence-welsh-test-secret-long-enough-0';
const NOW = new Date('2026-03-02T10:00:00Z');
const policy = loadPolicy(fileURLToPath(new URL('../fixtures/policies/welsh-council.json', import.meta.url)));

function api(now: Date) {
  const store = new MemoryCaseStore();
  return createApi({
    store,
    policy,
    now: () => now,
    newId: () => 'unused',
    linkSecrets: async () => [SECRET],
    extraRoutes: (router) =>
      evidenceRoutes(router, {
        store,
        // Never reached: an expired or changed link is refused before any file is looked at.
        evidence: {} as EvidenceStore,
        now: () => now,
        newId: () => 'unused',
        linkSecrets: async () => [SECRET],
        baseUrl: 'https://complaints.example.gov.uk',
        councilName: policy.council,
        uploadsAnswer: async () => undefined,
      }),
  });
}

function open(path: string, now: Date): Promise<APIGatewayProxyResult> {
  const url = new URL(path, 'https://complaints.example.gov.uk');
  return api(now)(
    apiEvent('GET', url.pathname, {
      query: Object.fromEntries(url.searchParams),
      headers: { Accept: 'text/html' },
    }),
    {} as Context,
  );
}

describe('the evidence link of a Welsh case', () => {
  it('carries the case’s language, and an English case’s does not', () => {
    const cy = evidenceLink(SECRET, { caseId: 'case-1', reference: 'CMP-2026-000001', language: 'cy' }, NOW);
    const en = evidenceLink(SECRET, { caseId: 'case-2', reference: 'CMP-2026-000002', language: 'en' }, NOW);

    expect(cy).toMatch(/^\/complaints\/CMP-2026-000001\/evidence\?link=[\w.-]+&lang=cy$/);
    expect(en).toMatch(/^\/complaints\/CMP-2026-000002\/evidence\?link=[\w.-]+$/);
  });

  it('says in Welsh that it has expired, or that it is not valid', async () => {
    const link = evidenceLink(
      SECRET,
      { caseId: 'case-1', reference: 'CMP-2026-000001', language: 'cy' },
      NOW,
    );
    const later = new Date(NOW.getTime() + 31 * 86_400_000);

    const expired = await open(link, later);
    const changed = await open(link.replace('link=', 'link=x'), NOW);

    expect(expired.statusCode).toBe(410);
    expect(expired.body).toContain('<html lang="cy"');
    expect(expired.body).toContain(CATALOGUE.cy['link.410.heading']);
    expect(expired.body).not.toContain('This link has expired');
    expect(changed.statusCode).toBe(403);
    expect(changed.body).toContain(CATALOGUE.cy['link.403.heading']);
  });
});

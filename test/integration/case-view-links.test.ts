import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DynamoDbCaseStore } from '../../functions/adapters/dynamodb-case-store.js';
import { caseViewLink } from '../../functions/app/case-links.js';
import { caseRoutes } from '../../functions/app/case-routes.js';
import type { CaseRecord } from '../../functions/domain/case.js';
import { signLink } from '../../functions/domain/links.js';
import { loadPolicy } from '../../functions/domain/policy.js';
import { apiEvent } from '../support/api-event.js';
import { apiAt } from '../support/api-handler.js';
import { type CaseTableOnStandIns, startCaseTable } from '../support/case-table.js';
import { MemoryArchive } from '../support/memory-archive.js';
import { createStoredCase } from '../support/stored-case.js';

/**
 * The officers' emailed links to a case's page and to a printed letter, against DynamoDB Local.
 * Each shows the resident's name, contact details and words (or their letter, with their address)
 * to whoever holds the link, for 90 days, without signing in. Every other way staff open a case
 * records who opened it and when on the case's history (the workspace's `viewed` events), which a
 * council needs to answer for each access (UK GDPR Article 5(2)); these links must too.
 */

const policy = loadPolicy('lgsco-code-2024');
const SECRET = 'test-secret-test-secret-test-secret';
const BASE_URL = 'https://complaints.example.gov.uk';
const NOW = new Date('2026-03-05T10:00:00.000Z');
const MANAGER = 'repairs.manager@example.gov.uk';

let table: CaseTableOnStandIns;
let store: DynamoDbCaseStore;
const archive = new MemoryArchive();

beforeAll(async () => {
  table = await startCaseTable();
  store = table.store;
}, 120_000);

afterAll(async () => {
  await table?.stop();
});

const api = () =>
  apiAt({ store, policy }, NOW, (r) =>
    caseRoutes(r, { store, archive, policy, now: () => NOW, linkSecrets: async () => [SECRET] }),
  );

function storedCase(): Promise<CaseRecord> {
  return createStoredCase(store, {
    policyId: policy.id,
    complainant: {
      name: 'Ada Resident',
      email: 'ada@example.org',
      address: '1 High Street, Norwich NR1 1AA',
    },
  });
}

describe('an emailed link to a case or a letter', () => {
  it('records on the case who opened its page through the link, and when', async () => {
    // Prepare
    const record = await storedCase();
    const url = new URL(caseViewLink(BASE_URL, SECRET, record, MANAGER, NOW));

    // Act
    const page = await api()(
      apiEvent('GET', url.pathname, { query: { link: url.searchParams.get('link') as string } }),
    );

    // Assess
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Ada Resident');
    expect((await store.events(record.caseId)).at(-1)).toMatchObject({
      type: 'viewed',
      actor: MANAGER,
      at: NOW.toISOString(),
      channel: 'link',
    });
  });

  it('records on the case who opened a printed letter through the link, and when', async () => {
    // Prepare
    const record = await storedCase();
    await archive.putLetter(record.caseId, 'response-1', new TextEncoder().encode('%PDF-1.7 letter'));
    const mailbox = 'post.room@example.gov.uk';
    const token = signLink(
      {
        c: record.caseId,
        t: 'response-1',
        a: 'letter',
        o: mailbox,
        e: Math.floor(NOW.getTime() / 1000) + 86_400,
      },
      SECRET,
    );

    // Act
    const pdf = await api()(
      apiEvent('GET', `/cases/${record.reference}/letters/response-1`, { query: { link: token } }),
    );

    // Assess
    expect(pdf.statusCode).toBe(200);
    expect((await store.events(record.caseId)).at(-1)).toMatchObject({
      type: 'viewed',
      actor: mailbox,
      channel: 'link',
      detail: { what: 'printed letter response-1' },
    });
  });
});

import { randomUUID } from 'node:crypto';
import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DynamoDbCaseStore } from '../../functions/adapters/dynamodb-case-store.js';
import { S3EvidenceStore } from '../../functions/adapters/s3-evidence.js';
import { S3RecordsControl } from '../../functions/adapters/s3-records-control.js';
import { evidenceLink } from '../../functions/app/evidence-links.js';
import { evidenceRoutes } from '../../functions/app/evidence-routes.js';
import { eraseCase } from '../../functions/app/retention-actions.js';
import type { CaseRecord } from '../../functions/domain/case.js';
import { loadPolicy } from '../../functions/domain/policy.js';
import { apiEvent } from '../support/api-event.js';
import { apiAt } from '../support/api-handler.js';
import { type CaseTableOnStandIns, startCaseTable } from '../support/case-table.js';
import { MemoryAuditLog } from '../support/memory-audit-log.js';
import { MemoryDownloads } from '../support/memory-downloads.js';
import { MemorySuppressionList } from '../support/memory-suppression-list.js';
import { DPO } from '../support/staff-members.js';
import { createStoredCase, RECEIVED_EVENT } from '../support/stored-case.js';

/**
 * The resident's evidence link after their case was erased, against DynamoDB Local and the S3
 * stand-in. The link is given at intake and works for 30 days; a resident who asks for their
 * complaint to be erased days later still holds it (and so may whoever they forwarded it to).
 * Once the case is erased it must open nothing: an upload would put a person's files back into
 * the records of a case the council has told them it erased.
 */

const policy = loadPolicy('lgsco-code-2024');
const SECRET = 'test-secret-test-secret-test-secret';
const RECEIVED = new Date('2026-03-02T10:00:00.000Z');
const NOW = new Date('2026-03-10T10:00:00.000Z');

let table: CaseTableOnStandIns;
let store: DynamoDbCaseStore;
let s3: S3Client;
let evidence: S3EvidenceStore;
let control: S3RecordsControl;

beforeAll(async () => {
  table = await startCaseTable(['dynamodb', 's3']);
  ({ store, s3 } = table);
  evidence = new S3EvidenceStore({ bucket: table.standIns.bucket, client: s3 });
  control = new S3RecordsControl({ bucket: table.standIns.bucket, client: s3 });
}, 120_000);

afterAll(async () => {
  await table?.stop();
});

const api = () =>
  apiAt({ store, policy }, NOW, (r) =>
    evidenceRoutes(r, {
      store,
      evidence,
      now: () => NOW,
      newId: () => randomUUID(),
      linkSecrets: async () => [SECRET],
      baseUrl: 'https://complaints.example.gov.uk',
      councilName: policy.council,
      uploadsAnswer: async () => undefined,
    }),
  );

/** A complaint closed a few days after it came (sent elsewhere), then erased at the resident's request. */
async function erasedCase(): Promise<CaseRecord> {
  const record = await createStoredCase(
    store,
    {
      policyId: policy.id,
      summary: 'My neighbour’s dog barks all night.',
      complainant: { name: 'Ada Resident', email: 'ada@example.org' },
      receivedAt: RECEIVED.toISOString(),
      createdAt: RECEIVED.toISOString(),
      updatedAt: RECEIVED.toISOString(),
      progress: { stage1: { startedAt: RECEIVED.toISOString() } },
    },
    { ...RECEIVED_EVENT, at: RECEIVED.toISOString() },
  );
  const { caseId } = record;
  await store.update(caseId, 1, {
    set: { status: 'closed', closedAt: '2026-03-05T10:00:00.000Z' },
    event: { at: '2026-03-05T10:00:00.000Z', type: 'closed', actor: 'workflow' },
  });
  await eraseCase(
    {
      store,
      control,
      downloads: new MemoryDownloads(),
      suppressions: new MemorySuppressionList(),
      audit: new MemoryAuditLog(),
      policy,
      now: () => NOW,
      newId: () => randomUUID(),
    },
    DPO,
    record.reference,
    { erasureGround: 'consent-withdrawn', erasureConfirm: 'yes' },
  );
  return record;
}

describe('an evidence link of an erased case', () => {
  it('opens no page and hands out no upload: 410, and nothing is stored for the case', async () => {
    // Prepare
    const record = await erasedCase();
    const link = new URL(evidenceLink(SECRET, record, RECEIVED), 'https://complaints.example.gov.uk');
    const token = link.searchParams.get('link') as string;

    // Act
    const page = await api()(
      apiEvent('GET', link.pathname, { headers: { Accept: 'text/html' }, query: { link: token } }),
    );
    const upload = await api()(
      apiEvent('POST', link.pathname, {
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: '{}',
        query: { link: token },
      }),
    );

    // Assess
    expect(page.statusCode).toBe(410);
    expect(page.body).not.toContain('<form');
    expect(upload.statusCode).toBe(410);
    const objects = await s3.send(
      new ListObjectsV2Command({ Bucket: table.standIns.bucket, Prefix: `evidence/${record.caseId}/` }),
    );
    expect(objects.Contents ?? []).toEqual([]);
    expect((await store.events(record.caseId)).map((e) => e.type)).toEqual(['erased']);
  });
});

import { randomUUID } from 'node:crypto';
import type { S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DynamoDbCaseStore } from '../../functions/adapters/dynamodb-case-store.js';
import { S3Archive } from '../../functions/adapters/s3-archive.js';
import { S3RecordsControl } from '../../functions/adapters/s3-records-control.js';
import { correspondence } from '../../functions/app/correspondence.js';
import { placeHold } from '../../functions/app/retention-actions.js';
import { type CaseLifeDeps, reopenCase } from '../../functions/app/staff-case-actions.js';
import type { CaseRecord } from '../../functions/domain/case.js';
import { loadPolicy } from '../../functions/domain/policy.js';
import { retentionRules } from '../../functions/domain/retention.js';
import { sweepArchive } from '../../infra/local/sweeper.js';
import { type CaseTableOnStandIns, startCaseTable } from '../support/case-table.js';
import { RecordingWorkflows } from '../support/fake-workflows.js';
import { MemoryAuditLog } from '../support/memory-audit-log.js';
import { MemoryMailer } from '../support/memory-mailer.js';
import { DPO, TEAM } from '../support/staff-members.js';
import { archiveStoredCase, createStoredCase } from '../support/stored-case.js';

/**
 * Reopening a closed complaint against DynamoDB Local and the S3 stand-in with the local sweeper
 * applying the bucket's lifecycle rules. The archive step tagged the case's file, letters and
 * evidence with their retention class at closure, and the lifecycle counts that class's days
 * from then. A reopened case is open again: its table items lose their expiry, and its archived
 * objects must leave the retention clock too, or a case reopened late in its retention loses its
 * file, letters and evidence while it is being looked into again (the archive step dates and tags
 * them afresh when it closes again).
 */

const policy = loadPolicy('lgsco-code-2024');
const rules = retentionRules(policy);
const DAY_MS = 86_400_000;
const CLOSED_AT = '2026-06-30T15:00:00.000Z';
const ARCHIVED_AT = '2026-06-30T16:00:00.000Z';

let table: CaseTableOnStandIns;
let store: DynamoDbCaseStore;
let s3: S3Client;
let archive: S3Archive;
let control: S3RecordsControl;

beforeAll(async () => {
  table = await startCaseTable(['dynamodb', 's3']);
  ({ store, s3 } = table);
  archive = new S3Archive({ bucket: table.standIns.bucket, client: s3 });
  control = new S3RecordsControl({ bucket: table.standIns.bucket, client: s3 });
}, 120_000);

afterAll(async () => {
  await table?.stop();
});

function deps(now: Date): CaseLifeDeps {
  return {
    store,
    archive,
    control,
    workflows: new RecordingWorkflows(),
    policy,
    now: () => now,
    linkSecrets: async () => ['test-secret-test-secret-test-secret'],
    send: correspondence(policy, new MemoryMailer()),
  };
}

/** A complaint closed at `CLOSED_AT` and archived as the archive step does: file, letter, evidence. */
async function closedAndArchived(): Promise<CaseRecord> {
  const { caseId } = await createStoredCase(store, {
    policyId: policy.id,
    service: policy.routing.services[0]?.id as string,
    progress: {
      stage1: {
        startedAt: '2026-03-02T10:00:00.000Z',
        acknowledgedAt: '2026-03-03T10:00:00.000Z',
        respondedAt: '2026-03-10T10:00:00.000Z',
        response: { outcome: 'not-upheld', reasons: 'The repair was done on the second visit.' },
      },
    },
    assignedTo: 'sam@example.gov.uk',
  });
  const closed = await store.update(caseId, 1, {
    set: { status: 'closed', closedAt: CLOSED_AT, outcome: 'not-upheld' },
    event: { at: CLOSED_AT, type: 'closed', actor: 'workflow' },
  });
  const keys = await archiveStoredCase({ archive, s3, bucket: table.standIns.bucket }, closed, ARCHIVED_AT);
  expect(Object.keys(await control.tags(caseId))).toEqual(expect.arrayContaining(keys));
  return closed;
}

describe('reopening a closed complaint takes its archive off the retention clock', () => {
  it('keeps the file, letters and evidence of a case reopened late in its retention while it is open', async () => {
    // Prepare: closed, then reopened 23 months later.
    const closed = await closedAndArchived();
    const reopenedAt = new Date('2028-06-01T09:00:00.000Z');

    // Act
    await reopenCase(deps(reopenedAt), TEAM, closed.reference, {
      reopenReason: 'The resident sent photographs showing the roof still leaks.',
    });
    // The sweeper a day past two years from the closure: the case is still being looked into.
    const pastTwoYears = new Date(Date.parse(ARCHIVED_AT) + 731 * DAY_MS);
    const swept = await sweepArchive({
      client: s3,
      bucket: table.standIns.bucket,
      rules,
      now: () => pastTwoYears,
    });

    // Assess
    expect((await store.get(closed.caseId))?.status).toBe('investigating');
    expect(swept.expired.filter((x) => x.key.includes(closed.caseId))).toEqual([]);
    expect(Object.values(await control.tags(closed.caseId))).toEqual(['open', 'open', 'open']);
  });

  it('leaves a held case’s archive held when it is reopened', async () => {
    // Prepare
    const closed = await closedAndArchived();
    const now = new Date('2026-08-01T09:00:00.000Z');
    await placeHold(
      { store, control, audit: new MemoryAuditLog(), policy, now: () => now, newId: () => randomUUID() },
      DPO,
      closed.reference,
      { holdReason: 'litigation' },
    );

    // Act
    await reopenCase(deps(now), TEAM, closed.reference, {
      reopenReason: 'The resident sent photographs showing the roof still leaks.',
    });

    // Assess
    expect(Object.values(await control.tags(closed.caseId))).toEqual(['hold', 'hold', 'hold']);
  });
});

import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PutObjectCommand, PutObjectTaggingCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCaseTable, DynamoDbCaseStore } from '../../functions/adapters/dynamodb-case-store.js';
import { letterKey, S3Archive } from '../../functions/adapters/s3-archive.js';
import { S3RecordsControl } from '../../functions/adapters/s3-records-control.js';
import { correspondence } from '../../functions/app/correspondence.js';
import { placeHold } from '../../functions/app/retention-actions.js';
import { type CaseLifeDeps, reopenCase } from '../../functions/app/staff-case-actions.js';
import type { CaseEvent, CaseRecord } from '../../functions/domain/case.js';
import { evidenceKey } from '../../functions/domain/evidence.js';
import { loadPolicy } from '../../functions/domain/policy.js';
import { retentionRules } from '../../functions/domain/retention.js';
import type { StaffMember } from '../../functions/domain/staff.js';
import { sweepArchive } from '../../infra/local/sweeper.js';
import { RecordingWorkflows } from '../support/fake-workflows.js';
import { MemoryAuditLog } from '../support/memory-audit-log.js';
import { MemoryMailer } from '../support/memory-mailer.js';
import { TEAM } from '../support/staff-members.js';
import { type StandIns, startStandIns } from '../support/stand-ins.js';

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

let standIns: StandIns;
let store: DynamoDbCaseStore;
let s3: S3Client;
let archive: S3Archive;
let control: S3RecordsControl;

const dpo: StaffMember = {
  sub: 'dana',
  email: 'dana.okafor@example.gov.uk',
  name: 'Dana Okafor',
  roles: ['data-protection'],
  services: [],
};

beforeAll(async () => {
  standIns = await startStandIns(['dynamodb', 's3']);
  const tableName = `cases-${randomUUID()}`;
  await createCaseTable(new DynamoDBClient({}), tableName);
  store = new DynamoDbCaseStore({ tableName });
  s3 = new S3Client({ forcePathStyle: true });
  archive = new S3Archive({ bucket: standIns.bucket, client: s3 });
  control = new S3RecordsControl({ bucket: standIns.bucket, client: s3 });
}, 120_000);

afterAll(async () => {
  s3?.destroy();
  await standIns?.stop();
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

const received: Omit<CaseEvent, 'caseId' | 'seq'> = {
  at: '2026-03-02T10:00:01.000Z',
  type: 'received',
  actor: 'resident',
  channel: 'online',
};

/** A complaint closed at `CLOSED_AT` and archived as the archive step does: file, letter, evidence. */
async function closedAndArchived(): Promise<CaseRecord> {
  const caseId = randomUUID();
  const service = policy.routing.services[0]?.id as string;
  const record: CaseRecord = {
    caseId,
    reference: `CMP-2026-${caseId.slice(0, 6).toUpperCase()}`,
    kind: 'complaint',
    submittedKind: 'complaint',
    status: 'investigating',
    stage: 1,
    policyId: policy.id,
    service,
    summary: 'The repair to my roof was booked twice and nobody came.',
    complainant: { name: 'Ada Resident', email: `ada.${caseId.slice(0, 8)}@example.org` },
    anonymous: false,
    channel: 'online',
    receivedAt: '2026-03-02T10:00:00.000Z',
    createdAt: '2026-03-02T10:00:01.000Z',
    updatedAt: '2026-03-02T10:00:01.000Z',
    triage: { route: 'handle', reasons: [] },
    progress: {
      stage1: {
        startedAt: '2026-03-02T10:00:00.000Z',
        acknowledgedAt: '2026-03-03T10:00:00.000Z',
        respondedAt: '2026-03-10T10:00:00.000Z',
        response: { outcome: 'not-upheld', reasons: 'The repair was done on the second visit.' },
      },
    },
    deadlines: {},
    assignedTo: 'sam@example.gov.uk',
    version: 1,
  };
  await store.create(record, received);
  const closed = await store.update(caseId, 1, {
    set: { status: 'closed', closedAt: CLOSED_AT, outcome: 'not-upheld' },
    event: { at: CLOSED_AT, type: 'closed', actor: 'workflow' },
  });
  await archive.putCaseFile(caseId, { case: closed, events: [], archivedAt: ARCHIVED_AT }, '2y');
  await archive.putLetter(caseId, 'response-1', new TextEncoder().encode('%PDF-1.7 letter'));
  await archive.retainLetters(caseId, ['response-1'], '2y', ARCHIVED_AT);
  const evidence = evidenceKey(caseId, randomUUID());
  await s3.send(
    new PutObjectCommand({
      Bucket: standIns.bucket,
      Key: evidence,
      Body: 'photo of the roof',
      Metadata: { 'archived-at': ARCHIVED_AT },
    }),
  );
  await s3.send(
    new PutObjectTaggingCommand({
      Bucket: standIns.bucket,
      Key: evidence,
      Tagging: { TagSet: [{ Key: 'retention', Value: '2y' }] },
    }),
  );
  expect(Object.keys(await control.tags(caseId))).toEqual(
    expect.arrayContaining([`cases/${caseId}.json`, letterKey(caseId, 'response-1'), evidence]),
  );
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
    const swept = await sweepArchive({ client: s3, bucket: standIns.bucket, rules, now: () => pastTwoYears });

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
      dpo,
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

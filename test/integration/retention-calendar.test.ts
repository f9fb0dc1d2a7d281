/**
 * A closed case file is kept for whole calendar years (South Norfolk Council Complaints Policy,
 * "Retention Guidelines": destroy 2 years after closure, 6 years when the Ombudsman was
 * involved), and its record in the case table and its archive in S3 go on the same calendar day.
 * Counted in days (730, 2190), a 6-year period that holds two 29 Februaries ended two days early
 * for the archive, whose lifecycle rule deleted it the day before its record.
 *
 * Against DynamoDB Local (the record's expiry as the store writes it, and the local TTL that
 * deletes it) and the S3 stand-in (the archive as the archive step writes it, what the stream's
 * TTL removal does to it, and the local sweeper, the bucket's backstop).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import type { DynamoDBRecord } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseKey } from '../../functions/adapters/case-table.js';
import type { DynamoDbCaseStore } from '../../functions/adapters/dynamodb-case-store.js';
import { S3Archive } from '../../functions/adapters/s3-archive.js';
import { S3Downloads } from '../../functions/adapters/s3-downloads.js';
import { S3RecordsControl } from '../../functions/adapters/s3-records-control.js';
import { expireArchivesFor } from '../../functions/app/archive-expiry.js';
import { londonDate, startOfLondonDay } from '../../functions/domain/calendar.js';
import type { CaseRecord } from '../../functions/domain/case.js';
import { loadPolicy } from '../../functions/domain/policy.js';
import { retentionRules } from '../../functions/domain/retention.js';
import { expiryInstant, sweepArchive } from '../../infra/local/sweeper.js';
import { expireItems, TtlDeletions } from '../../infra/local/ttl.js';
import { type CaseTableOnStandIns, startCaseTable } from '../support/case-table.js';
import { MemoryDownloads } from '../support/memory-downloads.js';
import { createStoredCase } from '../support/stored-case.js';

const policy = loadPolicy('south-norfolk');
const rules = retentionRules(policy);
const DAY_MS = 86_400_000;

let table: CaseTableOnStandIns;
let standIns: CaseTableOnStandIns['standIns'];
let store: DynamoDbCaseStore;
let s3: S3Client;
let archive: S3Archive;
let control: S3RecordsControl;
let downloads: S3Downloads;
let client: DynamoDBClient;

beforeAll(async () => {
  table = await startCaseTable(['dynamodb', 's3'], {
    retentionYears: { closed: policy.retention.closedYears, ombudsman: policy.retention.ombudsmanYears },
  });
  ({ standIns, store, s3 } = table);
  archive = new S3Archive({ bucket: standIns.bucket, client: s3 });
  control = new S3RecordsControl({ bucket: standIns.bucket, client: s3 });
  downloads = new S3Downloads({ bucket: standIns.bucket, client: s3 });
  client = new DynamoDBClient({});
}, 120_000);

afterAll(async () => {
  client?.destroy();
  await table?.stop();
});

/** A case closed at `closedAt`, stored as closed, and archived a second later as the archive step does. */
async function closeAndArchive(closedAt: string, ombudsmanInvolved: boolean): Promise<CaseRecord> {
  const record = await createStoredCase(store, {
    status: 'closed',
    policyId: policy.id,
    updatedAt: closedAt,
    closedAt,
    ...(ombudsmanInvolved ? { ombudsmanInvolved: true } : {}),
  });
  const archivedAt = new Date(Date.parse(closedAt) + 1000).toISOString();
  await archive.putCaseFile(
    record.caseId,
    { case: record, events: [], archivedAt },
    ombudsmanInvolved ? '6y' : '2y',
  );
  return record;
}

/** The record's expiry (TTL, epoch seconds) as the store wrote it. */
async function recordExpiry(caseId: string): Promise<Date> {
  const item = await table.item(caseKey(caseId));
  return new Date(Number(item?.expiresAt) * 1000);
}

async function archived(caseId: string): Promise<boolean> {
  const page = await s3.send(
    new ListObjectsV2Command({ Bucket: standIns.bucket, Prefix: `cases/${caseId}` }),
  );
  return (page.KeyCount ?? 0) > 0;
}

/** The local sweeper, on a clock at `now`, over this case's objects only. */
const sweepAt = (now: string, caseId: string) =>
  sweepArchive({
    client: s3,
    bucket: standIns.bucket,
    rules,
    now: () => new Date(now),
    prefix: `cases/${caseId}`,
  });

/** The local TTL's pass over the table, on a clock at `now`: whether it deleted this case's record. */
async function ttlTakesRecordAt(now: string, caseId: string): Promise<boolean> {
  const pass = await expireItems({
    client,
    tableName: table.tableName,
    now: () => new Date(now),
    deletions: new TtlDeletions(),
  });
  const key = caseKey(caseId);
  return pass.deleted.some((k) => k.PK?.S === key.PK && k.SK?.S === key.SK);
}

/** The stream's record of the table's TTL deleting a case item. */
function ttlRemoval(caseId: string): DynamoDBRecord {
  return {
    eventName: 'REMOVE',
    userIdentity: { type: 'Service', principalId: 'dynamodb.amazonaws.com' },
    dynamodb: { Keys: { PK: { S: `CASE#${caseId}` }, SK: { S: 'CASE' } }, SequenceNumber: '1' },
  };
}

/** [closed at, Ombudsman involved, the London day its retention ends] */
const CASES: readonly [string, boolean, string][] = [
  // The known case: six years holding 29 February 2028 and 2032.
  ['2027-03-01T10:00:00.000Z', true, '2033-03-01'],
  ['2027-03-01T10:00:00.000Z', false, '2029-03-01'],
  // Closed on 29 February: its anniversaries in common years are 28 February.
  ['2028-02-29T10:00:00.000Z', false, '2030-02-28'],
  ['2028-02-29T10:00:00.000Z', true, '2034-02-28'],
  // Closed 00:30 BST on 1 June (31 May in UTC): the London day counts.
  ['2027-05-31T23:30:00.000Z', false, '2029-06-01'],
  // Closed at midnight GMT, which S3 does not round up.
  ['2031-03-01T00:00:00.000Z', true, '2037-03-01'],
  // Closed the minute before midnight on the day the clocks go back.
  ['2026-10-25T23:59:00.000Z', true, '2032-10-25'],
];

describe('retention counted in calendar years, the record and the archive together', () => {
  it.each(CASES)(
    'a case closed %s (Ombudsman: %s) has its record expire on %s',
    async (closedAt, ombudsman, day) => {
      // Act
      const record = await closeAndArchive(closedAt, ombudsman);

      // Assess
      expect(londonDate((await recordExpiry(record.caseId)).toISOString())).toBe(day);
    },
  );

  it.each(CASES)(
    'a case closed %s (Ombudsman: %s) keeps its record and archive until %s, when the local TTL takes both',
    async (closedAt, ombudsman, day) => {
      // Prepare
      const record = await closeAndArchive(closedAt, ombudsman);
      const expiry = await recordExpiry(record.caseId);
      const dayBefore = new Date(Date.parse(startOfLondonDay(day)) - 60_000).toISOString();

      // Act and assess: the TTL keeps the record up to the day, and the sweeper the archive.
      expect(await ttlTakesRecordAt(dayBefore, record.caseId)).toBe(false);
      expect((await sweepAt(dayBefore, record.caseId)).expired).toEqual([]);
      expect(await table.item(caseKey(record.caseId))).toBeDefined();
      expect(await archived(record.caseId)).toBe(true);

      // Act and assess: on the day the TTL takes the record, and its stream record the archive;
      // the sweeper, the bucket's backstop, would not have yet.
      const onTheDay = new Date(expiry.getTime() + 1000).toISOString();
      expect(londonDate(onTheDay)).toBe(day);
      expect((await sweepAt(onTheDay, record.caseId)).expired).toEqual([]);
      expect(await ttlTakesRecordAt(onTheDay, record.caseId)).toBe(true);
      const result = await expireArchivesFor(
        { control, downloads },
        { Records: [ttlRemoval(record.caseId)] },
      );
      expect(result.batchItemFailures).toEqual([]);
      expect(await archived(record.caseId)).toBe(false);
    },
  );

  it.each(CASES)(
    'a case closed %s (Ombudsman: %s): the deployed bucket’s rule never expires the archive before the record',
    (closedAt, ombudsman) => {
      // The rule counts days from the object's creation (the archive step, just after closure) and
      // rounds up to midnight UTC. On AWS the record's TTL removal deletes the archive (below); the
      // rule is the backstop, and must not come first even when TTL runs days late.
      const rule = rules.find((r) => r.tag === (ombudsman ? '6y' : '2y'));
      const archivedAt = new Date(Date.parse(closedAt) + 1000);
      const years = ombudsman ? policy.retention.ombudsmanYears : policy.retention.closedYears;
      const [y, m, d] = londonDate(closedAt).split('-').map(Number) as [number, number, number];
      const lastDay = new Date(Date.UTC(y + years, m, 0)).getUTCDate();
      const recordDay = `${y + years}-${String(m).padStart(2, '0')}-${String(Math.min(d, lastDay)).padStart(2, '0')}`;

      const backstop = expiryInstant(archivedAt, rule?.expireAfterDays ?? 0);

      expect(backstop.getTime()).toBeGreaterThan(Date.parse(startOfLondonDay(recordDay)) + 7 * DAY_MS);
    },
  );

  it('deletes the archive on AWS when the table’s TTL removes the record, on the record’s day', async () => {
    const record = await closeAndArchive('2027-03-01T10:00:00.000Z', true);

    const result = await expireArchivesFor(
      { control, downloads: new MemoryDownloads() },
      { Records: [ttlRemoval(record.caseId)] },
    );

    expect(result.batchItemFailures).toEqual([]);
    expect(await archived(record.caseId)).toBe(false);
  });
});

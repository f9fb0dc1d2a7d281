import { randomUUID } from 'node:crypto';
import { GetObjectTaggingCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  caseKey,
  eventKey,
  referenceKey,
  termKey,
  workListKey,
} from '../../functions/adapters/case-table.js';
import type { DynamoDbCaseStore } from '../../functions/adapters/dynamodb-case-store.js';
import { S3Archive } from '../../functions/adapters/s3-archive.js';
import { DOWNLOADS_PREFIX, S3Downloads } from '../../functions/adapters/s3-downloads.js';
import { S3RecordsControl } from '../../functions/adapters/s3-records-control.js';
import { expireArchivesFor } from '../../functions/app/archive-expiry.js';
import { type ErasureDeps, eraseCase, liftHold, placeHold } from '../../functions/app/retention-actions.js';
import type { CaseRecord } from '../../functions/domain/case.js';
import { tombstoneOf } from '../../functions/domain/legal-hold.js';
import { loadPolicy } from '../../functions/domain/policy.js';
import { ConcurrentUpdateError } from '../../functions/domain/ports.js';
import { retentionRules } from '../../functions/domain/retention.js';
import { caseSearchTerms } from '../../functions/domain/search-terms.js';
import type { StaffMember } from '../../functions/domain/staff.js';
import { HttpError } from '../../functions/http/errors.js';
import { computePerformance } from '../../functions/reports/compute.js';
import { financialYear } from '../../functions/reports/period.js';
import { sweepArchive } from '../../infra/local/sweeper.js';
import { type CaseTableOnStandIns, startCaseTable } from '../support/case-table.js';
import { failingFirst } from '../support/interposed.js';
import { MemoryAuditLog } from '../support/memory-audit-log.js';
import { MemorySuppressionList } from '../support/memory-suppression-list.js';
import { REPORT_AS_OF, REPORT_YEAR, reportCases, reportPolicy } from '../support/report-cases.js';
import { archiveStoredCase, RECEIVED_EVENT, storedCase } from '../support/stored-case.js';

/**
 * Legal holds and erasure against the real stand-ins: DynamoDB Local for the case table, s3rver
 * for the records archive, and the local sweeper applying the policy's lifecycle rules.
 */

const policy = loadPolicy('lgsco-code-2024');
const rules = retentionRules(policy);
const DAY_MS = 86_400_000;

let table: CaseTableOnStandIns;
let standIns: CaseTableOnStandIns['standIns'];
let store: DynamoDbCaseStore;
let raw: DynamoDBDocumentClient;
let tableName: string;
let s3: S3Client;
let archive: S3Archive;
let control: S3RecordsControl;
let downloads: S3Downloads;

const dana: StaffMember = {
  sub: 'dana',
  email: 'dana.okafor@council.example',
  name: 'Dana Okafor',
  roles: ['data-protection'],
  services: [],
};
const officer: StaffMember = {
  sub: 'sam',
  email: 'sam@council.example',
  name: 'Sam',
  roles: ['officer'],
  services: ['housing-repairs'],
};

beforeAll(async () => {
  table = await startCaseTable(['dynamodb', 's3']);
  ({ standIns, store, raw, tableName, s3 } = table);
  archive = new S3Archive({ bucket: standIns.bucket, client: s3 });
  control = new S3RecordsControl({ bucket: standIns.bucket, client: s3 });
  downloads = new S3Downloads({ bucket: standIns.bucket, client: s3 });
}, 120_000);

afterAll(async () => {
  await table?.stop();
});

function deps(now: Date, audit = new MemoryAuditLog()): ErasureDeps & { audit: MemoryAuditLog } {
  const suppressions = new MemorySuppressionList();
  return {
    store,
    control,
    downloads,
    suppressions,
    audit,
    policy,
    now: () => now,
    newId: () => randomUUID(),
  };
}

function closedCase(overrides: Partial<CaseRecord> = {}): CaseRecord {
  const caseId = overrides.caseId ?? randomUUID();
  return storedCase({
    caseId,
    service: 'housing-repairs',
    complainant: {
      name: 'Ada Resident',
      email: `ada.${caseId.slice(0, 8)}@example.org`,
      phone: '01632 960001',
      address: '1 High Street, Norwich NR1 1AA',
    },
    ...overrides,
  });
}

/** Creates a case, adds a note event, and closes it at `closedAt`; returns the closed record. */
async function storeClosed(closedAt: string, overrides: Partial<CaseRecord> = {}): Promise<CaseRecord> {
  const record = closedCase(overrides);
  await store.create(record, RECEIVED_EVENT);
  const noted = await store.update(record.caseId, 1, {
    set: { notes: [{ at: closedAt, by: officer.email, text: 'Spoke to Ada on 01632 960001' }] },
    event: { at: closedAt, type: 'note', actor: officer.email },
  });
  return store.update(record.caseId, noted.version, {
    set: { status: 'closed', closedAt, deadlines: {} },
    event: { at: closedAt, type: 'closed', actor: 'workflow' },
  });
}

/** Every table item of a case that carries a TTL: the case, its events, its reference and search terms. */
async function expiries(record: CaseRecord, terms: string[]): Promise<unknown[]> {
  const partition = await raw.send(
    new QueryCommand({
      TableName: tableName,
      KeyConditionExpression: 'PK = :pk',
      ExpressionAttributeValues: { ':pk': caseKey(record.caseId).PK },
      ConsistentRead: true,
    }),
  );
  const items = [
    ...(partition.Items ?? []),
    await table.item(referenceKey(record.reference)),
    ...(await Promise.all(terms.map((t) => table.item(termKey(t, record.caseId))))),
  ];
  expect(items.every((i) => i !== undefined)).toBe(true);
  return items.map((i) => i?.expiresAt);
}

/** Archives a closed case as the archive step does (its evidence scanned clean): the objects' keys. */
function archiveCase(record: CaseRecord, archivedAt: string): Promise<string[]> {
  return archiveStoredCase({ archive, s3, bucket: standIns.bucket }, record, archivedAt, [
    { Key: 'GuardDutyMalwareScanStatus', Value: 'NO_THREATS_FOUND' },
  ]);
}

async function keysOf(caseId: string): Promise<string[]> {
  const keys: string[] = [];
  for (const prefix of [`cases/${caseId}`, `evidence/${caseId}/`]) {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: standIns.bucket, Prefix: prefix }));
    keys.push(...(page.Contents ?? []).map((o) => o.Key as string));
  }
  return keys.sort();
}

describe('a legal hold on the case table', () => {
  it('takes the expiry off a held closed case’s item, events, reference and search terms, and gives it back on lift', async () => {
    // Prepare
    const closed = await storeClosed('2026-06-30T15:00:00.000Z');
    const terms = caseSearchTerms(closed);
    expect(terms.length).toBeGreaterThan(0);
    const twoYears = Math.floor(Date.parse('2028-06-30T15:00:00.000Z') / 1000);
    expect(await expiries(closed, terms)).toEqual(Array(5 + 1 + terms.length).fill(twoYears));

    // Act
    const now = new Date('2026-07-01T09:00:00.000Z');
    const held = await placeHold(deps(now), dana, closed.reference, { holdReason: 'litigation' });

    // Assess: the case, its three events and the hold's, its event sequence, its reference, its
    // terms: none expires.
    expect(held.legalHold?.reason).toBe('litigation');
    expect(await expiries(closed, terms)).toEqual(Array(6 + 1 + terms.length).fill(undefined));

    // Act
    await liftHold(deps(now), dana, closed.reference);

    // Assess
    expect(await expiries(closed, terms)).toEqual(Array(7 + 1 + terms.length).fill(twoYears));
  });
});

describe('retention never deletes a held case', () => {
  it('keeps a held case’s file, letters and evidence past retention, while an unheld one in the same sweep goes', async () => {
    // Prepare: two cases closed and archived the same day.
    const archivedAt = '2026-07-01T10:00:00.000Z';
    const held = await storeClosed('2026-07-01T09:00:00.000Z');
    const unheld = await storeClosed('2026-07-01T09:00:00.000Z');
    const heldKeys = await archiveCase(held, archivedAt);
    const unheldKeys = await archiveCase(unheld, archivedAt);
    const audit = new MemoryAuditLog();
    await placeHold(deps(new Date('2026-07-02T09:00:00.000Z'), audit), dana, held.reference, {
      holdReason: 'ombudsman',
      holdNote: 'LGSCO 26 001 234',
      'holdReview-day': '1',
      'holdReview-month': '7',
      'holdReview-year': '2029',
    });
    expect(Object.values(await control.tags(held.caseId))).toEqual(['hold', 'hold', 'hold']);
    // The evidence keeps the virus scan's verdict beside the hold.
    const evidenceTags = await s3.send(
      new GetObjectTaggingCommand({ Bucket: standIns.bucket, Key: heldKeys[2] as string }),
    );
    expect(evidenceTags.TagSet).toContainEqual({
      Key: 'GuardDutyMalwareScanStatus',
      Value: 'NO_THREATS_FOUND',
    });

    // Act: the sweeper's clock (the bucket's backstop) past the 2-year rule's days, and even past
    // the 6-year one's.
    const pastTwoYears = new Date(Date.parse(archivedAt) + 763 * DAY_MS);
    const first = await sweepArchive({ client: s3, bucket: standIns.bucket, rules, now: () => pastTwoYears });
    const pastSixYears = new Date(Date.parse(archivedAt) + 2227 * DAY_MS);
    await sweepArchive({ client: s3, bucket: standIns.bucket, rules, now: () => pastSixYears });

    // Assess
    expect(first.expired.map((x) => x.key).sort()).toEqual(expect.arrayContaining(unheldKeys));
    expect(first.expired.map((x) => x.key)).not.toEqual(expect.arrayContaining([heldKeys[0]]));
    expect(await keysOf(unheld.caseId)).toEqual([]);
    expect(await keysOf(held.caseId)).toEqual(heldKeys);
    expect(await archive.getCaseFile(held.caseId)).toMatchObject({ case: { caseId: held.caseId } });
    expect(audit.entries.map((e) => [e.action, e.subject?.caseId])).toEqual([['hold.place', held.caseId]]);
    expect(JSON.stringify(audit.entries)).not.toContain('Ada');

    // Act: lifted long after retention ended, the next sweep takes it.
    const lifted = await liftHold(deps(pastSixYears, audit), dana, held.reference);
    expect(Object.values(await control.tags(held.caseId))).toEqual(['2y', '2y', '2y']);
    await sweepArchive({ client: s3, bucket: standIns.bucket, rules, now: () => pastSixYears });

    // Assess
    expect(lifted.overdue).toBe(true);
    expect(await keysOf(held.caseId)).toEqual([]);
    const events = await store.events(held.caseId);
    expect(events.map((e) => e.type)).toEqual(
      expect.arrayContaining(['legal-hold-placed', 'legal-hold-lifted']),
    );
  });

  it('refuses a hold lifted by an officer (403), audited as refused, and leaves the hold standing', async () => {
    // Prepare
    const held = await storeClosed('2026-07-01T09:00:00.000Z');
    const audit = new MemoryAuditLog();
    const now = new Date('2026-07-02T09:00:00.000Z');
    await placeHold(deps(now, audit), dana, held.reference, { holdReason: 'litigation' });

    // Act
    const refused = await liftHold(deps(now, audit), officer, held.reference).catch((e: unknown) => e);

    // Assess
    expect(refused).toBeInstanceOf(HttpError);
    expect((refused as HttpError).statusCode).toBe(403);
    expect(audit.entries.at(-1)).toMatchObject({
      action: 'refused',
      attempted: 'hold.lift',
      actor: officer.email,
      subject: { caseId: held.caseId, reference: held.reference },
    });
    expect((await store.get(held.caseId))?.legalHold).toBeDefined();
  });
});

describe('erasure', () => {
  it('removes the resident’s data from the table and every archived object, leaving an anonymised tombstone', async () => {
    // Prepare
    const closed = await storeClosed('2026-06-30T15:00:00.000Z', {
      lettersToPost: [{ letter: 'response-1', title: 'Response', writtenAt: '2026-06-30T15:00:00.000Z' }],
    });
    const terms = caseSearchTerms(closed);
    await archiveCase(closed, '2026-06-30T16:00:00.000Z');
    const audit = new MemoryAuditLog();
    const now = new Date('2026-08-01T09:00:00.000Z');

    // Act
    const tombstone = await eraseCase(deps(now, audit), dana, closed.reference, {
      erasureGround: 'unlawfully-processed',
      erasureNote: 'DPO decision 2026/14',
      erasureConfirm: 'yes',
    });

    // Assess: the table
    const item = await table.item(caseKey(closed.caseId));
    const text = JSON.stringify(item);
    for (const personal of ['Ada', 'example.org', '01632', 'NR1', 'roof', 'Spoke to']) {
      expect(text).not.toContain(personal);
    }
    expect(item?.expiresAt).toBe(Math.floor(Date.parse('2028-06-30T15:00:00.000Z') / 1000));
    expect(tombstone.erasure).toMatchObject({ ground: 'unlawfully-processed', by: dana.email });
    expect(await store.events(closed.caseId)).toEqual([
      expect.objectContaining({ type: 'erased', detail: { ground: 'unlawfully-processed' } }),
    ]);
    for (const term of terms) expect(await table.item(termKey(term, closed.caseId))).toBeUndefined();
    expect(
      await table.item(workListKey('post', `2026-06-30T15:00:00.000Z#${closed.caseId}#response-1`)),
    ).toBeUndefined();
    expect(await table.item(eventKey(closed.caseId, 1))).toBeUndefined();
    expect((await store.getByReference(closed.reference))?.erasure).toBeDefined();
    // The archive
    expect(await keysOf(closed.caseId)).toEqual([]);
    // The audit log: the erasure, by id, with no personal data
    expect(audit.entries).toEqual([
      expect.objectContaining({
        action: 'erase',
        subject: { caseId: closed.caseId, reference: closed.reference },
      }),
    ]);
    expect(JSON.stringify(audit.entries)).not.toContain('Ada');
  });

  it('refuses a held case (409) and a person without the role (403), auditing both', async () => {
    // Prepare
    const held = await storeClosed('2026-06-30T15:00:00.000Z');
    const audit = new MemoryAuditLog();
    const now = new Date('2026-08-01T09:00:00.000Z');
    await placeHold(deps(now, audit), dana, held.reference, { holdReason: 'litigation' });
    const form = { erasureGround: 'objection', erasureConfirm: 'yes' };

    // Act
    const onHold = await eraseCase(deps(now, audit), dana, held.reference, form).catch((e: unknown) => e);
    const byOfficer = await eraseCase(deps(now, audit), officer, held.reference, form).catch(
      (e: unknown) => e,
    );

    // Assess
    expect((onHold as HttpError).statusCode).toBe(409);
    expect((byOfficer as HttpError).statusCode).toBe(403);
    expect(audit.entries.filter((e) => e.action === 'refused').map((e) => e.attempted)).toEqual([
      'erase',
      'erase',
    ]);
    expect((await store.get(held.caseId))?.complainant.name).toBe('Ada Resident');
  });

  it('loses to a legal hold placed after it read the case: nothing is deleted', async () => {
    // Prepare: the hold is placed between the erasure's read of the case and its first write.
    const closed = await storeClosed('2026-06-30T15:00:00.000Z');
    const objects = await archiveCase(closed, '2026-06-30T16:00:00.000Z');
    const now = new Date('2026-08-01T09:00:00.000Z');
    const holdMeanwhile: ErasureDeps['store'] = Object.assign(Object.create(store), {
      getByReference: async (reference: string) => {
        const read = await store.getByReference(reference);
        await placeHold(deps(now), dana, reference, { holdReason: 'litigation' });
        return read;
      },
    });

    // Act
    const refused = await eraseCase({ ...deps(now), store: holdMeanwhile }, dana, closed.reference, {
      erasureGround: 'objection',
      erasureConfirm: 'yes',
    }).catch((e: unknown) => e);

    // Assess
    expect(refused).toBeInstanceOf(ConcurrentUpdateError);
    const kept = await store.get(closed.caseId);
    expect(kept?.legalHold?.reason).toBe('litigation');
    expect(kept?.erasureStarted).toBeUndefined();
    expect(kept?.complainant.name).toBe('Ada Resident');
    expect(await keysOf(closed.caseId)).toEqual(objects);
  });

  it('refuses a hold while an erasure that stopped part-way stands, and finishes the erasure when asked again', async () => {
    // Prepare: the archive fails once, after the case was marked.
    const closed = await storeClosed('2026-06-30T15:00:00.000Z');
    const objects = await archiveCase(closed, '2026-06-30T16:00:00.000Z');
    const now = new Date('2026-08-01T09:00:00.000Z');
    const audit = new MemoryAuditLog();
    const flaky = failingFirst(control, 'erase', new Error('S3 is not answering'));
    const form = { erasureGround: 'objection', erasureNote: 'DPO decision 2026/15', erasureConfirm: 'yes' };
    const stopped = await eraseCase(
      { ...deps(now, audit), control: flaky },
      dana,
      closed.reference,
      form,
    ).catch((e: unknown) => e);

    // Act
    const hold = await placeHold(deps(now, audit), dana, closed.reference, {
      holdReason: 'litigation',
    }).catch((e: unknown) => e);
    const marked = await store.get(closed.caseId);
    const tombstone = await eraseCase({ ...deps(now, audit), control: flaky }, dana, closed.reference, {});

    // Assess
    expect((stopped as Error).message).toBe('S3 is not answering');
    expect(marked?.erasureStarted).toMatchObject({ ground: 'objection', note: 'DPO decision 2026/15' });
    expect(marked?.legalHold).toBeUndefined();
    expect((hold as HttpError).statusCode).toBe(409);
    expect((hold as HttpError).message).toContain('being erased');
    expect(objects).toHaveLength(3);
    expect(await keysOf(closed.caseId)).toEqual([]);
    expect(tombstone.erasure).toMatchObject({
      ground: 'objection',
      note: 'DPO decision 2026/15',
      by: dana.email,
    });
    expect(tombstone.erasureStarted).toBeUndefined();
    expect(JSON.stringify(await table.item(caseKey(closed.caseId)))).not.toContain('Ada');
  });

  it('refuses an open case: its workflow is still running (409)', async () => {
    // Prepare
    const open = closedCase();
    await store.create(open, RECEIVED_EVENT);

    // Act
    const refused = await eraseCase(deps(new Date()), dana, open.reference, {
      erasureGround: 'objection',
      erasureConfirm: 'yes',
    }).catch((e: unknown) => e);

    // Assess
    expect((refused as HttpError).statusCode).toBe(409);
  });

  it('leaves the performance report’s counts as they were', async () => {
    // Prepare: a whole seeded year in the table.
    const cases = reportCases().map((c) => ({ ...c, caseId: randomUUID(), reference: `X${randomUUID()}` }));
    for (const c of cases) await store.create(c, RECEIVED_EVENT);
    const period = financialYear(REPORT_YEAR);
    const report = async () =>
      computePerformance(
        store.receivedBetween(`${period.from}T00:00:00.000Z`, `${period.to}T23:59:59.999Z`),
        reportPolicy,
        { ...period, asOf: REPORT_AS_OF },
      );
    const before = await report();
    const closed = cases.filter((c) => c.status === 'closed');
    expect(closed.length).toBeGreaterThan(5);

    // Act: erase every closed case of the year.
    for (const c of closed) {
      const at = '2026-03-25T12:00:00.000Z';
      await store.erase(c.caseId, c.version, tombstoneOf(c, { at, by: dana.email, ground: 'objection' }), {
        at,
        type: 'erased',
        actor: dana.email,
      });
    }
    const after = await report();

    // Assess: every count the same. Repeat contact alone is counted from the complainant's
    // email, which erasure must remove (a hash of it is still personal data, pseudonymised).
    const { repeatContact: _before, ...beforeCounts } = before as unknown as Record<string, unknown>;
    const { repeatContact: _after, ...afterCounts } = after as unknown as Record<string, unknown>;
    expect(afterCounts).toEqual(beforeCounts);
  }, 120_000);
});

describe('the archive follows the table out', () => {
  /** A stream record of the case item's deletion: by the table's TTL, or by someone else. */
  function removal(caseId: string, by: 'ttl' | 'user' = 'ttl', sequence = '1'): DynamoDBRecord {
    return {
      eventName: 'REMOVE',
      ...(by === 'ttl' ? { userIdentity: { type: 'Service', principalId: 'dynamodb.amazonaws.com' } } : {}),
      dynamodb: { Keys: { PK: { S: `CASE#${caseId}` }, SK: { S: 'CASE' } }, SequenceNumber: sequence },
    };
  }

  it('deletes an expired case’s file, letters and evidence, though the file was written again since', async () => {
    // Prepare: archived at closure, then rewritten by a correction (a new version, counted from now by S3).
    const closed = await storeClosed('2024-06-30T15:00:00.000Z');
    await archiveCase(closed, '2024-06-30T16:00:00.000Z');
    await archive.putCaseFile(
      closed.caseId,
      {
        case: { ...closed, complainant: { name: 'Ada King' } },
        events: [],
        archivedAt: '2024-06-30T16:00:00.000Z',
      },
      '2y',
    );
    const other = await storeClosed('2026-06-30T15:00:00.000Z');
    const kept = await archiveCase(other, '2026-06-30T16:00:00.000Z');

    // Act
    const result = await expireArchivesFor({ control, downloads }, { Records: [removal(closed.caseId)] });

    // Assess
    expect(result.batchItemFailures).toEqual([]);
    expect(await keysOf(closed.caseId)).toEqual([]);
    expect(await keysOf(other.caseId)).toEqual(kept);
  });

  it('deletes the files handed out for download that hold an expired case, with it', async () => {
    // Prepare: an Ombudsman file of the case made on its last day, still in the bucket.
    const closed = await storeClosed('2024-06-30T15:00:00.000Z');
    await archiveCase(closed, '2024-06-30T16:00:00.000Z');
    await downloads.put('ombudsman-file.zip', new TextEncoder().encode('PK Ada'), 'application/zip', 300, [
      closed.caseId,
    ]);
    const listed = async () =>
      (
        (await s3.send(new ListObjectsV2Command({ Bucket: standIns.bucket, Prefix: DOWNLOADS_PREFIX })))
          .Contents ?? []
      ).map((o) => o.Key as string);
    const file = (await listed()).find((k) => k.endsWith('/ombudsman-file.zip'));
    expect(file).toBeDefined();
    // Act
    const result = await expireArchivesFor({ control, downloads }, { Records: [removal(closed.caseId)] });

    // Assess
    expect(result.batchItemFailures).toEqual([]);
    expect(await listed()).not.toContain(file);
    expect((await listed()).filter((k) => k.includes(closed.caseId))).toEqual([]);
  });

  it('leaves a held case’s objects and reports it for a person, and ignores deletions that are not the table’s expiry', async () => {
    // Prepare
    const held = await storeClosed('2024-06-30T15:00:00.000Z');
    const heldObjects = await archiveCase(held, '2024-06-30T16:00:00.000Z');
    await control.hold(held.caseId);
    const removedByHand = await storeClosed('2024-06-30T15:00:00.000Z');
    const byHandObjects = await archiveCase(removedByHand, '2024-06-30T16:00:00.000Z');

    // Act
    const result = await expireArchivesFor(
      { control, downloads },
      { Records: [removal(held.caseId, 'ttl', '1'), removal(removedByHand.caseId, 'user', '2')] },
    );

    // Assess
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: '1' }]);
    expect(await keysOf(held.caseId)).toEqual(heldObjects);
    expect(await keysOf(removedByHand.caseId)).toEqual(byHandObjects);
  });

  it('reports a record whose archive could not be deleted, for the stream to retry', async () => {
    // Prepare
    const closed = await storeClosed('2024-06-30T15:00:00.000Z');
    await archiveCase(closed, '2024-06-30T16:00:00.000Z');
    const failing = Object.assign(Object.create(control), {
      erase: async () => {
        throw new Error('S3 is not answering');
      },
    });

    // Act
    const result = await expireArchivesFor(
      { control: failing, downloads },
      { Records: [removal(closed.caseId, 'ttl', '42')] },
    );

    // Assess
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: '42' }]);
    expect((await keysOf(closed.caseId)).length).toBe(3);
  });
});

/**
 * DynamoDB's TTL under `npm start` (`infra/local/ttl.ts`), against DynamoDB Local and the S3
 * stand-in. DynamoDB Local never deletes an expired item; the local TTL does, as AWS's does:
 * every item whose `expiresAt` has passed on the runtime's clock, each deletion conditional on the
 * expiry still having passed, and each deletion's stream record marked as DynamoDB's own, so the
 * deployed stream code (`archive-expiry.ts`, read by the local stream poller) deletes an expired
 * case's archive as it does on AWS.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteItemCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import {
  type DynamoDBDocumentClient,
  PutCommand,
  QueryCommand,
  ScanCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  caseKey,
  eventKey,
  idempotencyKey,
  referenceKey,
  residentSignOutKey,
  sessionKey,
  signInKey,
  termKey,
  workListKey,
} from '../../functions/adapters/case-table.js';
import type { DynamoDbCaseStore } from '../../functions/adapters/dynamodb-case-store.js';
import { DynamoDbRateLimiter } from '../../functions/adapters/dynamodb-rate-limiter.js';
import { DynamoDbSignInLinks } from '../../functions/adapters/dynamodb-sign-in-links.js';
import { DynamoDbStaffStore } from '../../functions/adapters/dynamodb-staff-store.js';
import { S3Archive } from '../../functions/adapters/s3-archive.js';
import { S3Downloads } from '../../functions/adapters/s3-downloads.js';
import { S3RecordsControl } from '../../functions/adapters/s3-records-control.js';
import { expireArchivesFor, isExpiredCaseRecord } from '../../functions/app/archive-expiry.js';
import { isCountedCaseRecord } from '../../functions/app/report-counting.js';
import { placeHold } from '../../functions/app/retention-actions.js';
import { CASE_STREAM_VIEW_TYPE } from '../../functions/app/workflow-starter.js';
import type { CaseRecord } from '../../functions/domain/case.js';
import { DEFAULT_INTAKE_LIMITS, intakeRateLimits } from '../../functions/domain/intake-limits.js';
import { loadPolicy } from '../../functions/domain/policy.js';
import {
  checkRateLimits,
  DEFAULT_CHECK_LIMITS,
  signInTokenHash,
} from '../../functions/domain/resident-access.js';
import { caseSearchTerms } from '../../functions/domain/search-terms.js';
import {
  enableStream,
  type RunningStreamPoller,
  startStreamPoller,
} from '../../infra/local/stream-poller.js';
import { expireItems, expiresOnRealTime, TtlDeletions } from '../../infra/local/ttl.js';
import { type CaseTableOnStandIns, startCaseTable } from '../support/case-table.js';
import { MemoryAuditLog } from '../support/memory-audit-log.js';
import { DPO } from '../support/staff-members.js';
import { archiveStoredCase, RECEIVED_EVENT, storedCase } from '../support/stored-case.js';

const policy = loadPolicy('lgsco-code-2024');

let table: CaseTableOnStandIns;
let store: DynamoDbCaseStore;
let raw: DynamoDBDocumentClient;
let tableName: string;
let s3: S3Client;
let archive: S3Archive;
let control: S3RecordsControl;
let downloads: S3Downloads;
let client: DynamoDBClient;
let streams: DynamoDBStreamsClient;
let streamArn: string;
let dir: string;
let deletions: TtlDeletions;
let poller: RunningStreamPoller;
/** Every record the case-changes mapping handed over (after its filter), as the function got it. */
const handed: DynamoDBRecord[] = [];

/** The case-changes function's stream reader, as `npm start` runs it, with the archive's part of it. */
function startArchiveExpiry(positionFile: string, ttl: TtlDeletions): RunningStreamPoller {
  return startStreamPoller({
    client: streams,
    streamArn,
    region: 'eu-west-2',
    positionFile,
    handler: async (event) => {
      handed.push(...event.Records);
      return expireArchivesFor({ control, downloads, history: store }, event);
    },
    filter: isCountedCaseRecord,
    userIdentityOf: ttl.userIdentityOf,
    intervalMs: 60_000,
  });
}

beforeAll(async () => {
  table = await startCaseTable(['dynamodb', 's3']);
  ({ store, raw, tableName, s3 } = table);
  archive = new S3Archive({ bucket: table.standIns.bucket, client: s3 });
  control = new S3RecordsControl({ bucket: table.standIns.bucket, client: s3 });
  downloads = new S3Downloads({ bucket: table.standIns.bucket, client: s3 });
  client = new DynamoDBClient({});
  streamArn = await enableStream(client, tableName, CASE_STREAM_VIEW_TYPE);
  streams = new DynamoDBStreamsClient({ endpoint: table.standIns.dynamodb?.endpoint });
  dir = mkdtempSync(join(tmpdir(), 'redress-ttl-'));
  deletions = new TtlDeletions(join(dir, 'ttl-deletions.json'));
  poller = startArchiveExpiry(join(dir, 'position.json'), deletions);
}, 120_000);

afterAll(async () => {
  await poller?.stop();
  streams?.destroy();
  client?.destroy();
  await table?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** A case with a letter waiting for the post and a note, closed at `closedAt`. */
async function storeClosed(closedAt: string): Promise<CaseRecord> {
  const caseId = randomUUID();
  const record = storedCase({
    caseId,
    service: 'housing-repairs',
    channel: 'letter',
    complainant: {
      name: 'Ada Resident',
      email: `ada.${caseId.slice(0, 8)}@example.org`,
      address: '1 High Street, Norwich NR1 1AA',
      contactBy: 'post',
    },
  });
  await store.create(record, RECEIVED_EVENT);
  const written = await store.update(caseId, 1, {
    set: { lettersToPost: [{ letter: 'response-1', title: 'Our response', writtenAt: closedAt }] },
    event: { at: closedAt, type: 'letter-written', actor: 'workflow', detail: { letter: 'response-1' } },
  });
  return store.update(caseId, written.version, {
    set: { status: 'closed', closedAt, deadlines: {} },
    event: { at: closedAt, type: 'closed', actor: 'workflow' },
  });
}

/** Every item of the case that carries its expiry: its partition, reference, search terms and letter to post. */
async function itemsOf(c: CaseRecord): Promise<Record<string, unknown>[]> {
  const partition = await raw.send(
    new QueryCommand({
      TableName: tableName,
      KeyConditionExpression: 'PK = :pk',
      ExpressionAttributeValues: { ':pk': caseKey(c.caseId).PK },
      ConsistentRead: true,
    }),
  );
  const others = await Promise.all([
    table.item(referenceKey(c.reference)),
    table.item(workListKey('post', `${c.closedAt}#${c.caseId}#response-1`)),
    ...caseSearchTerms(c).map((term) => table.item(termKey(term, c.caseId))),
  ]);
  return [...(partition.Items ?? []), ...others.filter((i) => i !== undefined)];
}

async function archivedKeysOf(caseId: string): Promise<string[]> {
  const keys: string[] = [];
  for (const prefix of [`cases/${caseId}`, `evidence/${caseId}/`]) {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: table.standIns.bucket, Prefix: prefix }));
    keys.push(...(page.Contents ?? []).map((o) => o.Key as string));
  }
  return keys.sort();
}

/** The local TTL's pass over the table with the clock at `now`. */
const expireAt = (now: string, options: { client?: DynamoDBClient; pageSize?: number } = {}) =>
  expireItems({
    client: options.client ?? client,
    tableName,
    now: () => new Date(now),
    deletions,
    ...(options.pageSize === undefined ? {} : { pageSize: options.pageSize }),
  });

/** The expiry (`expiresAt`, epoch seconds) of every rate limit's count in the table. */
async function rateExpiries(): Promise<number[]> {
  const page = await raw.send(
    new ScanCommand({
      TableName: tableName,
      FilterExpression: 'entity = :rate',
      ExpressionAttributeValues: { ':rate': 'rate' },
      ConsistentRead: true,
    }),
  );
  return (page.Items ?? []).map((i) => Number(i.expiresAt));
}

/** `client`, which does `meanwhile` (someone else's write) just before its first DeleteItem. */
function actingBeforeFirstDelete(meanwhile: () => Promise<unknown>): DynamoDBClient {
  let acted = false;
  const send = async (command: unknown, ...rest: unknown[]) => {
    if (!acted && command instanceof DeleteItemCommand) {
      acted = true;
      await meanwhile();
    }
    return (client.send as (...args: unknown[]) => Promise<unknown>)(command, ...rest);
  };
  return Object.assign(Object.create(client) as DynamoDBClient, { send });
}

/** The records handed over for the item with this partition key, by event name and user identity. */
const recordsOf = (pk: string) =>
  handed
    .filter((r) => r.dynamodb?.Keys?.PK?.S === pk)
    .map((r) => ({ eventName: r.eventName, userIdentity: r.userIdentity }));

describe('the local TTL', () => {
  it('deletes a closed case past its retention with everything that carries its expiry, and the stream takes its archive; a held case stays whole', async () => {
    // Prepare: two cases closed and archived the same day, one of them held; an open case taken
    // in with an Idempotency-Key (kept a day), and a member of staff's session.
    const closedAt = '2026-06-30T15:00:00.000Z';
    const archivedAt = '2026-06-30T15:00:01.000Z';
    const expired = await storeClosed(closedAt);
    const held = await storeClosed(closedAt);
    const expiredFiles = await archiveStoredCase(
      { archive, s3, bucket: table.standIns.bucket },
      expired,
      archivedAt,
    );
    const heldFiles = await archiveStoredCase(
      { archive, s3, bucket: table.standIns.bucket },
      held,
      archivedAt,
    );
    const deps = {
      store,
      control,
      audit: new MemoryAuditLog(),
      policy,
      now: () => new Date('2026-07-01T09:00:00.000Z'),
      newId: () => randomUUID(),
    };
    await placeHold(deps, DPO, held.reference, { holdReason: 'litigation' });
    const open = storedCase({ caseId: randomUUID() });
    const idempotency = `intake-${randomUUID()}`;
    await store.create(open, RECEIVED_EVENT, idempotency);
    const session = randomUUID();
    await new DynamoDbStaffStore({ tableName, client: raw }).putSession(
      {
        id: session,
        staff: DPO,
        csrf: 'csrf',
        createdAt: '2026-07-01T09:00:00.000Z',
        lastSeenAt: '2026-07-01T09:00:00.000Z',
      },
      '2026-07-01T17:00:00.000Z',
    );
    const expiredItems = await itemsOf(expired);
    // The case, its SEQ item and three events, its reference, its letter to post and its terms.
    expect(expiredItems.length).toBe(5 + 1 + 1 + caseSearchTerms(expired).length);
    const heldItems = await itemsOf(held);

    // Act: two years and a day after the closure, in pages of three items.
    const pass = await expireAt('2028-07-01T15:00:00.000Z', { pageSize: 3 });
    await poller.poll();

    // Assess: the expired case's items, the idempotency item and the session are gone…
    expect(await itemsOf(expired)).toEqual([]);
    expect(await table.item(idempotencyKey(idempotency))).toBeUndefined();
    expect(await table.item(sessionKey(session))).toBeUndefined();
    expect(pass.deleted).toEqual(
      expect.arrayContaining(
        [...expiredItems, idempotencyKey(idempotency), sessionKey(session)].map((k) => ({
          PK: { S: String(k.PK) },
          SK: { S: String(k.SK) },
        })),
      ),
    );
    // …its stream record reached the function as AWS's TTL writes it, and took the archive.
    expect(recordsOf(caseKey(expired.caseId).PK)).toContainEqual({
      eventName: 'REMOVE',
      userIdentity: { type: 'Service', principalId: 'dynamodb.amazonaws.com' },
    });
    expect(expiredFiles).toHaveLength(3);
    expect(await archivedKeysOf(expired.caseId)).toEqual([]);
    // The held case, every item of it, and its archive stay; so does the open case.
    expect(await itemsOf(held)).toHaveLength(heldItems.length);
    expect(await archivedKeysOf(held.caseId)).toEqual(heldFiles);
    expect(await table.item(caseKey(open.caseId))).toBeDefined();
  });

  it('deletes the events a closure left without their expiry once the TTL deletes the case', async () => {
    // Prepare: a closed case whose events never got its expiry (the closure stopped after its
    // transaction, and nothing wrote the case again)
    const closedAt = '2026-06-30T15:00:00.000Z';
    const closed = await storeClosed(closedAt);
    for (const seq of [1, 2]) {
      await raw.send(
        new UpdateCommand({
          TableName: tableName,
          Key: eventKey(closed.caseId, seq),
          UpdateExpression: 'REMOVE expiresAt',
        }),
      );
    }

    // Act: two years and a day after the closure
    await expireAt('2028-07-01T15:00:00.000Z');
    await poller.poll();

    // Assess: nothing of the case is left, the events without an expiry included
    expect(await itemsOf(closed)).toEqual([]);
  });

  it('keeps an item whose expiry was moved on between the scan and its deletion', async () => {
    // Prepare
    const key = { PK: `TTL-TEST#${randomUUID()}`, SK: 'ITEM' };
    const past = Math.floor(Date.parse('2030-01-01T00:00:00.000Z') / 1000);
    const later = Math.floor(Date.parse('2031-01-01T00:00:00.000Z') / 1000);
    await raw.send(new PutCommand({ TableName: tableName, Item: { ...key, expiresAt: past } }));
    const extending = actingBeforeFirstDelete(() =>
      raw.send(
        new UpdateCommand({
          TableName: tableName,
          Key: key,
          UpdateExpression: 'SET expiresAt = :later',
          ExpressionAttributeValues: { ':later': later },
        }),
      ),
    );

    // Act
    const pass = await expireAt('2030-06-01T00:00:00.000Z', { client: extending });

    // Assess
    expect(pass.deleted).not.toContainEqual({ PK: { S: key.PK }, SK: { S: key.SK } });
    expect(pass.kept).toBe(1);
    expect(await table.item(key)).toEqual({ ...key, expiresAt: later });
  });

  it('keeps a case reopened between the scan and the deletion, with all its items', async () => {
    // Prepare
    const closed = await storeClosed('2026-09-30T15:00:00.000Z');
    const items = await itemsOf(closed);
    const reopening = actingBeforeFirstDelete(() =>
      store.update(closed.caseId, closed.version, {
        set: { status: 'investigating' },
        remove: ['closedAt'],
        event: { at: '2028-10-01T09:00:00.000Z', type: 'reopened', actor: 'complaints@council.example' },
      }),
    );

    // Act
    await expireAt('2028-10-01T15:00:00.000Z', { client: reopening });

    // Assess: every item is there, and one event more.
    const after = await itemsOf(closed);
    expect(after).toHaveLength(items.length + 1);
    expect(after.every((i) => i.expiresAt === undefined)).toBe(true);
  });

  it('marks only its own deletions as DynamoDB’s, also after a restart', async () => {
    // Prepare: one item deleted by someone, one expired.
    const deletedByHand = { PK: `CASE#${randomUUID()}`, SK: 'CASE' };
    const expiring = { PK: `CASE#${randomUUID()}`, SK: 'CASE' };
    const past = Math.floor(Date.parse('2031-01-01T00:00:00.000Z') / 1000);
    await raw.send(new PutCommand({ TableName: tableName, Item: { ...deletedByHand, entity: 'case' } }));
    await raw.send(
      new PutCommand({ TableName: tableName, Item: { ...expiring, entity: 'case', expiresAt: past } }),
    );
    await client.send(
      new DeleteItemCommand({
        TableName: tableName,
        Key: { PK: { S: deletedByHand.PK }, SK: { S: deletedByHand.SK } },
      }),
    );
    await expireAt('2031-06-01T00:00:00.000Z');

    // Act: a runtime started again reads the stream from the start, with what the last one wrote down.
    handed.length = 0;
    const restarted = startArchiveExpiry(
      join(dir, 'position-after-restart.json'),
      new TtlDeletions(join(dir, 'ttl-deletions.json')),
    );
    await restarted.poll();
    await restarted.stop();

    // Assess
    expect(recordsOf(deletedByHand.PK)).toEqual([
      { eventName: 'INSERT', userIdentity: undefined },
      { eventName: 'REMOVE', userIdentity: undefined },
    ]);
    expect(recordsOf(expiring.PK)).toEqual([
      { eventName: 'INSERT', userIdentity: undefined },
      { eventName: 'REMOVE', userIdentity: { type: 'Service', principalId: 'dynamodb.amazonaws.com' } },
    ]);
    expect(handed.filter(isExpiredCaseRecord).map((r) => r.dynamodb?.Keys?.PK?.S)).not.toContain(
      deletedByHand.PK,
    );
  });

  it('expires staff sessions, residents’ sign-in links and sign-outs and Idempotency-Keys on real time, and closed cases on the service’s clock, when that runs ahead', async () => {
    // Prepare: as `npm start --time-scale` leaves them, the service's clock three years ahead of
    // real time. A case closed on the service's clock two years and two days ago; an Idempotency-Key
    // (a day, real time), two sessions (real time), one of which has ended, a resident's sign-in
    // link emailed now (fifteen minutes, real time) and a sign-out kept until the end of its
    // session, within the hour (real time).
    const day = 86_400_000;
    const serviceNow = new Date(Date.now() + 3 * 365 * day);
    const closed = await storeClosed(new Date(serviceNow.getTime() - 733 * day).toISOString());
    const idempotency = `intake-${randomUUID()}`;
    await store.create(storedCase({ caseId: randomUUID() }), RECEIVED_EVENT, idempotency);
    const staffStore = new DynamoDbStaffStore({ tableName, client: raw });
    const session = (id: string) => ({
      id,
      staff: DPO,
      csrf: 'csrf',
      createdAt: new Date().toISOString(),
      lastSeenAt: new Date().toISOString(),
    });
    const live = randomUUID();
    const ended = randomUUID();
    await staffStore.putSession(session(live), new Date(Date.now() + 8 * 3_600_000).toISOString());
    await staffStore.putSession(session(ended), new Date(Date.now() - 60_000).toISOString());
    const signInLinks = new DynamoDbSignInLinks({ tableName, client: raw });
    const link = signInTokenHash(`link-${randomUUID()}`);
    await signInLinks.issue(link, 'case-1', new Date(Date.now() + 15 * 60_000).toISOString());
    const signedOut = `resident-session-${randomUUID()}`;
    await signInLinks.signOut(signedOut, new Date(Date.now() + 3_600_000).toISOString());

    // Act
    await expireItems({
      client,
      tableName,
      now: () => serviceNow,
      onRealTime: expiresOnRealTime,
      deletions,
    });

    // Assess
    expect(await itemsOf(closed)).toEqual([]);
    expect(await table.item(idempotencyKey(idempotency))).toBeDefined();
    expect(await table.item(sessionKey(live))).toBeDefined();
    expect(await table.item(sessionKey(ended))).toBeUndefined();
    expect(await table.item(signInKey(link))).toBeDefined();
    expect(await table.item(residentSignOutKey(signedOut))).toBeDefined();
  });

  it('holds check-your-complaint’s limits to real time and intake’s to the service’s clock, as each counts, when that runs ahead', async () => {
    // Prepare: as `npm start --time-scale 1440` leaves them, the service's clock three years ahead
    // of real time. An address has asked for its five sign-in links of the hour (counted on real
    // time, as the sessions they open); feedback was sent two days ago on the service's clock
    // (its limits count on that clock, as the case dates do), its window long over.
    const day = 86_400_000;
    const serviceNow = new Date(Date.now() + 3 * 365 * day);
    const limiter = new DynamoDbRateLimiter({ tableName, client: raw });
    const asker = { email: `asker.${randomUUID().slice(0, 8)}@example.org`, client: '203.0.113.7' };
    const checks = checkRateLimits(DEFAULT_CHECK_LIMITS, asker);
    const asked = new Date();
    for (let i = 0; i < DEFAULT_CHECK_LIMITS.perEmailPerHour; i++) {
      expect((await limiter.take(checks, asked)).allowed).toBe(true);
    }
    const sender = { email: `sender.${randomUUID().slice(0, 8)}@example.org` };
    const twoDaysAgo = new Date(serviceNow.getTime() - 2 * day);
    await limiter.take(intakeRateLimits(DEFAULT_INTAKE_LIMITS, sender), twoDaysAgo);
    const intakeExpiry = Math.floor(twoDaysAgo.getTime() / 1000 / 86_400) * 86_400 + 86_400 + 3_600;
    expect(await rateExpiries()).toContain(intakeExpiry);

    // Act
    await expireItems({ client, tableName, now: () => serviceNow, onRealTime: expiresOnRealTime, deletions });

    // Assess: the address has still used up its hour; the spent intake count is gone
    const again = await limiter.take(checks, asked);
    expect(again.allowed).toBe(false);
    expect(await rateExpiries()).not.toContain(intakeExpiry);
  });

  it('passes over an item whose expiry is more than five years past, as DynamoDB does', async () => {
    // Prepare
    const key = { PK: `TTL-TEST#${randomUUID()}`, SK: 'ITEM' };
    const longAgo = Math.floor(Date.parse('2020-01-01T00:00:00.000Z') / 1000);
    await raw.send(new PutCommand({ TableName: tableName, Item: { ...key, expiresAt: longAgo } }));

    // Act
    await expireAt('2026-01-02T00:00:00.000Z');

    // Assess
    expect(await table.item(key)).toEqual({ ...key, expiresAt: longAgo });
  });
});

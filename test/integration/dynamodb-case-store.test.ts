import { createHash, randomUUID } from 'node:crypto';
import { DescribeTimeToLiveCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CASE_SHARDS,
  caseKey,
  DESIGNATIONS_INDEXED_KEY,
  designationKey,
  eventKey,
  idempotencyKey,
  MAX_OPEN_SHARDS,
  OPEN_LAYOUT_GRACE_MS,
  OPEN_LAYOUT_KEY,
  OPEN_SHARDS,
  referenceKey,
  sequenceKey,
} from '../../functions/adapters/case-table.js';
import {
  CASE_TABLE_DESIGN,
  createCaseTable,
  DynamoDbCaseStore,
} from '../../functions/adapters/dynamodb-case-store.js';
import type { CaseEvent, CaseRecord, Designation } from '../../functions/domain/case.js';
import { tombstoneOf } from '../../functions/domain/legal-hold.js';
import {
  type CaseChange,
  CaseNotFoundError,
  ConcurrentUpdateError,
  DuplicateCaseError,
} from '../../functions/domain/ports.js';
import { type CaseTableOnStandIns, newCaseTable, startCaseTable } from '../support/case-table.js';
import { awaitingAcknowledgement, RECEIVED_EVENT } from '../support/stored-case.js';

/** Integration tests of the case store against Amazon's DynamoDB Local, one table for this file. */

let table: CaseTableOnStandIns;
let store: DynamoDbCaseStore;
let raw: DynamoDBDocumentClient;
let tableName: string;

beforeAll(async () => {
  // No client passed: the store builds its own from the environment, as a Lambda would.
  table = await startCaseTable();
  ({ store, raw, tableName } = table);
});

afterAll(async () => {
  await table?.stop();
});

function newCase(overrides: Partial<CaseRecord> = {}): CaseRecord {
  const caseId = overrides.caseId ?? randomUUID();
  return awaitingAcknowledgement({
    caseId,
    reference: `CMP-2026-${caseId.slice(0, 8)}`,
    service: 'housing-repairs',
    ...overrides,
  });
}

/** A table of its own as stores before mailboxes left it: its designations indexed by address. */
async function tableIndexedByAddress(): Promise<{ oldTable: string; oldStore: DynamoDbCaseStore }> {
  const oldTable = await newCaseTable();
  await raw.send(new DeleteCommand({ TableName: oldTable, Key: DESIGNATIONS_INDEXED_KEY }));
  await raw.send(
    // The marker of a table indexed before designations were kept by mailbox.
    new PutCommand({ TableName: oldTable, Item: { PK: 'DESIGNATED', SK: 'INDEXED', entity: 'marker' } }),
  );
  return { oldTable, oldStore: new DynamoDbCaseStore({ tableName: oldTable }) };
}

function change(type: string, set: CaseChange['set'] = {}): CaseChange {
  return { set, event: { at: '2026-03-03T09:00:00.000Z', type, actor: 'officer@council.example' } };
}

const rawItem = (key: { PK: string; SK: string }) => table.item(key);

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}

describe('DynamoDbCaseStore', () => {
  describe('create and read', () => {
    it('stores a case with its first event and reads it back by id and by reference', async () => {
      // Prepare
      const record = newCase();

      // Act
      const result = await store.create(record, RECEIVED_EVENT);

      // Assess
      expect(result).toEqual({ record, created: true });
      expect(await store.get(record.caseId)).toEqual(record);
      expect(await store.getByReference(record.reference)).toEqual(record);
      expect(await store.events(record.caseId)).toEqual([
        { ...RECEIVED_EVENT, caseId: record.caseId, seq: 1 },
      ]);
    });

    it('returns undefined for an unknown case id or reference', async () => {
      expect(await store.get(randomUUID())).toBeUndefined();
      expect(await store.getByReference('CMP-1999-999999')).toBeUndefined();
    });

    it('keeps the store’s own attributes out of the record it returns', async () => {
      const record = newCase();
      await store.create(record, RECEIVED_EVENT);

      const read = await store.get(record.caseId);

      expect(Object.keys(read ?? {}).sort()).toEqual(Object.keys(record).sort());
    });

    it('marks the item changed by the steps’ outbox alone, for the stream’s readers, and only that item', async () => {
      const record = newCase();
      await store.create(record, RECEIVED_EVENT);
      const effect = { key: 'k-1', status: 'started' as const, at: '2026-03-03T09:00:00.000Z' };

      const marked = await store.update(record.caseId, 1, { set: { effects: { 'Send receipt': effect } } });
      const afterMark = await rawItem(caseKey(record.caseId));
      const answered = await store.update(
        record.caseId,
        2,
        change('acknowledged', { status: 'investigating' }),
      );
      const afterChange = await rawItem(caseKey(record.caseId));
      // The outbox with another field, or with an event, is a change of the case.
      await store.update(record.caseId, 3, { set: { effects: {}, assignedTo: 'team@council.example' } });
      const withField = await rawItem(caseKey(record.caseId));

      expect(afterMark?.outboxOnly).toBe(true);
      expect(marked).not.toHaveProperty('outboxOnly');
      expect(await store.get(record.caseId)).not.toHaveProperty('outboxOnly');
      expect(answered.status).toBe('investigating');
      expect(afterChange).not.toHaveProperty('outboxOnly');
      expect(withField).not.toHaveProperty('outboxOnly');
    });

    it('drops the mark at every other write: a hold placed, a hold lifted with a mark, erasure', async () => {
      const record = newCase();
      await store.create(record, RECEIVED_EVENT);
      const at = '2026-03-04T09:00:00.000Z';
      const mark = (v: number) => ({
        set: { effects: { [`s${v}`]: { key: `k${v}`, status: 'done' as const, at } } },
      });
      const marked = async () => (await rawItem(caseKey(record.caseId)))?.outboxOnly;

      let version = (await store.update(record.caseId, 1, mark(1))).version;
      expect(await marked()).toBe(true);
      const held = await store.update(record.caseId, version, {
        set: { legalHold: { at, by: 'dpo@council.example', reason: 'litigation' } },
        event: { at, type: 'legal-hold-placed', actor: 'dpo@council.example' },
      });
      expect(await marked()).toBeUndefined();
      version = (await store.update(record.caseId, held.version, mark(held.version))).version;
      // A mark that also removes a field is a change of the case.
      version = (await store.update(record.caseId, version, { remove: ['legalHold'], ...mark(version) }))
        .version;
      expect(await marked()).toBeUndefined();
      version = (await store.update(record.caseId, version, mark(version))).version;
      expect(await marked()).toBe(true);
      const current = (await store.get(record.caseId)) as CaseRecord;
      const erased = await store.erase(
        record.caseId,
        version,
        tombstoneOf(current, { at, by: 'dpo@council.example', ground: 'objection' }),
        { at, type: 'erased', actor: 'dpo@council.example' },
      );

      expect(current).not.toHaveProperty('outboxOnly');
      expect(erased).not.toHaveProperty('outboxOnly');
      expect(await marked()).toBeUndefined();
    });
  });

  describe('nextReference', () => {
    it('issues consecutive references per kind and year, even when asked in parallel', async () => {
      const references = await Promise.all(
        Array.from({ length: 8 }, () => store.nextReference('complaint', 2031)),
      );

      expect([...references].sort()).toEqual(
        Array.from({ length: 8 }, (_, i) => `CMP-2031-${String(i + 1).padStart(6, '0')}`),
      );
    });

    it('hands out unique references from blocks when several containers issue them at once', async () => {
      // Prepare: three stores, as three Lambda containers would have.
      const stores = [1, 2, 3].map(() => new DynamoDbCaseStore({ tableName, referenceBlock: 5 }));

      // Act
      const references = await Promise.all(
        Array.from({ length: 24 }, (_, i) =>
          (stores[i % 3] as DynamoDbCaseStore).nextReference('complaint', 2034),
        ),
      );

      // Assess: no number twice, every one of the form; one counter write per block of five.
      expect(new Set(references).size).toBe(24);
      for (const reference of references) expect(reference).toMatch(/^CMP-2034-\d{6}$/);
      const counter = await rawItem({ PK: 'COUNTER#CMP#2034', SK: 'COUNTER' });
      expect(counter?.value).toBe(30);
      const numbers = references.map((r) => Number(r.slice(-6)));
      expect(Math.max(...numbers)).toBeLessThanOrEqual(30);
    });

    it('counts each kind and year separately, with its own prefix', async () => {
      expect(await store.nextReference('social-care', 2032)).toBe('ASC-2032-000001');
      expect(await store.nextReference('compliment', 2032)).toBe('CPL-2032-000001');
      expect(await store.nextReference('comment', 2032)).toBe('CMT-2032-000001');
      expect(await store.nextReference('representation', 2032)).toBe('REP-2032-000001');
      expect(await store.nextReference('complaint', 2033)).toBe('CMP-2033-000001');
    });
  });

  describe('idempotent create', () => {
    it('returns the first case and stores nothing when the same key is used again', async () => {
      // Prepare
      const key = `retry-${randomUUID()}`;
      const first = newCase();
      const retry = newCase();
      await store.create(first, RECEIVED_EVENT, key);

      // Act
      const result = await store.create(retry, RECEIVED_EVENT, key);

      // Assess
      expect(result).toEqual({ record: first, created: false });
      expect(await store.get(retry.caseId)).toBeUndefined();
      expect(await store.getByReference(retry.reference)).toBeUndefined();
      expect(await store.events(retry.caseId)).toEqual([]);
    });

    it('creates exactly one case when the same key arrives twice at once', async () => {
      const key = `double-click-${randomUUID()}`;
      const [a, b] = [newCase(), newCase()];

      const results = await Promise.all([
        store.create(a, RECEIVED_EVENT, key),
        store.create(b, RECEIVED_EVENT, key),
      ]);

      expect(results.filter((r) => r.created)).toHaveLength(1);
      expect(results[0]?.record).toEqual(results[1]?.record);
    });

    it('remembers a key for a day through the TTL attribute', async () => {
      const key = `ttl-${randomUUID()}`;
      const before = Math.floor(Date.now() / 1000);

      await store.create(newCase(), RECEIVED_EVENT, key);

      const after = Math.ceil(Date.now() / 1000);
      const item = await rawItem(idempotencyKey(key));
      expect(item?.expiresAt).toBeGreaterThanOrEqual(before + 86_400);
      expect(item?.expiresAt).toBeLessThanOrEqual(after + 86_400);
    });
  });

  describe('transactions', () => {
    it('leaves nothing behind when a create fails on a reference already taken', async () => {
      // Prepare
      const first = newCase();
      await store.create(first, RECEIVED_EVENT);
      const clash = newCase({ reference: first.reference });
      const key = `clash-${randomUUID()}`;

      // Act
      const attempt = store.create(clash, RECEIVED_EVENT, key);

      // Assess
      await expect(attempt).rejects.toBeInstanceOf(DuplicateCaseError);
      expect(await store.get(clash.caseId)).toBeUndefined();
      expect(await store.events(clash.caseId)).toEqual([]);
      expect(await store.getByReference(first.reference)).toEqual(first);
      // The idempotency key was not consumed either: a corrected retry creates the case.
      const corrected = { ...clash, reference: `CMP-2026-${randomUUID().slice(0, 8)}` };
      expect(await store.create(corrected, RECEIVED_EVENT, key)).toEqual({
        record: corrected,
        created: true,
      });
    });

    it('refuses a second case with the same id', async () => {
      const record = newCase();
      await store.create(record, RECEIVED_EVENT);

      await expect(
        store.create({ ...record, reference: `CMP-2026-${randomUUID().slice(0, 8)}` }, RECEIVED_EVENT),
      ).rejects.toBeInstanceOf(DuplicateCaseError);
      expect(await store.get(record.caseId)).toEqual(record);
    });
  });

  describe('update', () => {
    it('applies the change, bumps the version and appends the event', async () => {
      // Prepare
      const record = newCase({
        openTask: {
          taskId: 't1',
          name: 'acknowledge',
          officer: 'officer@council.example',
          taskToken: 'token-1',
          issuedAt: '2026-03-02T10:00:02.000Z',
        },
      });
      await store.create(record, RECEIVED_EVENT);

      // Act
      const updated = await store.update(
        record.caseId,
        1,
        { ...change('acknowledged', { status: 'investigating' }), remove: ['openTask'] },
        ['awaiting-acknowledgement'],
      );

      // Assess
      expect(updated.status).toBe('investigating');
      expect(updated.version).toBe(2);
      expect(updated.updatedAt).toBe('2026-03-03T09:00:00.000Z');
      expect(updated.openTask).toBeUndefined();
      expect(await store.get(record.caseId)).toEqual(updated);
      expect((await store.events(record.caseId)).map((e) => [e.seq, e.type])).toEqual([
        [1, 'received'],
        [2, 'acknowledged'],
      ]);
    });

    it('appends an action’s event and its task’s decision in the one write, in order', async () => {
      const record = newCase();
      await store.create(record, RECEIVED_EVENT);
      await store.appendEvent(record.caseId, {
        at: '2026-03-03T08:00:00.000Z',
        type: 'note',
        actor: 'system',
      });

      const updated = await store.update(record.caseId, 1, {
        ...change('task-done', { service: 'waste-recycling', assignedTo: 'waste@council.example' }),
        precedingEvent: {
          at: '2026-03-03T09:00:00.000Z',
          type: 'service-changed',
          actor: 'team@council.example',
        },
      });

      expect(updated).toMatchObject({
        version: 2,
        service: 'waste-recycling',
        assignedTo: 'waste@council.example',
      });
      expect((await store.events(record.caseId)).map((e) => [e.seq, e.type])).toEqual([
        [1, 'received'],
        [2, 'note'],
        [3, 'service-changed'],
        [4, 'task-done'],
      ]);
      // The append moved the sequence item on; the change counted its own events on the case item.
      expect(await rawItem(sequenceKey(record.caseId))).toMatchObject({ lastEventSeq: 2 });
      expect(await rawItem(caseKey(record.caseId))).toMatchObject({ lastEventSeq: 4 });
      // Lost to a write since: neither event is recorded.
      await expect(
        store.update(record.caseId, 1, {
          ...change('task-done'),
          precedingEvent: change('designated').event,
        }),
      ).rejects.toBeInstanceOf(ConcurrentUpdateError);
      expect(await store.events(record.caseId)).toHaveLength(4);
    });

    it('throws ConcurrentUpdateError and changes nothing when the version is stale', async () => {
      const record = newCase();
      await store.create(record, RECEIVED_EVENT);
      await store.update(record.caseId, 1, change('first'));

      await expect(store.update(record.caseId, 1, change('stale'))).rejects.toBeInstanceOf(
        ConcurrentUpdateError,
      );
      expect((await store.get(record.caseId))?.version).toBe(2);
      expect(await store.events(record.caseId)).toHaveLength(2);
    });

    it('throws ConcurrentUpdateError when the case is not in an expected status', async () => {
      const record = newCase({ status: 'investigating' });
      await store.create(record, RECEIVED_EVENT);

      await expect(
        store.update(record.caseId, 1, change('acknowledged'), ['awaiting-acknowledgement']),
      ).rejects.toBeInstanceOf(ConcurrentUpdateError);
      expect(await store.get(record.caseId)).toEqual(record);
    });

    it('throws CaseNotFoundError for an unknown case', async () => {
      await expect(store.update(randomUUID(), 1, change('x'))).rejects.toBeInstanceOf(CaseNotFoundError);
      await expect(store.appendEvent(randomUUID(), change('x').event as CaseEvent)).rejects.toBeInstanceOf(
        CaseNotFoundError,
      );
    });

    it('lets exactly one of two racing updates win, and the history has no gap or duplicate', async () => {
      // Prepare
      const record = newCase();
      await store.create(record, RECEIVED_EVENT);

      // Act
      const results = await Promise.allSettled([
        store.update(record.caseId, 1, change('assigned-a', { assignedTo: 'a@council.example' })),
        store.update(record.caseId, 1, change('assigned-b', { assignedTo: 'b@council.example' })),
      ]);

      // Assess
      const won = results.filter((r) => r.status === 'fulfilled');
      const lost = results.filter((r) => r.status === 'rejected');
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(1);
      expect(lost[0]?.status === 'rejected' && lost[0].reason).toBeInstanceOf(ConcurrentUpdateError);
      const stored = await store.get(record.caseId);
      expect(won[0]?.status === 'fulfilled' && won[0].value).toEqual(stored);
      const events = await store.events(record.caseId);
      expect(events.map((e) => e.seq)).toEqual([1, 2]);
      expect(events[1]?.type).toBe(stored?.assignedTo === 'a@council.example' ? 'assigned-a' : 'assigned-b');
    });

    it('numbers events without gaps when appends race with each other and with an update', async () => {
      const record = newCase();
      await store.create(record, RECEIVED_EVENT);

      const appends = Array.from({ length: 5 }, (_, i) =>
        store.appendEvent(record.caseId, {
          at: '2026-03-04T08:00:00.000Z',
          type: `email-bounced-${i}`,
          actor: 'system',
        }),
      );
      const [updated, ...appended] = await Promise.all([
        store.update(record.caseId, 1, change('assigned', { assignedTo: 'c@council.example' })),
        ...appends,
      ]);

      const events = await store.events(record.caseId);
      expect(events.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7]);
      expect(appended.map((e) => (e as CaseEvent).seq).sort()).toEqual(
        events.filter((e) => e.type.startsWith('email-bounced')).map((e) => e.seq),
      );
      // Appending does not change the case: only the update moved the version.
      expect((updated as CaseRecord).version).toBe(2);
      expect((await store.get(record.caseId))?.version).toBe(2);
    });
  });

  describe('OpenByDeadline index', () => {
    it('lists open cases due by a time, soonest first, and drops closed ones', async () => {
      // Prepare: deadlines in a year no other test uses.
      const late = newCase({ deadlines: { respondBy: '2090-05-20T23:59:59.000Z' } });
      const soon = newCase({
        deadlines: { respondBy: '2090-05-18T23:59:59.000Z', acknowledgeBy: '2090-05-10T23:59:59.000Z' },
      });
      const middle = newCase({ deadlines: { acknowledgeBy: '2090-05-12T23:59:59.000Z' } });
      const notDue = newCase({ deadlines: { respondBy: '2090-06-30T23:59:59.000Z' } });
      const toClose = newCase({ deadlines: { respondBy: '2090-05-11T23:59:59.000Z' } });
      for (const record of [late, soon, middle, notDue, toClose]) await store.create(record, RECEIVED_EVENT);
      await store.update(
        toClose.caseId,
        1,
        change('closed', { status: 'closed', closedAt: '2090-05-01T12:00:00.000Z' }),
      );
      const ours = new Set([late, soon, middle, notDue, toClose].map((r) => r.caseId));

      // Act
      const due = await store.openByDeadline('2090-05-20T23:59:59.000Z', 1_000);

      // Assess
      expect(due.filter((r) => ours.has(r.caseId)).map((r) => r.caseId)).toEqual([
        soon.caseId,
        middle.caseId,
        late.caseId,
      ]);
      expect(due.map((r) => r.caseId)).not.toContain(notDue.caseId);
    });

    it('keys an acknowledged case by its response deadline, not the acknowledgement already met', async () => {
      const acknowledged = newCase({
        status: 'investigating',
        progress: {
          stage1: { startedAt: '2026-03-02T10:00:00.000Z', acknowledgedAt: '2092-03-03T10:00:00.000Z' },
        },
        deadlines: { acknowledgeBy: '2092-03-09T23:59:59.000Z', respondBy: '2092-03-23T23:59:59.000Z' },
      });
      await store.create(acknowledged, RECEIVED_EVENT);

      const byAck = await store.openByDeadline('2092-03-10T00:00:00.000Z', 10_000);
      const byResponse = await store.openByDeadline('2092-03-24T00:00:00.000Z', 10_000);

      expect(byAck.map((r) => r.caseId)).not.toContain(acknowledged.caseId);
      expect(byResponse.map((r) => r.caseId)).toContain(acknowledged.caseId);
    });

    it('follows a deadline that moves and honours the limit', async () => {
      const moved = newCase({ deadlines: { respondBy: '2091-01-10T23:59:59.000Z' } });
      const other = newCase({ deadlines: { respondBy: '2091-01-11T23:59:59.000Z' } });
      await store.create(moved, RECEIVED_EVENT);
      await store.create(other, RECEIVED_EVENT);

      await store.update(
        moved.caseId,
        1,
        change('extended', { deadlines: { respondBy: '2091-01-20T23:59:59.000Z' } }),
      );
      const due = await store.openByDeadline('2091-01-15T00:00:00.000Z', 10_000);

      const ours = due.filter((r) => r.caseId === moved.caseId || r.caseId === other.caseId);
      expect(ours.map((r) => r.caseId)).toEqual([other.caseId]);
      expect(await store.openByDeadline('2091-01-15T00:00:00.000Z', 2)).toHaveLength(2);
    });
  });

  describe('every open case', () => {
    it('pages through every open case of the index, soonest deadline first, without closed ones', async () => {
      // Prepare: deadlines in a year no other test uses, and cases big enough (about 30 KB each)
      // that they do not fit in one page of a query (1 MB).
      const summary = 'A long complaint. '.repeat(1_700);
      const open = Array.from({ length: 50 }, (_, n) =>
        newCase({
          summary,
          deadlines: { respondBy: `2095-01-${String((n % 28) + 1).padStart(2, '0')}T23:59:59.000Z` },
        }),
      );
      const closed = newCase({ deadlines: { respondBy: '2095-01-01T00:00:00.000Z' } });
      await Promise.all([...open, closed].map((record) => store.create(record, RECEIVED_EVENT)));
      await store.update(
        closed.caseId,
        1,
        change('closed', { status: 'closed', closedAt: '2095-01-01T00:00:00.000Z' }),
      );
      const ours = new Set(open.map((r) => r.caseId));
      const client = DynamoDBDocumentClient.from(new DynamoDBClient({}));
      let queries = 0;
      client.middlewareStack.add(
        (next, context) => async (args) => {
          if (context.commandName === 'QueryCommand') queries++;
          return next(args);
        },
        { step: 'initialize' },
      );
      const counted = new DynamoDbCaseStore({ tableName, client });

      // Act
      const listed: CaseRecord[] = [];
      for await (const record of counted.openCases()) listed.push(record);
      client.destroy();

      // Assess
      const mine = listed.filter((r) => ours.has(r.caseId));
      expect(mine).toHaveLength(open.length);
      expect(listed.map((r) => r.caseId)).not.toContain(closed.caseId);
      const deadlines = mine.map((r) => r.deadlines.respondBy as string);
      expect(deadlines).toEqual([...deadlines].sort());
      expect(queries).toBeGreaterThan(1);
    });
  });

  describe('shards of the open and received indexes', () => {
    let shardTable: string;
    let shardStore: DynamoDbCaseStore;
    const due = (day: number) => `2026-05-${String(day).padStart(2, '0')}T23:59:59.000Z`;
    const receivedOn = (day: number) => `2026-04-${String(day).padStart(2, '0')}T09:00:00.000Z`;

    beforeAll(async () => {
      // A table of their own: these tests read whole indexes.
      shardTable = `cases-${randomUUID()}`;
      await createCaseTable(new DynamoDBClient({}), shardTable);
      shardStore = new DynamoDbCaseStore({ tableName: shardTable });
      const cases = Array.from({ length: 40 }, (_, n) =>
        newCase({
          receivedAt: receivedOn((n % 28) + 1),
          deadlines: { respondBy: due((n % 28) + 1) },
          ...(n % 4 === 0 ? { assignedTo: 'officer.a@council.example' } : {}),
        }),
      );
      await Promise.all(cases.map((record) => shardStore.create(record, RECEIVED_EVENT)));
      // Two cases as a store from before shards wrote them: one partition for all open cases and
      // one for the month.
      for (const [n, day] of [
        [0, 3],
        [1, 17],
      ] as const) {
        const record = newCase({
          receivedAt: receivedOn(day),
          deadlines: { respondBy: due(day) },
          ...(n === 0 ? { assignedTo: 'officer.a@council.example' } : {}),
        });
        await shardStore.create(record, RECEIVED_EVENT);
        const item = (await raw.send(new GetCommand({ TableName: shardTable, Key: caseKey(record.caseId) })))
          .Item;
        await raw.send(
          new PutCommand({
            TableName: shardTable,
            Item: { ...item, GSI1PK: 'OPEN', GSI4PK: 'RECEIVED#2026-04' },
          }),
        );
      }
    });

    async function indexKeys(): Promise<{ open: Set<string>; received: Set<string> }> {
      const open = new Set<string>();
      const receivedKeys = new Set<string>();
      for await (const record of shardStore.openCases()) {
        const item = (await raw.send(new GetCommand({ TableName: shardTable, Key: caseKey(record.caseId) })))
          .Item;
        open.add(String(item?.GSI1PK));
        receivedKeys.add(String(item?.GSI4PK));
      }
      return { open, received: receivedKeys };
    }

    it('spreads open cases and each month over shards chosen by the case id', async () => {
      const keys = await indexKeys();

      expect(keys.open.size).toBeGreaterThan(CASE_SHARDS / 2);
      for (const key of keys.open) expect(key).toMatch(/^OPEN(#\d+)?$/);
      expect(keys.received.size).toBeGreaterThan(CASE_SHARDS / 2);
      for (const key of keys.received) expect(key).toMatch(/^RECEIVED#2026-04(#\d+)?$/);
    });

    it('reads every shard and the partition from before shards, merged soonest deadline first', async () => {
      const all = await collect(shardStore.openCases());
      const dueBy = await shardStore.openByDeadline(due(10), 1_000);
      const firstFive = await shardStore.openByDeadline(due(28), 5);

      expect(all).toHaveLength(42);
      const deadlines = all.map((r) => r.deadlines.respondBy as string);
      expect(deadlines).toEqual([...deadlines].sort());
      expect(dueBy.map((r) => r.deadlines.respondBy)).toEqual(deadlines.filter((d) => d <= due(10)));
      expect(firstFive.map((r) => r.caseId)).toEqual(all.slice(0, 5).map((r) => r.caseId));
    });

    it('reads a month from every shard and the partition from before shards, oldest first', async () => {
      const month = await collect(shardStore.receivedBetween(receivedOn(1), receivedOn(28)));
      const window = await collect(shardStore.receivedBetween(receivedOn(3), receivedOn(17)));

      expect(month).toHaveLength(42);
      const times = month.map((r) => r.receivedAt);
      expect(times).toEqual([...times].sort());
      expect(window.map((r) => r.receivedAt)).toEqual(
        times.filter((t) => t >= receivedOn(3) && t <= receivedOn(17)),
      );
    });

    it('pages the queue across shards without losing or repeating a case, filtered or not', async () => {
      const all = (await collect(shardStore.openCases())).map((r) => r.caseId);
      const pages = async (options: { assignedTo?: string }) => {
        const seen: string[] = [];
        let cursor: string | undefined;
        do {
          const page = await shardStore.openPage({ ...options, limit: 6, ...(cursor ? { cursor } : {}) });
          seen.push(...page.records.map((r) => r.caseId));
          cursor = page.next;
        } while (cursor);
        return seen;
      };

      expect(await pages({})).toEqual(all);
      const theirs = await pages({ assignedTo: 'Officer.A@council.example' });
      expect(theirs).toHaveLength(11);
      expect(theirs).toEqual(all.filter((id) => theirs.includes(id)));
    });

    it('takes a queue cursor from before shards, and refuses one it did not make', async () => {
      const all = await collect(shardStore.openCases());
      const third = all[2] as CaseRecord;
      const old = Buffer.from(
        JSON.stringify({
          PK: 'CASE#x',
          SK: 'CASE',
          GSI1PK: 'OPEN',
          GSI1SK: `${third.deadlines.respondBy}#${third.caseId}`,
        }),
      ).toString('base64url');

      const page = await shardStore.openPage({ limit: 2, cursor: old });

      expect(page.records.map((r) => r.caseId)).toEqual(all.slice(3, 5).map((r) => r.caseId));
      await expect(shardStore.openPage({ limit: 2, cursor: 'bm90LWEta2V5' })).rejects.toThrow(
        'not a queue position',
      );
    });
  });

  describe("the open index's layout (how many shards it is on)", () => {
    const due = (day: number) => `2026-05-${String(day).padStart(2, '0')}T23:59:59.000Z`;
    const later = (day: number) => `2026-06-${String(day).padStart(2, '0')}T23:59:59.000Z`;
    const shardOf = (key: unknown) => Number(String(key).slice('OPEN#'.length));

    /** A table as the version before the layout left it: no layout item. */
    async function tableBeforeLayout(): Promise<string> {
      const name = `cases-${randomUUID()}`;
      await createCaseTable(new DynamoDBClient({}), name);
      await raw.send(new DeleteCommand({ TableName: name, Key: OPEN_LAYOUT_KEY }));
      return name;
    }

    /** The open cases the version before the layout lists: `OPEN` and `OPEN#0..15`, nothing else. */
    async function listedByVersionBefore(name: string): Promise<Set<string>> {
      const ids = new Set<string>();
      const partitions = ['OPEN', ...Array.from({ length: 16 }, (_, i) => `OPEN#${i}`)];
      for (const partition of partitions) {
        let startKey: Record<string, unknown> | undefined;
        do {
          const page = await raw.send(
            new QueryCommand({
              TableName: name,
              IndexName: 'OpenByDeadline',
              KeyConditionExpression: 'GSI1PK = :pk',
              ExpressionAttributeValues: { ':pk': partition },
              ExclusiveStartKey: startKey,
            }),
          );
          for (const item of page.Items ?? []) ids.add(String(item.PK).slice('CASE#'.length));
          startKey = page.LastEvaluatedKey;
        } while (startKey);
      }
      return ids;
    }

    async function openKeys(name: string, ids: readonly string[]): Promise<string[]> {
      const keys: string[] = [];
      for (const id of ids) {
        const item = (await raw.send(new GetCommand({ TableName: name, Key: caseKey(id) }))).Item;
        keys.push(String(item?.GSI1PK));
      }
      return keys;
    }

    const listed = async (reader: DynamoDbCaseStore) =>
      new Set((await collect(reader.openCases())).map((r) => r.caseId));

    it('starts a new table on OPEN_SHARDS shards, every one of them read', async () => {
      const name = `cases-${randomUUID()}`;
      await createCaseTable(new DynamoDBClient({}), name);
      const newStore = new DynamoDbCaseStore({ tableName: name });
      const cases = Array.from({ length: 60 }, (_, n) =>
        newCase({ deadlines: { respondBy: due((n % 28) + 1) } }),
      );
      await Promise.all(cases.map((record) => newStore.create(record, RECEIVED_EVENT)));

      const keys = await openKeys(
        name,
        cases.map((c) => c.caseId),
      );

      expect(OPEN_SHARDS).toBeGreaterThan(CASE_SHARDS);
      expect(keys.some((key) => shardOf(key) >= CASE_SHARDS)).toBe(true);
      expect(keys.every((key) => shardOf(key) < OPEN_SHARDS)).toBe(true);
      expect(await listed(newStore)).toEqual(new Set(cases.map((c) => c.caseId)));
      const page = await newStore.openPage({ limit: 100 });
      expect(page.records).toHaveLength(60);
    });

    it('keeps a table from before the layout on 16 shards, so the version before lists every open case', async () => {
      // Prepare: cases created and changed by this version during a deploy, on the older table.
      const name = await tableBeforeLayout();
      const store16 = new DynamoDbCaseStore({ tableName: name });
      const cases = Array.from({ length: 40 }, (_, n) =>
        newCase({ deadlines: { respondBy: due((n % 28) + 1) } }),
      );
      await Promise.all(cases.map((record) => store16.create(record, RECEIVED_EVENT)));
      await Promise.all(
        cases
          .slice(0, 10)
          .map((c) =>
            store16.update(c.caseId, 1, change('extended', { deadlines: { respondBy: later(1) } })),
          ),
      );

      // Act: rolled back, the version before lists the open cases.
      const before = await listedByVersionBefore(name);

      // Assess
      expect(before).toEqual(new Set(cases.map((c) => c.caseId)));
      expect(await listed(store16)).toEqual(before);
    });

    it('reads a raised count at once, writes among it only after the grace, and lists every open case throughout', async () => {
      // Prepare: an older table with open cases on 16 shards; a clock for the writers.
      const name = await tableBeforeLayout();
      let now = new Date('2026-05-01T09:00:00.000Z');
      const writer = new DynamoDbCaseStore({ tableName: name, now: () => now });
      const reader = new DynamoDbCaseStore({ tableName: name });
      const cases = Array.from({ length: 40 }, (_, n) =>
        newCase({ deadlines: { respondBy: due((n % 28) + 1) } }),
      );
      await Promise.all(cases.map((record) => writer.create(record, RECEIVED_EVENT)));
      const all = new Set(cases.map((c) => c.caseId));

      // Act: the ops step.
      const layout = await writer.raiseOpenShards();

      // Assess: readers read the new count at once; writers keep to 16 during the grace.
      expect(layout).toEqual({
        shards: OPEN_SHARDS,
        previous: CASE_SHARDS,
        writeFrom: new Date(now.getTime() + OPEN_LAYOUT_GRACE_MS).toISOString(),
      });
      now = new Date(now.getTime() + OPEN_LAYOUT_GRACE_MS - 1000);
      await Promise.all(
        cases.map((c) =>
          writer.update(c.caseId, 1, change('extended', { deadlines: { respondBy: later(1) } })),
        ),
      );
      const duringGrace = await openKeys(
        name,
        cases.map((c) => c.caseId),
      );
      expect(duringGrace.every((key) => shardOf(key) < CASE_SHARDS)).toBe(true);
      expect(await listed(reader)).toEqual(all);

      // Past the grace (and the writer's kept layout), changes put cases among 32, and every
      // listing still finds them all.
      now = new Date(now.getTime() + OPEN_LAYOUT_GRACE_MS);
      await Promise.all(
        cases.map((c) =>
          writer.update(c.caseId, 2, change('extended', { deadlines: { respondBy: later(2) } })),
        ),
      );
      const after = await openKeys(
        name,
        cases.map((c) => c.caseId),
      );
      expect(after.some((key) => shardOf(key) >= CASE_SHARDS)).toBe(true);
      expect(await listed(reader)).toEqual(all);
      expect(new Set((await reader.openByDeadline(later(28), 1_000)).map((r) => r.caseId))).toEqual(all);
      const pages: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await reader.openPage({ limit: 7, ...(cursor ? { cursor } : {}) });
        pages.push(...page.records.map((r) => r.caseId));
        cursor = page.next;
      } while (cursor);
      expect(pages).toHaveLength(40);
      expect(new Set(pages)).toEqual(all);
    });

    it('never lowers the count, and a writer that kept the count before a raise writes where readers read', async () => {
      const name = await tableBeforeLayout();
      const stale = new DynamoDbCaseStore({ tableName: name });
      const first = newCase({ deadlines: { respondBy: due(1) } });
      // The stale writer reads the layout (none) with its first write, and keeps it.
      await stale.create(first, RECEIVED_EVENT);
      const raiser = new DynamoDbCaseStore({
        tableName: name,
        now: () => new Date(Date.now() - 2 * OPEN_LAYOUT_GRACE_MS),
      });
      await raiser.raiseOpenShards(64);

      const lowered = await raiser.raiseOpenShards(OPEN_SHARDS);
      const cases = Array.from({ length: 30 }, (_, n) =>
        newCase({ deadlines: { respondBy: due((n % 28) + 1) } }),
      );
      await Promise.all(cases.map((record) => stale.create(record, RECEIVED_EVENT)));
      const fresh = new DynamoDbCaseStore({ tableName: name });
      const more = Array.from({ length: 30 }, (_, n) =>
        newCase({ deadlines: { respondBy: due((n % 28) + 1) } }),
      );
      await Promise.all(more.map((record) => fresh.create(record, RECEIVED_EVENT)));

      expect(lowered.shards).toBe(64);
      expect((await raw.send(new GetCommand({ TableName: name, Key: OPEN_LAYOUT_KEY }))).Item).toMatchObject({
        shards: 64,
      });
      expect(
        (
          await openKeys(
            name,
            cases.map((c) => c.caseId),
          )
        ).every((key) => shardOf(key) < CASE_SHARDS),
      ).toBe(true);
      expect(
        (
          await openKeys(
            name,
            more.map((c) => c.caseId),
          )
        ).some((key) => shardOf(key) >= OPEN_SHARDS),
      ).toBe(true);
      expect(await listed(fresh)).toEqual(new Set([first, ...cases, ...more].map((c) => c.caseId)));
      // 65 partitions, more than a filtered page's request budget: the first round still reads them all.
      const filtered = await fresh.openPage({ limit: 100, services: ['housing-repairs'] });
      expect(filtered.records).toHaveLength(61);
    });

    it('refuses a count that is not a whole number above 0', async () => {
      await expect(store.raiseOpenShards(0)).rejects.toThrow(/whole number above 0/);
      await expect(store.raiseOpenShards(2.5)).rejects.toThrow(/whole number above 0/);
    });

    it('refuses a count above the most it allows, which it could never lower again, and leaves the layout as it was', async () => {
      // Prepare: an older table, its open index on 16 shards.
      const name = await tableBeforeLayout();
      const raiser = new DynamoDbCaseStore({ tableName: name });

      // Act: a slip of the keyboard (320 for 32), and the most allowed.
      const slip = raiser.raiseOpenShards(320);

      // Assess: refused, nothing stored; every listing would otherwise query 321 partitions for ever.
      await expect(slip).rejects.toThrow(/at most 64/);
      expect(
        (await raw.send(new GetCommand({ TableName: name, Key: OPEN_LAYOUT_KEY }))).Item,
      ).toBeUndefined();
      expect((await raiser.raiseOpenShards(MAX_OPEN_SHARDS)).shards).toBe(64);
    });
  });

  describe('ByComplainant index', () => {
    it('finds every case of one email whatever its case, newest first', async () => {
      // Prepare
      const email = `Grace.${randomUUID().slice(0, 8)}@Example.ORG`;
      const older = newCase({ complainant: { email }, receivedAt: '2026-01-05T09:00:00.000Z' });
      const newer = newCase({
        complainant: { email: ` ${email.toLowerCase()} ` },
        receivedAt: '2026-02-05T09:00:00.000Z',
      });
      const someoneElse = newCase();
      for (const record of [older, newer, someoneElse]) await store.create(record, RECEIVED_EVENT);

      // Act
      const found = await store.byComplainant(email.toUpperCase());

      // Assess
      expect(found.map((r) => r.caseId)).toEqual([newer.caseId, older.caseId]);
    });

    it('keeps the email address out of the index key', async () => {
      const record = newCase();
      await store.create(record, RECEIVED_EVENT);

      const item = await rawItem(caseKey(record.caseId));

      expect(item?.GSI2PK).toMatch(/^COMPLAINANT#[0-9a-f]{64}$/);
      expect(String(item?.GSI2PK)).not.toContain('example.org');
    });

    it('finds nothing for an anonymous case or an unknown email', async () => {
      const anonymous = newCase({ anonymous: true, complainant: {} });
      await store.create(anonymous, RECEIVED_EVENT);

      expect(await store.byComplainant(`nobody.${randomUUID()}@example.org`)).toEqual([]);
      expect(await store.byComplainant('')).toEqual([]);
    });
  });

  describe('designated complainants', () => {
    const designation: Designation = {
      at: '2026-03-10T12:00:00.000Z',
      by: 'nominated.officer@council.example',
      reason: 'Twenty emails a day about the same closed matter.',
      restrictions: ['no-further-correspondence'],
      reviewBy: '2026-09-10',
    };

    it('answers from the designation item, whatever the email’s case, and forgets a lifted designation', async () => {
      // Prepare
      const record = newCase();
      const email = record.complainant.email as string;
      await store.create(record, RECEIVED_EVENT);
      expect(await store.complainantDesignated(email)).toBe(false);

      // Act
      const designated = await store.update(record.caseId, 1, change('designated', { designation }));

      // Assess
      expect(await store.complainantDesignated(` ${email.toUpperCase()} `)).toBe(true);
      expect(await rawItem(designationKey(email, record.caseId))).toMatchObject({ caseId: record.caseId });
      await store.update(
        record.caseId,
        designated.version,
        change('designation-lifted', {
          designation: { ...designation, liftedAt: '2026-04-01T09:00:00.000Z' },
        }),
      );
      expect(await store.complainantDesignated(email)).toBe(false);
      expect(await rawItem(designationKey(email, record.caseId))).toBeUndefined();
    });

    it('moves the designation to a corrected email address', async () => {
      const record = newCase({ designation });
      const old = record.complainant.email as string;
      const corrected = `corrected.${randomUUID().slice(0, 8)}@example.org`;
      await store.create(record, RECEIVED_EVENT);

      await store.update(
        record.caseId,
        1,
        change('rectified', { complainant: { ...record.complainant, email: corrected } }),
      );

      expect(await store.complainantDesignated(corrected)).toBe(true);
      expect(await store.complainantDesignated(old)).toBe(false);
    });

    it('forgets the designation of an erased case', async () => {
      const record = newCase({ designation });
      const email = record.complainant.email as string;
      await store.create(record, RECEIVED_EVENT);

      await store.erase(
        record.caseId,
        1,
        { ...record, complainant: {}, summary: '' },
        { at: '2026-04-01T09:00:00.000Z', type: 'erased', actor: 'dpo@council.example' },
      );

      expect(await store.complainantDesignated(email)).toBe(false);
    });

    it('keeps one designation per mailbox: a +tag makes no other item, and an untagged lookup is one Query', async () => {
      // Prepare: a store whose requests are counted, once it has read the table's marker.
      const sent: string[] = [];
      const counted = DynamoDBDocumentClient.from(new DynamoDBClient({}));
      counted.middlewareStack.add(
        (next, context) => (args) => {
          sent.push(String(context.commandName));
          return next(args);
        },
        { step: 'initialize' },
      );
      const countedStore = new DynamoDbCaseStore({ tableName, client: counted });
      const local = `ada.${randomUUID().slice(0, 8)}`;
      const record = newCase({ complainant: { name: 'Ada', email: `${local}+council@example.org` } });
      await store.create(record, RECEIVED_EVENT);
      await store.update(record.caseId, 1, change('designated', { designation }));
      await countedStore.complainantDesignated('warm-up@example.org');
      sent.length = 0;

      // Act
      const plain = await countedStore.complainantDesignated(`${local}@example.org`);
      const readsForPlain = [...sent];
      const tagged = await countedStore.complainantDesignated(`${local}+other@example.org`);

      // Assess
      expect([plain, tagged]).toEqual([true, true]);
      expect(readsForPlain).toEqual(['QueryCommand']);
      expect(sent).toEqual(['QueryCommand', 'QueryCommand']);
      expect(await rawItem(designationKey(`${local}@example.org`, record.caseId))).toMatchObject({
        caseId: record.caseId,
      });
      counted.destroy();
    });

    it('moves a designation indexed under a tagged address to its mailbox when indexed again', async () => {
      // Prepare: a designation item as stores before mailboxes wrote it (keyed by the tagged
      // address), on a table not yet indexed by mailbox.
      const { oldTable, oldStore } = await tableIndexedByAddress();
      const local = `ada.${randomUUID().slice(0, 8)}`;
      const tagged = `${local}+council@example.org`;
      const record = newCase({ complainant: { name: 'Ada', email: tagged }, designation });
      await oldStore.create(record, RECEIVED_EVENT);
      const legacyKey = {
        PK: `DESIGNATED#${createHash('sha256').update(tagged).digest('hex')}`,
        SK: `CASE#${record.caseId}`,
      };
      await raw.send(new DeleteCommand({ TableName: oldTable, Key: designationKey(tagged, record.caseId) }));
      await raw.send(
        new PutCommand({
          TableName: oldTable,
          Item: { ...legacyKey, entity: 'designation', caseId: record.caseId },
        }),
      );

      // Act
      const before = await oldStore.complainantDesignated(tagged);
      await oldStore.indexDesignations();
      const fresh = new DynamoDbCaseStore({ tableName: oldTable });

      // Assess: found before under the address it was made under (its old item), and after from
      // the mailbox and any tag; the old item is gone.
      expect(before).toBe(true);
      expect(await fresh.complainantDesignated(`${local}@example.org`)).toBe(true);
      expect(await fresh.complainantDesignated(`${local}+x@example.org`)).toBe(true);
      expect((await raw.send(new GetCommand({ TableName: oldTable, Key: legacyKey }))).Item).toBeUndefined();
    });

    it('forgets a designation lifted before it was moved to its mailbox, under its tagged address too', async () => {
      // Prepare: as in the test before, an item under the tagged address on a table indexed by address.
      const { oldTable, oldStore } = await tableIndexedByAddress();
      const tagged = `ada.${randomUUID().slice(0, 8)}+council@example.org`;
      const record = newCase({ complainant: { name: 'Ada', email: tagged }, designation });
      await oldStore.create(record, RECEIVED_EVENT);
      const legacyKey = {
        PK: `DESIGNATED#${createHash('sha256').update(tagged).digest('hex')}`,
        SK: `CASE#${record.caseId}`,
      };
      await raw.send(
        new PutCommand({
          TableName: oldTable,
          Item: { ...legacyKey, entity: 'designation', caseId: record.caseId },
        }),
      );

      // Act
      await oldStore.update(
        record.caseId,
        1,
        change('designation-lifted', {
          designation: { ...designation, liftedAt: '2026-04-01T09:00:00.000Z' },
        }),
      );

      // Assess
      expect(await oldStore.complainantDesignated(tagged)).toBe(false);
      expect((await raw.send(new GetCommand({ TableName: oldTable, Key: legacyKey }))).Item).toBeUndefined();
    });

    it('still finds a designation stored before designation items, and indexes it once asked', async () => {
      // Prepare: a table from before designation items (no marker), with a designated case and
      // a case of the old flag, neither with its item.
      const oldTable = `cases-${randomUUID()}`;
      await createCaseTable(new DynamoDBClient({}), oldTable);
      await raw.send(new DeleteCommand({ TableName: oldTable, Key: DESIGNATIONS_INDEXED_KEY }));
      const oldStore = new DynamoDbCaseStore({ tableName: oldTable });
      const decided = newCase();
      const flagged = newCase({ vexatious: true });
      const plain = newCase();
      for (const record of [decided, flagged, plain]) {
        await oldStore.create(record, RECEIVED_EVENT);
        const item = (await raw.send(new GetCommand({ TableName: oldTable, Key: caseKey(record.caseId) })))
          .Item;
        const legacy = record === decided ? { ...item, designation } : item;
        await raw.send(new PutCommand({ TableName: oldTable, Item: legacy }));
        await raw.send(
          new DeleteCommand({
            TableName: oldTable,
            Key: designationKey(record.complainant.email as string, record.caseId),
          }),
        );
      }
      const emailOf = (r: CaseRecord) => r.complainant.email as string;

      // Act and assess: before indexing, the cases are read and checked.
      expect(await oldStore.complainantDesignated(emailOf(decided))).toBe(true);
      expect(await oldStore.complainantDesignated(emailOf(flagged))).toBe(true);
      expect(await oldStore.complainantDesignated(emailOf(plain))).toBe(false);

      const result = await oldStore.indexDesignations();

      expect(result).toEqual({ cases: 2, designated: 2 });
      const fresh = new DynamoDbCaseStore({ tableName: oldTable });
      expect(await fresh.complainantDesignated(emailOf(decided))).toBe(true);
      expect(await fresh.complainantDesignated(emailOf(flagged))).toBe(true);
      expect(await fresh.complainantDesignated(emailOf(plain))).toBe(false);
      const itemOf = (r: CaseRecord) =>
        raw.send(new GetCommand({ TableName: oldTable, Key: designationKey(emailOf(r), r.caseId) }));
      expect((await itemOf(decided)).Item).toMatchObject({ caseId: decided.caseId });
      expect((await itemOf(flagged)).Item).toMatchObject({ caseId: flagged.caseId });
    });
  });

  describe('ByService index', () => {
    it('lists a service’s cases received in a window, oldest first, bounds included', async () => {
      const service = `parks-${randomUUID().slice(0, 8)}`;
      const times = ['2026-04-01T08:00:00.000Z', '2026-04-10T08:00:00.000Z', '2026-04-20T08:00:00.000Z'];
      const records = times.map((receivedAt) => newCase({ service, receivedAt }));
      for (const record of [...records].reverse()) await store.create(record, RECEIVED_EVENT);
      await store.create(newCase({ receivedAt: '2026-04-10T08:00:00.000Z' }), RECEIVED_EVENT);

      const found = await store.byService(service, '2026-04-10T08:00:00.000Z', '2026-04-20T08:00:00.000Z');

      expect(found.map((r) => r.caseId)).toEqual([records[1]?.caseId, records[2]?.caseId]);
    });

    it('spreads a service’s cases over shards, and still reads one written before shards, in order', async () => {
      // Prepare: a campaign's worth of cases about one service, and one as a store from before
      // shards wrote it (one partition for the whole service).
      const service = `planning-${randomUUID().slice(0, 8)}`;
      const records = Array.from({ length: 24 }, (_, n) =>
        newCase({ service, receivedAt: `2026-05-${String(n + 1).padStart(2, '0')}T09:00:00.000Z` }),
      );
      await Promise.all(records.map((record) => store.create(record, RECEIVED_EVENT)));
      const old = records[7] as CaseRecord;
      const item = (await raw.send(new GetCommand({ TableName: tableName, Key: caseKey(old.caseId) }))).Item;
      await raw.send(
        new PutCommand({ TableName: tableName, Item: { ...item, GSI3PK: `SERVICE#${service}` } }),
      );

      const found = await store.byService(service, '2026-05-01T00:00:00.000Z', '2026-05-31T23:59:59.000Z');
      const keys = new Set<string>();
      for (const record of records) {
        const stored = await raw.send(new GetCommand({ TableName: tableName, Key: caseKey(record.caseId) }));
        keys.add(String(stored.Item?.GSI3PK));
      }

      expect(found.map((r) => r.caseId)).toEqual(records.map((r) => r.caseId));
      expect(keys.size).toBeGreaterThan(CASE_SHARDS / 2);
      for (const key of keys) expect(key).toMatch(new RegExp(`^SERVICE#${service}(#\\d+)?$`));
    });
  });

  describe('ByReceived index', () => {
    it('reads cases received between two instants across month buckets, oldest first', async () => {
      // Prepare: a year no other test uses, with cases either side of month ends.
      const times = [
        '2071-01-15T12:00:00.000Z',
        '2071-01-31T23:59:59.000Z',
        '2071-02-15T12:00:00.000Z',
        '2071-03-01T00:00:00.000Z',
        '2071-04-02T00:00:00.000Z',
      ];
      const records = times.map((receivedAt) => newCase({ receivedAt }));
      for (const record of [...records].reverse()) await store.create(record, RECEIVED_EVENT);

      // Act: bounds given with a British Summer Time offset are the same instants.
      const found = await collect(
        store.receivedBetween('2071-01-31T00:00:00.000Z', '2071-03-01T01:00:00+01:00'),
      );

      // Assess
      expect(found.map((r) => r.receivedAt)).toEqual(times.slice(1, 4));
    });

    it('reads nothing when the window is empty or reversed', async () => {
      expect(
        await collect(store.receivedBetween('2072-01-01T00:00:00.000Z', '2072-12-31T23:59:59.000Z')),
      ).toEqual([]);
      expect(
        await collect(store.receivedBetween('2071-03-01T00:00:00.000Z', '2071-01-01T00:00:00.000Z')),
      ).toEqual([]);
    });
  });

  describe('event sequence', () => {
    it('appends an event without writing the case item (nor, so, its index copies)', async () => {
      const record = newCase();
      await store.create(record, RECEIVED_EVENT);
      const before = await rawItem(caseKey(record.caseId));

      await store.appendEvent(record.caseId, {
        at: '2026-03-05T08:00:00.000Z',
        type: 'note',
        actor: 'system',
      });
      await store.appendEvent(record.caseId, {
        at: '2026-03-05T09:00:00.000Z',
        type: 'note',
        actor: 'system',
      });

      expect(await rawItem(caseKey(record.caseId))).toEqual(before);
      expect(await rawItem(sequenceKey(record.caseId))).toMatchObject({ lastEventSeq: 3 });
      expect((await store.events(record.caseId)).map((e) => e.seq)).toEqual([1, 2, 3]);
      const updated = await store.update(
        record.caseId,
        1,
        change('acknowledged', { status: 'investigating' }),
      );
      expect(updated.version).toBe(2);
      expect((await store.events(record.caseId)).map((e) => e.seq)).toEqual([1, 2, 3, 4]);
    });

    it('changes the case and its history without writing the sequence item: fewer write units', async () => {
      const record = newCase();
      await store.create(record, RECEIVED_EVENT);

      await store.update(record.caseId, 1, change('acknowledged', { status: 'investigating' }));
      await store.update(record.caseId, 2, change('assigned', { assignedTo: 'a@council.example' }));

      expect(await rawItem(sequenceKey(record.caseId))).toBeUndefined();
      expect(await rawItem(caseKey(record.caseId))).toMatchObject({ lastEventSeq: 3 });
      expect((await store.events(record.caseId)).map((e) => [e.seq, e.type])).toEqual([
        [1, 'received'],
        [2, 'acknowledged'],
        [3, 'assigned'],
      ]);
    });

    it('counts on from whichever of the case and the sequence item is further, as appends and changes alternate', async () => {
      const record = newCase();
      await store.create(record, RECEIVED_EVENT);
      const note = (at: string) => ({ at, type: 'note', actor: 'system' });

      await store.appendEvent(record.caseId, note('2026-03-05T08:00:00.000Z'));
      await store.update(record.caseId, 1, change('acknowledged', { status: 'investigating' }));
      const appended = await store.appendEvent(record.caseId, note('2026-03-05T09:00:00.000Z'));
      await store.update(record.caseId, 2, change('assigned', { assignedTo: 'a@council.example' }));
      await expect(
        store.appendEvent(record.caseId, note('2026-03-05T10:00:00.000Z'), { afterSeq: 4 }),
      ).rejects.toBeInstanceOf(ConcurrentUpdateError);
      await store.appendEvent(record.caseId, note('2026-03-05T10:00:00.000Z'), { afterSeq: 5 });

      expect(appended.seq).toBe(4);
      expect((await store.events(record.caseId)).map((e) => [e.seq, e.type])).toEqual([
        [1, 'received'],
        [2, 'note'],
        [3, 'acknowledged'],
        [4, 'note'],
        [5, 'assigned'],
        [6, 'note'],
      ]);
    });

    it('gives an appended event the expiry of the case it reads, even with the sequence item behind', async () => {
      const record = newCase();
      await store.create(record, RECEIVED_EVENT);
      await store.appendEvent(record.caseId, {
        at: '2026-03-05T08:00:00.000Z',
        type: 'note',
        actor: 'system',
      });
      const closed = await store.update(
        record.caseId,
        1,
        change('closed', { status: 'closed', closedAt: '2026-04-01T10:00:00.000Z' }),
      );
      const expiresAt = (await rawItem(caseKey(record.caseId)))?.expiresAt;
      expect(expiresAt).toEqual(expect.any(Number));

      const viewed = await store.appendEvent(record.caseId, {
        at: '2026-04-02T08:00:00.000Z',
        type: 'viewed',
        actor: 'officer@council.example',
      });

      expect(closed.version).toBe(2);
      expect(await rawItem(eventKey(record.caseId, viewed.seq))).toMatchObject({ expiresAt });
      expect(viewed.seq).toBe(4);
    });

    it('goes on counting a case written before the sequence item, from the case item’s count', async () => {
      const record = newCase();
      await store.create(record, RECEIVED_EVENT);
      for (const seq of [2, 3]) {
        await raw.send(
          new PutCommand({
            TableName: tableName,
            Item: {
              ...eventKey(record.caseId, seq),
              entity: 'event',
              caseId: record.caseId,
              seq,
              at: RECEIVED_EVENT.at,
              type: 'note',
              actor: 'system',
            },
          }),
        );
      }
      const legacy = { ...(await rawItem(caseKey(record.caseId))), lastEventSeq: 3 };
      await raw.send(new PutCommand({ TableName: tableName, Item: legacy }));

      await store.appendEvent(record.caseId, {
        at: '2026-03-05T08:00:00.000Z',
        type: 'note',
        actor: 'system',
      });

      expect((await store.events(record.caseId)).map((e) => e.seq)).toEqual([1, 2, 3, 4]);
    });
  });

  describe('retention', () => {
    it('sets the TTL at closure on the case, its reference and its history, and extends it for the ombudsman', async () => {
      // Prepare
      const record = newCase();
      await store.create(record, RECEIVED_EVENT);
      await store.appendEvent(record.caseId, {
        at: '2026-03-05T08:00:00.000Z',
        type: 'note',
        actor: 'system',
      });
      const closedAt = '2026-06-30T15:00:00.000Z';
      const twoYears = Date.parse('2028-06-30T15:00:00.000Z') / 1000;
      const sixYears = Date.parse('2032-06-30T15:00:00.000Z') / 1000;

      // Act
      const closed = await store.update(record.caseId, 1, change('closed', { status: 'closed', closedAt }));

      // Assess
      const caseItem = await rawItem(caseKey(record.caseId));
      expect(caseItem?.expiresAt).toBe(twoYears);
      expect(caseItem?.GSI1PK).toBeUndefined();
      expect((await rawItem(referenceKey(record.reference)))?.expiresAt).toBe(twoYears);
      for (const seq of [1, 2, 3])
        expect((await rawItem(eventKey(record.caseId, seq)))?.expiresAt).toBe(twoYears);

      // Act: an ombudsman enquiry after closure.
      await store.update(
        record.caseId,
        closed.version,
        change('ombudsman-enquiry', { ombudsmanInvolved: true }),
      );
      await store.appendEvent(record.caseId, {
        at: '2026-09-01T08:00:00.000Z',
        type: 'note',
        actor: 'system',
      });

      // Assess
      expect((await rawItem(caseKey(record.caseId)))?.expiresAt).toBe(sixYears);
      expect((await rawItem(referenceKey(record.reference)))?.expiresAt).toBe(sixYears);
      for (const seq of [1, 2, 3, 4, 5])
        expect((await rawItem(eventKey(record.caseId, seq)))?.expiresAt).toBe(sixYears);
      expect(await rawItem(sequenceKey(record.caseId))).toMatchObject({
        lastEventSeq: 5,
        expiresAt: sixYears,
      });
    });

    it('sets no TTL while a case is open', async () => {
      const record = newCase();
      await store.create(record, RECEIVED_EVENT);

      expect((await rawItem(caseKey(record.caseId)))?.expiresAt).toBeUndefined();
    });

    it('creates the table with TTL on the designed attribute', async () => {
      const ttl = await raw.send(new DescribeTimeToLiveCommand({ TableName: tableName }));

      expect(ttl.TimeToLiveDescription).toMatchObject({
        TimeToLiveStatus: 'ENABLED',
        AttributeName: CASE_TABLE_DESIGN.timeToLiveAttribute,
      });
    });

    it('leaves an existing table as it is when created again', async () => {
      const record = newCase();
      await store.create(record, RECEIVED_EVENT);

      await createCaseTable(new DynamoDBClient({}), tableName);

      expect(await store.get(record.caseId)).toEqual(record);
    });
  });
});

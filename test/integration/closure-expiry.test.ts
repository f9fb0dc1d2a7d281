import { DeleteCommand, type DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseKey } from '../../functions/adapters/case-table.js';
import type { DynamoDbCaseStore } from '../../functions/adapters/dynamodb-case-store.js';
import { type CaseTableOnStandIns, startCaseTable } from '../support/case-table.js';
import { createStoredCase } from '../support/stored-case.js';

/**
 * The expiry of a case's history when the case closes, against DynamoDB Local. Closing starts
 * the case's retention; its events get the same expiry after the closing transaction, one
 * UpdateItem each (in the transaction each would be billed twice). Until they have it they would
 * outlive the case, never expire before it: what a move that stopped part way left is deleted once
 * the table's TTL has deleted the case item (`sweepExpiredHistory`, from the stream's record of
 * that deletion).
 */

let table: CaseTableOnStandIns;
let raw: DynamoDBDocumentClient;
let tableName: string;
/** Set to make every UpdateItem of an event fail (the table throttling them) until cleared. */
let failEventUpdates = false;
/** The TransactWriteItems the store sent, as sent. */
const transactions: TransactWriteCommand[] = [];

beforeAll(async () => {
  table = await startCaseTable();
  ({ raw, tableName } = table);
}, 120_000);

afterAll(async () => {
  await table?.stop();
});

/** The store over a client that records its transactions and can be made to fail events' updates. */
function recordingStore(): DynamoDbCaseStore {
  return table.storeFailingEventUpdates(
    () => failEventUpdates,
    (command) => {
      if (command instanceof TransactWriteCommand) transactions.push(command);
    },
  );
}

const eventExpiries = (caseId: string) => table.eventExpiries(caseId);

/** An open case with `views` events appended after its first. */
async function caseWithHistory(store: DynamoDbCaseStore, views: number): Promise<string> {
  const { caseId } = await createStoredCase(store, {
    complainant: { name: 'Ada Resident', email: 'ada@example.org' },
  });
  for (let i = 0; i < views; i++) {
    await store.appendEvent(caseId, {
      at: '2026-03-03T10:00:00.000Z',
      type: 'viewed',
      actor: 'sam@council.example',
      detail: { what: 'case and contact details' },
    });
  }
  return caseId;
}

const CLOSURE = {
  set: { status: 'closed', closedAt: '2026-06-30T15:00:00.000Z' },
  event: { at: '2026-06-30T15:00:00.000Z', type: 'closed', actor: 'workflow' },
} as const;
const TWO_YEARS = Math.floor(Date.parse('2028-06-30T15:00:00.000Z') / 1000);

describe('the expiry of a history when its case closes', () => {
  it('gives every event the case’s expiry, none of them in the closing transaction', async () => {
    // Prepare
    const store = recordingStore();
    const caseId = await caseWithHistory(store, 20);
    transactions.length = 0;

    // Act
    await store.update(caseId, 1, CLOSURE);

    // Assess
    expect(new Set(await eventExpiries(caseId))).toEqual(new Set([TWO_YEARS]));
    const written = transactions.flatMap((t) => t.input.TransactItems ?? []);
    const eventsInTransaction = written.filter((item) =>
      String(item.Update?.Key?.SK ?? item.Put?.Item?.SK).startsWith('EVENT#'),
    );
    // The closing event itself is put with its expiry; no earlier event is written in it.
    expect(eventsInTransaction).toHaveLength(1);
    expect(eventsInTransaction[0]?.Put?.Item?.type).toBe('closed');
  }, 60_000);

  it('has what it left unset deleted once the case item expires, and nothing before', async () => {
    // Prepare: a case closed over two years ago (its retention is over) whose events' updates all
    // failed, and no write of the case since
    const store = recordingStore();
    const caseId = await caseWithHistory(store, 5);
    failEventUpdates = true;
    const longAgo = '2024-06-30T15:00:00.000Z';
    await store
      .update(caseId, 1, {
        set: { ...CLOSURE.set, closedAt: longAgo },
        event: { ...CLOSURE.event, at: longAgo },
      })
      .catch(() => undefined);
    failEventUpdates = false;
    expect((await eventExpiries(caseId)).filter((e) => e === undefined)).toHaveLength(6);

    // Act: swept while the case is there, then after the TTL deleted the case item
    const whileThere = await store.sweepExpiredHistory(caseId);
    await raw.send(new DeleteCommand({ TableName: tableName, Key: caseKey(caseId) }));
    const afterExpiry = await store.sweepExpiredHistory(caseId);

    // Assess: only the events with no expiry went; the closing event, whose expiry has passed,
    // is the TTL's to delete (at no cost)
    expect(whileThere).toBe(0);
    expect(afterExpiry).toBe(6);
    expect(await eventExpiries(caseId)).toEqual([Math.floor(Date.parse('2026-06-30T15:00:00.000Z') / 1000)]);
  }, 60_000);

  it('still moves the events in the transaction when a hold takes the expiry away', async () => {
    // Prepare
    const store = recordingStore();
    const caseId = await caseWithHistory(store, 5);
    const closed = await store.update(caseId, 1, CLOSURE);
    failEventUpdates = true;

    // Act: a hold, with every UpdateItem of an event failing
    const held = await store.update(caseId, closed.version, {
      set: { legalHold: { at: '2026-07-01T09:00:00.000Z', by: 'dpo@council.example', reason: 'litigation' } },
      event: { at: '2026-07-01T09:00:00.000Z', type: 'legal-hold-placed', actor: 'dpo@council.example' },
    });
    failEventUpdates = false;

    // Assess: no event of the held case expires
    expect(held.legalHold).toBeDefined();
    expect((await eventExpiries(caseId)).filter((e) => e !== undefined)).toEqual([]);
  }, 60_000);
});

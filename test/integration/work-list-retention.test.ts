import { randomUUID } from 'node:crypto';
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseKey, workListKey } from '../../functions/adapters/case-table.js';
import type { DynamoDbCaseStore } from '../../functions/adapters/dynamodb-case-store.js';
import type { CaseRecord } from '../../functions/domain/case.js';
import { type CaseTableOnStandIns, startCaseTable } from '../support/case-table.js';
import { createStoredCase } from '../support/stored-case.js';

/**
 * The workspace's work lists (letters to print and post, designations due for review) against
 * DynamoDB Local. Their entries name a case (its id and reference) and hold closed cases too, so
 * each must go when its case goes: the table's TTL deletes the case item and nothing else
 * deletes an entry, so an entry without the case's expiry would stay on the list for ever,
 * pointing at a resident's case long after its retention ended.
 */

let table: CaseTableOnStandIns;
let raw: DynamoDBDocumentClient;
let store: DynamoDbCaseStore;
let tableName: string;

beforeAll(async () => {
  table = await startCaseTable();
  ({ raw, store, tableName } = table);
}, 120_000);

afterAll(async () => {
  await table?.stop();
});

const LETTER_WRITTEN = '2026-06-30T15:00:00.000Z';
const REVIEW_BY = '2026-12-01';

/** An open case with a letter waiting for the post and a designation standing. */
async function caseOnBothLists(): Promise<CaseRecord> {
  const { caseId } = await createStoredCase(store, {
    service: 'housing-repairs',
    complainant: { name: 'Ada Resident', address: '1 High Street, Norwich NR1 1AA', contactBy: 'post' },
    channel: 'letter',
  });
  return store.update(caseId, 1, {
    set: {
      lettersToPost: [{ letter: 'response-1', title: 'Our response', writtenAt: LETTER_WRITTEN }],
      designation: {
        at: '2026-06-01T10:00:00.000Z',
        by: 'nominated.officer@council.example',
        reason: 'Unreasonably persistent contact',
        restrictions: [],
        reviewBy: REVIEW_BY,
      },
    },
    event: { at: '2026-06-01T10:00:00.000Z', type: 'designated', actor: 'nominated.officer@council.example' },
  });
}

async function expiryOf(key: { PK: string; SK: string }): Promise<unknown> {
  const item = await table.item(key);
  expect(item).toBeDefined();
  return item?.expiresAt;
}

/** The expiry of the case item and of each of its two work-list entries. */
async function expiries(c: CaseRecord): Promise<unknown[]> {
  return [
    await expiryOf(caseKey(c.caseId)),
    await expiryOf(workListKey('post', `${LETTER_WRITTEN}#${c.caseId}#response-1`)),
    await expiryOf(workListKey('review', `${REVIEW_BY}#${c.caseId}`)),
  ];
}

const epoch = (iso: string) => Math.floor(Date.parse(iso) / 1000);

describe('work-list entries expire with their case', () => {
  it('gives a closed case’s entries its expiry, and moves it as the case reopens, closes with the Ombudsman and is held', async () => {
    // Prepare
    const open = await caseOnBothLists();
    expect(await expiries(open)).toEqual([undefined, undefined, undefined]);

    // Act: closed
    const closed = await store.update(open.caseId, open.version, {
      set: { status: 'closed', closedAt: '2026-07-01T09:00:00.000Z' },
      event: { at: '2026-07-01T09:00:00.000Z', type: 'closed', actor: 'workflow' },
    });

    // Assess: two years after the closure, like the case
    const twoYears = epoch('2028-07-01T09:00:00.000Z');
    expect(await expiries(closed)).toEqual([twoYears, twoYears, twoYears]);

    // Act: reopened, then closed again with the Ombudsman involved
    const reopened = await store.update(closed.caseId, closed.version, {
      set: { status: 'investigating' },
      remove: ['closedAt'],
      event: { at: '2026-08-01T09:00:00.000Z', type: 'reopened', actor: 'complaints@council.example' },
    });
    const whileOpen = await expiries(reopened);
    const closedAgain = await store.update(reopened.caseId, reopened.version, {
      set: { status: 'closed', closedAt: '2026-09-01T09:00:00.000Z', ombudsmanInvolved: true },
      event: { at: '2026-09-01T09:00:00.000Z', type: 'closed', actor: 'workflow' },
    });

    // Assess: no expiry while open; six years after the last closure
    expect(whileOpen).toEqual([undefined, undefined, undefined]);
    const sixYears = epoch('2032-09-01T09:00:00.000Z');
    expect(await expiries(closedAgain)).toEqual([sixYears, sixYears, sixYears]);

    // Act: a legal hold, then lifted
    const held = await store.update(closedAgain.caseId, closedAgain.version, {
      set: {
        legalHold: { at: '2026-10-01T09:00:00.000Z', by: 'dpo@council.example', reason: 'litigation' },
      },
      event: { at: '2026-10-01T09:00:00.000Z', type: 'legal-hold-placed', actor: 'dpo@council.example' },
    });
    const whileHeld = await expiries(held);
    const lifted = await store.update(held.caseId, held.version, {
      remove: ['legalHold'],
      event: { at: '2026-11-01T09:00:00.000Z', type: 'legal-hold-lifted', actor: 'dpo@council.example' },
    });

    // Assess
    expect(whileHeld).toEqual([undefined, undefined, undefined]);
    expect(await expiries(lifted)).toEqual([sixYears, sixYears, sixYears]);
  });

  it('gives an entry added to a case already closed (a letter written after closure) the case’s expiry', async () => {
    // Prepare
    const open = await caseOnBothLists();
    const closed = await store.update(open.caseId, open.version, {
      set: { status: 'closed', closedAt: '2026-07-01T09:00:00.000Z', lettersToPost: [] },
      event: { at: '2026-07-01T09:00:00.000Z', type: 'closed', actor: 'workflow' },
    });

    // Act
    const written = '2026-07-02T09:00:00.000Z';
    await store.update(closed.caseId, closed.version, {
      set: { lettersToPost: [{ letter: 'reissued-1', title: 'Our response', writtenAt: written }] },
      event: { at: written, type: 'letter-written', actor: 'workflow', detail: { letter: 'reissued-1' } },
    });

    // Assess
    expect(await expiryOf(workListKey('post', `${written}#${closed.caseId}#reissued-1`))).toBe(
      epoch('2028-07-01T09:00:00.000Z'),
    );
  });
});

describe('npm run worklists:index', () => {
  it('gives the entries an older version wrote their case’s expiry, and deletes those whose case is gone', async () => {
    // Prepare: entries as a version before expiring entries wrote them, of a closed case, of an
    // open one and of a case the table's TTL has deleted.
    const open = await caseOnBothLists();
    const closed = await store.update(open.caseId, open.version, {
      set: { status: 'closed', closedAt: '2026-07-01T09:00:00.000Z' },
      event: { at: '2026-07-01T09:00:00.000Z', type: 'closed', actor: 'workflow' },
    });
    const stillOpen = await caseOnBothLists();
    const goneId = randomUUID();
    const older = (c: { caseId: string; reference: string }, list: string, sort: string) =>
      raw.send(
        new PutCommand({
          TableName: tableName,
          Item: {
            ...workListKey(list, sort),
            entity: 'work-list',
            caseId: c.caseId,
            reference: c.reference,
            at: REVIEW_BY,
          },
        }),
      );
    await older(closed, 'review', `${REVIEW_BY}#${closed.caseId}`);
    await older(closed, 'post', `${LETTER_WRITTEN}#${closed.caseId}#response-1`);
    await older({ caseId: goneId, reference: 'CMP-2024-000001' }, 'review', `${REVIEW_BY}#${goneId}`);

    // Act
    const result = await store.indexWorkLists();

    // Assess
    const twoYears = epoch('2028-07-01T09:00:00.000Z');
    expect(await expiries(closed)).toEqual([twoYears, twoYears, twoYears]);
    expect(await expiries(stillOpen)).toEqual([undefined, undefined, undefined]);
    const gone = await raw.send(
      new GetCommand({
        TableName: tableName,
        Key: workListKey('review', `${REVIEW_BY}#${goneId}`),
        ConsistentRead: true,
      }),
    );
    expect(gone.Item).toBeUndefined();
    expect(result).toMatchObject({ updated: 2, removed: 1, changed: 0 });
  });
});

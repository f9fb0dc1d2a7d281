import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DynamoDbCaseStore } from '../../functions/adapters/dynamodb-case-store.js';
import { type CaseTableOnStandIns, startCaseTable } from '../support/case-table.js';
import { createStoredCase } from '../support/stored-case.js';

/**
 * The expiry of a long case's history against DynamoDB Local. A change that moves a case's expiry
 * (a legal hold, its lift, an Ombudsman enquiry, a reopening) moves its events' in the same
 * transaction as far as one transaction holds, and the rest one by one after it. A case gathers
 * an event for every view, note and email, so a hundred is ordinary. Should the table stop
 * answering part way through the rest, the case already says it is held, so placing the hold again
 * writes nothing: the later events kept their old expiry, and the table's TTL deleted them under
 * the hold. The case's next write must finish the move.
 */

let table: CaseTableOnStandIns;
/** Set to make the next UpdateItem of an event fail once (the table throttling it). */
let failNextEventUpdate = false;

beforeAll(async () => {
  table = await startCaseTable();
}, 120_000);

afterAll(async () => {
  await table?.stop();
});

/** The store over a client whose next UpdateItem of an event can be made to fail. */
function flakyStore(): DynamoDbCaseStore {
  return table.storeFailingEventUpdates(() => {
    const fail = failNextEventUpdate;
    failNextEventUpdate = false;
    return fail;
  });
}

const eventExpiries = (caseId: string) => table.eventExpiries(caseId);

describe('the expiry of a long history', () => {
  it('is moved on every event by the case’s next write when moving the rest failed part way', async () => {
    // Prepare: a closed case with 120 events.
    const store = flakyStore();
    const { caseId } = await createStoredCase(store, {
      complainant: { name: 'Ada Resident', email: 'ada@example.org' },
    });
    for (let i = 0; i < 118; i++) {
      await store.appendEvent(caseId, {
        at: '2026-03-03T10:00:00.000Z',
        type: 'viewed',
        actor: 'sam@council.example',
        detail: { what: 'case and contact details' },
      });
    }
    const closed = await store.update(caseId, 1, {
      set: { status: 'closed', closedAt: '2026-06-30T15:00:00.000Z' },
      event: { at: '2026-06-30T15:00:00.000Z', type: 'closed', actor: 'workflow' },
    });
    const twoYears = Math.floor(Date.parse('2028-06-30T15:00:00.000Z') / 1000);
    expect(new Set(await eventExpiries(caseId))).toEqual(new Set([twoYears]));

    // Act: a legal hold whose move of the later events stops part way
    failNextEventUpdate = true;
    const failed = await store
      .update(caseId, closed.version, {
        set: {
          legalHold: { at: '2026-07-01T09:00:00.000Z', by: 'dpo@council.example', reason: 'litigation' },
        },
        event: { at: '2026-07-01T09:00:00.000Z', type: 'legal-hold-placed', actor: 'dpo@council.example' },
      })
      .catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(Error);
    expect((await store.get(caseId))?.legalHold).toBeDefined();
    // The case's next write: someone opens it.
    await store.appendEvent(caseId, {
      at: '2026-07-01T10:00:00.000Z',
      type: 'viewed',
      actor: 'dpo@council.example',
      detail: { what: 'case and contact details' },
    });

    // Assess: no event of the held case expires
    const expiries = await eventExpiries(caseId);
    expect(expiries).toHaveLength(122);
    expect(expiries.filter((e) => e !== undefined)).toEqual([]);
  }, 120_000);
});

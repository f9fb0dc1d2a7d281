import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseKey } from '../../functions/adapters/case-table.js';
import { createCaseTable, DynamoDbCaseStore } from '../../functions/adapters/dynamodb-case-store.js';
import { DynamoDbReportCounters } from '../../functions/adapters/dynamodb-report-counters.js';
import {
  buildReportCounters,
  countCase,
  type ReportCountingDeps,
} from '../../functions/app/report-counting.js';
import type { CaseRecord } from '../../functions/domain/case.js';
import type { Policy } from '../../functions/domain/policy-schema.js';
import { CaseCounter, computePerformance, finishReport } from '../../functions/reports/compute.js';
import { CountersMovedOnError, countingBasis } from '../../functions/reports/counted.js';
import { financialYear, periodInstants } from '../../functions/reports/period.js';
import { makePolicy } from '../support/policy-fixture.js';
import { REPORT_AS_OF, REPORT_YEAR, reportCases, reportPolicy } from '../support/report-cases.js';
import { type StandIns, startStandIns } from '../support/stand-ins.js';

/**
 * The report's counters through a policy changed and rolled back, on DynamoDB Local: counters the
 * stream has left are never read again, and a rollback never adds a case to counters that hold it
 * already. Each test has a table of its own.
 */

/** The same council with its waste service moved to another directorate: other counts. */
const movedPolicy = makePolicy({
  council: 'Seeded Borough Council',
  routing: {
    services: reportPolicy.routing.services.map((s) =>
      s.id === 'waste' ? { ...s, directorate: 'Neighbourhoods' } : s,
    ),
  },
});

const YEAR = financialYear(REPORT_YEAR);

let standIns: StandIns;
let dynamo: DynamoDBClient;
let documents: DynamoDBDocumentClient;

beforeAll(async () => {
  standIns = await startStandIns(['dynamodb']);
  dynamo = new DynamoDBClient({});
  documents = DynamoDBDocumentClient.from(dynamo);
});

afterAll(async () => {
  dynamo?.destroy();
  await standIns?.stop();
});

interface Table {
  name: string;
  store: DynamoDbCaseStore;
  cases: CaseRecord[];
  /** What a deployment with `policy` counts with: the stream's function and `reports:count`. */
  deployed(policy: Policy): ReportCountingDeps & { counters: DynamoDbReportCounters };
}

/** A table with half the seeded year's cases: enough for every kind of count. */
async function freshTable(): Promise<Table> {
  const name = `cases-${randomUUID()}`;
  await createCaseTable(dynamo, name);
  const store = new DynamoDbCaseStore({ tableName: name });
  const cases = reportCases().slice(0, 30);
  for (const c of cases) await store.create(c, { at: c.createdAt, type: 'received', actor: 'resident' });
  return {
    name,
    store,
    cases,
    deployed: (policy) => ({
      store,
      counters: new DynamoDbReportCounters({ tableName: name, basis: countingBasis(policy) }),
      counter: new CaseCounter(policy),
    }),
  };
}

/** A batch of the stream under that deployment: each case settled into the generation it counts into. */
async function streamDelivers(deps: ReportCountingDeps, caseIds: string[]): Promise<void> {
  const into = await deps.counters.counting();
  for (const caseId of caseIds) await countCase(deps, into, caseId);
}

async function fromCases(t: Table, policy: Policy) {
  const { from, to } = periodInstants(YEAR);
  return computePerformance(t.store.receivedBetween(from, to), policy, { ...YEAR, asOf: REPORT_AS_OF });
}

async function fromCounters(deps: ReportCountingDeps, policy: Policy) {
  const counted = await deps.counters.figures(YEAR);
  if (counted === undefined) return undefined;
  return finishReport(policy, { ...YEAR, asOf: REPORT_AS_OF }, counted.figures, counted.repeat);
}

/** Moves a received date within the year: the case's day and its counts change. */
async function correctReceivedDate(t: Table, caseId: string, receivedAt: string): Promise<void> {
  const c = (await t.store.get(caseId)) as CaseRecord;
  await t.store.update(caseId, c.version, { set: { receivedAt } });
}

function wasteComplaints(t: Table): [CaseRecord, CaseRecord, CaseRecord] {
  return t.cases.filter(
    (c) => c.kind === 'complaint' && c.service === 'waste' && c.receivedAt >= '2025-04-01',
  ) as [CaseRecord, CaseRecord, CaseRecord];
}

describe('the report counters through a policy changed and rolled back', () => {
  it('never reads counters the stream left, and counts each case once when the policy comes back', async () => {
    // Prepare: the cases counted under the first policy.
    const t = await freshTable();
    const first = t.deployed(reportPolicy);
    const moved = t.deployed(movedPolicy);
    await buildReportCounters(first);
    expect(await fromCounters(first, reportPolicy)).toEqual(await fromCases(t, reportPolicy));
    const [a, b, gone] = wasteComplaints(t);

    // Act 1: the moved policy is deployed; its stream counts a changed case, and a case expires.
    await correctReceivedDate(t, a.caseId, '2025-10-01T10:00:00.000Z');
    await streamDelivers(moved, [a.caseId]);
    // The first policy's counters missed that change: not read, even by a function still on it.
    expect(await first.counters.built()).toBe(false);
    expect(await moved.counters.built()).toBe(false);
    await buildReportCounters(moved);
    expect(await fromCounters(moved, movedPolicy)).toEqual(await fromCases(t, movedPolicy));
    await documents.send(new DeleteCommand({ TableName: t.name, Key: caseKey(gone.caseId) }));
    await streamDelivers(moved, [gone.caseId]);

    // Act 2: rolled back. The stream comes back to the first policy with more changes.
    await correctReceivedDate(t, b.caseId, '2025-11-03T10:00:00.000Z');
    await streamDelivers(first, [b.caseId]);
    expect(await first.counters.figures(YEAR)).toBeUndefined();
    await correctReceivedDate(t, a.caseId, '2025-12-01T10:00:00.000Z');
    await streamDelivers(first, [a.caseId]);

    // Assess: `reports:count` builds the first policy's counters again from nothing: each case
    // once, the expired case not at all. The moved policy's are not read while the stream is not on them.
    await buildReportCounters(first);
    const report = await fromCounters(first, reportPolicy);
    expect(report).toEqual(await fromCases(t, reportPolicy));
    expect(report?.totals.received).toBe(t.cases.filter((c) => c.receivedAt >= '2025-04-01').length - 1);
    expect(await moved.counters.built()).toBe(false);
  });

  it('refuses to mark built a backfill the stream moved on from, and a write into a generation left behind', async () => {
    const t = await freshTable();
    const first = t.deployed(reportPolicy);
    const moved = t.deployed(movedPolicy);
    const [a] = wasteComplaints(t);
    await buildReportCounters(first);

    // `reports:count` for the moved policy begins before its deploy; the stream, still on the
    // first policy, counts a change the backfill may already have passed.
    const early = await moved.counters.rebuilding();
    for (const c of t.cases) await countCase(moved, early, c.caseId);
    await correctReceivedDate(t, a.caseId, '2025-10-01T10:00:00.000Z');
    await streamDelivers(first, [a.caseId]);

    await expect(early.markBuilt()).rejects.toThrow(CountersMovedOnError);
    expect(await moved.counters.built()).toBe(false);
    // A stream batch that began before another backfill writes nothing into the older generation.
    const stale = await first.counters.counting();
    await buildReportCounters(first);
    await expect(countCase(first, stale, a.caseId)).rejects.toThrow(CountersMovedOnError);
    expect(await fromCounters(first, reportPolicy)).toEqual(await fromCases(t, reportPolicy));
  });
});

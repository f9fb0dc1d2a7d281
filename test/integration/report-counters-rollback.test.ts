import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
import { countingBasis } from '../../functions/reports/counted.js';
import { financialYear, periodInstants } from '../../functions/reports/period.js';
import { makePolicy } from '../support/policy-fixture.js';
import { REPORT_AS_OF, REPORT_YEAR, reportCases, reportPolicy } from '../support/report-cases.js';
import { type StandIns, startStandIns } from '../support/stand-ins.js';

/**
 * A policy changed and then rolled back (DynamoDB Local): the counters of the first policy are
 * neither read stale nor made to count a case twice. Each basis keeps what it counted for each
 * case, and the stream's coming back to a basis leaves it unbuilt until `reports:count`.
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
let tableName: string;
let store: DynamoDbCaseStore;

beforeAll(async () => {
  standIns = await startStandIns(['dynamodb']);
  dynamo = new DynamoDBClient({});
  documents = DynamoDBDocumentClient.from(dynamo);
  tableName = `cases-${randomUUID()}`;
  await createCaseTable(dynamo, tableName);
  store = new DynamoDbCaseStore({ tableName });
});

afterAll(async () => {
  dynamo?.destroy();
  await standIns?.stop();
});

/** What a deployment with `policy` counts with: the stream's function and `reports:count`. */
function deployed(policy: Policy): ReportCountingDeps & { counters: DynamoDbReportCounters } {
  return {
    store,
    counters: new DynamoDbReportCounters({ tableName, basis: countingBasis(policy) }),
    counter: new CaseCounter(policy),
  };
}

/** A batch of the stream under that deployment: its basis claimed, then each case settled. */
async function streamDelivers(deps: ReportCountingDeps, caseIds: string[]): Promise<void> {
  await deps.counters.claim();
  for (const caseId of caseIds) await countCase(deps, caseId);
}

async function fromCases(policy: Policy) {
  const { from, to } = periodInstants(YEAR);
  return computePerformance(store.receivedBetween(from, to), policy, { ...YEAR, asOf: REPORT_AS_OF });
}

async function fromCounters(deps: ReportCountingDeps, policy: Policy) {
  const counted = await deps.counters.figures(YEAR);
  if (counted === undefined) return undefined;
  return finishReport(policy, { ...YEAR, asOf: REPORT_AS_OF }, counted.figures, counted.repeat);
}

/** Moves a received date within the year: the case's day and its counts change. */
async function correctReceivedDate(caseId: string, receivedAt: string): Promise<void> {
  const c = (await store.get(caseId)) as CaseRecord;
  await store.update(caseId, c.version, { set: { receivedAt } });
}

describe('the report counters through a policy changed and rolled back', () => {
  it('never reads a basis the stream left, and counts each case once when it comes back', async () => {
    // Prepare: half the year's cases (enough for every kind of count), counted under the first policy.
    const cases = reportCases().slice(0, 30);
    for (const c of cases) await store.create(c, { at: c.createdAt, type: 'received', actor: 'resident' });
    const first = deployed(reportPolicy);
    const moved = deployed(movedPolicy);
    await buildReportCounters(first);
    expect(await fromCounters(first, reportPolicy)).toEqual(await fromCases(reportPolicy));
    const [a, b] = cases.filter((c) => c.kind === 'complaint' && c.service === 'waste') as [
      CaseRecord,
      CaseRecord,
    ];

    // Act 1: the moved policy is deployed; its stream counts a changed case.
    await correctReceivedDate(a.caseId, '2025-10-01T10:00:00.000Z');
    await streamDelivers(moved, [a.caseId]);

    // The first policy's counters missed that change: not read, even by a function still on it.
    expect(await first.counters.built()).toBe(false);
    expect(await moved.counters.built()).toBe(false);
    await buildReportCounters(moved);
    expect(await fromCounters(moved, movedPolicy)).toEqual(await fromCases(movedPolicy));

    // Act 2: rolled back. The stream comes back to the first policy with more changes.
    await correctReceivedDate(b.caseId, '2025-11-03T10:00:00.000Z');
    await streamDelivers(first, [b.caseId]);
    expect(await first.counters.built()).toBe(false);
    expect(await first.counters.figures(YEAR)).toBeUndefined();
    await correctReceivedDate(a.caseId, '2025-12-01T10:00:00.000Z');
    await streamDelivers(first, [a.caseId]);

    // Assess: `reports:count` brings the first policy's counters up to date, each case once.
    const rebuilt = await buildReportCounters(first);
    expect(rebuilt.changed).toBe(0);
    const report = await fromCounters(first, reportPolicy);
    expect(report).toEqual(await fromCases(reportPolicy));
    expect(report?.totals.received).toBe(cases.filter((c) => c.receivedAt >= '2025-04-01').length);
    // The moved policy's counters are left as the stream left them: not read until counted again.
    expect(await moved.counters.built()).toBe(false);
  });

  it('settles a record written before each basis had its own entry as it was counted', async () => {
    const deps = deployed(reportPolicy);
    // Counters built before the stream said which basis it counts under: the first claim keeps them.
    await deps.counters.markBuilt();
    await documents.send(
      new DeleteCommand({ TableName: tableName, Key: { PK: 'REPORT#ACTIVE', SK: 'ACTIVE' } }),
    );
    await deps.counters.claim();
    expect(await deps.counters.built()).toBe(true);

    const c = reportCases()[0] as CaseRecord;
    const caseId = `legacy-${randomUUID()}`;
    await store.create(
      { ...c, caseId, reference: 'CMP-2025-900001' },
      { at: c.createdAt, type: 'received', actor: 'resident' },
    );
    await streamDelivers(deps, [caseId]);
    const key = { PK: `REPORTED#${caseId}`, SK: 'REPORTED' };
    const { Item: current } = await documents.send(new GetCommand({ TableName: tableName, Key: key }));
    // As the version before wrote it: one basis, its day and counts at the top.
    const { counted: _counted, complainantDay: _day, ...legacy } = current as Record<string, unknown>;
    await documents.send(new PutCommand({ TableName: tableName, Item: legacy }));

    expect(await countCase(deps, caseId)).toBe('unchanged');
    await correctReceivedDate(caseId, '2025-09-09T10:00:00.000Z');
    expect(await countCase(deps, caseId)).toBe('changed');
    const { Item: after } = await documents.send(new GetCommand({ TableName: tableName, Key: key }));
    expect(Object.keys(after?.counted as object)).toEqual([countingBasis(reportPolicy)]);
  });
});

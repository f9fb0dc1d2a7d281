import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { DeleteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Context, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseKey } from '../../functions/adapters/case-table.js';
import {
  caseOfStreamRecord,
  createCaseTable,
  DynamoDbCaseStore,
} from '../../functions/adapters/dynamodb-case-store.js';
import { DynamoDbReportCounters } from '../../functions/adapters/dynamodb-report-counters.js';
import { provideAdapters, resetAdapters } from '../../functions/app/container.js';
import { buildReportCounters, isCountedCaseRecord } from '../../functions/app/report-counting.js';
import { CASE_STREAM_VIEW_TYPE } from '../../functions/app/workflow-starter.js';
import type { CaseRecord } from '../../functions/domain/case.js';
import { tombstoneOf } from '../../functions/domain/legal-hold.js';
import { handler } from '../../functions/handlers/case-changes.js';
import {
  CaseCounter,
  computePerformance,
  finishReport,
  type PerformanceReport,
} from '../../functions/reports/compute.js';
import { type Counting, countingBasis, type ReportCounterStore } from '../../functions/reports/counted.js';
import { financialYear, type Period, periodInstants } from '../../functions/reports/period.js';
import { LOCAL_AWS_ENV } from '../../infra/local/stand-ins/index.js';
import {
  enableStream,
  type RunningStreamPoller,
  startStreamPoller,
} from '../../infra/local/stream-poller.js';
import { REPORT_AS_OF, REPORT_YEAR, reportCases, reportPolicy } from '../support/report-cases.js';
import { type StandIns, startStandIns } from '../support/stand-ins.js';
import { typeStreamImage } from '../support/typed-stream-images.js';

/**
 * The public report from the counters the table's stream keeps, against the report from reading
 * every case, on DynamoDB Local with its real stream, the poller `npm start` uses and the deployed
 * `case-changes` handler: the seeded year (every figure, suppression included), cases from
 * before the counters built by the backfill while the stream delivers them too, changes after,
 * a batch delivered twice, a batch that fails and is retried, an erased case (its counts stay,
 * anonymised; its complainant no longer counts as repeat contact), a case whose received date
 * is corrected and one the table's TTL deletes.
 */

let standIns: StandIns;
let dynamo: DynamoDBClient;
let documents: DynamoDBDocumentClient;
let streams: DynamoDBStreamsClient;
let tableName: string;
let streamArn: string;
let store: DynamoDbCaseStore;
let counters: DynamoDbReportCounters;
let poller: RunningStreamPoller;
let dir: string;
/** Every batch the poller handed the handler, as Lambda would. */
const delivered: DynamoDBStreamEvent[] = [];

const YEAR = financialYear(REPORT_YEAR);
const PERIODS: Period[] = [
  YEAR,
  { from: '2025-06-02', to: '2025-06-02' },
  { from: '2025-06-03', to: '2025-12-22' },
  { from: '2025-12-22', to: '2026-03-31' },
  { from: '2025-06-01', to: '2025-06-30' },
  { from: '2025-05-15', to: '2025-07-14' },
];

beforeAll(async () => {
  standIns = await startStandIns(['dynamodb']);
  dynamo = new DynamoDBClient({});
  documents = DynamoDBDocumentClient.from(dynamo);
  streams = new DynamoDBStreamsClient({ endpoint: standIns.dynamodb?.endpoint });
  tableName = `cases-${randomUUID()}`;
  await createCaseTable(dynamo, tableName);
  streamArn = await enableStream(dynamo, tableName, CASE_STREAM_VIEW_TYPE);
  store = new DynamoDbCaseStore({ tableName });
  counters = new DynamoDbReportCounters({ tableName, basis: countingBasis(reportPolicy) });
  provideAdapters({ store, policy: reportPolicy, reportCounters: counters });
  dir = mkdtempSync(join(tmpdir(), 'redress-counters-'));
  poller = startStreamPoller({
    client: streams,
    streamArn,
    region: LOCAL_AWS_ENV.AWS_REGION,
    positionFile: join(dir, 'position.json'),
    filter: isCountedCaseRecord,
    // Polled by hand below, not on a timer.
    intervalMs: 3_600_000,
    handler: async (event) => {
      for (const record of event.Records) typeImage(record);
      delivered.push(structuredClone(event));
      return handler(event, { awsRequestId: `counters-${delivered.length}` } as Context);
    },
  });
});

afterAll(async () => {
  await poller?.stop();
  resetAdapters();
  streams?.destroy();
  dynamo?.destroy();
  await standIns?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Case changes delivered, and how many of them were counted from their image. */
const images = { delivered: 0, readable: 0 };

/** Types the image as DynamoDB does (`typeStreamImage`) and notes whether it can be counted from. */
function typeImage(record: DynamoDBRecord): void {
  typeStreamImage(record);
  if (record.dynamodb?.NewImage === undefined) return;
  images.delivered += 1;
  if (caseOfStreamRecord(record) !== undefined) images.readable += 1;
}

/** Polls until a poll hands over nothing new (a failed record is retried on the next poll). */
async function drain(): Promise<void> {
  for (let i = 0; i < 20; i++) {
    const before = delivered.length;
    await poller.poll();
    if (delivered.length === before) return;
  }
}

async function fromCases(period: Period): Promise<PerformanceReport> {
  const { from, to } = periodInstants(period);
  return computePerformance(store.receivedBetween(from, to), reportPolicy, { ...period, asOf: REPORT_AS_OF });
}

async function fromCounters(period: Period): Promise<PerformanceReport> {
  const counted = await counters.figures(period);
  if (counted === undefined) throw new Error('the counters are not built');
  return finishReport(reportPolicy, { ...period, asOf: REPORT_AS_OF }, counted.figures, counted.repeat);
}

async function expectSameFigures(): Promise<void> {
  for (const period of PERIODS) {
    expect(await fromCounters(period), `${period.from} to ${period.to}`).toEqual(await fromCases(period));
  }
}

async function storeCases(cases: CaseRecord[]): Promise<void> {
  for (const c of cases) await store.create(c, { at: c.createdAt, type: 'received', actor: 'resident' });
}

/** A store of counters that fails each case's first settle, as a throttled or cut-off write would. */
function failingOnce(inner: ReportCounterStore): ReportCounterStore {
  const failed = new Set<string>();
  const failingFirst = (into: Counting): Counting => ({
    settle: async (caseId, version, contribution) => {
      if (!failed.has(caseId)) {
        failed.add(caseId);
        throw new Error('the write did not go through');
      }
      return into.settle(caseId, version, contribution);
    },
  });
  return {
    counting: async () => failingFirst(await inner.counting()),
    rebuilding: async () => {
      const into = await inner.rebuilding();
      return { ...failingFirst(into), markBuilt: () => into.markBuilt() };
    },
    figures: (period) => inner.figures(period),
    built: () => inner.built(),
    caseIds: () => inner.caseIds(),
  };
}

describe('the public report from counters kept by the case table’s stream (DynamoDB Local)', () => {
  it('gives the same figures as reading every case, through backfill, redelivery, retries, erasure and expiry', async () => {
    // Prepare: the first half of the year exists before the counters; nothing is read from them yet.
    const cases = reportCases();
    const half = Math.floor(cases.length / 2);
    await storeCases(cases.slice(0, half));
    expect(await counters.figures(YEAR)).toBeUndefined();

    // Act: the backfill counts them while the stream delivers the same cases again.
    const [built] = await Promise.all([
      buildReportCounters({ store, counters, counter: new CaseCounter(reportPolicy) }, { concurrency: 4 }),
      drain(),
    ]);
    expect(built.cases).toBe(half);
    await expectSameFigures();

    // The rest arrive through the stream; each first write fails once and is retried.
    provideAdapters({ reportCounters: failingOnce(counters) });
    await storeCases(cases.slice(half));
    await drain();
    provideAdapters({ reportCounters: counters });
    await drain();
    await expectSameFigures();

    // A batch delivered again changes nothing.
    const before = await fromCounters(YEAR);
    const again = await handler(delivered[0] as DynamoDBStreamEvent, { awsRequestId: 'again' } as Context);
    expect(again).toEqual({ batchItemFailures: [] });
    expect(await fromCounters(YEAR)).toEqual(before);

    // Cases change: an open complaint is answered, a received date is corrected, a repeat
    // complainant's case is erased, and a case leaves the table at the end of its retention.
    const stored = await Promise.all(cases.map((c) => store.get(c.caseId)));
    const open = stored.find(
      (c) => c?.kind === 'complaint' && c.progress.stage1.acknowledgedAt && !c.progress.stage1.respondedAt,
    ) as CaseRecord;
    await store.update(open.caseId, open.version, {
      set: {
        progress: {
          ...open.progress,
          stage1: { ...open.progress.stage1, respondedAt: '2026-03-20T10:00:00.000Z' },
        },
      },
    });
    const moved = stored.find((c) => c?.kind === 'compliment') as CaseRecord;
    await store.update(moved.caseId, moved.version, { set: { receivedAt: '2025-09-01T10:00:00.000Z' } });
    const byEmail = new Map<string, CaseRecord[]>();
    for (const c of stored) {
      const email = c?.complainant.email?.toLowerCase();
      if (c && email) byEmail.set(email, [...(byEmail.get(email) ?? []), c]);
    }
    const inYear = (c: CaseRecord) =>
      c.receivedAt >= '2025-04-01T00:00:00Z' && c.receivedAt < '2026-03-31T00:00:00Z';
    const repeated = [...byEmail.values()].find(
      (list) => list.length === 2 && list.every(inYear),
    )?.[0] as CaseRecord;
    const at = '2026-03-24T12:00:00.000Z';
    await store.erase(
      repeated.caseId,
      repeated.version,
      tombstoneOf(repeated, { at, by: 'dpo@example.gov.uk', ground: 'objection' }),
      {
        at,
        type: 'erased',
        actor: 'dpo@example.gov.uk',
      },
    );
    const alone = (c: CaseRecord) =>
      (byEmail.get(c.complainant.email?.toLowerCase() ?? '')?.length ?? 0) <= 1;
    const expired = stored.find(
      (c) => c?.kind === 'complaint' && inYear(c) && alone(c) && c.caseId !== open.caseId,
    ) as CaseRecord;
    await documents.send(new DeleteCommand({ TableName: tableName, Key: caseKey(expired.caseId) }));
    await drain();

    // Assess: still the same figures, for the year and for periods cut through months.
    await expectSameFigures();
    const year = await fromCounters(YEAR);
    expect(year.totals.received).toBe((before.totals.received as number) - 1);
    // The erased case still counts, anonymised; its complainant no longer repeats: 5 become 4, withheld.
    expect(before.repeatContact.complainants).toBe(5);
    expect(year.repeatContact.complainants).toEqual({ suppressed: true });
    expect(year.suppression.applied).toBe(true);
    // Every case change was counted from its image, as on AWS, and the figures held.
    expect(images.readable).toBe(images.delivered);
    // Rebuilding counts every case into new counters, from nothing, and ends on the same figures.
    const rebuilt = await buildReportCounters({ store, counters, counter: new CaseCounter(reportPolicy) });
    expect(rebuilt.changed).toBe(rebuilt.cases);
    expect(await fromCounters(YEAR)).toEqual(year);
  });
});

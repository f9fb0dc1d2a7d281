import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  ScanCommand,
} from '@aws-sdk/lib-dynamodb';
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
import {
  CaseCounter,
  complainantDigest,
  computePerformance,
  finishReport,
} from '../../functions/reports/compute.js';
import { CountersMovedOnError, countingBasis } from '../../functions/reports/counted.js';
import { financialYear, periodInstants } from '../../functions/reports/period.js';
import { DayReportCounters } from '../support/day-report-counters.js';
import { MonthReportCounters } from '../support/month-report-counters.js';
import { makePolicy } from '../support/policy-fixture.js';
import { PreviousReportCounters } from '../support/previous-report-counters.js';
import { REPORT_AS_OF, REPORT_YEAR, reportCases, reportPolicy } from '../support/report-cases.js';
import { type StandIns, startStandIns } from '../support/stand-ins.js';

/**
 * The report's counters in generations, on DynamoDB Local: a policy changed and rolled back, the
 * version before generations on the same table (`previous-report-counters.ts`), the versions that
 * kept month items (`month-report-counters.ts`) and day items on 32 shards
 * (`day-report-counters.ts`) upgraded from and rolled back to, two backfills at
 * once, a removal the stream gave up on. Counters the stream left are never read again, a case is
 * never counted twice, and whatever the counters say while built is what the cases say. Each
 * test has a table of its own.
 */

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
  deployed(policy: Policy): ReportCountingDeps & { counters: DynamoDbReportCounters };
  previous(policy: Policy): PreviousReportCounters;
  /** The version that kept month items, as its stream function and `reports:count` ran it. */
  withMonths(policy: Policy): ReportCountingDeps & { counters: MonthReportCounters };
  /** The version that kept day items on 32 shards, as its stream function and `reports:count` ran it. */
  onDays32(policy: Policy): ReportCountingDeps & { counters: DayReportCounters };
}

async function freshTable(n = 30): Promise<Table> {
  const name = `cases-${randomUUID()}`;
  await createCaseTable(dynamo, name);
  const store = new DynamoDbCaseStore({ tableName: name });
  const cases = reportCases().slice(0, n);
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
    previous: (policy) => new PreviousReportCounters({ tableName: name, basis: countingBasis(policy) }),
    withMonths: (policy) => ({
      store,
      counters: new MonthReportCounters({ tableName: name, basis: countingBasis(policy) }),
      counter: new CaseCounter(policy),
    }),
    onDays32: (policy) => ({
      store,
      counters: new DayReportCounters({ tableName: name, basis: countingBasis(policy) }),
      counter: new CaseCounter(policy),
    }),
  };
}

async function streamDelivers(deps: ReportCountingDeps, caseIds: string[]): Promise<void> {
  const into = await deps.counters.counting();
  for (const caseId of caseIds) await countCase(deps, into, caseId);
}

/** The previous code's stream function settling cases as the table holds them. */
async function previousStreamDelivers(t: Table, policy: Policy, caseIds: string[]): Promise<void> {
  const counters = t.previous(policy);
  const counter = new CaseCounter(policy);
  for (const caseId of caseIds) {
    const c = await t.store.get(caseId);
    if (c === undefined) await counters.settle(caseId, Number.MAX_SAFE_INTEGER, undefined);
    else await counters.settle(caseId, c.version, counter.contribution(c));
  }
}

/** The previous code's `reports:count`: every case settled, then BUILT. */
async function previousReportsCount(t: Table, policy: Policy): Promise<void> {
  const counters = t.previous(policy);
  const ids: string[] = [];
  for await (const id of counters.caseIds()) ids.push(id);
  await previousStreamDelivers(t, policy, ids);
  await counters.markBuilt();
}

async function fromCases(t: Table, policy: Policy) {
  const { from, to } = periodInstants(YEAR);
  return computePerformance(t.store.receivedBetween(from, to), policy, { ...YEAR, asOf: REPORT_AS_OF });
}

type Figures = { built(): Promise<boolean>; figures: DynamoDbReportCounters['figures'] };

async function fromCounters(counters: Figures, policy: Policy) {
  const counted = await counters.figures(YEAR);
  if (counted === undefined) return undefined;
  return finishReport(policy, { ...YEAR, asOf: REPORT_AS_OF }, counted.figures, counted.repeat);
}

/** Whatever the report shows from the counters (when built) is what the cases say. */
async function expectNeverWrong(t: Table, counters: Figures, policy: Policy): Promise<void> {
  const counted = await fromCounters(counters, policy);
  if (counted !== undefined) expect(counted).toEqual(await fromCases(t, policy));
}

async function correctReceivedDate(t: Table, caseId: string, receivedAt: string): Promise<void> {
  const c = (await t.store.get(caseId)) as CaseRecord;
  await t.store.update(caseId, c.version, { set: { receivedAt } });
}

function wasteComplaints(t: Table): [CaseRecord, CaseRecord, CaseRecord] {
  return t.cases.filter(
    (c) => c.kind === 'complaint' && c.service === 'waste' && c.receivedAt >= '2025-04-01',
  ) as [CaseRecord, CaseRecord, CaseRecord];
}

describe('the counters in generations and the version before them', () => {
  it('leaves the version before generations reading cases if a deploy is rolled back after the stream counted a change', async () => {
    const t = await freshTable();
    await previousReportsCount(t, reportPolicy);
    await expectNeverWrong(t, t.previous(reportPolicy), reportPolicy);
    const n = t.deployed(reportPolicy);

    // This version's stream function counts one change (ACTIVE moves to <basis>.1) ...
    const [a] = wasteComplaints(t);
    await correctReceivedDate(t, a.caseId, '2026-04-15T10:00:00.000Z');
    await streamDelivers(n, [a.caseId]);
    // ... then the deploy fails and the previous version is back: its counters missed that change,
    // and its report no longer reads them.
    expect(await t.previous(reportPolicy).built()).toBe(false);
    expect(await n.counters.built()).toBe(false);
  });

  it('never reads counters from before generations, which may have missed changes (A→B→A on the version before)', async () => {
    const t = await freshTable();
    // Previous code: moved policy built, then rolled back to the first, with a change meanwhile.
    await previousReportsCount(t, movedPolicy);
    await previousReportsCount(t, reportPolicy);
    const [a] = wasteComplaints(t);
    await correctReceivedDate(t, a.caseId, '2026-04-15T10:00:00.000Z');
    await previousStreamDelivers(t, reportPolicy, [a.caseId]);

    // This version deployed together with the moved policy: before its stream's first batch too.
    const n = t.deployed(movedPolicy);
    expect(await n.counters.built()).toBe(false);
    await buildReportCounters(n);
    expect(await n.counters.built()).toBe(true);
    await expectNeverWrong(t, n.counters, movedPolicy);
  });
});

describe('writers of different generations', () => {
  it('counts a case in the newer of two backfills at once though the older counted a later version of it (an outbox mark the stream never delivers)', async () => {
    const t = await freshTable(10);
    const deps = t.deployed(reportPolicy);
    await buildReportCounters(deps);
    const y = t.cases[0] as CaseRecord;

    // A first reports:count (or the local runtime's background build) is running ...
    const older = await deps.counters.rebuilding();
    // ... a second starts, and reads case y before the first reaches it.
    const newer = await deps.counters.rebuilding();
    const read = (await t.store.get(y.caseId)) as CaseRecord;
    // A step marks its outbox: a new version, no counted change, no stream record for the counters.
    await t.store.update(y.caseId, read.version, { set: { effects: {} } });
    // The older run reaches y: reads it at the new version and settles into its generation.
    await countCase(deps, older, y.caseId);
    // The newer run settles what it read: behind the older run's count, so it reads the case again.
    expect(await newer.settle(y.caseId, read.version, deps.counter.contribution(read))).toBe('behind');
    expect(await countCase(deps, newer, y.caseId, read)).toBe('changed');
    for (const c of t.cases.slice(1)) await countCase(deps, newer, c.caseId);
    await newer.markBuilt();

    expect(await deps.counters.built()).toBe(true);
    await expectNeverWrong(t, deps.counters, reportPolicy);
  });
});

describe('what reports:count mends', () => {
  it('lets a complainant’s days go of a case whose removal the stream gave up on, when reports:count runs', async () => {
    const t = await freshTable(100);
    const deps = t.deployed(reportPolicy);
    await buildReportCounters(deps);
    // A case of a complainant with two cases in the year.
    const inYear = t.cases.filter((c) => c.receivedAt >= '2025-04-01' && c.receivedAt < '2026-04-01');
    const byWho = new Map<string, CaseRecord[]>();
    for (const c of inYear) {
      const who = complainantDigest(c);
      if (who) byWho.set(who, [...(byWho.get(who) ?? []), c]);
    }
    const repeat = [...byWho.values()].find((cs) => cs.length >= 2);
    expect(repeat).toBeDefined();
    const gone = (repeat as CaseRecord[])[0] as CaseRecord;
    await expectNeverWrong(t, deps.counters, reportPolicy);

    // Erased or expired; the stream's record of it is given up after its retries (the alarm fires).
    await documents.send(new DeleteCommand({ TableName: t.name, Key: caseKey(gone.caseId) }));
    await buildReportCounters(deps);
    expect(await deps.counters.built()).toBe(true);
    await expectNeverWrong(t, deps.counters, reportPolicy);
  });
});

describe('policies changed and rolled back', () => {
  it('never reads counters the stream left, and counts each case once when the policy comes back', async () => {
    // Prepare: the cases counted under the first policy.
    const t = await freshTable();
    const first = t.deployed(reportPolicy);
    const moved = t.deployed(movedPolicy);
    await buildReportCounters(first);
    expect(await fromCounters(first.counters, reportPolicy)).toEqual(await fromCases(t, reportPolicy));
    const [a, b, gone] = wasteComplaints(t);

    // Act 1: the moved policy is deployed; its stream counts a changed case, and a case expires.
    await correctReceivedDate(t, a.caseId, '2025-10-01T10:00:00.000Z');
    await streamDelivers(moved, [a.caseId]);
    // The first policy's counters missed that change: not read, even by a function still on it.
    expect(await first.counters.built()).toBe(false);
    expect(await moved.counters.built()).toBe(false);
    await buildReportCounters(moved);
    expect(await fromCounters(moved.counters, movedPolicy)).toEqual(await fromCases(t, movedPolicy));
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
    const report = await fromCounters(first.counters, reportPolicy);
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
    expect(await fromCounters(first.counters, reportPolicy)).toEqual(await fromCases(t, reportPolicy));
  });

  it('A→B→A→B with dates moved, a complainant changed and a stale record redelivered: every built generation matches the cases', async () => {
    const t = await freshTable(30);
    const first = t.deployed(reportPolicy);
    const moved = t.deployed(movedPolicy);
    const [a, b] = wasteComplaints(t);
    const other = t.cases.find((c) => c.complainant.email && c.complainant.email !== b.complainant.email);
    await buildReportCounters(first);
    const phases: [ReturnType<Table['deployed']>, Policy, string][] = [
      [moved, movedPolicy, '2025-10-01T10:00:00.000Z'],
      [first, reportPolicy, '2025-11-03T10:00:00.000Z'],
      [moved, movedPolicy, '2026-04-15T10:00:00.000Z'],
    ];
    for (const [i, [deps, policy, receivedAt]] of phases.entries()) {
      const before = (await t.store.get(b.caseId)) as CaseRecord;
      await correctReceivedDate(t, a.caseId, receivedAt);
      await streamDelivers(deps, [a.caseId]);
      const email = i % 2 === 0 ? other?.complainant.email : b.complainant.email;
      const now = (await t.store.get(b.caseId)) as CaseRecord;
      await t.store.update(b.caseId, now.version, { set: { complainant: { ...b.complainant, email } } });
      await streamDelivers(deps, [b.caseId]);
      const into = await deps.counters.counting();
      expect(await into.settle(b.caseId, before.version, deps.counter.contribution(before))).toBe(
        'superseded',
      );
      await expectNeverWrong(t, deps.counters, policy);
      await buildReportCounters(deps);
      expect(await deps.counters.built()).toBe(true);
      await expectNeverWrong(t, deps.counters, policy);
      expect(await first.counters.built()).toBe(deps === first);
    }
  });
});

describe('64 shards, and the version that kept day items on 32', () => {
  it('takes over the generation the version on 32 shards built, without a backfill: the report adds up the same before and after, and after changes counted on the new shards', async () => {
    const t = await freshTable();
    const before = t.onDays32(reportPolicy);
    await buildReportCounters(before);
    // Its stream counts one more change before the deploy.
    const [a, b, c] = wasteComplaints(t);
    await correctReceivedDate(t, c.caseId, '2025-09-01T10:00:00.000Z');
    await streamDelivers(before, [c.caseId]);
    const reportBefore = await fromCounters(before.counters, reportPolicy);
    expect(reportBefore).toEqual(await fromCases(t, reportPolicy));
    expect(Math.max(...(await counterShards(t)))).toBeLessThan(32);

    // Upgraded: its report reads the counters at once, every one of 64 shards, before the stream's first batch.
    const n = t.deployed(reportPolicy);
    expect(await n.counters.built()).toBe(true);
    expect(await fromCounters(n.counters, reportPolicy)).toEqual(reportBefore);
    // The stream counts changes into the same generation on 64 shards: a case's earlier counts
    // stay on its shard among 32, the difference goes to its shard among 64.
    const moved = t.cases.filter((x) => x.receivedAt >= '2025-04-01' && x.caseId !== c.caseId);
    for (const x of moved) await correctReceivedDate(t, x.caseId, '2025-05-02T10:00:00.000Z');
    // One moved out of the year, so the year's figures change.
    await correctReceivedDate(t, a.caseId, '2024-12-10T10:00:00.000Z');
    await correctReceivedDate(t, b.caseId, '2025-05-03T10:00:00.000Z');
    await streamDelivers(
      n,
      moved.map((x) => x.caseId),
    );
    expect(Math.max(...(await counterShards(t)))).toBeGreaterThanOrEqual(32);
    expect(await n.counters.built()).toBe(true);
    const reportAfter = await fromCounters(n.counters, reportPolicy);
    expect(reportAfter).toEqual(await fromCases(t, reportPolicy));
    expect(reportAfter).not.toEqual(reportBefore);
    // A change the version on 32 shards counted, delivered again after the upgrade, is not counted twice.
    const into = await n.counters.counting();
    expect(await countCase(n, into, c.caseId)).toBe('unchanged');
    await expectNeverWrong(t, n.counters, reportPolicy);
  });

  it('leaves the version on 32 shards reading cases once this version counted on 64, and takes its generation back', async () => {
    const t = await freshTable();
    const before = t.onDays32(reportPolicy);
    await buildReportCounters(before);
    const n = t.deployed(reportPolicy);
    const [a, b] = wasteComplaints(t);
    await correctReceivedDate(t, a.caseId, '2026-02-10T10:00:00.000Z');
    await streamDelivers(n, [a.caseId]);

    // Rolled back: it would read only 32 of the shards counted into, so it reads none.
    expect(await before.counters.built()).toBe(false);
    expect(await before.counters.figures(YEAR)).toBeUndefined();
    // Its stream counts a change: into a new generation, from nothing.
    await correctReceivedDate(t, b.caseId, '2025-11-03T10:00:00.000Z');
    await streamDelivers(before, [b.caseId]);
    expect(await before.counters.built()).toBe(false);
    expect(await n.counters.built()).toBe(false);

    // Upgraded again: this version takes that generation over, and reports:count builds it.
    await streamDelivers(n, [a.caseId, b.caseId]);
    await buildReportCounters(n);
    expect(await n.counters.built()).toBe(true);
    expect(await before.counters.built()).toBe(false);
    await expectNeverWrong(t, n.counters, reportPolicy);
    expect(await fromCounters(n.counters, reportPolicy)).toEqual(await fromCases(t, reportPolicy));
  });

  it('refuses to mark built a backfill of the version on 32 shards once this version counts into its generation', async () => {
    const t = await freshTable();
    const before = t.onDays32(reportPolicy);
    const n = t.deployed(reportPolicy);

    // reports:count of the version before begins; this version is deployed and its stream counts a change.
    const early = await before.counters.rebuilding();
    for (const c of t.cases) await countCase(before, early, c.caseId);
    const [a] = wasteComplaints(t);
    await correctReceivedDate(t, a.caseId, '2025-10-01T10:00:00.000Z');
    await streamDelivers(n, [a.caseId]);

    await expect(early.markBuilt()).rejects.toThrow(CountersMovedOnError);
    expect(await before.counters.built()).toBe(false);
    expect(await n.counters.built()).toBe(false);
    await buildReportCounters(n);
    expect(await n.counters.built()).toBe(true);
    expect(await fromCounters(n.counters, reportPolicy)).toEqual(await fromCases(t, reportPolicy));
  });

  it('never reads a generation kept on more shards than it reads (a later version rolled back from), and counts into a new one', async () => {
    const t = await freshTable();
    const n = t.deployed(reportPolicy);
    await buildReportCounters(n);
    const active = await documents.send(
      new GetCommand({ TableName: t.name, Key: { PK: 'REPORT#ACTIVE', SK: 'ACTIVE' }, ConsistentRead: true }),
    );
    const generation = Number(active.Item?.generation);
    // A later version took it over on 128 shards, and built it.
    const later = `${countingBasis(reportPolicy)}/days/128`;
    await documents.send(
      new PutCommand({
        TableName: t.name,
        Item: { PK: 'REPORT#ACTIVE', SK: 'ACTIVE', basis: later, generation },
      }),
    );
    expect(await n.counters.built()).toBe(false);
    expect(await n.counters.figures(YEAR)).toBeUndefined();
    const [a] = wasteComplaints(t);
    await correctReceivedDate(t, a.caseId, '2025-10-01T10:00:00.000Z');
    await streamDelivers(n, [a.caseId]);
    const moved = await documents.send(
      new GetCommand({ TableName: t.name, Key: { PK: 'REPORT#ACTIVE', SK: 'ACTIVE' }, ConsistentRead: true }),
    );
    expect(moved.Item).toMatchObject({
      basis: `${countingBasis(reportPolicy)}/days/64`,
      generation: generation + 1,
    });
    expect(await n.counters.built()).toBe(false);
    await buildReportCounters(n);
    expect(await fromCounters(n.counters, reportPolicy)).toEqual(await fromCases(t, reportPolicy));
  });
});

/** The shard of every counter item in the table (`REPORT#<generation>#<shard>`). */
async function counterShards(t: Table): Promise<number[]> {
  const shards: number[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await documents.send(
      new ScanCommand({
        TableName: t.name,
        ConsistentRead: true,
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    for (const item of page.Items ?? []) {
      const shard = /^REPORT#.+#(\d+)$/.exec(String(item.PK));
      if (shard) shards.push(Number(shard[1]));
    }
    start = page.LastEvaluatedKey;
  } while (start);
  return shards;
}

/** The sort keys of every counter item in the table (`REPORT#<generation>#<shard>`). */
async function counterSortKeys(t: Table): Promise<string[]> {
  const keys: string[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await documents.send(
      new ScanCommand({
        TableName: t.name,
        ConsistentRead: true,
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    for (const item of page.Items ?? []) {
      if (/^REPORT#.+#\d+$/.test(String(item.PK))) keys.push(String(item.SK));
    }
    start = page.LastEvaluatedKey;
  } while (start);
  return keys;
}

describe('day items alone, and the version that kept month items', () => {
  it('counts a case into its day’s items and writes no month item', async () => {
    const t = await freshTable();
    const deps = t.deployed(reportPolicy);
    await buildReportCounters(deps);
    const [a] = wasteComplaints(t);
    await correctReceivedDate(t, a.caseId, '2025-10-01T10:00:00.000Z');
    await streamDelivers(deps, [a.caseId]);

    const keys = await counterSortKeys(t);
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.filter((k) => !/^D\d{4}-\d{2}-\d{2}#/.test(k))).toEqual([]);
    await expectNeverWrong(t, deps.counters, reportPolicy);
    // A period cut through months reads the same days.
    const cut = { from: '2025-06-15', to: '2025-11-14' };
    const counted = await deps.counters.figures(cut);
    const { from, to } = periodInstants(cut);
    expect(
      finishReport(
        reportPolicy,
        { ...cut, asOf: REPORT_AS_OF },
        counted?.figures ?? new Map(),
        counted?.repeat ?? { complainants: 0, cases: 0 },
      ),
    ).toEqual(
      await computePerformance(t.store.receivedBetween(from, to), reportPolicy, {
        ...cut,
        asOf: REPORT_AS_OF,
      }),
    );
  });

  it('takes over the generation the version before built, without a backfill, and keeps its figures right', async () => {
    const t = await freshTable();
    const before = t.withMonths(reportPolicy);
    await buildReportCounters(before);
    // Its stream counts one more change before the deploy.
    const [a, b, c] = wasteComplaints(t);
    await correctReceivedDate(t, c.caseId, '2025-09-01T10:00:00.000Z');
    await streamDelivers(before, [c.caseId]);
    const monthItems = (await counterSortKeys(t)).filter((k) => k.startsWith('M')).length;
    expect(monthItems).toBeGreaterThan(0);

    // Upgraded: its report reads the counters at once, from their days, before the stream's first batch.
    const n = t.deployed(reportPolicy);
    expect(await n.counters.built()).toBe(true);
    await expectNeverWrong(t, n.counters, reportPolicy);
    // The stream counts changes into the same generation, days only: cases moved to other months.
    await correctReceivedDate(t, a.caseId, '2026-02-10T10:00:00.000Z');
    await correctReceivedDate(t, b.caseId, '2025-05-02T10:00:00.000Z');
    await streamDelivers(n, [a.caseId, b.caseId]);
    expect(await n.counters.built()).toBe(true);
    await expectNeverWrong(t, n.counters, reportPolicy);
    expect((await counterSortKeys(t)).filter((k) => k.startsWith('M')).length).toBe(monthItems);
    // A change the version before counted, delivered again after the upgrade, is not counted twice.
    const into = await n.counters.counting();
    expect(await countCase(n, into, c.caseId)).toBe('unchanged');
    await expectNeverWrong(t, n.counters, reportPolicy);
  });

  it('leaves the version before reading cases once this version counted without months, and takes its generation back', async () => {
    const t = await freshTable();
    const before = t.withMonths(reportPolicy);
    await buildReportCounters(before);
    const n = t.deployed(reportPolicy);
    const [a, b] = wasteComplaints(t);
    await correctReceivedDate(t, a.caseId, '2026-02-10T10:00:00.000Z');
    await streamDelivers(n, [a.caseId]);

    // Rolled back: its months missed that change, and it no longer reads them.
    expect(await before.counters.built()).toBe(false);
    expect(await before.counters.figures(YEAR)).toBeUndefined();
    // Its stream counts a change: into a new generation, from nothing.
    await correctReceivedDate(t, b.caseId, '2025-11-03T10:00:00.000Z');
    await streamDelivers(before, [b.caseId]);
    expect(await before.counters.built()).toBe(false);
    expect(await n.counters.built()).toBe(false);

    // Upgraded again: this version takes that generation over, and reports:count builds it.
    await streamDelivers(n, [a.caseId, b.caseId]);
    await buildReportCounters(n);
    expect(await n.counters.built()).toBe(true);
    expect(await before.counters.built()).toBe(false);
    await expectNeverWrong(t, n.counters, reportPolicy);
  });

  it('refuses to mark built a backfill of the version before once this version counts into its generation', async () => {
    const t = await freshTable();
    const before = t.withMonths(reportPolicy);
    const n = t.deployed(reportPolicy);

    // reports:count of the version before begins; this version is deployed and its stream counts a change.
    const early = await before.counters.rebuilding();
    for (const c of t.cases) await countCase(before, early, c.caseId);
    const [a] = wasteComplaints(t);
    await correctReceivedDate(t, a.caseId, '2025-10-01T10:00:00.000Z');
    await streamDelivers(n, [a.caseId]);

    // Its months missed the change: the version before may not call them built.
    await expect(early.markBuilt()).rejects.toThrow(CountersMovedOnError);
    expect(await before.counters.built()).toBe(false);
    expect(await n.counters.built()).toBe(false);
    await buildReportCounters(n);
    await expectNeverWrong(t, n.counters, reportPolicy);
    expect(await n.counters.built()).toBe(true);
  });
});

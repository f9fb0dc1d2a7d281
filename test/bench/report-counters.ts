/**
 * `npm run bench:report` (second part): the public performance report on Amazon's DynamoDB Local,
 * read the old way (every case of the period: the received index, then each case by key) and from
 * the counters the table's stream keeps (`report-counting.ts`), side by side in one run. The cases
 * are `report-cases.ts`'s generated year (`BENCH_CASES`, default 5,000), stored through the case
 * store; their counters are built by settling each case as the stream's handler does. Prints, per
 * period, the read units DynamoDB reports (`ReturnConsumedCapacity`), the requests and the median
 * time of `BENCH_RUNS` reports (default 5), each as a ratio of reading every case, and checks that
 * both give the same figures. Also prints the write units counting costs per case.
 *
 * It asserts nothing about time: machines differ, ratios travel.
 */
import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createCaseTable, DynamoDbCaseStore } from '../../functions/adapters/dynamodb-case-store.js';
import { DynamoDbReportCounters } from '../../functions/adapters/dynamodb-report-counters.js';
import { buildReportCounters } from '../../functions/app/report-counting.js';
import type { CaseRecord } from '../../functions/domain/case.js';
import {
  CaseCounter,
  computePerformance,
  finishReport,
  type PerformanceReport,
} from '../../functions/reports/compute.js';
import { countingBasis } from '../../functions/reports/counted.js';
import { financialYear, type Period, periodInstants } from '../../functions/reports/period.js';
import { startStandIns } from '../support/stand-ins.js';
import { makeCase, policy, random, YEAR } from './report-cases.js';

const CASES = Number(process.env.BENCH_CASES ?? 5_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const AS_OF = '2026-06-01T00:00:00Z';

interface Meter {
  read: number;
  write: number;
  requests: number;
}

/**
 * A DynamoDB client that asks for, and adds up, the capacity every request consumed (as
 * `cost.ts` does; DynamoDB Local reports it as DynamoDB would).
 */
function meteredClient(meter: Meter): DynamoDBClient {
  const client = new DynamoDBClient({});
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const command = context.commandName ?? '';
      const metered = !/^(CreateTable|DescribeTable|UpdateTimeToLive|DescribeTimeToLive|ListTables)/.test(
        command,
      );
      if (metered) (args.input as Record<string, unknown>).ReturnConsumedCapacity = 'TOTAL';
      const result = await next(args);
      meter.requests += 1;
      const consumed = (result.output as { ConsumedCapacity?: unknown }).ConsumedCapacity as
        | { CapacityUnits?: number }
        | { CapacityUnits?: number }[]
        | undefined;
      for (const c of Array.isArray(consumed) ? consumed : consumed ? [consumed] : []) {
        if (/Put|Update|Delete|Write/.test(command)) meter.write += c.CapacityUnits ?? 0;
        else meter.read += c.CapacityUnits ?? 0;
      }
      return result;
    },
    { step: 'initialize', name: 'consumedCapacityMeter' },
  );
  return client;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
const ratio = (after: number, before: number) => (before === 0 ? '–' : `${(after / before).toFixed(4)}×`);

async function timed<T>(
  meter: Meter,
  work: () => Promise<T>,
): Promise<{ result: T; ms: number; read: number; requests: number }> {
  const read = meter.read;
  const requests = meter.requests;
  const started = performance.now();
  const result = await work();
  return {
    result,
    ms: performance.now() - started,
    read: meter.read - read,
    requests: meter.requests - requests,
  };
}

async function main(): Promise<void> {
  const standIns = await startStandIns(['dynamodb']);
  const meter: Meter = { read: 0, write: 0, requests: 0 };
  const raw = meteredClient(meter);
  const client = DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } });
  try {
    const tableName = `bench-${randomUUID()}`;
    await createCaseTable(raw, tableName);
    const store = new DynamoDbCaseStore({ tableName, client });
    const counters = new DynamoDbReportCounters({ tableName, basis: countingBasis(policy), client });
    console.log(`Public report on DynamoDB Local: ${CASES.toLocaleString('en-GB')} cases, ${RUNS} runs each`);

    // Prepare: the cases, stored as intake stores them.
    const next = random(42);
    const cases: CaseRecord[] = Array.from({ length: CASES }, (_, i) => makeCase(i, next, CASES));
    const startedStoring = performance.now();
    for (let i = 0; i < cases.length; i += 16) {
      await Promise.all(
        cases
          .slice(i, i + 16)
          .map((c) => store.create(c, { at: c.createdAt, type: 'received', actor: 'resident' })),
      );
    }
    const storeWrite = meter.write;
    console.log(
      `stored in ${((performance.now() - startedStoring) / 1000).toFixed(1)} s, ${(storeWrite / CASES).toFixed(1)} write units a case`,
    );

    // The counters, as the stream's handler settles each case.
    const beforeCounting = { ...meter };
    const built = await buildReportCounters({ store, counters, counter: new CaseCounter(policy) });
    console.log(
      `counted ${built.cases} cases: ${((meter.write - beforeCounting.write) / CASES).toFixed(1)} write units and ${((meter.read - beforeCounting.read) / CASES).toFixed(1)} read units a case (the case read again, what was counted for it, the complainant's days)`,
    );

    const year = financialYear(YEAR);
    const periods: [string, Period][] = [
      ['financial year', year],
      ['one month', { from: `${YEAR}-06-01`, to: `${YEAR}-06-30` }],
      ['a quarter cut mid-month', { from: `${YEAR}-07-15`, to: `${YEAR}-10-14` }],
    ];
    console.log(
      `${'period'.padEnd(24)} ${'way'.padEnd(12)} ${'read units'.padStart(11)} ${'requests'.padStart(9)} ${'median ms'.padStart(10)}   ratio (read units, time)`,
    );
    for (const [name, period] of periods) {
      const fromCases = async (): Promise<PerformanceReport> => {
        const { from, to } = periodInstants(period);
        return computePerformance(store.receivedBetween(from, to), policy, { ...period, asOf: AS_OF });
      };
      const fromCounters = async (): Promise<PerformanceReport> => {
        const counted = await counters.figures(period);
        if (counted === undefined) throw new Error('the counters are not built');
        return finishReport(policy, { ...period, asOf: AS_OF }, counted.figures, counted.repeat);
      };
      const before = [];
      const after = [];
      for (let run = 0; run < RUNS; run++) {
        before.push(await timed(meter, fromCases));
        after.push(await timed(meter, fromCounters));
      }
      const b = before[0] as (typeof before)[number];
      const a = after[0] as (typeof after)[number];
      const same = isDeepStrictEqual(a.result, b.result);
      const bMs = median(before.map((r) => r.ms));
      const aMs = median(after.map((r) => r.ms));
      console.log(
        `${name.padEnd(24)} ${'every case'.padEnd(12)} ${b.read.toFixed(1).padStart(11)} ${String(b.requests).padStart(9)} ${bMs.toFixed(0).padStart(10)}`,
      );
      console.log(
        `${''.padEnd(24)} ${'counters'.padEnd(12)} ${a.read.toFixed(1).padStart(11)} ${String(a.requests).padStart(9)} ${aMs.toFixed(0).padStart(10)}   ${ratio(a.read, b.read)}, ${ratio(aMs, bMs)}   same figures: ${same ? 'yes' : 'NO'}`,
      );
      if (!same) process.exitCode = 1;
    }
  } finally {
    client.destroy();
    await standIns.stop();
  }
}

await main();

/**
 * Benchmark: the performance report over 100,000 cases generated in memory (a large council's
 * year and more). Prints elapsed time and peak memory for two ways of feeding the report:
 * a lazy stream (how `CaseStore.receivedBetween` pages through DynamoDB: the report's own
 * footprint) and a materialised array (the cases themselves held in memory as well).
 *
 * `npm run bench` (add `--expose-gc` through NODE_OPTIONS for steadier memory baselines).
 * It prints figures and asserts nothing about time: machines differ.
 */
import type { CaseRecord } from '../../functions/domain/case.js';
import { computePerformance } from '../../functions/reports/compute.js';
import { financialYear, periodInstants } from '../../functions/reports/period.js';
import { performanceCsv, reportsPage } from '../../functions/reports/render.js';
import { makeCase, policy, random, YEAR } from './report-cases.js';

const CASES = Number(process.env.BENCH_CASES ?? 100_000);

/** The cases as a lazy stream: each exists only while the report reads it. */
async function* stream(): AsyncGenerator<CaseRecord> {
  const next = random(42);
  for (let i = 0; i < CASES; i += 1) {
    yield makeCase(i, next, CASES);
    // Page boundaries, as the DynamoDB adapter's pages would have them.
    if (i % 1000 === 999) await Promise.resolve();
  }
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const gc = (globalThis as { gc?: () => void }).gc;

/** Samples memory while `work` runs: every 50 ms and every time `tick` is called. */
async function measure<T>(name: string, work: (tick: () => void) => Promise<T>): Promise<T> {
  gc?.();
  const base = process.memoryUsage();
  let peakRss = base.rss;
  let peakHeap = base.heapUsed;
  const sample = () => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  };
  const timer = setInterval(sample, 50);
  const started = performance.now();
  try {
    return await work(sample);
  } finally {
    const ms = performance.now() - started;
    clearInterval(timer);
    sample();
    console.log(
      `${name.padEnd(44)} ${(ms / 1000).toFixed(2).padStart(7)} s   peak RSS ${mb(peakRss).padStart(9)} (+${mb(peakRss - base.rss)})   peak heap ${mb(peakHeap).padStart(9)} (+${mb(peakHeap - base.heapUsed)})`,
    );
  }
}

async function* sampled(source: AsyncIterable<CaseRecord> | Iterable<CaseRecord>, tick: () => void) {
  let n = 0;
  for await (const c of source) {
    n += 1;
    if (n % 5000 === 0) tick();
    yield c;
  }
}

async function main(): Promise<void> {
  const period = financialYear(YEAR);
  console.log(
    `Report over ${CASES.toLocaleString('en-GB')} cases, ${period.from} to ${period.to} (${periodInstants(period).from} onwards)`,
  );
  console.log(
    `Node ${process.version}; garbage collection ${gc ? 'forced before each run' : 'not exposed (run with --expose-gc for steadier baselines)'}`,
  );

  const report = await measure('stream → computePerformance', (tick) =>
    computePerformance(sampled(stream(), tick), policy, { ...period, asOf: '2026-06-01T00:00:00Z' }),
  );
  await measure('stream → computePerformance + learning text', (tick) =>
    computePerformance(sampled(stream(), tick), policy, {
      ...period,
      asOf: '2026-06-01T00:00:00Z',
      includeLearning: true,
    }),
  );

  const cases = await measure('generate 100k cases into an array', async () => {
    const out: CaseRecord[] = [];
    for await (const c of stream()) out.push(c);
    return out;
  });
  await measure('array → computePerformance', (tick) =>
    computePerformance(sampled(cases, tick), policy, { ...period, asOf: '2026-06-01T00:00:00Z' }),
  );
  await measure('render HTML page and CSV', async () => {
    reportsPage({ report, policy, period });
    performanceCsv(report, policy);
  });
  console.log(`Cases counted: ${JSON.stringify(report.totals)}`);
}

await main();

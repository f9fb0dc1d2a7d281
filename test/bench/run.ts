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
import type { Policy } from '../../functions/domain/policy-schema.js';
import type { Channel, Outcome } from '../../functions/domain/types.js';
import { computePerformance } from '../../functions/reports/compute.js';
import { financialYear, periodInstants } from '../../functions/reports/period.js';
import { performanceCsv, reportsPage } from '../../functions/reports/render.js';
import { makePolicy } from '../support/policy-fixture.js';

const CASES = Number(process.env.BENCH_CASES ?? 100_000);
const YEAR = 2025;

const policy: Policy = makePolicy({
  routing: {
    services: Array.from({ length: 30 }, (_, i) => ({
      id: `service-${i}`,
      name: `Service ${i}`,
      directorate: `Directorate ${i % 6}`,
    })),
  },
});

/** Deterministic pseudo-random numbers (mulberry32), so every run reads the same cases. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const CHANNELS: Channel[] = ['online', 'online', 'online', 'email', 'phone', 'letter', 'in-person'];
const OUTCOMES: Outcome[] = ['upheld', 'partially-upheld', 'not-upheld', 'not-upheld'];
const DAY = 86_400_000;
const yearStart = Date.parse(`${YEAR}-04-01T00:00:00Z`);

/** One generated case: a mix of kinds, timelines, extensions, escalations and free text. */
function makeCase(i: number, next: () => number): CaseRecord {
  const received = yearStart + Math.floor(next() * 364 * DAY) + 9 * 3_600_000;
  const at = (days: number) => new Date(received + days * DAY).toISOString();
  const roll = next();
  const kind =
    roll < 0.7 ? 'complaint' : roll < 0.85 ? 'compliment' : roll < 0.95 ? 'comment' : 'representation';
  const service = `service-${Math.floor(next() * 30)}`;
  const redirected = kind === 'complaint' && next() < 0.08;
  const responded = next() < 0.9;
  const ackDays = 1 + Math.floor(next() * 9);
  const respondDays = ackDays + 5 + Math.floor(next() * 20);
  const extended = next() < 0.1;
  const escalated = kind === 'complaint' && responded && next() < 0.15;
  const outcome = OUTCOMES[Math.floor(next() * OUTCOMES.length)] as Outcome;
  const response = {
    reasons: 'We looked into what happened and what we should have done.',
    outcome,
    ...(outcome !== 'not-upheld' ? { remedy: 'An apology and a refund' } : {}),
    ...(next() < 0.2
      ? { lessons: 'Training for the team on the new procedure', actions: 'Procedure updated' }
      : {}),
  };
  return {
    caseId: `bench-${i}`,
    reference: `CMP-${YEAR}-${String(i).padStart(6, '0')}`,
    kind,
    submittedKind: kind,
    status: redirected ? 'redirected' : 'closed',
    stage: escalated ? 2 : 1,
    policyId: policy.id,
    service,
    directorate: `Directorate ${Number(service.slice(8)) % 6}`,
    summary: 'A resident’s account of what went wrong, a few hundred characters long. '.repeat(4),
    complainant: {
      name: `Resident ${i}`,
      email: `resident${Math.floor(next() * CASES * 0.8)}@example.org`,
      address: `${i} Example Street`,
    },
    anonymous: false,
    channel: CHANNELS[Math.floor(next() * CHANNELS.length)] as Channel,
    receivedAt: at(0),
    createdAt: at(0),
    updatedAt: at(40),
    triage: redirected
      ? { route: 'redirect', exclusion: 'service-request', reasons: ['service request'] }
      : { route: 'handle', reasons: [] },
    deadlines: {},
    version: 5,
    progress: {
      stage1: {
        startedAt: at(0),
        acknowledgedAt: at(ackDays),
        ...(extended
          ? {
              extensionDays: 5,
              extensions: [{ at: at(ackDays + 3), days: 5, reason: 'Waiting for evidence' }],
            }
          : {}),
        ...(responded ? { respondedAt: at(respondDays), response } : {}),
      },
      ...(escalated
        ? {
            stage2: {
              startedAt: at(respondDays + 5),
              acknowledgedAt: at(respondDays + 7),
              respondedAt: at(respondDays + 30),
              response: { reasons: 'Reviewed.', outcome: 'not-upheld' as Outcome },
            },
          }
        : {}),
    },
    ...(kind === 'compliment' ? { staffNamed: [`Officer ${Math.floor(next() * 200)}`] } : {}),
    ...(next() < 0.01 ? { ombudsmanInvolved: true } : {}),
  };
}

/** The cases as a lazy stream: each exists only while the report reads it. */
async function* stream(): AsyncGenerator<CaseRecord> {
  const next = random(42);
  for (let i = 0; i < CASES; i += 1) {
    yield makeCase(i, next);
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

/**
 * Benchmark: the staff workspace's queue and search against DynamoDB Local holding many open
 * cases (100,000 by default; `BENCH_CASES=5000` for a quick run). Cases are stored through the
 * real case store (its transactions write the index keys and search terms); then the queue's
 * first page, an officer's filtered page, the next page, and searches by name, postcode, phone
 * and reference are timed. Prints p50 and p95 of each, and each p95 as a ratio of the
 * baseline measured in the same run against the same table: one GetItem of a case by its key,
 * the cheapest read the store makes. It asserts nothing about time.
 *
 *   npm run bench:workspace
 */
import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createCaseTable } from '../../functions/adapters/case-table.js';
import { DynamoDbCaseStore } from '../../functions/adapters/dynamodb-case-store.js';
import type { CaseRecord } from '../../functions/domain/case.js';
import { computeDeadlines } from '../../functions/domain/deadlines.js';
import { loadPolicy } from '../../functions/domain/policy.js';
import { parseSearch } from '../../functions/domain/search-terms.js';
import { startStandIns } from '../support/stand-ins.js';

const CASES = Number(process.env.BENCH_CASES ?? 100_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 100);
const CONCURRENCY = 24;
const policy = loadPolicy('lgsco-code-2024');
const services = policy.routing.services.filter((s) => !s.redirect).map((s) => s.id);
const SURNAMES = [
  'Smith',
  'Jones',
  'Taylor',
  'Brown',
  'Williams',
  'Wilson',
  'Johnson',
  'Davies',
  'Patel',
  'Wright',
];

function reference(i: number): string {
  return `CMP-2026-${String(i + 1).padStart(6, '0')}`;
}

function makeCase(i: number): CaseRecord {
  const receivedAt = new Date(Date.parse('2026-01-05T09:00:00Z') + (i % 200) * 3_600_000).toISOString();
  const surname = SURNAMES[i % SURNAMES.length] as string;
  return {
    caseId: randomUUID(),
    reference: reference(i),
    kind: 'complaint',
    submittedKind: 'complaint',
    status: 'awaiting-acknowledgement',
    stage: 1,
    policyId: policy.id,
    service: services[i % services.length] as string,
    summary: 'A generated complaint for the benchmark.',
    complainant: {
      name: `Resident${i} ${surname}`,
      email: `resident${i}@example.com`,
      phone: `01632 ${String(100000 + i).slice(-6)}`,
      address: `${i} Example Road, Exampletown EX${1 + (i % 9)} ${1 + (i % 9)}AB`,
    },
    anonymous: false,
    channel: 'online',
    receivedAt,
    createdAt: receivedAt,
    updatedAt: receivedAt,
    triage: { route: 'handle', reasons: [] },
    deadlines: computeDeadlines(policy, 'complaint', receivedAt),
    progress: { stage1: { startedAt: receivedAt } },
    version: 1,
  };
}

async function timed(
  runs: number,
  work: (i: number) => Promise<unknown>,
): Promise<{ p50: number; p95: number }> {
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await work(i);
    ms.push(performance.now() - start);
  }
  ms.sort((a, b) => a - b);
  const at = (q: number) => ms[Math.min(ms.length - 1, Math.floor(q * ms.length))] as number;
  return { p50: at(0.5), p95: at(0.95) };
}

async function main(): Promise<void> {
  const standIns = await startStandIns(['dynamodb']);
  try {
    const tableName = 'bench-cases';
    const raw = new DynamoDBClient({});
    await createCaseTable(raw, tableName);
    raw.destroy();
    const store = new DynamoDbCaseStore({ tableName });

    const seedStart = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        for (let i = next++; i < CASES; i = next++) {
          const c = makeCase(i);
          await store.create(c, { at: c.receivedAt, type: 'received', actor: 'resident' });
        }
      }),
    );
    const seedSeconds = (performance.now() - seedStart) / 1000;
    const sample = await Promise.all(
      Array.from({ length: 50 }, (_, i) => store.getByReference(reference((i * 37) % CASES))),
    );
    const ids = sample.flatMap((c) => (c ? [c.caseId] : []));
    const baseline = await timed(RUNS, (i) => store.get(ids[i % ids.length] as string));

    const firstPage = await store.openPage({ limit: 25 });
    const rows: [string, { p50: number; p95: number }][] = [
      ['queue: first page of all open cases', await timed(RUNS, () => store.openPage({ limit: 25 }))],
      [
        'queue: an officer’s service, due within the week',
        await timed(RUNS, () =>
          store.openPage({ limit: 25, services: [services[0] as string], dueBy: '2026-12-31T23:59:59Z' }),
        ),
      ],
      [
        'queue: the next page',
        await timed(RUNS, () =>
          store.openPage({ limit: 25, ...(firstPage.next ? { cursor: firstPage.next } : {}) }),
        ),
      ],
      [
        'search: a surname shared by 1 case in 10 (newest 50)',
        await timed(Math.min(RUNS, 20), (i) => {
          const q = parseSearch(SURNAMES[i % SURNAMES.length] as string);
          return store.search('terms' in q ? q.terms : [], 50);
        }),
      ],
      [
        'search: a phone number',
        await timed(RUNS, (i) => {
          const q = parseSearch(`01632 ${String(100000 + ((i * 37) % CASES)).slice(-6)}`);
          return store.search('terms' in q ? q.terms : [], 50);
        }),
      ],
      ['search: a reference', await timed(RUNS, (i) => store.getByReference(reference((i * 37) % CASES)))],
    ];
    process.stdout.write(
      `Staff workspace at ${CASES.toLocaleString('en-GB')} open cases (DynamoDB Local; seeded in ${seedSeconds.toFixed(0)} s)\n`,
    );
    const line = (name: string, { p50, p95 }: { p50: number; p95: number }, ratio: string) =>
      process.stdout.write(
        `  ${name.padEnd(52)} p50 ${p50.toFixed(1).padStart(7)} ms   p95 ${p95.toFixed(1).padStart(7)} ms   ${ratio}\n`,
      );
    line('baseline: one case by its key (GetItem)', baseline, 'p95 1.00×');
    for (const [name, times] of rows) {
      line(name, times, `p95 ${(times.p95 / baseline.p95).toFixed(2)}× baseline`);
    }
  } finally {
    await standIns.stop();
  }
}

await main();

/**
 * Benchmark: partition heat over a case's whole life (issue #15, goal 4), the second part of
 * `npm run bench:partitions`. The first part (`partitions.ts`) drives real form posts through
 * the local service, but only each case's first minutes: nothing acknowledges, answers or closes
 * them. Here a stage-1 complaint is driven once through its whole life on the workflow harness
 * (the real ASL on the local engine, the deployed API and steps; the acknowledgement and the
 * response as an officer sends them; the clock run past the stage-2 window to the closure), and
 * every write the case store took is recorded with the moment it was written on the case's clock.
 * That life is then replayed for `BENCH_INTAKES` cases (default 1,000) on DynamoDB Local through
 * the real case store and report counters: each case with its own id (as intake makes them),
 * reference (from the store's blocks of numbers), name, address and email (a campaign's residents,
 * one post in ten from a few repeat complainants); the case's writes in their order, and the
 * stream's counting (`countCase`, as `case-changes` runs it) once per batch of changes the table's
 * stream gathers (`CASE_CHANGES_BATCHING_WINDOW` from the first change of a batch, on the case's
 * clock). Every request is priced as `bench:cost` prices it (`table-writes.ts` for the table's
 * writes, DynamoDB Local's figure for reads and indexes) and put on its partitions
 * (`partition-heat.ts`), per stage of the life: intake, acknowledgement, response, closure.
 *
 * A stage's units per case scaled to 1,000 cases a second of that stage give each partition's
 * load; the busiest partition of each family is printed for:
 * - a campaign day: 1,000 intakes a second, and the same cases acknowledged 1,000 a second in the
 *   same second (an upper bound: officers acknowledge at their own pace, within days);
 * - a steady 1,000 intakes a second for weeks, with as many cases acknowledged, answered and
 *   closed every second (the whole life at once: the load a shared deployment would carry);
 * the report counters as they were on 32 shards (the same traffic, each shard folded onto the
 * shard its case had among 32); and the open index as on a table from before its layout (16
 * shards; the table here is new, so on `OPEN_SHARDS`), each case folded onto its shard among 16.
 *
 *   BENCH_INTAKES=1000 BENCH_CONCURRENT=16 BENCH_LIFE_COUNT=each|window tsx test/bench/partition-life.ts
 */
import './quiet-powertools.js';
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { CASE_SHARDS } from '../../functions/adapters/case-table.js';
import {
  CASE_INDEX,
  CASE_TABLE_DESIGN,
  createCaseTable,
  DynamoDbCaseStore,
} from '../../functions/adapters/dynamodb-case-store.js';
import { COUNTER_SHARDS, DynamoDbReportCounters } from '../../functions/adapters/dynamodb-report-counters.js';
import { countCase } from '../../functions/app/report-counting.js';
import type { CaseEvent, CaseRecord } from '../../functions/domain/case.js';
import { stage2LateRequestDeadline } from '../../functions/domain/case-clock.js';
import { loadPolicy } from '../../functions/domain/policy.js';
import type { CaseChange } from '../../functions/domain/ports.js';
import { CaseCounter } from '../../functions/reports/compute.js';
import { countingBasis } from '../../functions/reports/counted.js';
import { CASE_CHANGES_BATCHING_WINDOW } from '../../infra/constructs/case-store.js';
import { ACKNOWLEDGE } from '../support/acknowledge.js';
import { startStandIns } from '../support/stand-ins.js';
import { complaintFrom, createHarness, type Harness } from '../workflows/harness.js';
import { campaignPerson, familyName, OWN_KEY, residentName } from './campaign.js';
import { PartitionHeat, type PartitionTally, TABLE_SCOPE, type WriteImages } from './partition-heat.js';
import { images, writeTargets } from './table-writes.js';

const CASES = Number(process.env.BENCH_INTAKES ?? 1000);
const CONCURRENT = Number(process.env.BENCH_CONCURRENT ?? 16);
const RATE = 1000;
const WRITE_LIMIT = 1000;
const READ_LIMIT = 3000;
const STAGES = ['intake', 'acknowledgement', 'response', 'closure'] as const;
type Stage = (typeof STAGES)[number];

/** One write the case store took in the driven life, as its caller made it. */
type Write =
  | { op: 'create'; stage: Stage; at: number; record: CaseRecord; event: Omit<CaseEvent, 'caseId' | 'seq'> }
  | {
      op: 'update';
      stage: Stage;
      at: number;
      expectedVersion: number;
      change: CaseChange;
      expectedStatus?: CaseRecord['status'][];
    }
  | { op: 'append'; stage: Stage; at: number; event: Omit<CaseEvent, 'caseId' | 'seq'> };

const justAfter = (iso: string | undefined, ms = 1000) =>
  new Date(Date.parse(iso as string) + ms).toISOString();

/** A stage-1 complaint from intake to closure on the harness: every write of its case store, in order. */
async function driveOneLife(): Promise<{ writes: Write[]; caseId: string }> {
  const h: Harness = await createHarness();
  const writes: Write[] = [];
  let stage: Stage = 'intake';
  let updating = 0;
  const at = () => h.clock.now().getTime();
  const store = h.store;
  const create = store.create.bind(store);
  store.create = async (record, event, key) => {
    const result = await create(record, event, key);
    if (result.created)
      writes.push({
        op: 'create',
        stage,
        at: at(),
        record: structuredClone(record),
        event: structuredClone(event),
      });
    return result;
  };
  const update = store.update.bind(store);
  store.update = async (caseId, expectedVersion, change, expectedStatus) => {
    updating++;
    try {
      const next = await update(caseId, expectedVersion, change, expectedStatus);
      writes.push({
        op: 'update',
        stage,
        at: at(),
        expectedVersion,
        change: structuredClone(change),
        ...(expectedStatus ? { expectedStatus: [...expectedStatus] } : {}),
      });
      return next;
    } finally {
      updating--;
    }
  };
  const append = store.appendEvent.bind(store);
  store.appendEvent = async (caseId, event, options) => {
    const result = await append(caseId, event, options);
    // The in-memory store appends an update's events itself: the update carries them.
    if (updating === 0) writes.push({ op: 'append', stage, at: at(), event: structuredClone(event) });
    return result;
  };
  const c = await h.submit(complaintFrom(h));
  // An officer acts hours after the case came, not in the same instant: each stage's changes
  // are a batch of the stream's own (two hours on, well before any reminder is due).
  const later = () => h.advanceTo(new Date(at() + 2 * 3_600_000).toISOString());
  await later();
  stage = 'acknowledgement';
  const ack = await h.act(h.linkFor('acknowledge'), ACKNOWLEDGE);
  if (ack.statusCode !== 200) throw new Error(`acknowledge answered ${ack.statusCode}`);
  await later();
  stage = 'response';
  const respond = await h.act(h.linkFor('respond'), {
    decision: 'respond',
    outcome: 'upheld',
    response: 'We looked into what happened and here is what we found.',
  });
  if (respond.statusCode !== 200) throw new Error(`respond answered ${respond.statusCode}`);
  await later();
  stage = 'closure';
  const responded = (await store.get(c.caseId)) as CaseRecord;
  await h.advanceTo(justAfter(responded.deadlines.stage2RequestBy));
  await h.advanceTo(justAfter(stage2LateRequestDeadline(h.policy, responded)));
  const closed = (await store.get(c.caseId)) as CaseRecord;
  if (closed.status !== 'closed') throw new Error(`the case ended ${closed.status}, not closed`);
  await h.close();
  return { writes, caseId: c.caseId };
}

/**
 * Where the stream counts a case: after every write of the case item (`each`, the default), or
 * after the last write of each batch the stream gathers (`window`). At a campaign's rate the
 * stream's batches fill (`COUNTED_CASE_BATCH_SIZE` records) long before the batching window
 * closes, so a case's changes seconds apart are counted apart: `each` is the bound above. At one
 * council's rate the window closes each batch: a batch opens at a write and takes every write
 * until the window has passed on the case's clock, counted with the stage of the write that
 * opened it.
 */
const COUNT = process.env.BENCH_LIFE_COUNT === 'window' ? 'window' : 'each';
function countAfter(writes: Write[]): Map<number, Stage> {
  if (COUNT === 'each')
    return new Map(writes.flatMap((w, i): [number, Stage][] => (w.op === 'append' ? [] : [[i, w.stage]])));
  const window = CASE_CHANGES_BATCHING_WINDOW.toMilliseconds();
  const out = new Map<number, Stage>();
  let opened: { at: number; stage: Stage } | undefined;
  writes.forEach((w, i) => {
    if (w.op === 'append') return;
    if (opened === undefined || w.at >= opened.at + window) opened = { at: w.at, stage: w.stage };
    const next = writes.slice(i + 1).find((x) => x.op !== 'append');
    if (next === undefined || next.at >= opened.at + window) out.set(i, opened.stage);
  });
  return out;
}

/** Case `n`'s life: the driven case's writes with its own id, reference and resident. */
function remap(write: Write, caseId: string, reference: string, n: number): Write {
  if (write.op !== 'create') return write;
  const { person, repeat } = campaignPerson(n);
  const who = repeat ? `repeat-${Math.floor(n / 80)}` : `resident-${n}`;
  return {
    ...write,
    record: {
      ...write.record,
      caseId,
      reference,
      complainant: {
        ...write.record.complainant,
        name: residentName(person),
        email: `${who}@example.org`,
      },
    },
  };
}

interface Heat {
  scope: string;
  key: string;
  wcu: number;
  rcu: number;
}

const fmt = (n: number, digits = 1) => n.toFixed(digits);

/** Per key, units a second when each of `stages` runs at `RATE` cases a second; keys merged by `keyOf`. */
function heatOf(
  tallies: Map<Stage, PartitionTally[]>,
  stages: readonly Stage[],
  keyOf: (p: PartitionTally) => string = (p) => p.key,
): Heat[] {
  const merged = new Map<string, Heat>();
  for (const stage of stages) {
    for (const p of tallies.get(stage) ?? []) {
      if (OWN_KEY.test(p.key)) continue;
      const key = keyOf(p);
      const id = `${p.scope}\u0000${key}`;
      const heat = merged.get(id) ?? { scope: p.scope, key, wcu: 0, rcu: 0 };
      heat.wcu += (p.writeUnits / CASES) * RATE;
      heat.rcu += (p.readUnits / CASES) * RATE;
      merged.set(id, heat);
    }
  }
  return [...merged.values()];
}

const load = (h: Heat) => Math.max(h.wcu / WRITE_LIMIT, h.rcu / READ_LIMIT);
const familyOf = (h: Heat) => `${h.scope === TABLE_SCOPE ? '' : `${h.scope} `}${familyName(h.key)}`;

/** The busiest key of each family. */
function busiestByFamily(rows: Heat[]): Map<string, { heat: Heat; keys: number }> {
  const out = new Map<string, { heat: Heat; keys: number }>();
  for (const h of rows) {
    const family = familyOf(h);
    const held = out.get(family);
    if (!held || load(h) > load(held.heat)) out.set(family, { heat: h, keys: (held?.keys ?? 0) + 1 });
    else held.keys += 1;
  }
  return out;
}

/**
 * An open index key on the 16 shards of a table from before the open index's layout: a case's
 * shard among 32 (or 64) modulo 16 is its shard among 16, the same hash.
 */
const on16OpenShards = (p: PartitionTally) => {
  const match = /^OPEN#(\d+)$/.exec(p.key);
  return p.scope === CASE_INDEX.openByDeadline && match ? `OPEN#${Number(match[1]) % CASE_SHARDS}` : p.key;
};

/** A counter shard's key on 32 shards: the shard its case had among 32 (the fnv hash modulo 32). */
const on32Shards = (p: PartitionTally) => {
  const match = /^(REPORT#.+#)(\d+)$/.exec(p.key);
  return p.scope === TABLE_SCOPE && match ? `${match[1]}${Number(match[2]) % 32}` : p.key;
};

async function main(): Promise<void> {
  console.log(
    `Partition heat over a case's whole life: one stage-1 complaint driven from intake to closure on the workflow harness, replayed for ${CASES} cases on DynamoDB Local (${CONCURRENT} at a time); counter shards ${COUNTER_SHARDS}; Node ${process.version}`,
  );
  const life = await driveOneLife();
  const counted = countAfter(life.writes);
  const perStage = (pick: (w: Write, i: number) => boolean) =>
    STAGES.map((s) => `${s} ${life.writes.filter((w, i) => w.stage === s && pick(w, i)).length}`).join(', ');
  console.log(
    `the driven life: writes of the case store by stage: ${perStage((w) => w.op !== 'append')}; events appended alone: ${perStage((w) => w.op === 'append')}; ` +
      `the stream's counting (${COUNT === 'each' ? 'after every write of the case item' : `batches of ${CASE_CHANGES_BATCHING_WINDOW.toSeconds()} s`}; BENCH_LIFE_COUNT=${COUNT}): ${STAGES.map((s) => `${s} ${[...counted.values()].filter((x) => x === s).length}`).join(', ')}`,
  );

  const standIns = await startStandIns(['dynamodb']);
  const raw = new DynamoDBClient({});
  const looker = new DynamoDBClient({});
  const heats = new Map<Stage, PartitionHeat>(STAGES.map((s) => [s, new PartitionHeat(CASE_TABLE_DESIGN)]));
  // Which stage a request belongs to: the replay says, through an async context.
  const context = new AsyncLocalStorage<Stage>();
  raw.middlewareStack.add(
    (next) => async (args) => {
      const input = args.input as Record<string, unknown>;
      input.ReturnConsumedCapacity ??= 'INDEXES';
      return next(args);
    },
    { step: 'initialize', name: 'benchConsumedCapacity', priority: 'high' },
  );
  raw.middlewareStack.add(
    (next, ctx) => async (args) => {
      const stage = context.getStore();
      const command = String(ctx.commandName);
      const input = args.input as Record<string, unknown>;
      const { targets } = writeTargets(command, input);
      const before = targets.length > 0 ? await images(looker, targets) : undefined;
      let output: Record<string, unknown> | undefined;
      let error: unknown;
      try {
        const result = await next(args);
        output = result.output as unknown as Record<string, unknown>;
        return result;
      } catch (e: unknown) {
        error = e;
        throw e;
      } finally {
        const written: WriteImages | undefined = before
          ? { before, after: await images(looker, targets) }
          : undefined;
        if (stage)
          heats.get(stage)?.record(stage, command, input, {
            ...(output ? { output } : {}),
            ...(error !== undefined ? { error } : {}),
            ...(written ? { images: written } : {}),
          });
      }
    },
    { step: 'build', name: 'benchPartitionLife', priority: 'low' },
  );
  const client = DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } });
  try {
    const tableName = `life-${Date.now()}`;
    await createCaseTable(raw, tableName);
    const store = new DynamoDbCaseStore({ tableName, client });
    const policy = loadPolicy('lgsco-code-2024');
    const counters = new DynamoDbReportCounters({ tableName, basis: countingBasis(policy), client });
    const deps = { store, counter: new CaseCounter(policy) };
    // The table's counters, once a table and not once a case: made before the cases, not counted.
    const into = await counters.counting();
    const kind = life.writes.find((w) => w.op === 'create')?.record;
    if (kind === undefined) throw new Error('the driven case was never created');
    const year = Number(kind.receivedAt.slice(0, 4));

    let next = 0;
    const replayOne = async (n: number) => {
      const caseId = randomUUID();
      const reference = await context.run('intake', () => store.nextReference(kind.kind, year));
      for (const [i, original] of life.writes.entries()) {
        const w = remap(original, caseId, reference, n);
        await context.run(w.stage, async () => {
          if (w.op === 'create') await store.create(w.record, w.event);
          else if (w.op === 'update')
            await store.update(caseId, w.expectedVersion, w.change, w.expectedStatus);
          else await store.appendEvent(caseId, w.event);
        });
        const stage = counted.get(i);
        if (stage) await context.run(stage, () => countCase(deps, into, caseId));
      }
    };
    const worker = async () => {
      while (next < CASES) {
        const n = next;
        next += 1;
        await replayOne(n);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENT }, worker));

    const tallies = new Map<Stage, PartitionTally[]>(
      STAGES.map((s) => [s, heats.get(s)?.partitions() ?? []]),
    );
    const units = (stage: Stage) =>
      (tallies.get(stage) ?? []).reduce((sum, p) => sum + p.writeUnits, 0) / CASES;
    console.log(
      `write units per case, table and indexes, by stage: ${STAGES.map((s) => `${s} ${fmt(units(s))}`).join(', ')}; whole life ${fmt(STAGES.reduce((sum, s) => sum + units(s), 0))}`,
    );
    const failures = STAGES.flatMap((s) =>
      [...(heats.get(s)?.failures ?? [])].map(([e, c]) => `${s}: ${e} ${c}`),
    );
    if (failures.length > 0) console.log(`failed requests (charged as if written): ${failures.join('; ')}`);

    const scenarios: [string, readonly Stage[]][] = [
      ['intake alone', ['intake']],
      ['campaign day (intake + acknowledgement in one second)', ['intake', 'acknowledgement']],
      ['steady (whole life at once)', STAGES],
    ];
    const columns = scenarios.map(([name, stages]) => ({
      name,
      after: busiestByFamily(heatOf(tallies, stages)),
      on32: busiestByFamily(heatOf(tallies, stages, on32Shards)),
      open16: busiestByFamily(heatOf(tallies, stages, on16OpenShards)),
    }));
    const families = [...(columns.at(-1)?.after ?? new Map()).entries()]
      .sort((a, b) => load(b[1].heat) - load(a[1].heat))
      .map(([family, { keys }]) => ({ family, keys }));
    const cell = (h: Heat | undefined) =>
      h === undefined
        ? '—'
        : `${fmt(h.wcu)} (${fmt(h.wcu / WRITE_LIMIT, 3)})${h.rcu > 0 ? `; ${fmt(h.rcu)} RCU/s (${fmt(h.rcu / READ_LIMIT, 3)})` : ''}`;
    console.log(
      `\nBusiest partition of each family, WCU/s at ${RATE.toLocaleString('en-GB')} cases a second of each stage (× the 1,000 limit; reads × 3,000 where any):`,
    );
    console.log(`| family | keys | ${columns.map((c) => c.name).join(' | ')} |`);
    console.log(`|---|--:|${columns.map(() => '--:').join('|')}|`);
    for (const { family, keys } of families) {
      console.log(
        `| ${family} | ${keys} | ${columns.map((c) => cell(c.after.get(family)?.heat)).join(' | ')} |`,
      );
    }
    const shardFamily = families.find((f) => f.family.startsWith('REPORT#') && f.family.endsWith('#<n>'));
    if (shardFamily) {
      console.log(
        `\nReport counters on 32 shards (the same traffic, each case's counts on its shard among 32) → on ${COUNTER_SHARDS}:`,
      );
      for (const c of columns) {
        const was = c.on32.get(shardFamily.family)?.heat;
        const is = c.after.get(shardFamily.family)?.heat;
        console.log(
          `  ${c.name}: ${cell(was)} → ${cell(is)}${was && is ? ` (${fmt(is.wcu / was.wcu, 3)}×)` : ''}`,
        );
      }
    }
    const openFamily = families.find((f) => f.family.startsWith(`${CASE_INDEX.openByDeadline} OPEN#`));
    if (openFamily) {
      console.log(
        `\nThe open index on the ${CASE_SHARDS} shards of a table from before its layout (the same traffic, each case on its shard among ${CASE_SHARDS}) → on the ${openFamily.keys} of this table's layout:`,
      );
      for (const c of columns) {
        const was = c.open16.get(openFamily.family)?.heat;
        const is = c.after.get(openFamily.family)?.heat;
        console.log(
          `  ${c.name}: ${cell(was)} → ${cell(is)}${was && is ? ` (${fmt(is.wcu / was.wcu, 3)}×)` : ''}`,
        );
      }
    }
    const steady = columns.at(-1)?.after ?? new Map();
    const worst = [...steady.values()].sort((a, b) => load(b.heat) - load(a.heat))[0];
    console.log(
      `\nBusiest partition over the whole life at a steady ${RATE.toLocaleString('en-GB')} intakes a second: ${worst ? `${fmt(load(worst.heat), 3)}× (${familyOf(worst.heat)})` : 'none'}. ${worst && load(worst.heat) < 1 ? 'PASS' : 'FAIL'}`,
    );
    console.log(
      "Limits of this model: one stage-1 life replayed (no reminder, stage 2 or compliment; the resident writes no more); the stream's counting after every write (each) or per batching window (window), not as a real stream's batches fall; " +
        "units a second are an even spread of each stage's cases (no burst above the mean); intake's own writes outside the case store (rate limits, idempotency, designations, the letters worklist) are in the first part, not here.",
    );
    if (worst && load(worst.heat) >= 1) process.exitCode = 1;
  } finally {
    raw.destroy();
    looker.destroy();
    await standIns.stop();
  }
}

await main();

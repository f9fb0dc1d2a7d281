/**
 * Benchmark: no hot partition below 1,000 intakes a second (issue #15, goal 4). DynamoDB Local
 * does not model partitions, so this measures heat from real traffic instead: `BENCH_INTAKES`
 * form posts (default 2,000), all about one service as a campaign brings them, through the API
 * Gateway stand-in of the whole local service (`npm start`'s runtime: the deployed api handler,
 * the table's stream read by the deployed start-workflows and case-changes handlers, the workflows'
 * first steps), each from its own client address, some from repeat complainants, a few asking for
 * letters by post, some comments. A client middleware on every DynamoDB client of the process
 * records each request, and for a write the items it touches as read just before and after it
 * (`partition-heat.ts` turns them into units per partition key of the table and of each index,
 * from the table design the tests and the stack share; the table's write units priced by
 * DynamoDB's rules in `table-writes.ts`, as `bench:cost` prices them, since DynamoDB Local's own
 * figure undercounts transactions). The units per intake are
 * then scaled to 1,000 intakes a second and the hottest keys printed against DynamoDB's
 * per-partition limits (1,000 write units and 3,000 read units a second), beside the same traffic
 * on the keys of the design before shards (every `OPEN`, month and service entry on one key, and a
 * reference counter written once per intake). It prints PASS when no key reaches a limit.
 * Only each case's first minutes are driven here; the whole life of a case (acknowledged,
 * answered, closed) is the second part of the script, `partition-life.ts`.
 *
 *   npm run bench:partitions   (BENCH_INTAKES, default 2000; BENCH_CONCURRENT_POSTS, default 25)
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvokeStore } from '@aws/lambda-invoke-store';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { CASE_TABLE_DESIGN } from '../../functions/adapters/case-table.js';
import { feedbackFormToken } from '../../functions/web/form-token.js';
import { campaignPerson, familyName, OWN_KEY, residentName } from './campaign.js';
import {
  PartitionHeat,
  type PartitionTally,
  TABLE_SCOPE,
  unshardedKey,
  type WriteImages,
} from './partition-heat.js';
import { images, writeTargets } from './table-writes.js';

const INTAKES = Number(process.env.BENCH_INTAKES ?? 2000);
const CONCURRENT_POSTS = Number(process.env.BENCH_CONCURRENT_POSTS ?? 25);
const RATE = 1000;
const WRITE_LIMIT = 1000;
const READ_LIMIT = 3000;
const SERVICE = 'housing';
/** Real milliseconds without a request from intake, the stream or a step before the run counts as settled. */
const QUIET_MS = 5000;

process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
process.env.POWERTOOLS_METRICS_DISABLED = 'true';
process.env.POWERTOOLS_TRACE_ENABLED = 'false';
// The form's token is signed with the link secret: the runtime started below signs with this one.
const LINK_SECRET = randomBytes(32).toString('base64url');
process.env.LINK_SECRET = LINK_SECRET;

/** One request as the middleware saw it, classified once the API's request ids are known. */
interface Seen {
  requestId: string;
  command: string;
  input: Record<string, unknown>;
  output?: Record<string, unknown>;
  error?: unknown;
  /** For a write, the items it touched as read just before and just after it. */
  images?: WriteImages;
}

const seen: Seen[] = [];
let lastActivity = Date.now();
const invokeStore = await InvokeStore.getInstanceAsync(true);
/** The request id of the Lambda invocation a request was made in ('-' outside any). */
const requestIdNow = (): string => (invokeStore.hasContext() ? invokeStore.getRequestId() : '-');
const PERIODIC = /^reconcile-/;

/**
 * Reads the items a write touches, before and after it, so each is priced by DynamoDB's rules
 * (`table-writes.ts`, as `bench:cost` prices them); made once the runtime has set the endpoint,
 * and never recorded itself.
 */
let looker: DynamoDBClient | undefined;
function lookerClient(): DynamoDBClient {
  if (looker === undefined) {
    looker = new DynamoDBClient({});
    instrumented.add(looker.middlewareStack);
  }
  return looker;
}

/**
 * Adds the recording middleware to a client's stack, once: `ReturnConsumedCapacity: INDEXES` on
 * every request that takes it (before the document client marshals the input), and the low-level
 * input with the output or error after it (in the build step, after marshalling, so the keys are
 * typed attribute values). Every DynamoDB client the application makes passes through `send`.
 */
const instrumented = new WeakSet<object>();
function instrument(stack: DynamoDBClient['middlewareStack']): void {
  if (instrumented.has(stack)) return;
  instrumented.add(stack);
  stack.add(
    (next) => async (args) => {
      const input = args.input as Record<string, unknown>;
      if ('TableName' in input || 'RequestItems' in input || 'TransactItems' in input) {
        input.ReturnConsumedCapacity ??= 'INDEXES';
      }
      return next(args);
    },
    { step: 'initialize', name: 'benchConsumedCapacity', priority: 'high' },
  );
  stack.add(
    (next, context) => async (args) => {
      const requestId = requestIdNow();
      if (!PERIODIC.test(requestId)) lastActivity = Date.now();
      const entry: Seen = {
        requestId,
        command: String(context.commandName),
        input: args.input as Record<string, unknown>,
      };
      // The reconciler's writes are left out of the heat: not read, to keep its pace.
      const { targets } = PERIODIC.test(requestId)
        ? { targets: [] }
        : writeTargets(entry.command, entry.input);
      const before = targets.length > 0 ? await images(lookerClient(), targets) : undefined;
      try {
        const result = await next(args);
        entry.output = result.output as unknown as Record<string, unknown>;
        return result;
      } catch (error: unknown) {
        entry.error = error;
        throw error;
      } finally {
        // A failed write is charged too: its images are read all the same.
        if (before) entry.images = { before, after: await images(lookerClient(), targets) };
        seen.push(entry);
      }
    },
    { step: 'build', name: 'benchPartitionHeat', priority: 'low' },
  );
}
for (const ClientClass of [DynamoDBClient, DynamoDBDocumentClient]) {
  const send = ClientClass.prototype.send as (...args: unknown[]) => unknown;
  Object.defineProperty(ClientClass.prototype, 'send', {
    configurable: true,
    writable: true,
    value: function recorded(
      this: { middlewareStack: DynamoDBClient['middlewareStack'] },
      ...args: unknown[]
    ) {
      instrument(this.middlewareStack);
      return send.apply(this, args);
    },
  });
}

/** Who sends post `n`: a campaign of residents, some repeat complainants, some wanting letters. */
function sender(n: number, run: string): { fields: Record<string, string>; address: string } {
  // One post in ten is from one of a few residents who send eight each (within the daily limit).
  const { person, repeat } = campaignPerson(n);
  const who = repeat ? `repeat-${Math.floor(n / 80)}` : `resident-${n}`;
  // Each person's own loopback address (Linux answers on all of 127.0.0.0/8): the per-client limit
  // counts them apart, as it would residents on their own connections.
  const address = `127.${1 + ((person >> 16) & 0xff)}.${(person >> 8) & 0xff}.${person & 0xff}`;
  const fields: Record<string, string> = {
    kind: n % 20 === 7 ? 'comment' : 'complaint',
    service: SERVICE,
    summary: [
      'The closure of the estate office on our street means nobody answers about repairs.',
      'Please reverse the decision to close the estate office: repairs now take months.',
      'Since the estate office closed my repair has been booked three times and nobody came.',
    ][n % 3] as string,
    desiredOutcome: 'Keep the estate office open',
    'complainant.name': residentName(person),
    'complainant.email': `${who}-${run}@example.org`,
    onBehalf: 'no',
  };
  if (n % 20 === 11) {
    fields['complainant.contactBy'] = 'post';
    // The estate's twenty postcodes: a postcode is a search term too.
    fields['complainant.address'] = `${n} Estate Road, Example Town, EX1 ${n % 20}AA`;
  }
  return { fields, address };
}

/** Posts the resident form from the sender's own client address; resolves to the API's request id when accepted. */
function post(apiUrl: string, n: number, run: string): Promise<string | undefined> {
  const browser = randomBytes(24).toString('base64url');
  const csrf = feedbackFormToken(browser, LINK_SECRET, new Date());
  const { fields, address } = sender(n, run);
  const body = new URLSearchParams({ csrf, ...fields }).toString();
  const url = new URL('/complaints', apiUrl);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        localAddress: address,
        headers: {
          'Content-Type': 'application/x-www-form-urlencoded',
          'Content-Length': Buffer.byteLength(body),
          Cookie: `redress_csrf=${browser}`,
          Accept: 'text/html',
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => {
          if (res.statusCode === 303) resolve(String(res.headers['x-amzn-requestid'] ?? ''));
          else resolve(undefined);
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** `CONCURRENT_POSTS` posts in flight until `INTAKES` are done; the accepted ones' request ids. */
async function postAll(apiUrl: string, run: string): Promise<{ accepted: Set<string>; refused: number }> {
  const accepted = new Set<string>();
  let refused = 0;
  let next = 0;
  const worker = async () => {
    while (next < INTAKES) {
      const n = next;
      next += 1;
      const id = await post(apiUrl, n, run);
      if (id) accepted.add(id);
      else refused += 1;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENT_POSTS }, worker));
  return { accepted, refused };
}

/** Waits until the workflows of `cases` cases have started and nothing but periodic work has asked DynamoDB anything for a while. */
async function settle(countExecutions: () => Promise<number>, cases: number): Promise<number> {
  const deadline = Date.now() + 15 * 60_000;
  for (;;) {
    const executions = await countExecutions();
    if ((executions >= cases && Date.now() - lastActivity > QUIET_MS) || Date.now() > deadline)
      return executions;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

const shortKey = (key: string) =>
  key
    .replace(/[0-9a-f]{64}/g, (h) => `${h.slice(0, 8)}…`)
    .replace(/[0-9a-f-]{36}/g, (id) => `${id.slice(0, 8)}…`);
const perSecond = (units: number, intakes: number) => (units / intakes) * RATE;
const fmt = (n: number, digits = 1) => n.toFixed(digits);

interface Heat {
  scope: string;
  key: string;
  wcu: number;
  rcu: number;
}

/** Units a second at `RATE` intakes a second per key, the keys merged by `keyOf`. */
function heatAt(partitions: PartitionTally[], intakes: number, keyOf: (p: PartitionTally) => string): Heat[] {
  const merged = new Map<string, Heat>();
  for (const p of partitions) {
    const key = keyOf(p);
    const id = `${p.scope}\u0000${key}`;
    const heat = merged.get(id) ?? { scope: p.scope, key, wcu: 0, rcu: 0 };
    heat.wcu += perSecond(p.writeUnits, intakes);
    heat.rcu += perSecond(p.readUnits, intakes);
    merged.set(id, heat);
  }
  return [...merged.values()].sort(
    (a, b) =>
      Math.max(b.wcu / WRITE_LIMIT, b.rcu / READ_LIMIT) - Math.max(a.wcu / WRITE_LIMIT, a.rcu / READ_LIMIT),
  );
}

/** Prints `rows` under `title`; `units` names the figures (a second at the rate, or the whole run). */
function table(title: string, rows: Heat[], units: [string, string] = ['  WCU/s', '  RCU/s']): void {
  console.log(`\n${title}`);
  console.log(
    `|  # | index          | partition key                              | ${units[0]} | × 1,000 | ${units[1]} | × 3,000 |`,
  );
  console.log(
    '|---:|----------------|--------------------------------------------|--------:|--------:|--------:|--------:|',
  );
  rows.forEach((r, i) => {
    console.log(
      `| ${String(i + 1).padStart(2)} | ${r.scope.padEnd(14)} | ${shortKey(r.key).padEnd(42)} | ${fmt(r.wcu).padStart(7)} | ${fmt(r.wcu / WRITE_LIMIT, 3).padStart(7)} | ${fmt(r.rcu).padStart(7)} | ${fmt(r.rcu / READ_LIMIT, 3).padStart(7)} |`,
    );
  });
}

async function main(): Promise<void> {
  const { startRuntime } = await import('../../infra/local/runtime.js');
  // Each request is told by its invocation's request id in the invoke store, which the runtime
  // leaves unused when nothing is logged: ask for it.
  const { keepInvocationsApart } = await import('../../infra/local/workflow-runtime.js');
  keepInvocationsApart();
  const dataDir = mkdtempSync(join(tmpdir(), 'redress-partitions-bench-'));
  // What the runtime logs (a step's error, the counters' backfill), shown at the end.
  const problems: string[] = [];
  const runtime = await startRuntime({ port: 0, dataDir, log: (line) => problems.push(line) });
  const countExecutions = async () => (await runtime.engine.listExecutions()).executions.length;
  try {
    console.log(
      `Partition heat: ${INTAKES} form posts about one service ("${SERVICE}") through the local service ` +
        `(API Gateway stand-in, api handler, the stream's start-workflows and case-changes, the workflows' first steps) ` +
        `on DynamoDB Local, ${CONCURRENT_POSTS} at a time; Node ${process.version}`,
    );
    // One post first, settled and left out: cold starts and the first reference block.
    await post(runtime.endpoints.api, 0, 'warm');
    await settle(countExecutions, 1);
    const before = await countExecutions();
    const startIndex = seen.length;
    const run = randomBytes(3).toString('hex');
    const { accepted, refused } = await postAll(runtime.endpoints.api, run);
    const executions = (await settle(countExecutions, before + accepted.size)) - before;
    const records = seen.slice(startIndex);

    const sourceOf = (requestId: string) =>
      accepted.has(requestId)
        ? 'intake'
        : requestId.startsWith('stream-')
          ? 'stream'
          : PERIODIC.test(requestId)
            ? 'periodic'
            : requestId === '-'
              ? 'outside'
              : 'steps';
    const heat = new PartitionHeat(
      CASE_TABLE_DESIGN,
      (source) => source !== 'periodic' && source !== 'outside',
    );
    for (const r of records) {
      heat.record(sourceOf(r.requestId), r.command, r.input, {
        ...(r.output ? { output: r.output } : {}),
        ...(r.error !== undefined ? { error: r.error } : {}),
        ...(r.images ? { images: r.images } : {}),
      });
    }
    const n = accepted.size;
    const partitions = heat.partitions();
    console.log(
      `accepted ${n} (refused ${refused}); workflows started ${executions}; DynamoDB requests recorded ${records.length}`,
    );
    const bySource = new Map<string, number>();
    for (const [name, count] of heat.requests) {
      const source = name.split(' ')[0] as string;
      bySource.set(source, (bySource.get(source) ?? 0) + count);
    }
    console.log(
      `requests per intake: ${[...bySource]
        .filter(([s]) => s !== 'periodic' && s !== 'outside')
        .map(([s, c]) => `${s} ${fmt(c / n, 2)}`)
        .join(
          ', ',
        )}; left out (not driven by intake): reconciler ${bySource.get('periodic') ?? 0} requests, outside any invocation ${bySource.get('outside') ?? 0}`,
    );
    if (heat.failures.size > 0)
      console.log(
        `failed requests per intake (each counted at its items' sizes, doubled in a transaction, as if charged): ${[...heat.failures].map(([e, c]) => `${e} ${fmt(c / n, 3)}`).join('; ')}`,
      );
    if (heat.unattributed.size > 0)
      console.log(
        `index units no entry change accounts for: ${[...heat.unattributed].map(([i, u]) => `${i} ${fmt(u)}`).join(', ')}`,
      );

    // Keys of one case or one complainant take that case's or person's work however many others
    // come in: scaling them with the intake rate would be wrong. They are bounded below instead.
    const shared = partitions.filter((p) => !OWN_KEY.test(p.key));
    const own = partitions.filter((p) => OWN_KEY.test(p.key));
    // The whole table's units (every key and index): a limit of the table and the account, not of a partition.
    const totalWrites = partitions.reduce((sum, p) => sum + p.writeUnits, 0) / n;
    const totalReads = partitions.reduce((sum, p) => sum + p.readUnits, 0) / n;
    console.log(
      `whole table and indexes: ${fmt(totalWrites)} write units and ${fmt(totalReads)} read units per intake, ` +
        `${fmt(totalWrites * RATE, 0)} WCU/s and ${fmt(totalReads * RATE, 0)} RCU/s at ${RATE.toLocaleString('en-GB')} intakes a second`,
    );
    const after = heatAt(shared, n, (p) => p.key);
    const unsharded = heatAt(shared, n, (p) => unshardedKey(p.scope, p.key));
    // Before reference blocks, every intake wrote the counter once: the block's writes scaled up.
    const counterWrites = partitions.filter((p) => p.scope === TABLE_SCOPE && p.key.startsWith('COUNTER#'));
    for (const counter of counterWrites) {
      const base = unsharded.find((h) => h.scope === TABLE_SCOPE && h.key === counter.key);
      const unitsPerWrite = counter.writeUnits / Math.max(1, counter.writes);
      // The references of this counter's kind and year handed out in the run: one item each.
      const [, prefix, year] = counter.key.split('#');
      const references = partitions.filter(
        (p) => p.scope === TABLE_SCOPE && p.key.startsWith(`REF#${prefix}-${year}-`),
      ).length;
      if (base) base.wcu = perSecond(unitsPerWrite * references, n);
    }
    unsharded.sort(
      (a, b) =>
        Math.max(b.wcu / WRITE_LIMIT, b.rcu / READ_LIMIT) - Math.max(a.wcu / WRITE_LIMIT, a.rcu / READ_LIMIT),
    );

    table(
      `Hottest 10 partition keys at ${RATE.toLocaleString('en-GB')} intakes a second, as designed (sharded):`,
      after.slice(0, 10),
    );
    table(
      'Baseline, the same traffic on the keys before shards (shard suffix stripped from OPEN, RECEIVED#<month>, SERVICE#<service>; reference counter once per intake):',
      unsharded.slice(0, 10),
    );

    // Every family of shared keys (an index, and the key up to its first variable part): its
    // hottest key before and after, so the sharded families show their ratio and the others that
    // nothing else comes near a limit.
    console.log(
      '\nBefore → after, per family of shared keys (its hottest key; WCU/s and RCU/s at 1,000 intakes a second, × the limit):',
    );
    console.log(
      '| family                          | keys |    before WCU/s |     after WCU/s | after ÷ before |    after RCU/s |',
    );
    console.log(
      '|---------------------------------|-----:|----------------:|----------------:|---------------:|---------------:|',
    );
    // A family is named by its keys before shards, so `OPEN#<n>` after is compared with `OPEN` before.
    const familyOf = (h: Heat) =>
      `${h.scope === TABLE_SCOPE ? '' : `${h.scope} `}${familyName(unshardedKey(h.scope, h.key))}`;
    const hottestBy = (rows: Heat[], pick: (h: Heat) => number) => {
      const out = new Map<string, { heat: Heat; keys: number }>();
      for (const h of rows) {
        const family = familyOf(h);
        const held = out.get(family);
        if (!held || pick(h) > pick(held.heat)) out.set(family, { heat: h, keys: (held?.keys ?? 0) + 1 });
        else held.keys += 1;
      }
      return out;
    };
    const load = (h: Heat) => Math.max(h.wcu / WRITE_LIMIT, h.rcu / READ_LIMIT);
    const afterFamilies = hottestBy(after, load);
    const beforeFamilies = hottestBy(unsharded, load);
    const cell = (units: number, limit: number) => `${fmt(units)} (${fmt(units / limit, 3)})`;
    for (const [family, { heat: is, keys }] of [...afterFamilies].sort(
      (a, b) => load(b[1].heat) - load(a[1].heat),
    )) {
      const was = beforeFamilies.get(family)?.heat;
      console.log(
        `| ${family.padEnd(31)} | ${String(keys).padStart(4)} | ${(was ? cell(was.wcu, WRITE_LIMIT) : '—').padStart(15)} | ${cell(is.wcu, WRITE_LIMIT).padStart(15)} | ${(was && was.wcu > 0 ? `${fmt(is.wcu / was.wcu, 3)}×` : '—').padStart(14)} | ${cell(is.rcu, READ_LIMIT).padStart(14)} |`,
      );
    }

    // The reference counter: writes per 1,000 intakes.
    const counterTotal = counterWrites.reduce((sum, c) => sum + c.writes, 0);
    console.log(
      `\nReference numbers: ${fmt((counterTotal / n) * 1000)} writes to the counter items per 1,000 intakes ` +
        `(${counterWrites.map((c) => `${shortKey(c.key)} ${c.writes}`).join(', ')}); one per intake (1,000) before blocks.`,
    );
    // The report's counters: each case's changes all go to its own shard, so a shard's heat is
    // its share of the cases times the units each case's counted changes take.
    const shards = partitions.filter((p) => p.scope === TABLE_SCOPE && /^REPORT#.+#\d+$/.test(p.key));
    const shardUnits = shards.reduce((sum, p) => sum + p.writeUnits, 0);
    const busiestShard = Math.max(0, ...shards.map((p) => p.writeUnits));
    console.log(
      `Report counters: ${fmt(shardUnits / n, 2)} write units per intake on their shards ` +
        `(${fmt(shards.reduce((sum, p) => sum + p.writes, 0) / n, 2)} items written per intake, in this window); ` +
        `${shards.length} shards, the mean ${fmt(perSecond(shardUnits / Math.max(1, shards.length), n))} WCU/s ` +
        `and the busiest ${fmt(perSecond(busiestShard, n))} (${fmt(busiestShard / Math.max(1e-9, shardUnits / Math.max(1, shards.length)), 2)}× the mean) at ${RATE.toLocaleString('en-GB')} intakes a second.`,
    );
    // The vexatious check: reads per intake on the complainant's own designation key.
    const designated = partitions.filter((p) => p.scope === TABLE_SCOPE && p.key.startsWith('DESIGNATED#'));
    const designatedReads = designated.reduce((sum, p) => sum + p.reads, 0);
    const busiest = designated.sort((a, b) => b.reads - a.reads)[0];
    const marker = partitions.find((p) => p.scope === TABLE_SCOPE && p.key === 'DESIGNATED');
    console.log(
      `Vexatious check: ${fmt(designatedReads / n, 2)} reads per intake, each a Query of the complainant's own ` +
        `DESIGNATED#<digest> key (${fmt(designated.reduce((s, p) => s + p.readUnits, 0) / n, 2)} read units per intake; ` +
        `${designated.length} keys, the busiest read ${busiest?.reads ?? 0} times: a repeat complainant's posts); ` +
        `the "indexed" marker read ${marker?.reads ?? 0} times in the run (once per container).`,
    );
    // One case's or one complainant's keys: all the units they took in the whole run, as if in one second.
    const ownHeat = own
      .map((p) => ({ scope: p.scope, key: p.key, wcu: p.writeUnits, rcu: p.readUnits }))
      .sort(
        (a, b) =>
          Math.max(b.wcu / WRITE_LIMIT, b.rcu / READ_LIMIT) -
          Math.max(a.wcu / WRITE_LIMIT, a.rcu / READ_LIMIT),
      );
    table(
      'Keys of one case or one complainant (CASE#, REF#, REPORTED#, IDEMPOTENCY#, WHO#, DESIGNATED#, RATE#, COMPLAINANT#): not scaled with the rate; every unit each took in the whole run, as if all in one second (an upper bound):',
      ownHeat.slice(0, 5),
      ['WCU run', 'RCU run'],
    );
    const ownWorst = ownHeat[0] ? Math.max(ownHeat[0].wcu / WRITE_LIMIT, ownHeat[0].rcu / READ_LIMIT) : 0;

    const hottest = after[0];
    const worst = hottest ? Math.max(hottest.wcu / WRITE_LIMIT, hottest.rcu / READ_LIMIT) : 0;
    const baseWorst = unsharded[0]
      ? Math.max(unsharded[0].wcu / WRITE_LIMIT, unsharded[0].rcu / READ_LIMIT)
      : 0;
    console.log(
      `\nHottest key at ${RATE.toLocaleString('en-GB')} intakes a second: ${fmt(worst, 3)}× its partition's limit ` +
        `(${hottest ? `${hottest.scope} ${shortKey(hottest.key)}` : 'none'}); before shards ${fmt(baseWorst, 3)}× ` +
        `(${unsharded[0] ? `${unsharded[0].scope} ${shortKey(unsharded[0].key)}` : 'none'}); busiest key of one case or ` +
        `complainant ${fmt(ownWorst, 3)}× over the whole run. ${worst < 1 && ownWorst < 1 ? 'PASS' : 'FAIL'}: ` +
        `${worst < 1 && ownWorst < 1 ? 'no' : 'a'} partition key reaches 1,000 WCU/s or 3,000 RCU/s.`,
    );
    console.log(
      'Limits of this model: units per intake scaled linearly, as if every second were an even spread of these ' +
        'intakes (no burst above the mean, no burst capacity or adaptive capacity counted, no split for heat); ' +
        'only the first minutes of each case (intake, stream, the steps up to the acknowledgement wait), not the ' +
        "officers' later changes; the table's write units by DynamoDB's rules from each item's size before and " +
        'after the write, reads and index writes as DynamoDB Local reports them.',
    );
    if (problems.length > 0)
      console.log(`\nruntime log (${problems.length} lines): ${problems.slice(0, 3).join(' | ')}`);
    // A key at its limit, or a post that did not become a case with its workflow, fails the run.
    if (!(worst < 1 && ownWorst < 1) || refused > 0 || executions < n) process.exitCode = 1;
  } finally {
    await runtime.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();

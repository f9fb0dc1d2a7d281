/**
 * Benchmark: intake latency. Residents' form posts (`POST /complaints`, form-encoded, with the
 * double-submit CSRF cookie a browser has from the form page) go through the API Gateway
 * stand-in to the deployed api handler, against DynamoDB Local, with the whole local service
 * running (`npm start`'s runtime: the table's stream starts each case's workflow, whose first
 * steps route the case and email the receipt). Alongside, two bare node:http servers, each on a
 * table of the same design and with nothing else:
 * - the simple one, as this bench first had it: two rate-limit counters, the complainant lookup
 *   on its index, the reference counter, and a transaction of the case (one index), its event,
 *   reference and idempotency items;
 * - the app's own calls: intake's DynamoDB calls made through intake's adapters (the two limits,
 *   the designation check, references in blocks, and `create`'s transaction, which also writes
 *   the case's four index entries, its search terms and its work-list entry), so that the ratio
 *   is the app's cost beyond the DynamoDB work its design asks for.
 *
 * Two loads, each against the servers in turn: an open loop of 3 posts a second, and 50 posts at
 * a time (closed loop). The app runs each load twice (`APP_MODES`): with the workflows its posts
 * start held until the load ends, as on AWS, where they run on other machines (goal 3 is judged
 * by this one), and with them running alongside in this process and on this DynamoDB Local, as
 * `npm start` runs them. Prints p50 and p99 of each and the app's as a ratio of each bare
 * server's (goal: p99 ≤ 1.3×). Then checks that every accepted post became a case whose workflow
 * started and whose resident got a receipt, and prints the counts. It asserts nothing about time.
 * Each load runs in rounds, bare servers then app, and prints the median of the rounds' ratios:
 * on a shared machine one round's p99 moves with the neighbours (1.39× and 1.93× a minute apart).
 *
 *   npm run bench:intake   (BENCH_RATE_SECONDS, default 20; BENCH_CONCURRENT_POSTS, default 500;
 *                           BENCH_ROUNDS, default 3)
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { CASE_INDEX, createCaseTable } from '../../functions/adapters/case-table.js';
import type { DynamoDbCaseStore } from '../../functions/adapters/dynamodb-case-store.js';
import type { CaseRecord } from '../../functions/domain/case.js';
import { feedbackFormToken } from '../../functions/web/form-token.js';
import type { startRuntime } from '../../infra/local/runtime.js';
import { fetchStore } from '../../infra/local/stand-ins/ses.js';

const RATE = 3;
const RATE_SECONDS = Number(process.env.BENCH_RATE_SECONDS ?? 20);
const CONCURRENCY = 50;
const CONCURRENT_POSTS = Number(process.env.BENCH_CONCURRENT_POSTS ?? 500);
const BARE_TABLE = 'bare-intake';
const ADAPTERS_TABLE = 'bare-intake-adapters';
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 3));

// Every post comes from 127.0.0.1: lift the per-client limit so that it counts without refusing.
// Set before the application's modules load (below, in main): Powertools reads them then.
process.env.INTAKE_LIMIT_PER_CLIENT_PER_HOUR = '1000000';
process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
process.env.POWERTOOLS_METRICS_DISABLED = 'true';
// The form's token is signed with the link secret: the runtime started below signs with this one.
const LINK_SECRET = randomBytes(32).toString('base64url');
process.env.LINK_SECRET = LINK_SECRET;

/**
 * DynamoDB requests made in this process, by the bare server's clients and by everything else
 * (the app: intake, the stream's workflow starter, the workflows' steps): where the app's time
 * goes when DynamoDB Local is the bottleneck. Counted on both client classes' `send`.
 */
const dynamoRequests = { bare: 0, adapters: 0, app: 0 };
/** The clients of the two bare servers; any other client is the app's. */
const bareClients = new WeakMap<object, 'bare' | 'adapters'>();
for (const ClientClass of [DynamoDBClient, DynamoDBDocumentClient]) {
  const send = ClientClass.prototype.send as (...args: unknown[]) => unknown;
  Object.defineProperty(ClientClass.prototype, 'send', {
    configurable: true,
    writable: true,
    value: function counted(this: object, ...args: unknown[]) {
      dynamoRequests[bareClients.get(this) ?? 'app'] += 1;
      return send.apply(this, args);
    },
  });
}

/** One resident's form post: a browser's own form cookie, a token issued to it, and a fresh email address. */
function formPost(n: number, run: string): { body: string; cookie: string; email: string } {
  const browser = randomBytes(24).toString('base64url');
  const csrf = feedbackFormToken(browser, LINK_SECRET, new Date());
  const email = `resident-${run}-${n}@example.org`;
  const body = new URLSearchParams({
    csrf,
    kind: 'complaint',
    service: 'housing',
    summary: `The repair to my kitchen ceiling was booked three times and nobody came (post ${n}).`,
    desiredOutcome: 'A date for the repair and an apology',
    'complainant.name': `Resident ${n}`,
    'complainant.email': email,
    onBehalf: 'no',
  }).toString();
  return { body, cookie: `redress_csrf=${browser}`, email };
}

/** Posts one form; resolves to the milliseconds it took and whether it was accepted (303). */
async function post(url: string, n: number, run: string, accepted: string[]): Promise<number> {
  const { body, cookie, email } = formPost(n, run);
  const started = performance.now();
  const response = await fetch(`${url}/complaints`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: cookie, Accept: 'text/html' },
    body,
    redirect: 'manual',
  });
  await response.arrayBuffer();
  const ms = performance.now() - started;
  if (response.status === 303) accepted.push(email);
  else throw new Error(`post ${n} to ${url} answered ${response.status}`);
  return ms;
}

/**
 * The bare server: the DynamoDB calls intake makes for one post, through the same SDK, on a table
 * of the same design (`createCaseTable`), and a 303 with no page.
 */
async function startBareServer(endpoint: string): Promise<{ url: string; close: () => Promise<void> }> {
  const raw = new DynamoDBClient({ endpoint });
  await createCaseTable(raw, BARE_TABLE);
  const db = DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } });
  bareClients.set(raw, 'bare');
  bareClients.set(db, 'bare');
  const take = async (key: string, now: number, windowSeconds: number) => {
    const windowStart = now - (now % windowSeconds);
    try {
      await db.send(
        new UpdateCommand({
          TableName: BARE_TABLE,
          Key: { PK: `RATE#${key}#${windowStart}`, SK: 'RATE' },
          UpdateExpression: 'ADD hits :one, seen :seen SET expiresAt = :expires, entity = :entity',
          ConditionExpression: '(attribute_not_exists(hits) OR hits < :max) AND NOT contains(seen, :id)',
          ExpressionAttributeValues: {
            ':one': 1,
            ':max': 1_000_000,
            ':expires': windowStart + windowSeconds + 3600,
            ':entity': 'rate',
            ':seen': new Set([key.slice(0, 16)]),
            ':id': key.slice(0, 16),
          },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
    } catch (error: unknown) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  };
  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
    const email = form.get('complainant.email') ?? '';
    const now = Math.floor(Date.now() / 1000);
    await take(`email:${email}`, now, 86_400);
    await take(`client:127.0.0.1:${randomUUID()}`, now, 3_600);
    await db.send(
      new QueryCommand({
        TableName: BARE_TABLE,
        IndexName: CASE_INDEX.byComplainant,
        KeyConditionExpression: 'GSI2PK = :pk',
        ExpressionAttributeValues: { ':pk': `COMPLAINANT#${email}` },
        ScanIndexForward: false,
      }),
    );
    const counter = await db.send(
      new UpdateCommand({
        TableName: BARE_TABLE,
        Key: { PK: 'SEQ#complaint#2026', SK: 'SEQ' },
        UpdateExpression: 'ADD #n :one',
        ExpressionAttributeNames: { '#n': 'n' },
        ExpressionAttributeValues: { ':one': 1 },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    const reference = `CMP-2026-${String(counter.Attributes?.n).padStart(6, '0')}`;
    const caseId = randomUUID();
    const at = new Date().toISOString();
    const record = {
      caseId,
      reference,
      summary: form.get('summary'),
      desiredOutcome: form.get('desiredOutcome'),
      complainant: { name: form.get('complainant.name'), email },
      receivedAt: at,
    };
    await db.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: BARE_TABLE,
              Item: {
                PK: `CASE#${caseId}`,
                SK: 'CASE',
                GSI2PK: `COMPLAINANT#${email}`,
                GSI2SK: at,
                ...record,
              },
              ConditionExpression: 'attribute_not_exists(PK)',
            },
          },
          {
            Put: {
              TableName: BARE_TABLE,
              Item: { PK: `CASE#${caseId}`, SK: `EVENT#${at}#0001`, type: 'received', at },
            },
          },
          {
            Put: {
              TableName: BARE_TABLE,
              Item: { PK: `REF#${reference}`, SK: 'REF', caseId },
              ConditionExpression: 'attribute_not_exists(PK)',
            },
          },
          {
            Put: {
              TableName: BARE_TABLE,
              Item: { PK: `IDEMPOTENCY#form:${form.get('csrf')}`, SK: 'IDEMPOTENCY', caseId },
              ConditionExpression: 'attribute_not_exists(PK)',
            },
          },
        ],
      }),
    );
    response.writeHead(303, { Location: `/complaints/received?receipt=${caseId}` }).end();
  };
  return serve(handle, raw);
}

/**
 * The second bare server: intake's DynamoDB calls through intake's own adapters, for a case like
 * the one intake makes of the same form (a complaint about housing, handled), and a 303.
 */
async function startAdapterServer(endpoint: string): Promise<{ url: string; close: () => Promise<void> }> {
  const { DynamoDbCaseStore } = await import('../../functions/adapters/dynamodb-case-store.js');
  const { DynamoDbRateLimiter } = await import('../../functions/adapters/dynamodb-rate-limiter.js');
  const { computeDeadlines } = await import('../../functions/domain/deadlines.js');
  const { intakeRateLimits } = await import('../../functions/domain/intake-limits.js');
  const { loadPolicy } = await import('../../functions/domain/policy.js');
  const raw = new DynamoDBClient({ endpoint });
  await createCaseTable(raw, ADAPTERS_TABLE);
  const db = DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } });
  bareClients.set(raw, 'adapters');
  bareClients.set(db, 'adapters');
  const store = new DynamoDbCaseStore({ tableName: ADAPTERS_TABLE, client: db });
  const limiter = new DynamoDbRateLimiter({ tableName: ADAPTERS_TABLE, client: db });
  const policy = loadPolicy('lgsco-code-2024');
  const service = policy.routing.services.find((s) => s.id === 'housing');
  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
    const email = form.get('complainant.email') ?? '';
    const key = `form:${form.get('csrf')}`;
    const now = new Date();
    const at = now.toISOString();
    const limits = { perEmailPerDay: 10, perClientPerHour: 1_000_000 };
    await limiter.take(intakeRateLimits(limits, { email, client: '127.0.0.1' }), now, key);
    const vexatious = await store.complainantDesignated(email);
    const reference = await store.nextReference('complaint', now.getUTCFullYear());
    const record: CaseRecord = {
      caseId: randomUUID(),
      reference,
      kind: 'complaint',
      submittedKind: 'complaint',
      status: 'received',
      stage: 1,
      policyId: policy.id,
      ...(service ? { service: service.id, directorate: service.directorate } : {}),
      summary: form.get('summary') ?? '',
      desiredOutcome: form.get('desiredOutcome') ?? '',
      complainant: { name: form.get('complainant.name') ?? '', email },
      anonymous: false,
      channel: 'online',
      language: 'en',
      receivedAt: at,
      createdAt: at,
      updatedAt: at,
      triage: { route: 'handle', reasons: [] },
      deadlines: computeDeadlines(policy, 'complaint', at),
      ...(vexatious ? { vexatious: true } : {}),
      progress: { stage1: { startedAt: at } },
      version: 1,
    };
    const detail = { kind: 'complaint', route: 'handle', exclusion: null };
    await store.create(record, { at, type: 'received', actor: 'resident', channel: 'online', detail }, key);
    response.writeHead(303, { Location: `/complaints/received?receipt=${record.caseId}` }).end();
  };
  return serve(handle, raw);
}

/** A bare server on a free port answering with `handle`; closing it also closes its DynamoDB client. */
async function serve(
  handle: (request: IncomingMessage, response: ServerResponse) => Promise<void>,
  raw: DynamoDBClient,
): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      response.writeHead(500).end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      raw.destroy();
    },
  };
}

/** Open loop: `RATE` posts a second for `seconds`, each timed on its own. */
async function atRate(url: string, run: string, accepted: string[]): Promise<number[]> {
  const total = RATE * RATE_SECONDS;
  const posts: Promise<number>[] = [];
  const started = performance.now();
  for (let n = 0; n < total; n += 1) {
    const due = started + (n * 1000) / RATE;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - performance.now())));
    posts.push(post(url, n, run, accepted));
  }
  return Promise.all(posts);
}

/** Closed loop: `CONCURRENCY` posts in flight at all times until `CONCURRENT_POSTS` are done. */
async function concurrent(url: string, run: string, accepted: string[]): Promise<number[]> {
  const times: number[] = [];
  let next = 0;
  const worker = async () => {
    while (next < CONCURRENT_POSTS) {
      const n = next;
      next += 1;
      times.push(await post(url, n, run, accepted));
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return times;
}

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] as number;
}

/** Waits until `check` answers true, or gives up after `ms`. */
async function until(check: () => Promise<boolean>, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return check();
}

/** Counts, once they stop changing (or after two minutes), the cases, workflows and receipts of `accepted`. */
async function settle(
  runtime: Awaited<ReturnType<typeof startRuntime>>,
  store: DynamoDbCaseStore,
  accepted: string[],
): Promise<{ cases: number; workflows: number; receipts: number }> {
  const caseIds = new Map<string, string>();
  const count = async () => {
    for (const email of accepted) {
      if (caseIds.has(email)) continue;
      const [c] = await store.byComplainant(email);
      if (c) caseIds.set(email, c.caseId);
    }
    const names = new Set((await runtime.engine.listExecutions()).executions.map((e) => e.name));
    const to = new Set((await fetchStore(runtime.endpoints.ses)).flatMap((m) => m.destination.to));
    return {
      cases: caseIds.size,
      workflows: [...caseIds.values()].filter((id) => names.has(id)).length,
      receipts: accepted.filter((email) => to.has(email)).length,
    };
  };
  let counted = await count();
  await until(async () => {
    counted = await count();
    return (
      counted.cases === accepted.length &&
      counted.workflows === accepted.length &&
      counted.receipts === accepted.length
    );
  }, 120_000);
  return counted;
}

/** The app's p50 and p99 as ratios of one bare server's, in one round. */
interface Ratios {
  p50: number;
  p99: number;
}

async function main(): Promise<void> {
  const { LOCAL_CASE_TABLE, startRuntime } = await import('../../infra/local/runtime.js');
  const { DynamoDbCaseStore } = await import('../../functions/adapters/dynamodb-case-store.js');
  const dataDir = mkdtempSync(join(tmpdir(), 'redress-intake-bench-'));
  const runtime = await startRuntime({ port: 0, dataDir, log: () => undefined });
  const bare = await startBareServer(runtime.endpoints.dynamodb);
  const adapters = await startAdapterServer(runtime.endpoints.dynamodb);
  try {
    console.log(
      `Intake: POST /complaints (form) through the API Gateway stand-in, DynamoDB Local; Node ${process.version}`,
    );
    // One post each first: the api handler's cold start is the cold-start benchmark's business.
    await post(runtime.endpoints.api, -1, 'warm', []);
    await post(bare.url, -1, 'warm', []);
    await post(adapters.url, -1, 'warm', []);

    const raw = new DynamoDBClient({ endpoint: runtime.endpoints.dynamodb });
    const store = new DynamoDbCaseStore({
      tableName: LOCAL_CASE_TABLE,
      client: DynamoDBDocumentClient.from(raw),
    });
    const loads = [
      { name: `${RATE} posts a second for ${RATE_SECONDS} s`, run: atRate },
      { name: `${CONCURRENCY} at a time, ${CONCURRENT_POSTS} posts`, run: concurrent },
    ];
    for (const load of loads) {
      const rounds: Awaited<ReturnType<typeof runRound>>[] = [];
      for (let round = 1; round <= ROUNDS; round += 1) {
        rounds.push(await runRound(load, round, runtime, { bare: bare.url, adapters: adapters.url }, store));
      }
      const median = (values: number[]) => quantile(values, 0.5).toFixed(2);
      for (const mode of Object.keys(APP_MODES) as AppMode[]) {
        console.log(`${load.name.padEnd(32)} the app, ${APP_MODES[mode]}, median of ${ROUNDS} rounds:`);
        for (const [against, name] of [
          ['bare', 'the simple bare server'],
          ['adapters', 'the app’s own calls'],
        ] as const) {
          const ratios = rounds.map((r) => r[mode][against]);
          console.log(
            `${''.padEnd(34)}against ${name}: p50 ${median(ratios.map((r) => r.p50))}×  ` +
              `p99 ${median(ratios.map((r) => r.p99))}× (goal p99 ≤ 1.3×); ` +
              `p99 by round ${ratios.map((r) => `${r.p99.toFixed(2)}×`).join(', ')}`,
          );
        }
      }
    }
    raw.destroy();
  } finally {
    await bare.close();
    await adapters.close();
    await runtime.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * How the app's posts share the machine with the workflows they start. On AWS the workflows' steps
 * are other Lambdas on other machines, and DynamoDB serves them without slowing intake's requests;
 * here they share this process and DynamoDB Local's CPU with intake. `after`: the stream consumers
 * are paused while the posts are made (`runtime.streams`, as an event source mapping is disabled)
 * and resumed when the load ends, so the posts meet only their own work, as on AWS; what goal 3
 * is judged by. `alongside`: the workflows start and run while the posts are made, as `npm start`
 * runs them. Either way, every accepted post must become a case with its workflow and receipt.
 */
const APP_MODES = {
  after: 'workflows after the load (as on AWS: other machines)',
  alongside: 'workflows alongside (this process, this DynamoDB Local)',
} as const;
type AppMode = keyof typeof APP_MODES;

/**
 * One round of a load: the two bare servers first, then the app with its workflows held until the
 * load ends, then the app with them alongside; prints each and waits until every post the app
 * accepted is a case with its workflow and receipt, so that runs do not overlap. Returns the
 * app's p50 and p99 as ratios of each bare server's, for each way of running its workflows.
 */
async function runRound(
  load: { name: string; run: (url: string, run: string, accepted: string[]) => Promise<number[]> },
  round: number,
  runtime: Awaited<ReturnType<typeof startRuntime>>,
  urls: { bare: string; adapters: string },
  store: DynamoDbCaseStore,
): Promise<Record<AppMode, { bare: Ratios; adapters: Ratios }>> {
  const timed = async (
    server: keyof typeof dynamoRequests,
    label: string,
    url: string,
    accepted: string[],
  ) => {
    const before = dynamoRequests[server];
    const times = await load.run(url, `${label}-${load.run.name}-${round}`, accepted);
    return {
      p50: quantile(times, 0.5),
      p99: quantile(times, 0.99),
      calls: (dynamoRequests[server] - before) / times.length,
    };
  };
  const bare = await timed('bare', 'bare', urls.bare, []);
  const adapters = await timed('adapters', 'adapters', urls.adapters, []);
  const ms = (n: number) => n.toFixed(0).padStart(5);
  console.log(
    `${`${load.name}, round ${round}`.padEnd(32)} simple bare p50 ${ms(bare.p50)} ms  p99 ${ms(bare.p99)} ms | ` +
      `app's calls p50 ${ms(adapters.p50)} ms  p99 ${ms(adapters.p99)} ms | DynamoDB requests a post: ` +
      `simple bare ${bare.calls.toFixed(1)}, app's calls ${adapters.calls.toFixed(1)}`,
  );
  const result = {} as Record<AppMode, { bare: Ratios; adapters: Ratios }>;
  for (const mode of Object.keys(APP_MODES) as AppMode[]) {
    const accepted: string[] = [];
    if (mode === 'after') await runtime.streams.pause();
    const app = await timed('app', `app-${mode}`, runtime.endpoints.api, accepted).finally(() => {
      if (mode === 'after') runtime.streams.resume();
    });
    const ratio = (base: { p50: number; p99: number }) => ({
      p50: app.p50 / base.p50,
      p99: app.p99 / base.p99,
    });
    result[mode] = { bare: ratio(bare), adapters: ratio(adapters) };
    // Every accepted post: a case, its workflow started (the execution is named by the case
    // id), a receipt to the resident. Waited for before the next run, so runs do not overlap.
    const counted = await settle(runtime, store, accepted);
    const complete =
      counted.cases === accepted.length &&
      counted.workflows === accepted.length &&
      counted.receipts === accepted.length;
    console.log(
      `${''.padEnd(32)} app, ${APP_MODES[mode]}: p50 ${ms(app.p50)} ms  p99 ${ms(app.p99)} ms | ` +
        `p99 ${result[mode].bare.p99.toFixed(2)}× and ${result[mode].adapters.p99.toFixed(2)}× (goal p99 ≤ 1.3×) | ` +
        `DynamoDB requests a post while posting ${app.calls.toFixed(1)}`,
    );
    console.log(
      `${''.padEnd(32)}   accepted ${accepted.length}; cases ${counted.cases}; workflows started ${counted.workflows}; ` +
        `receipts ${counted.receipts}` +
        (complete
          ? ' (every accepted complaint is a case with its workflow and receipt)'
          : ' (MISSING: see the counts)'),
    );
  }
  return result;
}

await main();

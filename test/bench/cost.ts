/**
 * `npm run bench:cost`: what a complaint costs on AWS, measured by running it. Four
 * representative cases (stage 1; stage 1 with a reminder; stage 2; a compliment) go through
 * the local runtime as in the workflow tests (the real ASL on the local engine, the deployed
 * entry files of the API, the stream's starter and every step), with the case store and the
 * intake limiter on Amazon's DynamoDB Local, which reports the capacity each request consumed
 * (`ReturnConsumedCapacity: INDEXES`, the indexes included: DynamoDB Local gives each index's share
 * as `CapacityUnits`). Its figure for the table's writes undercounts transactions, so those are
 * priced by DynamoDB's rules from the items each write touches (`table-writes.ts`), and Local's
 * figure is printed beside them; its reads and its indexes' units are taken as they are. Beside
 * the measure, the indexes' write units are worked out
 * from the items written (`index-writes.ts`): for the table's design, as a check on the model,
 * and for the same keys with every index projecting the whole item (the design before lean
 * projections), which prices the case as it would be without them. Counted per case: state
 * transitions (a Task's retries included: AWS bills each as one), Lambda invocations (and GB-seconds at an assumed duration), DynamoDB read and
 * write units, SES emails and SES's event about each (published to SNS, queued in SQS, recorded by
 * the `ses-events` function), S3 requests and API Gateway requests, each priced at the list
 * prices below; then the fixed monthly cost of the synthesized stack (KMS keys, alarms,
 * dashboards, secrets, WAF). Prints a table per case and its ratio to the SES floor (what the
 * emails it sends cost on their own). The case item is written at the size it has on AWS: case
 * ids are UUIDs, as the deployed API makes them, and task tokens AWS's length (`task-tokens.ts`).
 *
 * Only measures: nothing here changes how cases are stored.
 */
import './quiet-powertools.js';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { Template } from 'aws-cdk-lib/assertions';
import type { DynamoDBRecord } from 'aws-lambda';
import {
  CASE_TABLE_DESIGN,
  createCaseTable,
  DynamoDbCaseStore,
} from '../../functions/adapters/dynamodb-case-store.js';
import { DynamoDbRateLimiter } from '../../functions/adapters/dynamodb-rate-limiter.js';
import { DynamoDbReportCounters } from '../../functions/adapters/dynamodb-report-counters.js';
import { adapter, provideAdapters } from '../../functions/app/container.js';
import { COUNTED_CASE_BATCH_SIZE, isCountedCaseRecord } from '../../functions/app/report-counting.js';
import { CASE_STREAM_VIEW_TYPE } from '../../functions/app/workflow-starter.js';
import type { CaseRecord } from '../../functions/domain/case.js';
import { stage2LateRequestDeadline } from '../../functions/domain/case-clock.js';
import type { Archive } from '../../functions/domain/ports.js';
import { handler as caseChanges } from '../../functions/handlers/case-changes.js';
import { countingBasis } from '../../functions/reports/counted.js';
import { CASE_CHANGES_BATCHING_WINDOW } from '../../infra/constructs/case-store.js';
import { LOCAL_AWS_ENV } from '../../infra/local/stand-ins/index.js';
import { enableStream, type StreamHandler, startStreamPoller } from '../../infra/local/stream-poller.js';
import { asLambdaInvocation } from '../../infra/local/workflow-runtime.js';
import { buildRedress } from '../infra/synth.js';
import { ACKNOWLEDGE } from '../support/acknowledge.js';
import { startStandIns } from '../support/stand-ins.js';
import { typeStreamImage } from '../support/typed-stream-images.js';
import { queuedSendEvents } from '../workflows/faults.js';
import { complaintFrom, createHarness, type Harness, RESIDENT } from '../workflows/harness.js';
import { type IndexCostSpec, IndexWriteModel, itemSize } from './index-writes.js';
import { images, tableWriteUnits, writeTargets } from './table-writes.js';
import { AWS_TASK_TOKEN_CHARS, lengthenTaskTokens } from './task-tokens.js';

/**
 * us-east-1 list prices, as on the AWS pricing pages on 2026-12-02 (on-demand, no free tier).
 * Re-read them before quoting a figure: this is the one place they live.
 */
const PRICES = {
  readOn: '2026-12-02',
  /** Step Functions Standard, per state transition. */
  stateTransition: 0.025 / 1000,
  /** Lambda, per request. */
  lambdaRequest: 0.2 / 1e6,
  /** Lambda on Arm (the stack's architecture), per GB-second. */
  lambdaGbSecond: 0.0000133334,
  /** DynamoDB on-demand, per write request unit / read request unit. */
  dynamoWrite: 0.625 / 1e6,
  dynamoRead: 0.125 / 1e6,
  /** SES, per email sent. */
  sesEmail: 0.1 / 1000,
  /** S3 Standard, per PUT/COPY/POST/LIST request (tagging included) and per GET. */
  s3Put: 0.005 / 1000,
  s3Get: 0.0004 / 1000,
  /** API Gateway REST API, per request (first 333 million a month). */
  apiRequest: 3.5 / 1e6,
  /** Monthly: a customer-managed KMS key, a standard-resolution alarm metric, a dashboard (beyond the free 3), a secret. */
  kmsKeyMonth: 1,
  alarmMetricMonth: 0.1,
  dashboardMonth: 3,
  secretMonth: 0.4,
  /** WAF: a web ACL and each rule, per month. */
  webAclMonth: 5,
  wafRuleMonth: 1,
  /** SQS standard queue, per request (a long poll that finds nothing included). */
  sqsRequest: 0.4 / 1e6,
  /** SNS standard topic, per publish (SES publishing an email event; delivery to SQS is free). */
  snsPublish: 0.5 / 1e6,
} as const;

/**
 * The requests Lambda makes a month to poll an SQS queue that holds nothing: its event source
 * mapping keeps five pollers waiting on the queue with 20-second long polls, busy or not. An
 * assumption from how Lambda describes its pollers, not a measure.
 */
const IDLE_SQS_POLLS_A_MONTH = 5 * 3 * 60 * 24 * 30;

/**
 * Billed duration assumed per Lambda invocation and the memory of the functions a case calls
 * (the step functions' default in `infra/constructs/redress-function.ts`; the API's 1,024 MB).
 * Local run times say nothing about Lambda's, so the duration is an assumption, not a measure.
 */
const ASSUMED_MS_PER_INVOCATION = 100;
const STEP_MEMORY_GB = 0.5;
const API_MEMORY_GB = 1;

interface Counts {
  transitions: number;
  choiceTransitions: number;
  /** Task attempts after the first of a state entry: Step Functions bills each retry as a transition. */
  retryTransitions: number;
  stepInvocations: number;
  apiInvocations: number;
  streamInvocations: number;
  /** Invocations of the case-changes function (the report's counters), one change of the case item each. */
  countingInvocations: number;
  /** Read and write units of those invocations (part of `readUnits` and `writeUnits`). */
  countingReadUnits: number;
  countingWriteUnits: number;
  readUnits: number;
  /** The table's write units by DynamoDB's rules (`table-writes.ts`) and the indexes' as measured. */
  writeUnits: number;
  /** The write units DynamoDB Local reported, which undercounts transactions (`table-writes.ts`). */
  localWriteUnits: number;
  /** Write units DynamoDB Local charged the indexes (part of `writeUnits`). */
  indexWriteUnits: number;
  /** Modelled write units of the indexes as designed: should match `indexWriteUnits`. */
  indexWriteUnitsModel: number;
  /** Modelled write units of the same indexes if each projected the whole item. */
  indexWriteUnitsAll: number;
  emails: number;
  s3Puts: number;
  s3Gets: number;
}

const zero = (): Counts => ({
  transitions: 0,
  choiceTransitions: 0,
  retryTransitions: 0,
  stepInvocations: 0,
  apiInvocations: 0,
  streamInvocations: 0,
  countingInvocations: 0,
  countingReadUnits: 0,
  countingWriteUnits: 0,
  readUnits: 0,
  writeUnits: 0,
  localWriteUnits: 0,
  indexWriteUnits: 0,
  indexWriteUnitsModel: 0,
  indexWriteUnitsAll: 0,
  emails: 0,
  s3Puts: 0,
  s3Gets: 0,
});

/** What DynamoDB said each request consumed, summed, and the indexes' write units as modelled. */
interface CapacityMeter {
  read: number;
  /** Write units as DynamoDB Local reported them, indexes included. */
  write: number;
  /** The table's write units by DynamoDB's rules, indexes not included. */
  tableWrite: number;
  indexWrite: number;
  indexes: IndexWriteModel;
  /** Writes whose condition failed (a lost race, charged and retried), by what they wrote and who called. */
  conflicts: Map<string, number>;
  /** The table's write units charged for writes whose condition failed (part of `tableWrite`). */
  conflictUnits: number;
  /** The table's write units by the kinds of item each request wrote (`BENCH_COST_WRITES=1`). */
  writes: Map<string, { requests: number; units: number }>;
  /** The case item's size at each write of it, and its largest attributes (`BENCH_COST_CASE_SIZES=1`). */
  caseSizes: { caller: string; transaction: boolean; before: number; after: number; largest: string }[];
}

const DESIGNED: readonly IndexCostSpec[] = CASE_TABLE_DESIGN.globalSecondaryIndexes;
/** The same indexes, each projecting the whole case (the design before lean projections). */
const ALL_PROJECTED: readonly IndexCostSpec[] = DESIGNED.map((index) => ({
  indexName: index.indexName,
  partitionKey: index.partitionKey,
  sortKey: index.sortKey,
  projection: 'ALL',
}));

type Consumed = {
  ReadCapacityUnits?: number;
  WriteCapacityUnits?: number;
  CapacityUnits?: number;
  GlobalSecondaryIndexes?: Record<
    string,
    { CapacityUnits?: number; ReadCapacityUnits?: number; WriteCapacityUnits?: number }
  >;
};

/** A DynamoDB client that asks for, and adds up, the capacity every request consumed. */
function meteredClient(meter: CapacityMeter): DynamoDBClient {
  const client = new DynamoDBClient({});
  // Reads the items a write touches, before and after it, for the model; not metered itself.
  const looker = new DynamoDBClient({});
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as Record<string, unknown>;
      const command = context.commandName ?? '';
      const metered = !/^(CreateTable|DescribeTable|UpdateTimeToLive|DescribeTimeToLive|ListTables)/.test(
        command,
      );
      if (metered) input.ReturnConsumedCapacity = 'INDEXES';
      const result = await next(args);
      const output = result.output as { ConsumedCapacity?: Consumed | Consumed[] };
      const consumed = output.ConsumedCapacity;
      for (const c of Array.isArray(consumed) ? consumed : consumed ? [consumed] : []) {
        const isWrite = /Put|Update|Delete|Write/.test(command);
        const total = c.CapacityUnits ?? (c.ReadCapacityUnits ?? 0) + (c.WriteCapacityUnits ?? 0);
        if (isWrite) meter.write += total;
        else meter.read += total;
        if (isWrite) {
          for (const index of Object.values(c.GlobalSecondaryIndexes ?? {})) {
            meter.indexWrite += index.CapacityUnits ?? index.WriteCapacityUnits ?? 0;
          }
        }
      }
      return result;
    },
    { step: 'initialize', name: 'consumedCapacityMeter' },
  );
  // At the serialize step the document client has marshalled the input: the model reads the
  // items as DynamoDB stores them. Only writes that succeeded reach the line after `next`.
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const command = context.commandName ?? '';
      const { targets, transaction } = writeTargets(command, args.input as Record<string, unknown>);
      const before = await images(looker, targets);
      // Where the write comes from, taken now: the SDK's own frames come after this point.
      const caller = targets.length > 0 ? callerOf(new Error().stack) : '';
      let lost = false;
      try {
        const result = await next(args);
        meter.indexes.written(command, args.input as Record<string, unknown>);
        return result;
      } catch (error: unknown) {
        if (
          error instanceof Error &&
          /ConditionalCheckFailed|TransactionCanceled|TransactionConflict/.test(error.name)
        ) {
          const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons;
          // The winner: what the item whose condition failed holds now (an event's type, or
          // the case's effect slots that changed).
          const now = await images(looker, targets);
          const winner = (i: number) => {
            const item = now[i];
            if (item?.type?.S) return `:${item.type.S}`;
            return '';
          };
          const what = targets
            .map((t, i) => {
              const failed = reasons?.[i]?.Code && reasons[i].Code !== 'None';
              return `${String(t.key.SK?.S ?? '').replace(/\d+/g, 'n')}${failed ? `(${reasons[i]?.Code}${winner(i)})` : ''}`;
            })
            .join(' ');
          lost = true;
          const line = `${command} [${what}] from ${caller}`;
          meter.conflicts.set(line, (meter.conflicts.get(line) ?? 0) + 1);
        }
        throw error;
      } finally {
        // A failed condition or a cancelled transaction is charged too.
        const after = await images(looker, targets);
        const units = tableWriteUnits(targets, before, after, transaction);
        if (process.env.BENCH_COST_CASE_SIZES) {
          for (const [i, t] of targets.entries()) {
            if (t.key.SK?.S !== 'CASE') continue;
            const item = (after[i] ?? t.put ?? before[i]) as unknown as
              | Parameters<typeof itemSize>[0]
              | undefined;
            if (!item) continue;
            const sizes = Object.entries(item)
              .map(([name, value]) => [name, itemSize({ [name]: value })] as const)
              .sort(([, a], [, b]) => b - a);
            meter.caseSizes.push({
              caller,
              transaction,
              before: before[i] ? itemSize(before[i] as unknown as Parameters<typeof itemSize>[0]) : 0,
              after: itemSize(item),
              largest:
                process.env.BENCH_COST_CASE_SIZES === 'dump'
                  ? JSON.stringify(item)
                  : sizes
                      .slice(0, 8)
                      .map(([n, b]) => `${n} ${b}`)
                      .join(', '),
            });
          }
        }
        meter.tableWrite += units;
        if (lost) meter.conflictUnits += units;
        if (units > 0) {
          const kinds = [...new Set(targets.map((t) => String(t.key.SK?.S ?? '').replace(/[#\d].*$/, '')))];
          const line = `${command.replace('Command', '')} [${kinds.join(' ')}]`;
          const was = meter.writes.get(line) ?? { requests: 0, units: 0 };
          meter.writes.set(line, { requests: was.requests + 1, units: was.units + units });
        }
      }
    },
    { step: 'serialize', name: 'indexWriteModel' },
  );
  const destroy = client.destroy.bind(client);
  client.destroy = () => {
    looker.destroy();
    destroy();
  };
  return client;
}

/** The first frames of the application's own code in a stack: which step or store method wrote. */
function callerOf(stack: string | undefined): string {
  return (stack ?? '')
    .split('\n')
    .map((line) => /(functions\/[\w/.-]+):(\d+)/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .slice(0, 4)
    .map((m) => `${m[1]?.replace('functions/', '')}:${m[2]}`)
    .join(' < ');
}

/**
 * The report's counters for one case, kept as the deployed case-changes function keeps them from
 * the table's stream: its mapping passes over outbox marks (`COUNTED_CASE_FILTERS`) and gathers
 * changes for `CASE_CHANGES_BATCHING_WINDOW` (or `COUNTED_CASE_BATCH_SIZE` of them) before it invokes the function. The bench
 * reads the case's changes from DynamoDB Local's stream afterwards and batches them by when each
 * was written on the case's own (virtual) clock: a change opens a batch, and the changes written
 * within the window after it join it. Returns the invocations.
 */
async function countFromStream(
  streams: DynamoDBStreamsClient,
  streamArn: string,
  dir: string,
  writtenAt: Map<number, number>,
): Promise<number> {
  const records: DynamoDBRecord[] = [];
  const poller = startStreamPoller({
    client: streams,
    streamArn,
    region: LOCAL_AWS_ENV.AWS_REGION,
    positionFile: join(dir, `position-${Date.now()}.json`),
    filter: isCountedCaseRecord,
    batchSize: 1000,
    // Polled by hand below, not on a timer.
    intervalMs: 3_600_000,
    handler: async (event) => {
      // Each change counted from its own image, as on AWS, not from the case as the run left it.
      for (const record of event.Records) typeStreamImage(record);
      records.push(...event.Records);
      return { batchItemFailures: [] };
    },
  });
  try {
    for (;;) {
      const before = records.length;
      await poller.poll();
      if (records.length === before) break;
    }
  } finally {
    await poller.stop();
  }
  const windowMs = CASE_CHANGES_BATCHING_WINDOW.toMilliseconds();
  const at = (r: DynamoDBRecord) => writtenAt.get(Number(r.dynamodb?.NewImage?.version?.N)) ?? Number.NaN;
  const batches: DynamoDBRecord[][] = [];
  for (const record of records) {
    const open = batches.at(-1);
    const opened = open?.[0];
    if (open && opened && open.length < COUNTED_CASE_BATCH_SIZE && at(record) - at(opened) <= windowMs) {
      open.push(record);
    } else batches.push([record]);
  }
  const handler = asLambdaInvocation(caseChanges as unknown as StreamHandler);
  for (const [n, batch] of batches.entries()) {
    await handler({ Records: batch }, { awsRequestId: `counting-${n}` });
  }
  return batches.length;
}

/** Counts the archive's S3 requests around the in-memory archive. */
function countingArchive(inner: Archive, counts: () => Counts): Archive {
  return {
    ping: () => inner.ping(),
    async putCaseFile(caseId, file, retention) {
      counts().s3Puts += 1; // PutObject, tagged in the same request
      return inner.putCaseFile(caseId, file, retention);
    },
    async setRetention(caseId, retention) {
      counts().s3Gets += 1; // GetObjectTagging, then PutObjectTagging keeping the other tags
      counts().s3Puts += 1;
      return inner.setRetention(caseId, retention);
    },
    async getRetention(caseId) {
      counts().s3Gets += 1;
      return inner.getRetention(caseId);
    },
    async getCaseFile(caseId) {
      counts().s3Gets += 1;
      return inner.getCaseFile(caseId);
    },
    async replaceCaseFile(caseId, file) {
      counts().s3Gets += 1; // GetObjectTagging, then PutObject with those tags
      counts().s3Puts += 1;
      return inner.replaceCaseFile(caseId, file);
    },
    async putLetter(caseId, name, pdf) {
      counts().s3Puts += 1;
      return inner.putLetter(caseId, name, pdf);
    },
    async getLetter(caseId, name) {
      counts().s3Gets += 1;
      return inner.getLetter(caseId, name);
    },
    async retainLetters(caseId, names, retention, archivedAt) {
      counts().s3Puts += names.length; // each letter's CopyObject with its tag, or PutObjectTagging
      return inner.retainLetters(caseId, names, retention, archivedAt);
    },
  };
}

const justAfter = (iso: string | undefined, ms = 1000) =>
  new Date(Date.parse(iso as string) + ms).toISOString();

interface Scenario {
  name: string;
  run(h: Harness, submit: (body: Record<string, unknown>) => Promise<CaseRecord>): Promise<CaseRecord>;
  workflow: string;
}

async function respond(h: Harness, officer?: string) {
  const ack = await h.act(h.linkFor('acknowledge', officer), ACKNOWLEDGE);
  if (ack.statusCode !== 200)
    throw new Error(`acknowledge answered ${ack.statusCode}: ${ack.body.slice(0, 500)}`);
  const result = await h.act(h.linkFor('respond', officer), {
    decision: 'respond',
    outcome: 'upheld',
    response: 'We looked into what happened and here is what we found.',
  });
  if (result.statusCode !== 200) throw new Error(`respond answered ${result.statusCode}`);
}

async function closeAfterWindow(h: Harness, store: DynamoDbCaseStore, caseId: string): Promise<CaseRecord> {
  const c = (await store.get(caseId)) as CaseRecord;
  await h.advanceTo(justAfter(c.deadlines.stage2RequestBy));
  await h.advanceTo(justAfter(stage2LateRequestDeadline(h.policy, c)));
  return (await store.get(caseId)) as CaseRecord;
}

const SCENARIO_NAMES = ['stage 1', 'stage 1 with reminder', 'stage 2', 'compliment'] as const;
/**
 * How long a task token is (`BENCH_TASK_TOKEN_CHARS`): AWS's by default (`task-tokens.ts`), 0 for
 * the local engine's own (about 150 characters, which understates every write of a case with a
 * task open).
 */
const TASK_TOKEN_CHARS = Number(process.env.BENCH_TASK_TOKEN_CHARS ?? AWS_TASK_TOKEN_CHARS);

/** `BENCH_SHORT_CASE_IDS=1`: the harness's case ids (`case-1`), as this bench had before 2026-12-06. */
const SHORT_IDS = Boolean(process.env.BENCH_SHORT_CASE_IDS);

/** `BENCH_COST_CASES=stage 1,compliment`: only these cases (all four by default). */
const ONLY_CASES = process.env.BENCH_COST_CASES?.split(',').map((name) => name.trim());

/**
 * How long the resident's own words are (`BENCH_SUMMARY_CHARS`; default: the one sentence the
 * tests send). The case item carries them, so every write of it is billed for them: a written
 * complaint of a few paragraphs costs more to keep than a sentence. The longer summary is that
 * sentence repeated, which the item's compression (`case-item-packing.ts`) takes down to almost
 * nothing: since the item is packed, it prices the case as if its words were one sentence, and
 * says nothing of what a long complaint costs (prose compresses to about a third).
 */
const SUMMARY_CHARS = Number(process.env.BENCH_SUMMARY_CHARS ?? 0);

/** The submission with its summary repeated to `SUMMARY_CHARS` characters. */
function withSummaryLength<T extends { summary?: unknown }>(body: T): T {
  const summary = String(body.summary ?? '');
  if (SUMMARY_CHARS <= summary.length) return body;
  return {
    ...body,
    summary: Array(Math.ceil(SUMMARY_CHARS / (summary.length + 1)) + 1)
      .fill(summary)
      .join(' ')
      .slice(0, SUMMARY_CHARS),
  };
}

function scenarios(store: DynamoDbCaseStore): Scenario[] {
  return [
    {
      name: 'stage 1',
      workflow: 'complaint',
      async run(h, submit) {
        const c = await submit(withSummaryLength(complaintFrom(h)));
        await respond(h);
        return closeAfterWindow(h, store, c.caseId);
      },
    },
    {
      name: 'stage 1 with reminder',
      workflow: 'complaint',
      async run(h, submit) {
        const c = await submit(withSummaryLength(complaintFrom(h)));
        await h.act(h.linkFor('acknowledge'), ACKNOWLEDGE);
        const acknowledged = (await store.get(c.caseId)) as CaseRecord;
        await h.advanceTo(justAfter(acknowledged.deadlines.remindAt));
        const result = await h.act(h.linkFor('respond'), {
          decision: 'respond',
          outcome: 'not-upheld',
          response: 'We looked into what happened and here is what we found.',
        });
        if (result.statusCode !== 200) throw new Error(`respond answered ${result.statusCode}`);
        return closeAfterWindow(h, store, c.caseId);
      },
    },
    {
      name: 'stage 2',
      workflow: 'complaint',
      async run(h, submit) {
        const c = await submit(withSummaryLength(complaintFrom(h)));
        await respond(h);
        const request = await h.act(h.linkFor('stage-2-request'), {
          decision: 'request',
          response: 'You did not answer my main point about the second application.',
        });
        if (request.statusCode !== 200) throw new Error(`stage-2 request answered ${request.statusCode}`);
        const stage2 = (await store.get(c.caseId)) as CaseRecord;
        await respond(h, stage2.assignedTo);
        const closed = (await store.get(c.caseId)) as CaseRecord;
        if (closed.status !== 'closed') await h.advanceTo('2026-12-31T00:00:00.000Z');
        return (await store.get(c.caseId)) as CaseRecord;
      },
    },
    {
      name: 'compliment',
      workflow: 'compliment',
      async run(h, submit) {
        const c = await submit(
          withSummaryLength({
            kind: 'compliment',
            service: complaintFrom(h).service,
            summary: 'Sam on the bin round helped me with my heavy bin every week while I was ill.',
            complainant: { name: 'Ada Lovelace', email: RESIDENT },
          }),
        );
        await h.act(h.linkFor('compliment-pass-on'), {
          decision: 'passed-on',
          staffNamed: 'Sam Jones',
          response: 'Passed to Sam and their manager.',
        });
        return (await store.get(c.caseId)) as CaseRecord;
      },
    },
  ];
}

interface Priced {
  items: [string, number, number][];
  total: number;
  sesFloor: number;
}

function price(c: Counts): Priced {
  // SES's Send event about each email: published, queued and recorded by `ses-events`.
  const emailEvents = c.emails;
  const invocations =
    c.stepInvocations + c.apiInvocations + c.streamInvocations + c.countingInvocations + emailEvents;
  const gbSeconds =
    ((c.stepInvocations + c.streamInvocations + c.countingInvocations + emailEvents) * STEP_MEMORY_GB +
      c.apiInvocations * API_MEMORY_GB) *
    (ASSUMED_MS_PER_INVOCATION / 1000);
  const items: [string, number, number][] = [
    ['Step Functions transitions', c.transitions, c.transitions * PRICES.stateTransition],
    ['Lambda requests', invocations, invocations * PRICES.lambdaRequest],
    ['Lambda GB-seconds (assumed)', gbSeconds, gbSeconds * PRICES.lambdaGbSecond],
    ['DynamoDB write units', c.writeUnits, c.writeUnits * PRICES.dynamoWrite],
    ['DynamoDB read units', c.readUnits, c.readUnits * PRICES.dynamoRead],
    ['SES emails', c.emails, c.emails * PRICES.sesEmail],
    // Each event: SES's publish to the topic, then the queue's SendMessage (from SNS), Lambda's
    // ReceiveMessage and DeleteMessage (one event a batch at a council's pace).
    ['SNS publishes (email events)', emailEvents, emailEvents * PRICES.snsPublish],
    ['SQS requests (email events)', emailEvents * 3, emailEvents * 3 * PRICES.sqsRequest],
    ['S3 PUT-class requests', c.s3Puts, c.s3Puts * PRICES.s3Put],
    ['S3 GET requests', c.s3Gets, c.s3Gets * PRICES.s3Get],
    ['API Gateway requests', c.apiInvocations, c.apiInvocations * PRICES.apiRequest],
  ];
  const total = items.reduce((sum, [, , cost]) => sum + cost, 0);
  return { items, total, sesFloor: c.emails * PRICES.sesEmail };
}

function usd(n: number): string {
  return `$${n.toFixed(n < 0.01 ? 6 : 2)}`;
}

function printCase(name: string, c: Counts): Priced {
  const priced = price(c);
  console.log(`\n${name}`);
  for (const [item, quantity, cost] of priced.items) {
    const share = priced.total > 0 ? (100 * cost) / priced.total : 0;
    console.log(
      `  ${item.padEnd(30)} ${String(Number(quantity.toFixed(2))).padStart(8)}  ${usd(cost).padStart(10)}  ${share.toFixed(0).padStart(3)}%`,
    );
  }
  console.log(
    `  (of the transitions, ${c.choiceTransitions} Choice states and ${c.retryTransitions} retries; of the write units, ${Number(c.indexWriteUnits.toFixed(2))} on indexes; ${c.stepInvocations} step, ${c.apiInvocations} API and ${c.streamInvocations} stream invocations)`,
  );
  console.log(
    `  the report's counters, kept from the stream: ${c.countingInvocations} invocations (changes gathered for ${CASE_CHANGES_BATCHING_WINDOW.toSeconds()} s), ${Number(c.countingReadUnits.toFixed(2))} read and ${Number(c.countingWriteUnits.toFixed(2))} write units (in the totals above)`,
  );
  const allWrites = c.writeUnits - c.indexWriteUnits + c.indexWriteUnitsAll;
  const allProjected = price({ ...c, writeUnits: allWrites });
  console.log(
    `  write units by DynamoDB's rules ${c.writeUnits}; DynamoDB Local reported ${c.localWriteUnits}\n  index write units: ${c.indexWriteUnits} measured (${c.indexWriteUnitsModel} modelled), ${c.indexWriteUnitsAll} modelled if every index projected the whole case; write units ${c.writeUnits} against ${allWrites} (${(c.writeUnits / allWrites).toFixed(2)}×), case total ${usd(priced.total)} against ${usd(allProjected.total)} (${(priced.total / allProjected.total).toFixed(2)}×)`,
  );
  console.log(
    `  total ${usd(priced.total)}  SES floor ${usd(priced.sesFloor)}  ratio ${priced.sesFloor > 0 ? (priced.total / priced.sesFloor).toFixed(2) : '—'}×`,
  );
  return priced;
}

/** The stack's fixed monthly cost, from the synthesized template. */
function fixedMonthly(): void {
  const { stack } = buildRedress({ 'redress:alarmEmail': 'ops@example.gov.uk' });
  const template = Template.fromStack(stack).toJSON() as {
    Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }>;
  };
  const resources = Object.values(template.Resources);
  const count = (type: string) => resources.filter((r) => r.Type === type).length;
  const alarms = resources.filter((r) => r.Type === 'AWS::CloudWatch::Alarm');
  // A metric-math alarm is billed per metric it reads.
  const alarmMetrics = alarms.reduce((sum, alarm) => {
    const metrics = alarm.Properties?.Metrics as { MetricStat?: unknown }[] | undefined;
    return sum + (metrics ? metrics.filter((m) => m.MetricStat).length : 1);
  }, 0);
  // A queue a function reads is polled all month: a fixed cost even with no email events.
  const queues = new Set(
    Object.entries(template.Resources)
      .filter(([, r]) => r.Type === 'AWS::SQS::Queue')
      .map(([id]) => id),
  );
  const polledQueues = resources.filter((r) => {
    const source = r.Properties?.EventSourceArn as { 'Fn::GetAtt'?: [string, string] } | undefined;
    return r.Type === 'AWS::Lambda::EventSourceMapping' && queues.has(source?.['Fn::GetAtt']?.[0] ?? '');
  }).length;
  const acls = resources.filter((r) => r.Type === 'AWS::WAFv2::WebACL');
  const rules = acls.reduce((sum, acl) => sum + ((acl.Properties?.Rules as unknown[]) ?? []).length, 0);
  const lines: [string, number, number][] = [
    ['KMS keys', count('AWS::KMS::Key'), count('AWS::KMS::Key') * PRICES.kmsKeyMonth],
    ['Alarm metrics', alarmMetrics, alarmMetrics * PRICES.alarmMetricMonth],
    [
      'Dashboards',
      count('AWS::CloudWatch::Dashboard'),
      count('AWS::CloudWatch::Dashboard') * PRICES.dashboardMonth,
    ],
    [
      'Secrets',
      count('AWS::SecretsManager::Secret'),
      count('AWS::SecretsManager::Secret') * PRICES.secretMonth,
    ],
    ['WAF web ACLs', acls.length, acls.length * PRICES.webAclMonth],
    ['WAF rules', rules, rules * PRICES.wafRuleMonth],
    ['SQS queues polled by Lambda', polledQueues, polledQueues * IDLE_SQS_POLLS_A_MONTH * PRICES.sqsRequest],
  ];
  const total = lines.reduce((sum, [, , cost]) => sum + cost, 0);
  console.log('\nFixed monthly cost of the stack (synthesized template, default settings)');
  for (const [item, quantity, cost] of lines) {
    console.log(`  ${item.padEnd(30)} ${String(quantity).padStart(8)}  ${usd(cost).padStart(10)}`);
  }
  console.log(
    `  total ${usd(total)} a month; a council with 5,000 cases a year: ${usd((total * 12) / 5000)} a case`,
  );
}

async function main(): Promise<void> {
  if (TASK_TOKEN_CHARS > 0) lengthenTaskTokens(TASK_TOKEN_CHARS);
  const standIns = await startStandIns(['dynamodb']);
  const meter: CapacityMeter = {
    read: 0,
    write: 0,
    tableWrite: 0,
    indexWrite: 0,
    indexes: new IndexWriteModel({ designed: DESIGNED, allProjected: ALL_PROJECTED }),
    conflicts: new Map(),
    conflictUnits: 0,
    writes: new Map(),
    caseSizes: [],
  };
  const raw = meteredClient(meter);
  const streams = new DynamoDBStreamsClient({ endpoint: standIns.dynamodb?.endpoint });
  const positions = mkdtempSync(join(tmpdir(), 'redress-cost-stream-'));
  const client = DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } });
  let current = zero();
  console.log(
    `Cost of a case at us-east-1 list prices read ${PRICES.readOn}; Lambda at ${ASSUMED_MS_PER_INVOCATION} ms an invocation (assumed); task tokens of ${TASK_TOKEN_CHARS > 0 ? `${TASK_TOKEN_CHARS} characters` : "the local engine's length"}, case ids of ${SHORT_IDS ? "the harness's length" : 'a UUID'}`,
  );
  try {
    for (const [index, name] of SCENARIO_NAMES.entries()) {
      if (ONLY_CASES && !ONLY_CASES.includes(name)) continue;
      // A table of its own per case, so no intake limit or earlier case of the resident counts.
      const tableName = `cost-${Date.now()}-${index}`;
      await createCaseTable(raw, tableName);
      const streamArn = await enableStream(raw, tableName, CASE_STREAM_VIEW_TYPE);
      const store = new DynamoDbCaseStore({ tableName, client });
      const scenario = scenarios(store).find((s) => s.name === name) as Scenario;
      const h = await createHarness();
      current = zero();
      meter.writes.clear();
      meter.conflicts.clear();
      meter.caseSizes.length = 0;
      const reportCounters = new DynamoDbReportCounters({
        tableName,
        basis: countingBasis(h.policy),
        client,
      });
      // The table's first generation of counters (`ACTIVE`, `BUILT`), written when its stream first
      // counts: once a table, not once a case, so written before the case's units are counted.
      await reportCounters.counting();
      const before = {
        read: meter.read,
        write: meter.write,
        tableWrite: meter.tableWrite,
        indexWrite: meter.indexWrite,
        conflictUnits: meter.conflictUnits,
        indexes: { ...meter.indexes.totals },
      };
      // The case store and the intake limiter on DynamoDB Local; the stream still starts each workflow.
      const created: string[] = [];
      // When each version of the case was written, on the case's clock: how the counting batches.
      const writtenAt = new Map<number, number>();
      const origUpdate = store.update.bind(store);
      store.update = async (...args) => {
        const next = await origUpdate(...args);
        writtenAt.set(next.version, h.clock.now().getTime());
        return next;
      };
      const origCreate = store.create.bind(store);
      store.create = async (record, firstEvent, key) => {
        const result = await origCreate(record, firstEvent, key);
        if (result.created) writtenAt.set(result.record.version, h.clock.now().getTime());
        if (result.created) {
          created.push(result.record.caseId);
          h.stream.insert(result.record);
        }
        return result;
      };
      provideAdapters({
        store,
        // SES's Send event for each email, through the queue a second after SES accepted it (as
        // on AWS: the step has recorded the email by then), read by the deployed handler (its
        // DynamoDB units are in the totals; its invocations are counted from the emails).
        mailer: queuedSendEvents(adapter('mailer'), h.clock, { firstAfterSeconds: 1 }),
        limiter: new DynamoDbRateLimiter({ tableName, client }),
        archive: countingArchive(h.archive, () => current),
        reportCounters,
        // Case ids as the deployed API makes them (`container.ts`: a random UUID), not the
        // harness's short `case-1`: the id is in the case item six times (its key, its field and
        // four index keys) and in every event's key, so a short one understates every write.
        ...(SHORT_IDS ? {} : { newId: () => randomUUID() }),
      });
      const apiCalls = { n: 0 };
      const act = h.act.bind(h);
      // Ten minutes after each request, so a step retried on the clock (a lost race on the case
      // item, which DynamoDB can answer where the in-memory store never does) runs again.
      const later = () => h.advanceTo(new Date(h.clock.now().getTime() + 10 * 60_000).toISOString());
      h.act = async (token, fields) => {
        apiCalls.n++;
        const result = await act(token, fields);
        await later();
        return result;
      };
      const submit = async (body: Record<string, unknown>): Promise<CaseRecord> => {
        apiCalls.n++;
        await h.submit(body).catch(() => undefined);
        await later();
        const caseId = created.at(-1);
        if (!caseId) throw new Error('no case created');
        return (await store.get(caseId)) as CaseRecord;
      };
      const final = await scenario.run(h, submit);
      const caseId = final.caseId;
      const history = (
        await h.engine.getExecutionHistory(
          `arn:aws:states:eu-west-2:000000000000:execution:${scenario.workflow}:${caseId}`,
        )
      ).events;
      const failures = history.filter((e) => /Failed$|TimedOut$/.test(e.type));
      if (failures.length > 0) {
        console.log(
          `  ${scenario.name}: ${failures.length} failed or timed-out task attempts (a timeout is a path; a failure was retried): ${JSON.stringify(failures.slice(0, 2))}`,
        );
      }
      // Every state entered, and every retry of a Task (each attempt after the first of an entry
      // is scheduled again): AWS bills both as state transitions.
      const attempts = history.filter((e) => /^(LambdaFunction|Task)Scheduled$/.test(e.type)).length;
      const taskEntries = history.filter((e) => e.type === 'TaskStateEntered').length;
      current.retryTransitions = attempts - taskEntries;
      current.transitions =
        history.filter((e) => e.type.endsWith('StateEntered')).length + current.retryTransitions;
      current.choiceTransitions = history.filter((e) => e.type === 'ChoiceStateEntered').length;
      current.stepInvocations = attempts;
      current.apiInvocations = apiCalls.n;
      current.streamInvocations = h.stream.batches.length;
      current.emails = h.sent.length;
      // The report's counters follow every change of the case item, after the fact here.
      const modelledWrites = () => meter.tableWrite + meter.indexWrite;
      const beforeCounting = { read: meter.read, write: modelledWrites() };
      current.countingInvocations = await countFromStream(streams, streamArn, positions, writtenAt);
      current.countingReadUnits = meter.read - beforeCounting.read;
      current.countingWriteUnits = modelledWrites() - beforeCounting.write;
      current.readUnits = meter.read - before.read;
      current.writeUnits = modelledWrites() - (before.tableWrite + before.indexWrite);
      current.localWriteUnits = meter.write - before.write;
      current.indexWriteUnits = meter.indexWrite - before.indexWrite;
      current.indexWriteUnitsModel = (meter.indexes.totals.designed ?? 0) - (before.indexes.designed ?? 0);
      current.indexWriteUnitsAll =
        (meter.indexes.totals.allProjected ?? 0) - (before.indexes.allProjected ?? 0);
      if (final.status !== 'closed')
        throw new Error(`${scenario.name}: the case ended ${final.status}, not closed`);
      printCase(`${scenario.name} (${h.templates(RESIDENT).length} emails to the resident)`, current);
      // BENCH_COST_CONFLICTS=1 lists the writes that lost a race (charged, then retried): what
      // they wrote (sort keys, digits as n; the failed condition's item marked) and who called.
      if (process.env.BENCH_COST_CONFLICTS) {
        for (const [line, n] of meter.conflicts) console.log(`  lost race ×${n}: ${line}`);
        console.log(`  write units charged for lost races: ${meter.conflictUnits - before.conflictUnits}`);
      }
      meter.conflicts.clear();
      // BENCH_COST_WRITES=1 lists where the table's write units went, by request and the kinds of
      // item it wrote (sort keys without their numbers and ids).
      if (process.env.BENCH_COST_WRITES) {
        for (const [line, w] of [...meter.writes].sort(([, a], [, b]) => b.units - a.units)) {
          console.log(
            `  ${String(w.units).padStart(4)} units in ${String(w.requests).padStart(3)} × ${line}`,
          );
        }
      }
      meter.writes.clear();
      // BENCH_COST_CASE_SIZES=1 lists the case item's size at each write of it (bytes as DynamoDB
      // counts them, before → after), who wrote it and its largest attributes.
      if (process.env.BENCH_COST_CASE_SIZES) {
        for (const w of meter.caseSizes) {
          console.log(
            `  case item ${w.before} → ${w.after} bytes${w.transaction ? ' (transaction)' : ''} from ${w.caller}: ${w.largest}`,
          );
        }
      }
      meter.caseSizes.length = 0;
      // BENCH_COST_STATES=1 lists the states the case entered, in order: where its transitions go.
      if (process.env.BENCH_COST_STATES) {
        const entered = history.filter((e) => e.type.endsWith('StateEntered'));
        console.log(
          `  states: ${entered.map((e) => (e.stateEnteredEventDetails as { name: string }).name).join(' → ')}`,
        );
      }
      await h.close();
    }
    fixedMonthly();
  } finally {
    raw.destroy();
    streams.destroy();
    rmSync(positions, { recursive: true, force: true });
    await standIns.stop();
  }
}

await main();

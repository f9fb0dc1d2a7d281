import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import type { Context, DynamoDBStreamEvent } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createCaseTable, DynamoDbCaseStore } from '../../functions/adapters/dynamodb-case-store.js';
import { provideAdapters, resetAdapters } from '../../functions/app/container.js';
import { CASE_STREAM_VIEW_TYPE, isNewCaseRecord } from '../../functions/app/workflow-starter.js';
import { handler } from '../../functions/handlers/start-workflows.js';
import { LOCAL_AWS_ENV } from '../../infra/local/stand-ins/index.js';
import { LocalStepFunctions, VirtualClock } from '../../infra/local/step-functions/index.js';
import {
  enableStream,
  type RunningStreamPoller,
  startStreamPoller,
} from '../../infra/local/stream-poller.js';
import { inProcessWorkflowEngine } from '../../infra/local/workflow-runtime.js';
import { openCase } from '../support/open-case.js';
import { type StandIns, startStandIns } from '../support/stand-ins.js';

/**
 * The workflow starter on DynamoDB Local's real stream: the case store writes a case (its item,
 * first event and reference item in one transaction), the stream poller that `npm start` uses
 * hands the deployed `start-workflows` handler what Lambda's event source mapping would, and the
 * execution starts on the local Step Functions engine, once, whatever is delivered twice.
 */

/** A workflow that waits (for a day of a clock nobody moves), so its execution stays RUNNING. */
const WAITING_WORKFLOW = JSON.stringify({
  StartAt: 'Wait',
  States: { Wait: { Type: 'Wait', Seconds: 86_400, End: true } },
});

let standIns: StandIns;
let dynamo: DynamoDBClient;
let streams: DynamoDBStreamsClient;
let tableName: string;
let streamArn: string;
let store: DynamoDbCaseStore;
let engine: LocalStepFunctions;
let dir: string;
const pollers: RunningStreamPoller[] = [];

beforeAll(async () => {
  standIns = await startStandIns(['dynamodb']);
  dynamo = new DynamoDBClient({});
  streams = new DynamoDBStreamsClient({ endpoint: standIns.dynamodb?.endpoint });
  tableName = `cases-${randomUUID()}`;
  await createCaseTable(dynamo, tableName);
  streamArn = await enableStream(dynamo, tableName, CASE_STREAM_VIEW_TYPE);
  store = new DynamoDbCaseStore({ tableName });
  engine = new LocalStepFunctions({ clock: new VirtualClock('2026-03-02T09:00:00.000Z'), handlers: {} });
  await engine.createStateMachine('complaint', WAITING_WORKFLOW);
  provideAdapters({ store, workflows: inProcessWorkflowEngine(engine), clock: () => new Date() });
  dir = mkdtempSync(join(tmpdir(), 'redress-stream-'));
});

afterEach(async () => {
  for (const poller of pollers.splice(0)) await poller.stop();
});

afterAll(async () => {
  resetAdapters();
  await engine?.close();
  streams?.destroy();
  dynamo?.destroy();
  await standIns?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** The cases whose records the handler has finished with (their executions started). */
const handled = new Set<string>();
const handledWaiters: (() => void)[] = [];

/**
 * Resolves once the handler has finished with the records of every case in `caseIds`, however
 * long a loaded machine takes (the test's own timeout bounds it): a poller on its own timer hands
 * them over when it will.
 */
async function handledAll(caseIds: string[]): Promise<void> {
  while (!caseIds.every((id) => handled.has(id))) {
    await new Promise<void>((resolve) => handledWaiters.push(resolve));
  }
}

/**
 * A poller of the table's stream feeding the deployed handler; every event it hands over is kept.
 * Polled by hand unless given an interval (its own timer, as under `npm start`); `beforeHandling`
 * runs as each event reaches the handler, before the handler acts on it.
 */
function poller(
  positionFile: string,
  delivered: DynamoDBStreamEvent[],
  options: { intervalMs?: number; beforeHandling?: () => Promise<void> } = {},
): RunningStreamPoller {
  const running = startStreamPoller({
    client: streams,
    streamArn,
    region: LOCAL_AWS_ENV.AWS_REGION,
    positionFile,
    filter: isNewCaseRecord,
    intervalMs: options.intervalMs ?? 3_600_000,
    handler: async (event) => {
      delivered.push(structuredClone(event));
      await options.beforeHandling?.();
      const response = await handler(event, { awsRequestId: `stream-${delivered.length}` } as Context);
      for (const caseId of handedCases([event])) handled.add(caseId);
      for (const wake of handledWaiters.splice(0)) wake();
      return response;
    },
  });
  pollers.push(running);
  return running;
}

/** The case ids of the records handed over, in order. */
function handedCases(delivered: DynamoDBStreamEvent[]): string[] {
  return delivered.flatMap((e) => e.Records).map((r) => r.dynamodb?.NewImage?.caseId?.S as string);
}

async function storeCase(): Promise<string> {
  const caseId = randomUUID();
  const record = openCase(caseId, { reference: `CMP-2026-${caseId.slice(0, 6)}` });
  await store.create(record, { at: record.createdAt, type: 'received', actor: 'resident' });
  return caseId;
}

async function executionsOf(caseId: string): Promise<string[]> {
  const { executions } = await engine.listExecutions();
  return executions.filter((e) => e.name === caseId).map((e) => e.status);
}

describe('starting workflows from the case table’s stream (DynamoDB Local)', () => {
  it('starts a stored case’s execution once, even when the starter gets the same record twice', async () => {
    const caseId = await storeCase();
    const delivered: DynamoDBStreamEvent[] = [];

    await poller(join(dir, 'once.json'), delivered).poll();
    const again = await handler(delivered[0] as DynamoDBStreamEvent, { awsRequestId: 'again' } as Context);

    // The case item's INSERT only: its first event and its reference item never reach the starter.
    const records = delivered
      .flatMap((e) => e.Records)
      .filter((r) => r.dynamodb?.NewImage?.caseId?.S === caseId);
    expect(records.map((r) => [r.eventName, r.dynamodb?.Keys?.SK?.S])).toEqual([['INSERT', 'CASE']]);
    expect(records[0]).toMatchObject({ eventSource: 'aws:dynamodb', eventSourceARN: streamArn });
    expect(again).toEqual({ batchItemFailures: [] });
    expect(await executionsOf(caseId)).toEqual(['RUNNING']);
    const started = (await store.events(caseId)).filter((e) => e.type === 'workflow-started');
    expect(started).toEqual([expect.objectContaining({ actor: 'system', detail: { by: 'stream' } })]);
  });

  it('resumes after a restart from the position it saved, so a case stored meanwhile still starts', async () => {
    const positionFile = join(dir, 'resume.json');
    const before = await storeCase();
    const first = poller(positionFile, []);
    await first.poll();
    await first.stop();

    // Stored while no poller runs, as in the moments after `npm start` was killed.
    const during = await storeCase();
    const delivered: DynamoDBStreamEvent[] = [];
    await poller(positionFile, delivered).poll();

    const handed = delivered.flatMap((e) => e.Records).map((r) => r.dynamodb?.NewImage?.caseId?.S);
    expect(handed).toEqual([during]);
    expect(await executionsOf(before)).toEqual(['RUNNING']);
    expect(await executionsOf(during)).toEqual(['RUNNING']);
  });

  it('hands over nothing while paused, then everything stored meanwhile, in order, once resumed', async () => {
    const delivered: DynamoDBStreamEvent[] = [];
    // On its own timer, as under `npm start`, but quick.
    const running = poller(join(dir, 'paused.json'), delivered, { intervalMs: 20 });
    await running.poll();
    await running.pause();
    const handedBefore = delivered.length;

    const during = [await storeCase(), await storeCase()];
    // Many of its intervals pass: a paused poller reads nothing.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(delivered).toHaveLength(handedBefore);
    expect(await executionsOf(during[0] as string)).toEqual([]);

    running.resume();
    await handledAll(during);
    expect(handedCases(delivered).filter((id) => during.includes(id))).toEqual(during);
    for (const caseId of during) expect(await executionsOf(caseId)).toEqual(['RUNNING']);
  });

  it('hands over nothing stored after pause() is called, even while a poll in progress is still handing over', async () => {
    // Something stored before, so that the poll below has a batch to be busy with.
    const before = await storeCase();
    let release: () => void = () => undefined;
    const busy = new Promise<void>((resolve) => {
      release = resolve;
    });
    let entered: () => void = () => undefined;
    const inHandler = new Promise<void>((resolve) => {
      entered = resolve;
    });
    const delivered: DynamoDBStreamEvent[] = [];
    const running = poller(join(dir, 'paused-mid-poll.json'), delivered, {
      intervalMs: 20,
      beforeHandling: async () => {
        entered();
        await busy;
      },
    });
    const handed = () => handedCases(delivered);

    // Prepare: the poller's own poll is in the handler, with more of the stream still to read.
    await inHandler;
    const pausing = running.pause();
    const during = await storeCase();
    release();
    await pausing;

    // Assess: what was stored after the pause waits in the stream...
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(handed()).not.toContain(during);
    expect(await executionsOf(during)).toEqual([]);

    // ...and is handed over once, after what came before it, when the poller resumes.
    running.resume();
    await handledAll([during]);
    await running.pause();
    expect(handed().filter((id) => id === before || id === during)).toEqual([before, during]);
  });

  it('hands over nothing on a poll asked for by hand while paused', async () => {
    const delivered: DynamoDBStreamEvent[] = [];
    const running = poller(join(dir, 'paused-by-hand.json'), delivered);
    await running.poll();
    await running.pause();
    const handedBefore = delivered.length;

    const during = await storeCase();
    await running.poll();

    expect(delivered).toHaveLength(handedBefore);
    expect(await executionsOf(during)).toEqual([]);
    running.resume();
    await handledAll([during]);
    expect(handedCases(delivered)).toContain(during);
  });
});

describe('gathering changes for the mapping’s batching window (DynamoDB Local)', () => {
  const WINDOW_MS = 300;
  /**
   * The pollers' window clock, moved only by `windowPassed`: on real time, a write to DynamoDB
   * Local slower than the window (a loaded machine) let a batch go before the test said it could.
   */
  let windowClock = 0;
  let gatheredTable: DynamoDbCaseStore;
  let gatheredStream: string;

  beforeAll(async () => {
    const table = `cases-${randomUUID()}`;
    await createCaseTable(dynamo, table);
    gatheredStream = await enableStream(dynamo, table, CASE_STREAM_VIEW_TYPE);
    gatheredTable = new DynamoDbCaseStore({ tableName: table });
  });

  /**
   * A poller with a window, batches of three, that keeps the case ids of each batch it hands
   * over; the handler reports the records in `failing` as failed, once each.
   */
  function gathering(
    positionFile: string,
    batches: string[][],
    failing = new Set<string>(),
  ): RunningStreamPoller {
    const running = startStreamPoller({
      client: streams,
      streamArn: gatheredStream,
      region: LOCAL_AWS_ENV.AWS_REGION,
      positionFile,
      filter: isNewCaseRecord,
      batchSize: 3,
      maxBatchingWindowMs: WINDOW_MS,
      now: () => windowClock,
      intervalMs: 3_600_000,
      handler: async (event) => {
        batches.push(event.Records.map((r) => r.dynamodb?.NewImage?.caseId?.S ?? '?'));
        const failed = event.Records.filter((r) => failing.delete(r.dynamodb?.NewImage?.caseId?.S ?? ''));
        return {
          batchItemFailures: failed.map((r) => ({ itemIdentifier: r.dynamodb?.SequenceNumber ?? '' })),
        };
      },
    });
    pollers.push(running);
    return running;
  }

  async function storeCases(n: number): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < n; i++) {
      const caseId = randomUUID();
      const record = openCase(caseId, { reference: `CMP-2026-${caseId.slice(0, 6)}` });
      await gatheredTable.create(record, { at: record.createdAt, type: 'received', actor: 'resident' });
      ids.push(caseId);
    }
    return ids;
  }

  const windowPassed = () => {
    windowClock += WINDOW_MS + 50;
  };

  /**
   * Hands over, and forgets, what the earlier tests stored: a new poller reads the stream from
   * its oldest record, and its own first poll (begun when it started, before any poll asked for
   * here) gathers what is short of a batch until the window passes.
   */
  async function drained(running: RunningStreamPoller, batches: string[][]): Promise<void> {
    await running.poll();
    windowPassed();
    await running.poll();
    batches.length = 0;
  }

  it('holds a short batch until the window has passed, then hands over everything gathered in one', async () => {
    const batches: string[][] = [];
    const running = gathering(join(dir, 'gather.json'), batches);

    const first = await storeCases(1);
    await running.poll();
    const second = await storeCases(1);
    await running.poll();
    expect(batches).toEqual([]);

    windowPassed();
    await running.poll();
    expect(batches).toEqual([[...first, ...second]]);
    // Handed over once: the position moved past them.
    windowPassed();
    await running.poll();
    expect(batches).toHaveLength(1);
  });

  it('hands a full batch over at once, and gathers what is left after it', async () => {
    const batches: string[][] = [];
    const running = gathering(join(dir, 'full.json'), batches);
    await drained(running, batches);

    const stored = await storeCases(4);
    await running.poll();
    expect(batches).toEqual([stored.slice(0, 3)]);

    windowPassed();
    await running.poll();
    expect(batches).toEqual([stored.slice(0, 3), stored.slice(3)]);
  });

  it('loses nothing it was gathering when the runtime stops before the window passes', async () => {
    const positionFile = join(dir, 'gather-restart.json');
    const before: string[][] = [];
    const first = gathering(positionFile, before);
    await drained(first, before);
    const stored = await storeCases(2);
    await first.poll();
    await first.stop();
    expect(before.flat()).not.toContain(stored[0]);

    const after: string[][] = [];
    const second = gathering(positionFile, after);
    await second.poll();
    windowPassed();
    await second.poll();
    expect(after).toEqual([stored]);
  });

  it('retries a failed record when the next poll comes, without another window', async () => {
    const batches: string[][] = [];
    const failing = new Set<string>();
    const running = gathering(join(dir, 'gather-retry.json'), batches, failing);
    await drained(running, batches);

    const stored = await storeCases(2);
    failing.add(stored[1] as string);
    await running.poll();
    windowPassed();
    await running.poll();
    expect(batches).toEqual([stored]);

    await running.poll();
    expect(batches).toEqual([stored, stored.slice(1)]);
  });
});

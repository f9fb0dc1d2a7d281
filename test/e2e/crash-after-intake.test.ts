/**
 * No case without a workflow, even across a crash: a batch of complaints is submitted to
 * `npm start`, the process is killed with SIGKILL as soon as the last one is accepted (before the
 * table's stream has been read, for most), and a new process starts on the same data directory.
 * Every accepted case then has exactly one execution, one `workflow-started` event and one
 * receipt email: the stream poller resumes from the position it saved, and starting is
 * idempotent for the cases it had already started.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ListExecutionsCommand, SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbCaseStore } from '../../functions/adapters/dynamodb-case-store.js';
import { LOCAL_CASE_TABLE } from '../../infra/local/runtime.js';
import { LOCAL_AWS_ENV, type StoredEmail } from '../../infra/local/stand-ins/index.js';
import { type RuntimeProcess, startRuntimeProcess } from '../support/runtime.js';

const BATCH = 8;
const credentials = {
  accessKeyId: LOCAL_AWS_ENV.AWS_ACCESS_KEY_ID,
  secretAccessKey: LOCAL_AWS_ENV.AWS_SECRET_ACCESS_KEY,
};
const residentOf = (n: number) => `resident.${n}@example.com`;

let dataDir: string;
const running: RuntimeProcess[] = [];

async function start(): Promise<RuntimeProcess> {
  const runtime = await startRuntimeProcess({ dataDir, timeScale: 1 });
  running.push(runtime);
  return runtime;
}

/** Every execution on the runtime's Step Functions endpoint, by name. */
async function executionNames(runtime: RuntimeProcess): Promise<string[]> {
  const sfn = new SFNClient({
    endpoint: runtime.endpoints.sfn,
    region: LOCAL_AWS_ENV.AWS_REGION,
    credentials,
  });
  try {
    const names: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await sfn.send(
        new ListExecutionsCommand({
          stateMachineArn: 'arn:aws:states:eu-west-2:000000000000:stateMachine:complaint',
          nextToken,
        }),
      );
      names.push(...(page.executions ?? []).map((e) => e.name ?? ''));
      nextToken = page.nextToken;
    } while (nextToken);
    return names;
  } finally {
    sfn.destroy();
  }
}

const isReceipt = (e: StoredEmail) => /we have received your complaint/i.test(e.subject);

describe('npm start: killed right after accepting complaints', () => {
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'redress-crash-'));
  });

  afterAll(async () => {
    for (const runtime of running) await runtime.kill().catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('gives every accepted case one execution and one receipt after a restart', async () => {
    // Prepare: a batch of complaints, all at once.
    const first = await start();
    const answers = await Promise.all(
      Array.from({ length: BATCH }, async (_, n) => {
        const answer = await fetch(`${first.baseUrl}/complaints`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({
            kind: 'complaint',
            service: 'planning',
            summary: `The planning team promised to call me back about enquiry ${n} and never did.`,
            complainant: { name: `Resident ${n}`, email: residentOf(n) },
          }),
        });
        return {
          status: answer.status,
          body: (await answer.json()) as { caseId: string; reference: string },
        };
      }),
    );

    // Act: SIGKILL at once, then start again on the same data directory.
    await first.kill();
    const accepted = answers.filter((a) => a.status === 201).map((a) => a.body);
    const second = await start();

    // Assess
    expect(accepted).toHaveLength(BATCH);
    const caseIds = accepted.map((a) => a.caseId).sort();
    await expect
      .poll(async () => (await executionNames(second)).sort(), { timeout: 60_000, interval: 500 })
      .toEqual(caseIds);
    await expect
      .poll(async () => (await second.emails()).filter(isReceipt).length, { timeout: 60_000, interval: 500 })
      .toBe(BATCH);
    const receipts = (await second.emails()).filter(isReceipt);
    for (const { reference } of accepted) {
      expect(
        receipts.filter((e) => e.subject.includes(reference)),
        reference,
      ).toHaveLength(1);
    }
    expect(new Set(receipts.map((e) => e.destination.to[0])).size).toBe(BATCH);
    const client = new DynamoDBClient({
      endpoint: second.endpoints.dynamodb,
      region: LOCAL_AWS_ENV.AWS_REGION,
      credentials,
    });
    try {
      const store = new DynamoDbCaseStore({
        tableName: LOCAL_CASE_TABLE,
        client: DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } }),
      });
      // The start is recorded after the engine answers it: with the engine in its own thread (as
      // Step Functions is apart from the Lambda that starts it) the workflow may send the receipt
      // first, so the record is waited for, as the executions and receipts are.
      const startsOf = async (caseId: string) =>
        (await store.events(caseId)).filter((e) => e.type === 'workflow-started').map((e) => e.detail);
      await expect
        .poll(async () => Promise.all(caseIds.map(startsOf)), { timeout: 30_000, interval: 500 })
        .toEqual(caseIds.map(() => [{ by: 'stream' }]));
    } finally {
      client.destroy();
    }
  }, 300_000);
});

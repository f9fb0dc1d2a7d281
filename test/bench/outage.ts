/**
 * Measurement: what residents are told while the case table is down. Starts `npm start` in a
 * child process, sends 40 complaints half a second apart, stops DynamoDB Local two seconds in
 * and starts it again (about twelve seconds later, counting its JVM's start), polling `/health`
 * once a second throughout. Prints
 * how many submissions answered each status (and with what message), what `/health` said, and
 * how many cases the table holds afterwards, to compare with the 201s.
 *
 * `npx tsx test/bench/outage.ts`. Everything stays on 127.0.0.1; it asserts nothing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { LOCAL_CASE_TABLE } from '../../infra/local/runtime.js';
import { LOCAL_AWS_ENV, type RunningStandIn } from '../../infra/local/stand-ins/index.js';
import { restartDynamoDbLocal, stopDynamoDbLocal } from '../support/dynamodb-outage.js';
import { startRuntimeProcess } from '../support/runtime.js';

const SUBMISSIONS = 40;
const SPACING_MS = 500;
const STOP_AT_MS = 2_000;
/** Until DynamoDB Local is started again; its JVM then takes a few seconds more to answer. */
const DOWN_FOR_MS = 8_000;
const HEALTH_POLLS = 30;

const complaint = {
  kind: 'complaint',
  summary: 'My bin has been missed four weeks running and nobody has answered my calls.',
  complainant: { name: 'Ada Lovelace', email: 'ada@example.com' },
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'redress-outage-'));
  const runtime = await startRuntimeProcess({ dataDir });
  let restarted: RunningStandIn | undefined;
  try {
    const started = Date.now();
    const at = () => Date.now() - started;
    const submissions = Array.from({ length: SUBMISSIONS }, async (_, i) => {
      await sleep(i * SPACING_MS);
      const sentAt = at();
      try {
        const response = await fetch(`${runtime.baseUrl}/complaints`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify(complaint),
          signal: AbortSignal.timeout(30_000),
        });
        const body = (await response.json()) as { message?: string };
        return {
          sentAt,
          status: String(response.status),
          retryAfter: response.headers.get('retry-after'),
          message: body.message ?? '',
        };
      } catch (error: unknown) {
        return {
          sentAt,
          status: error instanceof Error ? error.name : 'error',
          retryAfter: null,
          message: '',
        };
      }
    });
    const health: { at: number; status: number; body: string }[] = [];
    const polls = (async () => {
      for (let i = 0; i < HEALTH_POLLS; i++) {
        const response = await fetch(`${runtime.baseUrl}/health`, { signal: AbortSignal.timeout(10_000) });
        health.push({ at: at(), status: response.status, body: await response.text() });
        await sleep(1_000);
      }
    })();
    const outage = (async () => {
      await sleep(STOP_AT_MS);
      await stopDynamoDbLocal(runtime);
      const stoppedAt = at();
      await sleep(DOWN_FOR_MS);
      restarted = await restartDynamoDbLocal(runtime);
      return { stoppedAt, backAt: at() };
    })();

    const results = await Promise.all(submissions);
    const { stoppedAt, backAt } = await outage;
    await polls;

    const counts = new Map<string, number>();
    for (const r of results) {
      const key = `${r.status}${r.retryAfter ? ` (Retry-After ${r.retryAfter})` : ''}: ${r.message}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    const client = new DynamoDBClient({
      endpoint: runtime.endpoints.dynamodb,
      region: LOCAL_AWS_ENV.AWS_REGION,
      credentials: {
        accessKeyId: LOCAL_AWS_ENV.AWS_ACCESS_KEY_ID,
        secretAccessKey: LOCAL_AWS_ENV.AWS_SECRET_ACCESS_KEY,
      },
    });
    const scan = await client.send(
      new ScanCommand({
        TableName: LOCAL_CASE_TABLE,
        FilterExpression: 'entity = :case',
        ExpressionAttributeValues: { ':case': { S: 'case' } },
        Select: 'COUNT',
      }),
    );
    client.destroy();

    const lines = [
      `DynamoDB Local down from ${stoppedAt} ms to ${backAt} ms (${backAt - stoppedAt} ms)`,
      `${SUBMISSIONS} submissions, one every ${SPACING_MS} ms:`,
      ...[...counts].map(([key, n]) => `  ${n} × ${key}`),
      `In order: ${results.map((r) => r.status).join(' ')}`,
      `Cases in the table afterwards: ${scan.Count ?? 0}`,
      '/health:',
      ...health.map((h) => `  ${h.at} ms: ${h.status} ${h.body}`),
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await restarted?.stop();
    await runtime.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});

/**
 * `npm start` with its DynamoDB Local stopped and started again: while the table is gone,
 * submissions answer 503 with `Retry-After` (never 500) and `/health` says the table is down;
 * once it is back, both recover. Everything stays on 127.0.0.1; loops have fixed counts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningStandIn } from '../../infra/local/stand-ins/index.js';
import { restartDynamoDbLocal, stopDynamoDbLocal } from '../support/dynamodb-outage.js';
import { type RuntimeProcess, startRuntimeProcess } from '../support/runtime.js';

/** Submissions sent while the table is down. */
const SUBMISSIONS_WHILE_DOWN = 5;
/** Polls of `/health` (half a second apart) for the restarted table to be seen again. */
const RECOVERY_POLLS = 60;

const complaint = {
  kind: 'complaint',
  summary: 'My bin has been missed four weeks running and nobody has answered my calls.',
  complainant: { name: 'Ada Lovelace', email: 'ada@example.com' },
};

let dataDir: string;
let runtime: RuntimeProcess;
let restarted: RunningStandIn | undefined;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'redress-outage-e2e-'));
  runtime = await startRuntimeProcess({ dataDir });
});

afterAll(async () => {
  await restarted?.stop();
  await runtime?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

function submit(): Promise<Response> {
  return fetch(`${runtime.baseUrl}/complaints`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(complaint),
    signal: AbortSignal.timeout(30_000),
  });
}

async function health(): Promise<{ status: number; retryAfter: string | null; body: unknown }> {
  const response = await fetch(`${runtime.baseUrl}/health`, { signal: AbortSignal.timeout(10_000) });
  return {
    status: response.status,
    retryAfter: response.headers.get('retry-after'),
    body: await response.json(),
  };
}

describe('npm start while DynamoDB Local is stopped', () => {
  it('answers 503 with Retry-After, says the table is down, and recovers once it is back', async () => {
    // Prepare: everything answers.
    const before = await health();
    expect(before).toMatchObject({
      status: 200,
      body: { status: 'ok', checks: { table: 'ok', archive: 'ok', email: 'ok', workflows: 'ok' } },
    });
    expect((await submit()).status).toBe(201);

    // Act: the table goes away.
    await stopDynamoDbLocal(runtime);
    const whileDown: { status: number; retryAfter: string | null; message: unknown }[] = [];
    for (let i = 0; i < SUBMISSIONS_WHILE_DOWN; i++) {
      const response = await submit();
      const body = (await response.json()) as { message?: unknown };
      whileDown.push({
        status: response.status,
        retryAfter: response.headers.get('retry-after'),
        message: body.message,
      });
    }
    const healthWhileDown = await health();

    // Assess
    expect(whileDown).toEqual(
      Array.from({ length: SUBMISSIONS_WHILE_DOWN }, () => ({
        status: 503,
        retryAfter: '30',
        message: expect.stringContaining(
          'It may have been saved: if it was, a receipt with its reference will be emailed to the address given in it.',
        ),
      })),
    );
    expect(healthWhileDown).toEqual({
      status: 503,
      retryAfter: '30',
      body: { status: 'degraded', checks: { table: 'down', archive: 'ok', email: 'ok', workflows: 'ok' } },
    });

    // Act: the table comes back, with the data it had.
    restarted = await restartDynamoDbLocal(runtime);
    let recovered = await health();
    for (let poll = 1; poll < RECOVERY_POLLS && recovered.status !== 200; poll++) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      recovered = await health();
    }
    const after = await submit();

    // Assess
    expect(recovered).toMatchObject({ status: 200, body: { status: 'ok', checks: { table: 'ok' } } });
    expect(after.status).toBe(201);
    expect(await after.json()).toMatchObject({ reference: expect.stringMatching(/^CMP-\d{4}-000002$/) });
  }, 180_000);
});

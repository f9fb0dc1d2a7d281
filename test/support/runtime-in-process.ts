/**
 * The whole local runtime (`npm start`'s: DynamoDB Local and its stream, the S3 and SES
 * stand-ins, the local engine) in the test file's own process, for the end-to-end tests that
 * reach into it (pause its stream, swap an adapter, run a deployed entry file themselves).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { type Runtime, startRuntime } from '../../infra/local/runtime.js';
import { asLambdaInvocation } from '../../infra/local/workflow-runtime.js';

export interface RuntimeInProcess {
  /** The runtime, once `beforeAll` has started it. */
  runtime(): Runtime;
  /** Every line it logged, for failure messages. */
  output: string[];
}

/**
 * Starts the runtime at `timeScale` in `beforeAll`, in a temporary data directory named after
 * `name`, on a free port; stops it and removes the directory in `afterAll`.
 */
export function runtimeInProcess(name: string, timeScale: number): RuntimeInProcess {
  let dataDir: string | undefined;
  let runtime: Runtime | undefined;
  const output: string[] = [];
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), `redress-${name}-`));
    runtime = await startRuntime({ port: 0, timeScale, dataDir, log: (line) => output.push(line) });
  });
  afterAll(async () => {
    await runtime?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });
  return { runtime: () => runtime as Runtime, output };
}

/** A deployed entry file's `handler`, invoked as Lambda invokes it (`context.awsRequestId` its request id). */
export function lambdaInvocation(
  handler: unknown,
): (event: unknown, context: { awsRequestId?: string }) => Promise<unknown> {
  return asLambdaInvocation(
    handler as (event: unknown, context: { awsRequestId?: string }) => Promise<unknown>,
  );
}

/** Posts a complaint about planning to the API at `api` (its base URL), as the complaint form does. */
export function postPlanningComplaint(
  api: string,
  summary: string,
  complainant: { name: string; email: string },
): Promise<Response> {
  return fetch(`${api}/complaints`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ kind: 'complaint', service: 'planning', summary, complainant }),
  });
}

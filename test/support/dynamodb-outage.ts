/**
 * A DynamoDB outage under `npm start`, for the end-to-end test and the outage measurement: stop
 * the runtime's DynamoDB Local, then start it again on the same port and data directory. The
 * runtime is not told (no hook in it): its JVM simply goes away, as a dependency does, and the
 * one that comes back is this process's child.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { dataPaths } from '../../infra/local/runtime.js';
import { type RunningStandIn, startDynamoDbLocal } from '../../infra/local/stand-ins/index.js';

/** How long to wait for a stopped JVM's port to refuse connections. */
const STOP_TIMEOUT_MS = 30_000;
const POLL_MS = 100;

/** What this module needs of a running `npm start` (see `test/support/runtime.ts`). */
export interface OutageTarget {
  /** Process id of the `npm start` process: DynamoDB Local's JVM is its child. */
  pid: number;
  dataDir: string;
  endpoints: { dynamodb: string };
}

/**
 * The process ids of the `java` children of `parentPid` running DynamoDB Local, read from
 * `/proc` (Linux): the runtime starts the JVM itself and does not publish its pid.
 */
export function dynamoDbLocalPids(parentPid: number): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(join('/proc', entry, 'stat'), 'utf8');
      // `pid (comm) state ppid …`: comm may hold spaces, so read after its closing parenthesis.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid !== parentPid) continue;
      const cmdline = readFileSync(join('/proc', entry, 'cmdline'), 'utf8');
      if (cmdline.includes('DynamoDBLocal')) pids.push(Number(entry));
    } catch (error: unknown) {
      // The process ended between listing and reading: it is not the one we want.
      if (!(error instanceof Error && 'code' in error && (error.code === 'ENOENT' || error.code === 'ESRCH')))
        throw error;
    }
  }
  return pids;
}

/** Stops the runtime's DynamoDB Local (SIGTERM to its JVM) and resolves once its port refuses. */
export async function stopDynamoDbLocal(target: OutageTarget): Promise<void> {
  const pids = dynamoDbLocalPids(target.pid);
  if (pids.length !== 1) {
    throw new Error(`expected one DynamoDB Local child of process ${target.pid}, found ${pids.length}`);
  }
  process.kill(pids[0] as number, 'SIGTERM');
  for (let attempt = 0; attempt < STOP_TIMEOUT_MS / POLL_MS; attempt++) {
    if (!(await answers(target.endpoints.dynamodb))) return;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  throw new Error(`${target.endpoints.dynamodb} still answers after SIGTERM`);
}

/**
 * Starts DynamoDB Local again where the runtime had it: same port (the runtime's clients keep
 * their endpoint), same data directory (the cases stored before the outage are still there).
 * Stop the returned stand-in when the test ends: it belongs to this process, not the runtime.
 */
export function restartDynamoDbLocal(target: OutageTarget): Promise<RunningStandIn> {
  return startDynamoDbLocal({
    port: Number(new URL(target.endpoints.dynamodb).port),
    dataDir: dataPaths(target.dataDir).dynamodb,
  });
}

async function answers(endpoint: string): Promise<boolean> {
  try {
    await fetch(endpoint, { signal: AbortSignal.timeout(1_000) });
    return true;
  } catch (error: unknown) {
    if (error instanceof Error) return false;
    throw error;
  }
}

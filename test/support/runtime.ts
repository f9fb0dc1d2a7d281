/**
 * Runs `npm start` (infra/local/start.ts) in a child process for the end-to-end tests, exactly as
 * a person would: its own process (the adapters keep one AWS client per process), a temporary
 * data directory, a free port. `stop()` is Ctrl-C; `kill()` is SIGKILL, a crash with no chance to
 * tidy up, which is what the restart test needs.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Page } from 'playwright-core';
import type { RuntimeEndpoints, RuntimeUrls } from '../../infra/local/runtime.js';
import { fetchStore, LOCAL_AWS_ENV, type StoredEmail } from '../../infra/local/stand-ins/index.js';

const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const START = join(REPO_ROOT, 'infra', 'local', 'start.ts');
/** DynamoDB Local's JVM on a loaded machine can take a while. */
const START_TIMEOUT_MS = 150_000;

export interface RuntimeProcessOptions {
  dataDir: string;
  /** Default 0: any free port. Give the previous one to restart behind the same links. */
  port?: number;
  timeScale?: number;
  policy?: string;
  demo?: boolean;
  /** Settings for the service, e.g. `INTAKE_LIMIT_PER_CLIENT_PER_HOUR` for a test that floods it. */
  env?: Record<string, string>;
}

export interface RuntimeProcess {
  urls: RuntimeUrls;
  endpoints: RuntimeEndpoints;
  /** The API's base URL, e.g. `http://127.0.0.1:41234` (no trailing slash). */
  baseUrl: string;
  port: number;
  /** Process id of `npm start` (its stand-ins' JVM is its child). */
  pid: number;
  /** The data directory it was started with. */
  dataDir: string;
  /** Everything the process printed (stdout and stderr), for failure messages. */
  output(): string;
  /** Mail the SES stand-in of this process accepted, oldest first. */
  emails(): Promise<StoredEmail[]>;
  /** Ctrl-C: resolves with the exit code once the process has stopped. */
  stop(): Promise<number | null>;
  /** SIGKILL: no graceful anything. Resolves once the process and its DynamoDB Local have gone. */
  kill(): Promise<void>;
}

/**
 * The Node.js options `npm start` gives its process (`package.json`'s `start`: `node <options>
 * infra/local/start.ts`), so that the tests run it as a person does.
 */
function startNodeOptions(): string[] {
  const script = (
    JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
      scripts: { start: string };
    }
  ).scripts.start;
  const words = script.trim().split(/\s+/);
  if (words[0] !== 'node' || words.at(-1) !== 'infra/local/start.ts') {
    throw new Error(`npm start is no longer "node <options> infra/local/start.ts": ${script}`);
  }
  return words.slice(1, -1);
}

/** Starts `npm start` and resolves once it has printed its addresses. */
export async function startRuntimeProcess(options: RuntimeProcessOptions): Promise<RuntimeProcess> {
  const args = [
    ...startNodeOptions(),
    START,
    '--port',
    String(options.port ?? 0),
    '--data-dir',
    options.dataDir,
    '--time-scale',
    String(options.timeScale ?? 1),
    ...(options.policy ? ['--policy', options.policy] : []),
    ...(options.demo ? ['--demo'] : []),
  ];
  const env: NodeJS.ProcessEnv = { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
  for (const name of Object.keys(env)) {
    // The test's own settings (vitest, quiet Powertools, other stand-ins) must not reach the service.
    if (
      /^(AWS_|REDRESS_|VITEST|LINK_SECRET|POWERTOOLS_|PORT$)/.test(name) &&
      name !== 'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'
    ) {
      delete env[name];
    }
  }
  Object.assign(env, options.env);
  const child = spawn(process.execPath, args, { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let hasExited = false;
  void exited.then(() => {
    hasExited = true;
  });

  await new Promise<void>((resolve, reject) => {
    const deadline = Date.now() + START_TIMEOUT_MS;
    const poll = setInterval(() => {
      if (output.includes('Press Ctrl-C to stop.')) {
        clearInterval(poll);
        resolve();
      } else if (hasExited || Date.now() > deadline) {
        clearInterval(poll);
        if (!hasExited) child.kill('SIGKILL');
        reject(new Error(`npm start did not come up:\n${output}`));
      }
    }, 100);
  });

  const runtimeFile = join(options.dataDir, 'runtime.json');
  if (!existsSync(runtimeFile)) throw new Error(`npm start wrote no ${runtimeFile}:\n${output}`);
  const info = JSON.parse(readFileSync(runtimeFile, 'utf8')) as {
    pid: number;
    urls: RuntimeUrls;
    endpoints: RuntimeEndpoints;
  };
  const baseUrl = info.endpoints.api;

  return {
    urls: info.urls,
    endpoints: info.endpoints,
    baseUrl,
    port: Number(new URL(baseUrl).port),
    pid: info.pid,
    dataDir: options.dataDir,
    output: () => output,
    emails: () => fetchStore(info.endpoints.ses),
    async stop() {
      if (!hasExited) child.kill('SIGINT');
      return exited;
    },
    async kill() {
      if (!hasExited) child.kill('SIGKILL');
      await exited;
      await untilRefused(info.endpoints.dynamodb);
    },
  };
}

/** Waits until nothing answers at `endpoint` (DynamoDB Local's JVM exits when its parent's pipe closes). */
async function untilRefused(endpoint: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      await fetch(endpoint, { signal: AbortSignal.timeout(1_000) });
    } catch {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${endpoint} still answers after the runtime was killed`);
}

/** The claims of a signed task link (`<base64url JSON>.<signature>`): case, task id, task name, audience. */
export function linkClaims(link: string): { c: string; t: string; a: string; o: string; e: number } {
  const token = link.split('/tasks/')[1]?.split(/[?#]/)[0] ?? '';
  return JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString('utf8'));
}

/** Task links in an email's text, e.g. `http://127.0.0.1:3000/tasks/eyJ…`. */
export function taskLinks(email: StoredEmail): string[] {
  return [...(email.body.text ?? '').matchAll(/https?:\/\/[^\s"<>]+\/tasks\/[\w.-]+/g)].map((m) => m[0]);
}

/** Waits for an email matching `match` (the stand-in receives mail a moment after the request that caused it). */
export async function waitForEmail(
  runtime: Pick<RuntimeProcess, 'emails' | 'output'>,
  match: (email: StoredEmail) => boolean,
  what: string,
  timeoutMs = 30_000,
): Promise<StoredEmail> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = (await runtime.emails()).find(match);
    if (found) return found;
    if (Date.now() > deadline) {
      const seen = (await runtime.emails()).map((e) => `${e.destination.to.join(',')}: ${e.subject}`);
      throw new Error(
        `no email: ${what}. Sent so far:\n${seen.join('\n')}\n--- output ---\n${runtime.output()}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** The task link in `email` for `task` (e.g. `acknowledge`, `respond`, `stage-2-request`). */
export function linkFor(email: StoredEmail, task: string): string {
  const link = taskLinks(email).find((l) => linkClaims(l).a === task);
  if (!link) throw new Error(`no ${task} link in "${email.subject}":\n${email.body.text ?? ''}`);
  return link;
}

/** A document client of the runtime's DynamoDB Local, as the deployed functions reach it. */
export function runtimeTableClient(runtime: Pick<RuntimeProcess, 'endpoints'>): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: runtime.endpoints.dynamodb,
      region: LOCAL_AWS_ENV.AWS_REGION,
      credentials: {
        accessKeyId: LOCAL_AWS_ENV.AWS_ACCESS_KEY_ID,
        secretAccessKey: LOCAL_AWS_ENV.AWS_SECRET_ACCESS_KEY,
      },
    }),
  );
}

/** A staff user `npm start --demo` made: their password and role, as it printed them. */
export interface DemoStaffUser {
  password: string;
  role: string;
}

/** The staff users `npm start --demo` printed (`Staff user: casey password … (complaints team)`), by user name. */
export function demoStaffUsers(output: string): Map<string, DemoStaffUser> {
  const users = new Map<string, DemoStaffUser>();
  for (const m of output.matchAll(/Staff user:\s+(\S+)\s+password (\S+)\s+\((.+)\)/g)) {
    users.set(m[1] as string, { password: m[2] as string, role: m[3] as string });
  }
  return users;
}

/** Signs a demo staff user in on the sign-in page `page` shows, and waits for the workspace. */
export async function signInAs(
  page: Page,
  users: ReadonlyMap<string, DemoStaffUser>,
  username: string,
): Promise<void> {
  await page.getByLabel('User name').fill(username);
  await page.getByLabel('Password').fill(users.get(username)?.password ?? '');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(/\/staff/);
}

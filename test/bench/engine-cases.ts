/**
 * One run of the local engine benchmark (`npm run bench:engine` starts it, once per size, each
 * in its own process so peak memory is that size's alone). Drives `BENCH_CASES` stage-1
 * complaints to closure through the local Step Functions engine running the real ASL and the
 * deployed step handlers, as `npm start` does: each complaint is submitted through the API
 * entry file, its workflow started by the stream's entry file, acknowledged and answered by
 * the officer's signed links (task entry file), and closed when the stage-2 window and the
 * late-request allowance pass on the clock. The engine keeps its checkpoints in a fresh state
 * directory, as `npm start` does (`BENCH_STATE_DIR=none`: in memory only), and runs in a worker
 * thread of its own, calling the handlers in this one (`BENCH_ENGINE_THREAD=false`: all in one
 * thread, as the workflow tests run it).
 *
 * Only the AWS services are in memory (case store, archive, mail), and they keep no more than
 * the benchmark needs: the case store keeps frozen records (`compact-case-store.ts`), the archive and
 * the mailer forget what they are given.
 *
 * This file imports only what every version of the engine has (an engine thread only where there
 * is one), so the orchestrator can run it unchanged against an older checkout as the baseline
 * (it copies the compact store there too). Prints one JSON line.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { APIGatewayProxyResult, Context } from 'aws-lambda';
import { provideAdapters, resetAdapters } from '../../functions/app/container.js';
import { stage2LateRequestDeadline } from '../../functions/domain/case-clock.js';
import { formToken } from '../../functions/domain/links.js';
import { loadPolicy } from '../../functions/domain/policy.js';
import type { Archive, Mailer, RetentionClass } from '../../functions/domain/ports.js';
import { handler } from '../../functions/handlers/api.js';
import { handler as startWorkflows } from '../../functions/handlers/start-workflows.js';
import { VirtualClock } from '../../infra/local/step-functions/index.js';
import * as runtime from '../../infra/local/workflow-runtime.js';
import { ACKNOWLEDGE } from '../support/acknowledge.js';
import { formPost, jsonPost } from '../support/api-event.js';
import { CompactCaseStore } from '../support/compact-case-store.js';
import { MemoryRateLimiter } from '../support/memory-rate-limiter.js';
import { MemoryStaffStore } from '../support/memory-staff-store.js';
import { caseInserted, streamEvent } from '../support/stream-records.js';

const CASES = Number(process.env.BENCH_CASES ?? 1000);
const SECRET = 'bench-link-secret-0123456789abcdef0123456789';
const BASE_URL = 'http://redress.bench';
/**
 * Requests sent at once. The next batch goes as soon as these are answered, while the engine
 * runs what they started (in its own thread, at the same time), as residents and officers do
 * not wait for the workflows; each phase ends by waiting for the engine to run as far as it can.
 */
const BATCH = 200;
/**
 * Timers due at one instant fired before the clock waits for the engine (`advanceTo`'s
 * `together`): every case shares its deadlines, and all 20,000 woken at once held their work in
 * memory together (peak RSS about 1,180 MB at 20,000 cases against 1,070 MB a thousand at a time,
 * on Node 20, and no slower). A baseline whose clock takes `together: true` fires them all.
 */
const TOGETHER = 1000;

/** An archive that keeps only each case's retention class (S3 is another process under `npm start`). */
class CountingArchive implements Archive {
  readonly retention = new Map<string, RetentionClass>();
  async ping(): Promise<void> {}
  async putCaseFile(caseId: string, _file: unknown, retention: RetentionClass) {
    this.retention.set(caseId, retention);
    return { key: `cases/${caseId}.json` };
  }
  async setRetention(caseId: string, retention: RetentionClass): Promise<void> {
    this.retention.set(caseId, retention);
  }
  async getRetention(caseId: string): Promise<RetentionClass | undefined> {
    return this.retention.get(caseId);
  }
  async getCaseFile(): Promise<undefined> {
    return undefined;
  }
  async replaceCaseFile(): Promise<void> {}
  async putLetter(caseId: string, name: string) {
    return { key: `cases/${caseId}/letters/${name}.pdf` };
  }
  async getLetter(): Promise<undefined> {
    return undefined;
  }
  async retainLetters(): Promise<void> {}
}

/**
 * CPU seconds of each of this process's threads that used more than a second, busiest first
 * (Linux only: undefined elsewhere): the JavaScript threads and V8's collector helpers. The
 * busiest bounds the wall time on a machine with a core free for each.
 */
function threadCpuSeconds(): number[] | undefined {
  try {
    const ticks = readdirSync('/proc/self/task').map((tid) => {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return Number(fields[11]) + Number(fields[12]);
    });
    // Clock ticks: 100 a second on Linux.
    return ticks
      .map((t) => t / 100)
      .filter((s) => s > 1)
      .sort((a, b) => b - a);
  } catch {
    return undefined;
  }
}

async function main(): Promise<void> {
  const stateDir =
    process.env.BENCH_STATE_DIR === 'none' ? undefined : mkdtempSync(join(tmpdir(), 'redress-bench-engine-'));
  const clockStart = '2026-03-02T09:00:00.000Z';
  // The engine in a worker thread of its own, as `npm start` runs it, unless told otherwise
  // (`BENCH_ENGINE_THREAD=false`) or the checkout (a baseline) has no such thing.
  const inThread = process.env.BENCH_ENGINE_THREAD !== 'false' && 'startLocalWorkflowsInThread' in runtime;
  let clock: Pick<VirtualClock, 'now' | 'settle' | 'advanceTo'> = new VirtualClock(clockStart);
  const store = new CompactCaseStore();
  const policy = structuredClone(loadPolicy('lgsco-code-2024'));
  // The newest signed link per case for the actions the benchmark takes, read from the emails as
  // an officer would, until it is used (kept for every action and case, they were 1.4 KB a case).
  const actions = new Set(['acknowledge', 'respond']);
  const links = new Map<string, string>();
  let emails = 0;
  const linkPattern = new RegExp(`${BASE_URL}/tasks/([\\w.-]+)`, 'g');
  const mailer: Mailer = {
    async ping() {},
    async send(message) {
      emails++;
      for (const match of message.text.matchAll(linkPattern)) {
        // A copy: the matched text is a slice that would keep the whole email alive in the map.
        const token = Buffer.from(match[1] as string).toString();
        const claims = JSON.parse(Buffer.from(token.split('.')[0] as string, 'base64url').toString()) as {
          c: string;
          a: string;
        };
        if (actions.has(claims.a)) links.set(`${claims.c}:${claims.a}`, token);
      }
      return { messageId: `m-${emails}` };
    },
  };
  let ids = 0;
  resetAdapters();
  provideAdapters({
    policy,
    store,
    limiter: new MemoryRateLimiter(),
    staffStore: new MemoryStaffStore(),
    archive: new CountingArchive(),
    mailer,
    linkSecrets: async () => [SECRET],
    clock: () => clock.now(),
    newId: () => `case-${++ids}`,
    baseUrl: BASE_URL,
  });
  const engine = inThread
    ? await (
        runtime as unknown as { startLocalWorkflowsInThread: typeof runtime.startLocalWorkflowsInThread }
      ).startLocalWorkflowsInThread({
        clock: { start: clockStart },
        ...(stateDir ? { stateDir } : {}),
        // The handlers' stand-ins are in memory (under `npm start` they share DynamoDB Local,
        // and 16 at a time keep it answering): each invocation waits a round trip between the
        // threads, and 16 left the handlers' thread idle. 128 was the best of 16–256 at 5,000.
        lambdaConcurrency: 128,
      })
    : await runtime.startLocalWorkflows({ clock: clock as VirtualClock, ...(stateDir ? { stateDir } : {}) });
  if ('clock' in engine && !(engine.clock instanceof VirtualClock)) clock = engine.clock as typeof clock;
  provideAdapters({ workflows: runtime.inProcessWorkflowEngine(engine) });
  const start = runtime.asLambdaInvocation(startWorkflows);
  let sequence = 0;
  // The stream's starts in flight: the engine in another thread cannot see them coming, so each
  // wait for it first waits for these.
  const starting = new Set<Promise<unknown>>();
  store.onCreate = (record) => {
    const event = streamEvent([caseInserted(record, ++sequence)]);
    const started = new Promise((resolve) => setImmediate(resolve)).then(() =>
      start(event, { awsRequestId: `stream-${sequence}` } as Context),
    );
    starting.add(started);
    void started.finally(() => starting.delete(started));
  };
  const settle = async (): Promise<void> => {
    await Promise.all(starting);
    await clock.settle();
  };
  const api = runtime.asLambdaInvocation(handler);
  let requests = 0;
  const call = (event: ReturnType<typeof jsonPost>): Promise<APIGatewayProxyResult> =>
    api(event, { awsRequestId: `request-${++requests}` } as Context);
  const expectStatus = (result: APIGatewayProxyResult, status: number, what: string): void => {
    if (result.statusCode !== status)
      throw new Error(`${what} answered ${result.statusCode}: ${result.body}`);
  };

  const service = policy.routing.services.find((s) => !s.redirect && !s.housingLandlord)?.id;
  const caseIds: string[] = [];
  const began = performance.now();
  const cpuBefore = process.cpuUsage();
  let peakHeap = 0;
  const sample = (): void => {
    peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  };
  const inBatches = async (work: (caseId: string, i: number) => Promise<void>): Promise<void> => {
    for (let i = 0; i < CASES; i += BATCH) {
      const slice = caseIds.slice(i, i + BATCH);
      await Promise.all(slice.map((caseId, j) => work(caseId, i + j)));
      sample();
    }
    await settle();
    sample();
  };

  for (let i = 0; i < CASES; i++) caseIds.push(`case-${i + 1}`);
  await inBatches(async (_caseId, i) => {
    const result = await call(
      jsonPost('/complaints', {
        kind: 'complaint',
        service,
        summary: `The council lost my application twice (case ${i}) and nobody has called me back.`,
        desiredOutcome: 'Process my application and explain what went wrong.',
        complainant: { name: 'Ada Lovelace', email: `resident-${i}@example.com` },
      }),
    );
    expectStatus(result, 201, 'POST /complaints');
  });
  const act = async (caseId: string, action: string, fields: Record<string, string>): Promise<void> => {
    const token = links.get(`${caseId}:${action}`);
    if (!token) throw new Error(`no ${action} link emailed for ${caseId}`);
    links.delete(`${caseId}:${action}`);
    const result = await call(formPost(`/tasks/${token}`, { csrf: formToken(token, SECRET), ...fields }));
    // Post/Redirect/Get: a recorded decision answers 303 to the link's done page.
    expectStatus(result, 303, `POST /tasks (${action})`);
  };
  await inBatches((caseId) => act(caseId, 'acknowledge', ACKNOWLEDGE));
  await inBatches((caseId) =>
    act(caseId, 'respond', {
      decision: 'respond',
      outcome: 'upheld',
      response: 'We looked into what happened and here is what we found.',
    }),
  );
  // Every case was received at the same instant, so they share their deadlines.
  const first = await store.get(caseIds[0] as string);
  if (!first) throw new Error('the first case is missing');
  const lateBy = stage2LateRequestDeadline(policy, first);
  // Every case's timers due at one instant fire a thousand at a time, as executions run side by
  // side on AWS.
  await clock.advanceTo(Date.parse(first.deadlines.stage2RequestBy as string) + 1000, { together: TOGETHER });
  sample();
  await clock.advanceTo(Date.parse(lateBy as string) + 1000, { together: TOGETHER });
  await engine.settle();
  sample();
  const seconds = (performance.now() - began) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;

  const threads = threadCpuSeconds();
  let closed = 0;
  for (const caseId of caseIds) {
    const execution = await engine.describeExecution(
      `arn:aws:states:eu-west-2:000000000000:execution:complaint:${caseId}`,
    );
    if (execution.status === 'SUCCEEDED' && (await store.get(caseId))?.status === 'closed') closed++;
  }
  await engine.close();
  resetAdapters();
  if (stateDir) rmSync(stateDir, { recursive: true, force: true });
  console.log(
    JSON.stringify({
      cases: CASES,
      closed,
      emails,
      seconds,
      msPerCase: (seconds * 1000) / CASES,
      cpuSeconds,
      cpuMsPerCase: (cpuSeconds * 1000) / CASES,
      ...(threads ? { threadCpuSeconds: threads } : {}),
      peakRssMb: process.resourceUsage().maxRSS / 1024,
      peakHeapMb: peakHeap / 2 ** 20,
    }),
  );
  if (closed !== CASES) process.exitCode = 1;
}

await main();

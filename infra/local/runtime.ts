import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { S3Client } from '@aws-sdk/client-s3';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { isPresetId, loadPolicy } from '../../functions/domain/policy.js';
import type { Policy } from '../../functions/domain/policy-schema.js';
import { retentionRules } from '../../functions/domain/retention.js';
import { WORKFLOWS } from '../../workflows/catalog.js';
import { gatewayResponses } from '../gateway-responses.js';
import { type ApiGatewayServer, type ProxyHandler, startApiGateway } from './api-gateway.js';
import { DEMO_HEAD_START_DAYS, seedDemo } from './demo.js';
import { type RunningSchedule, startSchedule } from './schedule.js';
import {
  DEFAULT_ARCHIVE_BUCKET,
  LOCAL_AWS_ENV,
  type RunningSes,
  type RunningStandIn,
  StandInStartError,
  startDynamoDbLocal,
  startS3,
  startSes,
} from './stand-ins/index.js';
import { type ExampleStaff, exampleStaff, LOCAL_CLIENT_ID, startOidcProvider } from './stand-ins/oidc.js';
import { type ScanResultEvent, startScanner } from './stand-ins/scanner.js';
import { SES_EVENT_WITHIN_MS, type SnsSubscriber, toSnsSubscriber } from './stand-ins/ses-events.js';
import {
  LocalClock,
  processClock,
  type StepFunctionsServer,
  setProcessClock,
  startStepFunctionsServer,
} from './step-functions/index.js';
import type { LocalStepFunctionsThread } from './step-functions/thread.js';
import {
  enableStream,
  type RunningStreamPoller,
  type StreamHandler,
  startStreamPoller,
} from './stream-poller.js';
import { type RunningSweeper, startSweeper } from './sweeper.js';
import { expiresOnRealTime, type RunningTtl, startTtl, TtlDeletions } from './ttl.js';

/**
 * `npm start` without the command line: the whole service on one machine. The stand-ins for
 * DynamoDB, S3, SES and Step Functions, the project's workflows on the local engine, and the
 * API handler behind an API Gateway stand-in, all on 127.0.0.1, with data on disk so open
 * cases survive a restart. Handlers are the deployed ones, reaching the stand-ins only through
 * the AWS SDK's `AWS_ENDPOINT_URL_<SERVICE>` variables.
 */

/** Where `npm start` keeps its data unless told otherwise: `.local/` at the repository root (git-ignored). */
export const DEFAULT_DATA_DIR = fileURLToPath(new URL('../../.local', import.meta.url));

/** Table and sender the local runtime configures (any names do: the stand-ins accept all). */
export const LOCAL_CASE_TABLE = 'redress-cases';
export const LOCAL_MAIL_FROM = 'complaints@redress.localhost';

/** How often the accelerated instant is saved, in real milliseconds. */
const CLOCK_SAVE_MS = 1_000;

/** The reconciler runs every 5 minutes of the service's clock (15 on AWS: locally, sooner is cheap)… */
const RECONCILE_EVERY_MS = 5 * 60_000;
/** …but at most every 10 real seconds, however fast the clock runs. */
const RECONCILE_MIN_REAL_MS = 10_000;
/**
 * The hold review reminder runs every hour of the service's clock (daily on AWS): it sends each
 * review date once however often it runs, and hourly keeps pace with an accelerated clock.
 */
const HOLD_REVIEWS_EVERY_MS = 60 * 60_000;

/**
 * The table's TTL goes over it every 15 minutes of the service's clock (AWS promises only "within
 * a few days"; locally, soon is cheap)…
 */
const TTL_EVERY_MS = 15 * 60_000;
/** …but at most every 10 real seconds, however fast the clock runs. */
const TTL_MIN_REAL_MS = 10_000;

/**
 * The adapters keep one AWS client each per process, bound to the endpoints of the first
 * runtime: a second runtime in the same process would talk to stopped stand-ins.
 */
let startedInThisProcess = false;

export interface RuntimeOptions {
  /** Port of the resident form / API (default 3000; 0 picks a free one). */
  port?: number;
  /** Policy preset id or path of a policy file (default `lgsco-code-2024`). */
  policy?: string;
  /** How much faster than real time the service's clock runs (default 1). */
  timeScale?: number;
  /** Where data lives (default `.local/` at the repository root). */
  dataDir?: string;
  /** Seed a handful of example cases once the service is up (see `demo.ts`). */
  demo?: boolean;
  /** Real milliseconds between archive sweeps (default 30 s). */
  sweepIntervalMs?: number;
  /** Progress and problems the runtime reports (default: stderr). */
  log?: (line: string) => void;
}

/** The addresses a person opens. */
export interface RuntimeUrls {
  /** The resident's form. */
  form: string;
  /** The SES stand-in's inbox page (mail the service sent). */
  inbox: string;
  /** The complaints performance reports: a signed link for the complaints team, valid 31 days of the service's clock. */
  reports: string;
  /** Liveness check: `{"status":"ok"}`. */
  health: string;
  /** The staff workspace (`/staff`): sign-in through the local OpenID Connect provider. */
  staff: string;
}

/** The stand-ins' endpoints, for the AWS CLI/SDK and for tests (also written to `<dataDir>/runtime.json`). */
export interface RuntimeEndpoints {
  api: string;
  dynamodb: string;
  s3: string;
  ses: string;
  sfn: string;
  /** The local OpenID Connect provider (issuer) the workspace signs in with. */
  oidc: string;
}

export interface Runtime {
  urls: RuntimeUrls;
  endpoints: RuntimeEndpoints;
  dataDir: string;
  policy: Policy;
  /** The service's clock (accelerated by `timeScale`). */
  clock: LocalClock;
  /** The local Step Functions engine, in a worker thread of its own (`step-functions/thread.ts`). */
  engine: LocalStepFunctionsThread;
  /** Executions that were running when the previous runtime on this dataDir stopped, now carried on. */
  resumed: string[];
  /** The example staff of the local identity provider, one per role, with their passwords. */
  staff: ExampleStaff[];
  /**
   * The case table's stream consumers (the workflow starter and the report counters), paused and
   * resumed together as their event source mappings are disabled and enabled on AWS: what is
   * stored meanwhile waits in the stream and is handed over, in order, once they resume.
   */
  streams: { pause(): Promise<void>; resume(): void };
  /**
   * DynamoDB's TTL on the case table (`ttl.ts`), which runs on its own every 15 minutes of the
   * service's clock: `runNow()` deletes what has expired at once (after a pass in progress).
   */
  ttl: { runNow(): Promise<void> };
  /** Stops everything. Executions still waiting stay on disk and carry on at the next start. */
  stop(): Promise<void>;
}

/** The runtime could not start; the message says what to do (no stack needed). */
export class RuntimeStartError extends Error {
  override name = 'RuntimeStartError';
}

/** Layout of the data directory. */
export function dataPaths(dataDir: string) {
  return {
    dynamodb: join(dataDir, 'dynamodb'),
    s3: join(dataDir, 's3'),
    stepFunctions: join(dataDir, 'step-functions'),
    ses: join(dataDir, 'ses'),
    clock: join(dataDir, 'clock.json'),
    linkSecret: join(dataDir, 'link-secret'),
    runtime: join(dataDir, 'runtime.json'),
    /** How far the workflow starter has read the case table's stream (survives a kill). */
    streamPosition: join(dataDir, 'stream-position.json'),
    /** How far the report counters have read the case table's stream (survives a kill). */
    countersPosition: join(dataDir, 'counters-position.json'),
    /** The items the local TTL deleted lately, so the stream's readers see them as TTL deletions. */
    ttlDeletions: join(dataDir, 'ttl-deletions.json'),
    /** The example staff's passwords, made once (mode 600). */
    staffPasswords: join(dataDir, 'staff-passwords.json'),
  };
}

/** Starts the whole service; resolves once the form answers. */
export async function startRuntime(options: RuntimeOptions = {}): Promise<Runtime> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const dataDir = resolve(options.dataDir ?? DEFAULT_DATA_DIR);
  const paths = dataPaths(dataDir);
  const policySetting = resolvePolicySetting(options.policy ?? 'lgsco-code-2024');
  const timeScale = options.timeScale ?? 1;
  if (!(Number.isFinite(timeScale) && timeScale > 0)) {
    throw new RuntimeStartError(`The time scale must be a positive number, not ${String(options.timeScale)}`);
  }
  if (startedInThisProcess) {
    throw new RuntimeStartError(
      'The local runtime runs once per process: start another process for a second one.',
    );
  }
  // Validate the policy first: a typo should not cost a JVM start.
  const policy = loadPolicy(policySetting);
  checkJava();
  mkdirSync(dataDir, { recursive: true });

  const cleanups: (() => Promise<void> | void)[] = [];
  const runCleanups = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) {
      try {
        await cleanup();
      } catch (error: unknown) {
        log(`stopping: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  };

  try {
    // The API listens first, answering 503 until ready: a taken port fails in milliseconds, and
    // PUBLIC_BASE_URL (links in emails) needs the port when 0 asked for any.
    let apiHandler: ProxyHandler | undefined;
    const api: ApiGatewayServer = await startApiGateway({
      port: options.port ?? 3000,
      handler: async (event: APIGatewayProxyEvent, context: Context) =>
        apiHandler ? apiHandler(event, context) : starting(),
      onError: (error) => log(`api: ${describeError(error)}`),
      // What API Gateway answers itself, in the council's words (served at the root, as locally).
      gatewayResponses: gatewayResponses(policy, { basePath: '' }),
    }).catch((error: unknown) => {
      if (error instanceof Error && 'code' in error && error.code === 'EADDRINUSE') {
        throw new RuntimeStartError(
          `Port ${options.port ?? 3000} is already in use. Stop what is using it, or pick another port with --port (or PORT).`,
          { cause: error },
        );
      }
      throw error;
    });
    cleanups.push(() => api.close());

    // A first demo run starts the clock some weeks back, so that one example case can fall
    // overdue when the demo moves the clock on to the present (see demo.ts).
    const demoHeadStart = options.demo === true && !existsSync(paths.clock);
    const clock = new LocalClock({
      scale: timeScale,
      start: demoHeadStart
        ? new Date(Date.now() - DEMO_HEAD_START_DAYS * 86_400_000)
        : startInstant(paths.clock),
    });
    const saveClock = () =>
      writeAtomically(paths.clock, `${JSON.stringify({ now: clock.now().toISOString() })}\n`);
    saveClock();
    const clockTimer = setInterval(saveClock, CLOCK_SAVE_MS);
    clockTimer.unref();
    cleanups.push(() => {
      clearInterval(clockTimer);
      saveClock();
    });
    const previousProcessClock = processClock();
    setProcessClock(clock);
    cleanups.push(() => setProcessClock(previousProcessClock));

    // The council's identity provider, as Cognito is on AWS: a real OpenID Connect provider with
    // one example member of staff per role.
    const oidc = await startOidcProvider({
      appBaseUrl: api.url,
      users: exampleStaff(policy, paths.staffPasswords),
    });
    cleanups.push(() => oidc.stop());

    // Everything but the stand-ins' endpoints is known now: set it before any application module
    // loads (some read settings on load, e.g. PUBLIC_BASE_PATH in the page renderer).
    const linkSecret = process.env.LINK_SECRET?.trim() || localLinkSecret(paths.linkSecret);
    const env = new EnvironmentOverride();
    cleanups.push(() => env.restore());
    env.set({
      ...LOCAL_AWS_ENV,
      AWS_SESSION_TOKEN: undefined,
      AWS_PROFILE: undefined,
      AWS_ENDPOINT_URL: undefined,
      CASE_TABLE: LOCAL_CASE_TABLE,
      ARCHIVE_BUCKET: DEFAULT_ARCHIVE_BUCKET,
      MAIL_FROM: LOCAL_MAIL_FROM,
      MAIL_CONFIGURATION_SET: undefined,
      LINK_SECRET_ARN: undefined,
      LINK_SECRET: linkSecret,
      PUBLIC_BASE_URL: api.url,
      // Locally the API is served at the root, not under an API Gateway stage path.
      PUBLIC_BASE_PATH: undefined,
      REDRESS_POLICY: policySetting,
      STAFF_OIDC_ISSUER: oidc.issuer,
      STAFF_OIDC_CLIENT_ID: LOCAL_CLIENT_ID,
      STAFF_OIDC_LOGOUT_URL: undefined,
    });

    // The local Lambda runtime first, on its own: the invoke store that keeps overlapping
    // invocations apart must exist before anything else loads or starts alongside it.
    const { asLambdaInvocation, startLocalWorkflowsInThread, stepHandlers } = await import(
      './workflow-runtime.js'
    );

    // Loading the application's modules takes seconds: do it while the JVM starts. None of them
    // reads an endpoint or creates an AWS client on load: the composition root builds each
    // adapter on first use, once every endpoint is set.
    const preload = Promise.all([
      import('../../functions/app/container.js'),
      stepHandlers(),
      import('../../functions/handlers/api.js'),
      import('../../functions/handlers/start-workflows.js'),
      import('../../functions/handlers/reconcile.js'),
      import('../../functions/handlers/hold-reviews.js'),
    ]);
    // Awaited below; this only keeps a failure while the stand-ins start from going unhandled.
    preload.catch(() => undefined);
    const standIns = await startStandIns(paths, cleanups, log);
    await preload;
    env.set({
      AWS_ENDPOINT_URL_DYNAMODB: standIns.dynamodb.endpoint,
      AWS_ENDPOINT_URL_S3: standIns.s3.endpoint,
      AWS_ENDPOINT_URL_SES: standIns.ses.endpoint,
      AWS_ENDPOINT_URL_SESV2: standIns.ses.endpoint,
    });

    const dynamo = new DynamoDBClient({});
    let caseStream: string;
    try {
      const { createCaseTable } = await import('../../functions/adapters/case-table.js');
      const { CASE_STREAM_VIEW_TYPE } = await import('../../functions/app/workflow-starter.js');
      await createCaseTable(dynamo, LOCAL_CASE_TABLE);
      caseStream = await enableStream(dynamo, LOCAL_CASE_TABLE, CASE_STREAM_VIEW_TYPE);
    } finally {
      dynamo.destroy();
    }

    // The deployed handlers, reading their configuration from the environment set above; only
    // the clock is the runtime's own, so that time can run faster than real time.
    startedInThisProcess = true;
    const { provideAdapters, resetAdapters } = await import('../../functions/app/container.js');
    // The handlers' waits for what takes real time (the stream, SES's events) scale with the clock.
    provideAdapters({ clock: () => clock.now(), timeScale, sesWordWithinMs: SES_EVENT_WITHIN_MS });
    cleanups.push(() => resetAdapters());
    // The engine in a worker thread, on a clock reading as this one: its states, history and
    // checkpoints on one core, the handlers, the API and the stand-ins on another.
    const engine = await startLocalWorkflowsInThread({
      clock,
      stateDir: paths.stepFunctions,
      onError: (error) => log(`step functions: ${describeError(error)}`),
    });
    // Closing the engine leaves waiting executions on disk for the next start, as a kill would.
    cleanups.push(() => engine.close());
    const sfn: StepFunctionsServer = await startStepFunctionsServer({ engine });
    cleanups.push(() => sfn.close());
    env.set({
      AWS_ENDPOINT_URL_SFN: sfn.url,
      STATE_MACHINE_ARNS: JSON.stringify(
        Object.fromEntries(WORKFLOWS.map((name) => [name, engine.stateMachineArn(name)])),
      ),
    });

    const { handler } = await import('../../functions/handlers/api.js');
    apiHandler = asLambdaInvocation(handler as unknown as ProxyHandler);

    // Open cases carry on from where the last run left them.
    const resumed = await engine.resume();

    // Every case's workflow starts from the table's stream, as on AWS: the deployed
    // start-workflows handler, fed by a poller of DynamoDB Local's stream that resumes where the
    // last run got to, so a case stored just before a crash still gets its workflow.
    const { isNewCaseRecord } = await import('../../functions/app/workflow-starter.js');
    const { handler: startWorkflows } = await import('../../functions/handlers/start-workflows.js');
    const streams = new DynamoDBStreamsClient({ endpoint: standIns.dynamodb.endpoint });
    cleanups.push(() => streams.destroy());
    // The deletions the local TTL made: their records reach the handlers as AWS's TTL's do.
    const ttlDeletions = new TtlDeletions(paths.ttlDeletions);
    const poller: RunningStreamPoller = startStreamPoller({
      client: streams,
      streamArn: caseStream,
      region: LOCAL_AWS_ENV.AWS_REGION,
      positionFile: paths.streamPosition,
      handler: asLambdaInvocation(startWorkflows as unknown as StreamHandler),
      filter: isNewCaseRecord,
      userIdentityOf: ttlDeletions.userIdentityOf,
      onGiveUp: (record) =>
        log(
          `stream: gave up on record ${record.dynamodb?.SequenceNumber ?? '?'}: the reconciler will find its case`,
        ),
      onError: (error) => log(`stream: ${describeError(error)}`),
    });
    cleanups.push(() => poller.stop());

    // The public report's counters, kept from the same stream by the deployed case-changes
    // handler (its own event source mapping on AWS, its own position here). Cases from before the
    // counters, or from another policy, are counted once in the background, as
    // `npm run reports:count` does on AWS; the public report reads cases until that is done.
    const {
      isCountedCaseRecord,
      buildReportCounters,
      COUNTED_CASE_BATCH_SIZE,
      COUNTED_CASE_BATCHING_WINDOW_SECONDS,
    } = await import('../../functions/app/report-counting.js');
    const { handler: caseChanges } = await import('../../functions/handlers/case-changes.js');
    const counting: RunningStreamPoller = startStreamPoller({
      client: streams,
      streamArn: caseStream,
      region: LOCAL_AWS_ENV.AWS_REGION,
      positionFile: paths.countersPosition,
      handler: asLambdaInvocation(caseChanges as unknown as StreamHandler),
      filter: isCountedCaseRecord,
      userIdentityOf: ttlDeletions.userIdentityOf,
      batchSize: COUNTED_CASE_BATCH_SIZE,
      maxBatchingWindowMs: COUNTED_CASE_BATCHING_WINDOW_SECONDS * 1000,
      onGiveUp: (record) =>
        log(
          `report counters: gave up on record ${record.dynamodb?.SequenceNumber ?? '?'}: npm run reports:count counts its case again`,
        ),
      onError: (error) => log(`report counters: ${describeError(error)}`),
    });
    cleanups.push(() => counting.stop());
    const { CaseCounter } = await import('../../functions/reports/compute.js');
    const { reportCountingDeps } = await import('../../functions/app/container.js');
    const countingDeps = reportCountingDeps((policy) => new CaseCounter(policy));
    void (async () => {
      if (await countingDeps.counters.built()) return;
      const { cases } = await buildReportCounters(countingDeps);
      log(`report counters: built from ${cases} cases`);
    })().catch((error: unknown) => log(`report counters: ${describeError(error)}`));

    // What EventBridge runs on a schedule on AWS, run here on the service's clock through the
    // deployed entry files: the reconciler (any open case without a running workflow) and the hold
    // review reminder (holds whose review date has come).
    const scheduled = async (
      name: string,
      load: () => Promise<{ handler: unknown }>,
      everyMs: number,
    ): Promise<RunningSchedule> => {
      const invoke = asLambdaInvocation(
        (await load()).handler as (event: unknown, context: { awsRequestId?: string }) => Promise<unknown>,
      );
      let runs = 0;
      return startSchedule({
        clock,
        scale: timeScale,
        everyMs,
        minRealMs: RECONCILE_MIN_REAL_MS,
        run: async () => {
          await invoke({}, { awsRequestId: `${name}-${process.pid}-${++runs}` });
        },
        onError: (error) => log(`${name}: ${describeError(error)}`),
      });
    };
    const reconciler = await scheduled(
      'reconcile',
      () => import('../../functions/handlers/reconcile.js'),
      RECONCILE_EVERY_MS,
    );
    cleanups.push(() => reconciler.stop());
    const holdReviewer = await scheduled(
      'hold-reviews',
      () => import('../../functions/handlers/hold-reviews.js'),
      HOLD_REVIEWS_EVERY_MS,
    );
    cleanups.push(() => holdReviewer.stop());

    // DynamoDB's TTL, which DynamoDB Local does not run: items past their expiry are deleted as
    // AWS deletes them, and their stream records say so, so an expired case takes its archive
    // with it (`archive-expiry.ts`), as on AWS.
    const ttlClient = new DynamoDBClient({});
    cleanups.push(() => ttlClient.destroy());
    const ttl: RunningTtl = startTtl({
      client: ttlClient,
      tableName: LOCAL_CASE_TABLE,
      now: () => clock.now(),
      // Sessions, sign-in links, Idempotency-Keys, the counters' gone cases and check your
      // complaint's rate limits are written on real time (`REAL_TIME_EXPIRY_PREFIXES`).
      onRealTime: expiresOnRealTime,
      deletions: ttlDeletions,
      clock,
      scale: timeScale,
      everyMs: TTL_EVERY_MS,
      minRealMs: TTL_MIN_REAL_MS,
      onError: (error) => log(`ttl: ${describeError(error)}`),
    });
    cleanups.push(() => ttl.stop());

    // SES's Send events reach the deployed ses-events function, as the configuration set's do
    // through SNS on AWS: they settle whether an email of a step that died was sent.
    const { handler: sesEvents } = await import('../../functions/handlers/ses-events.js');
    standIns.ses.publishEvents(toSnsSubscriber(asLambdaInvocation(sesEvents as unknown as SnsSubscriber)));

    const s3 = new S3Client({ forcePathStyle: true });
    cleanups.push(() => s3.destroy());
    const sweeper: RunningSweeper = startSweeper({
      client: s3,
      bucket: DEFAULT_ARCHIVE_BUCKET,
      rules: retentionRules(policy),
      now: () => clock.now(),
      intervalMs: options.sweepIntervalMs,
      onExpire: (expired) => log(`archive: ${expired.key} expired (retention ${expired.tag})`),
      onError: (error) => log(`archive sweep failed: ${describeError(error)}`),
    });
    cleanups.push(() => sweeper.stop());

    // Residents' evidence is scanned as GuardDuty does on AWS: tagged with the result, which the
    // deployed scan-result handler gets as GuardDuty's EventBridge event.
    const { handler: evidenceScan } = await import('../../functions/handlers/evidence-scan.js');
    const scanResult = asLambdaInvocation(
      evidenceScan as unknown as (
        event: ScanResultEvent,
        context: { awsRequestId?: string },
      ) => Promise<unknown>,
    );
    const scanner = startScanner({
      client: s3,
      bucket: DEFAULT_ARCHIVE_BUCKET,
      onResult: (event) => scanResult(event, {}),
      onError: (error) => log(`evidence scan failed: ${describeError(error)}`),
    });
    cleanups.push(() => scanner.stop());

    // The report pages are for officers: the printed address is a signed link, as in the monthly email.
    const { reportsLink } = await import('../../functions/app/report-access.js');
    const urls: RuntimeUrls = {
      form: `${api.url}/`,
      inbox: `${standIns.ses.endpoint}/`,
      reports: reportsLink(api.url, linkSecret, policy.routing.complaintsTeam, clock.now()),
      health: `${api.url}/health`,
      staff: `${api.url}/staff`,
    };
    const endpoints: RuntimeEndpoints = {
      api: api.url,
      dynamodb: standIns.dynamodb.endpoint,
      s3: standIns.s3.endpoint,
      ses: standIns.ses.endpoint,
      sfn: sfn.url,
      oidc: oidc.issuer,
    };
    writeAtomically(
      paths.runtime,
      `${JSON.stringify({ pid: process.pid, policy: policy.id, timeScale, urls, endpoints }, null, 2)}\n`,
    );
    cleanups.push(() => rmSync(paths.runtime, { force: true }));

    const runtime: Runtime = {
      urls,
      endpoints,
      dataDir,
      policy,
      clock,
      engine,
      resumed,
      staff: oidc.users,
      streams: {
        pause: async () => {
          await Promise.all([poller.pause(), counting.pause()]);
        },
        resume: () => {
          poller.resume();
          counting.resume();
        },
      },
      ttl: { runNow: () => ttl.runNow() },
      stop: runCleanups,
    };
    if (options.demo) {
      // The service works without its examples: a demo that cannot finish is reported, not fatal.
      await seedDemo(runtime, { log, headStart: demoHeadStart }).catch((error: unknown) => {
        log(
          `demo: could not seed every example case: ${error instanceof Error ? error.message : String(error)}`,
        );
      });
    }
    return runtime;
  } catch (error: unknown) {
    await runCleanups();
    if (error instanceof StandInStartError) {
      throw new RuntimeStartError(`A local stand-in could not start: ${error.message}`, { cause: error });
    }
    throw error;
  }
}

async function startStandIns(
  paths: ReturnType<typeof dataPaths>,
  cleanups: (() => Promise<void> | void)[],
  log: (line: string) => void,
) {
  const track = async (start: Promise<RunningStandIn>) => {
    const standIn = await start;
    cleanups.push(() => standIn.stop());
    return standIn;
  };
  const results = await Promise.allSettled([
    track(
      startDynamoDbLocal({
        dataDir: paths.dynamodb,
        // Nothing restarts it, and without it every request and step fails: say so once, plainly.
        onUnexpectedExit: (how) =>
          log(
            `DynamoDB Local stopped unexpectedly (${how}): no complaint can be saved or read until Redress starts again. ` +
              'Press Ctrl-C, then run npm start again with the same data directory: open cases carry on where they were.',
          ),
      }),
    ),
    track(
      startS3({
        dataDir: paths.s3,
        buckets: [DEFAULT_ARCHIVE_BUCKET],
        onError: (error) => log(`s3: ${describeError(error)}`),
      }),
    ),
    track(startSes({ dataDir: paths.ses, onError: (error) => log(`ses: ${describeError(error)}`) })),
  ]);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  const [dynamodb, s3, ses] = results.map((r) => (r as PromiseFulfilledResult<RunningStandIn>).value) as [
    RunningStandIn,
    RunningStandIn,
    RunningSes,
  ];
  return { dynamodb, s3, ses };
}

/** A preset id stays as it is; a policy file path is made absolute (the handlers may run elsewhere). */
function resolvePolicySetting(setting: string): string {
  const value = setting.trim();
  if (isPresetId(value) || isAbsolute(value) || !/[/\\]|\.json$/i.test(value)) return value;
  return resolve(value);
}

/** DynamoDB Local needs Java: say so plainly rather than with a spawn error. */
function checkJava(): void {
  const result = spawnSync('java', ['-version'], { encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] });
  if (result.error !== undefined || result.status !== 0) {
    throw new RuntimeStartError(
      'Java is needed to run DynamoDB Local, and `java` was not found. Install Java 17 or later ' +
        '(e.g. `sudo apt-get install openjdk-17-jre-headless`) and try again.',
    );
  }
}

/**
 * Where the clock starts: never before the instant the last run saved (time must not run
 * backwards for open cases under an accelerated clock), and never before real time.
 */
function startInstant(file: string): Date {
  const realNow = Date.now();
  if (!existsSync(file)) return new Date(realNow);
  try {
    const saved = Date.parse((JSON.parse(readFileSync(file, 'utf8')) as { now?: string }).now ?? '');
    return new Date(Number.isNaN(saved) ? realNow : Math.max(saved, realNow));
  } catch (error: unknown) {
    // A torn or hand-edited file: real time is a safe start.
    if (error instanceof SyntaxError) return new Date(realNow);
    throw error;
  }
}

/** The link-signing secret for this data directory, made once; links in old emails keep working after a restart. */
function localLinkSecret(file: string): string {
  if (existsSync(file)) {
    const secret = readFileSync(file, 'utf8').trim();
    if (secret.length >= 32) return secret;
  }
  const secret = randomBytes(32).toString('base64url');
  writeAtomically(file, `${secret}\n`, 0o600);
  return secret;
}

function writeAtomically(file: string, text: string, mode?: number): void {
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, text, mode === undefined ? undefined : { mode });
  renameSync(temporary, file);
}

/** Sets environment variables and puts the previous values back on `restore()`. */
class EnvironmentOverride {
  private readonly saved = new Map<string, string | undefined>();

  set(values: Record<string, string | undefined>): void {
    for (const [name, value] of Object.entries(values)) {
      if (!this.saved.has(name)) this.saved.set(name, process.env[name]);
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }

  restore(): void {
    for (const [name, value] of this.saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    this.saved.clear();
  }
}

function starting(): APIGatewayProxyResult {
  return {
    statusCode: 503,
    headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Retry-After': '2' },
    body: 'Redress is starting. Try again in a few seconds.\n',
  };
}

function describeError(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

/**
 * Benchmark: cold start of every Lambda bundle. Each handler is bundled exactly as the stack
 * bundles it (the `RedressFunction` construct: local esbuild, code split), and so is
 * a baseline that imports only `@aws-sdk/client-dynamodb` and builds a client
 * (`coldstart-baseline.ts`). Each sample is a fresh `node` process, with the function's own
 * environment (as in the synthesized template), timing `import()` of the bundle: what Lambda's
 * init phase pays before the first event. Samples of the bundles are interleaved, so a busy
 * machine slows them all alike. Prints the bytes loaded at start (the entry file and the chunks
 * it imports statically), median and p90 import time, and each handler's median as a ratio to
 * the baseline's.
 *
 * A second figure: the import and then the handler's first invocation, in the same process, with
 * its AWS calls answered at once by a local stand-in (`coldstart-stub.ts`): what a function that
 * loads some of its code on first use pays before its first answer. The API is invoked twice
 * (the form, and a form post in JSON, in separate processes), the route and notify steps with a
 * case stored before (notify sends the receipt); the baseline makes one `GetItem`. Functions
 * without an event here show no second figure.
 *
 * The samples run on the functions' runtime's Node.js (`sampleNode`).
 *
 * `npm run bench:coldstart` (`BENCH_SAMPLES`, default 15; `BENCH_NODE=current` for the Node
 * running the bench; `BENCH_ONLY=api,route` for some;
 * `BENCH_TRACING=sdk` or `off` to build the functions as `RedressFunction`'s `tracing: 'sdk'`
 * (with Powertools' tracer) or `'off'` does, rather than its default `'lambda'`; `BENCH_SOURCE_MAPS=node` to run them with Node's
 * `--enable-source-maps`, as they ran before; `BENCH_KEEP=1` keeps the bundles and says where, to profile them; `BENCH_CPU_PROFILES=dir` writes a
 * V8 CPU profile of each sample there, a folder per run).
 * It prints figures and asserts nothing about time: machines differ.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { App, type CfnElement, Stack } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import { loadPolicy } from '../../functions/domain/policy.js';
import {
  API_GENERATED_FILES,
  API_RUNTIME_FILES,
  type FunctionTracing,
  REPO_ROOT,
  SERVICE_FUNCTIONS,
} from '../../infra/config.js';
import { RedressFunction, RUNTIME } from '../../infra/constructs/redress-function.js';
import { STEP_FUNCTIONS, WORKFLOWS } from '../../workflows/catalog.js';
import { apiEvent, jsonPost } from '../support/api-event.js';
import { type Stub, startStub } from './coldstart-stub.js';

const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 15);
const ONLY = process.env.BENCH_ONLY?.split(',').map((s) => s.trim());
const TRACING: FunctionTracing =
  process.env.BENCH_TRACING === 'off' ? 'off' : process.env.BENCH_TRACING === 'sdk' ? 'sdk' : 'lambda';
const BASELINE = 'baseline (client-dynamodb only)';
/** Node's own source maps, every file's parsed as it loads, instead of mapping stacks when read. */
const SOURCE_MAPS_AT_START = process.env.BENCH_SOURCE_MAPS === 'node';
/** A directory for a V8 CPU profile of every sample, one folder per run, to see where a start goes. */
const CPU_PROFILES = process.env.BENCH_CPU_PROFILES;
/** A run's label as a folder name: `api, GET /` → `api-get`. */
const slug = (label: string): string =>
  label
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

/**
 * The Node.js the samples run on: the functions' runtime's major version (Node 24 for
 * `nodejs24.x`), fetched from npm once by npx, because what a cold start pays depends on it (on
 * Node 24 an ES module `import` of `node:http` loads undici; on Node 20 it does not).
 * `BENCH_NODE=current` runs them on the Node running the bench; a path, on that binary.
 */
function sampleNode(): string {
  const chosen = process.env.BENCH_NODE;
  if (chosen === 'current') return process.execPath;
  if (chosen) return chosen;
  const major = RUNTIME.name.match(/^nodejs(\d+)\.x$/)?.[1];
  if (major === undefined) throw new Error(`Cannot tell the Node.js version of ${RUNTIME.name}`);
  return execFileSync(
    'npx',
    ['--yes', '--package', `node@${major}`, '--', 'node', '-p', 'process.execPath'],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
  ).trim();
}
const NODE = sampleNode();
const NODE_VERSION = execFileSync(NODE, ['--version'], { encoding: 'utf8' }).trim();

interface Bundle {
  name: string;
  dir: string;
  env: Record<string, string>;
}

/** Bundles every handler and the baseline through the construct the stack uses; returns their folders. */
function bundleAll(workDir: string): Bundle[] {
  // The stack ships the validated policy (infra/stack.ts `writePolicyFile`): the same here.
  const policyFile = join(workDir, 'policy.json');
  writeFileSync(policyFile, `${JSON.stringify(loadPolicy('lgsco-code-2024'), null, 2)}\n`);
  const app = new App({ outdir: join(workDir, 'cdk.out') });
  const stack = new Stack(app, 'ColdStart');
  const specs = [
    { name: BASELINE, entry: 'test/bench/coldstart-baseline.ts' },
    ...Object.values(STEP_FUNCTIONS),
    ...Object.values(SERVICE_FUNCTIONS),
  ].filter((s) => s.name === BASELINE || !ONLY || ONLY.includes(s.name));
  const built = specs.map((spec, i) => ({
    name: spec.name,
    fn: new RedressFunction(stack, `F${i}`, {
      name: spec.name === BASELINE ? 'baseline' : spec.name,
      entry: join(REPO_ROOT, spec.entry),
      projectRoot: REPO_ROOT,
      policyFile,
      logRetention: logs.RetentionDays.ONE_WEEK,
      tracing: TRACING,
      runtimeFiles:
        spec.name === 'api'
          ? Object.values(API_RUNTIME_FILES).map((f) => ({
              from: join(REPO_ROOT, f.from),
              to: f.to,
              env: f.env,
            }))
          : [],
      generatedFiles: spec.name === 'api' ? API_GENERATED_FILES : [],
    }),
  }));
  app.synth();
  return built.map(({ name, fn }) => {
    const cfn = fn.fn.node.defaultChild as CfnElement & { code: unknown; environment: unknown };
    const { s3Key } = stack.resolve(cfn.code) as { s3Key: string };
    const dir = join(workDir, 'cdk.out', `asset.${s3Key.replace(/\.zip$/, '')}`);
    const variables =
      (stack.resolve(cfn.environment) as { variables?: Record<string, unknown> } | undefined)?.variables ??
      {};
    const env: Record<string, string> = {};
    for (const [key, value] of Object.entries(variables)) {
      // Paths under the Lambda task root point into the bundle folder here.
      if (typeof value === 'string') env[key] = value.replace(/^\/var\/task\//, `${dir}/`);
    }
    return { name, dir, env };
  });
}

/** The environment every function sees on Lambda besides its own variables. */
const LAMBDA_ENV = {
  AWS_REGION: 'eu-west-2',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  AWS_LAMBDA_FUNCTION_NAME: 'bench',
  // Lambda's own: Powertools (and so the functions) tell Lambda from elsewhere by it.
  AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
  CASE_TABLE: 'bench-table',
  ARCHIVE_BUCKET: 'bench-bucket',
  MAIL_FROM: 'complaints@example.gov.uk',
  PUBLIC_BASE_URL: 'https://complaints.example.gov.uk',
  STATE_MACHINE_ARNS: JSON.stringify(
    Object.fromEntries(WORKFLOWS.map((w) => [w, `arn:aws:states:eu-west-2:000000000000:stateMachine:${w}`])),
  ),
  // The stack gives it to every function that signs or checks links (the API and the mail steps).
  LINK_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-2:000000000000:secret:redress-links',
};

/** One sample: wall-clock and CPU milliseconds of the import; CPU of the import and first call. */
interface Sample {
  wall: number;
  cpu: number;
  firstCall?: number;
}

/** What is measured in one fresh process: a bundle's import, and its handler's first call with `event`. */
interface Run {
  label: string;
  bundle: Bundle;
  event?: unknown;
}

/** A complaint as a resident's JSON post sends it. */
const COMPLAINT = {
  kind: 'complaint',
  summary: 'My bin has not been collected for three weeks despite two reports.',
  desiredOutcome: 'Collect the bin and tell me why it was missed.',
  complainant: { name: 'Sam Resident', email: 'sam@example.com' },
};

/** Where a step runs, as the workflow passes it. */
const STEP = {
  execution: 'arn:aws:states:eu-west-2:000000000000:execution:complaint:bench',
  state: 'Route the case',
  enteredAt: '2026-03-02T09:00:00.000Z',
};

/**
 * The runs: every bundle's import with its first call where it has an event here. The case the
 * steps read is stored in the stand-in first, by intake itself (`seedCase`).
 */
function runsFor(
  bundles: Bundle[],
  { caseId, service, item }: { caseId: string; service: string; item: Record<string, unknown> },
): Run[] {
  // The table's stream as Lambda delivers it: the new case's INSERT.
  const stream = {
    Records: [
      {
        eventID: '1',
        eventName: 'INSERT',
        eventSource: 'aws:dynamodb',
        awsRegion: 'eu-west-2',
        eventSourceARN:
          'arn:aws:dynamodb:eu-west-2:000000000000:table/bench-table/stream/2026-01-01T00:00:00.000',
        dynamodb: {
          Keys: { PK: item.PK, SK: item.SK },
          NewImage: item,
          SequenceNumber: '1',
          StreamViewType: 'NEW_IMAGE',
        },
      },
    ],
  };
  // SES's bounce of the receipt, through the configuration set's SNS topic.
  const bounce = {
    eventType: 'Bounce',
    mail: { messageId: 'bench-message', destination: ['sam@example.com'], tags: { 'case-id': [caseId] } },
    bounce: { bounceType: 'Permanent', bouncedRecipients: [{ emailAddress: 'sam@example.com' }] },
  };
  const events: Record<string, { label?: string; event: unknown }[]> = {
    [BASELINE]: [{ event: {} }],
    api: [
      { label: 'api, GET /', event: apiEvent('GET', '/') },
      {
        label: 'api, POST /complaints',
        event: {
          ...jsonPost('/complaints', { ...COMPLAINT, service }),
          requestContext: { identity: { sourceIp: '192.0.2.1' } },
        },
      },
    ],
    route: [{ event: { caseId, step: STEP } }],
    notify: [
      {
        event: { caseId, step: { ...STEP, state: 'Send the receipt' }, template: 'receipt', to: 'resident' },
      },
    ],
    'request-task': [
      {
        event: {
          caseId,
          step: { ...STEP, state: 'Await acknowledgement' },
          task: 'acknowledge',
          taskToken: 'bench-task-token',
          lastTaskId: 'none',
        },
      },
    ],
    escalate: [{ event: { caseId, step: { ...STEP, state: 'Escalate' }, clock: 'acknowledge' } }],
    record: [
      { event: { caseId, step: { ...STEP, state: 'Record' }, transition: 'acknowledged-automatically' } },
    ],
    'monthly-report': [{ event: {} }],
    reconcile: [{ event: {} }],
    clock: [
      {
        event: {
          caseId,
          step: { ...STEP, state: 'Check the acknowledgement clock' },
          clock: 'acknowledge',
          executionStartedAt: STEP.enteredAt,
          route: {},
          lastTaskId: 'none',
        },
      },
    ],
    archive: [{ event: { caseId, step: { ...STEP, state: 'Close the case' } } }],
    'start-workflows': [{ event: stream }],
    'case-changes': [{ event: stream }],
    'ses-events': [
      { event: { Records: [{ EventSource: 'aws:sns', Sns: { Message: JSON.stringify(bounce) } }] } },
    ],
    'evidence-scan': [
      {
        event: {
          detail: {
            s3ObjectDetails: { bucketName: 'bench-bucket', objectKey: `evidence/${caseId}/bench-file` },
            scanResultDetails: { scanResultStatus: 'NO_THREATS_FOUND' },
          },
        },
      },
    ],
  };
  return bundles.flatMap((bundle) =>
    (events[bundle.name] ?? [{ event: undefined }]).map(({ label, event }) => ({
      label: label ?? bundle.name,
      bundle,
      event,
    })),
  );
}

/** Stores a case in the stand-in as intake does, for the steps' first calls; returns its id, service and item. */
async function seedCase(
  stub: Stub,
): Promise<{ caseId: string; service: string; item: Record<string, unknown> }> {
  Object.assign(process.env, { ...LAMBDA_ENV, AWS_ENDPOINT_URL: stub.url });
  const { DynamoDbCaseStore } = await import('../../functions/adapters/dynamodb-case-store.js');
  const { submitFeedback } = await import('../../functions/app/intake.js');
  const policy = loadPolicy('lgsco-code-2024');
  const store = new DynamoDbCaseStore({
    tableName: LAMBDA_ENV.CASE_TABLE,
    retentionYears: { closed: 2, ombudsman: 6 },
  });
  const service = policy.routing.services.find((s) => !s.redirect && !s.housingLandlord)?.id ?? 'other';
  const { record } = await submitFeedback(
    { store, policy, now: () => new Date('2026-03-02T09:00:00.000Z'), newId: () => 'bench-case' },
    { ...COMPLAINT, service },
  );
  const item = [...stub.items.values()].find((i) => JSON.stringify(i.SK) === '{"S":"CASE"}');
  if (!item) throw new Error('intake stored no case item in the stand-in');
  stub.freeze();
  return { caseId: record.caseId, service, item };
}

const execFileAsync = promisify(execFile);

/**
 * One fresh process: milliseconds to `import()` the bundle (its module scope runs too), on the
 * clock and in CPU time (user + system) of that process: on a shared machine other processes
 * stretch the first, hardly the second. With an event, then the CPU time of the import and the
 * handler's first call together.
 */
async function sample(run: Run, stub: Stub): Promise<Sample> {
  const { bundle, event } = run;
  const url = pathToFileURL(join(bundle.dir, 'index.mjs')).href;
  const context = {
    functionName: 'bench',
    functionVersion: '$LATEST',
    awsRequestId: 'bench-request',
    invokedFunctionArn: 'arn:aws:lambda:eu-west-2:000000000000:function:bench',
    memoryLimitInMB: '512',
    getRemainingTimeInMillis: 30_000,
  };
  const call =
    event === undefined
      ? ''
      : `const m = await import(${JSON.stringify(url)}); ` +
        `const r = await m.handler(${JSON.stringify(event)}, { ...${JSON.stringify(context)}, getRemainingTimeInMillis: () => 30000 }); ` +
        'if (r && typeof r === "object" && r.statusCode >= 400) throw new Error("answered " + r.statusCode + ": " + r.body.slice(0, 300)); ' +
        'if (r?.batchItemFailures?.length) throw new Error("failed records: " + JSON.stringify(r)); ' +
        'const f = process.cpuUsage(c); firstCall = (f.user + f.system) / 1000; ';
  const script =
    `const t = performance.now(); const c = process.cpuUsage(); await import(${JSON.stringify(url)}); ` +
    'const wall = performance.now() - t; const u = process.cpuUsage(c); let firstCall; ' +
    call +
    'process.stdout.write("\\n" + JSON.stringify({ wall, cpu: (u.user + u.system) / 1000, firstCall }));';
  const { NODE_OPTIONS: deployed, ...env } = bundle.env;
  // `BENCH_SOURCE_MAPS=node`: as the functions ran before stacks were mapped when read.
  const NODE_OPTIONS = SOURCE_MAPS_AT_START ? `${deployed ?? ''} --enable-source-maps`.trim() : deployed;
  const profile = CPU_PROFILES ? ['--cpu-prof', `--cpu-prof-dir=${join(CPU_PROFILES, slug(run.label))}`] : [];
  try {
    const { stdout } = await execFileAsync(
      NODE,
      [...(NODE_OPTIONS ? NODE_OPTIONS.split(' ') : []), ...profile, '--input-type=module', '-e', script],
      {
        cwd: bundle.dir,
        env: {
          PATH: process.env.PATH,
          ...LAMBDA_ENV,
          AWS_ENDPOINT_URL: stub.url,
          // As Lambda sets them: the X-Ray SDK makes the invocation's segment from the trace id.
          LAMBDA_TASK_ROOT: bundle.dir,
          _X_AMZN_TRACE_ID: 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1',
          ...env,
        },
        encoding: 'utf8',
        // Logs and metrics the first call writes go to stdout before the figures' line.
        maxBuffer: 16 * 1024 * 1024,
      },
    );
    return JSON.parse(stdout.slice(stdout.lastIndexOf('\n') + 1)) as Sample;
  } catch (error: unknown) {
    const { stdout = '', stderr = String(error) } = error as { stdout?: string; stderr?: string };
    throw new Error(
      `The ${run.label} run failed:\n${`${stdout}\n${stderr}`.split('\n').slice(-24).join('\n')}`,
    );
  }
}

/**
 * Bytes a cold start reads: the entry file and the chunks it imports statically, transitively
 * (esbuild's minified `from"./chunk.mjs"` and `import"./chunk.mjs"`); the chunks it imports with
 * `import()` are left out, as they load when first asked for.
 */
function startupBytes(entry: string, seen = new Set<string>()): number {
  if (seen.has(entry)) return 0;
  seen.add(entry);
  const code = readFileSync(entry, 'utf8');
  let bytes = statSync(entry).size;
  for (const [, path] of code.matchAll(/(?:from|import)\s*"(\.\.?\/[^"]+\.mjs)"/g)) {
    bytes += startupBytes(join(dirname(entry), path as string), seen);
  }
  return bytes;
}

function quantile(sorted: number[], q: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i] as number;
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KB`;

async function main(): Promise<void> {
  const workDir = mkdtempSync(join(tmpdir(), 'redress-coldstart-'));
  try {
    const started = performance.now();
    const bundles = bundleAll(workDir);
    console.log(
      `Bundled ${bundles.length} functions (X-Ray tracing ${TRACING === 'sdk' ? 'with the tracer' : TRACING === 'lambda' ? 'by Lambda alone' : 'off'}) in ${((performance.now() - started) / 1000).toFixed(1)} s; ` +
        `${SAMPLES} fresh node processes each (Node ${NODE_VERSION}, the functions' runtime is ${RUNTIME.name}), interleaved`,
    );
    const stub = await startStub();
    try {
      const runs = runsFor(bundles, await seedCase(stub));
      const times = new Map(runs.map((r) => [r.label, [] as Sample[]]));
      for (const r of runs) await sample(r, stub); // warm the file cache
      for (let i = 0; i < SAMPLES; i += 1) {
        for (const r of runs) times.get(r.label)?.push(await sample(r, stub));
      }
      report(runs, times);
    } finally {
      await stub.close();
    }
  } finally {
    if (process.env.BENCH_KEEP) console.log(`Bundles kept in ${workDir}`);
    else rmSync(workDir, { recursive: true, force: true });
  }
}

/** Prints one line per run: its bundle's size, import time and, where it has one, its first call's. */
function report(runs: Run[], times: Map<string, Sample[]>): void {
  const stats = runs.map((r) => {
    const samples = times.get(r.label) ?? [];
    const sorted = (values: number[]) => values.sort((x, y) => x - y);
    const wall = sorted(samples.map((x) => x.wall));
    const firstCalls = sorted(samples.flatMap((x) => (x.firstCall === undefined ? [] : [x.firstCall])));
    return {
      name: r.label,
      size: startupBytes(join(r.bundle.dir, 'index.mjs')),
      map: statSync(join(r.bundle.dir, 'index.mjs.map')).size,
      p50: quantile(wall, 0.5),
      p90: quantile(wall, 0.9),
      cpu50: quantile(sorted(samples.map((x) => x.cpu)), 0.5),
      first50: firstCalls.length > 0 ? quantile(firstCalls, 0.5) : undefined,
    };
  });
  const base = stats.find((s) => s.name === BASELINE);
  if (!base?.first50) throw new Error('the baseline was not bundled');
  const baseFirst = base.first50;
  const ms = (n: number) => `${n.toFixed(0)} ms`;
  const ratio = (n: number) => `${n.toFixed(2)}×`;
  console.log(
    `${'function'.padEnd(32)} ${'loaded'.padStart(8)} ${'map'.padStart(8)} ${'median'.padStart(8)} ${'p90'.padStart(8)} ${'× base'.padStart(7)} ${'CPU med'.padStart(8)} ${'× base'.padStart(7)} ${'+1st call'.padStart(9)} ${'× base'.padStart(7)}`,
  );
  for (const s of stats) {
    const first =
      s.first50 === undefined
        ? `${'—'.padStart(9)} ${''.padStart(7)}`
        : `${ms(s.first50).padStart(9)} ${ratio(s.first50 / baseFirst).padStart(7)}`;
    console.log(
      `${s.name.padEnd(32)} ${kb(s.size).padStart(8)} ${kb(s.map).padStart(8)} ${ms(s.p50).padStart(8)} ${ms(s.p90).padStart(8)} ${ratio(s.p50 / base.p50).padStart(7)} ${ms(s.cpu50).padStart(8)} ${ratio(s.cpu50 / base.cpu50).padStart(7)} ${first}`,
    );
  }
  const worst = stats.filter((s) => s !== base).sort((a, b) => b.cpu50 - a.cpu50)[0];
  if (worst) {
    console.log(
      `Slowest: ${worst.name}, ${ratio(worst.p50 / base.p50)} the baseline on the clock, ${ratio(worst.cpu50 / base.cpu50)} in CPU time (goal ≤ 1.5×). ` +
        '"+1st call": CPU of the import and the first invocation, against the baseline\'s import and one GetItem',
    );
  }
}

await main();

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
 * `npm run bench:coldstart` (`BENCH_SAMPLES`, default 15; `BENCH_ONLY=api,route` for some;
 * `BENCH_TRACING=off` to build the functions with X-Ray tracing off, as `RedressFunction`'s
 * `tracing: false` does).
 * It prints figures and asserts nothing about time: machines differ.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { App, type CfnElement, Stack } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import { loadPolicy } from '../../functions/domain/policy.js';
import { API_RUNTIME_FILES, REPO_ROOT, SERVICE_FUNCTIONS } from '../../infra/config.js';
import { RedressFunction } from '../../infra/constructs/redress-function.js';
import { STEP_FUNCTIONS } from '../../workflows/catalog.js';

const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 15);
const ONLY = process.env.BENCH_ONLY?.split(',').map((s) => s.trim());
const TRACING = process.env.BENCH_TRACING !== 'off';
const BASELINE = 'baseline (client-dynamodb only)';

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
  STATE_MACHINE_ARNS: '{}',
};

/** One sample: wall-clock and CPU milliseconds. */
interface Sample {
  wall: number;
  cpu: number;
}

/**
 * One fresh process: milliseconds to `import()` the bundle (its module scope runs too), on the
 * clock and in CPU time (user + system) of that process: on a shared machine other processes
 * stretch the first, hardly the second.
 */
function sample(bundle: Bundle): Sample {
  const url = pathToFileURL(join(bundle.dir, 'index.mjs')).href;
  const script =
    `const t = performance.now(); const c = process.cpuUsage(); await import(${JSON.stringify(url)}); ` +
    'const u = process.cpuUsage(c); ' +
    'process.stdout.write(JSON.stringify({ wall: performance.now() - t, cpu: (u.user + u.system) / 1000 }));';
  const { NODE_OPTIONS, ...env } = bundle.env;
  try {
    const out = execFileSync(
      process.execPath,
      [...(NODE_OPTIONS ? NODE_OPTIONS.split(' ') : []), '--input-type=module', '-e', script],
      {
        cwd: bundle.dir,
        env: { PATH: process.env.PATH, ...LAMBDA_ENV, ...env },
        encoding: 'utf8',
        stdio: 'pipe',
      },
    );
    return JSON.parse(out) as Sample;
  } catch (error: unknown) {
    const stderr = (error as { stderr?: string }).stderr ?? String(error);
    throw new Error(
      `The ${bundle.name} bundle failed to load:\n${stderr.split('\n').slice(0, 12).join('\n')}`,
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
      `Bundled ${bundles.length} functions (X-Ray tracing ${TRACING ? 'on' : 'off'}) in ${((performance.now() - started) / 1000).toFixed(1)} s; ` +
        `${SAMPLES} fresh node processes each (Node ${process.version}), interleaved`,
    );
    const times = new Map(bundles.map((b) => [b.name, [] as Sample[]]));
    for (const b of bundles) sample(b); // warm the file cache
    for (let i = 0; i < SAMPLES; i += 1) {
      for (const b of bundles) times.get(b.name)?.push(sample(b));
    }
    const stats = bundles.map((b) => {
      const samples = times.get(b.name) ?? [];
      const wall = samples.map((x) => x.wall).sort((x, y) => x - y);
      const cpu = samples.map((x) => x.cpu).sort((x, y) => x - y);
      return {
        name: b.name,
        size: startupBytes(join(b.dir, 'index.mjs')),
        map: statSync(join(b.dir, 'index.mjs.map')).size,
        p50: quantile(wall, 0.5),
        p90: quantile(wall, 0.9),
        cpu50: quantile(cpu, 0.5),
      };
    });
    const base = stats.find((s) => s.name === BASELINE);
    if (!base) throw new Error('the baseline was not bundled');
    const ms = (n: number) => `${n.toFixed(0)} ms`;
    const ratio = (n: number) => `${n.toFixed(2)}×`;
    console.log(
      `${'function'.padEnd(32)} ${'loaded'.padStart(8)} ${'map'.padStart(8)} ${'median'.padStart(8)} ${'p90'.padStart(8)} ${'× base'.padStart(7)} ${'CPU med'.padStart(8)} ${'× base'.padStart(7)}`,
    );
    for (const s of stats) {
      console.log(
        `${s.name.padEnd(32)} ${kb(s.size).padStart(8)} ${kb(s.map).padStart(8)} ${ms(s.p50).padStart(8)} ${ms(s.p90).padStart(8)} ${ratio(s.p50 / base.p50).padStart(7)} ${ms(s.cpu50).padStart(8)} ${ratio(s.cpu50 / base.cpu50).padStart(7)}`,
      );
    }
    const worst = stats.filter((s) => s !== base).sort((a, b) => b.p50 / base.p50 - a.p50 / base.p50)[0];
    if (worst) {
      console.log(
        `Slowest: ${worst.name}, ${ratio(worst.p50 / base.p50)} the baseline on the clock, ${ratio(worst.cpu50 / base.cpu50)} in CPU time (goal ≤ 1.5×)`,
      );
    }
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

await main();

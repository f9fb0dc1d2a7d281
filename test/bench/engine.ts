/**
 * `npm run bench:engine`: the local Step Functions engine at scale. Drives 1,000, 5,000 and
 * 20,000 stage-1 complaints to closure (`engine-cases.ts`, one process per run so each peak
 * is its own) with the engine's checkpoints on disk as under `npm start`, and in memory as in
 * the workflow tests, and prints per-case time and peak memory next to the same run of a
 * baseline commit (default: where this branch left `main`), with the ratios.
 *
 * The baseline is the commit's tree (`git archive`) in a temporary folder sharing this
 * checkout's `node_modules`, running this checkout's driver. A baseline run is kept there by
 * commit, driver, size and mode and reused: the commit does not change.
 *
 * Environment: `BENCH_SIZES` (default `1000,5000,20000`), `BENCH_MODES` (`disk,memory`),
 * `BENCH_BASELINE` (a git ref, or `none`; default: where this branch left `main`, so changes
 * merged into `main` since then are not counted as this branch's), `BENCH_BASELINE_MAX`
 * (largest size the baseline is run at; default 5000: at 20,000 it takes the better part of an
 * hour), `BENCH_MAX_OLD_SPACE_MB` (V8's heap limit for each run; default 8192),
 * `BENCH_SEMI_SPACE_MB` (V8's semi-space; default 32, as `npm start`), `BENCH_ENGINE_THREAD`
 * (`false`: the engine in the handlers' thread, as the workflow tests run it; default: in a
 * worker thread of its own, as `npm start` runs it, where the checkout has one).
 *
 * Besides the process's CPU time a case, it prints the busiest thread's: the wall time's floor on
 * a machine with a core for each thread, so the figure to watch for the engine's own thread and
 * the handlers' when the machine is shared.
 *
 * Every run uses the Node.js that runs this file: `npm run bench:engine:node22` runs the same on
 * Node.js 22, which the AWS SDK requires from January 2027 (the baseline too, cached apart by
 * version).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

interface RunResult {
  cases: number;
  closed: number;
  seconds: number;
  msPerCase: number;
  /** CPU time (user + system) per case: steadier than wall time on a shared machine. */
  cpuMsPerCase?: number;
  /** CPU seconds of each busy thread, busiest first (Linux): the busiest bounds the wall time. */
  threadCpuSeconds?: number[];
  peakRssMb: number;
  peakHeapMb: number;
}

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DRIVER = 'test/bench/engine-cases.ts';
/** What the driver brings with it into a baseline tree (an older checkout may not have it). */
const DRIVER_SUPPORT = ['test/support/compact-case-store.ts', 'test/support/acknowledge.ts'];
const SIZES = (process.env.BENCH_SIZES ?? '1000,5000,20000').split(',').map(Number);
const MODES = (process.env.BENCH_MODES ?? 'disk,memory').split(',') as ('disk' | 'memory')[];
const BASELINE =
  process.env.BENCH_BASELINE ??
  execFileSync('git', ['merge-base', 'HEAD', 'main'], { cwd: ROOT, encoding: 'utf8' }).trim();
const BASELINE_MAX = Number(process.env.BENCH_BASELINE_MAX ?? 5000);
/**
 * V8's old-generation limit for every run. Large by default so a baseline that needs gigabytes
 * still finishes; given a budget (as Lambda and containers give Node one), V8 collects sooner
 * and the peak follows the live heap rather than the garbage between collections.
 */
const MAX_OLD_SPACE_MB = Number(process.env.BENCH_MAX_OLD_SPACE_MB ?? 8192);
/**
 * V8's young generation, as `npm start` sizes it (`--max-semi-space-size=32` in package.json):
 * the engine's requests in flight keep short-lived data alive across the default's small
 * scavenges, which then copy and promote it (`BENCH_SEMI_SPACE_MB`).
 */
const SEMI_SPACE_MB = Number(process.env.BENCH_SEMI_SPACE_MB ?? 32);

/** A copy of the baseline commit's tree that runs this checkout's driver. */
function baselineTree(ref: string): string {
  const sha = execFileSync('git', ['rev-parse', ref], { cwd: ROOT, encoding: 'utf8' }).trim();
  const dir = join(tmpdir(), `redress-bench-baseline-${sha.slice(0, 12)}`);
  if (!existsSync(join(dir, 'package.json'))) {
    mkdirSync(dir, { recursive: true });
    const archive = execFileSync('git', ['archive', '--format=tar', sha], {
      cwd: ROOT,
      maxBuffer: 1 << 30,
    });
    execFileSync('tar', ['-x', '-C', dir], { input: archive });
  }
  // The tree is kept between runs, and may have been made by another checkout since removed:
  // its link to `node_modules` then leads nowhere, so it is made again to this checkout's.
  const modules = join(dir, 'node_modules');
  if (!existsSync(modules)) {
    rmSync(modules, { force: true });
    symlinkSync(join(ROOT, 'node_modules'), modules);
  }
  for (const file of [DRIVER, ...DRIVER_SUPPORT]) copyFileSync(join(ROOT, file), join(dir, file));
  return dir;
}

function run(root: string, cases: number, mode: 'disk' | 'memory'): RunResult {
  const child = spawnSync(process.execPath, ['--import', 'tsx', DRIVER], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 1 << 26,
    env: {
      ...process.env,
      BENCH_CASES: String(cases),
      BENCH_STATE_DIR: mode === 'disk' ? '' : 'none',
      POWERTOOLS_LOG_LEVEL: 'SILENT',
      POWERTOOLS_METRICS_DISABLED: 'true',
      // As a function deployed with tracing off: no X-Ray (the local engine is not on Lambda).
      POWERTOOLS_TRACE_ENABLED: 'false',
      NODE_OPTIONS: `--max-old-space-size=${MAX_OLD_SPACE_MB} --max-semi-space-size=${SEMI_SPACE_MB}`,
    },
  });
  const line = child.stdout.trim().split('\n').pop() ?? '';
  if (child.status !== 0 || !line.startsWith('{')) {
    throw new Error(`the driver failed in ${root} (${cases}, ${mode}):\n${child.stderr.slice(-2000)}`);
  }
  const result = JSON.parse(line) as RunResult;
  if (result.closed !== cases) throw new Error(`only ${result.closed} of ${cases} cases closed in ${root}`);
  return result;
}

/** Which driver made a cached run: a run of another driver (another case store, say) is not reused. */
const DRIVER_ID = createHash('sha256')
  .update([DRIVER, ...DRIVER_SUPPORT].map((file) => readFileSync(join(ROOT, file), 'utf8')).join('\0'))
  .digest('hex')
  .slice(0, 12);

/** A baseline run, from the cache beside its tree when there is one. */
function baselineRun(dir: string, cases: number, mode: 'disk' | 'memory'): RunResult {
  const cached = join(
    dir,
    `.bench-engine-${DRIVER_ID}-node${process.versions.node}-${MAX_OLD_SPACE_MB}-${SEMI_SPACE_MB}-${mode}-${cases}${process.env.BENCH_ENGINE_THREAD === 'false' ? '-one-thread' : ''}.json`,
  );
  if (existsSync(cached)) return JSON.parse(readFileSync(cached, 'utf8')) as RunResult;
  const result = run(dir, cases, mode);
  writeFileSync(cached, JSON.stringify(result));
  return result;
}

const fmt = (n: number, digits = 1): string => n.toFixed(digits);
/** CPU ms a case of the busiest thread (NaN where the run could not tell). */
const busiest = (run: RunResult): number => ((run.threadCpuSeconds?.[0] ?? Number.NaN) * 1000) / run.cases;
const ratio = (after: number, before: number | undefined): string =>
  before === undefined ? '—' : `${fmt(after / before, 2)}×`;

const baseDir = BASELINE === 'none' ? undefined : baselineTree(BASELINE);
console.log(
  `Local engine on Node.js ${process.versions.node}: stage-1 complaints to closure; baseline ${BASELINE === 'none' ? 'none' : `${BASELINE} (${baseDir})`}`,
);
console.log(
  'mode    cases   total s  ms/case  ×base  CPU ms/case  ×base  busiest thread ms/case  ×base  per-case vs 1,000  CPU vs 1,000  peak RSS MB  ×base  peak heap MB  ×base',
);
for (const mode of MODES) {
  let smallest: RunResult | undefined;
  for (const cases of SIZES) {
    const after = run(ROOT, cases, mode);
    smallest ??= after;
    const before = baseDir && cases <= BASELINE_MAX ? baselineRun(baseDir, cases, mode) : undefined;
    console.log(
      [
        mode.padEnd(6),
        String(cases).padStart(6),
        fmt(after.seconds).padStart(9),
        fmt(after.msPerCase, 2).padStart(8),
        ratio(after.msPerCase, before?.msPerCase).padStart(6),
        fmt(after.cpuMsPerCase ?? Number.NaN, 2).padStart(12),
        ratio(after.cpuMsPerCase ?? Number.NaN, before?.cpuMsPerCase).padStart(6),
        fmt(busiest(after), 2).padStart(23),
        ratio(busiest(after), before && busiest(before)).padStart(6),
        `${fmt(after.msPerCase / smallest.msPerCase, 2)}×`.padStart(18),
        // CPU time per case is the steadier sign of linearity on a shared machine.
        `${fmt((after.cpuMsPerCase ?? Number.NaN) / (smallest.cpuMsPerCase ?? Number.NaN), 2)}×`.padStart(13),
        fmt(after.peakRssMb, 0).padStart(12),
        ratio(after.peakRssMb, before?.peakRssMb).padStart(6),
        fmt(after.peakHeapMb, 0).padStart(13),
        ratio(after.peakHeapMb, before?.peakHeapMb).padStart(6),
      ].join(' '),
    );
    if (before) {
      console.log(
        `  baseline: ${fmt(before.seconds)} s, ${fmt(before.msPerCase, 2)} ms/case, ${fmt(before.cpuMsPerCase ?? Number.NaN, 2)} CPU ms/case, busiest thread ${fmt(busiest(before), 2)} ms/case, ${fmt(before.peakRssMb, 0)} MB RSS, ${fmt(before.peakHeapMb, 0)} MB heap`,
      );
    }
  }
}

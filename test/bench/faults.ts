/**
 * Fault bench: the scenarios of `test/e2e/faults.test.ts` with larger batches, against the real
 * local runtime (`npm start` in a child process, on 127.0.0.1 only). For each it prints how many
 * complaints were submitted, accepted, refused with a clear 503, left unanswered (the runtime
 * was down), answered unclearly, how many officer decisions were made, and how many complaints
 * or decisions were lost, sent but not recorded on the case, or duplicated, as a table; then what
 * each fault did and every problem found. Exits 1 if any scenario lost, left unrecorded or
 * duplicated anything (or answered unclearly).
 *
 * `npm run bench:faults` (BENCH_FAULT_SUBMISSIONS, default 100; BENCH_FAULT_CONCURRENT, default
 * 200; BENCH_FAULT_TIME_SCALE, default 60). It counts; it asserts nothing about time.
 */
import { faultScenarios, resultTable, runScenario, type ScenarioResult } from '../support/faults.js';

const SUBMISSIONS = Number(process.env.BENCH_FAULT_SUBMISSIONS ?? 100);
const CONCURRENT = Number(process.env.BENCH_FAULT_CONCURRENT ?? 200);

async function main(): Promise<void> {
  const results: ScenarioResult[] = [];
  for (const scenario of faultScenarios(SUBMISSIONS, CONCURRENT)) {
    process.stderr.write(`${scenario.name}: ${scenario.submissions} complaints…\n`);
    const started = performance.now();
    const result = await runScenario(scenario);
    process.stderr.write(`  done in ${((performance.now() - started) / 1000).toFixed(0)} s\n`);
    results.push(result);
  }

  const lines = [resultTable(results), ''];
  for (const result of results) {
    lines.push(`${result.name}:`);
    for (const note of result.notes) lines.push(`  ${note}`);
    for (const [name, value] of Object.entries(result.observed)) lines.push(`  observed ${name}: ${value}`);
    for (const problem of result.problems) lines.push(`  PROBLEM ${problem}`);
  }
  process.stdout.write(`${lines.join('\n')}\n`);

  const failed = results.filter((r) => r.lost > 0 || r.unrecorded > 0 || r.duplicated > 0 || r.unclear > 0);
  if (failed.length > 0) {
    process.stderr.write(
      `Lost, unrecorded, duplicated or unclear in: ${failed.map((r) => r.name).join('; ')}\n`,
    );
    process.exitCode = 1;
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});

/**
 * Nothing lost, nothing sent twice, through the real local runtime: each test starts `npm start`
 * on a fresh data directory, sends a batch of complaints, acts as the officer on every
 * acknowledgement task emailed, and breaks something mid-batch. Every complaint accepted must
 * get exactly one receipt and one task email, every officer decision must reach the resident
 * exactly once (counted in the SES stand-in's inbox and as `email-sent` in the case table), and
 * every refusal must be a 503 with Retry-After, never a 500 or a case lost.
 *
 * `npm run bench:faults` runs the same scenarios with larger batches and prints a table.
 */
import { describe, expect, it } from 'vitest';
import { faultScenarios, runScenario, type Scenario, type ScenarioResult } from '../support/faults.js';

/** Complaints per scenario: enough to be mid-batch when the fault hits, few enough for `npm test`. */
const SUBMISSIONS = 24;
/** Submissions of the concurrency scenario, all sent at once. */
const CONCURRENT = 200;
/** A scenario's bound: starts and restarts of the runtime, the batch, settling. */
const SCENARIO_TIMEOUT_MS = 600_000;

const [dynamoDbKilled, sesDown, crashAfterSend, runtimeKilled, concurrent] = faultScenarios(
  SUBMISSIONS,
  CONCURRENT,
) as [Scenario, Scenario, Scenario, Scenario, Scenario];

/** Everyone got exactly what they should have, and nobody was answered unclearly. */
function expectNothingLostOrSentTwice(result: ScenarioResult): void {
  const report = [
    `${result.name}:`,
    ...result.notes.map((n) => `  note: ${n}`),
    ...result.problems.map((p) => `  problem: ${p}`),
    '--- runtime output (tail) ---',
    result.output.slice(-3_000),
  ].join('\n');
  expect(result.problems, report).toEqual([]);
  expect(result.unclear, report).toBe(0);
  expect(result.accepted, report).toBe(result.submitted);
  expect(result.decisions, report).toBe(result.accepted);
  expect(result.lost, report).toBe(0);
  expect(result.unrecorded, report).toBe(0);
  expect(result.duplicated, report).toBe(0);
}

describe('npm start under faults: nothing lost, nothing sent twice', () => {
  it(
    'refuses submissions with a clear 503 while DynamoDB Local is killed, and loses or repeats nothing once it is relaunched',
    async () => {
      const result = await runScenario(dynamoDbKilled);

      expectNothingLostOrSentTwice(result);
      expect(result.observed['while DynamoDB was down']).toBe('503');
      expect(result.refused).toBeGreaterThan(0);
    },
    SCENARIO_TIMEOUT_MS,
  );

  it(
    'sends every email once when the SES stand-in stops, starts again on its port, and then throttles',
    async () => {
      const result = await runScenario(sesDown);

      expectNothingLostOrSentTwice(result);
      expect(result.observed['SES port while down']).toBe('refused');
      expect(result.observed['throttled answers left']).toBe('0');
    },
    SCENARIO_TIMEOUT_MS,
  );

  it(
    'does not send a receipt again when the runtime is killed after SES accepted it and before the case recorded it',
    async () => {
      const result = await runScenario(crashAfterSend);

      expectNothingLostOrSentTwice(result);
      expect(result.observed.crashes).toBe('2');
    },
    SCENARIO_TIMEOUT_MS,
  );

  it(
    'carries on every complaint accepted before a kill -9 of the whole runtime, after restarts on the same data and port',
    async () => {
      const result = await runScenario(runtimeKilled);

      expectNothingLostOrSentTwice(result);
      expect(result.observed['while the runtime was down']).toBe('no answer');
    },
    SCENARIO_TIMEOUT_MS,
  );

  it(
    `accepts ${CONCURRENT} concurrent submissions, each with one receipt, one task and one acknowledgement`,
    async () => {
      const result = await runScenario(concurrent);

      expectNothingLostOrSentTwice(result);
      expect(result.submitted).toBe(CONCURRENT);
    },
    SCENARIO_TIMEOUT_MS,
  );
});

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  ArchiveError,
  MailError,
  MailRejectedError,
  RETRYABLE_ADAPTER_ERRORS,
  TaskTokenInvalidError,
  WorkflowNotFoundError,
} from '../../functions/adapters/errors.js';
import { EffectUnconfirmedError, STEP_RETRY_GAP_MS } from '../../functions/app/effects.js';
import {
  CaseNotFoundError,
  ConcurrentUpdateError,
  DuplicateCaseError,
} from '../../functions/domain/ports.js';
import { aslPath, WORKFLOWS } from '../../workflows/catalog.js';
import { DEFINITIONS, renderAsl } from '../../workflows/definitions/index.js';
import {
  errorNameOf,
  LAMBDA_SERVICE_ERRORS,
  outageCoverSeconds,
  RETRY_POLICY,
  type Retrier,
  SERVICE_OUTAGE_ERRORS,
} from '../../workflows/definitions/retry-policy.js';
import { renderDiagrams } from '../../workflows/diagrams.js';

interface TaskState {
  Type: string;
  Retry?: Retrier[];
  Catch?: { ErrorEquals: string[]; Next: string }[];
}

const THIRTY_MINUTES = 30 * 60;

/** The retrier a Task state applies to an error of this name (the first that names it, or States.ALL). */
function retrierFor(state: TaskState, name: string): Retrier | undefined {
  return state.Retry?.find((r) => r.ErrorEquals.includes(name) || r.ErrorEquals.includes('States.ALL'));
}

function taskStates(name: (typeof WORKFLOWS)[number]): [string, TaskState][] {
  const committed = JSON.parse(readFileSync(aslPath(name), 'utf8')) as { States: Record<string, TaskState> };
  return Object.entries(committed.States).filter(([, s]) => s.Type === 'Task');
}

describe('the workflow definitions', () => {
  it.each(WORKFLOWS)('generate workflows/%s.asl.json exactly as committed', (name) => {
    const committed = readFileSync(aslPath(name), 'utf8');

    expect(committed, 'run `npm run workflows` and commit the result').toBe(renderAsl(DEFINITIONS[name]));
  });

  it.each(WORKFLOWS)('leave a wait on a passed deadline only through its clock step (%s)', (name) => {
    // A Choice after the clock that sends a passed deadline away from the wait does it behind the
    // clock step's back: the step closes the wait's task before the workflow leaves it (`exits`),
    // so that an officer's decision taken then is handed over or refused, never told "recorded"
    // and left behind.
    const { States } = JSON.parse(readFileSync(aslPath(name), 'utf8')) as {
      States: Record<string, { Type: string; Choices?: { Variable?: string; StringEquals?: string }[] }>;
    };
    const leavingOnTheDeadline = Object.entries(States)
      .filter(([, state]) => state.Type === 'Choice')
      .filter(([, state]) =>
        state.Choices?.some((c) => c.Variable === '$.clock.due' && c.StringEquals === 'deadline'),
      )
      .map(([choice]) => choice);

    expect(leavingOnTheDeadline).toEqual([]);
  });

  it('generate the diagrams in workflows/README.md exactly as committed', () => {
    const readme = readFileSync(fileURLToPath(new URL('../../workflows/README.md', import.meta.url)), 'utf8');

    expect(readme, 'run `npm run workflows` and commit the result').toBe(renderDiagrams(readme, DEFINITIONS));
  });
});

describe('the retry policy', () => {
  it('retries a step waiting for SES’s word more often than the gap that says the table kept it from asking', () => {
    const waiting = RETRY_POLICY.find((r) => r.ErrorEquals.includes(errorNameOf(EffectUnconfirmedError)));
    expect((waiting?.MaxDelaySeconds ?? Number.POSITIVE_INFINITY) * 1000).toBeLessThan(STEP_RETRY_GAP_MS);
  });

  const retryable = [
    ...RETRYABLE_ADAPTER_ERRORS.map(errorNameOf),
    errorNameOf(EffectUnconfirmedError),
    errorNameOf(ConcurrentUpdateError),
    ...LAMBDA_SERVICE_ERRORS,
  ];
  const notRetryable = [
    MailRejectedError,
    MailError,
    ArchiveError,
    CaseNotFoundError,
    DuplicateCaseError,
    TaskTokenInvalidError,
    WorkflowNotFoundError,
  ].map(errorNameOf);

  it('names the adapters’ retryable errors by the names their instances carry', () => {
    expect(retryable).toEqual(
      expect.arrayContaining(['ThrottledError', 'ServiceUnavailableError', 'ConcurrentUpdateError']),
    );
  });

  it.each(WORKFLOWS)('retries every retryable error in every Task state of %s', (name) => {
    for (const [stateName, state] of taskStates(name)) {
      for (const error of retryable) {
        expect(retrierFor(state, error), `"${stateName}" does not retry ${error}`).toBeDefined();
      }
    }
  });

  it.each(WORKFLOWS)('rides out a 30-minute outage in every Task state of %s', (name) => {
    for (const [stateName, state] of taskStates(name)) {
      for (const error of [...RETRYABLE_ADAPTER_ERRORS.map(errorNameOf), ...LAMBDA_SERVICE_ERRORS]) {
        const retrier = retrierFor(state, error) as Retrier;
        expect(
          outageCoverSeconds(retrier),
          `"${stateName}" gives up on ${error} before 30 minutes`,
        ).toBeGreaterThanOrEqual(THIRTY_MINUTES);
      }
    }
  });

  it.each(WORKFLOWS)('enters the same Task state of %s again when an outage outlasts the retries', (name) => {
    for (const [stateName, state] of taskStates(name)) {
      for (const error of [...SERVICE_OUTAGE_ERRORS, errorNameOf(ConcurrentUpdateError)]) {
        const catcher = state.Catch?.find(
          (c) => c.ErrorEquals.includes(error) || c.ErrorEquals.includes('States.ALL'),
        );
        expect(catcher?.Next, `"${stateName}" gives up on ${error}`).toBe(stateName);
      }
    }
  });

  it.each(WORKFLOWS)(
    'tells the complaints team, rather than loop, when a step of %s keeps crashing',
    (name) => {
      for (const [stateName, state] of taskStates(name)) {
        for (const error of ['Runtime.ExitError', 'Sandbox.Timedout', 'Lambda.Unknown']) {
          expect(retrierFor(state, error), `"${stateName}" does not retry ${error}`).toBeDefined();
          const catcher = state.Catch?.find(
            (c) => c.ErrorEquals.includes(error) || c.ErrorEquals.includes('States.ALL'),
          );
          expect(catcher?.ErrorEquals, `"${stateName}" loops on ${error}`).toEqual(['States.ALL']);
        }
      }
    },
  );

  it.each(WORKFLOWS)('sends every other error of %s to a Catch, not a retry', (name) => {
    for (const [stateName, state] of taskStates(name)) {
      for (const error of notRetryable) {
        expect(retrierFor(state, error), `"${stateName}" retries ${error}`).toBeUndefined();
        const catcher = state.Catch?.find(
          (c) => c.ErrorEquals.includes(error) || c.ErrorEquals.includes('States.ALL'),
        );
        expect(catcher?.ErrorEquals, `"${stateName}" has no catch-all for ${error}`).toEqual(['States.ALL']);
      }
    }
  });

  it('computes the cover of a capped exponential backoff, and none for full jitter', () => {
    const retrier: Retrier = {
      ErrorEquals: ['X'],
      IntervalSeconds: 2,
      BackoffRate: 2,
      MaxAttempts: 4,
      MaxDelaySeconds: 10,
    };

    expect(outageCoverSeconds(retrier)).toBe(2 + 4 + 8 + 10);
    expect(outageCoverSeconds({ ...retrier, JitterStrategy: 'FULL' })).toBe(0);
    expect(RETRY_POLICY.map(outageCoverSeconds)).toEqual([0, 5310]);
  });
});

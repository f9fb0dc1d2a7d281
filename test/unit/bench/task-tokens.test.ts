import { afterEach, describe, expect, it } from 'vitest';
import { CallbackRegistry, type PendingCallback } from '../../../infra/local/step-functions/callbacks.js';
import type { Scheduler } from '../../../infra/local/step-functions/scheduler.js';
import { AWS_TASK_TOKEN_CHARS, lengthenTaskTokens } from '../../bench/task-tokens.js';

const ARN = 'arn:aws:states:eu-west-2:000000000000:execution:complaint:0b6f1c9e-7d1a-4e8b-9c35-2f4a8d6e1b70';

/** A registry whose executions are all known; no task here waits on the scheduler. */
const registry = () => new CallbackRegistry({} as Scheduler, () => true);

describe('task tokens of AWS’s length for the cost bench', () => {
  let restore: (() => void) | undefined;
  afterEach(() => {
    restore?.();
    restore = undefined;
  });

  it('makes the engine’s tokens as long as AWS’s, each still its own', () => {
    const engineLength = registry().newToken(ARN).length;
    expect(engineLength).toBeLessThan(AWS_TASK_TOKEN_CHARS);
    restore = lengthenTaskTokens(AWS_TASK_TOKEN_CHARS);
    const callbacks = registry();
    const [a, b] = [callbacks.newToken(ARN), callbacks.newToken(ARN)];
    expect(a).toHaveLength(AWS_TASK_TOKEN_CHARS);
    expect(b).toHaveLength(AWS_TASK_TOKEN_CHARS);
    expect(a).not.toBe(b);
    restore();
    restore = undefined;
    expect(registry().newToken(ARN)).toHaveLength(engineLength);
  });

  it('gives tokens the engine completes, and still reads their execution from once the task has ended', () => {
    restore = lengthenTaskTokens(AWS_TASK_TOKEN_CHARS);
    const callbacks = registry();
    const taskToken = callbacks.newToken(ARN);
    const outcomes: unknown[] = [];
    const task: PendingCallback = { taskToken, executionArn: ARN, stateName: 'Await acknowledgement' };
    callbacks.register(task);
    callbacks.listen(task, undefined, undefined, (outcome) => outcomes.push(outcome));
    callbacks.succeed(taskToken, { decision: 'acknowledge' });
    expect(outcomes).toEqual([{ ok: true, output: { decision: 'acknowledge' } }]);
    // Once the task has ended, its token names its execution: Step Functions' TaskTimedOut, not
    // InvalidToken (a token the engine could not read).
    callbacks.retire(taskToken);
    expect(() => callbacks.succeed(taskToken, {})).toThrow(expect.objectContaining({ name: 'TaskTimedOut' }));
  });
});

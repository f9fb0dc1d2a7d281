import { beforeEach, describe, expect, it } from 'vitest';
import { route, type StepDeps } from '../../functions/app/steps.js';
import { loadPolicy } from '../../functions/domain/policy.js';
import { MemoryCaseStore } from '../support/memory-store.js';
import { openCase } from '../support/open-case.js';
import { stepDeps } from '../support/step-deps.js';

/**
 * The route step given the execution's whole state (the workflows' first state): it answers the
 * state back with the route, and the last task decided as "none" before any wait has run, which a
 * Pass state set before it.
 */

const EXECUTION = 'arn:aws:states:eu-west-2:000000000000:execution:complaint:case-1';
let store: MemoryCaseStore;

function deps(): StepDeps {
  return stepDeps({
    store,
    policy: loadPolicy('lgsco-code-2024'),
    now: () => new Date('2026-03-02T09:00:05.000Z'),
  });
}

const entry = (state?: Record<string, unknown>, enteredAt = '2026-03-02T09:00:01.000Z') => ({
  caseId: 'case-1',
  step: { execution: EXECUTION, state: 'Route the case', enteredAt },
  ...(state ? { state } : {}),
});

beforeEach(async () => {
  store = new MemoryCaseStore();
  await store.create(openCase('case-1'), {
    at: '2026-03-02T09:00:00.000Z',
    type: 'received',
    actor: 'resident',
  });
});

describe('the route step', () => {
  it('answers a new execution’s state with the route and no task decided yet', async () => {
    // Act
    const answer = await route(deps(), entry({ caseId: 'case-1' }));

    // Assess
    expect(answer).toMatchObject({
      caseId: 'case-1',
      route: { route: 'handle', stage2Available: true },
      task: { taskId: 'none' },
    });
  });

  it('keeps what the state already holds: a hand-over’s resume point, a decision that sent the case back', async () => {
    // Act
    const resumed = await route(deps(), entry({ caseId: 'case-1', resumeAt: 'Check the paused clock' }));
    const sentBack = await route(
      deps(),
      entry(
        { caseId: 'case-1', task: { taskId: 'key-1', decision: 'handle-as-complaint' } },
        '2026-03-09T10:00:00.000Z',
      ),
    );

    // Assess
    expect(resumed).toMatchObject({ resumeAt: 'Check the paused clock', task: { taskId: 'none' } });
    expect(sentBack).toMatchObject({ task: { taskId: 'key-1', decision: 'handle-as-complaint' } });
  });

  it('answers the route alone to a definition that sends no state', async () => {
    // Act
    const answer = await route(deps(), entry());

    // Assess
    expect(answer).toEqual(expect.objectContaining({ route: 'handle', stage2Available: true }));
    expect(answer).not.toHaveProperty('task');
  });
});

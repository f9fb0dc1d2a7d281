import { beforeEach, describe, expect, it } from 'vitest';
import { route, type StepDeps } from '../../functions/app/steps.js';
import { loadPolicy } from '../../functions/domain/policy.js';
import { RecordingWorkflows } from '../support/fake-workflows.js';
import { MemoryCaseStore } from '../support/memory-store.js';
import { openCase } from '../support/open-case.js';
import { recordingSend, stepDeps } from '../support/step-deps.js';

/**
 * The route step doing the usual route's first state's work (the receipt and the
 * acknowledgement clock) when the case comes back to routing after a decision
 * ('handle-as-complaint' from the exclusion check), late in a long execution.
 */

const EXECUTION = 'arn:aws:states:eu-west-2:000000000000:execution:complaint:case-1';
const policy = loadPolicy('lgsco-code-2024');
let store: MemoryCaseStore;
let workflows: RecordingWorkflows;
let sent: { template: string; to: string[] }[];
let now: Date;

function deps(): StepDeps {
  return stepDeps({ store, policy, now: () => now, send: recordingSend(sent), workflows });
}

/** The complaint workflow's routing payload (workflows/complaint.asl.json), with its `usual`. */
const routing = (enteredAt: string, state: Record<string, unknown>, executionStartedAt: string) => ({
  caseId: 'case-1',
  step: { execution: EXECUTION, state: 'Route the case', enteredAt },
  state: { caseId: 'case-1', ...state },
  taskToken: 'token-route',
  branches: ['redirect', 'refer', 'nominated-officer', 'refer-to-manager', 'needs-consent'],
  usual: {
    state: 'Send the receipt',
    clock: 'acknowledge' as const,
    first: {
      template: 'receipt' as const,
      to: 'resident' as const,
      resumeAt: 'Check the acknowledgement clock',
    },
    exits: ['deadline' as const],
  },
  executionStartedAt,
});

beforeEach(() => {
  store = new MemoryCaseStore();
  workflows = new RecordingWorkflows();
  sent = [];
});

describe('routing back to the usual route after a decision', () => {
  it('hands a case to a fresh execution when the execution is near its one-year limit', async () => {
    // Prepare: referred, and kept at the exclusion check for 331 days (its clock last read at 329);
    // then the team decides to handle it as a complaint after all (task excl-1), which the case
    // has settled, and routing now sends it the usual way.
    const started = '2026-03-02T09:00:01.000Z';
    now = new Date(Date.parse(started) + 331 * 86_400_000);
    await store.create(openCase('case-1', { status: 'referred', triage: { route: 'handle', reasons: [] } }), {
      at: '2026-03-02T09:00:00.000Z',
      type: 'received',
      actor: 'resident',
    });

    // Act
    await route(
      deps(),
      routing(
        now.toISOString(),
        { route: { route: 'refer' }, task: { taskId: 'excl-1', decision: 'handle-as-complaint' } },
        started,
      ),
    );

    // Assess: the execution ends (CaseContinuedError) only with a fresh one started to go on.
    expect(workflows.failed.map((f) => f.error)).toEqual(['CaseContinuedError']);
    expect(workflows.started).toHaveLength(1);
    expect(workflows.started[0]?.input).toMatchObject({ resumeAt: 'Check the acknowledgement clock' });
    const events = (await store.events('case-1')).map((e) => e.type);
    expect(events).toContain('workflow-continued');
  });

  it('reads the clock as after the decision that sent the case back, not as before any', async () => {
    // Prepare: the exclusion check's decision (task excl-1) is on the case, not yet settled (the
    // workspace settles it after handing it over; the workflow may run first).
    now = new Date('2026-03-03T09:00:05.000Z');
    await store.create(
      openCase('case-1', {
        status: 'referred',
        triage: { route: 'handle', reasons: [] },
        pendingDecision: {
          taskId: 'excl-1',
          task: 'confirm-exclusion',
          decision: 'handle-as-complaint',
          officer: 'team@example.gov.uk',
          at: '2026-03-03T09:00:00.000Z',
          taskToken: 'token-exclusion',
          message: 'The complaints team will handle it.',
        },
      }),
      { at: '2026-03-02T09:00:00.000Z', type: 'received', actor: 'resident' },
    );

    // Act
    await route(
      deps(),
      routing(
        now.toISOString(),
        { route: { route: 'refer' }, task: { taskId: 'excl-1', decision: 'handle-as-complaint' } },
        '2026-03-02T09:00:01.000Z',
      ),
    );

    // Assess: the workflow took excl-1 (it is the state's last task): the acknowledgement wait
    // runs to the acknowledgement clock, not one second (a decision "untaken" by task "none").
    const [answer] = workflows.succeeded;
    expect(sent.map((m) => m.template)).toEqual(['receipt']);
    const read = answer?.output.clock as { due: string; waitSeconds: number } | undefined;
    expect(read?.waitSeconds).toBeGreaterThan(1);
  });
});

import { afterEach, describe, expect, it, vi } from 'vitest';
import { ACKNOWLEDGE } from '../support/acknowledge.js';
import { capturePowertoolsOutput, type PowertoolsOutput } from '../support/powertools-output.js';
import { complaintFrom, createHarness, type Harness, RESIDENT } from './harness.js';

/**
 * The reconciler's deployed entry file on the real workflows: a case whose stream record never
 * reached the starter gets its workflow, and a workflow that was stopped carries on from where
 * it stopped. Metrics are read as the handler publishes them.
 */

// Metrics are off in tests (vitest.config.ts); hoisted above the imports, so that the
// handlers' Metrics instance is created with them on.
vi.hoisted(() => {
  process.env.POWERTOOLS_METRICS_DISABLED = 'false';
});

let h: Harness;
let output: PowertoolsOutput | undefined;

afterEach(async () => {
  output?.restore();
  output = undefined;
  await h?.close();
});

const minutesLater = (minutes: number) => new Date(h.clock.now().getTime() + minutes * 60_000).toISOString();
const executionArn = (caseId: string) =>
  `arn:aws:states:eu-west-2:000000000000:execution:complaint:${caseId}`;

/** The value each blob publishing `name` gives it, in order. */
function published(name: string): unknown[] {
  return (output?.metricsNamed(name) ?? []).map((blob) => blob[name]);
}

describe('the reconciler on the real workflows', () => {
  it('starts the workflow of a case whose stream record was lost, and the resident gets the receipt', async () => {
    h = await createHarness();
    h.stream.lose();
    const c = await h.submit(complaintFrom(h));
    expect((await h.engine.listExecutions()).executions).toEqual([]);
    expect(h.sent).toEqual([]);
    output = capturePowertoolsOutput();

    await h.advanceTo(minutesLater(6));
    await h.reconcile();

    expect(await h.status(c.caseId)).toBe('RUNNING');
    expect(h.states(c.caseId)).toEqual(expect.arrayContaining(['Route the case', 'Await acknowledgement']));
    expect(h.templates(RESIDENT)).toEqual(['receipt']);
    expect(h.templates(h.policy.routing.complaintsTeam)).toContain('workflow-reconciliation');
    const started = (await h.store.events(c.caseId)).filter((e) => e.type === 'workflow-started');
    expect(started).toEqual([expect.objectContaining({ detail: { by: 'reconciler' } })]);
    expect(published('WorkflowsStarted')).toEqual([1]);
    expect(published('CasesWithoutWorkflow')).toEqual([1]);
    expect(output.metricsNamed('CasesWithoutWorkflow')[0]?._aws.CloudWatchMetrics[0]?.Dimensions).toEqual([
      [],
    ]);
  });

  it('leaves a case the stream is still starting to the stream', async () => {
    h = await createHarness();
    h.stream.lose();
    const c = await h.submit(complaintFrom(h));

    await h.advanceTo(minutesLater(2));
    await h.reconcile();

    expect((await h.engine.listExecutions()).executions).toEqual([]);
    expect((await h.store.events(c.caseId)).map((e) => e.type)).toEqual(['received']);
  });

  it('redrives a workflow that was stopped, which carries on with the officer’s link from before', async () => {
    h = await createHarness();
    const c = await h.submit(complaintFrom(h));
    expect((await h.act(h.linkFor('acknowledge'), ACKNOWLEDGE)).statusCode).toBe(200);
    const respondLink = h.linkFor('respond');
    const officerTasks = h.templates().filter((t) => t === 'officer-task').length;
    await h.engine.stopExecution(executionArn(c.caseId), { error: 'StoppedByHand' });
    expect(await h.status(c.caseId)).toBe('ABORTED');
    output = capturePowertoolsOutput();

    await h.advanceTo(minutesLater(15));
    await h.reconcile();
    const responded = await h.act(respondLink, {
      decision: 'respond',
      outcome: 'upheld',
      response: 'We looked into what happened and here is what we found.',
    });

    expect(responded.statusCode, responded.body).toBe(200);
    expect(await h.status(c.caseId)).toBe('RUNNING');
    expect(h.templates(RESIDENT)).toEqual(['receipt', 'acknowledgement', 'response']);
    // The redriven wait asks for the same task again without emailing the officer a second time.
    expect(h.templates().filter((t) => t === 'officer-task')).toHaveLength(officerTasks);
    expect((await h.store.events(c.caseId)).filter((e) => e.type === 'workflow-redriven')).toEqual([
      expect.objectContaining({ detail: expect.objectContaining({ by: 'reconciler', status: 'ABORTED' }) }),
    ]);
    const summary = h.sent.find((m) => m.template === 'workflow-reconciliation');
    expect(summary?.text).toContain(`${c.reference}: Its workflow had stopped (ABORTED, StoppedByHand)`);
    expect(published('WorkflowsRedriven')).toEqual([1]);
    expect(published('WorkflowsStarted')).toEqual([0]);
  });

  it('finds nothing to do while every open case’s workflow runs', async () => {
    h = await createHarness();
    await h.submit(complaintFrom(h));
    output = capturePowertoolsOutput();

    await h.advanceTo(minutesLater(30));
    const result = await h.reconcile();

    expect(result).toEqual({ checked: 1, started: 0, redriven: 0, withoutWorkflow: 0 });
    expect(h.templates(h.policy.routing.complaintsTeam)).not.toContain('workflow-reconciliation');
    expect(published('CasesWithoutWorkflow')).toEqual([0]);
  });
});

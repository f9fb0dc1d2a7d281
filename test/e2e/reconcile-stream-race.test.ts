/**
 * The table's stream and the reconciler both start case workflows: the stream for every new
 * case, the reconciler for any case still without one after its grace. After a long outage the
 * stream's retries (up to `NEW_CASE_DELIVERY.maxRecordAge` on AWS) outlast that grace, and the
 * two can reach the same case at the same moment. Whatever the order, each case has one
 * execution and one `workflow-started` event, and the complaints team hears only of the cases
 * the reconciler itself started.
 *
 * The whole runtime runs in this process (DynamoDB Local and its stream, the local engine, the SES
 * stand-in). The stream is held back (its consumers paused, as a disabled event source mapping)
 * and let go at a chosen point between the reconciler's own calls, so each order is made to
 * happen rather than hoped for. The reconciler runs as its schedule would six minutes after the
 * case was stored: past its grace.
 */
import { describe, expect, it } from 'vitest';
import {
  RECENT_CASE_MS,
  type ReconcileDeps,
  type ReconcileResult,
  reconcileWorkflows,
} from '../../functions/app/reconcile.js';
import type { CaseEvent } from '../../functions/domain/case.js';
import type { Runtime } from '../../infra/local/runtime.js';
import { fetchStore } from '../../infra/local/stand-ins/index.js';
import { lambdaInvocation, postPlanningComplaint, runtimeInProcess } from '../support/runtime-in-process.js';

const { runtime } = runtimeInProcess('stream-race', 1);

/** A complaint accepted while the stream is held back: its workflow not started yet. */
async function acceptedWhileStreamHeld(
  r: Runtime,
  n: number,
): Promise<{ caseId: string; reference: string }> {
  await r.streams.pause();
  const answer = await postPlanningComplaint(
    r.endpoints.api,
    `The planning officer said they would ring me back about enquiry ${n} and never did.`,
    { name: `Resident ${n}`, email: `race.${n}@example.com` },
  );
  expect(answer.status).toBe(201);
  return (await answer.json()) as { caseId: string; reference: string };
}

/** The reconciler's deployed dependencies, as its schedule runs it just after the grace. */
async function reconcilerAfterGrace(r: Runtime): Promise<ReconcileDeps> {
  const { reconcileDeps } = await import('../../functions/app/container.js');
  const deps = reconcileDeps();
  return {
    store: deps.store,
    workflows: deps.workflows,
    policy: deps.policy,
    mailer: deps.mailer,
    timeScale: 1,
    now: () => new Date(r.clock.now().getTime() + RECENT_CASE_MS + 60_000),
  };
}

/**
 * `target` with its method `name` replaced by `hook`, which is given the original (bound) first:
 * for holding the reconciler at one of its calls while the stream does its work.
 */
function hooked<T extends object, K extends keyof T>(
  target: T,
  name: K,
  hook: T[K] extends (...args: infer A) => infer R ? (original: (...args: A) => R, ...args: A) => R : never,
): T {
  return new Proxy(target, {
    get(t, property) {
      const value = Reflect.get(t, property, t);
      if (property === name) {
        const original = (value as (...args: unknown[]) => unknown).bind(t);
        return (...args: unknown[]) => (hook as (...a: unknown[]) => unknown)(original, ...args);
      }
      return typeof value === 'function' ? value.bind(t) : value;
    },
  });
}

/** One run of the reconciler with these dependencies, inside a Lambda invocation as on AWS. */
async function reconcile(deps: ReconcileDeps): Promise<ReconcileResult> {
  let result: ReconcileResult | undefined;
  await lambdaInvocation(async () => {
    result = await reconcileWorkflows(deps);
  })({}, { awsRequestId: `race-${Date.now()}` });
  return result as ReconcileResult;
}

async function workflowStarted(caseId: string): Promise<CaseEvent[]> {
  const { reconcileDeps } = await import('../../functions/app/container.js');
  return (await reconcileDeps().store.events(caseId)).filter((e) => e.type === 'workflow-started');
}

/** Lets the stream go and waits until it has started the case's workflow (or found it started) and recorded it. */
async function streamStarts(r: Runtime, caseId: string): Promise<void> {
  r.streams.resume();
  await expect
    .poll(async () => (await workflowStarted(caseId)).length, { timeout: 30_000, interval: 100 })
    .toBe(1);
}

/**
 * Waits until the stream has handed over every record stored so far: it delivers in order, so
 * once a case stored now has its workflow started by the stream, every earlier record was handled.
 */
async function streamCaughtUp(r: Runtime, n: number): Promise<void> {
  const answer = await postPlanningComplaint(
    r.endpoints.api,
    `A later complaint about planning enquiry ${n}, stored after the others.`,
    { name: `Resident ${n}`, email: `race.${n}@example.com` },
  );
  expect(answer.status).toBe(201);
  const { caseId } = (await answer.json()) as { caseId: string };
  await expect
    .poll(async () => (await workflowStarted(caseId)).length, { timeout: 30_000, interval: 100 })
    .toBe(1);
}

async function executionsOf(r: Runtime, caseId: string): Promise<string[]> {
  const { executions } = await r.engine.listExecutions();
  return executions.filter((e) => e.name === caseId || e.name.startsWith(`${caseId}_`)).map((e) => e.status);
}

async function toTeam(r: Runtime): Promise<string[]> {
  return (await fetchStore(r.endpoints.ses))
    .filter((e) => e.subject.startsWith('Case workflows:'))
    .map((e) => e.subject);
}

async function receipts(r: Runtime, email: string): Promise<number> {
  return (await fetchStore(r.endpoints.ses)).filter(
    (e) => e.destination.to.includes(email) && /we have received your complaint/i.test(e.subject),
  ).length;
}

describe('the reconciler and the stream reaching the same case', () => {
  it('starts a case the stream is still retrying after an outage, and the late stream record starts nothing more', async () => {
    // Prepare: the stream is behind by more than the grace (its retries after an outage).
    const r = runtime();
    const c = await acceptedWhileStreamHeld(r, 1);
    const teamBefore = await toTeam(r);

    // Act: the reconciler runs first, then the stream catches up and delivers the case's record.
    const result = await reconcile(await reconcilerAfterGrace(r));
    r.streams.resume();

    // Assess: one execution, started by the reconciler, recorded once; the team told of that one case.
    expect(result.findings).toEqual([
      expect.objectContaining({ caseId: c.caseId, found: 'missing', action: 'started' }),
    ]);
    expect(result.started).toBe(1);
    await streamCaughtUp(r, 4);
    await expect.poll(() => receipts(r, 'race.1@example.com'), { timeout: 30_000, interval: 250 }).toBe(1);
    expect(await executionsOf(r, c.caseId)).toEqual(['RUNNING']);
    expect((await workflowStarted(c.caseId)).map((e) => e.detail)).toEqual([{ by: 'reconciler' }]);
    expect((await toTeam(r)).slice(teamBefore.length)).toEqual([
      'Case workflows: 1 case was set going again',
    ]);
  }, 90_000);

  it('does not report a case as needing a person when the stream started it between the reconciler’s two checks', async () => {
    // Prepare: the reconciler finds no execution; before it reads the case's history, the stream
    // starts the workflow and records it.
    const r = runtime();
    const c = await acceptedWhileStreamHeld(r, 2);
    const teamBefore = await toTeam(r);
    const deps = await reconcilerAfterGrace(r);
    let held = false;
    deps.workflows = hooked(deps.workflows, 'describe', async (describe, workflow, name) => {
      const found = await describe(workflow, name);
      if (name === c.caseId && found === undefined && !held) {
        held = true;
        await streamStarts(r, c.caseId);
      }
      return found;
    });

    // Act
    const result = await reconcile(deps);

    // Assess: the case runs its one execution; nobody is asked to handle it by hand.
    expect(held).toBe(true);
    expect(result.findings).toEqual([]);
    expect(result.withoutWorkflow).toBe(0);
    expect(await executionsOf(r, c.caseId)).toEqual(['RUNNING']);
    const { reconcileDeps } = await import('../../functions/app/container.js');
    expect((await reconcileDeps().store.events(c.caseId)).map((e) => e.type)).not.toContain(
      'workflow-needs-attention',
    );
    expect((await toTeam(r)).slice(teamBefore.length)).toEqual([]);
  }, 90_000);

  it('does not count as its own a start the stream made between the reconciler’s check and its start', async () => {
    // Prepare: the reconciler finds no execution and no record of one; just before it starts
    // the workflow, the stream starts it and records it.
    const r = runtime();
    const c = await acceptedWhileStreamHeld(r, 3);
    const teamBefore = await toTeam(r);
    const deps = await reconcilerAfterGrace(r);
    let held = false;
    deps.workflows = hooked(deps.workflows, 'start', async (start, workflow, caseId, input) => {
      if (caseId === c.caseId && !held) {
        held = true;
        await streamStarts(r, c.caseId);
      }
      return start(workflow, caseId, input);
    });

    // Act
    const result = await reconcile(deps);

    // Assess: one execution, the stream's; the reconciler claims nothing and emails nobody.
    expect(held).toBe(true);
    expect(result.started).toBe(0);
    expect(result.findings).toEqual([]);
    expect(await executionsOf(r, c.caseId)).toEqual(['RUNNING']);
    expect((await workflowStarted(c.caseId)).map((e) => e.detail)).toEqual([{ by: 'stream' }]);
    await expect.poll(() => receipts(r, 'race.3@example.com'), { timeout: 30_000, interval: 250 }).toBe(1);
    expect((await toTeam(r)).slice(teamBefore.length)).toEqual([]);
  }, 90_000);

  it('records the start once when the stream and the reconciler both find it unrecorded at the same moment', async () => {
    // Prepare: the reconciler starts the workflow; before it records the start, the stream
    // delivers the case's record, finds the execution and records the start itself.
    const r = runtime();
    const c = await acceptedWhileStreamHeld(r, 5);
    const teamBefore = await toTeam(r);
    const deps = await reconcilerAfterGrace(r);
    let startedByReconciler = false;
    let held = false;
    deps.workflows = hooked(deps.workflows, 'start', async (start, workflow, caseId, input) => {
      const started = await start(workflow, caseId, input);
      if (caseId === c.caseId) startedByReconciler = true;
      return started;
    });
    deps.store = hooked(deps.store, 'events', async (events, caseId) => {
      const read = await events(caseId);
      if (caseId === c.caseId && startedByReconciler && !held) {
        held = true;
        await streamStarts(r, c.caseId);
      }
      return read;
    });

    // Act
    const result = await reconcile(deps);

    // Assess: one execution and one record of its start, which names the reconciler, as the team's email does.
    expect(held).toBe(true);
    expect(result.started).toBe(1);
    expect(await executionsOf(r, c.caseId)).toEqual(['RUNNING']);
    expect((await workflowStarted(c.caseId)).map((e) => e.detail)).toEqual([
      { by: 'reconciler', recordedBy: 'stream' },
    ]);
    await expect.poll(() => receipts(r, 'race.5@example.com'), { timeout: 30_000, interval: 250 }).toBe(1);
    expect((await toTeam(r)).slice(teamBefore.length)).toEqual([
      'Case workflows: 1 case was set going again',
    ]);
  }, 90_000);
});

/**
 * The reconciler starts a case's workflow and then cannot record the start (the new execution's
 * own first writes keep moving the case's history on, past the conditional append's attempts). The
 * `workflow-started` record is what later tells the reconciler that an execution Step Functions
 * no longer knows has run (and must not be started afresh from the beginning): it must be
 * recorded, by this run or the next.
 *
 * The whole runtime runs in this process (DynamoDB Local and its stream, the local engine, the SES
 * stand-in); the stream is held back as in the race tests of the stream and the reconciler.
 */
import { describe, expect, it } from 'vitest';
import {
  RECENT_CASE_MS,
  type ReconcileDeps,
  type ReconcileResult,
  reconcileWorkflows,
} from '../../functions/app/reconcile.js';
import { type CaseStore, ConcurrentUpdateError } from '../../functions/domain/ports.js';
import { fetchStore } from '../../infra/local/stand-ins/index.js';
import { lambdaInvocation, postPlanningComplaint, runtimeInProcess } from '../support/runtime-in-process.js';

const { runtime } = runtimeInProcess('reconcile-unrecorded', 1);

describe('a reconciler start whose record lost every race with the new execution', () => {
  it('is recorded by the next run, and the team is not told the case could not be checked', async () => {
    // Prepare: a complaint stored while the stream is held back, past the reconciler's grace.
    const r = runtime();
    await r.streams.pause();
    const answer = await postPlanningComplaint(
      r.endpoints.api,
      'The planning officer said they would ring me back about my enquiry and never did.',
      { name: 'A Resident', email: 'unrecorded.start@example.com' },
    );
    expect(answer.status).toBe(201);
    const { caseId } = (await answer.json()) as { caseId: string };
    const { reconcileDeps } = await import('../../functions/app/container.js');
    const deps = (store?: (s: CaseStore) => CaseStore): ReconcileDeps => {
      const d = reconcileDeps();
      return {
        store: store ? store(d.store) : d.store,
        workflows: d.workflows,
        policy: d.policy,
        mailer: d.mailer,
        timeScale: 1,
        now: () => new Date(r.clock.now().getTime() + RECENT_CASE_MS + 60_000),
      };
    };
    // The history moved on before each attempt to record the start (as the execution's writes do).
    const historyMovingOn = (store: CaseStore): CaseStore =>
      Object.assign(Object.create(store) as CaseStore, {
        appendEvent: async (...args: Parameters<CaseStore['appendEvent']>) => {
          if (args[1].type === 'workflow-started' && args[2]?.afterSeq !== undefined) {
            throw new ConcurrentUpdateError(`case ${args[0]}'s history moved on`);
          }
          return store.appendEvent(...args);
        },
      });
    const toTeam = async () =>
      (await fetchStore(r.endpoints.ses))
        .filter((e) => e.subject.startsWith('Case workflows:'))
        .map((e) => e.body.text ?? '');
    const teamBefore = await toTeam();
    const run = async (d: ReconcileDeps, n: number): Promise<ReconcileResult> => {
      let result: ReconcileResult | undefined;
      await lambdaInvocation(async () => {
        result = await reconcileWorkflows(d);
      })({}, { awsRequestId: `unrecorded-${n}` });
      return result as ReconcileResult;
    };

    // Act: a run whose record is lost, then the next run as usual. The stream's record of the
    // case has aged out meanwhile (its retries outlasted, the reason the reconciler started it):
    // it never comes.
    const first = await run(deps(historyMovingOn), 1);
    const second = await run(deps(), 2);

    // Assess
    const { executions } = await r.engine.listExecutions();
    expect(executions.filter((e) => e.name === caseId).map((e) => e.status)).toEqual(['RUNNING']);
    const { reconcileDeps: again } = await import('../../functions/app/container.js');
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const told = (await toTeam()).slice(teamBefore.length).join('\n');
    expect.soft([...first.findings, ...second.findings].map((f) => f.action)).toEqual(['started']);
    expect.soft(told).not.toContain('could not check it');
    expect((await again().store.events(caseId)).filter((e) => e.type === 'workflow-started')).toHaveLength(1);
    r.streams.resume();
  }, 90_000);
});

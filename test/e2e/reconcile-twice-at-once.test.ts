/**
 * Two runs of the reconciler at once (a schedule's delivery repeated, as EventBridge may, or a
 * run started by hand during the scheduled one) reaching a case whose stream is held back. Step
 * Functions answers the same start again (same name, same input) as it answered the first, so
 * both starts "succeed": the case must still be counted, recorded and reported as set going once.
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
import { fetchStore } from '../../infra/local/stand-ins/index.js';
import { lambdaInvocation, postPlanningComplaint, runtimeInProcess } from '../support/runtime-in-process.js';

const { runtime } = runtimeInProcess('reconcile-twice', 1);

describe('two reconciler runs at the same moment', () => {
  it('set a case going once, and tell the complaints team of it once', async () => {
    // Prepare: a complaint stored while the stream is held back, past the reconciler's grace.
    const r = runtime();
    await r.streams.pause();
    const answer = await postPlanningComplaint(
      r.endpoints.api,
      'The planning officer said they would ring me back about my enquiry and never did.',
      { name: 'A Resident', email: 'twice.at.once@example.com' },
    );
    expect(answer.status).toBe(201);
    const { caseId } = (await answer.json()) as { caseId: string };
    const { reconcileDeps } = await import('../../functions/app/container.js');
    // Both runs ask Step Functions to start the case before either records the start (as two
    // runs at once may): each start waits for the other to be asked. A run that never asks (it
    // found the start recorded) lets the other go on after a moment rather than hold it for ever.
    let asked = 0;
    let bothAsked: () => void = () => undefined;
    const barrier = new Promise<void>((resolve) => {
      bothAsked = resolve;
    });
    const meetingStarts = (workflows: ReconcileDeps['workflows']): ReconcileDeps['workflows'] =>
      Object.assign(Object.create(workflows) as ReconcileDeps['workflows'], {
        start: async (...args: Parameters<ReconcileDeps['workflows']['start']>) => {
          if (++asked === 2) bothAsked();
          await Promise.race([barrier, new Promise((resolve) => setTimeout(resolve, 5_000))]);
          return workflows.start(...args);
        },
      });
    const deps = (): ReconcileDeps => {
      const d = reconcileDeps();
      return {
        store: d.store,
        workflows: meetingStarts(d.workflows),
        policy: d.policy,
        mailer: d.mailer,
        timeScale: 1,
        now: () => new Date(r.clock.now().getTime() + RECENT_CASE_MS + 60_000),
      };
    };
    const toTeam = async () =>
      (await fetchStore(r.endpoints.ses))
        .filter((e) => e.subject.startsWith('Case workflows:'))
        .map((e) => e.subject);
    const teamBefore = await toTeam();
    const run = async (n: number): Promise<ReconcileResult> => {
      let result: ReconcileResult | undefined;
      await lambdaInvocation(async () => {
        result = await reconcileWorkflows(deps());
      })({}, { awsRequestId: `twice-${n}` });
      return result as ReconcileResult;
    };

    // Act
    const results = await Promise.all([run(1), run(2)]);
    r.streams.resume();

    // Assess
    const { executions } = await r.engine.listExecutions();
    expect(executions.filter((e) => e.name === caseId).map((e) => e.status)).toEqual(['RUNNING']);
    expect.soft(results.reduce((n, result) => n + result.started, 0)).toBe(1);
    await expect
      .poll(async () => (await toTeam()).slice(teamBefore.length), { timeout: 20_000, interval: 250 })
      .toEqual(['Case workflows: 1 case was set going again']);
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect((await toTeam()).slice(teamBefore.length)).toEqual(['Case workflows: 1 case was set going again']);
  }, 90_000);
});

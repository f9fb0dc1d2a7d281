/**
 * A decision other than the one the wait expects, taken while the workflow could not be told
 * (Step Functions not answering), stays pending on the case; the wait's next entry hands it over
 * as the named task failure the workflow catches, and the case goes straight to its state.
 */
import { afterEach, expect, it } from 'vitest';
import { adapter, provideAdapters } from '../../functions/app/container.js';
import { stage2LateRequestDeadline } from '../../functions/domain/case-clock.js';
import { inProcessWorkflowEngine } from '../../infra/local/workflow-runtime.js';
import { ACKNOWLEDGE } from '../support/acknowledge.js';
import { requestingStage2AsToldTooLate } from './faults.js';
import { complaintFrom, createHarness, type Harness, RESIDENT } from './harness.js';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

function outage(harness: Harness) {
  const real = inProcessWorkflowEngine(harness.engine);
  const state = { down: true };
  const unavailable = () =>
    Object.assign(new Error('Step Functions is not answering'), { name: 'ServiceUnavailableError' });
  provideAdapters({
    workflows: {
      ...real,
      async sendTaskSuccess(token, output) {
        if (state.down) throw unavailable();
        return real.sendTaskSuccess(token, output);
      },
      async sendTaskFailure(token, error, cause) {
        if (state.down) throw unavailable();
        return real.sendTaskFailure(token, error, cause);
      },
    },
  });
  return state;
}

it('a not-a-complaint decision left pending by an outage reaches its own state when the wait is entered again', async () => {
  h = await createHarness();
  const c = await h.submit(complaintFrom(h));
  const link = h.linkFor('acknowledge');
  const state = outage(h);

  const answer = await h.act(link, {
    decision: 'not-a-complaint',
    redirect: 'Report the broken street light at example.gov.uk/report.',
  });
  expect((await h.caseOf(c.caseId)).pendingDecision?.decision, answer.body.slice(0, 200)).toBe(
    'not-a-complaint',
  );
  state.down = false;
  // The wait times out at the acknowledgement deadline, the clock finds the decision untaken.
  await h.advanceTo(new Date(Date.parse(c.deadlines.acknowledgeBy as string) + 1000).toISOString());

  expect(h.states(c.caseId)).toEqual(
    expect.arrayContaining(['Tell the resident it is a service request', 'Close the case']),
  );
  expect(h.states(c.caseId)).not.toContain('Escalate the late acknowledgement');
  expect(h.templates(RESIDENT)).toEqual(['receipt', 'not-a-complaint']);
  expect(await h.status(c.caseId)).toBe('SUCCEEDED');
  expect((await h.caseOf(c.caseId)).pendingDecision).toBeUndefined();
});

/** A complaint acknowledged and answered at stage 1: the stage-2 window is open. */
async function respondedComplaint() {
  h = await createHarness();
  const c = await h.submit(complaintFrom(h));
  await h.act(h.linkFor('acknowledge'), ACKNOWLEDGE);
  await h.act(h.linkFor('respond'), {
    decision: 'respond',
    outcome: 'not-upheld',
    response: 'We looked into what happened and here is what we found.',
  });
  return { c, responded: await h.caseOf(c.caseId) };
}

it('a late stage-2 request accepted during an outage as its time runs out starts stage 2 instead of closing the case', async () => {
  const { c, responded } = await respondedComplaint();
  await h.advanceTo(new Date(Date.parse(responded.deadlines.stage2RequestBy as string) + 1000).toISOString());
  const link = h.linkFor('late-stage-2-request', h.policy.routing.complaintsTeam);
  const state = outage(h);

  const answer = await h.act(link, {
    decision: 'accept-late',
    reason: 'The resident was in hospital until 10 April.',
  });
  expect((await h.caseOf(c.caseId)).pendingDecision?.decision, answer.body.slice(0, 200)).toBe('accept-late');
  state.down = false;
  // The wait for a late request times out at its last day (Wednesday 29 April 2026): the close
  // finds the decision untaken, and the clock state hands it over.
  await h.advanceTo('2026-04-30T09:00:00.000Z');

  expect(h.states(c.caseId)).toEqual(
    expect.arrayContaining([
      'Close the case when no late request can come',
      'Check the clock for late requests',
      'Start stage 2',
    ]),
  );
  const record = await h.caseOf(c.caseId);
  expect(record.stage).toBe(2);
  expect(record.status).not.toBe('closed');
  expect(record.pendingDecision).toBeUndefined();
  expect(h.templates(RESIDENT).filter((t) => t === 'stage-2-too-late')).toHaveLength(1);
});

it('a stage-2 request made during an outage as the window closes starts stage 2, and the resident is not told the window closed', async () => {
  const { c, responded } = await respondedComplaint();
  const link = h.linkFor('stage-2-request');
  const state = outage(h);

  const answer = await h.act(link, { decision: 'request', response: 'You did not answer my main point.' });
  expect((await h.caseOf(c.caseId)).pendingDecision?.decision, answer.body.slice(0, 200)).toBe('request');
  state.down = false;
  // The window's wait times out on its last day and goes straight to the wait for a late
  // request, whose step finds the resident's request untaken and sends it to the window's clock.
  await h.advanceTo(new Date(Date.parse(responded.deadlines.stage2RequestBy as string) + 1000).toISOString());

  expect(h.states(c.caseId)).toEqual(
    expect.arrayContaining(['Await a late request', 'Check the stage 2 window', 'Start stage 2']),
  );
  expect((await h.caseOf(c.caseId)).stage).toBe(2);
  expect(h.templates(RESIDENT)).not.toContain('stage-2-too-late');
});

it('a stage-2 request the resident makes as the window closes, landing while the step after it tells them it closed, starts stage 2', async () => {
  h = await createHarness();
  const c = await h.submit(complaintFrom(h));
  await h.act(h.linkFor('acknowledge'), ACKNOWLEDGE);
  await h.act(h.linkFor('respond'), {
    decision: 'respond',
    outcome: 'not-upheld',
    response: 'We looked into what happened and here is what we found.',
  });
  const responded = await h.caseOf(c.caseId);
  // The resident sends the form in the last moment of the window; the wait for it times out as
  // the request is written, and the workflow cannot be told: the request stays pending on the
  // case, written while the wait for a late request's step sends the letter saying the window closed.
  const { mailer, made } = requestingStage2AsToldTooLate(h, c.caseId, adapter('mailer'));
  provideAdapters({ mailer });

  await h.advanceTo(new Date(Date.parse(responded.deadlines.stage2RequestBy as string) + 1000).toISOString());
  expect(made.answer).toBeDefined();
  const lateBy = stage2LateRequestDeadline(h.policy, await h.caseOf(c.caseId)) as string;
  await h.advanceTo(new Date(Date.parse(lateBy) + 86_400_000).toISOString());

  // The request made in time is the workflow's: stage 2 starts, and the case does not go round
  // between the close and the late-request clock for a decision no wait hands over.
  const record = await h.caseOf(c.caseId);
  expect(record.pendingDecision).toBeUndefined();
  expect(record.stage).toBe(2);
  expect(h.states(c.caseId)).toContain('Start stage 2');
  expect(h.states(c.caseId).filter((s) => s === 'Close the case when no late request can come')).toHaveLength(
    0,
  );
});

import { afterEach, describe, expect, it } from 'vitest';
import { stage2LateRequestDeadline } from '../../functions/domain/case-clock.js';
import { stepHandlers } from '../../infra/local/workflow-runtime.js';
import { ACKNOWLEDGE } from '../support/acknowledge.js';
import { complaintFrom, createHarness, type Harness, RESIDENT } from './harness.js';

/**
 * Late duplicates through the real ASL and the deployed step entry files: Lambda may run an
 * invocation twice, and a copy that stalls can arrive after the workflow has moved on. Every
 * invocation a case's workflow has made so far is run again, as such copies would be; none may
 * send a letter, record a change or take a task's place again, and the case goes on to its end
 * with each letter once.
 */

let h: Harness;

afterEach(async () => {
  await h?.close();
});

const execution = (caseId: string) => `arn:aws:states:eu-west-2:000000000000:execution:complaint:${caseId}`;

/** Every step invocation of the execution so far: the function's name and the payload it was given. */
async function invocationsOf(caseId: string): Promise<{ name: string; payload: Record<string, unknown> }[]> {
  const { events } = await h.engine.getExecutionHistory(execution(caseId));
  return events
    .filter((e) => e.type === 'TaskScheduled')
    .map((e) => {
      const details = e.taskScheduledEventDetails as { parameters: string };
      const parameters = JSON.parse(details.parameters) as {
        FunctionName: string;
        Payload: Record<string, unknown>;
      };
      return { name: parameters.FunctionName.split(':function:')[1] as string, payload: parameters.Payload };
    });
}

/** Runs every invocation again; returns how each ended (the error's name, or `answered`). */
async function runAgain(caseId: string): Promise<string[]> {
  const handlers = await stepHandlers();
  const outcomes: string[] = [];
  for (const [i, { name, payload }] of (await invocationsOf(caseId)).entries()) {
    const handler = handlers[name];
    if (!handler) throw new Error(`no step function ${name}`);
    outcomes.push(
      await Promise.resolve(
        handler(payload, {
          functionName: name,
          awsRequestId: `late-copy-${i}`,
          invokedFunctionArn: `arn:aws:lambda:eu-west-2:000000000000:function:${name}`,
          getRemainingTimeInMillis: () => 30_000,
        }),
      ).then(
        () => 'answered',
        (error: Error) => error.name,
      ),
    );
  }
  await h.clock.settle();
  return outcomes;
}

describe('late duplicates of every step invocation', () => {
  it('do nothing, and the case goes on to its end with each letter once', async () => {
    // Prepare: a complaint acknowledged; the workflow waits for the response.
    h = await createHarness();
    const c = await h.submit(complaintFrom(h));
    expect((await h.act(h.linkFor('acknowledge'), ACKNOWLEDGE)).statusCode).toBe(200);
    const before = await h.store.events(c.caseId);
    const openTask = (await h.caseOf(c.caseId)).openTask;
    expect(h.templates(RESIDENT)).toEqual(['receipt', 'acknowledgement']);

    // Act: a late copy of every invocation so far.
    const outcomes = await runAgain(c.caseId);

    // Assess: every copy of an entry the workflow has left is refused; the wait it is in now
    // answers its own copy (same entry, same token) and changes nothing.
    expect(outcomes.slice(0, -1).every((o) => o === 'SupersededEntryError')).toBe(true);
    expect(outcomes.at(-1)).toBe('answered');
    expect(h.templates(RESIDENT)).toEqual(['receipt', 'acknowledgement']);
    expect(h.templates().filter((t) => t === 'officer-task')).toHaveLength(2);
    expect((await h.store.events(c.caseId)).map((e) => e.type)).toEqual(before.map((e) => e.type));
    expect((await h.caseOf(c.caseId)).openTask).toEqual(openTask);

    // …and the case goes on: answered, its stage-2 window and the late-request time run out.
    const responded = await h.act(h.linkFor('respond'), {
      decision: 'respond',
      outcome: 'upheld',
      response: 'We looked into what happened and here is what we found.',
    });
    expect(responded.statusCode).toBe(200);
    await h.advanceTo((await h.caseOf(c.caseId)).deadlines.stage2RequestBy as string);
    await h.advanceTo(new Date(h.clock.now().getTime() + 86_400_000).toISOString());
    const lateBy = stage2LateRequestDeadline(h.policy, await h.caseOf(c.caseId)) as string;
    await h.advanceTo(new Date(Date.parse(lateBy) + 86_400_000).toISOString());
    expect(await h.status(c.caseId)).toBe('SUCCEEDED');

    // Copies of everything again, once the case is closed: nothing reopens or goes out.
    const closed = await h.store.events(c.caseId);
    const afterClose = await runAgain(c.caseId);
    expect(afterClose.every((o) => o === 'SupersededEntryError' || o === 'answered')).toBe(true);
    expect(h.templates(RESIDENT)).toEqual(['receipt', 'acknowledgement', 'response', 'stage-2-too-late']);
    expect((await h.store.events(c.caseId)).map((e) => e.type)).toEqual(closed.map((e) => e.type));
    expect((await h.caseOf(c.caseId)).status).toBe('closed');
  });
  it('of the window’s wait and the wait for a late request it timed out into, as the window closes, change nothing', async () => {
    h = await createHarness();
    const c = await h.submit(complaintFrom(h));
    await h.act(h.linkFor('acknowledge'), ACKNOWLEDGE);
    await h.act(h.linkFor('respond'), {
      decision: 'respond',
      outcome: 'upheld',
      response: 'We looked into what happened and here is what we found.',
    });
    await h.advanceTo(
      new Date(
        Date.parse((await h.caseOf(c.caseId)).deadlines.stage2RequestBy as string) + 1000,
      ).toISOString(),
    );
    expect(h.states(c.caseId).slice(-2)).toEqual(['Await a stage 2 request', 'Await a late request']);
    const before = await h.store.events(c.caseId);
    const openTask = (await h.caseOf(c.caseId)).openTask;

    // Act: a late copy of every invocation so far, the wait for a late request's own last.
    const outcomes = await runAgain(c.caseId);

    // Assess: the copy of the entry that told the resident and opened the task answers its own
    // (same entry, same token) and neither tells the resident again nor opens another task.
    expect(outcomes.slice(0, -1).every((o) => o === 'SupersededEntryError')).toBe(true);
    expect(outcomes.at(-1)).toBe('answered');
    expect(h.templates(RESIDENT)).toEqual(['receipt', 'acknowledgement', 'response', 'stage-2-too-late']);
    expect((await h.store.events(c.caseId)).map((e) => e.type)).toEqual(before.map((e) => e.type));
    expect((await h.caseOf(c.caseId)).openTask).toEqual(openTask);
  });
});

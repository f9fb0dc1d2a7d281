/**
 * History kept in memory (no state directory) is compressed while an execution waits and once
 * it ends, and still reads back whole and in order.
 */
import { describe, expect, it } from 'vitest';
import { LocalStepFunctions, VirtualClock } from '../../../infra/local/step-functions/index.js';
import { MemoryHistory } from '../../../infra/local/step-functions/memory-history.js';
import { fixture, recorder, SUBSTITUTIONS } from './support.js';

const START = '2026-03-02T09:00:00.000Z';

describe('MemoryHistory', () => {
  it('gives back every event, oldest first, across compressed chunks and the uncompressed tail', () => {
    // Prepare
    const history = new MemoryHistory();
    const events = Array.from({ length: 300 }, (_, i) =>
      JSON.stringify({ id: i + 1, note: `line ${i}\nwith a newline, an ’ and ${'x'.repeat(i * 7)}` }),
    );

    // Act
    for (const [i, event] of events.entries()) {
      history.add(event);
      if (i % 50 === 49) history.pack();
    }

    // Assess
    expect(history.lines()).toEqual(events);
  });

  it('gives each execution its own events when several pack in the same turn, before and after they are compressed', async () => {
    // Prepare: three executions' events, one with text of more than one byte a character.
    const histories = [new MemoryHistory(), new MemoryHistory(), new MemoryHistory()];
    const events = histories.map((_, h) =>
      Array.from({ length: 40 }, (_, i) =>
        JSON.stringify({ id: i + 1, note: `execution ${h}, event ${i}: Dw’n cwyno ${'ŵx'.repeat(i * 50)}` }),
      ),
    );

    // Act: they take turns adding and packing, in one turn of the event loop and then in the next.
    for (let i = 0; i < 20; i++) {
      for (const [h, history] of histories.entries()) {
        history.add(events[h]?.[i] as string);
        if (i % 3 === h) history.pack();
      }
    }
    const beforeCompression = histories.map((history) => history.lines());
    await new Promise((resolve) => setImmediate(resolve));
    for (let i = 20; i < 40; i++) {
      for (const [h, history] of histories.entries()) {
        history.add(events[h]?.[i] as string);
        history.pack();
      }
    }
    await new Promise((resolve) => setImmediate(resolve));

    // Assess
    expect(beforeCompression).toEqual(events.map((lines) => lines.slice(0, 20)));
    expect(histories.map((history) => history.lines())).toEqual(events);
  });
});

describe('LocalStepFunctions without a state directory', () => {
  it('answers GetExecutionHistory in full after the execution waited, was called back and ended', async () => {
    // Prepare: an input large enough that its events pass the uncompressed limit on their own.
    const clock = new VirtualClock(START);
    const requestTask = recorder(clock);
    const checkCase = recorder(clock, () => ({ status: 'open' }));
    const engine = new LocalStepFunctions({
      clock,
      handlers: { 'request-task': requestTask.handler, clock: checkCase.handler },
    });
    const { stateMachineArn } = await engine.createStateMachine(
      'wait-then-callback',
      fixture('wait-then-callback'),
      SUBSTITUTIONS,
    );
    const input = {
      caseId: 'case-31',
      remindAt: '2026-03-03T09:00:00Z',
      officerTimeoutSeconds: 86_400,
      notes: 'a long note '.repeat(10_000),
    };

    // Act
    const { executionArn } = await engine.startExecution(stateMachineArn, 'case-31', input);
    await clock.advanceTo('2026-03-03T09:00:00Z');
    const [task] = engine.pendingTasks(executionArn);
    await engine.sendTaskSuccess(task?.taskToken as string, { decision: 'acknowledge' });
    await engine.settle();
    const { events } = await engine.getExecutionHistory(executionArn);

    // Assess
    expect(events.map((e) => e.id)).toEqual(events.map((_, i) => i + 1));
    expect(events.map((e) => e.type)).toEqual([
      'ExecutionStarted',
      'WaitStateEntered',
      'WaitStateExited',
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
      'TaskSucceeded',
      'TaskStateExited',
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
      'TaskSubmitted',
      'TaskSucceeded',
      'TaskStateExited',
      'SucceedStateEntered',
      'SucceedStateExited',
      'ExecutionSucceeded',
    ]);
    const succeeded = events[events.length - 1]?.executionSucceededEventDetails as
      | { output?: string }
      | undefined;
    const output = JSON.parse(succeeded?.output ?? '{}') as typeof input & {
      decision: unknown;
    };
    expect(output.notes).toBe(input.notes);
    expect(output.decision).toEqual({ decision: 'acknowledge' });
    await engine.close();
  });
});

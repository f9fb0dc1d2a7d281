/**
 * Executions survive the engine being dropped: a new engine on the same state directory
 * resumes them at the last top-level state, with the same absolute Wait and timeout instants.
 */
import {
  appendFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalStepFunctions, substitute, VirtualClock } from '../../../infra/local/step-functions/index.js';
import { EngineStore } from '../../../infra/local/step-functions/store.js';
import { fixture, recorder, SUBSTITUTIONS } from './support.js';

const START = '2026-03-02T09:00:00.000Z';
let stateDir: string;
const engines: LocalStepFunctions[] = [];

beforeEach(() => {
  stateDir = mkdtempSync(join(tmpdir(), 'redress-sfn-'));
});

afterEach(async () => {
  for (const engine of engines.splice(0)) await engine.close();
  rmSync(stateDir, { recursive: true, force: true });
});

/** A new engine on `stateDir` (as after a restart), sharing the clock. */
function boot(clock: VirtualClock) {
  const requestTask = recorder(clock);
  const clockFn = recorder(clock, () => ({ status: 'open' }));
  const engine = new LocalStepFunctions({
    clock,
    stateDir,
    handlers: { 'request-task': requestTask.handler, clock: clockFn.handler },
  });
  engines.push(engine);
  return { engine, requestTask, clockFn };
}

const INPUT = { caseId: 'case-30', remindAt: '2026-03-09T12:00:00Z', officerTimeoutSeconds: 86_400 };

describe('LocalStepFunctions persistence', () => {
  it('resumes an execution that was sleeping in a Wait state at the same wake-up instant', async () => {
    // Prepare
    const clock = new VirtualClock(START);
    const first = boot(clock);
    const { stateMachineArn } = await first.engine.createStateMachine(
      'wait-then-callback',
      fixture('wait-then-callback'),
      SUBSTITUTIONS,
    );
    const { executionArn } = await first.engine.startExecution(stateMachineArn, 'case-30', INPUT);
    await first.engine.settle();
    await first.engine.close();
    await clock.advanceTo('2026-03-05T09:00:00Z');

    // Act
    const second = boot(clock);
    const resumed = await second.engine.resume();
    await clock.advanceTo('2026-03-09T11:59:59Z');
    const beforeWake = second.clockFn.calls.length;
    await clock.advanceTo('2026-03-09T12:00:00Z');

    // Assess
    expect(resumed).toEqual([executionArn]);
    expect(beforeWake).toBe(0);
    expect(second.clockFn.calls.map((c) => c.at)).toEqual(['2026-03-09T12:00:00.000Z']);
    expect(second.engine.pendingTasks(executionArn).map((t) => t.stateName)).toEqual(['Await officer']);
    expect(second.engine.visitedStates(executionArn)).toEqual([
      'Wait until reminder',
      'Wait until reminder',
      'Check case',
      'Await officer',
    ]);
  });

  it('resumes a callback with a new token and the original deadline, and the old token is stale', async () => {
    // Prepare
    const clock = new VirtualClock(START);
    const first = boot(clock);
    const { stateMachineArn } = await first.engine.createStateMachine(
      'wait-then-callback',
      fixture('wait-then-callback'),
      SUBSTITUTIONS,
    );
    const { executionArn } = await first.engine.startExecution(stateMachineArn, 'case-31', {
      ...INPUT,
      caseId: 'case-31',
      remindAt: '2026-03-01T00:00:00Z',
    });
    await first.engine.settle();
    const oldToken = first.requestTask.calls[0]?.event.taskToken as string;
    const deadline = first.engine.pendingTasks(executionArn)[0]?.deadline?.toISOString();
    await first.engine.close();
    await clock.advanceTo('2026-03-02T20:00:00Z');

    // Act
    const second = boot(clock);
    await second.engine.resume();
    await second.engine.settle();
    const newToken = second.requestTask.calls[0]?.event.taskToken as string;
    const stale = await second.engine
      .sendTaskSuccess(oldToken, { decision: 'acknowledge' })
      .catch((e: unknown) => e);
    await clock.advanceTo('2026-03-03T09:00:00Z');

    // Assess
    expect(deadline).toBe('2026-03-03T09:00:00.000Z');
    expect(newToken).toEqual(expect.any(String));
    expect(newToken).not.toBe(oldToken);
    expect(stale).toMatchObject({ name: 'TaskTimedOut' });
    const description = await second.engine.describeExecution(executionArn);
    expect(description.status).toBe('SUCCEEDED');
    expect(JSON.parse(description.output ?? '{}')).toMatchObject({ escalated: true });
    expect(description.stopDate?.toISOString()).toBe('2026-03-03T09:00:00.000Z');
  });

  it('redrives an execution that failed before a restart, and resumes it redriven after another', async () => {
    // Prepare
    const clock = new VirtualClock(START);
    const failing = recorder(clock, () => {
      throw Object.assign(new Error('SES is down'), { name: 'MailerUnavailableError' });
    });
    const first = new LocalStepFunctions({ clock, stateDir, handlers: { notify: failing.handler } });
    engines.push(first);
    const { stateMachineArn } = await first.createStateMachine('redrive', fixture('redrive'), SUBSTITUTIONS);
    const { executionArn } = await first.startExecution(stateMachineArn, 'case-33', {
      caseId: 'case-33',
      number: 33,
    });
    await first.settle();
    await first.close();
    const notify = recorder(clock, () => ({ messageId: 'm-1' }));
    const requestTask = recorder(clock);
    const handlers = { notify: notify.handler, 'request-task': requestTask.handler };
    const second = new LocalStepFunctions({ clock, stateDir, handlers });
    engines.push(second);
    await clock.advanceTo('2026-03-04T09:00:00Z');

    // Act
    await second.redriveExecution(executionArn);
    await second.settle();
    await second.close();
    const third = new LocalStepFunctions({ clock, stateDir, handlers });
    engines.push(third);
    const resumed = await third.resume();
    await third.settle();
    await third.sendTaskSuccess(requestTask.calls[1]?.event.taskToken as string, { decision: 'ok' });
    await third.settle();

    // Assess
    expect(resumed).toEqual([executionArn]);
    expect(notify.calls.map((c) => c.event)).toEqual([
      { caseId: 'case-33', reference: 'CMP-33', redriveCount: 1 },
    ]);
    expect(requestTask.calls).toHaveLength(2);
    expect(await third.describeExecution(executionArn)).toMatchObject({
      status: 'SUCCEEDED',
      redriveCount: 1,
      redriveDate: new Date('2026-03-04T09:00:00.000Z'),
    });
    expect(third.visitedStates(executionArn)).toEqual([
      'Shape case',
      'Notify',
      'Notify',
      'Await officer',
      'Await officer',
      'Done',
    ]);
  });

  it('keeps finished executions for describe and duplicate-name checks after a restart', async () => {
    // Prepare
    const clock = new VirtualClock(START);
    const first = boot(clock);
    const { stateMachineArn } = await first.engine.createStateMachine(
      'wait-then-callback',
      fixture('wait-then-callback'),
      SUBSTITUTIONS,
    );
    const { executionArn } = await first.engine.startExecution(stateMachineArn, 'case-32', {
      ...INPUT,
      caseId: 'case-32',
      remindAt: '2026-03-01T00:00:00Z',
    });
    await first.engine.settle();
    await first.engine.sendTaskSuccess(first.requestTask.calls[0]?.event.taskToken as string, { ok: true });
    await first.engine.settle();
    await first.engine.close();

    // Act
    const second = boot(clock);
    const resumed = await second.engine.resume();

    // Assess
    expect(resumed).toEqual([]);
    expect((await second.engine.describeExecution(executionArn)).status).toBe('SUCCEEDED');
    await expect(second.engine.startExecution(stateMachineArn, 'case-32', INPUT)).rejects.toMatchObject({
      name: 'ExecutionAlreadyExists',
    });
    expect(readdirSync(stateDir, { recursive: true }).filter((f) => String(f).endsWith('.tmp'))).toEqual([]);
  });
  it('checkpoints name the definition by its hash instead of carrying it, and keep no history', async () => {
    // Prepare
    const clock = new VirtualClock(START);
    const first = boot(clock);
    const { stateMachineArn } = await first.engine.createStateMachine(
      'wait-then-callback',
      fixture('wait-then-callback'),
      SUBSTITUTIONS,
    );

    // Act
    await first.engine.startExecution(stateMachineArn, 'case-33', { ...INPUT, caseId: 'case-33' });
    await clock.advanceTo(INPUT.remindAt);

    // Assess
    const lines = readFileSync(join(stateDir, 'executions.log'), 'utf8').trim().split('\n');
    const records = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(records.length).toBeGreaterThan(1);
    for (const record of records) {
      expect(record).not.toHaveProperty('definition');
      expect(record).not.toHaveProperty('history');
      expect(readdirSync(join(stateDir, 'definitions'))).toContain(`${record.definitionId as string}.json`);
    }
    expect(
      readFileSync(join(stateDir, 'definitions', `${records[0]?.definitionId as string}.json`), 'utf8'),
    ).toBe(substitute(fixture('wait-then-callback'), SUBSTITUTIONS));
  });

  it('writes a checkpoint before each Lambda call or wait, none for a Choice, and resumes at the callback it led to', async () => {
    // Prepare
    const clock = new VirtualClock(START);
    const first = boot(clock);
    const { stateMachineArn } = await first.engine.createStateMachine(
      'callback-loop',
      fixture('callback-loop'),
      SUBSTITUTIONS,
    );
    const { executionArn } = await first.engine.startExecution(stateMachineArn, 'case-34', {
      caseId: 'case-34',
    });
    await first.engine.settle();
    const [task] = first.engine.pendingTasks(executionArn);
    await first.engine.sendTaskSuccess(task?.taskToken as string, { decision: 'extend' });
    await first.engine.settle();
    await first.engine.close();

    // Act
    const second = boot(clock);
    const resumed = await second.engine.resume();
    await second.engine.settle();

    // Assess
    const lines = readFileSync(join(stateDir, 'executions.log'), 'utf8').trim().split('\n');
    const states = lines.map(
      (line) => (JSON.parse(line) as { checkpoint?: { stateName: string } }).checkpoint?.stateName,
    );
    expect(states).not.toContain('Extension requested?');
    expect(resumed).toEqual([executionArn]);
    expect(second.engine.visitedStates(executionArn)).toEqual([
      'Await response',
      'Extension requested?',
      'Await response',
      'Await response',
    ]);
    expect(second.requestTask.calls.map((c) => c.event.task)).toEqual(['respond']);
  });

  it('has every checkpoint on disk before its Lambda runs when many executions move at once, in fewer writes than checkpoints', async () => {
    // Prepare: each call of the Lambda reads the journal as a restart would find it.
    const clock = new VirtualClock(START);
    const onDisk: boolean[] = [];
    let journalWrites = 0;
    let lastSize = 0;
    const engine = new LocalStepFunctions({
      clock,
      stateDir,
      handlers: {
        clock: async (event) => {
          const { caseId } = event as { caseId: string };
          const text = readFileSync(join(stateDir, 'executions.log'), 'utf8');
          if (text.length !== lastSize) journalWrites++;
          lastSize = text.length;
          onDisk.push(
            text
              .split('\n')
              .filter((line) => line.includes(`:${caseId}"`))
              .some(
                (line) =>
                  (JSON.parse(line) as { checkpoint?: { stateName: string } }).checkpoint?.stateName ===
                  'Check case',
              ),
          );
          return { status: 'open' };
        },
        'request-task': async () => ({ ok: true }),
      },
    });
    engines.push(engine);
    const { stateMachineArn } = await engine.createStateMachine(
      'wait-then-callback',
      fixture('wait-then-callback'),
      SUBSTITUTIONS,
    );
    const cases = Array.from({ length: 50 }, (_, i) => `case-${i + 1}`);

    // Act: a wake-up instant already passed, so all of them go straight on to the Lambda.
    for (const caseId of cases) {
      await engine.startExecution(stateMachineArn, caseId, { ...INPUT, caseId, remindAt: START });
    }
    await engine.settle();

    // Assess
    expect(onDisk).toHaveLength(cases.length);
    expect(onDisk.every(Boolean)).toBe(true);
    expect(journalWrites).toBeLessThan(cases.length);
  });

  it('resumes after a kill that tore the last line of the journal and of the history', async () => {
    // Prepare
    const clock = new VirtualClock(START);
    const first = boot(clock);
    const { stateMachineArn } = await first.engine.createStateMachine(
      'wait-then-callback',
      fixture('wait-then-callback'),
      SUBSTITUTIONS,
    );
    const { executionArn } = await first.engine.startExecution(stateMachineArn, 'case-34', {
      ...INPUT,
      caseId: 'case-34',
    });
    await first.engine.settle();
    await first.engine.close();
    appendFileSync(join(stateDir, 'executions.log'), '{"executionArn":"arn:aws:states:eu-we');
    appendFileSync(join(stateDir, 'history.log'), '["arn:aws:states:eu-west-2');

    // Act
    const second = boot(clock);
    const resumed = await second.engine.resume();
    await clock.advanceTo('2026-03-09T12:00:00Z');
    await second.engine.sendTaskSuccess(second.requestTask.calls[0]?.event.taskToken as string, { ok: true });
    await second.engine.settle();

    // Assess
    expect(resumed).toEqual([executionArn]);
    expect((await second.engine.describeExecution(executionArn)).status).toBe('SUCCEEDED');
    const { events } = await second.engine.getExecutionHistory(executionArn);
    expect(events.map((e) => e.id)).toEqual(events.map((_, i) => i + 1));
    expect(events.at(-1)?.type).toBe('ExecutionSucceeded');
  });

  it('reads and resumes executions checkpointed in the earlier one-file-per-execution layout', async () => {
    // Prepare: what an engine before the journal left: the whole record, definition and history in it.
    const clock = new VirtualClock('2026-03-05T09:00:00.000Z');
    const definition = substitute(fixture('wait-then-callback'), SUBSTITUTIONS);
    const stateMachineArn = 'arn:aws:states:eu-west-2:123456789012:stateMachine:wait-then-callback';
    const executionArn = 'arn:aws:states:eu-west-2:123456789012:execution:wait-then-callback:case-35';
    const input = { ...INPUT, caseId: 'case-35' };
    const at = '2026-03-02T09:00:00.000Z';
    mkdirSync(join(stateDir, 'state-machines'), { recursive: true });
    mkdirSync(join(stateDir, 'executions'), { recursive: true });
    writeFileSync(
      join(stateDir, 'state-machines', 'wait-then-callback.json'),
      JSON.stringify({ stateMachineArn, name: 'wait-then-callback', definition, creationDate: at }),
    );
    const legacy = join(stateDir, 'executions', `${encodeURIComponent('wait-then-callback:case-35')}.json`);
    writeFileSync(
      legacy,
      JSON.stringify({
        executionArn,
        stateMachineArn,
        name: 'case-35',
        status: 'RUNNING',
        input: JSON.stringify(input),
        startDate: at,
        definition,
        history: [
          {
            id: 1,
            previousEventId: 0,
            timestamp: at,
            type: 'ExecutionStarted',
            executionStartedEventDetails: {},
          },
          {
            id: 2,
            previousEventId: 1,
            timestamp: at,
            type: 'WaitStateEntered',
            stateEnteredEventDetails: { name: 'Wait until reminder', input: JSON.stringify(input) },
          },
        ],
        checkpoint: { stateName: 'Wait until reminder', input, enteredTime: at, waitUntil: INPUT.remindAt },
      }),
    );

    // Act
    const engine = boot(clock);
    const resumed = await engine.engine.resume();
    await clock.advanceTo('2026-03-09T12:00:00Z');

    // Assess
    expect(resumed).toEqual([executionArn]);
    expect(engine.clockFn.calls.map((c) => c.at)).toEqual(['2026-03-09T12:00:00.000Z']);
    expect(engine.engine.visitedStates(executionArn)).toEqual([
      'Wait until reminder',
      'Wait until reminder',
      'Check case',
      'Await officer',
    ]);
    const { events } = await engine.engine.getExecutionHistory(executionArn);
    expect(events.map((e) => e.id)).toEqual(events.map((_, i) => i + 1));
    expect(readdirSync(join(stateDir, 'executions'))).toEqual([]);
  });
});

describe('EngineStore files', () => {
  const arn = 'arn:aws:states:eu-west-2:000000000000:execution:complaint:case-1';
  const event = (id: number, note: string) => ({
    id,
    previousEventId: id - 1,
    timestamp: START,
    type: 'PassStateEntered',
    note,
  });

  it('reads a character that straddles two read chunks whole', () => {
    const store = new EngineStore(stateDir);
    // Pads the first line so that the curly apostrophe's three bytes cross the 4 MiB read boundary:
    // its first byte is the last of the first chunk.
    const noteStart = JSON.stringify([arn, event(1, '')]).length - 3;
    const pad = 'x'.repeat((1 << 22) - 1 - noteStart);
    store.appendEvent(arn, event(1, `${pad}’ and Dw’n cwyno`));
    store.saveExecution({ executionArn: arn, eventCount: 1, definition: '{}' } as never);

    expect(store.readHistory(arn)[0]?.note).toBe(`${pad}’ and Dw’n cwyno`);
    store.close();
  });

  it('writes queued events and records whole and in order past its write buffer, multi-byte text included', () => {
    const store = new EngineStore(stateDir);
    const other = arn.replace('case-1', 'case-2');
    // About 3 MB of events queued without a flush (more than the store holds back), interleaved
    // between two executions, and a record whose checkpoint alone is more than a megabyte.
    const notes = Array.from({ length: 300 }, (_, i) => `${i} Dw’n cwyno — ${'ŵ'.repeat(5000)}`);
    notes.forEach((note, i) => {
      store.appendEvent(i % 2 ? other : arn, event(Math.floor(i / 2) + 1, note));
    });
    const input = { letter: 'ŷ'.repeat(600_000) };
    store.saveExecution({
      executionArn: arn,
      eventCount: 150,
      definition: '{}',
      checkpoint: { stateName: 'Wait', input, enteredTime: START },
    } as never);
    store.close();

    // A store opened again on the directory (as after a restart) reads back what was written.
    const reopened = new EngineStore(stateDir);
    expect(reopened.readHistory(arn).map((e) => e.note)).toEqual(notes.filter((_, i) => i % 2 === 0));
    expect(reopened.readHistory(other).map((e) => e.note)).toEqual(notes.filter((_, i) => i % 2 === 1));
    expect(reopened.loadExecutions().map((r) => r.checkpoint?.input)).toEqual([input]);
    reopened.close();
  });

  it('keeps one event per id, the last written, up to the execution’s count', () => {
    const store = new EngineStore(stateDir);
    store.appendEvent(arn, event(1, 'entered'));
    store.appendEvent(arn, event(2, 'before the kill'));
    store.appendEvent(arn, event(3, 'before the kill, never reached again'));
    store.saveExecution({ executionArn: arn, eventCount: 3, definition: '{}' } as never);
    // Resumed from a checkpoint at event 1: event 2 is written again.
    store.appendEvent(arn, event(2, 'after the restart'));
    store.saveExecution({ executionArn: arn, eventCount: 2, definition: '{}' } as never);

    expect(store.readHistory(arn, 2).map((e) => [e.id, e.note])).toEqual([
      [1, 'entered'],
      [2, 'after the restart'],
    ]);
    store.close();
  });
});

import { afterEach, describe, expect, it, vi } from 'vitest';
import { ACKNOWLEDGE } from '../support/acknowledge.js';
import { capturePowertoolsOutput, type PowertoolsOutput } from '../support/powertools-output.js';
import { complaintFrom, createHarness, type Harness, RESIDENT } from './harness.js';

/**
 * The log lines the deployed handlers write while the real workflows run: Powertools JSON,
 * naming the case and the request, and nothing about the resident.
 */

// Logs are silent in tests (vitest.config.ts); hoisted above the imports, so that the
// handlers' Logger is created at INFO.
vi.hoisted(() => {
  process.env.POWERTOOLS_LOG_LEVEL = 'INFO';
});

let h: Harness;
let output: PowertoolsOutput | undefined;

afterEach(async () => {
  output?.restore();
  output = undefined;
  await h?.close();
});

describe('logs from the deployed handlers', () => {
  it('names the case, the step and the request in every step log line, and never the resident', async () => {
    h = await createHarness();
    output = capturePowertoolsOutput();
    const complaint = complaintFrom(h);

    const c = await h.submit(complaint);
    await h.act(h.linkFor('acknowledge'), ACKNOWLEDGE);

    const steps = output.logs().filter((line) => line.message === 'step completed');
    expect(steps.map((line) => line.step)).toEqual(
      // The receipt and the acknowledgement go from the clock function, in the states that start their waits.
      expect.arrayContaining(['route', 'clock', 'request-task']),
    );
    for (const line of steps) {
      expect(line).toMatchObject({
        level: 'INFO',
        service: 'redress',
        caseId: c.caseId,
        function_name: line.step,
        function_request_id: expect.any(String),
      });
    }
    const written = output.text();
    for (const personal of [RESIDENT, 'Ada Lovelace', complaint.summary, complaint.desiredOutcome]) {
      expect(written).not.toContain(personal as string);
    }
  });

  it('does not carry one invocation’s case id into the next', async () => {
    h = await createHarness();
    output = capturePowertoolsOutput();

    const first = await h.submit(complaintFrom(h));
    const second = await h.submit(complaintFrom(h));

    const caseIds = output
      .logs()
      .filter((line) => line.message === 'step completed')
      .map((line) => line.caseId);
    expect(new Set(caseIds)).toEqual(new Set([first.caseId, second.caseId]));
    expect(output.logs().filter((line) => line.message === 'request failed')).toEqual([]);
  });
});

/**
 * What `npm start` prints while cases run side by side: Powertools JSON lines from the deployed
 * handlers, each naming its own case, step and request, and nothing about the residents. All
 * functions share one process there, so this is where one invocation's keys could end up in
 * another's lines.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RuntimeProcess, startRuntimeProcess } from '../support/runtime.js';

const RESIDENTS = [
  {
    name: 'Ada Lovelace',
    email: 'ada.lovelace@example.com',
    summary: 'My bins were missed on four Mondays running.',
  },
  {
    name: 'Grace Hopper',
    email: 'grace.hopper@example.com',
    summary: 'The pothole outside number twelve is still open.',
  },
  {
    name: 'Mary Seacole',
    email: 'mary.seacole@example.com',
    summary: 'Nobody answered my planning enquiry in a month.',
  },
];

/** How long the three cases may take to reach their officers' first task. */
const SETTLE_TIMEOUT_MS = 60_000;

interface StepLine {
  message: string;
  step: string;
  caseId?: string;
  function_name: string;
  function_request_id: string;
}

let dataDir: string;
let runtime: RuntimeProcess;

/** The "step completed" lines printed so far. */
function stepLines(): StepLine[] {
  return runtime
    .output()
    .split('\n')
    .filter((line) => line.startsWith('{') && line.includes('"step completed"'))
    .map((line) => JSON.parse(line) as StepLine);
}

describe('npm start: log lines', () => {
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'redress-logs-'));
    runtime = await startRuntimeProcess({ dataDir });
  });

  afterAll(async () => {
    await runtime?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('names each step’s own case and request while cases run side by side, and never the resident', async () => {
    const submitted = await Promise.all(
      RESIDENTS.map((resident) =>
        fetch(`${runtime.baseUrl}/complaints`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({
            kind: 'complaint',
            service: 'planning',
            summary: resident.summary,
            complainant: { name: resident.name, email: resident.email },
          }),
        }),
      ),
    );
    const caseIds = await Promise.all(
      submitted.map(async (response) => {
        expect(response.status).toBe(201);
        return ((await response.json()) as { caseId: string }).caseId;
      }),
    );

    // Each case's workflow stops to wait for its officer once the acknowledgement task is open.
    const deadline = Date.now() + SETTLE_TIMEOUT_MS;
    while (stepLines().filter((line) => line.step === 'request-task').length < RESIDENTS.length) {
      if (Date.now() > deadline)
        throw new Error(`the cases did not reach their officers:\n${runtime.output()}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }

    const lines = stepLines();
    for (const line of lines) {
      expect(line.function_name, JSON.stringify(line)).toBe(line.step);
      expect(caseIds, JSON.stringify(line)).toContain(line.caseId);
    }
    const requestIds = lines.map((line) => line.function_request_id);
    expect(new Set(requestIds).size).toBe(requestIds.length);
    for (const caseId of caseIds) {
      expect(lines.filter((line) => line.caseId === caseId).map((line) => line.step)).toEqual(
        // The receipt goes from routing, which reads the acknowledgement's clock too (no clock step).
        expect.arrayContaining(['route', 'request-task']),
      );
    }
    const printed = runtime.output();
    for (const resident of RESIDENTS) {
      expect(printed).not.toContain(resident.name);
      expect(printed).not.toContain(resident.email);
      expect(printed).not.toContain(resident.summary);
    }
  });
});

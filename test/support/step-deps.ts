import type { StepDeps } from '../../functions/app/steps.js';
import { RecordingWorkflows } from './fake-workflows.js';
import { MemoryArchive } from './memory-archive.js';

/**
 * What a workflow step needs, for its unit tests: the store, policy and clock a test gives, and
 * in-memory parts for the rest (an archive, workflows that record, a fixed link secret and
 * address, an email that goes nowhere) unless the test gives its own.
 */
export function stepDeps(parts: Pick<StepDeps, 'store' | 'policy' | 'now'> & Partial<StepDeps>): StepDeps {
  return {
    archive: new MemoryArchive(),
    send: async () => ({ messageId: 'm-1' }),
    linkSecret: async () => 'secret',
    baseUrl: 'http://localhost',
    workflows: new RecordingWorkflows(),
    ...parts,
  };
}

/** An email that records its template and recipients in `sent`, each with its own message id. */
export function recordingSend(sent: { template: string; to: string[] }[]): StepDeps['send'] {
  return async (_c, template, to) => {
    sent.push({ template, to });
    return { messageId: `m-${sent.length}` };
  };
}

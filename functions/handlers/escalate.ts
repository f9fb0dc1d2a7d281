import { stepDeps } from '../app/container.js';
import { escalate } from '../app/steps.js';
import type { ClockName } from '../domain/case-clock.js';

const deps = {
  ...stepDeps(),
  // The breached-deadline alarm watches Redress/DeadlinesBreached. Published in CloudWatch's
  // embedded metric format: one log line, no API call, nothing to fail on the local runtime.
  onBreach: async (_case: unknown, clockName: string) => {
    console.log(
      JSON.stringify({
        _aws: {
          Timestamp: Date.now(),
          CloudWatchMetrics: [
            {
              Namespace: 'Redress',
              Dimensions: [[]],
              Metrics: [{ Name: 'DeadlinesBreached', Unit: 'Count' }],
            },
          ],
        },
        clock: clockName,
        DeadlinesBreached: 1,
      }),
    );
  },
};

/** Step: tell the manager a deadline was missed. */
export const handler = async (event: { caseId: string; clock: ClockName }) =>
  escalate(deps, event.caseId, event.clock);

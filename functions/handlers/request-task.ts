import { stepDeps } from '../app/container.js';
import { STEP_EVENTS } from '../app/step-events.js';
import { requestTask } from '../app/steps.js';

const deps = stepDeps();

/** Step (`.waitForTaskToken`): store the callback token on the case and email the signed link. */
export const handler = async (event: unknown) => {
  const e = STEP_EVENTS['request-task'].parse(event);
  return requestTask(deps, e.caseId, e.task, e.taskToken);
};

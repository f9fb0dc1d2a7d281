import { stepDeps } from '../app/container.js';
import { requestTask } from '../app/steps.js';

const deps = stepDeps();

/** Step (`.waitForTaskToken`): store the callback token on the case and email the signed link. */
export const handler = async (event: { caseId: string; task: string; taskToken: string }) =>
  requestTask(deps, event.caseId, event.task, event.taskToken);

import { stepDeps } from '../app/container.js';
import { STEP_EVENTS } from '../app/step-events.js';
import { record } from '../app/steps.js';

const deps = stepDeps();

/** Step: a workflow transition on the case (acknowledged automatically, responded, stage 2, closed). */
export const handler = async (event: unknown) => {
  const e = STEP_EVENTS['record'].parse(event);
  return record(deps, e.caseId, e.transition);
};

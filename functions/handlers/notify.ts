import { stepDeps } from '../app/container.js';
import { STEP_EVENTS } from '../app/step-events.js';
import { notify } from '../app/steps.js';

const deps = stepDeps();

/** Step: send one templated email about the case. */
export const handler = async (event: unknown) => {
  const e = STEP_EVENTS['notify'].parse(event);
  return notify(deps, e.caseId, e.template, e.to, e.error);
};

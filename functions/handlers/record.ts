import { stepDeps } from '../app/container.js';
import { record } from '../app/steps.js';

const deps = stepDeps();

/** Step: a workflow transition on the case (acknowledged automatically, responded, stage 2, closed). */
export const handler = async (event: { caseId: string; transition: string }) =>
  record(deps, event.caseId, event.transition);

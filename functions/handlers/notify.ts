import { stepDeps } from '../app/container.js';
import type { Audience } from '../app/people.js';
import { notify } from '../app/steps.js';

const deps = stepDeps();

/** Step: send one templated email about the case. */
export const handler = async (event: { caseId: string; template: string; to: Audience; error?: string }) =>
  notify(deps, event.caseId, event.template, event.to, event.error);

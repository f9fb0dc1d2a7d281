import { stepDeps } from '../app/container.js';
import { route } from '../app/steps.js';

const deps = stepDeps();

/** Step: route the case by the policy's routing table. */
export const handler = async (event: { caseId: string }) => route(deps, event.caseId);

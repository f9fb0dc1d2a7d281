import { stepDeps } from '../app/container.js';
import { archive } from '../app/steps.js';

const deps = stepDeps();

/** Step: archive the closed case file to S3 with its retention class. */
export const handler = async (event: { caseId: string }) => archive(deps, event.caseId);

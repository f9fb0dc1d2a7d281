import { stepDeps } from '../app/container.js';
import { clock } from '../app/steps.js';
import type { ClockName } from '../domain/case-clock.js';

const deps = stepDeps();

/** Step: re-derive the case's deadlines with today's calendar and read one clock. */
export const handler = async (event: { caseId: string; clock: ClockName }) =>
  clock(deps, event.caseId, event.clock);

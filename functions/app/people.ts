import { type CaseRecord, wantsPost } from '../domain/case.js';
import type { Policy, ServiceArea } from '../domain/policy-schema.js';
import { referralOf } from '../domain/referrals.js';
import type { Audience } from '../domain/workflow-names.js';

/** Who an email or a task goes to, by role; resolved from the case and the policy's routing table. */
export type { Audience } from '../domain/workflow-names.js';
export { TASK_AUDIENCE } from '../domain/workflow-names.js';

export function serviceOf(policy: Policy, c: CaseRecord): ServiceArea | undefined {
  return c.service ? policy.routing.services.find((s) => s.id === c.service) : undefined;
}

/**
 * The officer a new case is assigned to at stage 1, as the policy says (`complaint.stage1Handler`):
 * the service's team mailbox, the service's manager, or the complaints team; the complaints team
 * when the service names nobody, or follows another procedure.
 */
export function stage1Officer(policy: Policy, c: CaseRecord): string {
  const service = serviceOf(policy, c);
  // A complaint recorded against a service whose complaints follow another procedure was
  // referred there and brought back (that team said it is not theirs, or the complaints team
  // found it a complaint): the complaints team has it, and passes it to the service it is about.
  if (c.kind === 'complaint' && service?.redirect) return policy.routing.complaintsTeam;
  switch (policy.complaint.stage1Handler) {
    case 'service-manager':
      return service?.manager ?? service?.mailbox ?? policy.routing.complaintsTeam;
    case 'complaints-team':
      return policy.routing.complaintsTeam;
    default:
      return service?.mailbox ?? policy.routing.complaintsTeam;
  }
}

/**
 * The officer who handles stage 2: the service's senior reviewer, else the policy's. The Code
 * (and policies with `differentOfficer`) require someone other than the stage-1 officer.
 */
export function stage2Officer(policy: Policy, c: CaseRecord): string {
  const candidates = [
    serviceOf(policy, c)?.stage2Reviewer,
    policy.routing.stage2Reviewer,
    policy.routing.complaintsTeam,
    policy.routing.nominatedOfficer,
  ];
  // Everyone who handled stage 1 (each officer who acted on a stage-1 task, and whoever has it now).
  const handled = new Set(
    [...(c.stage1Handlers ?? []), c.assignedTo ?? stage1Officer(policy, c)].map((h) => h.toLowerCase()),
  );
  const differentOfficer = policy.complaint.stage2?.differentOfficer ?? true;
  for (const candidate of candidates) {
    if (!candidate) continue;
    if (!differentOfficer || !handled.has(candidate.toLowerCase())) return candidate;
  }
  return policy.routing.stage2Reviewer;
}

/** Email addresses for an audience; empty when there is nobody to email (e.g. an anonymous resident). */
export function recipients(policy: Policy, c: CaseRecord, audience: Audience): string[] {
  const one = (v: string | undefined) => (v ? [v] : []);
  switch (audience) {
    case 'resident':
      // A resident who asked for post gets letters, not emails (`notify` prints them).
      return c.anonymous || wantsPost(c) ? [] : one(c.complainant.email);
    case 'officer':
      return one(c.openTask?.officer ?? c.assignedTo ?? stage1Officer(policy, c));
    case 'manager':
      return one(serviceOf(policy, c)?.manager ?? policy.routing.complaintsTeam);
    case 'complaints-team':
      return [policy.routing.complaintsTeam];
    case 'nominated-officer':
      return [policy.routing.nominatedOfficer];
    case 'policy-owner':
      return [policy.representation.policyOwner];
    case 'service':
      return one(serviceOf(policy, c)?.mailbox ?? policy.routing.complaintsTeam);
    case 'stage-2-reviewer':
      return [stage2Officer(policy, c)];
    case 'director':
      return one(policy.socialCare?.signOffBy.email ?? policy.routing.complaintsTeam);
    case 'destination':
      // Nobody, when the policy names no mailbox: the resident was only told where to go.
      return one(referralOf(policy, c)?.mailbox);
    default: {
      const unknown: never = audience;
      throw new Error(`unknown audience ${String(unknown)}`);
    }
  }
}

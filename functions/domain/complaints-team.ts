import type { Policy } from './policy-schema.js';

/**
 * The policy with the deployment's complaints team mailbox, if it names one
 * (`redress:complaintsTeam`, e.g. a test mailbox in a staging account): the functions read it from
 * `COMPLAINTS_TEAM`, and the pages API Gateway answers itself are built with it at deploy, so that
 * both name the same mailbox.
 */
export function withComplaintsTeam(policy: Policy, mailbox: string | undefined): Policy {
  return mailbox ? { ...policy, routing: { ...policy.routing, complaintsTeam: mailbox } } : policy;
}

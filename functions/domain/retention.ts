import type { Policy } from './policy-schema.js';
import type { RetentionClass } from './ports.js';

/**
 * Retention of closed case files (South Norfolk Council Complaints Policy "Retention Guidelines": destroy 2 years after
 * closure, 6 years when the ombudsman was involved). One definition read by the deployed
 * bucket's lifecycle rules (CDK) and by the local sweeper, so the two cannot drift.
 */
export interface RetentionRule {
  /** Value of the object tag `retention`. */
  tag: RetentionClass;
  /** Days after the archive object is written (at closure) that it expires. */
  expireAfterDays: number;
}

/** The lifecycle rules for a policy: years × 365 days (2y → 730, 6y → 2190). */
export function retentionRules(policy: Pick<Policy, 'retention'>): RetentionRule[] {
  return [
    { tag: '2y', expireAfterDays: policy.retention.closedYears * 365 },
    { tag: '6y', expireAfterDays: policy.retention.ombudsmanYears * 365 },
  ];
}

/** The retention class a closed case file belongs to. */
export function retentionClassFor(ombudsmanInvolved: boolean | undefined): RetentionClass {
  return ombudsmanInvolved ? '6y' : '2y';
}

import type { Channel, FeedbackKind, CaseKind, IsoTimestamp, Outcome, Stage } from './types.js';
import type { ExclusionId } from './policy-schema.js';

/**
 * The case record: one per piece of feedback, whatever its kind. Stored by the case store,
 * read by every handler; the workflow itself carries only the case id.
 */

/** Where a case stands. `closed` is terminal; `redirected` cases are recorded but not handled here. */
export type CaseStatus =
  | 'received'
  | 'awaiting-acknowledgement'
  | 'investigating'
  | 'paused'
  | 'responded'
  | 'stage-2-requested'
  | 'awaiting-decision'
  | 'redirected'
  | 'referred'
  | 'closed';

export interface Person {
  name?: string;
  email?: string;
  phone?: string;
  address?: string;
}

/** Someone complaining for another person (seed 002 §8.2.3), with the consent recorded. */
export interface Representative {
  name: string;
  relationship?: string;
  /** The person complained for agreed, or cannot (e.g. under 18 or lacking capacity) and the reason is recorded. */
  consent: boolean;
  consentNote?: string;
}

/** The officer task the workflow is waiting on, with the Step Functions token (never emailed). */
export interface OpenTask {
  taskId: string;
  /** e.g. `acknowledge`, `respond`, `stage-2-decision`, `sign-off`. */
  name: string;
  /** Who may act on it (email of the officer the link was sent to). */
  officer: string;
  taskToken: string;
  issuedAt: IsoTimestamp;
}

export interface CaseRecord {
  caseId: string;
  /** Human reference, e.g. `CMP-2026-000123`. */
  reference: string;
  kind: CaseKind;
  /** What the resident chose on the form, before triage. */
  submittedKind: FeedbackKind;
  status: CaseStatus;
  stage: Stage;
  policyId: string;
  service?: string;
  directorate?: string;
  summary: string;
  desiredOutcome?: string;
  complainant: Person;
  onBehalfOf?: Representative;
  anonymous: boolean;
  channel: Channel;
  accessibilityNeeds?: string;
  receivedAt: IsoTimestamp;
  createdAt: IsoTimestamp;
  updatedAt: IsoTimestamp;
  /** Triage's verdict: out of scope (with redirect), or handled. */
  triage: { exclusion?: ExclusionId; redirect?: string; reasons: string[] };
  /** Named clocks (ISO timestamps, end of working day in Europe/London). */
  deadlines: Record<string, IsoTimestamp>;
  assignedTo?: string;
  outcome?: Outcome;
  openTask?: OpenTask;
  /** Contact from someone designated vexatious: routed to the nominated officer. */
  vexatious?: boolean;
  ombudsmanInvolved?: boolean;
  closedAt?: IsoTimestamp;
  /** Workflow execution; `startError` is set when starting it failed after retries. */
  workflow?: { executionArn?: string; startedAt?: IsoTimestamp; startError?: string };
  /** Optimistic-locking counter: every write is conditional on it. */
  version: number;
  /** Free-form details of later steps (response text, remedy, lessons, plan, …). */
  details?: Record<string, unknown>;
}

/** One entry of a case's append-only history (the audit trail). */
export interface CaseEvent {
  caseId: string;
  /** Increasing sequence within the case; the first event is 1. */
  seq: number;
  at: IsoTimestamp;
  type: string;
  /** `resident`, `system`, `workflow` or an officer's email. */
  actor: string;
  channel?: Channel | 'link' | 'workflow';
  /** Non-personal detail of what happened. */
  detail?: Record<string, unknown>;
}

import {
  EXCLUSION_IDS,
  type Policy,
  type PolicyInput,
  policySchema,
} from '../../functions/domain/policy-schema.js';

/** Every field optional, at any depth; arrays are replaced whole. */
export type PolicyOverrides = DeepPartial<PolicyInput>;
type DeepPartial<T> = T extends readonly unknown[]
  ? T
  : T extends object
    ? { [K in keyof T]?: DeepPartial<T[K]> | undefined }
    : T;

const ombudsman = { signpostAtEveryStage: true } as const;

/**
 * A complete test policy with the LGSCO Code's numbers (stage 1: acknowledge 5, respond 10 from
 * acknowledgement, extension up to 10; stage 2: request within 20, acknowledge 5, respond 20
 * from acknowledgement) and a statutory social-care procedure (acknowledge 3).
 */
export const BASE_POLICY: PolicyInput = {
  id: 'test-council',
  council: 'Test Council',
  sources: { 'complaint.stage1': 'LGSCO Complaint Handling Code 2024, 5.1 and 5.5' },
  calendar: { nation: 'england-and-wales', closureDays: [], extraBankHolidays: [], removedBankHolidays: [] },
  complaint: {
    stages: 2,
    stage1: {
      acknowledge: { workingDays: 5, from: 'receipt' },
      respond: { workingDays: 10, from: 'acknowledgement' },
      reminderLeadWorkingDays: 2,
      extension: { maxWorkingDays: 10, reasonsRequired: true, includeOmbudsmanDetails: true },
    },
    stage2: {
      requestWindow: { workingDays: 20, from: 'stage-1-response' },
      groundsRequired: false,
      grounds: [],
      acknowledge: { workingDays: 5, from: 'request' },
      respond: { workingDays: 20, from: 'acknowledgement' },
      reminderLeadWorkingDays: 3,
      extension: { maxWorkingDays: 10, reasonsRequired: true, includeOmbudsmanDetails: true },
      differentOfficer: true,
      reviewBeforeAccepting: false,
      lateRequestWorkingDays: 20,
    },
    timeLimitMonths: 12,
    understandingAtAcknowledgement: 'required',
    anonymous: 'refer-to-manager',
    stage1Handler: 'service-mailbox',
    missedResponse: { everyWorkingDays: 5 },
    pauseKinds: ['mediation', 'conciliation', 'legal-proceedings'],
  },
  compliment: { acknowledge: { workingDays: 5, from: 'receipt' }, passToStaff: true },
  comment: { reply: { workingDays: 10, from: 'receipt' }, delayReason: 'We need a little more time.' },
  representation: {
    feedback: { workingDays: 20, from: 'receipt' },
    policyOwner: 'policy@test-council.example',
  },
  socialCare: {
    acknowledge: { workingDays: 3, from: 'receipt' },
    defaultResponseWorkingDays: 25,
    tellIfBeyondMonths: 6,
    maxAgreedWorkingDays: 130,
    signOffBy: { role: 'Director of Adult Social Care', email: 'dass@test-council.example' },
  },
  routing: {
    complaintsTeam: 'complaints@test-council.example',
    stage2Reviewer: 'review@test-council.example',
    nominatedOfficer: 'nominated@test-council.example',
    services: [{ id: 'waste', name: 'Waste and recycling', directorate: 'Environment' }],
  },
  exclusions: ['service-request', 'schools'],
  waits: {
    'confirm-exclusion': { workingDays: 2 },
    consent: { workingDays: 20 },
    'anonymous-review': { workingDays: 5 },
    'nominated-contact': { workingDays: 5 },
    'vexatious-decision': { workingDays: 10 },
    'stage-2-decision': { workingDays: 5 },
    resume: { workingDays: 20 },
    'sign-off': { workingDays: 10 },
    reminderLeadWorkingDays: 1,
    escalateTo: 'complaints.manager@test-council.example',
  },
  ombudsman,
  retention: { closedYears: 2, ombudsmanYears: 6 },
};

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function merge(base: unknown, override: unknown): unknown {
  if (override === undefined) return base;
  if (!isPlainObject(base) || !isPlainObject(override)) return override;
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) out[key] = merge(base[key], value);
  return out;
}

/**
 * A valid policy: {@link BASE_POLICY} deep-merged with `overrides` (objects merge, arrays and
 * values replace) and parsed with the real schema, so a test cannot build an impossible policy.
 */
export function makePolicy(overrides: PolicyOverrides = {}): Policy {
  return policySchema.parse(merge(BASE_POLICY, overrides));
}

/** Every exclusion listed and no statutory social-care section, as the triage unit tests use. */
export function policyExcludingEverything(): Policy {
  return { ...makePolicy({ exclusions: [...EXCLUSION_IDS] }), socialCare: undefined };
}

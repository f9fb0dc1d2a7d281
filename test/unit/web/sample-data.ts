/**
 * Sample models for the page tests (unit and browser): a small policy with a routing table
 * (including a service with its own complaints process), a case record and its events.
 */
import type { CaseEvent, CaseRecord } from '../../../functions/domain/case.js';
import { type Policy, policySchema } from '../../../functions/domain/policy-schema.js';
import type { TaskName } from '../../../functions/domain/workflow-names.js';
import type { TaskView } from '../../../functions/web/render.js';

const clock = <F extends string>(workingDays: number, from: F) => ({ workingDays, from });

export const samplePolicy: Policy = policySchema.parse({
  id: 'sample-council',
  council: 'Sample Borough Council',
  calendar: { nation: 'england-and-wales' },
  complaint: {
    stages: 2,
    stage1: {
      acknowledge: clock(5, 'receipt'),
      respond: clock(10, 'acknowledgement'),
      reminderLeadWorkingDays: 2,
      extension: { maxWorkingDays: 10, reasonsRequired: true, includeOmbudsmanDetails: true },
    },
    stage2: {
      requestWindow: clock(20, 'stage-1-response'),
      groundsRequired: false,
      grounds: [],
      acknowledge: clock(5, 'request'),
      respond: clock(20, 'acknowledgement'),
      reminderLeadWorkingDays: 3,
      extension: { maxWorkingDays: 10, reasonsRequired: true, includeOmbudsmanDetails: true },
      differentOfficer: true,
      reviewBeforeAccepting: false,
      lateRequestWorkingDays: 20,
    },
    timeLimitMonths: 12,
    anonymous: 'refer-to-manager',
    stage1Handler: 'service-mailbox',
    missedResponse: { everyWorkingDays: 5 },
    pauseKinds: ['mediation', 'conciliation', 'legal-proceedings'],
  },
  compliment: { acknowledge: clock(5, 'receipt'), passToStaff: true },
  comment: { reply: clock(10, 'receipt'), delayReason: 'We need a little more time.' },
  representation: { feedback: clock(20, 'receipt'), policyOwner: 'democratic.services@example.gov.uk' },
  routing: {
    complaintsTeam: 'complaints@example.gov.uk',
    stage2Reviewer: 'reviews@example.gov.uk',
    nominatedOfficer: 'monitoring.officer@example.gov.uk',
    services: [
      {
        id: 'waste',
        name: 'Bins and recycling',
        directorate: 'Environment',
        mailbox: 'waste@example.gov.uk',
      },
      { id: 'highways', name: 'Roads and pavements', directorate: 'Environment' },
      { id: 'council-tax', name: 'Council Tax', directorate: 'Finance' },
      {
        id: 'adult-social-care',
        name: 'Adult social care',
        directorate: 'People',
        redirect: {
          to: 'the adult social care complaints team',
          url: 'https://www.example.gov.uk/social-care-complaints',
          kind: 'social-care',
        },
      },
    ],
  },
  exclusions: ['service-request', 'social-care', 'schools'],
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
    escalateTo: 'complaints.manager@example.gov.uk',
  },
  ombudsman: {
    lgsco: {
      name: 'Local Government and Social Care Ombudsman',
      phone: '0300 061 0614',
      url: 'https://www.lgo.org.uk',
    },
    housing: {
      name: 'Housing Ombudsman Service',
      phone: '0300 111 3000',
      url: 'https://www.housing-ombudsman.org.uk',
    },
    signpostAtEveryStage: true,
  },
  retention: { closedYears: 2, ombudsmanYears: 6 },
});

export const sampleDeadlines = {
  acknowledgeBy: '2026-06-05T22:59:59.000Z',
  respondBy: '2026-06-19T22:59:59.000Z',
};

export const sampleCase: CaseRecord = {
  caseId: '01J0SAMPLE',
  reference: 'CMP-2026-000123',
  kind: 'complaint',
  submittedKind: 'complaint',
  status: 'investigating',
  stage: 1,
  policyId: 'sample-council',
  service: 'waste',
  directorate: 'Environment',
  summary: 'My bin was missed three weeks running.\nI reported it each time.',
  desiredOutcome: 'Collect it and tell me why it keeps happening.',
  complainant: { name: 'Alex Resident', email: 'alex@example.com', phone: '01632 960 001' },
  anonymous: false,
  channel: 'online',
  receivedAt: '2026-05-29T09:30:00.000Z',
  createdAt: '2026-05-29T09:30:01.000Z',
  updatedAt: '2026-06-01T10:00:00.000Z',
  triage: { route: 'handle', reasons: [] },
  deadlines: sampleDeadlines,
  assignedTo: 'waste@example.gov.uk',
  version: 3,
  progress: { stage1: { startedAt: '2026-05-29T09:30:00.000Z', acknowledgedAt: '2026-06-01T10:00:00.000Z' } },
};

/** The sample case once its deadline (Friday 19 June 2026) has passed and a holding letter gave 26 June. */
export const sampleCaseToldLater: CaseRecord = {
  ...sampleCase,
  progress: {
    stage1: {
      ...sampleCase.progress.stage1,
      holdingLetterFor: sampleDeadlines.respondBy,
      holdingLetterPromised: '2026-06-26T22:59:59.000Z',
    },
  },
};

export const sampleEvents: CaseEvent[] = [
  {
    caseId: sampleCase.caseId,
    seq: 2,
    at: '2026-06-01T10:00:00.000Z',
    type: 'acknowledged',
    actor: 'waste@example.gov.uk',
    channel: 'link',
    detail: { respondBy: '2026-06-19T22:59:59.000Z' },
  },
  {
    caseId: sampleCase.caseId,
    seq: 1,
    at: '2026-05-29T09:30:00.000Z',
    type: 'case-received',
    actor: 'resident',
    channel: 'online',
    detail: { kind: 'complaint', service: 'waste' },
  },
];

/** A task view of the sample case, for any task. */
export function sampleTask(taskName: TaskName, overrides: Partial<TaskView> = {}): TaskView {
  return {
    taskName,
    reference: sampleCase.reference,
    kind: 'complaint',
    stage: 1,
    serviceName: 'Bins and recycling',
    directorate: 'Environment',
    receivedAt: sampleCase.receivedAt,
    channel: 'online',
    summary: sampleCase.summary,
    desiredOutcome: sampleCase.desiredOutcome,
    complainantName: 'Alex Resident',
    anonymous: false,
    deadlines: sampleDeadlines,
    deadline: sampleDeadlines.respondBy,
    limits: { extendDays: 10 },
    councilName: samplePolicy.council,
    ...overrides,
  };
}

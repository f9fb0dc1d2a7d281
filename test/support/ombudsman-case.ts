import type { CaseEvent, CaseRecord } from '../../functions/domain/case.js';

/**
 * A stage-2 complaint closed after its final response, with its history as the workflow, the
 * officers, the resident and the evidence upload wrote it (event types and details as recorded
 * by a run of the complaint workflow), plus a printed letter, three evidence files (one clean,
 * one with a threat found, one not scanned yet) and a note: the Ombudsman's file's fixture.
 */
export const OFFICER = 'waste.feedback@example.gov.uk';
export const REVIEWER = 'complaints.review@example.gov.uk';
export const CLEAN_FILE = 'file-clean-1';
export const INFECTED_FILE = 'file-threat-2';
export const UNSCANNED_FILE = 'file-waiting-3';
export const LETTER = 'stage-2-acknowledgement-e1';

export function stage2Case(
  caseId = 'case-omb-1',
  reference = 'CMP-2026-000101',
): {
  record: CaseRecord;
  events: CaseEvent[];
} {
  const t = (day: number, hour = 9) =>
    `2026-03-${String(day).padStart(2, '0')}T${String(hour).padStart(2, '0')}:00:00.000Z`;
  const record: CaseRecord = {
    caseId,
    reference,
    kind: 'complaint',
    submittedKind: 'complaint',
    status: 'closed',
    stage: 2,
    policyId: 'lgsco-code-2024',
    service: 'waste-recycling',
    directorate: 'Place',
    summary: 'My bin has been missed four weeks running and nobody has answered my calls.',
    desiredOutcome: 'Collect the bin and call me back.',
    complainant: {
      name: 'Zoë Łukasiewicz',
      email: 'zoe@example.com',
      address: '1 High Street, Exampletown EX1 2AB',
    },
    anonymous: false,
    channel: 'online',
    receivedAt: t(2),
    createdAt: t(2),
    updatedAt: t(27),
    triage: { route: 'handle', reasons: [] },
    deadlines: {},
    assignedTo: REVIEWER,
    outcome: 'partially-upheld',
    closedAt: t(27, 10),
    version: 1,
    progress: {
      stage1: {
        startedAt: t(2),
        acknowledgedAt: t(3),
        extensionDays: 5,
        extensions: [{ at: t(10), days: 5, reason: 'We need to speak to the collection crew.' }],
        respondedAt: t(16),
        response: {
          outcome: 'not-upheld',
          reasons: 'The crew’s records show the bin was not out on the day.',
        },
      },
      stage2: {
        startedAt: t(18),
        grounds: [],
        groundsText: 'You did not look at the photographs I sent.',
        independentOfStage1: true,
        acknowledgedAt: t(19),
        respondedAt: t(27),
        response: {
          outcome: 'partially-upheld',
          reasons: 'The photographs show the bin was out on two of the four days.',
          remedy: 'An apology and an assisted collection.',
        },
      },
    },
    notes: [{ at: t(20, 11), by: REVIEWER, text: 'Phoned the resident to talk about the review.' }],
  };
  const raw: Omit<CaseEvent, 'caseId' | 'seq'>[] = [
    { at: t(2), type: 'received', actor: 'resident', detail: { kind: 'complaint', route: 'handle' } },
    { at: t(2), type: 'workflow-started', actor: 'system', detail: { by: 'stream' } },
    { at: t(2), type: 'routed', actor: 'workflow', detail: { directorate: 'Place', route: 'handle' } },
    {
      at: t(2),
      type: 'email-sent',
      actor: 'workflow',
      detail: { template: 'receipt', audience: 'resident' },
    },
    {
      at: t(2),
      type: 'email-sent',
      actor: 'workflow',
      detail: { template: 'officer-task', task: 'acknowledge', taskId: 't1' },
    },
    {
      at: t(2, 14),
      type: 'evidence-received',
      actor: 'resident',
      detail: { fileId: CLEAN_FILE, type: 'image/jpeg', size: 204800 },
    },
    {
      at: t(2, 14),
      type: 'evidence-scanned',
      actor: 'system',
      detail: { fileId: CLEAN_FILE, result: 'NO_THREATS_FOUND' },
    },
    {
      at: t(3),
      type: 'task-done',
      actor: OFFICER,
      detail: { task: 'acknowledge', taskId: 't1', decision: 'acknowledge' },
    },
    {
      at: t(3),
      type: 'decision-delivered',
      actor: OFFICER,
      detail: { task: 'acknowledge', decision: 'acknowledge' },
    },
    {
      at: t(3),
      type: 'email-sent',
      actor: 'workflow',
      detail: { template: 'acknowledgement', audience: 'resident' },
    },
    {
      at: t(3),
      type: 'email-sent',
      actor: 'workflow',
      detail: { template: 'officer-task', task: 'respond', taskId: 't2' },
    },
    {
      at: t(9),
      type: 'officer-reminded',
      actor: 'workflow',
      detail: { template: 'officer-reminder', audience: 'officer' },
    },
    {
      at: t(10),
      type: 'task-done',
      actor: OFFICER,
      detail: { task: 'respond', taskId: 't2', decision: 'extend' },
    },
    {
      at: t(10),
      type: 'email-sent',
      actor: 'workflow',
      detail: { template: 'extension', audience: 'resident' },
    },
    {
      at: t(16),
      type: 'task-done',
      actor: OFFICER,
      detail: { task: 'respond', taskId: 't3', decision: 'respond' },
    },
    {
      at: t(16),
      type: 'email-sent',
      actor: 'workflow',
      detail: { template: 'response', audience: 'resident' },
    },
    { at: t(16), type: 'response-sent', actor: 'workflow', detail: { stage: 1, outcome: 'not-upheld' } },
    { at: t(16), type: 'task-opened', actor: 'workflow', detail: { task: 'stage-2-request' } },
    {
      at: t(18),
      type: 'task-done',
      actor: 'resident',
      detail: { task: 'stage-2-request', decision: 'request' },
    },
    { at: t(18), type: 'stage-2-started', actor: 'workflow', detail: { previousOfficerDifferent: true } },
    {
      at: t(18, 10),
      type: 'evidence-received',
      actor: 'resident',
      detail: { fileId: INFECTED_FILE, type: 'application/pdf', size: 51200 },
    },
    {
      at: t(18, 10),
      type: 'evidence-rejected',
      actor: 'system',
      detail: { fileId: INFECTED_FILE, reason: 'virus' },
    },
    {
      at: t(18, 11),
      type: 'evidence-received',
      actor: 'resident',
      detail: { fileId: UNSCANNED_FILE, type: 'image/png', size: 1024 },
    },
    {
      at: t(19),
      type: 'task-done',
      actor: REVIEWER,
      detail: { task: 'acknowledge', decision: 'acknowledge' },
    },
    {
      at: t(19),
      type: 'letter-written',
      actor: 'workflow',
      detail: {
        template: 'stage-2-acknowledgement',
        letter: LETTER,
        key: `cases/${caseId}/letters/${LETTER}.pdf`,
      },
    },
    { at: t(20), type: 'letter-posted', actor: 'casey.morgan@example.gov.uk', detail: { letter: LETTER } },
    { at: t(20, 11), type: 'note-added', actor: REVIEWER, detail: { length: 45 } },
    { at: t(21), type: 'viewed', actor: REVIEWER, detail: { what: 'case and contact details' } },
    { at: t(27), type: 'task-done', actor: REVIEWER, detail: { task: 'respond', decision: 'respond' } },
    {
      at: t(27),
      type: 'email-sent',
      actor: 'workflow',
      detail: { template: 'response', audience: 'resident' },
    },
    {
      at: t(27),
      type: 'response-sent',
      actor: 'workflow',
      detail: { stage: 2, outcome: 'partially-upheld' },
    },
    { at: t(27, 10), type: 'closed', actor: 'workflow', detail: { outcome: 'partially-upheld' } },
    {
      at: t(27, 10),
      type: 'archived',
      actor: 'workflow',
      detail: { key: `cases/${caseId}.json`, retention: '2y', letters: 1, evidence: 1 },
    },
  ];
  return { record, events: raw.map((e, i) => ({ ...e, caseId, seq: i + 1 })) };
}

import type { EmailData, EmailTemplate, OmbudsmanDetails } from '../../functions/templates/render-email.js';

/** Sample data for every email template, shared by the English and Welsh rendering tests. */

export const LGSCO: OmbudsmanDetails = {
  kind: 'lgsco',
  name: 'Local Government and Social Care Ombudsman',
  phone: '0300 061 0614',
  url: 'https://www.lgo.org.uk',
};
export const HOUSING: OmbudsmanDetails = {
  kind: 'housing',
  name: 'Housing Ombudsman Service',
  phone: '0300 111 3000',
  url: 'https://www.housing-ombudsman.org.uk',
};

export const common = { council: 'Test Council', reference: 'CMP-2026-000123' };
const resident = { ...common, residentName: 'Ms Jones' };
const staff = { ...common, officerName: 'Sam Patel' };
/** 23:59:59 BST on Friday 5 June 2026. */
export const FRIDAY = '2026-06-05T22:59:59.000Z';
const taskData = {
  ...staff,
  task: 'acknowledge',
  caseKind: 'complaint',
  stage: 1,
  service: 'Waste and recycling',
  summary: 'My bin has been missed four weeks running.',
  dueBy: FRIDAY,
  taskUrl: 'https://redress.example/tasks/abc.def?sig=1',
} as const;

/** Full sample data for every template (the type makes sure none is missing). */
export const SAMPLE_EMAIL_DATA: { [K in EmailTemplate]: EmailData[K] } = {
  receipt: {
    ...resident,
    kind: 'complaint',
    receivedAt: '2026-05-11T09:30:00.000Z',
    acknowledgeBy: '2026-05-18T22:59:59.000Z',
    respondBy: FRIDAY,
    checkUrl: 'https://redress.example/check',
  },
  'sign-in-link': {
    council: 'Test Council',
    reference: 'CMP-2026-000123',
    kind: 'complaint',
    signInUrl: 'https://redress.example/check/sign-in/abc.def',
    validMinutes: 15,
  },
  acknowledgement: { ...resident, handledBy: 'Alex Brown, Waste Services Manager', respondBy: FRIDAY },
  redirect: {
    ...resident,
    redirect: 'Report a pothole using "Report it" on the Test Council website.',
    ombudsman: LGSCO,
  },
  'not-a-complaint': {
    ...resident,
    explanation: 'This is the first time the street light has been reported.',
    reportUrl: 'https://www.test-council.example/report-it',
    ombudsman: LGSCO,
  },
  'holding-letter': {
    ...resident,
    kind: 'complaint',
    stage: 1,
    promisedDate: '2026-05-29',
    newDate: FRIDAY,
    reason: 'The officer is waiting for the contractor.',
  },
  extension: {
    ...resident,
    stage: 1,
    previousDate: '2026-05-29',
    newDate: FRIDAY,
    reason: 'We need to interview the crew.',
    ombudsman: LGSCO,
  },
  pause: { ...resident, method: 'mediation', reason: 'You agreed to meet the landlord.', reviewBy: FRIDAY },
  resume: { ...resident, method: 'mediation', newDate: FRIDAY },
  reopened: { ...resident, stage: 1, handledBy: 'The Waste and Recycling team', respondBy: FRIDAY },
  response: {
    ...resident,
    outcome: 'partially-upheld',
    reasons: 'The crew missed your bin twice.\n\nThe other two weeks it was not put out.',
    remedy: 'We apologise and will collect it on Monday.',
    actions: ['Add your address to the assisted collection list'],
    respondent: 'Alex Brown, Waste Services Manager',
    stage2: { requestBy: FRIDAY, url: 'https://redress.example/stage-2/CMP-2026-000123?sig=1', grounds: [] },
    ombudsman: LGSCO,
  },
  'final-response': {
    ...resident,
    outcome: 'not-upheld',
    reasons: 'The stage 1 response was right.',
    respondent: 'Jo King, Director of Place',
    ombudsman: LGSCO,
    independent: true,
  },
  'stage-2-acknowledgement': {
    ...resident,
    handledBy: 'Jo King, Director of Place',
    respondBy: FRIDAY,
    independent: true,
  },
  'stage-2-refused': { ...resident, reasons: 'You did not give new evidence.', ombudsman: LGSCO },
  'stage-2-too-late': { ...resident, requestBy: '2026-05-01', lateBy: '2026-05-29', ombudsman: LGSCO },
  'stage-2-resolved': {
    ...resident,
    resolution: 'We will re-empty your bin on Monday and have apologised.',
    ombudsman: LGSCO,
  },
  'out-of-time': {
    ...resident,
    happenedOn: '2024-01-15',
    months: 12,
    limitEnded: '2025-01-15',
    reasons: 'The records from 2024 no longer exist.',
    ombudsman: LGSCO,
  },
  'consent-needed': { council: resident.council, reference: resident.reference, consentBy: FRIDAY },
  'consent-not-given': {
    ...resident,
    personName: 'Grace Hopper',
    reasons: 'Mrs Hopper asked us not to go ahead.',
  },
  referral: {
    ...staff,
    why: 'Looks like a hate incident: the text mentions "racist".',
    team: 'our Customer Relations team',
    contactBy: FRIDAY,
    summary: 'My neighbour shouted racist abuse at me.',
    contact: 'Ada Lovelace\nada@example.com',
    caseUrl: 'https://redress.example/cases/CMP-2026-000123?link=abc',
  },
  'compliment-acknowledgement': { ...resident, passedTo: 'the Waste Services team' },
  'comment-reply': { ...resident, reply: 'Thank you, we will add a bench.' },
  'representation-feedback': {
    ...resident,
    feedback: 'The committee will review the policy in July.',
    decidedBy: 'the Environment Committee',
  },
  'vexatious-decision': {
    ...resident,
    decision: 'You have sent 40 emails about the same matter in a month.',
    restrictions: ['Please contact us only by letter', 'Write to one named officer'],
    reviewBy: FRIDAY,
    ombudsman: LGSCO,
  },
  'referred-to-manager': { ...common },
  'social-care-plan': {
    ...resident,
    plan: 'We will review the care package with you and your daughter.',
    respondBy: FRIDAY,
    contactName: 'Priya Shah',
  },
  'social-care-closed': {
    ...resident,
    response: 'We reviewed the care package and restored the visits.',
    signedOffBy: 'Director for Social and Community Services',
    ombudsman: LGSCO,
  },
  'social-care-six-months': {
    ...resident,
    receivedAt: '2026-01-05T10:00:00.000Z',
    plan: 'We will review the care package with you and your daughter.',
    respondBy: '2026-08-14',
    respondByPassed: false,
    contactName: 'Priya Shah',
    ombudsman: LGSCO,
  },
  'social-care-response': {
    ...resident,
    plan: 'We will review the care package with you and your daughter.',
    response: 'We reviewed the care package and restored the visits.',
    respondent: 'Home care team',
    ombudsman: LGSCO,
  },
  'contact-recorded': { ...resident, receivedAt: '2026-05-11T09:30:00.000Z' },
  'officer-task': taskData,
  'officer-reminder': { ...taskData, task: 'respond' },
  'manager-escalation': {
    ...staff,
    missed: 'acknowledgeBy',
    missedAt: FRIDAY,
    assignedTo: 'Alex Brown',
    service: 'Waste and recycling',
    summary: 'My bin has been missed four weeks running.',
    caseUrl: 'https://redress.example/cases/CMP-2026-000123?sig=1',
  },
  'compliment-to-staff': {
    ...staff,
    compliment: 'The crew helped my mum with her bin.',
    service: 'Waste and recycling',
  },
  'representation-to-policy-owner': {
    ...staff,
    representation: 'The garden waste charge is unfair on pensioners.',
    service: 'Waste and recycling',
    feedbackBy: FRIDAY,
    taskUrl: 'https://redress.example/tasks/xyz?sig=2',
  },
  'nominated-officer-contact': {
    ...staff,
    summary: 'Another email about the bin.',
    receivedAt: '2026-05-11T09:30:00.000Z',
    caseUrl: 'https://redress.example/cases/CMP-2026-000123?sig=1',
  },
  'complaints-team-alert': {
    ...staff,
    problem: 'workflow-start-failed',
    detail: 'StartExecution failed after 3 attempts.',
    caseUrl: 'https://redress.example/cases/CMP-2026-000123?sig=1',
  },
  'case-assigned': {
    ...staff,
    from: 'Casey Morgan',
    caseKind: 'complaint',
    stage: 1,
    service: 'Waste and Recycling',
    summary: 'My bin was missed three weeks running.',
    caseUrl: 'https://redress.example/cases/CMP-2026-000123?link=1',
  },
  'print-and-post': {
    ...staff,
    title: 'Your complaint is being looked into',
    residentName: 'Ms Jones',
    addressLines: ['1 High Street', 'Testtown', 'TT1 1AA'],
    phone: '01632 960 001',
    askedForPost: false,
    letterUrl: 'https://redress.example/cases/CMP-2026-000123/letters/acknowledgement-x?link=1',
    caseUrl: 'https://redress.example/cases/CMP-2026-000123?link=1',
  },
};

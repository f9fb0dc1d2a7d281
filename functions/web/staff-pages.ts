/**
 * The staff workspace's pages, from the same nunjucks environment and GOV.UK Frontend components
 * as the resident's (`render.ts`). Each returns a whole HTML document.
 */
import { FIELD_NAMES } from '../app/intake-field-names.js';
import { taskFormAt } from '../app/task-forms.js';
import type { AuditAction, AuditEntry } from '../domain/audit.js';
import type { CaseEvent, CaseRecord } from '../domain/case.js';
import { residentToldBy } from '../domain/case-clock.js';
import { RESTRICTIONS, restrictionsPosted, restrictionText } from '../domain/designation.js';
import { evidenceFiles } from '../domain/evidence.js';
import { MONTH_NAMES } from '../domain/london-time.js';
import { ombudsmanDetails, ombudsmenOf } from '../domain/ombudsmen.js';
import type { Policy } from '../domain/policy-schema.js';
import {
  canAnswerSubjectAccess,
  canHold,
  canPostLetters,
  canReadAudit,
  canRectify,
  nextDeadline,
  ROLE_NAMES,
  type StaffMember,
  type StaffRole,
  type Urgency,
  urgencyOf,
} from '../domain/staff.js';
import { FEEDBACK_KINDS } from '../domain/types.js';
import type { WorkListEntry } from '../domain/work-lists.js';
import { escapeHtml } from '../templates/escape-html.js';
import { describeUnprintable } from '../templates/unprintable.js';
import { EVIDENCE_STATUS_TAGS, rejectionText } from './evidence-pages.js';
import { evidenceDescription } from './evidence-text.js';
import { formIdOf } from './form-token.js';
import { formatDate, formatDateTime, formatReceived, humanise, kindName } from './format.js';
import { ombudsmanFileSection } from './ombudsman-file-pages.js';
import {
  BASE_PATH,
  caseFileModel,
  caseStatusTag,
  errorModel,
  flattenValues,
  RESIDENT_FORM_FIELDS,
  renderPage,
} from './render.js';
import { RETENTION_FIELD_IDS, retentionSection } from './retention-section.js';

const STAFF_PATH = `${BASE_PATH}/staff`;

/** What every workspace page shows in its header. */
export interface StaffChrome {
  staff: StaffMember;
  csrf: string;
  policy: Policy;
}

export function chrome(c: StaffChrome, section: string): Record<string, unknown> {
  const roles = c.staff.roles.map((r) =>
    r === 'officer'
      ? `officer (${c.staff.services
          .map((id) => c.policy.routing.services.find((s) => s.id === id)?.name ?? id)
          .join(', ')})`
      : ROLE_NAMES[r],
  );
  return {
    staff: c.staff,
    csrf: c.csrf,
    roleText: roles.join(', '),
    councilName: c.policy.council,
    serviceName: 'Complaints workspace',
    serviceUrl: `${STAFF_PATH}`,
    staffPath: STAFF_PATH,
    section,
    navigation: navigation(c.staff, section),
  };
}

/**
 * The workspace's sections in its navigation, each with the check its route makes (the same
 * function), so that nobody is offered a page that would refuse them. None: every member of staff.
 */
export const WORKSPACE_SECTIONS: readonly {
  id: string;
  path: string;
  text: string;
  mayOpen?: (staff: Pick<StaffMember, 'roles'>) => boolean;
}[] = [
  { id: 'queue', path: '', text: 'Work queue' },
  { id: 'search', path: '/search', text: 'Search' },
  { id: 'record', path: '/record', text: 'Record feedback received' },
  { id: 'letters', path: '/letters', text: 'Letters to post', mayOpen: canPostLetters },
  {
    id: 'data-protection',
    path: '/data-protection',
    text: 'Data protection',
    mayOpen: canAnswerSubjectAccess,
  },
  { id: 'holds', path: '/holds', text: 'Legal holds', mayOpen: canHold },
  { id: 'audit', path: '/audit', text: 'Audit log', mayOpen: canReadAudit },
];

/** The workspace's sections this person may open. */
function navigation(staff: StaffMember, section: string): { href: string; text: string; active: boolean }[] {
  return WORKSPACE_SECTIONS.filter((s) => s.mayOpen?.(staff) ?? true).map((s) => ({
    href: `${STAFF_PATH}${s.path}`,
    text: s.text,
    active: s.id === section,
  }));
}

const URGENCY_TAG: Record<Urgency, { text: string; classes: string }> = {
  overdue: { text: 'Overdue', classes: 'govuk-tag--red' },
  today: { text: 'Due today', classes: 'govuk-tag--orange' },
  'this-week': { text: 'Due this week', classes: 'govuk-tag--yellow' },
  later: { text: 'Later', classes: 'govuk-tag--grey' },
};

function caseLink(c: CaseRecord): { html: string } {
  return {
    html: `<a class="govuk-link" href="${STAFF_PATH}/cases/${encodeURIComponent(c.reference)}">${escapeHtml(c.reference)}</a>`,
  };
}

/** Who the case waits on: the officer with the open task, the resident (stage-2 window), or the assignee. */
function withWhom(c: CaseRecord): string {
  const who = c.openTask?.officer ?? c.assignedTo ?? '';
  return who === 'resident' ? 'The resident' : who;
}

function serviceName(policy: Policy, c: CaseRecord): string {
  return policy.routing.services.find((s) => s.id === c.service)?.name ?? 'Not given';
}

function select(
  current: string | undefined,
  options: readonly { value: string; text: string }[],
): { value: string; text: string; selected: boolean }[] {
  return options.map((o) => ({ ...o, selected: o.value === (current ?? '') }));
}

export interface QueuePageModel extends StaffChrome {
  records: CaseRecord[];
  /** Designations of unreasonably persistent complainants whose review date has come. */
  reviewsDue?: WorkListEntry[];
  /** Subject access requests overdue and due within the week, for those who answer them. */
  subjectAccess?: { overdue: number; dueSoon: number };
  now: Date;
  filter: { view: string; due: string; service?: string; stage?: number };
  nextHref?: string;
  done?: string;
}

/** The work queue. */
export function staffQueuePage(model: QueuePageModel): string {
  const { policy } = model;
  const rows = model.records.map((c) => {
    const next = nextDeadline(c);
    const urgency = next ? URGENCY_TAG[urgencyOf(next, model.now, policy)] : undefined;
    return [
      caseLink(c),
      {
        html: next
          ? `${escapeHtml(formatDate(next, { weekday: false }))}<br><strong class="govuk-tag ${urgency?.classes ?? ''}">${urgency?.text ?? ''}</strong>`
          : 'None',
      },
      { text: serviceName(policy, c) },
      // Only a complaint has stages, as its case and task pages say: a compliment is just that.
      {
        text:
          c.kind === 'complaint'
            ? `${humanise(kindName(c.kind))}, stage ${c.stage}`
            : humanise(kindName(c.kind)),
      },
      { text: caseStatusTag(c).text },
      { text: withWhom(c) },
    ];
  });
  const services = model.staff.roles.some((r) => r !== 'officer')
    ? policy.routing.services
    : policy.routing.services.filter((s) => model.staff.services.includes(s.id));
  return renderPage('staff-queue', {
    ...chrome(model, 'queue'),
    pageTitle: 'Work queue',
    subjectAccess: model.subjectAccess,
    rows,
    caption: `${rows.length} open ${rows.length === 1 ? 'case' : 'cases'}${model.nextHref ? ' on this page' : ''}, soonest deadline first`,
    viewItems: select(model.filter.view, [
      { value: 'team', text: "My team's cases" },
      { value: 'mine', text: 'My cases' },
      ...(model.staff.roles.some((r) => r !== 'officer') ? [{ value: 'all', text: 'All cases' }] : []),
    ]),
    dueItems: select(model.filter.due, [
      { value: 'any', text: 'Any time' },
      { value: 'overdue', text: 'Overdue' },
      // Both include the overdue: a case past its deadline is due today too.
      { value: 'today', text: 'Overdue or due today' },
      { value: 'week', text: 'Overdue or due within 5 working days' },
    ]),
    serviceItems: select(model.filter.service, [
      { value: '', text: 'All services' },
      ...services.map((s) => ({ value: s.id, text: s.name })),
    ]),
    stageItems: select(model.filter.stage ? String(model.filter.stage) : '', [
      { value: '', text: 'Both stages' },
      { value: '1', text: 'Stage 1' },
      { value: '2', text: 'Stage 2' },
    ]),
    reviewsDue: (model.reviewsDue ?? []).map((e) => ({
      reference: e.reference,
      href: `${STAFF_PATH}/cases/${encodeURIComponent(e.reference)}`,
      reviewBy: formatDate(`${e.at}T12:00:00Z`, { weekday: false }),
    })),
    ...(model.nextHref ? { nextHref: model.nextHref } : {}),
    ...(model.done ? { done: model.done } : {}),
  });
}

/** The search page and its results. */
export function staffSearchPage(model: StaffChrome & { q: string; records?: CaseRecord[] }): string {
  return renderPage('staff-search', {
    ...chrome(model, 'search'),
    pageTitle: 'Search cases',
    q: model.q,
    searched: model.records !== undefined,
    rows: (model.records ?? []).map((c) => [
      caseLink(c),
      { text: formatReceived(c) },
      { text: serviceName(model.policy, c) },
      { text: caseStatusTag(c).text },
    ]),
  });
}

export interface StaffCasePageModel extends StaffChrome {
  record: CaseRecord;
  events: CaseEvent[];
  reassignTargets: string[];
  canRecordOmbudsman: boolean;
  /** The person may reopen a closed case. */
  canReopen?: boolean;
  /** The person may designate a complainant and review a designation (the nominated officer). */
  canDesignate?: boolean;
  /** The person may accept a late request for stage 2. */
  canAcceptLate?: boolean;
  /** The person may prepare the Ombudsman's case file and mark it sent. */
  canPrepareOmbudsmanFile?: boolean;
  errors?: Record<string, string>;
  values?: Record<string, unknown>;
  done?: string;
}

const OMBUDSMAN_DECISION_TEXT: Record<string, string> = {
  '': 'No decision yet',
  'not-investigated': 'Will not investigate',
  investigating: 'Investigating',
  upheld: 'Upheld (fault found)',
  'partially-upheld': 'Partially upheld',
  'not-upheld': 'Not upheld (no fault)',
  settled: 'Settled',
};

/** The staff case page: the case file, who has viewed it, and the actions. */
export function staffCasePage(model: StaffCasePageModel): string {
  const { record, policy } = model;
  const service = policy.routing.services.find((s) => s.id === record.service);
  const told = residentToldBy(policy, record);
  const file = caseFileModel({
    record,
    events: model.events,
    councilName: policy.council,
    ...(service ? { serviceName: service.name } : {}),
    ...(told ? { residentToldBy: told } : {}),
  });
  const views = model.events
    .filter((e) => e.type === 'viewed')
    .sort((a, b) => b.seq - a.seq)
    .map((e) => [
      { html: `<time datetime="${e.at}">${escapeHtml(formatDateTime(e.at))}</time>` },
      { text: e.actor },
    ]);
  const { errorList, e } = errorModel(model.errors, {
    order: [
      'note',
      'reassignTo',
      'service',
      'reissue',
      'stage2Channel',
      'stage2Grounds',
      'stage2Text',
      'lateReason',
      'reopenReason',
      'designationReason',
      'restrictions',
      'reviewOutcome',
      'reviewDate',
      'reviewReason',
      'ombudsman',
      'ombudsmanDecision',
      'ombudsmanNote',
    ],
    ids: {
      lateReason: 'lateReason',
      reopenReason: 'reopenReason',
      designationReason: 'designationReason',
      restrictions: 'restrictions',
      reviewOutcome: 'reviewOutcome',
      reviewDate: 'reviewDate-day',
      reviewReason: 'reviewReason',
      stage2Channel: 'stage2Channel',
      stage2Grounds: 'stage2Grounds',
      stage2Text: 'stage2Text',
      reissue: 'reissue',
      note: 'note',
      reassignTo: 'reassignTo',
      service: 'service',
      ombudsman: 'ombudsman',
      ombudsmanDecision: 'ombudsmanDecision',
      ombudsmanNote: 'ombudsmanNote',
      ...RETENTION_FIELD_IDS,
    },
  });
  const current = record.openTask?.officer ?? record.assignedTo;
  const casePath = `${STAFF_PATH}/cases/${encodeURIComponent(record.reference)}`;
  const posted = new Map(
    model.events
      .filter((ev) => ev.type === 'letter-posted')
      .map((ev) => [String(ev.detail?.letter), `Posted ${formatDateTime(ev.at)} by ${ev.actor}`]),
  );
  // A letter written again before it went to print (`posted-letters.ts`): to a name or address
  // corrected since, or with a later date when the one it gave had run out while it waited.
  const replaced = new Map(
    model.events
      .filter((ev) => ev.type === 'letter-written' && typeof ev.detail?.replaces === 'string')
      .map((ev) => [
        String(ev.detail?.replaces),
        ev.detail?.because === 'date'
          ? 'Not to be posted: written again with a later date'
          : 'Not to be posted: written again to the corrected address',
      ]),
  );
  // A holding letter that never went to print before the response did (`steps.ts`, `record`).
  for (const ev of model.events) {
    if (ev.type !== 'response-sent' || !Array.isArray(ev.detail?.withdrawn)) continue;
    for (const letter of ev.detail.withdrawn)
      replaced.set(String(letter), 'Not to be posted: the response went first');
  }
  const letterRows = model.events
    .filter((ev) => ev.type === 'letter-written')
    .map((ev) => {
      const name = String(ev.detail?.letter);
      const title = humanise(String(ev.detail?.template ?? 'letter'));
      // Characters no letter font has print as empty boxes: whoever posts it writes them in.
      const unprintable = typeof ev.detail?.unprintable === 'string' ? ev.detail.unprintable : '';
      const boxes = unprintable
        ? `<br><strong class="govuk-tag govuk-tag--yellow">Check before posting</strong> <span class="govuk-body-s">Prints as empty boxes: ${escapeHtml(describeUnprintable(unprintable))}</span>`
        : '';
      // A letter written again is not to be printed: no link to its PDF (the workspace refuses it).
      const link = replaced.has(name)
        ? escapeHtml(title)
        : `<a class="govuk-link" href="${STAFF_PATH}/letters/${encodeURIComponent(record.reference)}/${encodeURIComponent(name)}">${escapeHtml(title)}<span class="govuk-visually-hidden"> (PDF)</span></a>`;
      const toPrevious = (record.postedToPrevious ?? []).some((p) => p.letter === name)
        ? ', to the previous address'
        : '';
      return [
        { html: `${link}${boxes}` },
        { html: `<time datetime="${ev.at}">${escapeHtml(formatDateTime(ev.at))}</time>` },
        {
          text: posted.has(name)
            ? `${posted.get(name)}${toPrevious}`
            : (replaced.get(name) ?? 'Not posted yet'),
        },
      ];
    });
  const designation = record.designation;
  const v = model.values ?? {};
  const chosen = restrictionsPosted(v.restrictions);
  return renderPage('staff-case', {
    ...file,
    ...chrome(model, 'case'),
    pageTitle: `Case ${record.reference}`,
    casePath,
    // One per page shown: a form on it that adds something (a note) does it once for this id,
    // however many times it is sent (`CaseChange.once`). Shown again with a form's problems,
    // nothing of that form was done, and the page keeps its id.
    formId: formIdOf(model.values),
    ...retentionSection(record, model.events, model.staff, model.errors, model.values),
    viewRows: views,
    letterRows,
    // Letters posted before the resident's name or address was corrected (`readdressed-letters.ts`):
    // said first, plainly, with the decision for whoever may post letters.
    postedToPrevious: (record.postedToPrevious ?? []).map((p) => {
      const letterPath = `${STAFF_PATH}/letters/${encodeURIComponent(record.reference)}/${encodeURIComponent(p.letter)}`;
      return {
        text: `“${p.title}” was posted to the previous address on ${formatDateTime(p.postedAt)}. The resident’s name or address was corrected on ${formatDateTime(p.correctedAt)}.`,
        title: p.title,
        postAgainAction: `${letterPath}/post-again`,
        notAgainAction: `${letterPath}/not-again`,
      };
    }),
    canPostLetters: canPostLetters(model.staff),
    // Why each reopening was made, for whoever has the case now (never sent to the resident).
    reopeningRows: (record.reopenings ?? []).map((r) => [
      { html: `<time datetime="${r.at}">${escapeHtml(formatDateTime(r.at))}</time>` },
      { text: r.by },
      { text: `Stage ${r.stage}` },
      { text: r.reason },
    ]),
    canReopen: model.canReopen === true && record.status === 'closed' && record.kind === 'complaint',
    canAcceptLate: model.canAcceptLate === true && record.openTask?.name === 'late-stage-2-request',
    canDesignate: model.canDesignate === true && !record.anonymous,
    designation: designation
      ? {
          standing: designation.liftedAt === undefined,
          letterOwed: designation.letterOwed === true && designation.liftedAt === undefined,
          rows: [
            {
              key: { text: 'Decided' },
              value: { text: `${formatDateTime(designation.at)} by ${designation.by}` },
            },
            { key: { text: 'Reasons' }, value: { text: designation.reason || 'None recorded' } },
            {
              key: { text: 'Restrictions' },
              value: {
                text:
                  designation.restrictions.map((r) => restrictionText(r)).join(' ') ||
                  'Later contact goes to the nominated officer',
              },
            },
            designation.liftedAt
              ? { key: { text: 'Lifted' }, value: { text: formatDateTime(designation.liftedAt) } }
              : {
                  key: { text: 'Review by' },
                  value: { text: formatDate(`${designation.reviewBy}T12:00:00Z`) },
                },
          ],
        }
      : undefined,
    // One name per box (`restrictionsPosted`): a post keeps one value per name.
    restrictionItems: Object.entries(RESTRICTIONS).map(([value, text]) => ({
      name: `restrictions.${value}`,
      value,
      text,
      checked: chosen.includes(value),
    })),
    reviewOutcomeItems: [
      {
        value: 'keep',
        text: 'Keep the designation, with a new review date',
        checked: v.reviewOutcome === 'keep',
      },
      { value: 'lift', text: 'Lift the designation', checked: v.reviewOutcome === 'lift' },
    ],
    reviewDateItems: (['Day', 'Month', 'Year'] as const).map((part) => ({
      id: `reviewDate-${part.toLowerCase()}`,
      name: `review${part}`,
      label: part,
      classes: `govuk-input--width-${part === 'Year' ? 4 : 2}${e.reviewDate ? ' govuk-input--error' : ''}`,
      value: v[`review${part}`],
    })),
    v,
    evidenceRows: evidenceRows(record, model.events),
    reassignItems: [
      { value: '', text: 'Choose a team or person' },
      ...model.reassignTargets
        .filter((t) => t !== current?.toLowerCase())
        .map((t) => ({ value: t, text: t, selected: t === model.values?.reassignTo })),
    ],
    canRecordOmbudsman: model.canRecordOmbudsman,
    ombudsmanFile: model.canPrepareOmbudsmanFile
      ? ombudsmanFileSection(policy, record, model.events)
      : undefined,
    canRectify: canRectify(model.staff) && !record.anonymous && !record.erasure && !record.erasureStarted,
    erased: record.erasure !== undefined,
    awaitingStage2Request: record.openTask?.name === 'stage-2-request',
    // Where the policy takes a review only on stated grounds, the resident gives one, by any channel.
    stage2GroundItems: policy.complaint.stage2?.groundsRequired
      ? policy.complaint.stage2.grounds.map((g) => ({ value: g.id, text: g.label }))
      : [],
    serviceItems: [
      { value: '', text: 'Choose a service' },
      ...policy.routing.services
        .filter((s) => s.id !== record.service)
        .map((s) => ({ value: s.id, text: s.name })),
    ],
    ...(record.openTask && record.openTask.officer !== 'resident'
      ? {
          // The task as its own page heads it ("Pass on this compliment"), at the case's stage.
          openTaskText: `${taskFormAt(record.openTask.name, record.stage).title}, with ${record.openTask.officer} since ${formatDateTime(record.openTask.issuedAt)}.`,
        }
      : {}),
    ombudsmanItems: ombudsmenOf(policy.ombudsman.nation).map((id) => ({
      value: id,
      text: ombudsmanDetails(id, policy.ombudsman).name,
    })),
    ombudsmanDecisionItems: Object.entries(OMBUDSMAN_DECISION_TEXT).map(([value, text]) => ({ value, text })),
    errorList,
    e,
    ...(model.done ? { done: model.done } : {}),
  });
}

/**
 * The resident's files: what each is and its state; a download link only for a file the virus
 * check passed (the link's route checks the object's scan tag again before signing a download).
 */
function evidenceRows(record: CaseRecord, events: CaseEvent[]) {
  return evidenceFiles(events).map((file) => {
    const tag = EVIDENCE_STATUS_TAGS[file.status];
    const href = `${STAFF_PATH}/cases/${encodeURIComponent(record.reference)}/evidence/${file.fileId}`;
    const what =
      file.status === 'clean'
        ? {
            html: `<a class="govuk-link" href="${href}">Download ${escapeHtml(evidenceDescription(file))}</a>`,
          }
        : { text: file.status === 'rejected' ? (rejectionText(file) ?? '') : evidenceDescription(file) };
    return [
      { text: `File ${file.number}` },
      what,
      { html: `<time datetime="${file.receivedAt}">${escapeHtml(formatDateTime(file.receivedAt))}</time>` },
      { html: `<strong class="govuk-tag ${tag.classes}">${tag.text}</strong>` },
    ];
  });
}

const CHANNEL_TEXT: Record<string, string> = {
  phone: 'By phone',
  letter: 'By letter',
  email: 'By email',
  'in-person': 'In person',
};

/**
 * Intake's messages speak to the resident who fills in the form ("Enter your name"); the officer
 * recording a call reads them about the resident. Only the words differ: the rules are intake's,
 * and a message not here is shown as intake words it.
 */
const ABOUT_THE_RESIDENT: Readonly<Record<string, string>> = {
  'Enter your feedback': 'Enter what they told us',
  'Enter your name, or choose to stay anonymous': 'Enter their name, or say they want to stay anonymous',
  'Say whether you want to stay anonymous': 'Say whether they want to stay anonymous',
  'Enter an email address, phone number or postal address so we can reply to you':
    'Enter an email address, phone number or postal address so we can reply to them',
  'Enter your postal address so we can post letters to you':
    'Enter their postal address so we can post letters to them',
  'Enter your email address, or choose to get letters by post':
    'Enter their email address, or choose letters by post',
  'Enter the name of the person you are complaining for': 'Enter the name of the person it is made for',
  'Say whether they have agreed to you complaining for them':
    'Say whether the person it is made for has agreed to it',
  'Say whether you are making this for someone else': 'Say whether it is made for someone else',
};

/**
 * The names intake's messages give the record form's fields, said about the resident (and the
 * person it is made for): "Your feedback must be 5000 characters or fewer" reads "The feedback
 * must be 5000 characters or fewer". A field not here is named as intake names it.
 */
const NAMED_ABOUT_THE_RESIDENT: Readonly<Partial<Record<keyof typeof FIELD_NAMES, string>>> = {
  summary: 'The feedback',
  desiredOutcome: 'What they would like us to do',
  'complainant.name': 'Their name',
  'complainant.address': 'Their postal address',
  'onBehalfOf.name': 'The name of the person it is made for',
  'onBehalfOf.relationship': 'Their relationship to that person',
};

/** An intake message shown on the record form, said about the resident rather than to them. */
function aboutTheResident(field: string, message: string): string {
  const whole = ABOUT_THE_RESIDENT[message];
  if (whole) return whole;
  const intakeName = FIELD_NAMES[field as keyof typeof FIELD_NAMES] as string | undefined;
  const ours = NAMED_ABOUT_THE_RESIDENT[field as keyof typeof FIELD_NAMES];
  return intakeName && ours && message.startsWith(`${intakeName} `)
    ? `${ours}${message.slice(intakeName.length)}`
    : message;
}

/** The form to record feedback received by phone, letter, email or in person. */
export function staffRecordPage(
  model: StaffChrome & { values?: Record<string, unknown>; errors?: Record<string, string> },
): string {
  const v = flattenValues(model.values);
  // The resident form's fields in its order, but for what staff do not record here (when it
  // happened), after how and when it came.
  const order = [
    'channel',
    'receivedDate',
    'receivedTime',
    ...RESIDENT_FORM_FIELDS.filter((f) => f !== 'happenedOn'),
    'language',
  ];
  const errors = model.errors
    ? Object.fromEntries(Object.entries(model.errors).map(([k, m]) => [k, aboutTheResident(k, m)]))
    : undefined;
  const { errorList, e } = errorModel(errors, {
    order,
    ids: {
      ...Object.fromEntries(
        order.map((f) => [f, f === 'channel' || f === 'kind' ? f : f.replace(/\./g, '-')]),
      ),
      receivedDate: 'receivedDate-day',
    },
    aliases: {
      receivedAt: 'receivedDate',
      complainant: 'complainant.name',
      onBehalfOf: 'onBehalf',
      'onBehalfOf.consentNote': 'onBehalfOf.consent',
    },
  });
  return renderPage('staff-record', {
    ...chrome(model, 'record'),
    pageTitle: 'Record feedback received',
    // One per page: the same page sent twice is one contact, a second page another
    // (`recordReceived`). A page shown again with its problems keeps its own.
    formId: formIdOf(model.values),
    v,
    e,
    errorList,
    channelItems: Object.entries(CHANNEL_TEXT).map(([value, text]) => ({
      value,
      text,
      checked: v.channel === value,
    })),
    kindItems: FEEDBACK_KINDS.map((k) => ({
      value: k,
      text: humanise(k),
      checked: (v.kind ?? 'complaint') === k,
    })),
    // Only when the council offers Welsh: the case keeps the language for every letter.
    languageItems:
      (model.policy.languages ?? ['en']).length > 1
        ? (model.policy.languages ?? ['en']).map((l) => ({
            value: l,
            text: l === 'cy' ? 'Welsh (Cymraeg)' : 'English',
            checked: (v.language ?? model.policy.languages?.[0] ?? 'en') === l,
          }))
        : undefined,
    contactByItems: [
      { value: 'email', text: 'By email', checked: v['complainant.contactBy'] === 'email' },
      {
        value: 'post',
        text: 'By post',
        hint: { text: 'Give their postal address above' },
        checked: v['complainant.contactBy'] === 'post',
      },
    ],
    serviceItems: [
      { value: '', text: 'Not known' },
      ...model.policy.routing.services.map((s) => ({
        value: s.id,
        text: s.name,
        selected: v.service === s.id,
      })),
    ],
  });
}

/** The letters waiting to be printed and posted, oldest first. */
export function staffLettersPage(
  model: StaffChrome & { entries: WorkListEntry[]; nextHref?: string; done?: string },
): string {
  return renderPage('staff-letters', {
    ...chrome(model, 'letters'),
    pageTitle: 'Letters to print and post',
    rows: model.entries.map((e) => {
      const letterPath = `${STAFF_PATH}/letters/${encodeURIComponent(e.reference)}/${encodeURIComponent(e.letter ?? '')}`;
      return {
        reference: e.reference,
        caseHref: `${STAFF_PATH}/cases/${encodeURIComponent(e.reference)}`,
        title: e.title ?? 'Letter',
        checkFirst: e.checkFirst === true,
        writtenAt: e.at,
        written: formatDateTime(e.at),
        // Written again to a corrected name or address: the one printed before then is not to go.
        ...(e.readdressedAt
          ? { readdressedAt: e.readdressedAt, readdressed: formatDateTime(e.readdressedAt) }
          : {}),
        // Posted to the previous address: a decision, with no PDF (it holds the old address).
        ...(e.postedToPrevious
          ? {
              postedToPrevious: true,
              postAgainAction: `${letterPath}/post-again`,
              notAgainAction: `${letterPath}/not-again`,
            }
          : { pdfHref: letterPath, postedAction: `${letterPath}/posted` }),
      };
    }),
    ...(model.nextHref ? { nextHref: model.nextHref } : {}),
    ...(model.done ? { done: model.done } : {}),
  });
}

/** How each audited action reads in the log. */
const AUDIT_ACTIONS: Readonly<Record<AuditAction, string>> = {
  'subject-access.view': 'Read the subject access register or a request',
  'subject-access.search': 'Searched for a person’s cases (subject access)',
  'subject-access.confirm': 'Confirmed which cases are the person’s (subject access)',
  'subject-access.request': 'Opened a subject access request',
  'subject-access.extend': 'Extended a subject access request',
  'subject-access.export': 'Exported the data held (subject access)',
  'subject-access.complete': 'Completed a subject access request',
  rectify: 'Corrected contact details',
  erase: 'Erased a case',
  'hold.place': 'Placed a legal hold',
  'hold.lift': 'Lifted a legal hold',
  'hold.review': 'Reviewed a legal hold and set its next review date',
  'ombudsman-file.prepare': 'Prepared the Ombudsman’s case file',
  'ombudsman-file.download': 'Downloaded the Ombudsman’s case file',
  'ombudsman-file.sent': 'Recorded the case file as sent to the Ombudsman',
  'workspace.search': 'Searched the cases',
  refused: 'Refused',
};

/** `2026-04` as "April 2026". */
function monthName(month: string): string {
  const [year, number] = month.split('-');
  return `${MONTH_NAMES.en[Number(number) - 1] ?? month} ${year}`;
}

/** One month of the audit log. */
export function staffAuditPage(
  model: StaffChrome & { month: string; entries: AuditEntry[]; previous: string; next?: string },
): string {
  const href = (month: string) => `${STAFF_PATH}/audit?${new URLSearchParams({ month })}`;
  return renderPage('staff-audit', {
    ...chrome(model, 'audit'),
    pageTitle: `Audit log: ${monthName(model.month)}`,
    monthName: monthName(model.month),
    rows: model.entries.map((e) => ({
      at: e.at,
      when: formatDateTime(e.at),
      actor: e.actor,
      roles: e.actorRoles.map((r) => ROLE_NAMES[r as StaffRole] ?? r).join(', '),
      action: e.action === 'refused' ? `Refused: ${e.attempted ?? 'an action'}` : AUDIT_ACTIONS[e.action],
      ...(e.subject?.reference
        ? {
            reference: e.subject.reference,
            caseHref: `${STAFF_PATH}/cases/${encodeURIComponent(e.subject.reference)}`,
          }
        : {}),
      subject: e.subject?.requestId ? `Request ${e.subject.requestId}` : (e.subject?.caseId ?? ''),
      detail: e.detail ?? '',
    })),
    previousHref: href(model.previous),
    previousName: monthName(model.previous),
    ...(model.next ? { nextHref: href(model.next), nextName: monthName(model.next) } : {}),
  });
}

/**
 * The data protection pages of the staff workspace: the subject access register, a request, and
 * correcting a case's contact details. Same nunjucks environment and GOV.UK Frontend components
 * as every other staff page.
 */

import type { RegisterEntry } from '../app/subject-access.js';
import type { CaseRecord } from '../domain/case.js';
import type { Urgency } from '../domain/staff.js';
import {
  type SubjectAccessEvent,
  type SubjectAccessRequest,
  TOO_LATE_TO_EXTEND,
} from '../domain/subject-access.js';
import { escapeHtml } from '../templates/escape-html.js';
import { formatDate, formatDateTime, humanise } from './format.js';
import { BASE_PATH, errorModel, flattenValues, renderPage } from './render.js';
import { chrome, type StaffChrome } from './staff-pages.js';

const STAFF_PATH = `${BASE_PATH}/staff`;
export const DATA_PROTECTION_PATH = `${STAFF_PATH}/data-protection`;

const URGENCY_TAG: Record<Urgency, { text: string; classes: string }> = {
  overdue: { text: 'Overdue', classes: 'govuk-tag--red' },
  today: { text: 'Due today', classes: 'govuk-tag--orange' },
  'this-week': { text: 'Due this week', classes: 'govuk-tag--yellow' },
  later: { text: 'Due later', classes: 'govuk-tag--grey' },
};

const STATUS_TAG: Record<SubjectAccessRequest['status'], { text: string; classes: string }> = {
  open: { text: 'Open', classes: 'govuk-tag--blue' },
  exported: { text: 'Exported for review', classes: 'govuk-tag--purple' },
  completed: { text: 'Completed', classes: 'govuk-tag--green' },
};

const CHANNEL_TEXT: Record<string, string> = {
  email: 'By email',
  letter: 'By letter',
  phone: 'By phone',
  'in-person': 'In person',
  online: 'Online',
};

const EVENT_TEXT: Record<SubjectAccessEvent['type'], string> = {
  requested: 'Request recorded',
  searched: 'Searched for their cases',
  'cases-confirmed': 'Cases confirmed as theirs',
  extended: 'Extended by two months',
  exported: 'Data exported for review',
  completed: 'Request completed',
};

function dayText(date: string): string {
  return formatDate(`${date}T12:00:00Z`, { weekday: false });
}

export function requestPath(id: string): string {
  return `${DATA_PROTECTION_PATH}/requests/${encodeURIComponent(id)}`;
}

function tag(t: { text: string; classes: string }): string {
  return `<strong class="govuk-tag ${t.classes}">${t.text}</strong>`;
}

/** `GET /staff/data-protection`: the register of subject access requests. */
export function registerPage(model: StaffChrome & { entries: RegisterEntry[]; done?: string }): string {
  const rows = model.entries.map(({ request: r, urgency }) => [
    {
      html: `<a class="govuk-link" href="${requestPath(r.id)}">${escapeHtml(r.subject.name)}</a>`,
    },
    { text: dayText(r.receivedOn) },
    {
      html: `${escapeHtml(dayText(r.dueOn))}${r.extension ? ' (extended)' : ''}${
        urgency ? `<br>${tag(URGENCY_TAG[urgency])}` : ''
      }`,
    },
    { html: tag(STATUS_TAG[r.status]) },
    { text: String(r.confirmedCases.length) },
  ]);
  return renderPage('data-protection', {
    ...chrome(model, 'data-protection'),
    pageTitle: 'Data protection',
    rows,
    outstanding: model.entries.filter((e) => e.request.status !== 'completed').length,
    dataProtectionPath: DATA_PROTECTION_PATH,
    ...(model.done ? { done: model.done } : {}),
  });
}

const NEW_ORDER = ['name', 'email', 'phone', 'address', 'postcode', 'channel', 'receivedOn-day'];

/** `GET /staff/data-protection/new`: record a subject access request. */
export function newRequestPage(
  model: StaffChrome & { values?: Record<string, unknown>; errors?: Record<string, string> },
): string {
  const v = flattenValues(model.values);
  const { errorList, e } = errorModel(model.errors, {
    order: NEW_ORDER,
    ids: Object.fromEntries(NEW_ORDER.map((f) => [f, f === 'channel' ? 'channel' : f])),
  });
  return renderPage('subject-access-new', {
    ...chrome(model, 'data-protection'),
    pageTitle: `${errorList.length ? 'Error: ' : ''}Record a subject access request`,
    v,
    e,
    errorList,
    dataProtectionPath: DATA_PROTECTION_PATH,
    channelItems: Object.entries(CHANNEL_TEXT).map(([value, text]) => ({
      value,
      text,
      checked: v.channel === value,
    })),
  });
}

/** `GET /staff/data-protection/requests/{id}`: one request, its cases, actions and history. */
export function requestPage(
  model: StaffChrome & {
    request: SubjectAccessRequest;
    events: SubjectAccessEvent[];
    candidates: CaseRecord[];
    urgency?: Urgency;
    /** The first month has passed: the person can no longer be told of an extension in time. */
    tooLateToExtend?: boolean;
    errors?: Record<string, string>;
    values?: Record<string, unknown>;
    done?: string;
  },
): string {
  const r = model.request;
  const v = flattenValues(model.values);
  const { errorList, e } = errorModel(model.errors, {
    order: ['cases', 'reason'],
    ids: { cases: 'cases', reason: 'reason' },
  });
  const unextended = !r.extension && r.status !== 'completed';
  const confirmed = new Set(r.confirmedCases.map((c) => c.caseId));
  const matched = new Map((r.candidates ?? []).map((c) => [c.caseId, c.matchedBy]));
  const subjectRows = [
    { key: { text: 'Name' }, value: { text: r.subject.name } },
    { key: { text: 'Email' }, value: { text: r.subject.email ?? 'Not given' } },
    { key: { text: 'Phone' }, value: { text: r.subject.phone ?? 'Not given' } },
    { key: { text: 'Address' }, value: { text: r.subject.address ?? 'Not given' } },
    {
      key: { text: 'Received' },
      value: { text: `${dayText(r.receivedOn)} (${CHANNEL_TEXT[r.channel] ?? r.channel})` },
    },
    {
      key: { text: 'Answer due' },
      value: {
        html: `${escapeHtml(dayText(r.dueOn))}${model.urgency ? ` ${tag(URGENCY_TAG[model.urgency])}` : ''}`,
      },
    },
    ...(r.extension
      ? [{ key: { text: 'Extended' }, value: { text: `By ${r.extension.by}: ${r.extension.reason}` } }]
      : []),
    { key: { text: 'Status' }, value: { html: tag(STATUS_TAG[r.status]) } },
  ];
  const candidateItems = model.candidates.map((c) => ({
    name: `confirm.${c.caseId}`,
    value: 'yes',
    checked: confirmed.has(c.caseId),
    html: `<strong>${escapeHtml(c.reference)}</strong> – ${escapeHtml(c.complainant.name ?? 'no name')}`,
    hint: {
      text: [
        `Found by ${(matched.get(c.caseId) ?? []).join(', ')}.`,
        c.complainant.email,
        c.complainant.phone,
        c.complainant.address,
        `Received ${formatDate(c.receivedAt, { weekday: false })}, ${humanise(c.status)}.`,
      ]
        .filter(Boolean)
        .join(' '),
    },
  }));
  const eventRows = model.events.map((ev) => [
    { html: `<time datetime="${ev.at}">${escapeHtml(formatDateTime(ev.at))}</time>` },
    { text: EVENT_TEXT[ev.type] ?? ev.type },
    { text: ev.actor },
    { text: eventDetail(ev) },
  ]);
  return renderPage('subject-access-request', {
    ...chrome(model, 'data-protection'),
    pageTitle: `${errorList.length ? 'Error: ' : ''}Subject access request from ${r.subject.name}`,
    request: r,
    requestPath: requestPath(r.id),
    dataProtectionPath: DATA_PROTECTION_PATH,
    subjectRows,
    searched: r.candidates !== undefined,
    candidateItems,
    confirmedCases: r.confirmedCases.map((c) => ({
      reference: c.reference,
      href: `${STAFF_PATH}/cases/${encodeURIComponent(c.reference)}`,
    })),
    eventRows,
    completed: r.status === 'completed',
    canExport: r.confirmedCases.length > 0,
    canComplete: r.status === 'exported',
    canExtend: unextended && !model.tooLateToExtend,
    ...(unextended && model.tooLateToExtend ? { tooLateToExtend: TOO_LATE_TO_EXTEND } : {}),
    v,
    e,
    errorList,
    ...(model.done ? { done: model.done } : {}),
  });
}

function eventDetail(ev: SubjectAccessEvent): string {
  const d = ev.detail ?? {};
  switch (ev.type) {
    case 'requested':
      return `Due ${dayText(String(d.dueOn))}`;
    case 'searched':
      return `${d.found} found`;
    case 'cases-confirmed':
      return Array.isArray(d.references) && d.references.length ? d.references.join(', ') : 'None';
    case 'extended':
      return `Now due ${dayText(String(d.dueOn))}: ${String(d.reason)}`;
    case 'exported':
      return `${d.cases} cases, ${d.letters} letters, ${d.evidence} evidence files, ${d.archived} archived files; ${d.marked} marked for redaction review`;
    default:
      return '';
  }
}

const RECTIFY_ORDER = ['name', 'email', 'phone', 'address', 'postcode', 'reason'];

/** `GET /staff/cases/{reference}/contact-details`: correct the complainant's contact details. */
export function rectifyPage(
  model: StaffChrome & {
    record: CaseRecord;
    archived: boolean;
    values: Record<string, unknown>;
    errors?: Record<string, string>;
  },
): string {
  const v = flattenValues(model.values);
  const { errorList, e } = errorModel(model.errors, {
    order: RECTIFY_ORDER,
    ids: Object.fromEntries(RECTIFY_ORDER.map((f) => [f, f])),
  });
  return renderPage('rectify', {
    ...chrome(model, 'data-protection'),
    pageTitle: `${errorList.length ? 'Error: ' : ''}Correct contact details – ${model.record.reference}`,
    reference: model.record.reference,
    casePath: `${STAFF_PATH}/cases/${encodeURIComponent(model.record.reference)}`,
    closed: model.record.status === 'closed',
    archived: model.archived,
    v,
    e,
    errorList,
  });
}

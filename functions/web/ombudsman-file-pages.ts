/**
 * The Ombudsman's case file in the staff workspace: the case page's section (download, mark as
 * sent, what was sent before) and the "mark as sent" page shown again with its errors.
 */
import type { CaseEvent, CaseRecord } from '../domain/case.js';
import { ombudsmanOfCase, SENT_METHODS } from '../domain/ombudsman-file.js';
import { ombudsmanDetails } from '../domain/ombudsmen.js';
import type { Policy } from '../domain/policy-schema.js';
import { ROLE_NAMES, type StaffMember } from '../domain/staff.js';
import { ombudsmanFor } from '../templates/render-email.js';
import { formIdOf } from './form-token.js';
import { formatDate } from './format.js';
import { BASE_PATH, errorModel, renderPage } from './render.js';

const STAFF_PATH = `${BASE_PATH}/staff`;

/** The form's fields in page order, and the id each error links to. */
const FIELDS = {
  order: ['sentDate', 'ombudsmanReference', 'how'],
  ids: { sentDate: 'sentDate-day', ombudsmanReference: 'ombudsmanReference', how: 'how' },
};

/** What the section and the page show of the form: the date parts, the reference and the ways. */
function formModel(values: Record<string, unknown>, errors: Record<string, { text: string }>) {
  const text = (v: unknown) => (typeof v === 'string' ? v : undefined);
  return {
    sentDateItems: (['Day', 'Month', 'Year'] as const).map((part) => ({
      id: `sentDate-${part.toLowerCase()}`,
      name: `sent${part}`,
      label: part,
      classes: `govuk-input--width-${part === 'Year' ? 4 : 2}${errors.sentDate ? ' govuk-input--error' : ''}`,
      value: text(values[`sent${part}`]),
    })),
    ombudsmanReferenceValue: text(values.ombudsmanReference),
    howItems: Object.entries(SENT_METHODS).map(([value, label]) => ({
      value,
      text: label,
      checked: values.how === value,
    })),
  };
}

/** The section of the staff case page (`views/partials/ombudsman-file.njk`). */
export function ombudsmanFileSection(policy: Policy, record: CaseRecord, events: readonly CaseEvent[]) {
  const casePath = `${STAFF_PATH}/cases/${encodeURIComponent(record.reference)}`;
  const ombudsman = ombudsmanOfCase(events, ombudsmanFor(policy, record.service).kind);
  return {
    ombudsmanName: ombudsmanDetails(ombudsman, policy.ombudsman).name,
    downloadHref: `${casePath}/ombudsman-file`,
    pdfHref: `${casePath}/ombudsman-file?format=pdf`,
    sentAction: `${casePath}/ombudsman-file/sent`,
    sent: events
      .filter((e) => e.type === 'ombudsman-file-sent')
      .map((e) => ({
        text: `Sent ${formatDate(`${String(e.detail?.sentOn)}T12:00:00Z`, { weekday: false })} by ${e.actor}, ${(
          SENT_METHODS[String(e.detail?.how) as keyof typeof SENT_METHODS] ?? String(e.detail?.how)
        ).toLowerCase()}; their reference ${String(e.detail?.ombudsmanReference)}`,
      })),
    ...formModel({}, {}),
  };
}

/** `GET|POST /staff/cases/{reference}/ombudsman-file/sent`: the form on a page of its own, with any errors. */
export function ombudsmanFileSentPage(model: {
  staff: StaffMember;
  csrf: string;
  policy: Policy;
  record: CaseRecord;
  events: readonly CaseEvent[];
  values?: Record<string, unknown>;
  errors?: Record<string, string>;
}): string {
  const { errorList, e } = errorModel(model.errors, FIELDS);
  const section = ombudsmanFileSection(model.policy, model.record, model.events);
  const roleText = model.staff.roles.map((r) => ROLE_NAMES[r]).join(', ');
  return renderPage('staff-ombudsman-file-sent', {
    staff: model.staff,
    csrf: model.csrf,
    // The one-off id the page was first shown with, kept when it is shown again with its errors.
    formId: formIdOf(model.values),
    roleText,
    councilName: model.policy.council,
    serviceName: 'Complaints workspace',
    serviceUrl: STAFF_PATH,
    staffPath: STAFF_PATH,
    section: 'case',
    pageTitle: `${errorList.length ? 'Error: ' : ''}Mark the case file as sent: ${model.record.reference}`,
    reference: model.record.reference,
    casePath: `${STAFF_PATH}/cases/${encodeURIComponent(model.record.reference)}`,
    ombudsmanFile: { ...section, ...formModel(model.values ?? {}, e), headingLevel: 2 },
    errorList,
    e,
  });
}

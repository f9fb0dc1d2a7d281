/**
 * Server-rendered pages built from the GOV.UK Design System's Nunjucks macros. Every function here
 * returns a whole HTML document; the caller picks the status code and adds `securityHeaders()`.
 * Autoescaping is on: anything a resident or officer typed is inert text on every page.
 */
import nunjucks from 'nunjucks';
import { effectiveDecisions, TASK_FORMS, type TaskDecision, taskFormAt } from '../app/task-forms.js';
import { type CaseEvent, type CaseRecord, type CaseStatus, caseNotes, wantsPost } from '../domain/case.js';
import { residentToldBy } from '../domain/case-clock.js';
import { extensionCannotReachTold, extensionRoom } from '../domain/decisions.js';
import { evidenceFiles } from '../domain/evidence.js';
import { caseLanguage, type Language } from '../domain/language.js';
import type { Policy, ServiceArea } from '../domain/policy-schema.js';
import { directorateIn, redirectToIn, serviceNameIn } from '../domain/policy-welsh.js';
import { referralOf } from '../domain/referrals.js';
import { isOutOfTime } from '../domain/time-limit.js';
import type { CaseKind, IsoTimestamp, Stage } from '../domain/types.js';
import { TASK_AUDIENCE, type TaskName } from '../domain/workflow-names.js';
import { evidenceEventDetails } from './evidence-text.js';
import { formIdOf } from './form-token.js';
import {
  DEADLINE_LABELS,
  deadlineLabel,
  formatDate,
  formatDateTime,
  formatReceived,
  humanise,
  kindName,
  RESIDENT_DEADLINE_TEXT,
} from './format.js';
import {
  CATALOGUE,
  errorMessageIn,
  formatDateCy,
  formatDateTimeCy,
  formatReceivedCy,
  knownErrorIn,
  type MessageKey,
  pageLanguageModel,
  translateFieldErrors,
} from './i18n.js';
import { useFastFilters } from './nunjucks-filters.js';
import { GOVUK_FRONTEND_DIR, PRECOMPILED_VIEWS_DIR, VIEWS_DIR } from './paths.js';
import { PAGE_ENVIRONMENT_OPTIONS, PrecompiledViewsLoader, templateFileLoader } from './precompiled-views.js';

/** The service's name in the header and page titles. */
export const SERVICE_NAME = 'Complaints and feedback';
/**
 * Path the site is served under: empty behind a custom domain, `/live` on API Gateway's own
 * address (set by CDK as PUBLIC_BASE_PATH). Links and form actions in the pages start with it.
 */
export const BASE_PATH = (process.env.PUBLIC_BASE_PATH ?? '').replace(/\/$/, '');
/** Where the pages load CSS, JS, fonts and images from (see `assets.ts`). */
export const ASSET_PATH = `${BASE_PATH}/assets`;
const DEFAULT_COUNCIL = 'Your council';

/**
 * One environment for the process: our views first, then govuk-frontend's `dist` so that
 * `govuk/components/<name>/macro.njk` and `govuk/template.njk` resolve. No watching, no
 * `noCache`: templates are read once per cold start. In the Lambda bundle they were compiled when
 * it was built (`precompiled-views.ts`), every one of them, and only those run: the bundle ships
 * nunjucks's runtime without its compiler or its file loader (`RedressFunction`).
 */
const env = useFastFilters(
  new nunjucks.Environment(
    PRECOMPILED_VIEWS_DIR
      ? new PrecompiledViewsLoader(PRECOMPILED_VIEWS_DIR)
      : templateFileLoader([VIEWS_DIR, GOVUK_FRONTEND_DIR]),
    // A copy: nunjucks writes its defaults into the options object it is given.
    { ...PAGE_ENVIRONMENT_OPTIONS },
  ),
);

/**
 * Renders `views/<view>.njk` with the layout's defaults (`pageTitle`, `councilName`, `errorList`,
 * `v` values, `e` inline errors). Prefer the typed page functions below.
 */
export function renderPage(view: string, model: object): string {
  const name = view.endsWith('.njk') ? view : `${view}.njk`;
  return env.render(name, {
    // English unless the model says otherwise (`pageLanguageModel`): `t`, `htmlLang`, the toggle.
    ...pageLanguageModel(undefined, 'en'),
    serviceName: SERVICE_NAME,
    serviceUrl: `${BASE_PATH}/`,
    basePath: BASE_PATH,
    assetPath: ASSET_PATH,
    councilName: DEFAULT_COUNCIL,
    errorList: [],
    v: {},
    e: {},
    ...model,
  });
}

// ---------------------------------------------------------------------------------------------
// Form helpers shared by the resident form and the task forms

/** Element id of a dotted form field name: `complainant.name` → `complainant-name`. */
export function fieldId(path: string): string {
  return path.replace(/\./g, '-');
}

/**
 * Turns a parsed body (`{ complainant: { name } }`) or a flat one into `{ 'complainant.name': … }`
 * of strings, the shape the templates read. `true` becomes `yes`, the value our checkboxes send.
 */
export function flattenValues(
  values: Record<string, unknown> | undefined,
  prefix = '',
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(values ?? {})) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (value === undefined || value === null) continue;
    if (typeof value === 'object' && !Array.isArray(value)) {
      Object.assign(out, flattenValues(value as Record<string, unknown>, path));
    } else if (typeof value === 'boolean') {
      out[path] = value ? 'yes' : 'no';
    } else {
      out[path] = Array.isArray(value) ? String(value[value.length - 1] ?? '') : String(value);
    }
  }
  return out;
}

/** The fields a page shows, in page order, each with the id its error summary link targets. */
interface FieldMap {
  order: readonly string[];
  ids: Readonly<Record<string, string>>;
  /** Error paths without a field of their own, shown on the field that asks the question. */
  aliases?: Readonly<Record<string, string>>;
}

/**
 * Error summary items (in the order of the fields on the page, each linking to its field) and
 * the inline messages by field name. Errors for fields the page does not show (e.g. a JSON-only
 * `channel`) are listed without a link rather than dropped.
 */
export function errorModel(
  errors: Record<string, string> | undefined,
  fields: FieldMap,
  language: Language = 'en',
): {
  errorList: { text: string; href?: string }[];
  e: Record<string, { text: string; visuallyHiddenText?: string }>;
} {
  // The "Error:" GOV.UK's error message reads out before each message, in the page's language.
  const hidden = language === 'en' ? {} : { visuallyHiddenText: CATALOGUE[language]['govuk.errorHidden'] };
  const canonical: Record<string, string> = {};
  for (const [path, message] of Object.entries(errors ?? {})) {
    const target = fields.aliases?.[path] ?? path;
    canonical[target] ??= message;
  }
  const rank = (path: string) => {
    const i = fields.order.indexOf(path);
    return i === -1 ? fields.order.length : i;
  };
  const paths = Object.keys(canonical).sort((a, b) => rank(a) - rank(b));
  const e: Record<string, { text: string; visuallyHiddenText?: string }> = {};
  const errorList = paths.map((path) => {
    const text = canonical[path] as string;
    const id = fields.ids[path];
    if (id === undefined) return { text };
    e[path] = { text, ...hidden };
    return { text, href: `#${id}` };
  });
  return { errorList, e };
}

// ---------------------------------------------------------------------------------------------
// GET / — the resident form

/** Form fields of the resident form in page order (names are the JSON body's dotted paths). */
export const RESIDENT_FORM_FIELDS = [
  'kind',
  'service',
  'summary',
  'desiredOutcome',
  'happenedOn',
  'anonymous',
  'complainant.name',
  'complainant.email',
  'complainant.phone',
  'complainant.address',
  'complainant.contactBy',
  'onBehalf',
  'onBehalfOf.name',
  'onBehalfOf.relationship',
  'onBehalfOf.consent',
  'accessibilityNeeds',
] as const;

const RESIDENT_FIELD_MAP: FieldMap = {
  order: RESIDENT_FORM_FIELDS,
  ids: Object.fromEntries(RESIDENT_FORM_FIELDS.map((f) => [f, fieldId(f)])),
  aliases: {
    complainant: 'complainant.name',
    onBehalfOf: 'onBehalf',
    'onBehalfOf.consentNote': 'onBehalfOf.consent',
  },
};

export interface ResidentFormModel {
  policy: Policy;
  /** What the resident sent, nested as parsed or flat by dotted path; re-filled after an error. */
  values?: Record<string, unknown>;
  /** One message per dotted field path, as the intake validation returns them. */
  errors?: Record<string, string>;
  /** Anti-forgery token, sent back in the hidden `csrf` field. */
  csrf?: string;
  /**
   * A problem that is not about any one answer (one of our systems did not answer): shown first
   * in the error summary, above the resident's answers, which are kept for sending again.
   */
  problem?: string;
  /** The page's language (one the policy offers; default English). */
  language?: Language;
}

function safeUrl(url: string | undefined): string | undefined {
  return url && /^https?:\/\//i.test(url) ? url : undefined;
}

/** The resident form: every kind of feedback on one page, posting to `/complaints`. */
export function residentFormPage(model: ResidentFormModel): string {
  const { policy } = model;
  const v = flattenValues(model.values);
  // A body that names a representative answered "yes" even if the radio itself was not sent back.
  if (v.onBehalf === undefined && Object.keys(v).some((k) => k.startsWith('onBehalfOf.'))) v.onBehalf = 'yes';
  const language = model.language ?? 'en';
  // The policy's names in the page's language (its Welsh where it has it, else its English).
  const named = (s: ServiceArea) => ({
    ...s,
    name: serviceNameIn(s, language),
    ...(s.redirect ? { redirect: { ...s.redirect, to: redirectToIn(s, language) as string } } : {}),
  });
  const groups: { directorate: string; services: ServiceArea[] }[] = [];
  for (const service of policy.routing.services) {
    const directorate = directorateIn(service, language);
    let group = groups.find((g) => g.directorate === directorate);
    if (!group) {
      group = { directorate, services: [] };
      groups.push(group);
    }
    group.services.push(named(service));
  }
  const redirectServices = policy.routing.services
    .filter((s) => s.redirect)
    .map((s) => ({
      name: serviceNameIn(s, language),
      redirect: { to: redirectToIn(s, language), url: safeUrl(s.redirect?.url) },
    }));
  const { errorList, e } = errorModel(
    translateFieldErrors(model.errors, model.language ?? 'en'),
    RESIDENT_FIELD_MAP,
    model.language,
  );
  const lang = pageLanguageModel(policy, model.language ?? 'en', '/');
  return renderPage('resident-form', {
    ...lang,
    pageTitle: lang.t('form.title'),
    councilName: policy.council,
    csrf: model.csrf ?? '',
    serviceGroups: groups,
    redirectServices,
    timeLimitMonths: policy.complaint.timeLimitMonths,
    v,
    errorList: model.problem ? [{ text: knownErrorIn(model.problem, language) }, ...errorList] : errorList,
    e,
  });
}

// ---------------------------------------------------------------------------------------------
// POST /complaints — confirmation

export interface ConfirmationModel {
  reference: string;
  kind: CaseKind;
  /** The case's clocks (ISO timestamps); the resident sees the ones that concern them. */
  deadlines: Record<string, IsoTimestamp>;
  councilName: string;
  /** Set when the submission is out of scope: where the resident should go instead. */
  redirect?: string;
  /** A service request, passed to the team of the service it is for: who has it and their mailbox. */
  passedTo?: { team: string; mailbox: string };
  /** The optional equality monitoring questions for this feedback (`equality-routes.ts`). */
  equalityPath?: string;
  /** The signed address of the page to send evidence (photos, letters) for this case. */
  evidenceUrl?: string;
  /** The case's language, and the policy for the language toggle. */
  language?: Language;
  policy?: Pick<Policy, 'languages'>;
}

const PANEL_TITLES: Record<string, string> = {
  complaint: 'Complaint received',
  compliment: 'Compliment received',
  comment: 'Comment received',
  representation: 'Concern received',
  'social-care': 'Complaint received',
};

const AFTER_TEXT: Record<string, string> = {
  complaint:
    'If you are not happy with our response, you can ask us to look at your complaint again. We will tell you how when we reply.',
  'social-care':
    'We will contact you to understand your complaint and agree with you how and when we will respond.',
  compliment: 'We will pass your compliment on to the service and to anyone you named.',
  comment: 'We read every comment and use them to improve our services.',
  representation:
    'We will pass your concern to the people who make this policy and tell you how it has been considered.',
};

/** The page a resident sees after sending the form: reference, what happens next, or where to go instead. */
export function confirmationPage(model: ConfirmationModel): string {
  if (model.language === 'cy') return welshConfirmationPage(model);
  const nextSteps = Object.keys(RESIDENT_DEADLINE_TEXT)
    .filter((key) => model.deadlines[key])
    .map((key) => ({ text: RESIDENT_DEADLINE_TEXT[key], date: formatDate(model.deadlines[key] as string) }));
  return renderPage('confirmation', {
    ...pageLanguageModel(model.policy, 'en'),
    pageTitle: model.redirect ? 'Feedback recorded' : (PANEL_TITLES[model.kind] ?? 'Feedback received'),
    councilName: model.councilName,
    panelTitle: model.redirect ? 'Feedback recorded' : (PANEL_TITLES[model.kind] ?? 'Feedback received'),
    reference: model.reference,
    kindText: kindName(model.kind),
    redirect: model.redirect,
    passedTo: model.passedTo,
    nextSteps,
    afterText: AFTER_TEXT[model.kind] ?? '',
    equalityPath: model.equalityPath,
    evidenceUrl: model.evidenceUrl,
  });
}

/** The confirmation in Welsh, from the catalogue (`i18n.ts`): the same page, the same facts. */
function welshConfirmationPage(model: ConfirmationModel): string {
  const lang = pageLanguageModel(model.policy, 'cy');
  const { t } = lang;
  const known = (key: string): key is MessageKey => key in CATALOGUE.en;
  const panelKey = `confirm.panel.${model.kind}`;
  const panelTitle = model.redirect
    ? t('confirm.panel.recorded')
    : known(panelKey)
      ? t(panelKey)
      : t('confirm.panel.received');
  const nextSteps = Object.keys(RESIDENT_DEADLINE_TEXT)
    .filter((key) => model.deadlines[key])
    .map((key) => ({
      text: t(`confirm.deadline.${key}` as MessageKey),
      date: formatDateCy(model.deadlines[key] as string),
    }));
  const kindKey = `kind.${model.kind}`;
  const afterKey = `confirm.after.${model.kind}`;
  return renderPage('confirmation', {
    ...lang,
    pageTitle: panelTitle,
    councilName: model.councilName,
    panelTitle,
    reference: model.reference,
    kindText: known(kindKey) ? t(kindKey) : model.kind,
    redirect: model.redirect,
    passedTo: model.passedTo,
    nextSteps,
    afterText: known(afterKey) ? t(afterKey) : '',
    equalityPath: model.equalityPath,
    evidenceUrl: model.evidenceUrl,
  });
}

// ---------------------------------------------------------------------------------------------
// GET /tasks/{token} — the officer's task

/**
 * What an officer's task page shows: enough of the case to decide, no more personal data than
 * the work needs (a name to address the reply; the phone and postal address to call or post a letter).
 */
export interface TaskView {
  taskName: TaskName;
  reference: string;
  kind: CaseKind;
  stage?: Stage;
  serviceName?: string;
  directorate?: string;
  receivedAt: IsoTimestamp;
  /** Staff gave a date with no time: the page shows the date alone. */
  receivedDateOnly?: boolean;
  channel?: string;
  /** The resident's own words. */
  summary: string;
  desiredOutcome?: string;
  /** Name to address the reply to; absent when anonymous. */
  complainantName?: string;
  /**
   * How to reach the resident, for the officer (a call, or to post a printed letter): shown on
   * officers' tasks, never on the resident's own page.
   */
  contact?: { phone?: string; address?: string; lettersBy: 'email' | 'post' };
  anonymous?: boolean;
  onBehalfOf?: { name: string; relationship?: string; consent: boolean };
  accessibilityNeeds?: string;
  /**
   * The case's clocks that run now. On a task of stage 2 (or the decision on a request for it)
   * these are stage 2's and any wait's, never stage 1's, which are in `stage1`.
   */
  deadlines: Record<string, IsoTimestamp>;
  /** When this task is due. */
  deadline?: IsoTimestamp;
  /**
   * On the response task, once a holding letter has gone: the later date it gave the resident,
   * which an extension may not come before.
   */
  residentToldBy?: IsoTimestamp;
  /** On a task of stage 2 (or the decision on a request for it): what happened at stage 1, and when it was due. */
  stage1?: Stage1History;
  /** On the same tasks: when stage 2 was asked for, and acknowledged (its deadline is then no longer shown). */
  stage2?: { requestedAt?: IsoTimestamp; acknowledgedAt?: IsoTimestamp };
  /**
   * The decisions offered, in order; default: all of the task form's. Values must be decisions
   * of `TASK_FORMS[taskName]`; a label or hint given here replaces the form's.
   */
  decisions?: { value: string; label?: string; hint?: string }[];
  /** Upper bounds of number fields, e.g. `{ extendDays: 10 }` from the policy's extension cap. */
  limits?: Record<string, number>;
  /** Radio options from the policy, by field name (e.g. the stage-2 grounds). */
  choices?: Record<string, readonly { value: string; label: string; hint?: string }[]>;
  /** Fields the policy makes optional (`TaskFormOptions.optional`): shown as "(optional)". */
  optional?: readonly string[];
  /** Earlier steps the officer needs to see (stage-2 grounds, the current plan, …). */
  history?: { label: string; text: string }[];
  councilName?: string;
}

/** Stage 1 of a complaint that went on to stage 2: its dates, for the record, not to act on. */
export interface Stage1History {
  acknowledgedAt?: IsoTimestamp;
  acknowledgeBy?: IsoTimestamp;
  respondedAt?: IsoTimestamp;
  respondBy?: IsoTimestamp;
  /** Until when the resident could ask for stage 2. */
  requestBy?: IsoTimestamp;
}

export interface TaskPageModel {
  task: TaskView;
  csrf: string;
  errors?: Record<string, string>;
  values?: Record<string, unknown>;
  /** Form action; default: post back to the page's own URL (the signed link). */
  action?: string;
  /**
   * The reader's language: a resident's own task (the request for a review) in Welsh when the
   * case is; officers' tasks are in English.
   */
  language?: Language;
}

function taskDecisions(task: TaskView): TaskDecision[] {
  const chosen = task.decisions;
  const all = effectiveDecisions(task.taskName, {
    ...(chosen ? { allowed: chosen.map((d) => d.value) } : {}),
    ...(task.limits ? { max: task.limits } : {}),
    ...(task.choices ? { choices: task.choices } : {}),
    ...(task.optional ? { optional: task.optional } : {}),
  });
  if (!chosen) return all;
  return chosen.flatMap((c) => {
    const d = all.find((x) => x.value === c.value);
    if (!d) return [];
    return [{ ...d, label: c.label ?? d.label, ...(c.hint !== undefined ? { hint: c.hint } : {}) }];
  });
}

/** A postal address on one line, however the resident typed it. */
function addressText(address: string): string {
  return address
    .split(/\r?\n/)
    .map((l) => l.trim().replace(/,$/, ''))
    .filter(Boolean)
    .join(', ');
}

function row(key: string, value: string | undefined): { key: { text: string }; value: { text: string } }[] {
  return value === undefined || value === '' ? [] : [{ key: { text: key }, value: { text: value } }];
}

function kindWithStage(kind: CaseKind, stage: Stage | undefined): string {
  const name = kindName(kind);
  const text = name.charAt(0).toUpperCase() + name.slice(1);
  return kind === 'complaint' && stage ? `${text}, stage ${stage}` : text;
}

/** The officer's task page: the case summary and the task's form, posting back to the same link. */
export function taskPage(model: TaskPageModel): string {
  // The resident's own page speaks to them, in their language: never the officers' case summary.
  if (model.task.taskName === 'stage-2-request') return residentReviewPage(model, model.language ?? 'en');
  const { task } = model;
  // A complaint's stage 2 is a review of the stage-1 response: its tasks say so.
  const form = taskFormAt(task.taskName, task.kind === 'complaint' ? task.stage : undefined);
  const decisions = taskDecisions(task);
  const names = [
    ...(decisions.length > 1 ? ['decision'] : []),
    ...decisions.flatMap((d) => d.fields.map((f) => f.name)),
    ...form.fields.map((f) => f.name),
  ];
  const fieldMap: FieldMap = { order: names, ids: Object.fromEntries(names.map((n) => [n, n])) };
  const from = task.anonymous ? 'Anonymous' : task.complainantName;
  const onBehalf = task.onBehalfOf
    ? `${task.onBehalfOf.name}${task.onBehalfOf.relationship ? ` (${task.onBehalfOf.relationship})` : ''}, consent ${task.onBehalfOf.consent ? 'given' : 'not recorded'}`
    : undefined;
  const caseRows = [
    ...row('Reference', task.reference),
    ...row('Type', kindWithStage(task.kind, task.stage)),
    ...row('Service', task.serviceName ?? 'Not given'),
    ...row('Directorate', task.directorate),
    ...row('Received', formatReceived(task)),
    ...row('How it came in', task.channel ? humanise(task.channel) : undefined),
    ...row('From', from),
    ...row('Phone', task.contact?.phone),
    ...row('Postal address', task.contact?.address),
    ...row('Letters go by', task.contact ? task.contact.lettersBy : undefined),
    ...row('On behalf of', onBehalf),
    ...row('Accessibility needs', task.accessibilityNeeds),
    ...row('Stage 2 asked for', task.stage2?.requestedAt ? formatDate(task.stage2.requestedAt) : undefined),
    ...row(
      'Stage 2 acknowledged',
      task.stage2?.acknowledgedAt ? formatDate(task.stage2.acknowledgedAt) : undefined,
    ),
    ...deadlineRows(task.deadlines, task.kind),
    ...row(
      'Resident told to expect it by',
      task.residentToldBy ? formatDate(task.residentToldBy) : undefined,
    ),
  ];
  const textBlocks = [
    { label: 'What the resident told us', text: task.summary },
    ...(task.desiredOutcome ? [{ label: 'What they would like us to do', text: task.desiredOutcome }] : []),
    ...(task.history ?? []),
  ];
  const v = flattenValues(model.values);
  return renderPage('task', {
    pageTitle: `${form.title} – ${task.reference}`,
    councilName: task.councilName ?? DEFAULT_COUNCIL,
    task,
    form,
    decisions,
    csrf: model.csrf,
    // One per page shown: a decision that records something and leaves the task open (a
    // conversation with the resident) records it once for this id, however often the form is sent.
    formId: formIdOf(model.values),
    action: model.action,
    deadlineText: task.deadline ? formatDate(task.deadline) : undefined,
    caseRows,
    ...(task.stage1 ? { stage1Rows: stage1Rows(task.stage1) } : {}),
    textBlocks,
    v,
    ...errorModel(model.errors, fieldMap),
  });
}

/**
 * A case's clocks as rows, in the order of `DEADLINE_LABELS` (a stored map has no order of its own).
 * A compliment's acknowledgement clock is the service's to pass it on by: its thanks went when it came.
 */
function deadlineRows(deadlines: Record<string, IsoTimestamp>, kind?: CaseKind): ReturnType<typeof row> {
  const order = Object.keys(DEADLINE_LABELS);
  const label = (key: string) =>
    kind === 'compliment' && key === 'acknowledgeBy' ? 'Pass on to staff by' : deadlineLabel(key);
  return Object.entries(deadlines)
    .sort(([a], [b]) => (order.indexOf(a) + 1 || 99) - (order.indexOf(b) + 1 || 99))
    .flatMap(([key, iso]) => row(label(key), formatDate(iso)));
}

/** Stage 1's rows: what was done and when it was due, or that it was not recorded. */
function stage1Rows(stage1: Stage1History): ReturnType<typeof row> {
  const done = (at: IsoTimestamp | undefined, due: IsoTimestamp | undefined) => {
    if (!at && !due) return undefined;
    const when = at ? formatDate(at) : 'Not recorded';
    return due ? `${when} (due by ${formatDate(due)})` : when;
  };
  return [
    ...row('Acknowledged', done(stage1.acknowledgedAt, stage1.acknowledgeBy)),
    ...row('Response sent', done(stage1.respondedAt, stage1.respondBy)),
    ...row('Stage 2 could be asked for until', stage1.requestBy ? formatDate(stage1.requestBy) : undefined),
  ];
}

/**
 * The resident's request for a review (`stage-2-request`) in their language, from the catalogue
 * (the Welsh is a DRAFT): the task's form and fields, with only the rows a resident is shown.
 */
function residentReviewPage(model: TaskPageModel, language: Language): string {
  const { task } = model;
  const lang = pageLanguageModel(undefined, language);
  const date = language === 'cy' ? formatDateCy : formatDate;
  const received = language === 'cy' ? formatReceivedCy : formatReceived;
  const { t } = lang;
  const english = TASK_FORMS[task.taskName];
  const form = {
    ...english,
    title: t('review.title'),
    intro: t('review.intro'),
    question: t('review.question'),
    submitText: t('review.submit'),
  };
  const decisions = taskDecisions(task).map((d) => ({
    ...d,
    fields: d.fields.map((f) =>
      f.name === 'grounds'
        ? { ...f, label: t('review.grounds') }
        : f.name === 'response'
          ? { ...f, label: t('review.response.label'), hint: t('review.response.hint') }
          : f,
    ),
  }));
  const names = [
    ...(decisions.length > 1 ? ['decision'] : []),
    ...decisions.flatMap((d) => d.fields.map((f) => f.name)),
  ];
  const fieldMap: FieldMap = { order: names, ids: Object.fromEntries(names.map((n) => [n, n])) };
  const kindKey = `kind.${task.kind}`;
  const kindText = kindKey in CATALOGUE.en ? t(kindKey as MessageKey) : task.kind;
  const caseRows = [
    ...row(t('review.row.reference'), task.reference),
    ...row(
      t('review.row.type'),
      task.kind === 'complaint' && task.stage
        ? t('review.typeStage', { stage: task.stage })
        : kindText.charAt(0).toUpperCase() + kindText.slice(1),
    ),
    ...row(t('review.row.service'), task.serviceName ?? t('review.serviceNotGiven')),
    ...row(t('review.row.received'), received(task)),
    ...row(t('review.row.from'), task.anonymous ? undefined : task.complainantName),
  ];
  const ourResponse = /^Our stage 1 response/;
  const textBlocks = [
    { label: t('review.yourWords'), text: task.summary },
    ...(task.desiredOutcome ? [{ label: t('review.yourOutcome'), text: task.desiredOutcome }] : []),
    ...(task.history ?? [])
      .filter((h) => ourResponse.test(h.label))
      // In English with its outcome, as the history words it; the Welsh names the response alone.
      .map((h) => ({ label: language === 'en' ? h.label : t('review.ourResponse'), text: h.text })),
  ];
  return renderPage('task', {
    ...lang,
    pageTitle: `${form.title} – ${task.reference}`,
    councilName: task.councilName ?? DEFAULT_COUNCIL,
    task,
    form,
    decisions,
    csrf: model.csrf,
    action: model.action,
    deadlineText: task.deadline ? date(task.deadline) : undefined,
    doByText: task.deadline ? t('review.doBy', { date: date(task.deadline) }) : undefined,
    warningText: t('review.warning'),
    caseHeading: t('review.case'),
    caseRows,
    textBlocks,
    v: flattenValues(model.values),
    ...errorModel(translateFieldErrors(model.errors, language), fieldMap, language),
  });
}

/** Which clock a task is due by, when the caller does not say. */
const TASK_DEADLINE_KEYS: Partial<Record<TaskName, string>> = {
  acknowledge: 'acknowledgeBy',
  respond: 'respondBy',
  'stage-2-decision': 'stage2DecisionBy',
  'confirm-exclusion': 'confirmExclusionBy',
  'referral-check': 'referralCheckBy',
  consent: 'consentBy',
  'anonymous-review': 'anonymousReviewBy',
  'nominated-contact': 'nominatedContactBy',
  'vexatious-decision': 'vexatiousDecisionBy',
  resume: 'pauseReviewBy',
  'sign-off': 'signOffBy',
  'compliment-pass-on': 'acknowledgeBy',
  'comment-reply': 'replyBy',
  'representation-feedback': 'feedbackBy',
  'social-care-plan': 'respondBy',
};

/** The clocks each complaint stage has; stage 2's are stored with a `stage2` prefix (`stage2RespondBy`). */
const STAGE_CLOCKS = ['acknowledgeBy', 'respondBy', 'remindAt', 'extensionLimit'];

function stage2Key(key: string): string {
  return `stage2${key.charAt(0).toUpperCase()}${key.slice(1)}`;
}

/**
 * A case that has gone on to stage 2, its clocks split: those that run now (stage 2's, but its
 * acknowledgement's once done, and any wait's) and stage 1's, with what was done at stage 1.
 */
function splitStage1(record: CaseRecord): {
  current: Record<string, IsoTimestamp>;
  stage1: Stage1History;
  stage2: NonNullable<TaskView['stage2']>;
} {
  const { stage1: s1, stage2: s2 } = record.progress;
  const d = record.deadlines;
  const past = new Set([
    ...STAGE_CLOCKS,
    'stage2RequestBy',
    ...(s2?.acknowledgedAt ? ['stage2AcknowledgeBy'] : []),
  ]);
  const current = Object.fromEntries(Object.entries(d).filter(([key]) => !past.has(key)));
  const stage1: Stage1History = {
    ...(s1.acknowledgedAt ? { acknowledgedAt: s1.acknowledgedAt } : {}),
    ...(d.acknowledgeBy ? { acknowledgeBy: d.acknowledgeBy } : {}),
    ...(s1.respondedAt ? { respondedAt: s1.respondedAt } : {}),
    ...(d.respondBy ? { respondBy: d.respondBy } : {}),
    ...(d.stage2RequestBy ? { requestBy: d.stage2RequestBy } : {}),
  };
  const stage2 = {
    ...(s2?.startedAt ? { requestedAt: s2.startedAt } : {}),
    ...(s2?.acknowledgedAt ? { acknowledgedAt: s2.acknowledgedAt } : {}),
  };
  return { current, stage1, stage2 };
}

/**
 * What the answer to feedback that has no stages is headed on the case page: a comment's reply in
 * full, a representation's feedback (a unitary council's Customer Feedback Procedure, sections 6.2
 * and 5.1), a compliment's reply, if its service wrote one. A complaint's is its stage 1 response.
 */
const ANSWER_LABELS: Partial<Record<CaseKind, string>> = {
  comment: 'Our reply',
  representation: 'Our feedback',
  compliment: 'Our reply to the resident',
};

/** What earlier steps of the case an officer needs to see on a task. */
function caseHistory(
  record: CaseRecord,
  policy?: Policy,
  forStaff = true,
): { label: string; text: string }[] {
  // The resident chose grounds by their label: show the label, not the id stored.
  const groundLabel = (id: string) => policy?.complaint.stage2?.grounds.find((g) => g.id === id)?.label ?? id;
  const out: { label: string; text: string }[] = [];
  // What the acknowledgement told the resident we understood, so the response answers that
  // (staff pages only: the resident has it in their own words, in their acknowledgement).
  const understood = record.progress?.stage1.understanding;
  if (forStaff && understood) {
    out.push({
      label: 'Our understanding of the complaint, as the acknowledgement told the resident',
      text: understood,
    });
  }
  const stage1 = record.progress?.stage1.response;
  if (stage1?.reasons) {
    const outcome = stage1.outcome ? ` (${humanise(stage1.outcome).toLowerCase()})` : '';
    out.push({ label: ANSWER_LABELS[record.kind] ?? `Our stage 1 response${outcome}`, text: stage1.reasons });
  }
  const stage2 = record.progress?.stage2;
  if (stage2?.grounds?.length || stage2?.groundsText) {
    const text = [stage2.grounds?.map(groundLabel).join('; '), stage2.groundsText].filter(Boolean).join('. ');
    out.push({ label: 'Why the resident asked for stage 2', text });
  }
  if (forStaff && stage2?.understanding) {
    out.push({
      label: 'At stage 2, our understanding of what they want reviewed, as the acknowledgement told them',
      text: stage2.understanding,
    });
  }
  if (record.plan) {
    out.push({
      label: `The agreed resolution plan (${record.plan.agreedWorkingDays} working days)`,
      text: record.plan.text,
    });
  }
  return out;
}

/**
 * Builds the task page's view of a case: what the officer needs and nothing more. With the
 * policy it names the service and caps an extension (leaving out `extend` when none is allowed).
 */
export function taskViewFromCase(
  record: CaseRecord,
  taskName: TaskName,
  options: { policy?: Policy; deadline?: IsoTimestamp } = {},
): TaskView {
  const { policy } = options;
  const service = policy?.routing.services.find((s) => s.id === record.service);
  const view: TaskView = {
    taskName,
    reference: record.reference,
    kind: record.kind,
    stage: record.stage,
    receivedAt: record.receivedAt,
    ...(record.receivedDateOnly ? { receivedDateOnly: true } : {}),
    channel: record.channel,
    summary: record.summary,
    anonymous: record.anonymous,
    deadlines: record.deadlines,
  };
  const stage2 = record.kind === 'complaint' && (record.stage === 2 || taskName === 'stage-2-decision');
  if (stage2 && record.progress?.stage2 && TASK_AUDIENCE[taskName] !== 'resident') {
    const { current, stage1, stage2: facts } = splitStage1(record);
    view.deadlines = current;
    view.stage1 = stage1;
    view.stage2 = facts;
  }
  const key = TASK_DEADLINE_KEYS[taskName] ?? '';
  // Acknowledging and responding at stage 2 are due by stage 2's clocks.
  const stageKey = record.stage === 2 && STAGE_CLOCKS.includes(key) ? stage2Key(key) : key;
  const deadline = options.deadline ?? record.deadlines[stageKey];
  if (deadline) view.deadline = deadline;
  // The resident's own pages name the service in the case's language; officers read English.
  if (service)
    view.serviceName =
      TASK_AUDIENCE[taskName] === 'resident' ? serviceNameIn(service, caseLanguage(record)) : service.name;
  else if (record.service) view.serviceName = record.service;
  if (record.directorate ?? service?.directorate)
    view.directorate = record.directorate ?? service?.directorate;
  if (record.desiredOutcome) view.desiredOutcome = record.desiredOutcome;
  if (!record.anonymous && record.complainant.name) view.complainantName = record.complainant.name;
  if (!record.anonymous && TASK_AUDIENCE[taskName] !== 'resident') {
    // Phone and address, to call or to post a letter; the email address the workflow uses itself.
    const { phone, address } = record.complainant;
    view.contact = {
      ...(phone ? { phone } : {}),
      ...(address ? { address: addressText(address) } : {}),
      lettersBy: wantsPost(record) ? 'post' : 'email',
    };
  }
  if (record.onBehalfOf) {
    view.onBehalfOf = {
      name: record.onBehalfOf.name,
      consent: record.onBehalfOf.consent,
      ...(record.onBehalfOf.relationship ? { relationship: record.onBehalfOf.relationship } : {}),
    };
  }
  if (record.accessibilityNeeds) view.accessibilityNeeds = record.accessibilityNeeds;
  const history = caseHistory(record, policy, TASK_AUDIENCE[taskName] !== 'resident');
  if (taskName === 'confirm-exclusion' || taskName === 'referral-check') {
    history.unshift({
      label: 'Why it was not treated as a complaint',
      text: record.triage.reasons.join(' '),
    });
    if (record.triage.redirect)
      history.push({ label: `What the resident was told${inWelsh(record)}`, text: record.triage.redirect });
  }
  const referral = taskName === 'referral-check' && policy ? referralOf(policy, record) : undefined;
  if (referral?.mailbox) {
    // Who to ask: the team and the address the referral was emailed to.
    history.unshift({ label: 'Passed to', text: `${referral.team} (${referral.mailbox})` });
  }
  if (record.happenedOn) {
    const late = policy && isOutOfTime(policy, record);
    history.push({
      label: 'When it happened, or the resident found out',
      text: late
        ? `${formatDate(record.happenedOn)}. That is more than ${policy.complaint.timeLimitMonths} months before we received the complaint: decide whether to investigate it anyway (if there is a good reason it was not made sooner) or not.`
        : formatDate(record.happenedOn),
    });
  }
  const designation = record.designation;
  if (taskName === 'vexatious-decision' && designation && designation.liftedAt === undefined) {
    // Said before the decision, not only when "Do not designate" is refused for it.
    history.unshift({
      label: 'The complainant is already designated',
      text: `Designated ${formatDate(designation.at)} by ${designation.by}, to be reviewed by ${formatDate(`${designation.reviewBy}T12:00:00Z`)}. “Do not designate” does not lift it: to lift it, use “Review the designation” on the case page in the staff workspace.`,
    });
  }
  const reopened = record.reopenings?.at(-1);
  if (reopened && TASK_AUDIENCE[taskName] !== 'resident') {
    // Written for colleagues: officers' pages only, never the resident's.
    history.push({
      label: 'Why it was reopened',
      text: `Reopened ${formatDate(reopened.at)} by ${reopened.by}: ${reopened.reason}`,
    });
  }
  if (history.length) view.history = history;
  if (policy) {
    view.councilName = policy.council;
    if (taskName === 'respond' && record.kind === 'complaint') {
      // The cap is for the stage as a whole: extensions already granted count against it.
      const room = extensionRoom(policy, record);
      const told = residentToldBy(policy, record);
      if (told) view.residentToldBy = told;
      const cannot = extensionCannotReachTold(room);
      // Said before the officer tries, not by refusing each number in turn.
      if (cannot) view.history = [...(view.history ?? []), { label: 'Why you cannot extend', text: cannot }];
      if (room.left > 0 && !cannot) view.limits = { extendDays: room.left };
      else
        view.decisions = TASK_FORMS.respond.decisions
          .filter((d) => d.value !== 'extend')
          .map((d) => ({ value: d.value }));
    }
  }
  return view;
}

// ---------------------------------------------------------------------------------------------
// Short pages: done, link problems, errors

export interface TaskDonePageModel {
  /** What happened, e.g. "The resident has been sent your response." */
  message: string;
  title?: string;
  reference?: string;
  councilName?: string;
  /** The task is still open (something recorded on it): a link back to its form. */
  backTo?: string;
}

/** After an officer's POST succeeded (the page its redirect shows). */
export function taskDonePage(model: TaskDonePageModel): string {
  const heading = model.title ?? 'Decision recorded';
  return renderPage('message', {
    pageTitle: heading,
    councilName: model.councilName ?? DEFAULT_COUNCIL,
    heading,
    panel: true,
    paragraphs: [
      model.message,
      ...(model.reference ? [`It is recorded on case ${model.reference}.`] : []),
      model.backTo
        ? 'The task is still open.'
        : 'You can close this page. We will email you if there is anything else to do on this case.',
    ],
    links: model.backTo ? [{ href: model.backTo, text: 'Go back to the task' }] : [],
  });
}

/**
 * The resident's page after asking for a review (the page the request redirects to), in their
 * language: not the officers' "Decision recorded". Welsh is DRAFT WELSH.
 */
export function reviewDonePage(reference: string, language: Language, councilName?: string): string {
  const lang = pageLanguageModel(undefined, language);
  const { t } = lang;
  const heading = t('review.done.heading');
  return renderPage('message', {
    ...lang,
    pageTitle: heading,
    councilName: councilName ?? DEFAULT_COUNCIL,
    heading,
    panel: true,
    paragraphs: [t('review.done.p1'), t('review.done.p2', { reference }), t('review.done.p3')],
  });
}

/**
 * A resident's request for a review sent through their emailed link when one had just been
 * recorded (from "Check your complaint"), saying more than it: told so, with what they wrote to
 * send us another way (the words of the status page's banner).
 */
export function reviewAskedBeforePage(model: {
  reference: string;
  words: string;
  language: Language;
  contact: string;
  councilName?: string;
}): string {
  const lang = pageLanguageModel(undefined, model.language);
  const { t } = lang;
  const heading = t('status.review.before.heading');
  return renderPage('message', {
    ...lang,
    pageTitle: heading,
    councilName: model.councilName ?? DEFAULT_COUNCIL,
    heading,
    paragraphs: [
      t('status.review.before.text'),
      ...(model.words ? [t('status.review.before.add', { reference: model.reference }), model.words] : []),
    ],
    contact: model.contact,
    reference: model.reference,
  });
}

export interface LinkProblemPageModel {
  status: 403 | 404 | 409 | 410;
  /** Complaints team mailbox to contact. */
  contact?: string;
  reference?: string;
  /** 409: who did the task and when, when known. */
  doneBy?: string;
  /** 409: the task has not opened yet (the link was followed the moment its email came). */
  notYet?: true;
  /**
   * 409: the task opens again after the link's decision (an extension) under a new link, and what
   * was sent through this one was not recorded (`unsent`), or it was only opened (`replaced`).
   */
  unsent?: true;
  replaced?: true;
  doneAt?: IsoTimestamp;
  councilName?: string;
  /** The reader's language (a resident's stage-2 link in Welsh); default English. */
  language?: Language;
}

/** Said beside what a Welsh case was told, which staff pages show as the resident read it. */
function inWelsh(record: Pick<CaseRecord, 'language'>): string {
  return record.language === 'cy' ? ' (in Welsh)' : '';
}

/** Whom a used link names as having done its task: an officer, not the resident reading it. */
function officerWho(doneBy: string | undefined): boolean {
  return doneBy !== undefined && doneBy !== '' && doneBy !== 'resident';
}

/** Tampered/unknown (403, 404), already used (409) or expired (410) task links. */
export function linkProblemPage(model: LinkProblemPageModel): string {
  if (model.notYet || model.unsent || model.replaced) return notYetPage(model);
  if (model.language === 'cy') return welshLinkProblemPage(model);
  let heading: string;
  let paragraphs: string[];
  switch (model.status) {
    case 409: {
      heading = 'This task has already been done';
      const who = officerWho(model.doneBy) ? ` by ${model.doneBy}` : '';
      const when = model.doneAt ? ` on ${formatDateTime(model.doneAt)}` : '';
      paragraphs = [
        who || when
          ? `This task was done${who}${when}. Each link can only be used once.`
          : 'Someone has already acted on this link. Each link can only be used once.',
        'You do not need to do anything else. If the case needs more from you, we will email you a new link.',
      ];
      break;
    }
    case 410:
      heading = 'This link has expired';
      paragraphs = [
        'Links in our emails only work for a limited time, to keep cases safe.',
        'Check your inbox for a newer email about this case: reminders carry a new link. If you cannot find one, ask the complaints team to send it again.',
      ];
      break;
    default:
      heading = 'This link is not valid';
      paragraphs = [
        'The link may have been copied wrongly or changed. Check you used the whole link from the email.',
        'If it still does not work, ask the complaints team to send you a new link.',
      ];
  }
  return renderPage('message', {
    pageTitle: heading,
    councilName: model.councilName ?? DEFAULT_COUNCIL,
    heading,
    paragraphs,
    contact: model.contact,
    reference: model.reference,
  });
}

/** The link-problem page in Welsh, from the catalogue. */
/**
 * A link followed before its task opened: try again in a minute, in the reader's language. A link
 * whose task opens again under a new link after its decision (an extension) says to use the new
 * link, and, when a decision was sent through it (`unsent`), that it was not recorded.
 */
function notYetPage(model: LinkProblemPageModel): string {
  const lang = pageLanguageModel(undefined, model.language ?? 'en');
  const kind = model.unsent ? 'unsent' : model.replaced ? 'replaced' : 'notYet';
  const heading = lang.t(`link.${kind}.heading`);
  const paragraphs = [lang.t(`link.${kind}.p1`), lang.t(`link.${kind}.p2`)];
  return renderPage('message', {
    ...lang,
    pageTitle: heading,
    councilName: model.councilName ?? DEFAULT_COUNCIL,
    heading,
    paragraphs,
    contact: model.contact,
    reference: model.reference,
  });
}

function welshLinkProblemPage(model: LinkProblemPageModel): string {
  const lang = pageLanguageModel(undefined, 'cy');
  const { t } = lang;
  const status = model.status === 409 || model.status === 410 ? model.status : 403;
  const heading = t(`link.${status}.heading`);
  const paragraphs =
    status === 409
      ? [
          model.doneAt || officerWho(model.doneBy)
            ? t('link.409.done', {
                doneBy: officerWho(model.doneBy) ? t('link.409.doneBy', { who: model.doneBy as string }) : '',
                doneAt: model.doneAt ? t('link.409.doneAt', { when: formatDateTimeCy(model.doneAt) }) : '',
              })
            : t('link.409.p1'),
          t('link.409.p2'),
        ]
      : [t(`link.${status}.p1`), t(`link.${status}.p2`)];
  return renderPage('message', {
    ...lang,
    pageTitle: heading,
    councilName: model.councilName ?? DEFAULT_COUNCIL,
    heading,
    paragraphs,
    contact: model.contact,
    reference: model.reference,
  });
}

/**
 * 500: nothing about what failed, only what to do. `paragraphs` replace the default when the
 * service knows more, e.g. that an officer's decision was saved and the link is to be used again
 * (in Welsh, their Welsh from `WELSH_ERROR_MESSAGES`).
 */
export function errorPage(
  model: { contact?: string; councilName?: string; paragraphs?: string[]; language?: Language } = {},
): string {
  const language = model.language ?? 'en';
  const lang = pageLanguageModel(undefined, language);
  return renderPage('message', {
    ...lang,
    pageTitle: lang.t('error.heading'),
    councilName: model.councilName ?? DEFAULT_COUNCIL,
    heading: lang.t('error.heading'),
    paragraphs: model.paragraphs?.map((p) => errorMessageIn(p, language, 'error.p1')) ?? [
      lang.t('error.p1'),
      lang.t('error.p2'),
    ],
    contact: model.contact,
  });
}

/**
 * A problem the person can put right (a form that expired, a request the page did not expect):
 * the error's message and what to do, in the page's language.
 */
export function problemPage(model: {
  message: string;
  /** More about what to put right (a rejected field's message), shown after the message. */
  details?: string[];
  councilName?: string;
  language?: Language;
}): string {
  const language = model.language ?? 'en';
  const lang = pageLanguageModel(undefined, language);
  const paragraphs = [model.message, ...(model.details ?? [])].map((p) =>
    errorMessageIn(p, language, 'problem.other'),
  );
  return renderPage('message', {
    ...lang,
    pageTitle: lang.t('problem.heading'),
    councilName: model.councilName ?? DEFAULT_COUNCIL,
    heading: lang.t('problem.heading'),
    // A Welsh page says its general message once, however many English ones it stood for.
    paragraphs: [...new Set(paragraphs)],
  });
}

export interface UnavailablePageModel {
  /** What did not happen and what to do, as `httpErrorOf` worded it for the request. */
  message: string;
  /**
   * The fields of the form that was posted, by name: sent again as they were, from hidden
   * inputs, when the person selects "Try again". Absent when the page was only being read.
   */
  resend?: Record<string, string>;
  /** The address to load again when the page was only being read (path and query). */
  reload?: string;
  councilName?: string;
  /** The page's language (the page the person was on); default English. */
  language?: Language;
}

/**
 * 503 when one of our systems did not answer: what did not happen, and a "Try again" that loses
 * nothing (the same answers posted again, or the same page loaded again).
 */
export function unavailablePage(model: UnavailablePageModel): string {
  const language = model.language ?? 'en';
  const lang = pageLanguageModel(undefined, language);
  const paragraphs = [errorMessageIn(model.message, language, 'unavailable.other')];
  if (model.resend) paragraphs.push(lang.t('unavailable.resend'));
  return renderPage('message', {
    ...lang,
    pageTitle: lang.t('error.heading'),
    councilName: model.councilName ?? DEFAULT_COUNCIL,
    heading: lang.t('error.heading'),
    paragraphs,
    resend: model.resend,
    reload: model.resend ? undefined : model.reload,
  });
}

/** 404 for any unknown address. */
export function notFoundPage(model: { councilName?: string; language?: Language } = {}): string {
  const lang = pageLanguageModel(undefined, model.language ?? 'en');
  return renderPage('message', {
    ...lang,
    pageTitle: lang.t('notFound.heading'),
    councilName: model.councilName ?? DEFAULT_COUNCIL,
    heading: lang.t('notFound.heading'),
    paragraphs: [lang.t('notFound.p1'), lang.t('notFound.p2')],
  });
}

/** The staff workspace's address: its error pages lead back there. */
const WORKSPACE_PATH = `${BASE_PATH}/staff`;

/** What a workspace error page says, by status: the heading and, where the error has none, what happened. */
function workspaceProblem(status: number): { heading: string; paragraphs: string[] } {
  if (status === 404)
    return { heading: 'Page not found', paragraphs: ['Check the address or the case reference.'] };
  if (status === 403)
    return { heading: 'You cannot do this', paragraphs: ['Ask the complaints team if you need to.'] };
  if (status === 413) return { heading: 'What you sent is too long', paragraphs: [] };
  if (status >= 500)
    return { heading: 'Sorry, there is a problem with the service', paragraphs: ['Try again later.'] };
  return { heading: 'There is a problem', paragraphs: [] };
}

/**
 * An error under `/staff` (a case that is not there, an action the person may not take, a
 * failure): in the workspace's layout with a link back to its work queue. `chrome` is the
 * workspace's header for the signed-in person (`staff-pages.ts`); without it, the page shows
 * the workspace's header alone (the error came before, or without, the sign-in).
 */
export function workspaceProblemPage(model: {
  status: number;
  /** What happened, for people: the error's message (none for a failure, whose detail is not shown). */
  message?: string;
  details?: string[];
  councilName?: string;
  chrome?: Record<string, unknown>;
  /** The page the person came from, when it is known (the case a form was on): a link back to it. */
  back?: { href: string; text: string };
}): string {
  const problem = workspaceProblem(model.status);
  const said =
    model.message && model.message !== problem.heading ? [model.message, ...(model.details ?? [])] : [];
  return renderPage('staff-message', {
    councilName: model.councilName ?? DEFAULT_COUNCIL,
    serviceName: 'Complaints workspace',
    serviceUrl: WORKSPACE_PATH,
    staffPath: WORKSPACE_PATH,
    ...model.chrome,
    pageTitle: problem.heading,
    heading: problem.heading,
    paragraphs: said.length ? said : problem.paragraphs,
    ...(model.back ? { back: model.back } : {}),
  });
}

// ---------------------------------------------------------------------------------------------
// GET /cases/{reference} — the case and its timeline

export interface CasePageModel {
  record: CaseRecord;
  events: CaseEvent[];
  /** Display name of the service (from the policy); default the service id. */
  serviceName?: string;
  councilName?: string;
  /** The later date a holding letter gave the resident (`residentToldBy`), shown with the deadlines. */
  residentToldBy?: IsoTimestamp;
}

const STATUS_TEXT: Record<CaseStatus, { text: string; classes: string }> = {
  received: { text: 'Received', classes: 'govuk-tag--blue' },
  'awaiting-acknowledgement': { text: 'Awaiting acknowledgement', classes: 'govuk-tag--yellow' },
  investigating: { text: 'Investigating', classes: 'govuk-tag--light-blue' },
  paused: { text: 'Paused', classes: 'govuk-tag--grey' },
  responded: { text: 'Responded', classes: 'govuk-tag--green' },
  'stage-2-requested': { text: 'Stage 2 requested', classes: 'govuk-tag--orange' },
  'awaiting-decision': { text: 'Awaiting decision', classes: 'govuk-tag--yellow' },
  redirected: { text: 'Redirected', classes: 'govuk-tag--grey' },
  referred: { text: 'Referred', classes: 'govuk-tag--purple' },
  closed: { text: 'Closed', classes: 'govuk-tag--grey' },
};

/**
 * What a compliment, comment or representation waits for once its receipt has gone, as the
 * status officers read while its task is open: none of them is acknowledged as a complaint is,
 * so "Awaiting acknowledgement", the complaint procedure's words, would ask for the receipt again.
 * - A compliment is thanked as soon as it is routed, and then waits only for the service to pass
 *   it to the staff named (Dudley MBC Corporate Customer Feedback Procedure, June 2019, section 9).
 * - A comment waits for its reply in full (a unitary council's Customer Feedback Procedure,
 *   section 6.2: "A reply in full, where possible, within 5 working days").
 * - A representation about a policy is sent to those who made it, and the customer receives
 *   feedback on it (the same procedure, section 5.1).
 */
const WAITING_AFTER_RECEIPT: Partial<Record<CaseKind, { task: TaskName; text: string }>> = {
  compliment: { task: 'compliment-pass-on', text: 'To pass on to staff' },
  comment: { task: 'comment-reply', text: 'To reply to the resident' },
  representation: { task: 'representation-feedback', text: 'To give the resident feedback' },
};

/**
 * A case's status as officers read it (the case page's tag, the queue's and the search's column).
 * A compliment, comment or representation waiting for its task says what the task is for
 * (`WAITING_AFTER_RECEIPT`); before the task is set, it was received.
 */
export function caseStatusTag(record: Pick<CaseRecord, 'kind' | 'status' | 'openTask'>): {
  text: string;
  classes: string;
} {
  const waiting = WAITING_AFTER_RECEIPT[record.kind];
  if (waiting && record.status === 'awaiting-acknowledgement') {
    return record.openTask?.name === waiting.task
      ? { text: waiting.text, classes: 'govuk-tag--yellow' }
      : STATUS_TEXT.received;
  }
  return STATUS_TEXT[record.status] ?? { text: humanise(record.status), classes: 'govuk-tag--grey' };
}

/** Plain-English titles of event types; others are humanised from the type. */
export const EVENT_TITLES: Readonly<Record<string, string>> = {
  'case-received': 'Feedback received',
  received: 'Feedback received',
  triaged: 'Triaged',
  routed: 'Sent to the service',
  'workflow-started': 'Workflow started',
  notified: 'Email sent',
  'task-issued': 'Task sent to officer',
  acknowledged: 'Acknowledged',
  'auto-acknowledged': 'Acknowledged automatically',
  reassigned: 'Reassigned',
  extended: 'Deadline extended',
  paused: 'Paused for mediation',
  responded: 'Response sent',
  escalated: 'Escalated to a manager',
  reminded: 'Reminder sent',
  'deadline-missed': 'Deadline missed',
  'stage-2-requested': 'Stage 2 requested',
  'stage-2-accepted': 'Stage 2 accepted',
  'stage-2-refused': 'Stage 2 refused',
  redirected: 'Redirected',
  'ombudsman-enquiry': 'Ombudsman enquiry recorded',
  'ombudsman-decision': 'Ombudsman decision recorded',
  'ombudsman-file-sent': 'Case file sent to the Ombudsman',
  'note-added': 'Note added',
  'service-changed': 'Moved to another service',
  'task-link-reissued': 'New task link emailed',
  reopened: 'Case reopened',
  'workflow-continued': 'Workflow continued',
  'designated-vexatious': 'Complainant designated unreasonably persistent',
  'designation-kept': 'Designation reviewed and kept',
  'designation-lifted': 'Designation lifted',
  'letter-written': 'Letter written for the post',
  'letter-posted': 'Letter posted',
  'letter-not-posted-again': 'Letter posted to the previous address: not to be posted again',
  'letter-posted-before-print': 'Letter posted before it was sent to print: not sent again',
  closed: 'Closed',
  archived: 'Archived',
  'email-bounced': 'Email bounced',
  'evidence-received': 'Evidence received',
  'evidence-rejected': 'Evidence not accepted',
  'evidence-scanned': 'Evidence passed the virus check',
  'evidence-sent-again': 'Evidence sent again: the same file, kept once',
  rectified: 'Contact details corrected',
  'erasure-started': 'Erasure started',
};

function actorText(actor: string): string {
  switch (actor) {
    case 'resident':
      return 'the resident';
    case 'system':
      return 'Redress';
    case 'workflow':
      return 'the workflow';
    default:
      return actor;
  }
}

/**
 * Details the timeline leaves out: file digests, a note's text (listed with the notes), the
 * audit log's id of an action (the audit log shows the action itself), SES's ids of an email
 * and of the one an alert is about, the one-off id of the page a decision was recorded from and
 * the digest of the answers a decision was posted with through its link (both kept for the
 * service's own checks that a form sent twice is one decision, not for reading).
 */
const TIMELINE_UNSHOWN: ReadonlySet<string> = new Set([
  // What a printed letter was rendered from (`LetterSource`): the letter itself, not its story.
  'source',
  'etag',
  'sha256',
  'text',
  'auditId',
  'messageId',
  'about',
  'formId',
  'answers',
]);

function detailText(value: unknown): string | undefined {
  if (typeof value === 'string') {
    return /^\d{4}-\d{2}-\d{2}T/.test(value) ? formatDateTime(value) : value;
  }
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (Array.isArray(value) && value.every((x) => typeof x === 'string')) return value.join(', ');
  return undefined;
}

/** The case file for officers: summary, the resident's text, deadlines and the timeline of events. */
export function casePage(model: CasePageModel): string {
  return renderPage('case', caseFileModel(model));
}

/**
 * What the case file shows, for the emailed case-view page and the staff workspace's case page
 * alike (`views/partials/case-file.njk`). Views of the case are listed apart, not in the timeline.
 */
export function caseFileModel(model: CasePageModel): Record<string, unknown> {
  const { record } = model;
  const status = caseStatusTag(record);
  // An erased case keeps no contact details and no text: say so, rather than "No name given".
  const erased = record.erasure !== undefined;
  const contact = erased
    ? 'Erased'
    : record.anonymous
      ? 'Anonymous'
      : (record.complainant.name ?? 'No name given');
  const caseRows = [
    ...row('Type', kindWithStage(record.kind, record.stage)),
    ...row('Service', model.serviceName ?? record.service ?? 'Not given'),
    ...row('Directorate', record.directorate),
    ...row('Received', formatReceived(record)),
    ...row('How it came in', humanise(record.channel)),
    ...row('From', contact),
    ...row('Phone', record.anonymous ? undefined : record.complainant.phone),
    ...row('Email', record.anonymous ? undefined : record.complainant.email),
    ...row(
      'Postal address',
      record.anonymous || !record.complainant.address ? undefined : addressText(record.complainant.address),
    ),
    ...row('Letters go by', record.anonymous || erased ? undefined : wantsPost(record) ? 'post' : 'email'),
    ...row(
      'On behalf of',
      record.onBehalfOf
        ? `${record.onBehalfOf.name}, consent ${record.onBehalfOf.consent ? 'given' : 'not recorded'}`
        : undefined,
    ),
    ...row('Accessibility needs', record.accessibilityNeeds),
    ...row('Assigned to', record.assignedTo),
    ...row('Outcome', record.outcome ? humanise(record.outcome) : undefined),
    ...row(`Where the resident was sent${inWelsh(record)}`, record.triage.redirect),
    ...row('Ombudsman involved', record.ombudsmanInvolved ? 'Yes' : undefined),
    ...row('Closed', record.closedAt ? formatDateTime(record.closedAt) : undefined),
  ];
  const deadlines = [
    ...deadlineRows(record.deadlines, record.kind),
    ...row(
      'Resident told to expect it by',
      model.residentToldBy ? formatDate(model.residentToldBy) : undefined,
    ),
  ];
  const files = evidenceFiles(model.events);
  const timeline = [...model.events]
    .filter((event) => event.type !== 'viewed')
    .sort((a, b) => a.seq - b.seq)
    .map((event) => ({
      at: event.at,
      when: formatDateTime(event.at),
      title: EVENT_TITLES[event.type] ?? humanise(event.type),
      actor: actorText(event.actor),
      details:
        evidenceEventDetails(event.type, event.detail ?? {}, files) ??
        Object.entries(event.detail ?? {}).flatMap(([key, value]) => {
          if (TIMELINE_UNSHOWN.has(key)) return [];
          const text = detailText(value);
          return text === undefined || text === '' ? [] : [{ key: humanise(key), value: text }];
        }),
    }));
  return {
    pageTitle: `Case ${record.reference}`,
    councilName: model.councilName ?? DEFAULT_COUNCIL,
    reference: record.reference,
    kindText: kindWithStage(record.kind, record.stage),
    statusText: status.text,
    statusClass: status.classes,
    caseRows,
    textBlocks: [
      ...(record.summary ? [{ label: 'What the resident told us', text: record.summary }] : []),
      ...(record.desiredOutcome
        ? [{ label: 'What they would like us to do', text: record.desiredOutcome }]
        : []),
      ...caseHistory(record),
    ],
    deadlineRows: deadlines,
    timeline,
    notes: caseNotes(record, model.events).map((n) => ({
      when: formatDateTime(n.at),
      at: n.at,
      by: n.by,
      text: n.text,
    })),
  };
}

// ---------------------------------------------------------------------------------------------

/**
 * The inline scripts the layout itself emits (govuk/template.njk's one-line `js-enabled` class
 * switch), read from a rendered page so the CSP hash always matches the installed template.
 */
export function layoutInlineScripts(): string[] {
  const html = renderPage('message', { pageTitle: 'probe', heading: 'probe', paragraphs: [] });
  return [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1] ?? '');
}

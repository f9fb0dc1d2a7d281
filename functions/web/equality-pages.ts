import { EQUALITY_QUESTIONS, type EqualityCount, type EqualityReport } from '../domain/equality.js';
import type { Language } from '../domain/language.js';
import type { Policy } from '../domain/policy-schema.js';
import type { CaseKind } from '../domain/types.js';
import { formatDate, kindName } from './format.js';
import { pageLanguageModel } from './i18n.js';
import { errorModel, renderPage } from './render.js';

/** Pages of equality monitoring: the optional questions, the thanks, the counts (`equality.njk`, `equality-report.njk`). */

/**
 * `GET /equality/{token}`: the optional questions, in the language of the feedback's journey
 * (Welsh from the Census 2021 questionnaire for Wales where it asked the same, see `equality.ts`).
 * `path` is the page's address without the base path, for the language toggle.
 */
export function equalityFormPage(model: {
  councilName: string;
  kind: CaseKind;
  values?: Record<string, unknown>;
  errors?: Record<string, string>;
  language?: Language;
  policy?: Pick<Policy, 'languages'>;
  path?: string;
}): string {
  const language = model.language ?? 'en';
  const lang = pageLanguageModel(model.policy, language, model.path);
  const { t } = lang;
  const order = EQUALITY_QUESTIONS.map((q) => q.id);
  const ids = Object.fromEntries(order.map((id) => [id, id]));
  const values = Object.fromEntries(
    Object.entries(model.values ?? {}).filter(([, v]) => typeof v === 'string'),
  ) as Record<string, string>;
  const cy = language === 'cy';
  return renderPage('equality', {
    ...lang,
    pageTitle: `${model.errors ? t('errors.prefix') : ''}${t('equality.title')}`,
    councilName: model.councilName,
    kindText: cy ? t(`kind.${model.kind}`) : kindName(model.kind),
    questions: EQUALITY_QUESTIONS.map((q) => ({
      id: q.id,
      question: cy ? q.cy.question : q.question,
      hint: cy ? q.cy.hint : q.hint,
      items: q.options.map((o) => ({ value: o.value, text: cy ? o.cy : o.text })),
    })),
    v: values,
    ...errorModel(model.errors, { order, ids }, language),
  });
}

export function equalityThanksPage(model: {
  councilName: string;
  language?: Language;
  policy?: Pick<Policy, 'languages'>;
}): string {
  const lang = pageLanguageModel(model.policy, model.language ?? 'en', '/equality/done');
  const { t } = lang;
  return renderPage('message', {
    ...lang,
    pageTitle: t('equality.thanks.heading'),
    councilName: model.councilName,
    heading: t('equality.thanks.heading'),
    panel: true,
    paragraphs: [t('equality.thanks.p1'), t('equality.thanks.p2')],
  });
}

function countText(count: EqualityCount): string {
  // "Not shown" rather than "fewer than 5": a figure hidden so that another cannot be worked out may be larger.
  return count === 'suppressed' ? 'not shown' : count.toLocaleString('en-GB');
}

export function equalityReportPage(model: {
  councilName: string;
  report: EqualityReport;
  period: { from: string; to: string };
  yearText: string;
  previousYear?: number;
  previousYearText?: string;
  nextYear?: number;
  nextYearText?: string;
}): string {
  const { report } = model;
  return renderPage('equality-report', {
    ...model,
    pageTitle: `Who uses our feedback procedure, ${model.yearText}`,
    fromText: formatDate(`${model.period.from}T12:00:00Z`, { weekday: false }),
    toText: formatDate(`${model.period.to}T12:00:00Z`, { weekday: false }),
    responsesText: countText(report.responses),
    // Fewer sets of answers than the threshold: no table at all, or one could read a person's answers.
    showTables: report.responses !== 'suppressed' && report.responses > 0,
    tables: report.tables.map((t) => ({
      name: t.name,
      rows: [...t.rows, { text: 'Not answered', count: t.notAnswered }].map((r) => [
        { text: r.text },
        { text: countText(r.count), format: 'numeric' },
      ]),
    })),
  });
}

import { HOLD_REASONS } from '../domain/legal-hold.js';
import type { WorkListEntry } from '../domain/work-lists.js';
import { formatDate, formatDateTime } from './format.js';
import { BASE_PATH, renderPage } from './render.js';
import { chrome, type StaffChrome } from './staff-pages.js';

const STAFF_PATH = `${BASE_PATH}/staff`;

const day = (date: string) => formatDate(`${date}T12:00:00Z`, { weekday: false });

/**
 * The records officer's list of cases under a legal hold (`GET /staff/holds`), earliest review
 * date first: why each is held, who placed it and when, and whether its review is overdue.
 */
export function staffHoldsPage(
  model: StaffChrome & { entries: WorkListEntry[]; today: string; nextHref?: string },
): string {
  const rows = model.entries.flatMap((e) => {
    const h = e.hold;
    if (!h) return [];
    const review = h.reviewBy;
    const status =
      review === undefined
        ? { text: 'No review date', classes: 'govuk-tag--grey' }
        : review < model.today
          ? { text: 'Overdue', classes: 'govuk-tag--red' }
          : review === model.today
            ? { text: 'Due today', classes: 'govuk-tag--orange' }
            : undefined;
    return [
      {
        reference: e.reference,
        caseHref: `${STAFF_PATH}/cases/${encodeURIComponent(e.reference)}`,
        reason: HOLD_REASONS[h.reason],
        by: h.by,
        placedAt: h.placedAt,
        placed: formatDateTime(h.placedAt),
        ...(review ? { reviewBy: review, review: day(review) } : {}),
        ...(status ? { status } : {}),
        reminded: h.reminded === true,
      },
    ];
  });
  const overdue = rows.filter((r) => r.status?.text === 'Overdue').length;
  return renderPage('staff-holds', {
    ...chrome(model, 'holds'),
    pageTitle: 'Legal holds',
    rows,
    overdue,
    ...(model.nextHref ? { nextHref: model.nextHref } : {}),
  });
}

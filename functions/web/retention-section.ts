import type { CaseEvent, CaseRecord } from '../domain/case.js';
import { ERASURE_GROUNDS, HOLD_REASONS } from '../domain/legal-hold.js';
import { canErase, canHold, type StaffMember } from '../domain/staff.js';
import { formatDate, formatDateTime } from './format.js';

/** Form fields of the case page's retention section, with the element each error links to. */
export const RETENTION_FIELD_IDS = {
  holdReason: 'holdReason',
  holdNote: 'holdNote',
  holdReview: 'holdReview-day',
  holdNextReview: 'holdNextReview-day',
  holdReviewNote: 'holdReviewNote',
  erasureGround: 'erasureGround',
  erasureConfirm: 'erasureConfirm',
  erasureNote: 'erasureNote',
} as const;

const day = (date: string) => formatDate(`${date}T12:00:00Z`, { weekday: false });

/**
 * What the case page's "Retention and erasure" section shows (`partials/retention.njk`): the
 * legal hold or the erasure standing on the case, and the forms for the data protection team.
 */
export function retentionSection(
  record: CaseRecord,
  events: readonly CaseEvent[],
  staff: StaffMember,
  errors: Record<string, string> | undefined,
  values: Record<string, unknown> | undefined,
) {
  const e: Record<string, { text: string }> = {};
  for (const field of Object.keys(RETENTION_FIELD_IDS)) {
    const text = errors?.[field];
    if (text) e[field] = { text };
  }
  const v = values ?? {};
  const hold = record.legalHold;
  const erasure = record.erasure;
  const started = erasure ? undefined : record.erasureStarted;
  const lastLift = [...events].reverse().find((ev) => ev.type === 'legal-hold-lifted');
  const ended =
    !hold && lastLift?.detail?.retentionEnded === true && typeof lastLift.detail.retentionEnds === 'string'
      ? day(lastLift.detail.retentionEnds)
      : undefined;
  return {
    retention: {
      e,
      canHold: canHold(staff) && !erasure && !record.erasureStarted,
      canErase: canErase(staff) && !erasure && !started && !hold && record.status === 'closed',
      // An erasure that stopped part-way (the archive or the table failed): finishing it needs no form.
      canFinishErasure: canErase(staff) && !erasure && started !== undefined,
      startedText: started
        ? `An erasure of this case was started on ${formatDateTime(started.at)} by ${started.by} (${ERASURE_GROUNDS[started.ground]}) and has not finished. Nothing can be held or corrected until it does.`
        : undefined,
      erasedText: erasure
        ? `This case was erased on ${formatDateTime(erasure.at)}, reason: ${ERASURE_GROUNDS[erasure.ground]}.`
        : undefined,
      erasureRows: erasure
        ? [
            { key: { text: 'Erased' }, value: { text: `${formatDateTime(erasure.at)} by ${erasure.by}` } },
            { key: { text: 'Ground' }, value: { text: ERASURE_GROUNDS[erasure.ground] } },
            ...(erasure.note ? [{ key: { text: 'Note' }, value: { text: erasure.note } }] : []),
          ]
        : undefined,
      holdRows: hold
        ? [
            { key: { text: 'Placed' }, value: { text: `${formatDateTime(hold.at)} by ${hold.by}` } },
            { key: { text: 'Reason' }, value: { text: HOLD_REASONS[hold.reason] } },
            ...(hold.note ? [{ key: { text: 'Note' }, value: { text: hold.note } }] : []),
            ...(hold.reviewBy ? [{ key: { text: 'Review by' }, value: { text: day(hold.reviewBy) } }] : []),
            ...(hold.reviewBy && hold.remindedFor === hold.reviewBy
              ? [
                  {
                    key: { text: 'Reminder' },
                    value: { text: 'Sent to the complaints team when the review date came' },
                  },
                ]
              : []),
          ]
        : undefined,
      endedText: ended
        ? `The retention period of this case ended on ${ended}. It will be deleted at the next retention sweep.`
        : undefined,
      holdReasonItems: Object.entries(HOLD_REASONS).map(([value, text]) => ({
        value,
        text,
        checked: v.holdReason === value,
      })),
      reviewItems: (['day', 'month', 'year'] as const).map((part) => ({
        id: `holdReview-${part}`,
        name: `holdReview-${part}`,
        label: part[0]?.toUpperCase() + part.slice(1),
        classes: `govuk-input--width-${part === 'year' ? 4 : 2}${e.holdReview ? ' govuk-input--error' : ''}`,
        value: v[`holdReview-${part}`],
      })),
      nextReviewItems: (['day', 'month', 'year'] as const).map((part) => ({
        id: `holdNextReview-${part}`,
        name: `holdNextReview-${part}`,
        label: part[0]?.toUpperCase() + part.slice(1),
        classes: `govuk-input--width-${part === 'year' ? 4 : 2}${e.holdNextReview ? ' govuk-input--error' : ''}`,
        value: v[`holdNextReview-${part}`],
      })),
      groundItems: [
        { value: '', text: 'Choose the ground' },
        ...Object.entries(ERASURE_GROUNDS).map(([value, text]) => ({
          value,
          text,
          selected: v.erasureGround === value,
        })),
      ],
      v,
    },
  };
}

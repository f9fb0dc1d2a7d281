import { beforeEach, describe, expect, it } from 'vitest';
import { validateSentForm } from '../../functions/app/ombudsman-file.js';
import { readHoldForm, readHoldReviewForm } from '../../functions/app/retention-actions.js';
import { loadPolicy } from '../../functions/domain/policy.js';
import { ValidationError } from '../../functions/http/errors.js';
import { formPost } from '../support/api-event.js';
import { RecordingWorkflows } from '../support/fake-workflows.js';
import { MemoryStaffStore } from '../support/memory-staff-store.js';
import { MemoryCaseStore } from '../support/memory-store.js';
import { openCase } from '../support/open-case.js';
import { NOMINATED } from '../support/staff-members.js';
import { staffSession, workspaceApi, workspaceDeps } from '../support/workspace-api.js';

/**
 * Every date typed into the workspace's forms is a real calendar date written as a person writes
 * one: `Number()` and `Date` would take "1e1" as 10, " 0x1 " as 1, "2.026e3" as 2026, an empty box
 * as 0, and roll 30 February on into March. Each of those is refused with the field's own message,
 * and the page keeps everything else the officer typed.
 */

const policy = loadPolicy('lgsco-code-2024');
const now = () => new Date('2026-03-03T10:00:00Z');
const TODAY = '2026-03-03';

/** Dates as typed (day, month, year) that are not real dates, or not written as dates are. */
const NOT_DATES: [string, string, string][] = [
  ['1e1', '6', '2026'],
  ['10', '6e0', '2026'],
  ['10', '6', '2.026e3'],
  [' 0x1 ', '6', '2026'],
  ['10', '6', '0x7EA'],
  ['1.0', '6', '2026'],
  ['-1', '6', '2026'],
  ['30', '2', '2026'],
  ['10', '13', '2026'],
  ['10', '6', '99999'],
  ['10', '6', '26'],
  ['', '6', '2026'],
  ['Infinity', '6', '2026'],
];

let store: MemoryCaseStore;
let staffStore: MemoryStaffStore;

beforeEach(async () => {
  store = new MemoryCaseStore();
  staffStore = new MemoryStaffStore();
  await store.create(
    openCase('case-1', {
      status: 'investigating',
      deadlines: {},
      progress: { stage1: { startedAt: '2026-03-02T09:00:00.000Z' } },
    }),
    { at: '2026-03-02T09:00:00.000Z', type: 'received', actor: 'resident' },
  );
});

describe('the designation’s review date', () => {
  it.each(NOT_DATES)(
    'refuses %j %j %j with the field’s message, keeping the reasons typed',
    async (day, month, year) => {
      const session = await staffSession(staffStore, NOMINATED, now());
      const api = workspaceApi(
        workspaceDeps({
          store: store as never,
          staffStore,
          policy,
          now,
          workflows: new RecordingWorkflows(),
        }),
      );

      const response = await api(
        formPost(
          '/staff/cases/CMP-2026-000001/designate',
          {
            csrf: session.csrf,
            designationReason: 'Forty emails a day about the same bin',
            'restrictions.single-contact': 'single-contact',
            reviewDay: day,
            reviewMonth: month,
            reviewYear: year,
          },
          { Cookie: session.cookie },
        ),
      );

      expect(response.statusCode).toBe(400);
      expect(response.body).toContain('href="#reviewDate-day"');
      expect(response.body).toMatch(/review date/);
      expect(response.body).toContain('Forty emails a day about the same bin');
      expect(response.body).toMatch(/<input[^>]*value="single-contact"[^>]*checked/);
      expect((await store.get('case-1'))?.designation).toBeUndefined();
    },
  );
});

describe('the date the Ombudsman’s case file was sent', () => {
  // The same dates in February 2026, which is past: only how they are written is wrong.
  const inFebruary = NOT_DATES.map(([d, m, y]) => [d, m.replace('6', '2'), y] as [string, string, string]);

  it.each(inFebruary)('refuses %j %j %j', (day, month, year) => {
    const record = openCase('case-1', { receivedAt: '2025-11-03T09:00:00.000Z' });
    const read = () =>
      validateSentForm(
        { sentDay: day, sentMonth: month, sentYear: year, ombudsmanReference: '25 012 345', how: 'portal' },
        record,
        now(),
      );

    expect(read).toThrow(ValidationError);
    try {
      read();
    } catch (error: unknown) {
      expect(Object.keys((error as ValidationError).fields)).toEqual(['sentDate']);
    }
  });

  it('takes a real date written with a month name', () => {
    const form = validateSentForm(
      { sentDay: '2', sentMonth: 'Feb', sentYear: '2026', ombudsmanReference: '25 012 345', how: 'portal' },
      openCase('case-1', { receivedAt: '2025-11-03T09:00:00.000Z' }),
      now(),
    );
    expect(form.sentOn).toBe('2026-02-02');
  });
});

describe('a legal hold’s review dates', () => {
  it.each(NOT_DATES.filter(([d, m, y]) => d && m && y))(
    'refuses %j %j %j as the first review date',
    (day, month, year) => {
      expect(() =>
        readHoldForm(
          {
            holdReason: 'litigation',
            'holdReview-day': day,
            'holdReview-month': month,
            'holdReview-year': year,
          },
          TODAY,
        ),
      ).toThrow(ValidationError);
    },
  );

  it.each(NOT_DATES)('refuses %j %j %j as the next review date', (day, month, year) => {
    expect(() =>
      readHoldReviewForm(
        { 'holdNextReview-day': day, 'holdNextReview-month': month, 'holdNextReview-year': year },
        TODAY,
      ),
    ).toThrow(ValidationError);
  });
});

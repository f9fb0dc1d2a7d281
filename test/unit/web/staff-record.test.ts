import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { recordReceived, type StaffActionDeps } from '../../../functions/app/staff-actions.js';
import { loadPolicy } from '../../../functions/domain/policy.js';
import type { StaffMember } from '../../../functions/domain/staff.js';
import { staffRecordPage } from '../../../functions/web/staff-pages.js';
import { MemoryCaseStore } from '../../support/memory-store.js';

/**
 * "Record feedback received" (a call, a letter) asks which language to write to the resident in
 * when the council offers Welsh, and the case keeps it for every letter.
 */

const welsh = loadPolicy(
  fileURLToPath(new URL('../../fixtures/policies/welsh-council.json', import.meta.url)),
);
const english = loadPolicy('lgsco-code-2024');
const staff: StaffMember = {
  sub: 's-1',
  email: 'complaints.officer@council.example',
  name: 'Pat Officer',
  roles: ['complaints-team'],
  services: [],
};

const letter = (extra: Record<string, unknown> = {}) => ({
  channel: 'letter',
  receivedDay: '2',
  receivedMonth: '3',
  receivedYear: '2026',
  kind: 'complaint',
  summary: 'Ni chasglwyd fy miniau.',
  // As the route parses the form: dotted names nested.
  complainant: { name: 'Gwen Jones', address: '1 Stryd Fawr, Caerfyrddin' },
  ...extra,
});

function deps(policy: typeof welsh): StaffActionDeps {
  return {
    store: new MemoryCaseStore(),
    policy,
    now: () => new Date('2026-03-03T10:00:00Z'),
    newId: () => 'case-1',
  } as unknown as StaffActionDeps;
}

describe('record feedback received', () => {
  it('asks for the language when the council offers Welsh, English chosen until staff change it', () => {
    const page = staffRecordPage({ staff, csrf: 'x', policy: welsh });

    expect(page).toContain('Which language should we write to them in?');
    expect(page).toMatch(/name="language"[^>]*value="cy"/);
    expect(page).toMatch(/value="en"[^>]*checked/);
  });

  it('keeps the language chosen after an error', () => {
    const page = staffRecordPage({
      staff,
      csrf: 'x',
      policy: welsh,
      values: { language: 'cy' },
      errors: { summary: 'Enter it' },
    });

    expect(page).toMatch(/value="cy"[^>]*checked/);
  });

  it('does not ask when the council offers English only', () => {
    expect(staffRecordPage({ staff, csrf: 'x', policy: english })).not.toContain('name="language"');
  });

  it('keeps the language on the case', async () => {
    const d = deps(welsh);

    const record = await recordReceived(d, staff, letter({ language: 'cy' }));

    expect(record.language).toBe('cy');
    expect((await d.store.get(record.caseId))?.language).toBe('cy');
  });
});

describe('the time a call was received, on the days the clocks change', () => {
  const call = (day: string, month: string, time: string) => {
    const d = { ...deps(english), now: () => new Date('2026-12-04T12:00:00Z') } as StaffActionDeps;
    return recordReceived(
      d,
      staff,
      letter({
        channel: 'phone',
        receivedDay: day,
        receivedMonth: month,
        receivedTime: time,
        summary: 'My bin has been missed four weeks running.',
      }),
    );
  };

  it('is the London time typed, after the clocks go forward (29 March 2026)', async () => {
    // 23:30 BST is 22:30 UTC: still the 29th, so the acknowledgement clock starts that day.
    expect((await call('29', '3', '23:30')).receivedAt).toBe('2026-03-29T22:30:00.000Z');
  });

  it('is the London time typed, after the clocks go back (25 October 2026)', async () => {
    expect((await call('25', '10', '14:30')).receivedAt).toBe('2026-10-25T14:30:00.000Z');
  });

  it('is the London time typed on an ordinary summer day', async () => {
    expect((await call('1', '7', '09:15')).receivedAt).toBe('2026-07-01T08:15:00.000Z');
  });
});

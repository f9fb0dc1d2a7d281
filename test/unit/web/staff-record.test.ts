import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { recordReceived, type StaffActionDeps } from '../../../functions/app/staff-actions.js';
import { wantsPost } from '../../../functions/domain/case.js';
import { loadPolicy } from '../../../functions/domain/policy.js';
import type { StaffMember } from '../../../functions/domain/staff.js';
import { staffRecordPage } from '../../../functions/web/staff-pages.js';
import { formPost } from '../../support/api-event.js';
import { MemoryStaffStore } from '../../support/memory-staff-store.js';
import { MemoryCaseStore } from '../../support/memory-store.js';
import { TEAM } from '../../support/staff-members.js';
import { staffSession, workspaceApi, workspaceDeps } from '../../support/workspace-api.js';

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

/**
 * A call, letter or visit may be made for someone else, from a resident with no email who wants
 * letters by post, or with needs for how we write: the workspace asks what the resident form asks,
 * and intake's rules check the answers.
 */
describe('record feedback received: contact, representative and accessibility', () => {
  const phoned = (extra: Record<string, unknown> = {}) =>
    letter({
      channel: 'phone',
      summary: 'My mother’s bin has not been collected for three weeks.',
      complainant: {
        name: 'Peter Smith',
        phone: '01632 960 001',
        address: '12 Mill Lane, Exampletown',
        contactBy: 'post',
      },
      ...extra,
    });

  it('asks how to send letters, who it is made for (revealed under yes) and any needs', () => {
    const page = staffRecordPage({ staff, csrf: 'x', policy: english });

    expect(page).toContain('How should we send them letters?');
    expect(page).toMatch(/name="complainant\.contactBy"[^>]*value="post"/);
    expect(page).toMatch(/name="onBehalf"[^>]*value="yes"[^>]*data-aria-controls="conditional-onBehalf"/);
    expect(page).toMatch(
      /id="conditional-onBehalf"[\s\S]*name="onBehalfOf\.name"[\s\S]*name="onBehalfOf\.consent"/,
    );
    expect(page).toContain('name="accessibilityNeeds"');
  });

  it('keeps post, the person it is for and the needs on the case, and asks for consent not given', async () => {
    const d = deps(english);

    const record = await recordReceived(
      d,
      staff,
      phoned({
        onBehalf: 'yes',
        onBehalfOf: { name: 'Mary Smith', relationship: 'Son' },
        accessibilityNeeds: 'Large print letters',
      }),
    );

    expect(record).toMatchObject({
      channel: 'phone',
      complainant: { name: 'Peter Smith', address: '12 Mill Lane, Exampletown', contactBy: 'post' },
      onBehalfOf: { name: 'Mary Smith', relationship: 'Son', consent: false },
      accessibilityNeeds: 'Large print letters',
      triage: { route: 'needs-consent' },
    });
    expect(wantsPost(record)).toBe(true);
  });

  it('goes ahead when the person it is for agreed', async () => {
    const record = await recordReceived(
      deps(english),
      staff,
      phoned({ onBehalf: 'yes', onBehalfOf: { name: 'Mary Smith', consent: 'yes' } }),
    );

    expect(record.onBehalfOf).toEqual({ name: 'Mary Smith', consent: true });
    expect(record.triage.route).toBe('handle');
  });

  it('stores no representative when the officer answered no after typing one', async () => {
    const record = await recordReceived(
      deps(english),
      staff,
      phoned({ onBehalf: 'no', onBehalfOf: { name: 'Mary Smith', relationship: '' } }),
    );

    expect(record.onBehalfOf).toBeUndefined();
    expect(record.triage.route).toBe('handle');
  });

  it('refuses post with no address, and yes with no name, by intake’s rules', async () => {
    const refused = recordReceived(
      deps(english),
      staff,
      phoned({
        complainant: { name: 'Peter Smith', phone: '01632 960 001', contactBy: 'post' },
        onBehalf: 'yes',
        onBehalfOf: { name: ' ', relationship: 'Son' },
      }),
    );

    await expect(refused).rejects.toMatchObject({
      fields: {
        'complainant.address': 'Enter your postal address so we can post letters to you',
        'onBehalfOf.name': 'Enter the name of the person you are complaining for',
      },
    });
  });

  it('gives every problem at once, the date’s and intake’s', async () => {
    const refused = recordReceived(
      deps(english),
      staff,
      phoned({ receivedDay: '31', receivedMonth: '2', summary: ' ', accessibilityNeeds: 'x'.repeat(1001) }),
    );

    await expect(refused).rejects.toMatchObject({
      fields: {
        receivedDate: 'Enter the date it was received, for example 27 3 2026',
        summary: 'Enter your feedback',
        accessibilityNeeds: 'Accessibility needs must be 1000 characters or fewer',
      },
    });
  });

  it('shows intake’s messages about the resident, with the officer’s answers kept', () => {
    const page = staffRecordPage({
      staff,
      csrf: 'x',
      policy: english,
      values: phoned({
        onBehalf: 'yes',
        onBehalfOf: { name: '', relationship: 'Son' },
        accessibilityNeeds: 'Easy read',
      }),
      errors: {
        'complainant.address': 'Enter your postal address so we can post letters to you',
        'onBehalfOf.name': 'Enter the name of the person you are complaining for',
      },
    });

    expect(page).toContain(
      '<a href="#complainant-address">Enter their postal address so we can post letters to them</a>',
    );
    expect(page).toContain('<a href="#onBehalfOf-name">Enter the name of the person it is made for</a>');
    expect(page).not.toContain('you are complaining for');
    expect(page).toMatch(/name="complainant\.contactBy"[^>]*value="post"[^>]*checked/);
    expect(page).toMatch(/name="onBehalf"[^>]*value="yes"[^>]*checked/);
    expect(page).toMatch(/id="onBehalfOf-relationship"[^>]*value="Son"/);
    expect(page).toMatch(/id="accessibilityNeeds"[^>]*>Easy read</);
  });
});

describe('POST /staff/record', () => {
  const now = () => new Date('2026-03-03T10:00:00Z');
  const staffStore = new MemoryStaffStore();
  const store = new MemoryCaseStore();
  const post = async (fields: Record<string, string>) => {
    const session = await staffSession(staffStore, TEAM, now());
    const api = workspaceApi(workspaceDeps({ store: store as never, staffStore, policy: english, now }));
    return api(formPost('/staff/record', { csrf: session.csrf, ...fields }, { Cookie: session.cookie }));
  };
  const call = {
    channel: 'phone',
    receivedDay: '2',
    receivedMonth: '3',
    receivedYear: '2026',
    kind: 'complaint',
    summary: 'My mother’s bin has not been collected for three weeks.',
    'complainant.name': 'Peter Smith',
    'complainant.phone': '01632 960 001',
  };

  it('answers 400 with the form again and the officer’s answers kept', async () => {
    const result = await post({
      ...call,
      'complainant.contactBy': 'post',
      onBehalf: 'yes',
      'onBehalfOf.name': 'Mary Smith',
      'onBehalfOf.consent': 'yes',
      accessibilityNeeds: 'Large print',
    });

    expect(result.statusCode).toBe(400);
    expect(result.body).toContain('Enter their postal address so we can post letters to them');
    expect(result.body).toMatch(/name="complainant\.contactBy"[^>]*value="post"[^>]*checked/);
    expect(result.body).toMatch(/name="onBehalf"[^>]*value="yes"[^>]*checked/);
    expect(result.body).toMatch(/id="onBehalfOf-name"[^>]*value="Mary Smith"/);
    expect(result.body).toMatch(/name="onBehalfOf\.consent"[^>]*value="yes"[^>]*checked/);
    expect(result.body).toMatch(/id="accessibilityNeeds"[^>]*>Large print</);
    expect(store.cases.size).toBe(0);
  });

  it.each([
    ['contact details sent as one field', { complainant: 'Peter Smith' }],
    [
      'a consent that is not yes or no',
      { onBehalf: 'yes', 'onBehalfOf.name': 'Mary', 'onBehalfOf.consent': 'maybe' },
    ],
    ['a preference that is neither email nor post', { 'complainant.contactBy': 'pigeon' }],
    [
      'a field the form does not have',
      { 'onBehalfOf.age': '90', onBehalf: 'yes', 'onBehalfOf.name': 'Mary' },
    ],
  ])('answers 400, never 500, to %s', async (_what, odd) => {
    const result = await post({ ...call, ...odd });

    expect(result.statusCode).toBe(400);
    expect(result.body).toContain('There is a problem');
  });

  it('asks for their name or whether they want to stay anonymous, and takes anonymous with neither', async () => {
    const { 'complainant.name': _name, 'complainant.phone': _phone, ...nameless } = call;

    const refused = await post(nameless);
    const taken = await post({ ...nameless, anonymous: 'yes' });

    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain(
      '<a href="#complainant-name">Enter their name, or say they want to stay anonymous</a>',
    );
    expect(taken.statusCode).toBe(303);
  });

  /**
   * Intake's checks across fields (a name, a way to reply, an address for post) and its checks
   * of the date and the council's lists are shown with the rest, not one round later.
   */
  it.each([
    [
      'a letter dated more than 12 months ago',
      { receivedYear: '2025', receivedMonth: '2' },
      'receivedDate-day',
    ],
    ['a service the council does not have', { service: 'no-such-service' }, 'service'],
    [
      'a preference that is neither email nor post',
      { 'complainant.contactBy': 'pigeon' },
      'complainant-contactBy',
    ],
    [
      'an agreement that is not yes or no',
      { onBehalf: 'yes', 'onBehalfOf.name': 'Mary Smith', 'onBehalfOf.consent': 'maybe' },
      'onBehalfOf-consent',
    ],
  ])('shows every problem at once: %s, with no name or contact given', async (_what, odd, id) => {
    const { 'complainant.name': _name, 'complainant.phone': _phone, ...nameless } = call;

    const result = await post({ ...nameless, ...odd });

    expect(result.statusCode).toBe(400);
    const summary = /govuk-error-summary__list">([\s\S]*?)<\/ul>/.exec(result.body)?.[1] ?? '';
    expect(summary).toContain(`href="#${id}"`);
    expect(summary).toContain('Enter their name');
    expect(summary).toContain(
      'Enter an email address, phone number or postal address so we can reply to them',
    );
  });

  /**
   * The officer reads intake's messages about the resident, never as if they were the one who
   * complained: every message a field of the form can get, the length limits and hidden
   * characters as much as the missing answers.
   */
  it.each([
    ['too long', (max: number) => 'x'.repeat(max + 1)],
    ['with hidden characters', () => 'Peter\u202Ed Smith'],
  ])('speaks about the resident in every message when answers are %s', async (_what, value) => {
    const odd = {
      summary: value(5000),
      desiredOutcome: value(2000),
      'complainant.name': value(200),
      'complainant.address': value(500),
      accessibilityNeeds: value(1000),
      onBehalf: 'yes',
      'onBehalfOf.name': value(200),
      'onBehalfOf.relationship': value(200),
      'onBehalfOf.consent': 'maybe',
      anonymous: 'maybe',
    };

    const result = await post({ ...call, ...odd });

    expect(result.statusCode).toBe(400);
    const summary = /govuk-error-summary__list">([\s\S]*?)<\/ul>/.exec(result.body)?.[1] ?? '';
    const messages = [...summary.matchAll(/<a href="#([^"]+)">([^<]*)<\/a>/g)].map(([, id, m]) => [id, m]);
    expect(messages.map(([id]) => id)).toEqual(
      expect.arrayContaining([
        'summary',
        'desiredOutcome',
        'anonymous',
        'complainant-name',
        'complainant-address',
        'onBehalfOf-name',
        'onBehalfOf-relationship',
        'onBehalfOf-consent',
        'accessibilityNeeds',
      ]),
    );
    for (const [, message] of messages) expect(message).not.toMatch(/\byou(r)?\b/i);
  });

  it('records the call and shows its case', async () => {
    const result = await post({
      ...call,
      'complainant.address': '12 Mill Lane, Exampletown',
      'complainant.contactBy': 'post',
      onBehalf: 'yes',
      'onBehalfOf.name': 'Mary Smith',
      accessibilityNeeds: 'Large print',
    });

    expect(result.statusCode).toBe(303);
    const reference = decodeURIComponent(
      /cases\/([^?]+)/.exec(result.headers?.Location as string)?.[1] ?? '',
    );
    expect(await store.getByReference(reference)).toMatchObject({
      complainant: { contactBy: 'post' },
      onBehalfOf: { name: 'Mary Smith', consent: false },
      accessibilityNeeds: 'Large print',
    });
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import type { CaseRecord } from '../../functions/domain/case.js';
import { computeDeadlines } from '../../functions/domain/deadlines.js';
import { apiEvent, formPost } from '../support/api-event.js';
import { MemoryStaffStore } from '../support/memory-staff-store.js';
import { TEAM } from '../support/staff-members.js';
import { staffSession, workspaceApi, workspaceDeps } from '../support/workspace-api.js';
import { createHarness, type Harness } from './harness.js';

/**
 * Feedback a member of staff records from a call, through the workspace's "Record feedback
 * received" form, run by the real complaint workflow on the local engine: a resident who asks
 * for post gets printed letters on the list to post and no email, and a call made for someone
 * else asks for that person's consent as the resident form's would.
 */

let h: Harness;

afterEach(async () => {
  await h?.close();
});

const RESIDENT_EMAIL = 'peter.smith@example.com';

/** The workspace over the harness's store, its clock and policy; the workflows start from the store's stream. */
async function workspace() {
  const staffStore = new MemoryStaffStore();
  const now = () => h.clock.now();
  const session = await staffSession(staffStore, TEAM, now());
  const api = workspaceApi(workspaceDeps({ store: h.store as never, staffStore, policy: h.policy, now }));
  const page = (path: string, query: Record<string, string> = {}) =>
    api(apiEvent('GET', path, { headers: { Accept: 'text/html', Cookie: session.cookie }, query }));
  return {
    page,
    /** Fills in the form as the officer would: only with fields the page has, then lets the workflow run. */
    async record(fields: Record<string, string>): Promise<CaseRecord> {
      const form = (await page('/staff/record')).body;
      for (const name of Object.keys(fields)) expect(form).toContain(`name="${name}"`);
      const posted = await api(
        formPost('/staff/record', { csrf: session.csrf, ...fields }, { Cookie: session.cookie }),
      );
      expect(posted.statusCode).toBe(303);
      await h.advanceTo(h.clock.now().toISOString());
      const reference = decodeURIComponent(
        /cases\/([^?]+)/.exec(String(posted.headers?.Location))?.[1] ?? '',
      );
      return (await h.store.getByReference(reference)) as CaseRecord;
    },
  };
}

/** A complaint phoned in this morning (the harness's clock is Monday 2 March 2026, 09:00). */
function phoneCall(h: Harness): Record<string, string> {
  return {
    channel: 'phone',
    receivedDay: '2',
    receivedMonth: '3',
    receivedYear: '2026',
    receivedTime: '08:30',
    kind: 'complaint',
    service: h.policy.routing.services.find((s) => !s.redirect && !s.housingLandlord)?.id as string,
    summary: 'My bin has not been collected for three weeks and nobody answers the phone.',
    'complainant.name': 'Peter Smith',
    'complainant.email': RESIDENT_EMAIL,
    'complainant.phone': '01632 960 001',
    'complainant.address': '12 Mill Lane\nExampletown\nEX1 2AB',
    'complainant.contactBy': 'post',
  };
}

describe('feedback recorded from a call', () => {
  it('prints the receipt for a resident who asked for post, lists it to post, and emails them nothing', async () => {
    h = await createHarness();
    const w = await workspace();

    const c = await w.record({ ...phoneCall(h), accessibilityNeeds: 'Large print, please' });

    expect(c).toMatchObject({
      channel: 'phone',
      complainant: { contactBy: 'post', address: '12 Mill Lane\nExampletown\nEX1 2AB' },
      accessibilityNeeds: 'Large print, please',
    });
    expect(h.states(c.caseId)).toContain('Await acknowledgement');
    expect(h.sent.filter((m) => m.to.includes(RESIDENT_EMAIL))).toEqual([]);
    const written = (await h.store.events(c.caseId)).filter((e) => e.type === 'letter-written');
    expect(written.map((e) => e.detail?.template)).toEqual(['receipt']);
    expect(h.archive.letters.size).toBe(1);
    expect(h.templates()).toContain('print-and-post');
    const stored = await h.caseOf(c.caseId);
    expect(stored.lettersToPost).toEqual([
      expect.objectContaining({
        letter: written[0]?.detail?.letter,
        title: 'We have received your complaint',
      }),
    ]);
    const letters = (await w.page('/staff/letters')).body;
    expect(letters).toContain(c.reference);
    expect(letters).toContain('We have received your complaint');
  });

  /**
   * The resident asked for large print: the email asking the team to print and post the letter
   * says so, or a standard letter would be printed and posted.
   */
  it('tells whoever prints the letter the accessibility needs the resident gave', async () => {
    h = await createHarness();
    const w = await workspace();

    await w.record({ ...phoneCall(h), accessibilityNeeds: 'Large print, please' });

    const printing = h.sent.filter((m) => m.template === 'print-and-post');
    expect(printing).toHaveLength(1);
    expect(printing[0]?.text).toContain('Large print, please');
  });

  it('asks for consent, by post, when the call is made for someone who has not agreed', async () => {
    h = await createHarness();
    const w = await workspace();

    const c = await w.record({
      ...phoneCall(h),
      onBehalf: 'yes',
      'onBehalfOf.name': 'Mary Smith',
      'onBehalfOf.relationship': 'Son',
    });

    expect(c.onBehalfOf).toEqual({ name: 'Mary Smith', relationship: 'Son', consent: false });
    expect(h.states(c.caseId)).toContain('Await consent');
    expect(h.states(c.caseId)).not.toContain('Await acknowledgement');
    expect(h.sent.filter((m) => m.to.includes(RESIDENT_EMAIL))).toEqual([]);
    // The officer asked for consent sees whom the complaint is for.
    const task = await h.view(h.linkFor('consent'));
    expect(task.body).toContain('Mary Smith (Son), consent not recorded');
    expect((await h.caseOf(c.caseId)).lettersToPost?.map((l) => l.title)).toEqual([
      'We need consent before we look into your complaint',
    ]);
  });

  /**
   * A call whose time nobody noted has a date and no time: the pages show the date alone, never
   * an invented "midnight", and the clocks count from that date as from any time on it.
   */
  it('shows only the date of a call recorded without a time, and counts its deadlines from that date', async () => {
    h = await createHarness();
    const w = await workspace();
    const { receivedTime: _none, ...untimed } = phoneCall(h);

    const c = await w.record({
      ...untimed,
      receivedDay: '27',
      receivedMonth: '2',
      'complainant.contactBy': 'email',
    });

    expect(c.receivedDateOnly).toBe(true);
    expect(c.deadlines).toEqual(computeDeadlines(h.policy, 'complaint', '2026-02-27T16:30:00Z'));
    const received = /Received\s*<\/dt>\s*<dd[^>]*>\s*([^<]*?)\s*</;
    const casePage = (await w.page(`/staff/cases/${encodeURIComponent(c.reference)}`)).body;
    expect(received.exec(casePage)?.[1]).toBe('27 February 2026');
    const task = (await h.view(h.linkFor('acknowledge'))).body;
    expect(received.exec(task)?.[1]).toBe('27 February 2026');
    const search = (await w.page('/staff/search', { q: c.reference })).body;
    expect(search).toContain('27 February 2026');
    for (const page of [casePage, task, search]) expect(page).not.toContain('midnight');
    const receipt = h.sent.find((m) => m.template === 'receipt' && m.to.includes(RESIDENT_EMAIL));
    expect(receipt?.text).toContain('on Friday 27 February 2026.');
  });

  it('shows the time of a call recorded with one', async () => {
    h = await createHarness();
    const w = await workspace();

    const c = await w.record(phoneCall(h));

    expect(c.receivedDateOnly).toBeUndefined();
    const casePage = (await w.page(`/staff/cases/${encodeURIComponent(c.reference)}`)).body;
    expect(casePage).toContain('2 March 2026 at 8:30am');
  });

  /**
   * An anonymous letter is recorded as the resident form takes anonymous feedback: no name or
   * contact needed, none kept, a manager decides what to do with the complaint, and there is
   * nobody to send a receipt to.
   */
  it('records an anonymous letter for a manager to decide on, with no receipt for anyone', async () => {
    h = await createHarness();
    const w = await workspace();
    const service = phoneCall(h).service as string;

    const c = await w.record({
      channel: 'letter',
      receivedDay: '27',
      receivedMonth: '2',
      receivedYear: '2026',
      kind: 'complaint',
      service,
      summary: 'The bins in Mill Lane have not been emptied for a month. I will not give my name.',
      anonymous: 'yes',
    });

    expect(c).toMatchObject({ anonymous: true, complainant: {}, triage: { route: 'refer-to-manager' } });
    expect(h.states(c.caseId)).toContain("Await the manager's decision");
    const manager =
      h.policy.routing.services.find((s) => s.id === service)?.manager ?? h.policy.routing.complaintsTeam;
    expect(h.sent.flatMap((m) => m.to)).toEqual([manager]);
    expect((await h.store.events(c.caseId)).filter((e) => e.type === 'letter-written')).toEqual([]);
    expect((await h.caseOf(c.caseId)).lettersToPost ?? []).toEqual([]);
    const casePage = (await w.page(`/staff/cases/${encodeURIComponent(c.reference)}`)).body;
    expect(casePage).toMatch(/From\s*<\/dt>\s*<dd[^>]*>\s*Anonymous\s*</);
  });

  /**
   * The same page sent twice (a double click the button's own guard misses, or the page sent
   * again after a slow answer) records one case for one call, and the resident gets one receipt.
   */
  it('records one case when the same page is sent twice', async () => {
    h = await createHarness();
    const staffStore = new MemoryStaffStore();
    const now = () => h.clock.now();
    const session = await staffSession(staffStore, TEAM, now());
    const api = workspaceApi(workspaceDeps({ store: h.store as never, staffStore, policy: h.policy, now }));
    const send = () =>
      api(formPost('/staff/record', { csrf: session.csrf, ...phoneCall(h) }, { Cookie: session.cookie }));

    const [first, second] = await Promise.all([send(), send()]);

    expect(first.statusCode).toBe(303);
    expect(second.statusCode).toBe(303);
    expect(second.headers?.Location).toBe(first.headers?.Location);
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import type { CaseRecord } from '../../functions/domain/case.js';
import { apiEvent, formPost } from '../support/api-event.js';
import { MemoryStaffStore } from '../support/memory-staff-store.js';
import { TEAM } from '../support/staff-members.js';
import { staffSession, workspaceApi, workspaceDeps } from '../support/workspace-api.js';
import { createHarness, type Harness } from './harness.js';

let h: Harness;

afterEach(async () => {
  await h?.close();
});

/** The workspace over the harness's store; `record` posts the form and returns the case it names. */
async function workspace() {
  const staffStore = new MemoryStaffStore();
  const now = () => h.clock.now();
  const session = await staffSession(staffStore, TEAM, now());
  const api = workspaceApi(workspaceDeps({ store: h.store as never, staffStore, policy: h.policy, now }));
  /** Sends the form as it is filled in, and answers what the workspace answered. */
  const post = (fields: Record<string, string>) =>
    api(formPost('/staff/record', { csrf: session.csrf, ...fields }, { Cookie: session.cookie }));
  return {
    /** Opens the form, as an officer does for each letter, and sends it: its page's id goes with it. */
    async record(fields: Record<string, string>, again?: { formId: string }): Promise<CaseRecord> {
      const form = await api(
        apiEvent('GET', '/staff/record', { headers: { Accept: 'text/html', Cookie: session.cookie } }),
      );
      const formId = again?.formId ?? (/name="formId" value="([^"]+)"/.exec(form.body)?.[1] as string);
      const posted = await post({ formId, ...fields });
      expect(posted.statusCode).toBe(303);
      await h.advanceTo(h.clock.now().toISOString());
      const reference = decodeURIComponent(
        /cases\/([^?]+)/.exec(String(posted.headers?.Location))?.[1] ?? '',
      );
      return (await h.store.getByReference(reference)) as CaseRecord;
    },
    page: (path: string) =>
      api(apiEvent('GET', path, { headers: { Accept: 'text/html', Cookie: session.cookie } })),
    post,
    /** A service of the council's that handles complaints itself. */
    service: h.policy.routing.services.find((s) => !s.redirect && !s.housingLandlord)?.id as string,
  };
}

describe('recording anonymous letters', () => {
  it('records two identical anonymous letters that came the same day as two cases', async () => {
    h = await createHarness();
    const w = await workspace();
    const { service } = w;
    // A campaign: the same unsigned letter from two households, opened the same morning.
    const letter = {
      channel: 'letter',
      receivedDay: '2',
      receivedMonth: '3',
      receivedYear: '2026',
      kind: 'complaint',
      service,
      summary: 'The bins in Mill Lane have not been emptied for a month. I will not give my name.',
      anonymous: 'yes',
    };

    const first = await w.record(letter);
    const second = await w.record(letter);
    // The same page sent twice (a second press) is still one letter.
    const page = await w.page('/staff/record');
    const formId = /name="formId" value="([^"]+)"/.exec(page.body)?.[1] as string;
    const pressed = await w.record(letter, { formId });
    const pressedAgain = await w.record(letter, { formId });

    expect(second.reference).not.toBe(first.reference);
    expect(pressedAgain.reference).toBe(pressed.reference);
    expect(new Set([first.reference, second.reference, pressed.reference]).size).toBe(3);
  });
});

describe('anonymous with contact details typed', () => {
  it('does not silently drop a name, email and representative the officer typed', async () => {
    h = await createHarness();
    const w = await workspace();

    // "Anonymous" chosen by mistake on a call where the caller gave everything.
    const posted = await w.post({
      channel: 'phone',
      receivedDay: '2',
      receivedMonth: '3',
      receivedYear: '2026',
      kind: 'complaint',
      service: w.service,
      summary: 'The bins in Mill Lane have not been emptied for a month.',
      anonymous: 'yes',
      'complainant.name': 'Peter Smith',
      'complainant.email': 'peter.smith@example.com',
      'complainant.contactBy': 'email',
      'onBehalfOf.name': 'Mary Smith',
      'onBehalfOf.relationship': 'mother',
      'onBehalfOf.consent': 'yes',
    });

    // Asked which it is: never a case with nobody to reply to and no word of it.
    expect(posted.statusCode).toBe(400);
    expect(posted.body).toContain('They cannot stay anonymous with a name or contact details recorded');
    expect(posted.body).toContain('value="Peter Smith"');
    expect(await h.store.byComplainant('peter.smith@example.com')).toEqual([]);
  });
});

describe('the date received as typed', () => {
  it.each([
    ['0x1', '3'],
    ['1e0', '3'],
    ['2', '0x3'],
  ])('refuses day %s month %s, which are not numbers as a person writes them', async (day, month) => {
    h = await createHarness();
    const w = await workspace();

    const posted = await w.post({
      channel: 'letter',
      receivedDay: day,
      receivedMonth: month,
      receivedYear: '2026',
      kind: 'complaint',
      service: w.service,
      summary: 'The bins in Mill Lane have not been emptied for a month.',
      anonymous: 'yes',
    });

    expect(posted.statusCode).toBe(400);
  });
});

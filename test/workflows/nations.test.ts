import { afterEach, describe, expect, it } from 'vitest';
import { recordOmbudsman, type StaffActionDeps } from '../../functions/app/staff-actions.js';
import type { StaffMember } from '../../functions/domain/staff.js';
import { ACKNOWLEDGE } from '../support/acknowledge.js';
import { complaintFrom, createHarness, type Harness, RESIDENT } from './harness.js';

/**
 * A council in Scotland, on the spso-model-chp preset (the SPSO Model Complaints Handling
 * Procedure), run through the complaint workflow on the local engine: its 5-day frontline
 * response counted on Scotland's bank holidays, social work handled as any other service, and
 * the Scottish Public Services Ombudsman, never the LGSCO or the Housing Ombudsman, signposted.
 */

let h: Harness;

const COMPLAINTS_TEAM: StaffMember = {
  sub: 'complaints-1',
  email: 'complaints.officer@example.gov.uk',
  name: 'Casey Complaints',
  roles: ['complaints-team'],
  services: [],
};

afterEach(async () => {
  await h?.close();
});

describe('a council in Scotland', () => {
  it('answers a frontline complaint in 5 working days, skipping St Andrew’s Day, and signposts the SPSO only at the end', async () => {
    h = await createHarness({ policy: 'spso-model-chp', start: '2026-11-27T10:00:00.000Z' });
    const c = await h.submit(complaintFrom(h, { service: 'housing' }));

    const received = await h.caseOf(c.caseId);
    // Mon 30 Nov 2026 is St Andrew's Day: day 5 is Mon 7 Dec (in England it would be Fri 4 Dec).
    expect(received.deadlines.respondBy).toBe('2026-12-07T23:59:59.000Z');

    await h.act(h.linkFor('acknowledge'), ACKNOWLEDGE);
    await h.act(h.linkFor('respond'), {
      decision: 'respond',
      outcome: 'not-upheld',
      response: 'The repair was booked for the first free slot.',
    });
    const response = h.sent.find((m) => m.template === 'response');
    expect(response?.text).toMatch(/stage 2/i);
    expect(response?.text).not.toMatch(/Ombudsman/);

    await h.act(h.linkFor('stage-2-request'), { decision: 'request', response: 'Nobody came.' });
    const stage2 = await h.caseOf(c.caseId);
    await h.act(h.linkFor('acknowledge', stage2.assignedTo), ACKNOWLEDGE);
    await h.act(h.linkFor('respond', stage2.assignedTo), {
      decision: 'respond',
      outcome: 'upheld',
      response: 'The repair should have been made within a week.',
    });

    expect(h.templates(RESIDENT)).toEqual([
      'receipt',
      'acknowledgement',
      'response',
      'stage-2-acknowledgement',
      'final-response',
    ]);
    const final = h.sent.find((m) => m.template === 'final-response');
    expect(final?.text).toContain(
      'You can ask the Scottish Public Services Ombudsman to look at your complaint.',
    );
    expect(final?.text).toContain('Phone: 0800 377 7330');
    expect(final?.text).not.toMatch(/Housing Ombudsman|Local Government and Social Care Ombudsman/);
  });

  it('handles a social work complaint under the same procedure instead of redirecting it', async () => {
    h = await createHarness({ policy: 'spso-model-chp', start: '2026-11-27T10:00:00.000Z' });

    const c = await h.submit(complaintFrom(h, { service: 'social-work' }));

    expect(h.templates(RESIDENT)).toEqual(['receipt']);
    expect(await h.caseOf(c.caseId)).toMatchObject({
      kind: 'complaint',
      service: 'social-work',
      assignedTo: 'socialwork.feedback@example.gov.uk',
    });
  });

  it('records an enquiry from the SPSO, and refuses one from an ombudsman who does not cover Scotland', async () => {
    h = await createHarness({ policy: 'spso-model-chp' });
    const c = await h.submit(complaintFrom(h));
    const deps = { ...h, now: () => h.clock.now() } as unknown as StaffActionDeps;

    await expect(
      recordOmbudsman(deps, COMPLAINTS_TEAM, c.reference, { ombudsman: 'lgsco' }),
    ).rejects.toMatchObject({ statusCode: 400, fields: { ombudsman: 'Choose which Ombudsman is asking' } });
    await recordOmbudsman(deps, COMPLAINTS_TEAM, c.reference, { ombudsman: 'spso' });

    const events = await h.store.events(c.caseId);
    expect(events.at(-1)).toMatchObject({
      type: 'ombudsman-enquiry',
      actor: COMPLAINTS_TEAM.email,
      detail: { ombudsman: 'spso' },
    });
    expect(await h.caseOf(c.caseId)).toMatchObject({ ombudsmanInvolved: true });
  });
});

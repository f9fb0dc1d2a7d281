import type { Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { createApi } from '../../functions/app/api.js';
import { loadPolicy } from '../../functions/domain/policy.js';
import { referralOf } from '../../functions/domain/referrals.js';
import { recordedService, type TriageInput, triage } from '../../functions/domain/triage.js';
import { jsonPost } from '../support/api-event.js';
import { MemoryCaseStore } from '../support/memory-store.js';

/**
 * A service request goes to the service it is for. When no service of this council is for it (a
 * district council, South Norfolk, has no highways service: roads are the county's), it goes to
 * the complaints team, who pass it on: never to the unrelated service the resident happened to
 * choose, whose team would be sent a pothole it cannot fill.
 */
function report(summary: string, service?: string): TriageInput {
  return { kind: 'complaint', summary, anonymous: false, ...(service ? { service } : {}) };
}

const POTHOLE = 'There is a big pothole outside 12 Elm Road, please can someone fill it in.';

/** Triage's verdict, and where the case intake records from it is referred. */
function recorded(input: TriageInput, policyId: string) {
  const policy = loadPolicy(policyId);
  const verdict = triage(input, policy);
  const service = recordedService(verdict, input.service);
  return { policy, verdict, service, referral: referralOf(policy, { triage: verdict, service }) };
}

describe('triage: a service request no service of the council is for', () => {
  it('sends a pothole reported with "Bins" chosen in South Norfolk to the complaints team, not the bins team', () => {
    const { policy, verdict, service, referral } = recorded(
      report(POTHOLE, 'waste-recycling'),
      'south-norfolk',
    );
    expect(verdict).toMatchObject({ route: 'redirect', exclusion: 'service-request' });
    expect(service).toBeUndefined();
    expect(referral?.mailbox).toBe(policy.routing.complaintsTeam);
    expect(verdict.reasons.join(' ')).toContain(
      'No service in the routing table is for it, so it is recorded against none and the complaints team passes it on',
    );
  });

  it('does not tell a South Norfolk resident to report a pothole on the council’s own website', () => {
    const { verdict } = recorded(report(POTHOLE, 'waste-recycling'), 'south-norfolk');
    expect(verdict.redirect).not.toContain('South Norfolk Council website');
    expect(verdict.redirect).toContain('Your report will be dealt with as a service request.');
  });

  it('sends a pothole reported with no service chosen in South Norfolk to the complaints team', () => {
    const { policy, verdict, referral } = recorded(report(POTHOLE), 'south-norfolk');
    expect(verdict).toMatchObject({ route: 'redirect', exclusion: 'service-request' });
    expect(referral?.mailbox).toBe(policy.routing.complaintsTeam);
  });

  it('still sends a missed bin in South Norfolk to its bins team, whichever service was chosen', () => {
    const { policy, verdict, service, referral } = recorded(
      report('My bin was not collected this morning, 4 Church Lane.', 'planning'),
      'south-norfolk',
    );
    expect(verdict).toMatchObject({ route: 'redirect', exclusion: 'service-request' });
    expect(service).toBe('waste-recycling');
    expect(referral?.mailbox).toBe(policy.routing.services.find((s) => s.id === 'waste-recycling')?.mailbox);
  });

  it('still sends a pothole reported with "Bins" chosen in Dorset to its highways team', () => {
    const { policy, verdict, service, referral } = recorded(report(POTHOLE, 'waste-recycling'), 'dorset');
    expect(verdict).toMatchObject({ route: 'redirect', exclusion: 'service-request' });
    expect(service).toBe('highways');
    expect(referral?.mailbox).toBe(policy.routing.services.find((s) => s.id === 'highways')?.mailbox);
    expect(verdict.redirect).toContain('"Report it" on the Dorset Council website');
  });
});

describe('triage: a service request for a service with no mailbox of its own', () => {
  // Dudley's "Corporate Landlord Services" has no mailbox, and its name fits the housing repair
  // rule's /landlord/: chosen with a repair, the case is recorded against it and referred to the
  // complaints team (`serviceRequestReferral`), so the officer's reasons must say that team has
  // it to pass on, as they do when no service is for it, not that it went to the service.
  const BOILER = 'My boiler is broken and not working in my council flat, please send someone.';

  it('tells the officer the complaints team has it to pass on, as the referral says', () => {
    const { policy, verdict, referral } = recorded(report(BOILER, 'corporate-landlord'), 'dudley');
    expect(verdict).toMatchObject({ route: 'redirect', exclusion: 'service-request' });
    expect(referral?.mailbox).toBe(policy.routing.complaintsTeam);
    expect(verdict.reasons.join(' ')).not.toContain('passed to the service');
    expect(verdict.reasons.join(' ')).toContain('complaints team');
  });
});

describe('POST /complaints: a pothole sent with "Bins" to South Norfolk', () => {
  it('is stored against no service, so the complaints team has it, not the bins team', async () => {
    // Prepare
    const store = new MemoryCaseStore();
    const policy = loadPolicy('south-norfolk');
    const api = createApi({
      store,
      policy,
      now: () => new Date('2026-03-02T10:00:00Z'),
      newId: () => 'case-1',
    });
    // Act
    const answer = await api(
      jsonPost('/complaints', {
        kind: 'complaint',
        service: 'waste-recycling',
        summary: POTHOLE,
        complainant: { name: 'Ada Lovelace', email: 'ada@example.com' },
      }),
      {} as Context,
    );
    // Assess
    expect(answer.statusCode).toBe(201);
    const stored = store.cases.get('case-1');
    expect(stored?.triage).toMatchObject({ route: 'redirect', exclusion: 'service-request' });
    expect(stored?.service).toBeUndefined();
    expect(stored && referralOf(policy, stored)?.mailbox).toBe(policy.routing.complaintsTeam);
  });
});

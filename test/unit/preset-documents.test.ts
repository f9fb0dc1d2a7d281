import { describe, expect, it } from 'vitest';
import { loadPolicy } from '../../functions/domain/policy.js';
import { exclusionReferral } from '../../functions/domain/referrals.js';
import { triage } from '../../functions/domain/triage.js';

/*
 * The shipped presets held to the words of the council documents they implement (and to their
 * own `sources` notes), clause by clause, where the timescale tests do not reach.
 */

describe('the south-norfolk preset', () => {
  const policy = loadPolicy('south-norfolk');

  // South Norfolk is a district council: its preset's own notes say adult social care is Norfolk
  // County Council's, so social care complaints are redirected there, not to a team of its own.
  it('tells a resident with a social care complaint that Norfolk County Council deals with it', () => {
    const referral = exclusionReferral(policy, 'social-care');

    expect(referral?.told).toMatch(/Norfolk County Council/);
    expect(referral?.told).not.toMatch(/\bour\b/i);
    expect(referral?.team).toMatch(/Norfolk County Council/);
  });

  it('does not promise contact from a South Norfolk social care team it does not have', () => {
    const referral = exclusionReferral(policy, 'social-care');

    expect(referral?.mailbox).toBeUndefined();
    expect(referral?.contactWithinWorkingDays).toBeUndefined();
  });

  it('redirects a complaint about a care package to Norfolk County Council at triage', () => {
    const result = triage(
      {
        kind: 'complaint',
        summary: "My mum's care package was cut without anyone talking to us.",
        anonymous: false,
      },
      policy,
    );

    expect(result).toMatchObject({ route: 'refer', exclusion: 'social-care' });
    expect(result.redirect).toMatch(/Norfolk County Council/);
  });
});

describe('the unitary-feedback preset', () => {
  const policy = loadPolicy('unitary-feedback');

  // The unitary council's Customer Feedback Procedure §7.1: "All customer reports of hate crime
  // to the Council should be passed to Customer Relations for action" (its complaints team here).
  it('passes reports of hate crime to its own Customer Relations team', () => {
    const referral = exclusionReferral(policy, 'hate-incident');

    expect(referral?.mailbox).toBe(policy.routing.complaintsTeam);
    expect(referral?.team).toMatch(/Customer Relations/);
  });

  // §7.1: "Complainants will be advised of the course of action to be taken."
  it('tells the resident the course of action will be explained to them', () => {
    expect(exclusionReferral(policy, 'hate-incident')?.told).toMatch(/what action will be taken/);
  });
});

describe('every preset', () => {
  it.each([
    'lgsco-code-2024',
    'dorset',
    'south-norfolk',
    'unitary-feedback',
    'dudley',
    'social-care-statutory',
  ])('names the council documents in its sources by their titles, never as "the seed" (%s)', (id) => {
    const sources = Object.entries(loadPolicy(id).sources ?? {});

    expect(sources.filter(([, text]) => /\bseeds?\b/i.test(text))).toEqual([]);
  });
});

describe('the Code as the presets cite it', () => {
  // The Code §2.2: "accept complaints referred to them within 12 months of the issue occurring,
  // or the individual becoming aware of the issue".
  it.each(['lgsco-code-2024', 'dorset', 'south-norfolk', 'unitary-feedback', 'dudley'])(
    'cites the Code §2.2 for the 12-month time limit (%s)',
    (id) => {
      expect(loadPolicy(id).sources?.['complaint.timeLimitMonths']).toMatch(/the Code §2\.2\b/);
    },
  );

  // The Code §5.3 gives a dissatisfied individual the opportunity to make a complaint; it says
  // nothing about which team handles stage 1, which is Redress's own default.
  it('does not attribute who handles stage 1 to the Code §5.3', () => {
    const source = loadPolicy('lgsco-code-2024').sources?.['complaint.stage1Handler'];

    expect(source).not.toMatch(/§5\.3/);
    expect(source).toMatch(/^Redress default/);
  });
});

import { describe, expect, it } from 'vitest';
import { computeDeadlines, stage2RequestDeadline } from '../../functions/domain/deadlines.js';
import { loadPolicy } from '../../functions/domain/policy.js';
import { exclusionReferral, referralOf } from '../../functions/domain/referrals.js';
import { triage } from '../../functions/domain/triage.js';

/*
 * The shipped presets held to the words of the council documents they implement (and to their
 * own `sources` notes), clause by clause, where the timescale tests do not reach.
 */

describe('the south-norfolk preset', () => {
  const policy = loadPolicy('south-norfolk');

  // South Norfolk Council Complaints Policy, 'Other types of feedback or enquiries': "The
  // following will not be dealt with under this policy": fraud or corruption, whistleblowing,
  // hate incidents, information requests, member misconduct.
  const DOCUMENT_LIST = [
    'fraud-corruption',
    'whistleblowing',
    'hate-incident',
    'information-rights',
    'councillor-conduct',
  ];
  // Its definition of a complaint, "an expression of dissatisfaction about a council service ...
  // that requires a response", leaves out a first request for a service (the Code §1.6–1.8 too).
  const BY_DEFINITION = ['service-request'];
  // What South Norfolk, a district council, cannot take by law: social care and schools are Norfolk
  // County Council's functions (and a school's own governing body answers complaints about it).
  const COUNTY_BY_LAW = ['social-care', 'childrens-social-care', 'schools'];

  it("excludes what the policy's list of other types of feedback names, what its definition of a complaint leaves out, and the county's functions, nothing else", () => {
    expect([...policy.exclusions].sort()).toEqual(
      [...DOCUMENT_LIST, ...BY_DEFINITION, ...COUNTY_BY_LAW].sort(),
    );
  });

  it('says in its sources, with the law, why each exclusion the policy does not list is there', () => {
    for (const exclusion of COUNTY_BY_LAW) {
      const source = policy.sources[`exclusions.${exclusion}`] ?? '';

      expect(source, exclusion).toMatch(/Norfolk County Council/);
      expect(source, exclusion).toMatch(/Act \d{4}/);
      expect(source, exclusion).toMatch(/not in South Norfolk Council Complaints Policy/);
    }
    expect(policy.sources['exclusions.service-request']).toMatch(/definition of a complaint/);
  });

  // A first report is a request for the service, not dissatisfaction with it: it goes to the
  // service, and the complaints procedure is there if the service then fails.
  it('sends a first report of a missed bin to the service, not into the complaints procedure', () => {
    const result = triage(
      { kind: 'complaint', summary: 'My bin was not collected this morning.', anonymous: false },
      policy,
    );

    expect(result.exclusion).toBe('service-request');
    expect(result.route).not.toBe('handle');
  });

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

describe('the lgsco-code-2024 preset', () => {
  const policy = loadPolicy('lgsco-code-2024');

  // A triage reason quotes the policy's source for the exclusion it applied: each exclusion needs
  // its own (the Code's clause, or the law the other route rests on), or a hate incident's
  // referral would cite the Code's words about service requests.
  it('gives each exclusion its own source, never the whole list', () => {
    const sources = policy.exclusions.map((exclusion) => policy.sources[`exclusions.${exclusion}`]);

    for (const [i, source] of sources.entries()) {
      expect(source, policy.exclusions[i]).toMatch(/the Code §|Act \d{4}|Regulations \d{4}|SI \d{4}/);
    }
    expect(new Set(sources).size).toBe(sources.length);
  });

  // The Code §1.2 and §1.6–1.8 define a service request and say it is not a complaint; the Code
  // §2.3 has a policy set out what else it does not take, each for its own reason.
  it('cites the service request clauses for service requests only', () => {
    expect(policy.sources['exclusions.service-request']).toMatch(/the Code §1\.2 and §1\.6–1\.8/);
    for (const exclusion of policy.exclusions.filter((e) => e !== 'service-request')) {
      expect(policy.sources[`exclusions.${exclusion}`], exclusion).not.toMatch(/service request/i);
    }
  });

  it("gives a hate incident the route it rests on: the police, and the council's duty on crime and disorder", () => {
    const source = policy.sources['exclusions.hate-incident'];

    expect(source).toMatch(/police/);
    expect(source).toMatch(/Crime and Disorder Act 1998 s\.17/);
    expect(source).toMatch(/the Code §2\.3/);
  });
});

describe('the unitary-feedback preset', () => {
  const policy = loadPolicy('unitary-feedback');

  // §7.1 (hate crime: the True Vision route) is the procedure's own exclusion: triage reasons
  // cite it as this policy's source, not the Code preset's whole list.
  it('gives hate crime its clause of the procedure as its source', () => {
    expect(policy.sources['exclusions.hate-incident']).toMatch(/Customer Feedback Procedure §7\.1/);
  });

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

describe('the dudley preset', () => {
  const policy = loadPolicy('dudley');

  // Triage reasons cite a policy's source for each exclusion: Dudley's own clause for each, not the
  // whole list (§3 'A complaint is NOT' and 'Exclusions to the Corporate Feedback Policy').
  it('gives each exclusion its own clause of the procedure as its source', () => {
    for (const exclusion of policy.exclusions) {
      expect(policy.sources[`exclusions.${exclusion}`], exclusion).toMatch(
        /^Dudley MBC Corporate Customer Feedback Procedure, June 2019, §3/,
      );
    }
  });

  // Dudley MBC Corporate Customer Feedback Procedure, June 2019, §3 and §4: Adult Social Care
  // complaints follow their own (statutory) process at complaints.socialcare@dudley.gov.uk. Under
  // SI 2009/309 reg. 13 the council acknowledges them within 3 working days of receiving them, so
  // the resident cannot be told to expect contact later than that.
  it('promises contact about an adult social care complaint within the 3 working days the regulations allow', () => {
    const service = policy.routing.services.find((s) => s.id === 'adult-social-care');

    expect(service?.mailbox).toBe('complaints.socialcare@dudley.gov.uk');
    expect(service?.redirect?.contactWithinWorkingDays).toBeLessThanOrEqual(3);
    expect(exclusionReferral(policy, 'social-care')?.contactWithinWorkingDays).toBeLessThanOrEqual(3);
  });

  // §3 'Exclusions': "Adult Social Care and Children's Services" are separate processes; a
  // resident who chose Children's Services is told about Children's Services.
  it("tells a resident who complained about Children's Services that those complaints follow a separate procedure", () => {
    const triaged = triage(
      {
        kind: 'complaint',
        summary: 'The council lost my application twice.',
        anonymous: false,
        service: 'childrens-services',
      },
      policy,
    );
    expect(triaged).toMatchObject({ route: 'refer', exclusion: 'childrens-social-care' });

    const referral = referralOf(policy, {
      triage: { route: 'refer', exclusion: 'childrens-social-care', reasons: triaged.reasons },
      service: 'childrens-services',
    });

    expect(referral?.told).toContain("Complaints about Children's Services follow a separate procedure");
    expect(referral?.told).not.toContain('Adult Social Care');
  });
});

describe("children's social care in the presets", () => {
  // The Children Act 1989 s.26 and the Children Act 1989 Representations Procedure (England)
  // Regulations 2006 set a procedure of their own for children's social care; the adult one
  // (SI 2009/309) is not it. A council that runs children's services refers these complaints to
  // its own children's team until Redress runs that procedure.
  it.each(['lgsco-code-2024', 'dorset', 'unitary-feedback', 'dudley', 'social-care-statutory'])(
    "refers children's social care to a team of the council's own, and says where that comes from (%s)",
    (id) => {
      const policy = loadPolicy(id);
      const referral = exclusionReferral(policy, 'childrens-social-care');

      expect(policy.exclusions).toContain('childrens-social-care');
      expect(referral?.mailbox).toMatch(/@/);
      expect(referral?.told).toMatch(/Children's (social care|Services)/i);
      // The council's own name may say "adult" (the social-care-statutory example): what it is told may not.
      expect(referral?.told.replaceAll(policy.council, '')).not.toMatch(/adult/i);
      const cited = Object.entries(policy.sources).filter(([key]) => key.includes('childrens-social-care'));
      expect(cited.map(([, text]) => text).join(' ')).toMatch(/Children Act 1989/);
    },
  );

  // The unitary council's Customer Feedback Procedure §1.3: "Legislation determines how we must
  // deal with social care complaints and feedback and there are separate procedures covering this."
  it('cites §1.3 of the unitary council’s procedure for its children’s route', () => {
    const sources = loadPolicy('unitary-feedback').sources;

    expect(sources['destinations.childrens-social-care']).toMatch(/§1\.3/);
  });

  // South Norfolk is a district council: children's social care is Norfolk County Council's, as
  // adult social care is; the resident is told to contact the county, and nobody is said to have it.
  it('sends a South Norfolk resident to Norfolk County Council for children’s social care', () => {
    const policy = loadPolicy('south-norfolk');
    const result = triage(
      { kind: 'complaint', summary: 'Our foster placement broke down without warning.', anonymous: false },
      policy,
    );
    const referral = exclusionReferral(policy, 'childrens-social-care');

    expect(result).toMatchObject({ route: 'refer', exclusion: 'childrens-social-care' });
    expect(result.redirect).toMatch(/Norfolk County Council/);
    expect(referral?.mailbox).toBeUndefined();
    expect(referral?.contactWithinWorkingDays).toBeUndefined();
  });

  // In Scotland social work complaints, children's included, follow the SPSO's model procedure.
  it('handles children’s social work under the SPSO model procedure', () => {
    const result = triage(
      { kind: 'complaint', summary: 'Our foster placement broke down without warning.', anonymous: false },
      loadPolicy('spso-model-chp'),
    );

    expect(result).toMatchObject({ kind: 'complaint', route: 'handle' });
  });

  it.each(['lgsco-code-2024', 'dorset', 'unitary-feedback'])(
    'promises no contact date for children’s social care (%s)',
    (id) => {
      expect(
        exclusionReferral(loadPolicy(id), 'childrens-social-care')?.contactWithinWorkingDays,
      ).toBeUndefined();
    },
  );
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

/*
 * Dates as a council officer works them out by hand from the document, with a wall calendar:
 * the day of receipt is day 0, and day N is the Nth working day after it (England and Wales).
 */
describe('deadlines counted by hand from the council documents', () => {
  // Dudley MBC Corporate Customer Feedback Procedure, June 2019, §4 Stage 1: acknowledge within 5
  // working days, respond within 20. Emailed at 17:00 on Maundy Thursday, 25 March 2027: Good
  // Friday (26th) and Easter Monday (29th) are closed and the clocks go forward on Easter Sunday.
  // Day 1 Tue 30 Mar | 5 Mon 5 Apr | 18 Thu 22 Apr | 20 Mon 26 Apr | (Early May bank holiday
  // Mon 3 May) | 30 Tue 11 May.
  it('gives a Dudley complaint received on Maundy Thursday 2027 its stage-1 dates', () => {
    expect(computeDeadlines(loadPolicy('dudley'), 'complaint', '2027-03-25T17:00:00Z')).toEqual({
      acknowledgeBy: '2027-04-05T22:59:59.000Z',
      respondBy: '2027-04-26T22:59:59.000Z',
      remindAt: '2027-04-21T23:00:00.000Z',
      extensionLimit: '2027-05-11T22:59:59.000Z',
    });
  });

  // Dudley §4 Stage 2: "This must be requested within 20 working days of the date of the Stage 1
  // response". A response dated Friday 10 December 2027: Christmas Day and Boxing Day fall at the
  // weekend (Mon 27 and Tue 28 Dec closed), so does New Year's Day 2028 (Mon 3 Jan closed).
  // Day 10 Fri 24 Dec | 11 Wed 29 | 13 Fri 31 | 14 Tue 4 Jan | 20 Wed 12 Jan 2028.
  it('closes the Dudley stage-2 window on the 20th working day after a response of 10 December 2027', () => {
    expect(stage2RequestDeadline(loadPolicy('dudley'), '2027-12-10T15:00:00Z')).toBe(
      '2028-01-12T23:59:59.000Z',
    );
  });

  // South Norfolk Council Complaints Policy "Response Times": 15 working days. Emailed at 18:30 on
  // Friday 18 December 2026: day 1 Mon 21 | 4 Thu 24 | (Christmas Fri 25, Boxing Day substitute
  // Mon 28) 5 Tue 29 | 7 Thu 31 | (New Year's Day) 8 Mon 4 Jan | 15 Wed 13 Jan 2027.
  it('gives a South Norfolk complaint received on a Friday evening before Christmas its dates', () => {
    expect(computeDeadlines(loadPolicy('south-norfolk'), 'complaint', '2026-12-18T18:30:00Z')).toMatchObject({
      acknowledgeBy: '2026-12-29T23:59:59.000Z',
      respondBy: '2027-01-13T23:59:59.000Z',
    });
  });

  // Friday 23 October 2026 at 23:30 in London (BST, 22:30Z) and Saturday 00:30 (23:30Z) both
  // count from that weekend: day 1 Mon 26 Oct (after the clocks go back) | 5 Fri 30 Oct.
  it.each(['2026-10-23T22:30:00Z', '2026-10-23T23:30:00Z'])(
    'counts a Dudley complaint made at %s, late on a summer-time Friday, from that weekend',
    (receivedAt) => {
      expect(computeDeadlines(loadPolicy('dudley'), 'complaint', receivedAt).acknowledgeBy).toBe(
        '2026-10-30T23:59:59.000Z',
      );
    },
  );

  // SI 2009/309 reg. 13(1): acknowledged "not later than 3 working days after the day on which it
  // receives the complaint"; reg. 14: six months beginning on the day of receipt. Received on
  // Friday 18 December 2026: Mon 21, Tue 22, Wed 23 Dec; six months end on Thursday 17 June 2027.
  it('gives a statutory social care complaint received on 18 December 2026 its dates', () => {
    expect(
      computeDeadlines(loadPolicy('social-care-statutory'), 'social-care', '2026-12-18T18:30:00Z'),
    ).toMatchObject({ acknowledgeBy: '2026-12-23T23:59:59.000Z', tellIfBeyond: '2027-06-17T22:59:59.000Z' });
  });

  // The unitary council's Customer Feedback Procedure §6.1 (compliments acknowledged within 5
  // working days) and §6.2 (a comment replied to within 5), §3.2 (Christmas Day, Good Friday and
  // England and Wales bank holidays are not working days): received Thursday 25 March 2027,
  // day 1 Tue 30 Mar | 5 Mon 5 Apr.
  it('gives the unitary council a compliment and a comment received on Maundy Thursday 2027 their dates', () => {
    const policy = loadPolicy('unitary-feedback');

    expect(computeDeadlines(policy, 'compliment', '2027-03-25T12:00:00Z')).toEqual({
      acknowledgeBy: '2027-04-05T22:59:59.000Z',
    });
    expect(computeDeadlines(policy, 'comment', '2027-03-25T12:00:00Z')).toEqual({
      replyBy: '2027-04-05T22:59:59.000Z',
    });
  });
});

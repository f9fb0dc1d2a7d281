import { describe, expect, it } from 'vitest';
import { EXCLUSION_IDS, type ExclusionId, type Policy } from '../../functions/domain/policy-schema.js';
import {
  notAComplaintRedirect,
  TRIAGE_RULES,
  type TriageInput,
  triage,
} from '../../functions/domain/triage.js';
import type { FeedbackKind } from '../../functions/domain/types.js';
import { makePolicy, policyExcludingEverything } from '../support/policy-fixture.js';

function complaint(summary: string, extra: Partial<TriageInput> = {}): TriageInput {
  return { kind: 'complaint', summary, anonymous: false, ...extra };
}

/** Realistic resident texts, each of which should be recognised as the given exclusion. */
const POSITIVES: readonly [ExclusionId, string, string?][] = [
  ['service-request', 'There is a big pothole outside 12 Elm Road, please can someone fill it in.'],
  ['service-request', 'Our bin was not collected this morning, can you send someone?'],
  ['service-request', 'Missed bin collection on Church Lane today.'],
  ['service-request', "My recycling bin hasn't been collected today."],
  ['service-request', 'I need a replacement bin, ours was stolen.'],
  ['service-request', 'The street light outside number 4 is not working.'],
  ['service-request', 'Overhanging branches from the council verge are blocking the footpath on Mill Lane.'],
  ['service-request', 'Someone has fly-tipped a mattress and a sofa in the alley behind Queen Street.'],
  ['service-request', 'My boiler has stopped working, please arrange a repair.', 'Send a heating engineer'],
  ['social-care', "My mum's care package was cut without anyone talking to us."],
  ['social-care', 'The social worker never returned my calls about my son.'],
  ['social-care', 'The carer from the agency you commissioned did not turn up on Tuesday.'],
  ['childrens-social-care', 'Our foster placement broke down and nobody from the council told us why.'],
  ['childrens-social-care', 'The child protection social worker cancelled three visits to my daughter.'],
  [
    'childrens-social-care',
    'My granddaughter was taken into care and we were never assessed as kinship carers.',
  ],
  ['schools', "The headteacher at my daughter's primary school will not deal with the bullying."],
  ['information-rights', 'I made a Freedom of Information request in March and have had nothing.'],
  ['information-rights', 'I want a copy of all the information you hold about me.', 'Subject access request'],
  ['data-protection', 'You sent my letter to my neighbour, which is a data breach.'],
  ['councillor-conduct', 'Councillor Smith was extremely rude to me at the ward surgery.'],
  ['councillor-conduct', 'I believe my ward councillor has breached the code of conduct.'],
  ['employment', 'I work for the council and my line manager is bullying me.'],
  ['employment', 'I raised a grievance in January and HR have not answered.'],
  ['has-appeal-route', 'You refused my planning application for a rear extension and I think that is wrong.'],
  ['has-appeal-route', 'I got a parking ticket but the signs were covered by a hedge.', 'Cancel the PCN'],
  ['has-appeal-route', 'We did not get a place at our first choice school for our son.'],
  ['has-appeal-route', 'My housing benefit was stopped and I disagree with the decision.'],
  ['legal-proceedings', 'My solicitor has issued proceedings against the council about the flood damage.'],
  ['legal-proceedings', 'This is now the subject of a judicial review.'],
  ['insurance-claim', 'I made a claim against the council for my car tyre and have heard nothing.'],
  ['insurance-claim', 'My insurance claim for the fallen tree damage is still open.'],
  ['whistleblowing', 'I am a member of staff and I want to blow the whistle on how contracts are awarded.'],
  ['fraud-corruption', 'I want to report benefit fraud: my neighbour is working and claiming.'],
  ['fraud-corruption', 'A planning officer took a bribe to approve the development.'],
  ['hate-incident', 'My neighbour shouts racist abuse at my children every day.'],
  ['hate-incident', 'I was attacked in the park because I am gay.'],
  ['hate-incident', 'I want to report a hate incident at the bus station.'],
];

/** Texts that look like an exclusion but are complaints: must be handled. */
const NEGATIVES: readonly string[] = [
  'I reported the pothole three times and nothing was done.',
  'My complaint is about the officer who was rude when I reported a missed bin.',
  'Our bin has been missed again, the fourth time this month.',
  'I reported the street light in January and it is still not working.',
  'The crew left rubbish all over the road and your contact centre ignored my emails.',
  'I contacted my councillor who was very helpful, but the housing officer was rude and dismissive.',
  'The officer refused to discuss my account because of data protection, even though I am the account holder.',
  'My planning application has had no decision after six months and nobody replies to my emails.',
  'The parking warden was rude and shouted at me in front of my children.',
  'If this is not sorted out I will take legal action.',
  'The council tax bill is wrong and you have charged me twice.',
  'My council flat has had damp and mould for months and nobody has come to fix it.',
  'The contact centre kept me on hold for an hour and then cut me off.',
  'The school bus did not turn up and the transport team did not answer the phone.',
  'A tree fell on my car in the storm and I want compensation.',
  'I am unhappy that my planning objection was not considered before the decision.',
  'I have been waiting 12 weeks for a decision on my housing benefit claim.',
  'Councillor Jones has not replied to my emails for six weeks.',
];

describe('triage', () => {
  describe('exclusions', () => {
    it.each(POSITIVES)('recognises %s in "%s"', (exclusion, summary, desiredOutcome) => {
      // Prepare
      const policy = policyExcludingEverything();

      // Act
      const result = triage(complaint(summary, { desiredOutcome }), policy);

      // Assess
      // A service request goes back to the service at once; any other exclusion is referred, and checked.
      const route = exclusion === 'service-request' ? 'redirect' : 'refer';
      expect(result).toMatchObject({ route, exclusion, kind: 'complaint' });
      expect(result.redirect).toMatch(/\w/);
      expect(result.redirect).toContain('.');
      expect(result.reasons.join(' ')).toMatch(/Looks like/);
    });

    it('has a positive example for every exclusion id', () => {
      const covered = new Set(POSITIVES.map(([id]) => id));

      expect([...covered].sort()).toEqual([...EXCLUSION_IDS].sort());
    });

    it('has a rule for every exclusion id', () => {
      const ruled = new Set(TRIAGE_RULES.map((r) => r.exclusion));

      expect([...ruled].sort()).toEqual([...EXCLUSION_IDS].sort());
    });

    it.each(NEGATIVES)('handles "%s" as a complaint', (summary) => {
      const policy = policyExcludingEverything();

      const result = triage(complaint(summary), policy);

      expect(result.route).toBe('handle');
      expect(result.kind).toBe('complaint');
      expect(result.exclusion).toBeUndefined();
      expect(result.redirect).toBeUndefined();
    });

    it('reads the desired outcome as well as the summary', () => {
      const policy = policyExcludingEverything();

      const result = triage(
        complaint('Outside 3 Park Road.', { desiredOutcome: 'Fill in the pothole' }),
        policy,
      );

      expect(result.exclusion).toBe('service-request');
    });

    it('handles curly apostrophes in resident text', () => {
      const policy = policyExcludingEverything();

      const result = triage(complaint('We didn\u2019t get a place at our first choice school.'), policy);

      expect(result.exclusion).toBe('has-appeal-route');
    });

    it('does not exclude what the policy does not list, and says so in the reasons', () => {
      // Prepare: this policy lists no exclusions at all
      const policy = { ...makePolicy({ exclusions: [] }), socialCare: undefined };

      // Act
      const result = triage(complaint('There is a pothole outside 12 Elm Road.'), policy);

      // Assess
      expect(result.route).toBe('handle');
      expect(result.exclusion).toBeUndefined();
      expect(result.reasons.join(' ')).toMatch(/does not exclude service-request/);
    });

    it('applies only the exclusions the policy lists', () => {
      const policy = makePolicy({ exclusions: ['hate-incident'] });

      const pothole = triage(complaint('There is a pothole outside 12 Elm Road.'), policy);
      const hate = triage(complaint('Racist graffiti has been sprayed on my door.'), policy);

      expect(pothole.route).toBe('handle');
      expect(hate).toMatchObject({ route: 'refer', exclusion: 'hate-incident' });
    });

    it('puts the council name in the redirect text', () => {
      // The rule's words send the resident to the council's own website: a council with roads.
      const policy = makePolicy({
        exclusions: [...EXCLUSION_IDS],
        routing: { services: [{ id: 'highways', name: 'Roads and pavements', directorate: 'Place' }] },
      });

      const result = triage(complaint('There is a pothole outside 12 Elm Road.'), policy);

      expect(result.redirect).toContain('Test Council website');
      expect(result.redirect).not.toContain('{council}');
      expect(result.redirect).toMatch(/already reported it.*treat it as a complaint/);
    });

    it('tells a hate crime victim where to report it, and never that someone has it, when the policy names no team', () => {
      const policy = policyExcludingEverything();

      const result = triage(complaint('My neighbour shouts racist abuse at my children every day.'), policy);

      expect(result.redirect).toMatch(/999/);
      expect(result.redirect).toMatch(/101/);
      expect(result.redirect).not.toMatch(/passed/);
      // The officer's reason speaks for this council, not from another council's procedure.
      expect(result.reasons.join(' ')).toMatch(/hate crime and hate incidents follow their own route/);
      expect(result.reasons.join(' ')).not.toMatch(/unitary council|Customer Relations/);
    });

    it("tells a hate crime victim what the policy's destination says", () => {
      const policy = makePolicy({
        exclusions: ['hate-incident'],
        destinations: {
          'hate-incident': {
            team: 'our Customer Relations team',
            mailbox: 'customer.relations@test-council.example',
            told: 'Our Customer Relations team deals with hate crime at {council}.',
            contactWithinWorkingDays: 2,
          },
        },
      });

      const result = triage(complaint('My neighbour shouts racist abuse at my children every day.'), policy);

      expect(result).toMatchObject({ route: 'refer', exclusion: 'hate-incident' });
      expect(result.redirect).toBe('Our Customer Relations team deals with hate crime at Test Council.');
    });
  });

  describe('injury or damage alongside a fault (a complaint or a claim, never a first report)', () => {
    /** A resident hurt by a fault, or whose property it damaged, is not turned away to "Report it". */
    const HARMED: readonly [string, string][] = [
      [
        'keeps a trip on a broken paving slab that broke a wrist as a complaint',
        'I tripped on a broken paving slab outside the library and broke my wrist.',
      ],
      [
        'keeps a fall over a pothole that hurt a knee as a complaint',
        'I fell over a pothole on Mill Lane and hurt my knee.',
      ],
      [
        'keeps a slip on an uneven pavement that ended in A&E as a complaint',
        'My mum slipped on the uneven pavement by the bus stop and ended up in A&E.',
      ],
      [
        'keeps a car damaged by a pothole as a complaint: no claim made yet, so the complaints team decides whether it is one',
        'My car was damaged by a pothole on the A38.',
      ],
      [
        'keeps a tyre burst by a pothole as a complaint',
        'I hit a pothole on Station Road and it burst my tyre.',
      ],
      [
        'keeps a sprained ankle in the dark under a broken street light as a complaint',
        'The street light outside number 4 is not working and I fell on the kerb in the dark and sprained my ankle.',
      ],
      [
        'keeps a car dented by a fallen branch as a complaint',
        'A fallen branch from the council tree on Park Road dented my car.',
      ],
    ];

    it.each(HARMED)('%s', (_name, summary) => {
      const policy = policyExcludingEverything();

      const result = triage(complaint(summary), policy);

      expect(result).toMatchObject({ kind: 'complaint', route: 'handle' });
      expect(result.exclusion).toBeUndefined();
      expect(result.redirect).toBeUndefined();
    });

    it('notes in the reasons that the fault is for the highways service, and that a claim is for the insurance team', () => {
      const policy = policyExcludingEverything();

      const result = triage(
        complaint('I tripped on a broken paving slab outside the library and broke my wrist.'),
        policy,
      );

      const reasons = result.reasons.join(' ');
      expect(reasons).toMatch(/Looks like a pothole or road defect: the text mentions "broken paving"/);
      expect(reasons).toMatch(/"broke my wrist"/);
      expect(reasons).toMatch(/highways service/);
      expect(reasons).toMatch(/insurance team/);
    });

    it('refers a hurt resident who has already claimed to the insurance team, as the policy lists claims', () => {
      const policy = policyExcludingEverything();

      const result = triage(
        complaint(
          'I tripped on a broken paving slab, broke my wrist and have made a claim against the council.',
        ),
        policy,
      );

      expect(result).toMatchObject({ route: 'refer', exclusion: 'insurance-claim' });
    });

    it('handles the same claim as a complaint when the policy does not exclude claims', () => {
      const policy = { ...makePolicy({ exclusions: ['service-request'] }), socialCare: undefined };

      const result = triage(
        complaint(
          'I tripped on a broken paving slab, broke my wrist and have made a claim against the council.',
        ),
        policy,
      );

      expect(result.route).toBe('handle');
    });

    /** A warning that someone might be hurt is still a first report of the fault. */
    const HAZARDS: readonly string[] = [
      'There is a pothole outside the school gates, someone will get hurt.',
      'Broken paving slab outside the library, someone could be injured.',
      'I nearly tripped on a broken paving slab on the High Street.',
      'The loose kerb on Mill Lane is a trip hazard before someone breaks a leg.',
      'There is a deep pothole outside 14 Station Road that nearly threw me off my bike this morning.',
    ];

    it.each(HAZARDS)('still redirects a warning with nobody hurt yet: "%s"', (summary) => {
      const policy = policyExcludingEverything();

      const result = triage(complaint(summary), policy);

      expect(result).toMatchObject({ route: 'redirect', exclusion: 'service-request' });
    });

    /**
     * A word that only looks like a hedge (the month "May", the name "Will", "going home") in the
     * words before a fall that happened does not set the fall aside.
     */
    it.each([
      'Nobody was hurt, but the pothole on Mill Lane is getting deeper.',
      'Luckily no one was injured, but there is a broken street light on Mill Lane.',
    ])('still redirects "%s" as a first report: the harm it names did not happen', (summary) => {
      const result = triage(complaint(summary), policyExcludingEverything());

      expect(result).toMatchObject({ route: 'redirect', exclusion: 'service-request' });
    });

    const HARMED_WITH_A_WORD_THAT_LOOKS_HYPOTHETICAL: readonly string[] = [
      'On 3 May I tripped on a broken paving slab on the High Street.',
      'I was going home when I tripped on a broken paving slab and fell.',
      'My son Will fell off his bike because of a pothole on Mill Lane.',
    ];

    it.each(HARMED_WITH_A_WORD_THAT_LOOKS_HYPOTHETICAL)(
      'keeps a fall that happened as a complaint although a word before it looks like a hedge: "%s"',
      (summary) => {
        const policy = policyExcludingEverything();

        const result = triage(complaint(summary), policy);

        expect(result).toMatchObject({ kind: 'complaint', route: 'handle' });
        expect(result.redirect).toBeUndefined();
      },
    );
    /**
     * A hedge ("could", "before", "when") in the same sentence does not make an injury that happened
     * a feared one: "could" is about something else, and a clause opened by a time word tells by its
     * tense whether the injury happened.
     */
    const HARMED_AFTER_A_HEDGE_ABOUT_SOMETHING_ELSE: readonly string[] = [
      'I could hardly walk when I fell on the broken paving slab outside the library.',
      'I could have died when I tripped on the broken paving slab on the High Street.',
      'I could feel I had broken my wrist after the broken paving slab on Mill Lane gave way.',
      'Just before I tripped on the broken paving slab on Mill Lane I had seen it was loose.',
      'Before I fell on the broken paving slab on Mill Lane I saw it was loose.',
      'The pothole on Mill Lane is dangerous as my mum tripped over it.',
    ];

    it.each(HARMED_AFTER_A_HEDGE_ABOUT_SOMETHING_ELSE)(
      'keeps an injury that happened as a complaint although a hedge comes before it: "%s"',
      (summary) => {
        const policy = policyExcludingEverything();

        const result = triage(complaint(summary), policy);

        expect(result).toMatchObject({ kind: 'complaint', route: 'handle' });
        expect(result.redirect).toBeUndefined();
      },
    );

    /** The same words before an injury that is only feared still make it a first report. */
    const FEARED_AFTER_A_HEDGE: readonly string[] = [
      'It is only a matter of time before someone is injured on the broken paving slab on Mill Lane.',
      'The broken paving slab on Mill Lane needs fixing before anyone gets hurt.',
      'Broken paving slab on Mill Lane: a child could very easily be seriously injured.',
      'The broken paving slab on Mill Lane will only be fixed when someone is injured, I suppose.',
      'I could have broken my neck on the broken paving slab on Mill Lane.',
      'Nothing will happen until someone gets hurt on the broken paving slab on Mill Lane.',
    ];

    it.each(FEARED_AFTER_A_HEDGE)('still redirects a feared injury as a first report: "%s"', (summary) => {
      const policy = policyExcludingEverything();

      const result = triage(complaint(summary), policy);

      expect(result).toMatchObject({ route: 'redirect', exclusion: 'service-request' });
    });

    /**
     * A clause opened by a time word that says in the present who was hurt ("who is 80") or how
     * things are ("when it is dark") still tells of a fall that happened: the tense of those words
     * is not the fall's.
     */
    const HARMED_IN_A_TIME_CLAUSE_THAT_DESCRIBES_WHO: readonly string[] = [
      'When my mum who is 80 fell on the broken pavement she broke her hip.',
      'After my son who is disabled tripped on the broken paving slab he needed stitches.',
      'When the pavement is wet I slipped on the broken paving slab outside the shop.',
      'The street light on Mill Lane is out and when it is dark my mum tripped on the kerb.',
    ];

    it.each(HARMED_IN_A_TIME_CLAUSE_THAT_DESCRIBES_WHO)(
      'keeps an injury that happened as a complaint when the time clause has other words in the present: "%s"',
      (summary) => {
        const policy = policyExcludingEverything();

        const result = triage(complaint(summary), policy);

        expect(result).toMatchObject({ kind: 'complaint', route: 'handle' });
        expect(result.redirect).toBeUndefined();
      },
    );

    /** "Causing" damage that is being done now is not a feared one. */
    const DAMAGE_BEING_CAUSED: readonly string[] = [
      'The pothole outside my house is causing damage to my car and I need it filled.',
      'The blocked drain is causing damage to our garden and home.',
    ];

    it.each(DAMAGE_BEING_CAUSED)('keeps damage being caused now as a complaint: "%s"', (summary) => {
      const policy = policyExcludingEverything();

      const result = triage(complaint(summary), policy);

      expect(result).toMatchObject({ kind: 'complaint', route: 'handle' });
      expect(result.redirect).toBeUndefined();
    });
  });

  describe('repairs to council buildings that are not homes', () => {
    /** A council whose routing table has a housing landlord service and a leisure service. */
    function withServices(): Policy {
      return {
        ...makePolicy({
          exclusions: [...EXCLUSION_IDS],
          routing: {
            services: [
              {
                id: 'housing',
                name: 'Council housing (landlord services)',
                directorate: 'Housing',
                housingLandlord: true,
              },
              { id: 'parks-leisure', name: 'Parks, libraries and leisure', directorate: 'Place' },
            ],
          },
        }),
        socialCare: undefined,
      };
    }

    const NOT_HOMES: readonly string[] = [
      'The library roof leaks.',
      'The roof of the community centre is leaking onto the stage.',
      'The heating at the leisure centre has not been on all week and the pool is freezing.',
      'The toilet in the museum is broken.',
      'The lift at the civic centre is not working.',
      'Leak in the leisure centre changing room ceiling.',
      'The school hall windows are broken and need replacing.',
      'There is a leak in the library ceiling.',
      'Water is coming through the kitchen ceiling at the community centre.',
      'The ceiling of the leisure centre changing room is leaking.',
    ];

    it.each(NOT_HOMES)('does not send "%s" to the housing repairs line', (summary) => {
      const policy = policyExcludingEverything();

      const result = triage(complaint(summary), policy);

      expect(result).toMatchObject({ kind: 'complaint', route: 'handle' });
      expect(result.redirect ?? '').not.toMatch(/repairs line/);
    });

    it('says in the reasons why a repair to a building that is not a home is not a housing repair', () => {
      const policy = policyExcludingEverything();

      const result = triage(complaint('The library roof leaks.'), policy);

      expect(result.reasons.join(' ')).toMatch(/the text names the library, which is not a home/);
    });

    const HOMES: readonly string[] = [
      "My council flat's roof leaks.",
      'The roof leaks.',
      'The boiler in my flat has stopped working.',
      'I am a council tenant and the heating in my home next to the library is not working.',
      'The lift is broken in our block of flats next to the leisure centre.',
      'The boiler has stopped working and the children come home from school to a cold house.',
      'There is a leak in my bathroom ceiling',
      'Water is coming through the kitchen ceiling.',
      'My bathroom ceiling is leaking.',
      'There is a leak from the pipe under my sink.',
    ];

    it.each(HOMES)('still sends "%s" to the housing repairs line', (summary) => {
      // A council with homes of its own: its repairs line is the place for them.
      const policy = withServices();

      const result = triage(complaint(summary), policy);

      expect(result).toMatchObject({ route: 'redirect', exclusion: 'service-request' });
      expect(result.redirect).toMatch(/repairs line/);
    });

    /**
     * A leak in a home told with what the council did wrong, or what it ruined, is a complaint,
     * never a first report for the repairs line.
     */
    const LEAKS_WITH_A_COMPLAINT: readonly string[] = [
      'Your workmen caused a leak in my bathroom ceiling when they fitted the new roof.',
      'The leak in my bathroom ceiling was meant to be fixed on Monday but the plumber did not turn up.',
      'Water is dripping from my kitchen ceiling and the repairs line hung up on me.',
      "The leak in my ceiling has ruined my carpets and my daughter's bed.",
      'The leak in my ceiling collapsed and hit my son on the head.',
      "My landlord refuses to fix a leak in my kitchen ceiling and environmental health won't help.",
      'The council caused a leak in my ceiling and nobody will take responsibility.',
      'The repairs team refused to come out to my leaking boiler.',
      'The plumber you sent did not fix the leak in my bathroom ceiling properly.',
    ];

    it('still sends a fall that only nearly happened to the service: "I nearly fell on the broken slab on Mill Lane."', () => {
      const result = triage(
        complaint('I nearly fell on the broken slab on Mill Lane.'),
        policyExcludingEverything(),
      );

      expect(result).toMatchObject({ route: 'redirect', exclusion: 'service-request' });
    });

    it.each(LEAKS_WITH_A_COMPLAINT)('handles "%s" as a complaint', (summary) => {
      const policy = policyExcludingEverything();

      const result = triage(complaint(summary), policy);

      expect(result).toMatchObject({ kind: 'complaint', route: 'handle' });
      expect(result.redirect).toBeUndefined();
    });

    /**
     * A home's address in a street named after a building ("School Lane", "College Road") is not
     * that building: the broken boiler at home goes to the repairs line.
     */
    const HOMES_IN_STREETS_NAMED_AFTER_BUILDINGS: readonly string[] = [
      'The boiler at 3 School Lane has stopped working.',
      'The heating at 14 College Road is not working.',
    ];

    it.each(HOMES_IN_STREETS_NAMED_AFTER_BUILDINGS)(
      'still sends "%s" to the housing repairs line: the street name is not a building',
      (summary) => {
        const policy = withServices();

        const result = triage(complaint(summary), policy);

        expect(result).toMatchObject({ route: 'redirect', exclusion: 'service-request' });
        expect(result.redirect).toMatch(/repairs line/);
      },
    );

    /**
     * "Go home" or "got home" after a repair at a council building does not make it a repair at
     * home.
     */
    const NOT_HOMES_WITH_GOING_HOME: readonly string[] = [
      'The toilet in the library is broken so I had to go home.',
      'The heating at the leisure centre is not working, we got home frozen.',
    ];

    it.each(NOT_HOMES_WITH_GOING_HOME)(
      'does not send "%s" to the housing repairs line: going home is not a repair at home',
      (summary) => {
        const policy = policyExcludingEverything();

        const result = triage(complaint(summary), policy);

        expect(result).toMatchObject({ kind: 'complaint', route: 'handle' });
        expect(result.redirect ?? '').not.toMatch(/repairs line/);
      },
    );

    it('reads a housing landlord service chosen by the resident as a home', () => {
      const summary = 'The community centre roof on our estate leaks.';

      const chosen = triage(complaint(summary, { service: 'housing' }), withServices());
      const none = triage(complaint(summary), withServices());

      expect(chosen).toMatchObject({ route: 'redirect', exclusion: 'service-request' });
      expect(none.route).toBe('handle');
    });

    it('reads a chosen service that runs libraries or leisure as a building that is not a home', () => {
      const result = triage(
        complaint('The roof is leaking over the main hall.', { service: 'parks-leisure' }),
        withServices(),
      );

      expect(result.route).toBe('handle');
      expect(result.reasons.join(' ')).toMatch(/Parks, libraries and leisure/);
    });
  });

  describe('kinds', () => {
    it.each<FeedbackKind>(['compliment', 'comment', 'representation'])(
      'never treats a %s as a service request or an appeal',
      (kind) => {
        const policy = policyExcludingEverything();

        const result = triage(
          {
            kind,
            summary: 'The pothole on Elm Road and my parking ticket made me think about road safety.',
            anonymous: false,
          },
          policy,
        );

        expect(result).toMatchObject({ kind, route: 'handle' });
      },
    );

    it.each<FeedbackKind>(['compliment', 'comment', 'representation'])(
      'still routes a hate incident given as a %s',
      (kind) => {
        const policy = policyExcludingEverything();

        const result = triage(
          { kind, summary: 'People at the bus stop were shouting homophobic abuse.', anonymous: false },
          policy,
        );

        expect(result).toMatchObject({ kind, route: 'refer', exclusion: 'hate-incident' });
      },
    );

    it.each<FeedbackKind>(['compliment', 'comment', 'representation'])(
      'still routes whistleblowing given as a %s',
      (kind) => {
        const policy = policyExcludingEverything();

        const result = triage(
          { kind, summary: 'I want to make a whistleblowing disclosure about my team.', anonymous: false },
          policy,
        );

        expect(result).toMatchObject({ kind, route: 'refer', exclusion: 'whistleblowing' });
      },
    );

    it.each<FeedbackKind>(['complaint', 'compliment', 'comment', 'representation'])(
      'handles an ordinary %s',
      (kind) => {
        const policy = policyExcludingEverything();

        const result = triage(
          { kind, summary: 'The library opening hours on Saturdays are too short.', anonymous: false },
          policy,
        );

        expect(result).toMatchObject({ kind, route: 'handle' });
        expect(result.reasons.join(' ')).toMatch(new RegExp(`handled as a ${kind}`));
      },
    );
  });

  describe('statutory social care', () => {
    it('routes a social-care complaint to the social-care workflow when the policy runs it', () => {
      const policy = makePolicy({ exclusions: ['social-care'] });

      const result = triage(complaint("My dad's home care visits keep being cut short."), policy);

      expect(result).toMatchObject({ kind: 'social-care', route: 'handle' });
      expect(result.exclusion).toBeUndefined();
    });

    it('routes by the chosen service as well as by the text', () => {
      const policy = makePolicy({
        routing: {
          services: [{ id: 'adult-social-care', name: 'Adult Social Care', directorate: 'People' }],
        },
      });

      const result = triage(
        complaint('Nobody has called me back.', { service: 'adult-social-care' }),
        policy,
      );

      expect(result).toMatchObject({ kind: 'social-care', route: 'handle' });
      expect(result.reasons.join(' ')).toMatch(/Adult Social Care/);
    });

    it('redirects social care when the policy has no social-care procedure and excludes it', () => {
      const policy = { ...makePolicy({ exclusions: ['social-care'] }), socialCare: undefined };

      const result = triage(complaint('The social worker never returned my calls.'), policy);

      expect(result).toMatchObject({ kind: 'complaint', route: 'refer', exclusion: 'social-care' });
      expect(result.redirect).toMatch(/social care complaints team/);
    });

    it('keeps a compliment about social care as a compliment', () => {
      const policy = makePolicy({ exclusions: ['social-care'] });

      const result = triage(
        { kind: 'compliment', summary: 'Our social worker was wonderful with my son.', anonymous: false },
        policy,
      );

      expect(result).toMatchObject({ kind: 'compliment', route: 'handle' });
    });
  });

  describe("children's social care (the Children Act 1989's procedure, not the adult one)", () => {
    /** A council running the adult statutory procedure that refers children's social care to its own team. */
    function unitaryLike(): Policy {
      return makePolicy({
        exclusions: ['social-care', 'childrens-social-care'],
        routing: {
          services: [
            { id: 'waste', name: 'Waste and recycling', directorate: 'Place' },
            {
              id: 'adult-social-care',
              name: 'Adult social care',
              directorate: 'People',
              redirect: { to: 'the adult social care complaints team', kind: 'social-care' },
            },
            {
              id: 'childrens-social-care',
              name: "Children's social care",
              directorate: 'People',
              redirect: { to: "the children's social care complaints team", kind: 'childrens-social-care' },
            },
          ],
        },
        destinations: {
          'childrens-social-care': {
            team: "our children's social care complaints team",
            mailbox: 'childrens.complaints@test-council.example',
            told: "Complaints about children's social care follow a separate procedure set by law.",
          },
        },
      });
    }

    it.each([
      ['adult-social-care', 'Our foster carers were moved without anyone telling the children.'],
      ['waste', 'The child protection social worker for my son never visits.'],
      [undefined, 'My nephew is a looked after child and his care plan has not been reviewed.'],
      ['adult-social-care', "The children's social worker was rude to me at the child in need meeting."],
    ])('refers it to the children’s team whichever service was chosen (%s)', (service, summary) => {
      const result = triage(complaint(summary, service ? { service } : {}), unitaryLike());

      expect(result).toMatchObject({
        kind: 'complaint',
        route: 'refer',
        exclusion: 'childrens-social-care',
        service: 'childrens-social-care',
      });
      expect(result.redirect).toContain("children's social care");
      expect(result.reasons.join(' ')).toMatch(/Children Act 1989/);
    });

    it.each([
      "The social worker reviewing my mother's care package ignored what my granddaughter told her about her falls.",
      "My dad's care home will not let my grandchildren visit him at weekends.",
      'The social worker never returned my calls about my son.',
      "My mum's carers keep missing visits and my kids have to help her get up.",
    ])(
      'keeps an adult social care complaint that mentions a child on the adult procedure: "%s"',
      (summary) => {
        const result = triage(complaint(summary, { service: 'adult-social-care' }), unitaryLike());

        expect(result).toMatchObject({ kind: 'social-care', route: 'handle' });
        expect(result.exclusion).toBeUndefined();
      },
    );

    it('refers a complaint sent with the children’s service whatever its words', () => {
      const result = triage(
        complaint('Nobody has called me back.', { service: 'childrens-social-care' }),
        unitaryLike(),
      );

      expect(result).toMatchObject({ kind: 'complaint', route: 'refer', exclusion: 'childrens-social-care' });
    });

    it('keeps a compliment about a foster carer as a compliment', () => {
      const result = triage(
        { kind: 'compliment', summary: 'Our foster carer support worker was wonderful.', anonymous: false },
        unitaryLike(),
      );

      expect(result).toMatchObject({ kind: 'compliment', route: 'handle' });
    });

    it('never runs it on the adult procedure, even where the policy names no route for it', () => {
      const policy = makePolicy({ exclusions: ['social-care'] });

      const result = triage(complaint('Our foster placement broke down without warning.'), policy);

      expect(result.kind).toBe('complaint');
      expect(result.reasons.join(' ')).toMatch(/does not exclude childrens-social-care/);
    });

    it('handles it here where social work complaints follow the corporate procedure (Scotland)', () => {
      const policy = { ...makePolicy({ exclusions: [] }), socialCare: undefined };

      const result = triage(complaint('Our foster placement broke down without warning.'), policy);

      expect(result).toMatchObject({ kind: 'complaint', route: 'handle' });
    });

    it('sends it with social care where one team takes both and the policy names none for children', () => {
      const policy = { ...makePolicy({ exclusions: ['social-care'] }), socialCare: undefined };

      const result = triage(complaint('Our foster placement broke down without warning.'), policy);

      expect(result).toMatchObject({ kind: 'complaint', route: 'refer', exclusion: 'social-care' });
    });
  });

  describe('services with their own procedure (policy routing table)', () => {
    /** Like Dudley (Dudley MBC Corporate Customer Feedback Procedure, June 2019): social care and GLL-run libraries are handled elsewhere. */
    function dudleyLike(): Policy {
      return {
        ...makePolicy({
          council: 'Dudley Metropolitan Borough Council',
          exclusions: [],
          routing: {
            services: [
              {
                id: 'adult-social-care',
                name: 'Adult Social Care',
                directorate: 'People',
                redirect: { to: 'complaints.socialcare@dudley.gov.uk', kind: 'social-care' },
              },
              {
                id: 'libraries',
                name: 'Libraries and Archives',
                directorate: 'People',
                redirect: { to: 'GLL Leisure', url: 'https://www.better.org.uk/libraries', kind: 'external' },
              },
              { id: 'highways', name: 'Highways', directorate: 'Place', mailbox: 'env@dudley.example' },
            ],
          },
        }),
        socialCare: undefined,
      };
    }

    it('redirects an external service even when the policy lists no exclusions', () => {
      const result = triage(
        complaint('The library was closed when it should have been open.', { service: 'libraries' }),
        dudleyLike(),
      );

      expect(result.route).toBe('refer');
      expect(result.exclusion).toBeUndefined();
      expect(result.redirect).toContain('GLL Leisure (https://www.better.org.uk/libraries)');
      expect(result.redirect).toContain('Libraries and Archives');
    });

    it('redirects a social-care service to its own contact', () => {
      const result = triage(
        complaint('Nobody has called me back.', { service: 'adult-social-care' }),
        dudleyLike(),
      );

      expect(result).toMatchObject({ route: 'refer', exclusion: 'social-care' });
      expect(result.redirect).toContain('complaints.socialcare@dudley.gov.uk');
    });

    it('redirects a compliment about an external service too', () => {
      const result = triage(
        {
          kind: 'compliment',
          summary: 'Lovely staff at Brierley Hill library.',
          service: 'libraries',
          anonymous: false,
        },
        dudleyLike(),
      );

      expect(result.route).toBe('refer');
    });

    it('finds a service by its name as well as its id', () => {
      const result = triage(complaint('Closed early.', { service: 'libraries and archives' }), dudleyLike());

      expect(result.route).toBe('refer');
    });

    it('handles a complaint about a service without a redirect', () => {
      const result = triage(
        complaint('The gritters never came to our road.', { service: 'highways' }),
        dudleyLike(),
      );

      expect(result.route).toBe('handle');
    });

    it('records an unknown service in the reasons and still handles the complaint', () => {
      const result = triage(
        complaint('The gritters never came to our road.', { service: 'roads-dept' }),
        dudleyLike(),
      );

      expect(result.route).toBe('handle');
      expect(result.reasons.join(' ')).toMatch(/"roads-dept" is not in the routing table/);
    });
  });

  describe('anonymous complaints', () => {
    it('refers an anonymous complaint to a manager when the policy says so', () => {
      const policy = makePolicy({ complaint: { anonymous: 'refer-to-manager' } });

      const result = triage(complaint('The park toilets are always locked.', { anonymous: true }), policy);

      expect(result).toMatchObject({ kind: 'complaint', route: 'refer-to-manager' });
      expect(result.reasons.join(' ')).toMatch(/manager/);
    });

    it('handles an anonymous complaint when the policy investigates them', () => {
      const policy = makePolicy({ complaint: { anonymous: 'investigate' } });

      const result = triage(complaint('The park toilets are always locked.', { anonymous: true }), policy);

      expect(result.route).toBe('handle');
      expect(result.reasons.join(' ')).toMatch(/investigates anonymous complaints/);
    });

    it('handles an anonymous compliment', () => {
      const policy = makePolicy({ complaint: { anonymous: 'refer-to-manager' } });

      const result = triage(
        { kind: 'compliment', summary: 'Great job on the park.', anonymous: true },
        policy,
      );

      expect(result.route).toBe('handle');
    });

    it('still redirects an anonymous first report', () => {
      const policy = makePolicy({ complaint: { anonymous: 'refer-to-manager' } });

      const result = triage(
        complaint('There is a pothole outside the school gates.', { anonymous: true }),
        policy,
      );

      expect(result).toMatchObject({ route: 'redirect', exclusion: 'service-request' });
    });
  });

  describe('representatives', () => {
    it('asks for consent when a representative complains without it', () => {
      const policy = makePolicy();

      const result = triage(
        complaint('My neighbour has been waiting months for a repair.', { onBehalfOf: { consent: false } }),
        policy,
      );

      expect(result).toMatchObject({ kind: 'complaint', route: 'needs-consent' });
      expect(result.reasons.join(' ')).toMatch(/consent/);
    });

    it('handles a representative complaint with consent', () => {
      const policy = makePolicy();

      const result = triage(
        complaint('My neighbour has been waiting months for a repair.', { onBehalfOf: { consent: true } }),
        policy,
      );

      expect(result.route).toBe('handle');
    });

    it('asks for consent for a social-care complaint made by a representative', () => {
      const policy = makePolicy();

      const result = triage(
        complaint("My aunt's care package was changed without telling her.", {
          onBehalfOf: { consent: false },
        }),
        policy,
      );

      expect(result).toMatchObject({ kind: 'social-care', route: 'needs-consent' });
    });
  });

  describe('vexatious complainants', () => {
    it('routes contact from a vexatious complainant to the nominated officer', () => {
      const policy = makePolicy();

      const result = triage(
        complaint('Same complaint as last week about my neighbour.', { complainantVexatious: true }),
        policy,
      );

      expect(result).toMatchObject({ kind: 'complaint', route: 'nominated-officer' });
      expect(result.reasons.join(' ')).toMatch(/nominated officer/);
    });

    it('sends the nominated officer even what would have been redirected, with the reason', () => {
      const policy = makePolicy();

      const result = triage(
        complaint('There is a pothole on Elm Road.', { complainantVexatious: true }),
        policy,
      );

      expect(result.route).toBe('nominated-officer');
      expect(result.exclusion).toBeUndefined();
      expect(result.reasons.join(' ')).toMatch(/would otherwise have said: Looks like a pothole/);
    });
  });

  describe('notAComplaintRedirect', () => {
    it('tells the resident the request was passed on and how to come back with a complaint', () => {
      const text = notAComplaintRedirect(makePolicy({ council: 'Dorset Council' }));

      expect(text).toContain('Dorset Council website');
      expect(text).toMatch(/treat it as a complaint\.$/);
    });
  });
});

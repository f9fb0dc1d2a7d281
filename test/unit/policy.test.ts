import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, onTestFinished } from 'vitest';
import {
  loadPolicy,
  PolicyError,
  PRESET_IDS,
  parsePolicy,
  serviceById,
} from '../../functions/domain/policy.js';
import type { Policy } from '../../functions/domain/policy-schema.js';
import { ombudsmanFor } from '../../functions/templates/render-email.js';
import { BASE_POLICY } from '../support/policy-fixture.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/policies/', import.meta.url));

/** Loads a fixture by its file name, so messages name the file as a council would type it. */
function loadFixture(name: string): Policy {
  return loadPolicy(name, { cwd: FIXTURES });
}

function errorOf(act: () => unknown): PolicyError {
  try {
    act();
  } catch (error: unknown) {
    if (error instanceof PolicyError) return error;
    throw error;
  }
  throw new Error('expected a PolicyError');
}

function emailsOf(policy: Policy): string[] {
  const { routing } = policy;
  return [
    routing.complaintsTeam,
    routing.stage2Reviewer,
    routing.nominatedOfficer,
    policy.representation.policyOwner,
    ...(policy.socialCare ? [policy.socialCare.signOffBy.email] : []),
    ...routing.services.flatMap((s) =>
      [s.mailbox, s.manager, s.stage2Reviewer].filter((e): e is string => Boolean(e)),
    ),
  ];
}

describe('loadPolicy presets', () => {
  it.each(PRESET_IDS)('loads the %s preset with its own id', (id) => {
    // Act
    const policy = loadPolicy(id);

    // Assess
    expect(policy.id).toBe(id);
    expect(policy.routing.services.length).toBeGreaterThan(0);
  });

  it('loads the Code preset when no policy is named', () => {
    const policy = loadPolicy();

    expect(policy.id).toBe('lgsco-code-2024');
  });

  it('has the Code numbers in the lgsco-code-2024 preset', () => {
    const policy = loadPolicy('lgsco-code-2024');
    const { complaint, ombudsman, retention, routing } = policy;

    expect(complaint.stages).toBe(2);
    expect(complaint.stage1.acknowledge).toEqual({ workingDays: 5, from: 'receipt' });
    expect(complaint.stage1.respond).toEqual({ workingDays: 10, from: 'acknowledgement' });
    expect(complaint.stage1.extension).toEqual({
      maxWorkingDays: 10,
      reasonsRequired: true,
      includeOmbudsmanDetails: true,
    });
    expect(complaint.stage2).toMatchObject({
      acknowledge: { workingDays: 5, from: 'request' },
      respond: { workingDays: 20, from: 'acknowledgement' },
      extension: { maxWorkingDays: 10 },
      groundsRequired: false,
      differentOfficer: true,
    });
    expect(ombudsman).toEqual({ nation: 'england', signpostAtEveryStage: true });
    expect(ombudsmanFor(policy, 'waste-recycling')).toMatchObject({
      kind: 'lgsco',
      phone: '0300 061 0614',
      url: 'https://www.lgo.org.uk',
    });
    expect(ombudsmanFor(policy, 'housing')).toMatchObject({
      kind: 'housing',
      phone: '0300 111 3000',
      url: 'https://www.housing-ombudsman.org.uk',
    });
    expect(retention).toEqual({ closedYears: 2, ombudsmanYears: 6 });
    expect(routing.services.some((s) => s.housingLandlord)).toBe(true);
  });

  it('uses only example.gov.uk mailboxes outside the seed councils', () => {
    for (const id of [
      'lgsco-code-2024',
      'dorset',
      'south-norfolk',
      'unitary-feedback',
      'social-care-statutory',
    ]) {
      for (const email of emailsOf(loadPolicy(id)))
        expect(email).toMatch(/@([a-z0-9-]+\.)?example\.gov\.uk$/);
    }
  });

  it('has Dorset respond within 20 working days of receipt and follow the Code elsewhere', () => {
    const code = loadPolicy('lgsco-code-2024');

    const dorset = loadPolicy('dorset');

    expect(dorset.council).toBe('Dorset Council');
    expect(dorset.complaint.stage1.respond).toEqual({ workingDays: 20, from: 'receipt' });
    expect(dorset.complaint.stage1.acknowledge).toEqual(code.complaint.stage1.acknowledge);
    expect(dorset.complaint.stage2).toEqual(code.complaint.stage2);
    expect(dorset.sources['complaint.stage1.respond']).toContain('Dorset Council complaints policy');
  });

  it('has South Norfolk respond within 15 working days at both stages, with its exclusions and retention', () => {
    const policy = loadPolicy('south-norfolk');

    expect(policy.complaint.stages).toBe(2);
    expect(policy.complaint.stage1.respond).toEqual({ workingDays: 15, from: 'receipt' });
    expect(policy.complaint.stage2?.respond).toEqual({ workingDays: 15, from: 'request' });
    expect(policy.complaint.stage2?.differentOfficer).toBe(true);
    expect(policy.exclusions).toEqual(
      expect.arrayContaining([
        'fraud-corruption',
        'whistleblowing',
        'hate-incident',
        'information-rights',
        'councillor-conduct',
      ]),
    );
    expect(policy.retention).toEqual({ closedYears: 2, ombudsmanYears: 6 });
    expect(policy.ombudsman.signpostAtEveryStage).toBe(false);
  });

  it('has the unitary council acknowledge compliments and reply to comments within 5 working days', () => {
    const policy = loadPolicy('unitary-feedback');

    expect(policy.compliment.acknowledge).toEqual({ workingDays: 5, from: 'receipt' });
    expect(policy.comment.reply).toEqual({ workingDays: 5, from: 'receipt' });
    expect(policy.complaint.anonymous).toBe('refer-to-manager');
    expect(policy.exclusions).toContain('hate-incident');
    expect(policy.calendar.nation).toBe('england-and-wales');
    expect(policy.sources['representation.feedback']).toContain(
      'the unitary council’s Customer Feedback Procedure §5.1',
    );
  });

  it("routes Dudley's services to the seed's mailboxes, directorates and redirects", () => {
    const policy = loadPolicy('dudley');

    expect(serviceById(policy, 'trading-standards')).toMatchObject({
      directorate: 'People Directorate',
      mailbox: 'Trading.standards@dudley.gov.uk',
    });
    expect(serviceById(policy, 'revenues-benefits')).toMatchObject({
      directorate: "Chief Executive's Directorate",
      mailbox: 'Complaints.CR@dudley.gov.uk',
    });
    expect(serviceById(policy, 'waste-care')?.mailbox).toBe('Env.CustomerFeedback@dudley.gov.uk');
    expect(serviceById(policy, 'adult-social-care')).toMatchObject({
      mailbox: 'complaints.socialcare@dudley.gov.uk',
      redirect: { kind: 'social-care' },
    });
    expect(serviceById(policy, 'childrens-services')?.redirect?.kind).toBe('childrens-social-care');
    expect(serviceById(policy, 'libraries-archives')?.redirect).toEqual({
      to: expect.stringContaining('GLL'),
      url: 'https://www.better.org.uk/libraries',
      kind: 'external',
    });
    expect(serviceById(policy, 'housing-estates-communities')).toMatchObject({
      mailbox: 'Hou.CustomerFeedback@dudley.gov.uk',
      housingLandlord: true,
    });
    const seedMailboxes = new Set(
      policy.routing.services.flatMap((s) => (s.mailbox?.endsWith('@dudley.gov.uk') ? [s.mailbox] : [])),
    );
    expect([...seedMailboxes].sort()).toEqual(
      [
        'Admin.LDS@dudley.gov.uk',
        'Complaints.CR@dudley.gov.uk',
        'Corporate.finance@dudley.gov.uk',
        'DudleyCouncilPlus@dudley.gov.uk',
        'EHComplaints@dudley.gov.uk',
        'Env.CustomerFeedback@dudley.gov.uk',
        'Food.DUE@dudley.gov.uk',
        'Hou.CustomerFeedback@dudley.gov.uk',
        'OPHCustomerFeed-back@dudley.gov.uk',
        'Trading.standards@dudley.gov.uk',
        'Transformation-Team@dudley.gov.uk',
        'complaints.socialcare@dudley.gov.uk',
      ].sort(),
    );
  });

  it("has Dudley's timescales, stage-2 grounds and exclusions", () => {
    const { complaint, exclusions, socialCare } = loadPolicy('dudley');

    expect(complaint.stage1.acknowledge).toEqual({ workingDays: 5, from: 'receipt' });
    expect(complaint.stage1.respond).toEqual({ workingDays: 20, from: 'receipt' });
    expect(complaint.stage2?.requestWindow).toEqual({ workingDays: 20, from: 'stage-1-response' });
    expect(complaint.stage2?.respond).toEqual({ workingDays: 20, from: 'request' });
    expect(complaint.stage2?.groundsRequired).toBe(true);
    expect(complaint.stage2?.grounds.map((g) => g.id)).toEqual([
      'factual-error',
      'evidence-overlooked',
      'new-evidence',
    ]);
    expect(exclusions).toEqual(
      expect.arrayContaining([
        'service-request',
        'social-care',
        'schools',
        'information-rights',
        'councillor-conduct',
        'employment',
        'has-appeal-route',
        'legal-proceedings',
        'insurance-claim',
        'whistleblowing',
      ]),
    );
    expect(socialCare).toBeUndefined();
  });

  it('has the statutory social care procedure as one stage with a 3-day acknowledgement and director sign-off', () => {
    const policy = loadPolicy('social-care-statutory');

    expect(policy.complaint.stages).toBe(1);
    expect(policy.complaint.stage2).toBeUndefined();
    expect(policy.complaint.stage1.acknowledge).toEqual({ workingDays: 3, from: 'receipt' });
    expect(policy.complaint.timeLimitMonths).toBe(12);
    expect(policy.socialCare).toMatchObject({
      acknowledge: { workingDays: 3, from: 'receipt' },
      tellIfBeyondMonths: 6,
      signOffBy: { role: 'Director for Social and Community Services' },
    });
    expect(JSON.stringify(policy)).not.toContain('John Jackson');
  });

  it.each(PRESET_IDS)('says where each number of the %s preset comes from', (id) => {
    const policy = loadPolicy(id);
    const keys = [
      'complaint.stages',
      'complaint.stage1.acknowledge',
      'complaint.stage1.respond',
      'complaint.stage1.extension',
      'complaint.timeLimitMonths',
      'compliment.acknowledge',
      'comment.reply',
      'representation.feedback',
      'retention',
      ...(policy.complaint.stage2
        ? [
            'complaint.stage2.requestWindow',
            'complaint.stage2.acknowledge',
            'complaint.stage2.respond',
            'complaint.stage2.extension',
          ]
        : []),
    ];

    for (const key of keys)
      expect(policy.sources[key], `${id}: sources["${key}"]`).toMatch(
        /Dorset Council|South Norfolk Council|Customer Feedback Procedure|complaints procedure|the Code|SI 2009\/309|SPSO Model Complaints Handling Procedure/,
      );
  });

  it('returns a fresh copy on each load, so one caller cannot change the policy of another', () => {
    const first = loadPolicy('dorset');
    first.complaint.stage1.respond.workingDays = 99;
    first.routing.services.length = 0;

    const second = loadPolicy('dorset');

    expect(second.complaint.stage1.respond.workingDays).toBe(20);
    expect(second.routing.services.length).toBeGreaterThan(0);
  });

  it('names the known presets when the id is unknown', () => {
    const error = errorOf(() => loadPolicy('dorsett'));

    expect(error.name).toBe('PolicyError');
    expect(error.message).toContain('Unknown policy preset "dorsett"');
    for (const id of PRESET_IDS) expect(error.message).toContain(id);
  });
});

describe('loadPolicy files', () => {
  it('loads a council file that extends a preset with only its differences', () => {
    const code = loadPolicy('lgsco-code-2024');

    const policy = loadFixture('my-council.json');

    expect(policy).toMatchObject({ id: 'my-council', council: 'My Council' });
    expect(policy.complaint.stage1.respond).toEqual({ workingDays: 15, from: 'receipt' });
    expect(policy.complaint.stage1.acknowledge).toEqual(code.complaint.stage1.acknowledge);
    expect(policy.routing.complaintsTeam).toBe('complaints@my-council.example.gov.uk');
    expect(policy.routing.services).toEqual(code.routing.services);
    expect(policy.sources['complaint.stage1.respond']).toContain('My Council');
    expect(policy.sources['complaint.stage1.acknowledge']).toBe(code.sources['complaint.stage1.acknowledge']);
  });

  it('removes a section the file sets to null and replaces lists whole', () => {
    const policy = loadFixture('one-stage.json');

    expect(policy.complaint.stages).toBe(1);
    expect(policy.complaint.stage2).toBeUndefined();
    expect(policy.socialCare).toBeUndefined();
    expect(policy.exclusions).toEqual(['service-request', 'schools']);
  });

  it.each([
    ['bad-fraction.json', 'complaint.stage1.respond.workingDays: must be a whole number of working days'],
    ['bad-mailbox.json', 'routing.services[1].mailbox: must be an email address'],
    [
      'bad-grounds.json',
      'complaint.stage2.grounds: must list the accepted grounds when groundsRequired is true',
    ],
    ['bad-extends.json', 'extends: "lgsco-code-2042" is not a preset'],
  ])('names the bad field of %s', (file, expected) => {
    const error = errorOf(() => loadFixture(file));

    expect(error.message).toBe(
      file === 'bad-extends.json'
        ? `Policy "${file}" is invalid: ${expected}; known presets: ${PRESET_IDS.join(', ')}`
        : `Policy "${file}" is invalid: ${expected}`,
    );
  });

  it('lists every problem of a half-written file', () => {
    const error = errorOf(() => loadFixture('bad-missing-fields.json'));

    expect(error.message).toContain('Policy "bad-missing-fields.json" is invalid (');
    expect(error.message).toContain(
      'calendar.nation: must be one of "england-and-wales", "scotland", "northern-ireland", not "wales"',
    );
    expect(error.message).toContain('complaint: is required');
    expect(error.issues).toContainEqual({ path: 'retention', message: 'is required (an object)' });
  });

  it('gives the line and column of a JSON syntax error', () => {
    // Written at run time: a broken JSON file in the repository would fail the linter.
    const dir = mkdtempSync(join(tmpdir(), 'redress-policy-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    writeFileSync(
      join(dir, 'bad-syntax.json'),
      '{\n  "extends": "lgsco-code-2024",\n  "id": "bad-syntax",\n}\n',
    );

    const error = errorOf(() => loadPolicy('bad-syntax.json', { cwd: dir }));

    expect(error.message).toMatch(/^Policy "bad-syntax\.json" is not valid JSON at line 4, column 1: /);
  });

  it('says when the file does not exist', () => {
    const error = errorOf(() => loadFixture('no-such-council.json'));

    expect(error.message).toMatch(/^Policy file "no-such-council\.json" was not found/);
  });

  it('reads a file given by absolute path', () => {
    const policy = loadPolicy(`${FIXTURES}my-council.json`);

    expect(policy.id).toBe('my-council');
  });
});

describe('parsePolicy', () => {
  it('accepts a complete policy without extends', () => {
    const policy = parsePolicy(BASE_POLICY, 'base');

    expect(policy.id).toBe('test-council');
  });

  it.each([
    [
      'a whole-number clock given as text',
      {
        complaint: {
          ...BASE_POLICY.complaint,
          stage1: { ...BASE_POLICY.complaint.stage1, reminderLeadWorkingDays: 'two' },
        },
      },
      'complaint.stage1.reminderLeadWorkingDays: must be a number, not the text "two"',
    ],
    [
      'three stages',
      { complaint: { ...BASE_POLICY.complaint, stages: 3 } },
      'complaint.stages: must be one of 1, 2, not 3',
    ],
    [
      'a zero-day acknowledgement',
      { compliment: { acknowledge: { workingDays: 0, from: 'receipt' }, passToStaff: true } },
      'compliment.acknowledge.workingDays: must be at least 1, not 0',
    ],
    [
      'an unknown exclusion',
      { exclusions: ['service-request', 'parking'] },
      'exclusions[1]: must be one of "service-request"',
    ],
    [
      'holding letters repeated more often than the post delivers them',
      { complaint: { ...BASE_POLICY.complaint, missedResponse: { everyWorkingDays: 2 } } },
      'complaint.missedResponse.everyWorkingDays: must be at least 3, not 2: a holding letter by post goes 2 working days before the date it is about, so the next one would be written before the last had arrived',
    ],
    [
      'a shorter ombudsman retention',
      { retention: { closedYears: 6, ombudsmanYears: 2 } },
      'retention.ombudsmanYears: must be at least closedYears',
    ],
    [
      'an ombudsman web address without a scheme',
      {
        ombudsman: {
          ...BASE_POLICY.ombudsman,
          lgsco: { name: 'LGSCO', phone: '0300 061 0614', url: 'lgo.org.uk' },
        },
      },
      'ombudsman.lgsco.url: must be a web address',
    ],
  ])('names the field for %s', (_what, change, expected) => {
    const error = errorOf(() => parsePolicy({ ...BASE_POLICY, ...change }, 'test.json'));

    expect(error.message).toContain(`Policy "test.json" is invalid: ${expected}`);
  });

  it('gives one least interval for holding letters, not two that disagree', () => {
    const error = errorOf(() =>
      parsePolicy(
        { ...BASE_POLICY, complaint: { ...BASE_POLICY.complaint, missedResponse: { everyWorkingDays: 0 } } },
        'test.json',
      ),
    );

    expect(error.message).toBe(
      'Policy "test.json" is invalid: complaint.missedResponse.everyWorkingDays: must be at least 3, not 0: a holding letter by post goes 2 working days before the date it is about, so the next one would be written before the last had arrived',
    );
  });

  it('rejects a file that is not a JSON object', () => {
    const error = errorOf(() => parsePolicy(['lgsco-code-2024'], 'list.json'));

    expect(error.message).toBe('Policy "list.json" is invalid: must be a JSON object, not a list');
  });

  it('rejects an extends that is not a preset id', () => {
    const error = errorOf(() => parsePolicy({ extends: 42 }, 'odd.json'));

    expect(error.message).toContain('Policy "odd.json" is invalid: extends: must be the id of a preset');
  });
});

describe('serviceById', () => {
  it('finds a service by id and returns undefined for an unknown one', () => {
    const policy = loadPolicy('lgsco-code-2024');

    expect(serviceById(policy, 'housing')?.housingLandlord).toBe(true);
    expect(serviceById(policy, 'moon-base')).toBeUndefined();
  });
});

describe('parsePolicy with a misspelt key', () => {
  it('names the unknown key instead of silently dropping it', () => {
    const raw = { extends: 'lgsco-code-2024', routing: { stage2Reviwer: 'reviews@example.gov.uk' } };

    expect(() => parsePolicy(raw, 'typo.json')).toThrow(/routing.*stage2Reviwer/);
  });
});

import { describe, expect, it } from 'vitest';
import { loadPolicy } from '../../functions/domain/policy.js';
import type { Policy } from '../../functions/domain/policy-schema.js';
import { type TriageInput, triage } from '../../functions/domain/triage.js';

/*
 * The reasons officers read for a triage verdict cite where the rule comes from in the policy the
 * deployment runs (its `sources`), or nothing: never the document of another council. A Dorset
 * officer is not told that Dudley's procedure excludes a pothole.
 */

/** How each council document is named in the repository, and the preset that implements it. */
const DOCUMENTS = {
  dorset: /Dorset Council complaints policy/,
  'south-norfolk': /South Norfolk Council Complaints Policy/,
  'unitary-feedback': /the unitary council’s Customer Feedback Procedure/,
  dudley: /Dudley MBC Corporate Customer Feedback Procedure/,
  'social-care-statutory': /the statutory adult social care complaints procedure/,
} as const;
type PresetId = keyof typeof DOCUMENTS;
const PRESETS = Object.keys(DOCUMENTS) as PresetId[];

function complaint(summary: string, extra: Partial<TriageInput> = {}): TriageInput {
  return { kind: 'complaint', summary, anonymous: false, ...extra };
}

/** One submission for each kind of verdict whose reasons have cited a council document. */
const SUBMISSIONS: Record<string, TriageInput> = {
  pothole: complaint('There is a pothole outside 12 Elm Road.'),
  'missed bin': complaint('My bin was not collected this morning.'),
  'street light': complaint('The street light outside number 4 is not working.'),
  fraud: complaint('I want to report benefit fraud by my neighbour.'),
  'legal proceedings': complaint(
    'My solicitor has started court proceedings against the council about this.',
  ),
  'insurance claim': complaint('I have made an insurance claim for my car damaged by the pothole.'),
  employment: complaint('I want to raise a grievance against my line manager at the council.'),
  councillor: complaint('Councillor Smith was rude to me at a public meeting.'),
  'data protection': complaint('You sent my personal data to the wrong address, a data breach.'),
  'information request': complaint('I made a freedom of information request and want the answer.'),
  'care package': complaint("My mum's care package was cut without anyone talking to us."),
  fostering: complaint('Our foster placement broke down without warning.'),
  planning: complaint('I object to the planning application next door.'),
  'school place': complaint('We didn’t get a place at our first choice school and want to appeal.'),
  school: complaint("The headteacher at my son's school ignored my emails about bullying."),
  anonymous: complaint('The park toilets are always locked.', { anonymous: true }),
  'no consent': complaint('My neighbour has been waiting months for a repair.', {
    onBehalfOf: { consent: false },
  }),
  vexatious: complaint('Same complaint as last week about my neighbour.', { complainantVexatious: true }),
};

function reasonsFor(policy: Policy): string {
  return Object.values(SUBMISSIONS)
    .flatMap((s) => triage(s, policy).reasons)
    .join('\n');
}

describe('triage reasons and the council documents they cite', () => {
  for (const id of PRESETS) {
    it(`cite no other council's document to ${id}'s officers`, () => {
      const reasons = reasonsFor(loadPolicy(id));

      for (const other of PRESETS.filter((p) => p !== id)) {
        expect(reasons, `${id} is told of ${other}'s document`).not.toMatch(DOCUMENTS[other]);
      }
    });
  }

  it("cite no council's document to a council whose policy extends the Code preset", () => {
    const reasons = reasonsFor(loadPolicy('test/fixtures/policies/my-council.json'));

    for (const id of PRESETS) expect(reasons).not.toMatch(DOCUMENTS[id]);
  });

  it("cite the running policy's own source for an exclusion", () => {
    const policy = loadPolicy('dudley');

    const result = triage(SUBMISSIONS.pothole as TriageInput, policy);

    expect(result.exclusion).toBe('service-request');
    expect(result.reasons.join(' ')).toContain(policy.sources['exclusions.service-request'] as string);
  });

  it("cite the running policy's own source for an anonymous complaint", () => {
    const policy = loadPolicy('unitary-feedback');

    const result = triage(SUBMISSIONS.anonymous as TriageInput, policy);

    expect(result.route).toBe('refer-to-manager');
    expect(result.reasons.join(' ')).toContain(policy.sources['complaint.anonymous'] as string);
  });

  // Dudley MBC Corporate Customer Feedback Procedure, June 2019, §6 is Dudley's own clause; the
  // nominated officer's placeholder mailbox note is no reason for an officer to read.
  it("cite the running policy's own clause for a designated complainant's contact", () => {
    const result = triage(SUBMISSIONS.vexatious as TriageInput, loadPolicy('dudley'));

    expect(result.route).toBe('nominated-officer');
    expect(result.reasons.join(' ')).toMatch(
      /Dudley MBC Corporate Customer Feedback Procedure, June 2019, §6/,
    );
    expect(result.reasons.join(' ')).not.toMatch(/placeholder/);
  });

  it('cite nothing when the policy gives no source for the rule', () => {
    const policy = loadPolicy('dudley');
    const { 'exclusions.service-request': _, exclusions: __, ...sources } = policy.sources;

    const result = triage(SUBMISSIONS.pothole as TriageInput, { ...policy, sources });

    expect(result.exclusion).toBe('service-request');
    expect(result.reasons.join(' ')).not.toMatch(/Dudley|source/i);
  });
});

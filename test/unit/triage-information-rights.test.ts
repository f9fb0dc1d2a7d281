import { describe, expect, it } from 'vitest';
import { loadPolicy } from '../../functions/domain/policy.js';
import { type TriageInput, triage } from '../../functions/domain/triage.js';

/**
 * Information requests and data protection concerns are two exclusions, because the councils'
 * documents word them apart: South Norfolk Council Complaints Policy ("Other types of feedback or
 * enquiries") sends away "Information requests" only, so a complaint that the council mishandled
 * someone's personal data is a complaint there; Dudley MBC Corporate Customer Feedback Procedure,
 * June 2019 (§3, Exclusions) sends away "Data Protection/Freedom of Information/ Environmental
 * Information Regulations", both.
 */

function complaint(summary: string, desiredOutcome?: string): TriageInput {
  return { kind: 'complaint', summary, anonymous: false, ...(desiredOutcome ? { desiredOutcome } : {}) };
}

/** A resident's complaint about how the council handled their personal data. */
const DATA_PROTECTION_CONCERNS = [
  'You sent my letter to my neighbour, which is a data breach.',
  'Your officer shared my personal details with my landlord without asking me.',
  'The council published my address on the planning portal, a breach of my privacy.',
  'You lost my personal data when one of your laptops was stolen.',
  'This is a breach of data protection: my medical details were emailed to the wrong person.',
  'I am complaining about a DATA BREACH by the revenues team.',
];

/** Requests for information, which both councils send to their own procedure. */
const INFORMATION_REQUESTS: readonly [string, string?][] = [
  ['I made a Freedom of Information request in March and have had nothing.'],
  ['I want a copy of all the information you hold about me.', 'Subject access request'],
  ['My request under the Environmental Information Regulations about the landfill has not been answered.'],
  ['I made a subject access request and you have not replied.'],
];

describe('triage of information requests and data protection concerns', () => {
  const southNorfolk = loadPolicy('south-norfolk');
  const dudley = loadPolicy('dudley');

  it.each(DATA_PROTECTION_CONCERNS)('handles "%s" as a complaint under South Norfolk’s policy', (summary) => {
    // Act
    const result = triage(complaint(summary), southNorfolk);

    // Assess
    expect(result.route).toBe('handle');
    expect(result.exclusion).toBeUndefined();
  });

  it.each(INFORMATION_REQUESTS)(
    'refers the information request "%s" under South Norfolk’s policy',
    (summary, outcome) => {
      const result = triage(complaint(summary, outcome), southNorfolk);

      expect(result.route).toBe('refer');
      expect(result.exclusion).toBe('information-rights');
    },
  );

  it.each(DATA_PROTECTION_CONCERNS)(
    'refers "%s" under Dudley’s, which excludes data protection',
    (summary) => {
      const result = triage(complaint(summary), dudley);

      expect(result.route).toBe('refer');
      expect(result.exclusion).toBe('data-protection');
    },
  );

  it('says why a data protection concern stays with South Norfolk’s complaints procedure', () => {
    const result = triage(
      complaint('You sent my letter to my neighbour, which is a data breach.'),
      southNorfolk,
    );

    expect(result.reasons.join(' ')).toMatch(/does not exclude data-protection/);
  });

  it('still refers an information request that comes with a data protection concern', () => {
    // The request is for the information governance team; the complaints team can bring the
    // concern back as a complaint (a referral is checked by them).
    const result = triage(
      complaint('You leaked my address to my ex-partner. I also want a copy of the data you hold about me.'),
      southNorfolk,
    );

    expect(result.route).toBe('refer');
    expect(result.exclusion).toBe('information-rights');
  });

  it('does not take a complaint that staff hid behind data protection for either', () => {
    const summary =
      'The officer would not talk to me because of data protection, though I am the account holder.';

    expect(triage(complaint(summary), southNorfolk).route).toBe('handle');
    expect(triage(complaint(summary), dudley).route).toBe('handle');
  });
});

import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { correspondence } from '../../functions/app/correspondence.js';
import type { CaseRecord } from '../../functions/domain/case.js';
import { loadPolicy } from '../../functions/domain/policy.js';
import { serviceReferral } from '../../functions/domain/referrals.js';
import { type TriageInput, triage } from '../../functions/domain/triage.js';
import { MemoryMailer } from '../support/memory-mailer.js';
import { openCase } from '../support/open-case.js';

/**
 * What the policy itself says to a resident, in Welsh on a Welsh case: where an excluded matter
 * goes (`destinations.*.teamCy`, `toldCy`), a service with its own procedure, a service request,
 * why a comment's reply is late (`comment.delayReasonCy`) and who signed a social care closing
 * off (`socialCare.signOffBy.roleCy`). A council in Wales extends the Code preset, whose Welsh
 * these are.
 */

const WELSH = loadPolicy(fileURLToPath(new URL('../fixtures/policies/welsh-council.json', import.meta.url)));

const complaint = (summary: string, extra: Partial<TriageInput> = {}): TriageInput => ({
  kind: 'complaint',
  summary,
  anonymous: false,
  ...extra,
});

async function letterTo(c: CaseRecord, template: string): Promise<string> {
  const mailer = new MemoryMailer();
  await correspondence(WELSH, mailer)(c, template as never, ['resident@example.com']);
  return mailer.sent[0]?.text ?? '';
}

describe('what triage tells a Welsh resident', () => {
  it('says where an excluded matter goes in Welsh, and in English to an English resident', () => {
    const summary = 'I made a freedom of information request in May and have heard nothing.';

    const cy = triage(complaint(summary, { language: 'cy' }), WELSH);
    const en = triage(complaint(summary, { language: 'en' }), WELSH);

    expect(cy.exclusion).toBe('information-rights');
    expect(cy.redirect).toContain('Mae ein tîm llywodraethu gwybodaeth yn delio â nhw.');
    expect(en.redirect).toContain('Our information governance team deals with them.');
  });

  it('tells a service request, in Welsh, how it is dealt with and where to report the next one', () => {
    const cy = triage(complaint('There is a pothole outside number 4.', { language: 'cy' }), WELSH);

    expect(cy.route).toBe('redirect');
    expect(cy.redirect).toContain('Bydd eich adroddiad yn cael ei drin fel cais am wasanaeth.');
    expect(cy.redirect).toContain('Y tro nesaf, gallwch roi gwybod am dwll yn y ffordd');
    expect(cy.redirect).toContain('ar wefan Cyngor Sir Enghraifft / Example County Council');
    expect(cy.redirect).toContain('byddwn yn ei drin fel cwyn.');
    expect(cy.redirect).not.toContain('Report');
  });

  it('says in Welsh that a service’s complaints follow another procedure, naming both in Welsh', () => {
    const buses = {
      id: 'buses',
      name: 'Bus services',
      nameCy: 'Gwasanaethau bysiau',
      directorate: 'Place',
      housingLandlord: false,
      redirect: { to: 'the bus company', toCy: 'y cwmni bysiau', kind: 'external' as const },
    };

    const cy = serviceReferral(WELSH, buses, 'cy');
    const en = serviceReferral(WELSH, buses, 'en');

    expect(cy?.told).toBe(
      'Mae cwynion ynghylch Gwasanaethau bysiau yn cael eu trin gan sefydliad arall, nid gweithdrefn gwyno gorfforaethol Cyngor Sir Enghraifft / Example County Council. Cysylltwch â’r canlynol: y cwmni bysiau.',
    );
    expect(cy?.team).toBe('y cwmni bysiau');
    expect(en?.told).toBe(
      "Complaints about Bus services are dealt with by another organisation, not Cyngor Sir Enghraifft / Example County Council's corporate complaints procedure. Please contact the bus company.",
    );
  });
});

describe('the policy’s words in Welsh letters', () => {
  it('names the team a matter was passed to in Welsh', async () => {
    const told = triage(
      complaint('A freedom of information request went unanswered.', { language: 'cy' }),
      WELSH,
    );
    const c = openCase('case-1', { language: 'cy', status: 'referred', triage: told });

    const text = await letterTo(c, 'redirect');

    expect(text).toContain('Rydym wedi anfon eich neges at ein tîm llywodraethu gwybodaeth.');
    expect(text).toContain('Mae ein tîm llywodraethu gwybodaeth yn delio â nhw.');
    expect(text).not.toContain('information governance');
  });

  it('gives the policy’s reason for a late reply to a comment in Welsh', async () => {
    const c = openCase('case-2', { language: 'cy', kind: 'comment', submittedKind: 'comment' });

    const text = await letterTo(c, 'comment-reply');

    expect(text).toContain('Mae angen ychydig mwy o amser arnom i ymchwilio iddo’n iawn.');
    expect(text).not.toContain('We need a little more time');
  });

  it('names who signed a social care closing off in Welsh', async () => {
    const c = openCase('case-3', { language: 'cy', kind: 'social-care', status: 'closed' });

    const text = await letterTo(c, 'social-care-closed');

    expect(text).toContain('mae’r Cyfarwyddwr Gwasanaethau Cymdeithasol i Oedolion wedi cytuno');
    expect(text).not.toContain('Director of Adult Social Services');
  });
});

import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formOptions } from '../../functions/app/tasks.js';
import { runPolicyCheck } from '../../functions/cli/policy-check.js';
import { loadPolicy } from '../../functions/domain/policy.js';
import {
  directorateIn,
  groundLabelIn,
  redirectToIn,
  serviceNameIn,
  welshGaps,
} from '../../functions/domain/policy-welsh.js';
import { residentFormPage } from '../../functions/web/render.js';
import { statusPage } from '../../functions/web/resident-pages.js';
import { openCase } from '../support/open-case.js';
import { makePolicy } from '../support/policy-fixture.js';

/**
 * The policy's own words in Welsh: services (`nameCy`, `directorateCy`, `redirect.toCy`) and
 * stage-2 grounds (`labelCy`), shown on Welsh pages and letters where the policy has them, the
 * English where it has not, and the policy check's warning for each one missing.
 */

const FIXTURES = fileURLToPath(new URL('../fixtures/policies/', import.meta.url));
const WELSH = loadPolicy(`${FIXTURES}welsh-council.json`);
const WELSH_GROUNDS = loadPolicy(`${FIXTURES}welsh-council-grounds.json`);

describe('Welsh names in a policy', () => {
  it('takes the Welsh where the policy has it and the English where it has not', () => {
    const named = { name: 'Waste and recycling', nameCy: 'Gwastraff ac ailgylchu', directorate: 'Place' };
    const plain = { name: 'Parking', directorate: 'Place', directorateCy: 'Lle' };

    expect(serviceNameIn(named, 'cy')).toBe('Gwastraff ac ailgylchu');
    expect(serviceNameIn(named, 'en')).toBe('Waste and recycling');
    expect(serviceNameIn(plain, 'cy')).toBe('Parking');
    expect(directorateIn(named, 'cy')).toBe('Place');
    expect(directorateIn(plain, 'cy')).toBe('Lle');
    expect(directorateIn(plain, 'en')).toBe('Place');
    expect(groundLabelIn({ label: 'New evidence', labelCy: 'Tystiolaeth newydd' }, 'cy')).toBe(
      'Tystiolaeth newydd',
    );
    expect(groundLabelIn({ label: 'New evidence' }, 'cy')).toBe('New evidence');
    expect(redirectToIn({ redirect: { to: 'the care team', kind: 'external' } }, 'cy')).toBe('the care team');
    expect(redirectToIn({}, 'cy')).toBeUndefined();
  });

  it('accepts the Welsh fields and refuses an empty one, naming it', () => {
    const policy = makePolicy({
      routing: {
        services: [
          { id: 'waste', name: 'Waste', nameCy: 'Gwastraff', directorate: 'Place', directorateCy: 'Lle' },
        ],
      },
    });
    expect(policy.routing.services[0]?.nameCy).toBe('Gwastraff');

    expect(() =>
      makePolicy({ routing: { services: [{ id: 'w', name: 'Waste', nameCy: '', directorate: 'P' }] } }),
    ).toThrow(/nameCy/);
  });

  it('names every example service of the Code preset in Welsh, so a council in Wales extending it has no gap', () => {
    const code = loadPolicy('lgsco-code-2024');

    for (const s of code.routing.services) {
      expect(s.nameCy, s.id).toMatch(/\S/);
      expect(s.directorateCy, s.id).toMatch(/\S/);
      if (s.redirect) expect(s.redirect.toCy, s.id).toMatch(/\S/);
    }
    for (const [id, d] of Object.entries(code.destinations)) {
      expect(d.teamCy, id).toMatch(/\S/);
      expect(d.toldCy, id).toMatch(/\S/);
    }
    expect(code.comment.delayReasonCy).toMatch(/\S/);
    expect(code.socialCare?.signOffBy.roleCy).toMatch(/\S/);
    expect(welshGaps(WELSH)).toEqual([]);
  });

  it('lists what a policy offering Welsh shows in English only, and nothing for a policy in English', () => {
    const policy = makePolicy({
      languages: ['en', 'cy'],
      ombudsman: { nation: 'wales' },
      routing: {
        services: [
          { id: 'waste', name: 'Waste', nameCy: 'Gwastraff', directorate: 'Place', directorateCy: 'Lle' },
          {
            id: 'care',
            name: 'Care',
            directorate: 'People',
            redirect: { to: 'the care team', kind: 'social-care' },
          },
        ],
      },
    });

    expect(welshGaps(policy)).toEqual([
      'routing.services[1] "Care": no nameCy, directorateCy, redirect.toCy',
      'comment: no delayReasonCy',
      'socialCare.signOffBy "Director of Adult Social Care": no roleCy',
    ]);
    expect(
      welshGaps(
        makePolicy({
          languages: ['en', 'cy'],
          ombudsman: { nation: 'wales' },
          comment: {
            reply: { workingDays: 10, from: 'receipt' },
            delayReason: 'Later.',
            delayReasonCy: 'Yn hwyrach.',
          },
          destinations: {
            schools: { team: 'the school', told: 'Ask the school.' },
            employment: { team: 'HR', teamCy: 'AD', told: 'Ask HR.', toldCy: 'Gofynnwch i AD.' },
          },
        }),
      ),
    ).toEqual([
      'routing.services[0] "Waste and recycling": no nameCy, directorateCy',
      'destinations.schools "the school": no teamCy, toldCy',
      'socialCare.signOffBy "Director of Adult Social Care": no roleCy',
    ]);
    expect(welshGaps(WELSH_GROUNDS)).toEqual([
      'complaint.stage2.grounds[1] "I have new evidence": no labelCy',
    ]);
    expect(welshGaps(loadPolicy('dudley'))).toEqual([]);
  });
});

describe('a council’s own words over the preset’s', () => {
  it('drops the preset’s Welsh where a council writes its own English without Welsh, and keeps the Welsh it gives', () => {
    const own = loadPolicy(`${FIXTURES}welsh-council-own-words.json`);

    expect(own.destinations['hate-incident']).not.toHaveProperty('teamCy');
    expect(own.destinations['hate-incident']).not.toHaveProperty('toldCy');
    expect(own.destinations.whistleblowing?.toldCy).toBe(
      'Mae pryderon chwythu’r chwiban yn mynd at ein Swyddog Monitro.',
    );
    expect(own.destinations.schools?.toldCy).toBe(loadPolicy('lgsco-code-2024').destinations.schools?.toldCy);
    expect(own.comment.delayReasonCy).toBeUndefined();
    expect(own.socialCare?.signOffBy.roleCy).toBeUndefined();
    expect(welshGaps(own)).toEqual([
      'destinations.hate-incident "our Community Safety team": no teamCy, toldCy',
      'comment: no delayReasonCy',
      'socialCare.signOffBy "Head of Safeguarding": no roleCy',
    ]);
  });
});

describe('policy:check and Welsh', () => {
  it('warns about each Welsh name missing from a policy that offers Welsh, and still exits 0', () => {
    const result = runPolicyCheck([`${FIXTURES}welsh-council-grounds.json`]);

    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      'Warning: Cyngor Sir Enghraifft / Example County Council offers Welsh, but this is shown in English on Welsh pages and letters (add the Welsh):\n' +
        '- complaint.stage2.grounds[1] "I have new evidence": no labelCy\n',
    );
    const json = JSON.parse(runPolicyCheck([`${FIXTURES}welsh-council-grounds.json`, '--json']).stdout);
    expect(json.welshGaps).toEqual(['complaint.stage2.grounds[1] "I have new evidence": no labelCy']);
  });

  it('says nothing of Welsh for a policy without gaps or without Welsh', () => {
    expect(runPolicyCheck([`${FIXTURES}welsh-council.json`]).stdout).not.toContain('offers Welsh');
    expect(runPolicyCheck(['dudley']).stdout).not.toContain('offers Welsh');
    expect(JSON.parse(runPolicyCheck(['dudley', '--json']).stdout).welshGaps).toBeUndefined();
  });
});

describe('Welsh pages with the policy’s Welsh names', () => {
  it('lists the services, their directorates and who handles the redirected ones in Welsh on the Welsh form', () => {
    const page = residentFormPage({ policy: WELSH, language: 'cy' });

    expect(page).toContain('>Gwastraff ac ailgylchu</option>');
    expect(page).toContain('<optgroup label="Lle">');
    expect(page).toContain(
      'Gofal cymdeithasol i oedolion (yn cael ei drin gan y tîm cwynion gofal cymdeithasol i oedolion)',
    );
    expect(page).not.toContain('Waste and recycling');
    expect(page).not.toContain('<optgroup label="Place">');
  });

  it('keeps the English names on the English form of the same council', () => {
    const page = residentFormPage({ policy: WELSH, language: 'en' });

    expect(page).toContain('>Waste and recycling</option>');
    expect(page).toContain('<optgroup label="Place">');
    expect(page).not.toContain('Gwastraff');
  });

  it('offers the grounds for a review in Welsh to a Welsh case, the English where the policy has no Welsh', () => {
    const cy = openCase('case-1', { language: 'cy', stage: 1, status: 'responded' });
    const en = openCase('case-2', { language: 'en', stage: 1, status: 'responded' });

    expect(formOptions(WELSH_GROUNDS, cy, 'stage-2-request').choices?.grounds).toEqual([
      { value: 'factual-error', label: 'Roedd y penderfyniad yn seiliedig ar gamgymeriad ffeithiol' },
      { value: 'new-evidence', label: 'I have new evidence' },
    ]);
    expect(formOptions(WELSH_GROUNDS, en, 'stage-2-request').choices?.grounds?.[0]?.label).toBe(
      'The decision was based on a factual error',
    );
  });

  it('names the service in Welsh on a Welsh case’s status page', () => {
    const record = openCase('case-3', { language: 'cy', service: 'waste-recycling' });

    const page = statusPage({ policy: WELSH, record, events: [], csrf: 'x', grounds: [] });

    expect(page).toContain('Gwastraff ac ailgylchu');
    expect(page).not.toContain('Waste and recycling');
  });
});

import { describe, expect, it } from 'vitest';
import { nationalOmbudsman, OMBUDSMEN, ombudsmenOf } from '../../functions/domain/ombudsmen.js';
import { PolicyError, parsePolicy } from '../../functions/domain/policy.js';
import { ombudsmanFor } from '../../functions/templates/render-email.js';
import { makePolicy } from '../support/policy-fixture.js';

const landlord = {
  services: [
    { id: 'waste', name: 'Waste', directorate: 'Place', mailbox: 'waste@example.gov.uk' },
    { id: 'homes', name: 'Council homes', directorate: 'Housing', housingLandlord: true },
  ],
};

function issuesOf(raw: unknown): string[] {
  try {
    parsePolicy(raw, 'council.json');
  } catch (error) {
    if (error instanceof PolicyError) return error.issues.map((i) => `${i.path}: ${i.message}`);
    throw error;
  }
  return [];
}

describe('the ombudsman by nation', () => {
  it('names each nation’s public services ombudsman', () => {
    expect(nationalOmbudsman('england')).toBe('lgsco');
    expect(nationalOmbudsman('wales')).toBe('psow');
    expect(nationalOmbudsman('scotland')).toBe('spso');
    expect(nationalOmbudsman('northern-ireland')).toBe('nipso');
    expect(ombudsmenOf('england')).toEqual(['lgsco', 'housing']);
    expect(ombudsmenOf('wales')).toEqual(['psow']);
  });

  it('sends an English council’s landlord complaints to the Housing Ombudsman and the rest to the LGSCO', () => {
    const policy = makePolicy({ routing: landlord });

    expect(ombudsmanFor(policy, 'homes')).toMatchObject({
      kind: 'housing',
      name: 'Housing Ombudsman Service',
    });
    expect(ombudsmanFor(policy, 'waste')).toMatchObject({
      kind: 'lgsco',
      phone: '0300 061 0614',
      timeLimit: { months: 12, from: 'aware' },
    });
    expect(ombudsmanFor(policy)).toMatchObject({ kind: 'lgsco' });
  });

  it.each([
    ['wales', 'england-and-wales', 'psow', 'Public Services Ombudsman for Wales', '0300 790 0203'],
    ['scotland', 'scotland', 'spso', 'Scottish Public Services Ombudsman', '0800 377 7330'],
    [
      'northern-ireland',
      'northern-ireland',
      'nipso',
      'Northern Ireland Public Services Ombudsman',
      '0800 34 34 24',
    ],
  ] as const)(
    'sends every complaint about a council in %s, its landlord function too, to one ombudsman',
    (nation, calendar, kind, name, phone) => {
      const policy = makePolicy({
        calendar: { nation: calendar },
        ombudsman: { nation },
        routing: landlord,
      });

      expect(ombudsmanFor(policy, 'homes')).toMatchObject({ kind, name, phone });
      expect(ombudsmanFor(policy, 'waste')).toMatchObject({ kind, name, phone });
    },
  );

  it('uses a policy’s override of an office’s published details', () => {
    const policy = makePolicy({
      ombudsman: { lgsco: { name: 'LGSCO', phone: '0300 061 0615', url: 'https://www.lgo.org.uk/new' } },
    });

    expect(ombudsmanFor(policy)).toEqual({
      kind: 'lgsco',
      name: 'LGSCO',
      phone: '0300 061 0615',
      url: 'https://www.lgo.org.uk/new',
      timeLimit: OMBUDSMEN.lgsco.timeLimit,
    });
  });

  it('refuses details of an ombudsman who does not cover the council’s nation', () => {
    const welsh = {
      ...structuredClone(makePolicy()),
      ombudsman: {
        nation: 'wales',
        lgsco: { name: 'LGSCO', phone: '0300 061 0614', url: 'https://www.lgo.org.uk' },
        signpostAtEveryStage: true,
      },
    };

    expect(issuesOf(welsh)).toEqual([
      'ombudsman.lgsco: the Local Government and Social Care Ombudsman does not cover councils in Wales: remove it, or set ombudsman.nation',
    ]);
  });

  it('refuses a calendar of another nation than the ombudsman’s', () => {
    const scottish = {
      ...structuredClone(makePolicy()),
      ombudsman: { nation: 'scotland', signpostAtEveryStage: true },
    };

    expect(issuesOf(scottish)).toEqual([
      'calendar.nation: must be "scotland" for a council in Scotland (ombudsman.nation), whose bank holidays it counts',
    ]);
  });

  it('takes the nation from the calendar when a policy names none (a Scottish council’s older file)', () => {
    const policy = makePolicy({ calendar: { nation: 'scotland' } });

    expect(policy.ombudsman.nation).toBe('scotland');
    expect(ombudsmanFor(policy)).toMatchObject({ kind: 'spso' });
  });

  it('reads a council file written before nations existed as a council in England', () => {
    const policy = parsePolicy(
      {
        extends: 'lgsco-code-2024',
        id: 'older',
        ombudsman: {
          lgsco: {
            name: 'Local Government and Social Care Ombudsman',
            phone: '0300 061 0614',
            url: 'https://www.lgo.org.uk',
          },
          housing: {
            name: 'Housing Ombudsman Service',
            phone: '0300 111 3000',
            url: 'https://www.housing-ombudsman.org.uk',
          },
          signpostAtEveryStage: true,
        },
      },
      'older.json',
    );

    expect(policy.ombudsman.nation).toBe('england');
    expect(ombudsmanFor(policy, 'housing').kind).toBe('housing');
  });
});

/**
 * The ombudsmen a UK council answers to, by nation, with their published contact details.
 *
 * A council in England answers to the Local Government and Social Care Ombudsman, and for its
 * housing landlord function to the Housing Ombudsman; a council in Wales to the Public Services
 * Ombudsman for Wales, in Scotland to the Scottish Public Services Ombudsman, in Northern Ireland
 * to the Northern Ireland Public Services Ombudsman. Each of the last three also takes complaints
 * about the council as a landlord, so a housing service there is signposted to the same office.
 *
 * The details below are each office's own published contact details (read December 2026). A
 * policy may override an office's name, phone or website (`ombudsman.<id>` in the policy file)
 * when the office changes them before a release of Redress does.
 */

export const NATIONS = ['england', 'wales', 'scotland', 'northern-ireland'] as const;
export type Nation = (typeof NATIONS)[number];

/** The nation as a sentence names it. */
export function nationName(nation: Nation): string {
  return { england: 'England', wales: 'Wales', scotland: 'Scotland', 'northern-ireland': 'Northern Ireland' }[
    nation
  ];
}

export const OMBUDSMAN_IDS = ['lgsco', 'housing', 'psow', 'spso', 'nipso'] as const;
export type OmbudsmanId = (typeof OMBUDSMAN_IDS)[number];

/** How long a resident normally has to go to the ombudsman, and from when. */
export interface OmbudsmanTimeLimit {
  months: number;
  /** From when the resident first knew of the problem, or from the end of the council's procedure. */
  from: 'aware' | 'end-of-procedure';
}

export interface OmbudsmanContact {
  name: string;
  phone: string;
  url: string;
}

/** The ombudsman a resident is told about, as the letters and the workspace need it. */
export interface OmbudsmanDetails extends OmbudsmanContact {
  kind: OmbudsmanId;
  /** Absent for the Housing Ombudsman, whose letters say instead what it deals with. */
  timeLimit?: OmbudsmanTimeLimit;
}

interface Office extends OmbudsmanContact {
  nations: readonly Nation[];
  timeLimit?: OmbudsmanTimeLimit;
}

export const OMBUDSMEN: Readonly<Record<OmbudsmanId, Office>> = {
  lgsco: {
    name: 'Local Government and Social Care Ombudsman',
    phone: '0300 061 0614',
    url: 'https://www.lgo.org.uk',
    nations: ['england'],
    // The LGSCO normally looks at complaints made within 12 months of the person knowing of the matter.
    timeLimit: { months: 12, from: 'aware' },
  },
  housing: {
    name: 'Housing Ombudsman Service',
    phone: '0300 111 3000',
    url: 'https://www.housing-ombudsman.org.uk',
    nations: ['england'],
  },
  psow: {
    name: 'Public Services Ombudsman for Wales',
    phone: '0300 790 0203',
    url: 'https://www.ombudsman.wales',
    nations: ['wales'],
    // The PSOW normally expects a complaint within 12 months of the person becoming aware of the matter.
    timeLimit: { months: 12, from: 'aware' },
  },
  spso: {
    name: 'Scottish Public Services Ombudsman',
    phone: '0800 377 7330',
    url: 'https://www.spso.org.uk',
    nations: ['scotland'],
    // The SPSO does not normally look at a problem the person has known about for more than 12 months.
    timeLimit: { months: 12, from: 'aware' },
  },
  nipso: {
    name: 'Northern Ireland Public Services Ombudsman',
    phone: '0800 34 34 24',
    url: 'https://nipso.org.uk',
    nations: ['northern-ireland'],
    // NIPSO does not generally accept a complaint made more than 6 months after the organisation's procedure ended.
    timeLimit: { months: 6, from: 'end-of-procedure' },
  },
};

/** The office that takes complaints about a council of this nation (and its landlord function, outside England). */
export function nationalOmbudsman(nation: Nation): OmbudsmanId {
  return nation === 'wales'
    ? 'psow'
    : nation === 'scotland'
      ? 'spso'
      : nation === 'northern-ireland'
        ? 'nipso'
        : 'lgsco';
}

/** The offices a council of this nation may be asked about, the main one first. */
export function ombudsmenOf(nation: Nation): OmbudsmanId[] {
  return OMBUDSMAN_IDS.filter((id) => OMBUDSMEN[id].nations.includes(nation)).sort((a, b) =>
    a === nationalOmbudsman(nation) ? -1 : b === nationalOmbudsman(nation) ? 1 : 0,
  );
}

/** The policy's `ombudsman` section, as this module reads it: the nation and any overrides. */
export type OmbudsmanSection = { nation: Nation } & { [K in OmbudsmanId]?: OmbudsmanContact | undefined };

/** One office's details, with the policy's override of its contact details if it has one. */
export function ombudsmanDetails(id: OmbudsmanId, section: OmbudsmanSection): OmbudsmanDetails {
  const { nations: _nations, timeLimit, ...published } = OMBUDSMEN[id];
  return { kind: id, ...published, ...section[id], ...(timeLimit ? { timeLimit } : {}) };
}

/**
 * The ombudsman for a case: in England the Housing Ombudsman when the service belongs to the
 * housing landlord function (Dudley MBC Corporate Customer Feedback Procedure, June 2019, §4),
 * otherwise the LGSCO; elsewhere the nation's public services ombudsman, who takes both.
 */
export function ombudsmanForService(section: OmbudsmanSection, housingLandlord: boolean): OmbudsmanDetails {
  const id = section.nation === 'england' && housingLandlord ? 'housing' : nationalOmbudsman(section.nation);
  return ombudsmanDetails(id, section);
}

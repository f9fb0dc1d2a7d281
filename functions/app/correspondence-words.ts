import { ALWAYS_APPLIES } from '../domain/designation.js';
import type { Language } from '../domain/language.js';

/**
 * The words correspondence builds in code for a resident's letter (who is handling it, who
 * responds, why a reply may be late…), in the resident's language. The English are the words
 * the letters have always used.
 *
 * DRAFT WELSH: for review by the council's Welsh translation service (see
 * `functions/templates/email/cy/README.md`). Service and team names come from the policy and are
 * printed as the policy gives them.
 */
export interface CorrespondenceWords {
  serviceTeam(service: string): string;
  complaintsTeam: string;
  seniorOfficer: string;
  stage2Respondent: string;
  respondentTeam(service: string | undefined): string;
  contactTeam(service: string | undefined): string;
  delayRepresentation: string;
  delayStage2(noun: 'comment' | 'complaint'): string;
  delayStage1(service: string | undefined, noun: 'comment' | 'complaint'): string;
  defaultRedirect: string;
  defaultExplanation: string;
  personFallback: string;
  vexatiousDecision: string;
  vexatiousRestriction: string;
  signOffFallback: string;
  /** The letter's contact lines and reference label. */
  phone: string;
  email: string;
  ourReference: string;
}

const EN: CorrespondenceWords = {
  serviceTeam: (service) => `The ${service} team`,
  complaintsTeam: 'Our complaints team',
  seniorOfficer: 'A senior officer',
  stage2Respondent: 'The senior officer who reviewed your complaint',
  respondentTeam: (service) => `${service ?? 'Complaints'} team`,
  contactTeam: (service) => `the ${service ?? 'complaints'} team`,
  delayRepresentation: 'The people responsible for the policy have not yet finished considering your views.',
  delayStage2: (noun) => `The senior officer reviewing your ${noun} has not yet finished.`,
  delayStage1: (service, noun) =>
    `${service ? `The ${service} team` : 'The team dealing with it'} has not yet finished looking into your ${noun}.`,
  defaultRedirect: 'Contact the council’s customer services.',
  defaultExplanation: 'This is a request for a service.',
  personFallback: 'the person you are complaining for',
  vexatiousDecision: 'We will not enter into further correspondence about this matter.',
  vexatiousRestriction: ALWAYS_APPLIES,
  signOffFallback: 'senior manager',
  phone: 'Phone',
  email: 'Email',
  ourReference: 'Our reference',
};

/** "Tîm {service}": the service name is the policy's, printed as given. */
const CY: CorrespondenceWords = {
  serviceTeam: (service) => `tîm ${service}`,
  complaintsTeam: 'ein tîm cwynion',
  seniorOfficer: 'uwch swyddog',
  stage2Respondent: 'Yr uwch swyddog a adolygodd eich cwyn',
  respondentTeam: (service) => (service ? `Tîm ${service}` : 'Y tîm cwynion'),
  contactTeam: (service) => (service ? `tîm ${service}` : 'y tîm cwynion'),
  delayRepresentation: 'Nid yw’r bobl sy’n gyfrifol am y polisi wedi gorffen ystyried eich sylwadau eto.',
  delayStage2: (noun) =>
    `Nid yw’r uwch swyddog sy’n adolygu eich ${noun === 'comment' ? 'sylw' : 'cwyn'} wedi gorffen eto.`,
  delayStage1: (service, noun) =>
    `${service ? `Nid yw tîm ${service}` : 'Nid yw’r tîm sy’n delio â’r mater'} wedi gorffen ymchwilio i’ch ${noun === 'comment' ? 'sylw' : 'cwyn'} eto.`,
  defaultRedirect: 'Cysylltwch â gwasanaethau cwsmeriaid y cyngor.',
  defaultExplanation: 'Cais am wasanaeth yw hwn.',
  personFallback: 'y person rydych yn cwyno ar ei ran',
  vexatiousDecision: 'Ni fyddwn yn gohebu ymhellach am y mater hwn.',
  vexatiousRestriction:
    'Bydd unrhyw beth newydd a anfonwch atom yn mynd at ein swyddog enwebedig, a fydd yn penderfynu a oes angen ateb.',
  signOffFallback: 'uwch reolwr',
  phone: 'Ffôn',
  email: 'E-bost',
  ourReference: 'Ein cyfeirnod',
};

export function correspondenceWords(language: Language): CorrespondenceWords {
  return language === 'cy' ? CY : EN;
}

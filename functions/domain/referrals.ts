import { calendarFor, endOfLondonDay, londonDate } from './calendar.js';
import type { CaseRecord } from './case.js';
import type { Language } from './language.js';
import type { ExclusionId, Policy, ServiceArea } from './policy-schema.js';
import { redirectToIn, serviceNameIn } from './policy-welsh.js';
import type { IsoTimestamp } from './types.js';

/**
 * Where a matter the complaints procedure does not take goes instead, from the policy: an
 * exclusion's destination (`policy.destinations`), or a service whose complaints follow another
 * procedure (`routing.services[].redirect`). A destination with a mailbox is referred to: the
 * team is emailed the case and a signed link, and the resident is told the team has it, and the
 * date they will hear by where the policy sets one. Without a mailbox, the resident is told where
 * to go, and never that someone has it. A service request goes to the service it is for
 * (`serviceRequestReferral`).
 */
export interface Referral {
  /** The team as the resident reads it. */
  team: string;
  /** Where the referral is emailed; absent when the resident is only told where to go. */
  mailbox?: string;
  /** How the resident reaches the team themselves (a phone number, a web page with its contact details). */
  phone?: string;
  url?: string;
  /** What the resident is told about the team and what happens there (a service request: nothing more, triage's words say it). */
  told: string;
  /**
   * Working days within which the team contacts the resident (with a mailbox); absent when the
   * resident is given no date (a procedure set by law with timescales of its own).
   */
  contactWithinWorkingDays?: number;
}

/** The exclusions whose matters a service of the council's own may take (`redirect.kind`). */
const SERVICE_KINDS = ['social-care', 'childrens-social-care'] as const;
type ServiceKind = (typeof SERVICE_KINDS)[number];

function isServiceKind(exclusion: ExclusionId): exclusion is ServiceKind {
  return (SERVICE_KINDS as readonly string[]).includes(exclusion);
}

function fill(text: string, policy: Policy): string {
  return text.replaceAll('{council}', policy.council);
}

/**
 * What the resident is told about a service whose complaints follow another procedure, in their
 * language. The Welsh sentences are DRAFT WELSH, for review by the council's Welsh translation
 * service, as the Welsh letters are.
 */
export function serviceReferral(
  policy: Policy,
  service: ServiceArea,
  language: Language = 'en',
): Referral | undefined {
  const redirect = service.redirect;
  if (!redirect) return undefined;
  const to = redirectToIn(service, language) ?? redirect.to;
  const where = redirect.url ? `${to} (${redirect.url})` : to;
  const name = serviceNameIn(service, language);
  const referred = service.mailbox !== undefined && redirect.contactWithinWorkingDays !== undefined;
  const socialCare = redirect.kind === 'social-care' || redirect.kind === 'childrens-social-care';
  const told =
    language === 'cy'
      ? // "ynghylch" and "â’r canlynol" leave the names that follow unmutated, as a policy's names must stay.
        `Mae cwynion ynghylch ${name} ${
          socialCare
            ? 'yn dilyn gweithdrefn ar wahân a osodwyd yn ôl y gyfraith'
            : 'yn cael eu trin gan sefydliad arall'
        }, nid gweithdrefn gwyno gorfforaethol ${policy.council}.${referred ? '' : ` Cysylltwch â’r canlynol: ${where}.`}`
      : `Complaints about ${name} ${
          socialCare ? 'follow a separate procedure set by law' : 'are dealt with by another organisation'
        }, not ${policy.council}'s corporate complaints procedure.${referred ? '' : ` Please contact ${where}.`}`;
  return {
    team: to,
    told,
    ...(redirect.url ? { url: redirect.url } : {}),
    ...(redirect.phone ? { phone: redirect.phone } : {}),
    ...(referred
      ? { mailbox: service.mailbox, contactWithinWorkingDays: redirect.contactWithinWorkingDays }
      : {}),
  };
}

/** The destination of an exclusion in this policy, if it names one, in the resident's language. */
export function exclusionReferral(
  policy: Policy,
  exclusion: ExclusionId,
  language: Language = 'en',
): Referral | undefined {
  if (exclusion === 'social-care') {
    // A council's social care service, when its routing table names one, is where these go.
    const service = policy.routing.services.find((s) => s.redirect?.kind === 'social-care');
    const viaService = service ? serviceReferral(policy, service, language) : undefined;
    if (viaService) return viaService;
  }
  if (exclusion === 'childrens-social-care') {
    // A children's service that takes its own referrals (Dudley's Children's Services, with its
    // mailbox and contact time) is where these go; otherwise the policy's destination.
    const service = policy.routing.services.find((s) => s.redirect?.kind === 'childrens-social-care');
    const viaService = service ? serviceReferral(policy, service, language) : undefined;
    if (viaService?.mailbox) return viaService;
  }
  const d = policy.destinations[exclusion];
  if (!d) return undefined;
  const welsh = language === 'cy';
  return {
    team: (welsh ? d.teamCy : undefined) ?? d.team,
    told: fill((welsh ? d.toldCy : undefined) ?? d.told, policy),
    ...(d.mailbox ? { mailbox: d.mailbox } : {}),
    ...(d.phone ? { phone: d.phone } : {}),
    ...(d.url ? { url: d.url } : {}),
    ...(d.mailbox && d.contactWithinWorkingDays !== undefined
      ? { contactWithinWorkingDays: d.contactWithinWorkingDays }
      : {}),
  };
}

/**
 * Where a service request goes (the Code §1.7: the council deals with it as a service request
 * first): the team of the service it is recorded against, which triage sets to the service it is
 * for. A service with no mailbox of its own, one whose complaints follow another procedure, or
 * none at all: the complaints team, who pass it on. Always someone: a service request is never
 * only answered "report it on our website" while nobody at the council hears of it. The resident
 * is given the address and no date: a service request has the service's own timescales.
 */
export function serviceRequestReferral(
  policy: Policy,
  service: ServiceArea | undefined,
  language: Language = 'en',
): Referral {
  const welsh = language === 'cy';
  if (service?.mailbox && !service.redirect) {
    const name = serviceNameIn(service, language);
    // DRAFT WELSH, for the council's Welsh translation service to review.
    return { team: welsh ? `ein tîm ${name}` : `our ${name} team`, mailbox: service.mailbox, told: '' };
  }
  return {
    team: welsh
      ? 'ein tîm cwynion, a fydd yn ei anfon ymlaen at y tîm neu’r sefydliad sy’n delio ag ef'
      : 'our complaints team, who will pass it to the team or organisation that deals with it',
    mailbox: policy.routing.complaintsTeam,
    told: '',
  };
}

/** Where this case was referred to (or the resident sent), from its triage and service, in `language`. */
export function referralOf(
  policy: Policy,
  c: Pick<CaseRecord, 'triage' | 'service'>,
  language: Language = 'en',
): Referral | undefined {
  const service = c.service ? policy.routing.services.find((s) => s.id === c.service) : undefined;
  if (c.triage.exclusion === 'service-request') return serviceRequestReferral(policy, service, language);
  // Sent with a social care service of its own: that service's terms, not those of the first
  // such service the exclusion would find. A children's service only when it takes its own
  // referrals; otherwise the policy's destination for children's social care.
  const exclusion = c.triage.exclusion;
  if (exclusion && isServiceKind(exclusion) && service?.redirect?.kind === exclusion) {
    const own = serviceReferral(policy, service, language);
    if (own && (exclusion === 'social-care' || own.mailbox)) return own;
  }
  if (c.triage.exclusion) {
    const byExclusion = exclusionReferral(policy, c.triage.exclusion, language);
    if (byExclusion) return byExclusion;
  }
  return service ? serviceReferral(policy, service, language) : undefined;
}

/**
 * The referral the complaints team checks back on once confirmed: one emailed to a team other
 * than the complaints team itself. Nothing else would notice if that team never picked it up
 * (a children's social care referral gives the resident no date to chase), or found it was not
 * theirs. Undefined when the resident was only told where to go (nobody here has it to check) or
 * when the complaints team is the team that has it.
 */
export function checkedReferralOf(
  policy: Policy,
  c: Pick<CaseRecord, 'triage' | 'service'>,
): Referral | undefined {
  if (c.triage.route !== 'refer') return undefined;
  const referral = referralOf(policy, c);
  if (!referral?.mailbox) return undefined;
  return referral.mailbox.toLowerCase() === policy.routing.complaintsTeam.toLowerCase()
    ? undefined
    : referral;
}

/** The day the destination team will have contacted the resident by (end of that working day). */
export function referralContactBy(
  policy: Policy,
  referral: Referral,
  receivedAt: IsoTimestamp,
): IsoTimestamp | undefined {
  if (referral.contactWithinWorkingDays === undefined) return undefined;
  return endOfLondonDay(
    calendarFor(policy).addWorkingDays(londonDate(receivedAt), referral.contactWithinWorkingDays),
  );
}

/**
 * The exclusions whose destination gives the resident no way to reach it: the case is not emailed
 * there (no mailbox), and the policy names no phone number or web page. The resident's letter
 * then tells them to ask the complaints team; the policy check warns. Service requests always
 * reach someone (`serviceRequestReferral`), and adult social care is handled here when the
 * policy runs the statutory procedure.
 */
export function unreachableDestinations(policy: Policy): ExclusionId[] {
  return policy.exclusions.filter((exclusion) => {
    if (exclusion === 'service-request') return false;
    if (exclusion === 'social-care' && policy.socialCare) return false;
    const referral = exclusionReferral(policy, exclusion);
    return !referral?.mailbox && !referral?.phone && !referral?.url;
  });
}

import type { Language } from './language.js';
import type { Policy, ServiceArea } from './policy-schema.js';

/**
 * The policy's own words in the resident's language. A council that offers Welsh gives its
 * services, its stage-2 grounds, where excluded matters go, why a comment's reply is late and who
 * signs off a social care closing in Welsh too (`nameCy`, `directorateCy`, `redirect.toCy`,
 * `labelCy`, `destinations.*.teamCy` and `toldCy`, `comment.delayReasonCy`,
 * `socialCare.signOffBy.roleCy`); where it has not, Welsh pages and letters show the English, and
 * the policy check says which are missing (`welshGaps`).
 */

type Stage2Ground = NonNullable<Policy['complaint']['stage2']>['grounds'][number];

/** A service's name as a resident reads it in `language`. */
export function serviceNameIn(service: Pick<ServiceArea, 'name' | 'nameCy'>, language: Language): string {
  return language === 'cy' ? (service.nameCy ?? service.name) : service.name;
}

/** The directorate a service belongs to, as the form groups it, in `language`. */
export function directorateIn(
  service: Pick<ServiceArea, 'directorate' | 'directorateCy'>,
  language: Language,
): string {
  return language === 'cy' ? (service.directorateCy ?? service.directorate) : service.directorate;
}

/** Who handles complaints about a service with its own procedure, in `language`. */
export function redirectToIn(service: Pick<ServiceArea, 'redirect'>, language: Language): string | undefined {
  const redirect = service.redirect;
  if (!redirect) return undefined;
  return language === 'cy' ? (redirect.toCy ?? redirect.to) : redirect.to;
}

/** A stage-2 ground as the resident chooses it, in `language`. */
export function groundLabelIn(ground: Pick<Stage2Ground, 'label' | 'labelCy'>, language: Language): string {
  return language === 'cy' ? (ground.labelCy ?? ground.label) : ground.label;
}

/** Why a reply to a comment is late, when nobody has given another reason, in `language`. */
export function delayReasonIn(policy: Pick<Policy, 'comment'>, language: Language): string {
  return (language === 'cy' ? policy.comment.delayReasonCy : undefined) ?? policy.comment.delayReason;
}

/** Who signs off closing a social care complaint, as a letter in `language` names them. */
export function signOffRoleIn(policy: Pick<Policy, 'socialCare'>, language: Language): string | undefined {
  const signOff = policy.socialCare?.signOffBy;
  return (language === 'cy' ? signOff?.roleCy : undefined) ?? signOff?.role;
}

/**
 * What a policy that offers Welsh shows residents in English only: one line per service or
 * ground without its Welsh, naming the field to add. Empty when the policy does not offer Welsh.
 */
export function welshGaps(
  policy: Pick<Policy, 'languages' | 'routing' | 'complaint' | 'destinations' | 'comment' | 'socialCare'>,
): string[] {
  if (!policy.languages.includes('cy')) return [];
  const gaps: string[] = [];
  policy.routing.services.forEach((s, i) => {
    const missing = [
      ...(s.nameCy === undefined ? ['nameCy'] : []),
      ...(s.directorateCy === undefined ? ['directorateCy'] : []),
      ...(s.redirect && s.redirect.toCy === undefined ? ['redirect.toCy'] : []),
    ];
    if (missing.length) gaps.push(`routing.services[${i}] "${s.name}": no ${missing.join(', ')}`);
  });
  (policy.complaint.stage2?.grounds ?? []).forEach((g, i) => {
    if (g.labelCy === undefined) gaps.push(`complaint.stage2.grounds[${i}] "${g.label}": no labelCy`);
  });
  for (const [id, d] of Object.entries(policy.destinations)) {
    const missing = [
      ...(d.teamCy === undefined ? ['teamCy'] : []),
      ...(d.toldCy === undefined ? ['toldCy'] : []),
    ];
    if (missing.length) gaps.push(`destinations.${id} "${d.team}": no ${missing.join(', ')}`);
  }
  if (policy.comment.delayReasonCy === undefined) gaps.push('comment: no delayReasonCy');
  if (policy.socialCare && policy.socialCare.signOffBy.roleCy === undefined)
    gaps.push(`socialCare.signOffBy "${policy.socialCare.signOffBy.role}": no roleCy`);
  return gaps;
}

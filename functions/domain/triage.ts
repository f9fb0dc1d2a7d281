import type { Language } from './language.js';
import type { ExclusionId, Policy, ServiceArea } from './policy-schema.js';
import { exclusionReferral, serviceReferral } from './referrals.js';
import type { CaseKind, FeedbackKind } from './types.js';

/**
 * Triage: decides, from what the resident wrote and the service they chose, whether a piece of
 * feedback is handled here, handled by another procedure (a redirect), or needs a person to decide
 * first (anonymous, no consent, vexatious). Out-of-scope contact is never dropped: the caller
 * records the case with the verdict and sends the resident the redirect text.
 *
 * The keyword rules are data (`TRIAGE_RULES`), read in order; the first rule that matches and that
 * the council's policy lists in `exclusions` wins. They are deliberately narrow: when unsure,
 * triage says "handle", because an officer can still mark a case "not a complaint" later, whereas
 * a complaint wrongly turned away is a failure the Ombudsman would criticise (the Code 3.1).
 */

/** What triage needs to know about a submission. */
export interface TriageInput {
  kind: FeedbackKind;
  /** Service id from the policy's routing table (a service name is also accepted). */
  service?: string;
  summary: string;
  desiredOutcome?: string;
  anonymous: boolean;
  onBehalfOf?: { consent: boolean };
  /** The complainant has been designated vexatious / unreasonably persistent (Dudley MBC Corporate Customer Feedback Procedure, June 2019, §6). */
  complainantVexatious?: boolean;
  /** The resident's language: what they are told is in it (default English). */
  language?: Language;
}

/**
 * What happens next to the submission. `redirect`: a service request, sent back to the service
 * at once (emailed to its mailbox, the resident told who has it). `refer`: any other exclusion (or a service with its own procedure): sent to where the
 * policy says, and checked by the complaints team, who can bring it back as a complaint — a
 * keyword match is a suggestion, not a verdict.
 */
export type TriageRoute =
  | 'handle'
  | 'redirect'
  | 'refer'
  | 'refer-to-manager'
  | 'nominated-officer'
  | 'needs-consent';

export interface TriageResult {
  kind: CaseKind;
  route: TriageRoute;
  exclusion?: ExclusionId;
  /** Plain-English text for the resident: where to go instead and what happens next. */
  redirect?: string;
  /**
   * The service that handles it when not the one chosen: a complaint about statutory social care
   * sent with another service goes to the service that follows that procedure, whose team then
   * gets its tasks; a service request goes to the service it is for (`serviceFor`).
   */
  service?: string;
  /**
   * A service request that no service in the routing table is for (a pothole where the council
   * runs no highways service): recorded against no service, not the one chosen, so that the
   * complaints team has it and passes it on (`serviceRequestReferral`).
   */
  noService?: true;
  /** Why, for the officer and the audit trail. */
  reasons: string[];
}

/**
 * The service a case is recorded against, from triage's verdict and the service the resident
 * chose: the one triage hands it to, none when triage found no service for it, else the one chosen.
 */
export function recordedService(verdict: TriageResult, chosen: string | undefined): string | undefined {
  if (verdict.noService) return undefined;
  return verdict.service ?? chosen;
}

/** One keyword rule: any pattern matches, unless a guard matches (a sign it is a real complaint). */
export interface TriageRule {
  exclusion: ExclusionId;
  /** Short name of what was recognised, used in the reasons (e.g. "a pothole"). */
  topic: string;
  /** Tested against the summary and desired outcome together. */
  patterns: readonly RegExp[];
  /** Tested against the chosen service's id and name. */
  servicePatterns?: readonly RegExp[];
  /** When any of these match the text, the rule does not apply. */
  unless?: readonly RegExp[];
  /**
   * The rule recognises a first report of a fault, and this is the service the fault is for
   * (e.g. "the highways service"). A fault that hurt someone or damaged their property is a
   * complaint or a claim, never a first report: when the text tells of injury or damage
   * (`INJURY_OR_DAMAGE`), the rule does not apply, and the reasons name this service.
   */
  faultFor?: string;
  /**
   * A service request: the routing table's service it goes to, by its id or name, most likely
   * first ("Highways", Dudley's "Street Care"). The service chosen is kept when it matches; when
   * none does, the one chosen (or the complaints team) gets it (`serviceRequestReferral`).
   */
  serviceFor?: readonly RegExp[];
  /**
   * The rule is about homes (housing repairs): it does not apply when the text, or the service
   * chosen, names a building that is not a home (`NOT_A_HOME`) and nothing says it is about a
   * home or a tenancy (`HOME`, or a housing landlord service chosen).
   */
  homesOnly?: boolean;
  /**
   * Reports of wrongdoing (hate incidents, whistleblowing, fraud) are routed whatever the kind of
   * feedback and whatever the service; other rules apply to complaints only.
   */
  anyKind?: boolean;
  /**
   * Why the rule excludes it, for the audit trail. It names no council's document: the reasons
   * cite the running policy's own source for the exclusion (`sources`), or none (see `citing`).
   */
  reason: string;
  /** What the resident is told; `{council}` is replaced by the council's name. */
  redirect: string;
  /** `redirect` in Welsh (DRAFT WELSH, for the council's Welsh translation service to review). */
  redirectCy?: string;
}

/**
 * Signs that a resident is complaining about how a report or request was handled (a repeated or
 * unresolved failure, or staff conduct) rather than making a first report (Dudley MBC Corporate Customer Feedback Procedure, June 2019: "a complaint
 * is NOT an initial request for service or repair").
 */
const REPEATED_OR_UNRESOLVED: readonly RegExp[] = [
  /\b(again|still|yet again|repeatedly|constantly|keeps? (on )?(being |getting )?(missed|happening|breaking)|every (single )?(week|time|fortnight|collection))\b/i,
  /\b(twice|several|many|multiple|numerous|countless|two|three|four|five|six|seven|eight|nine|ten|\d+)\s+(times|occasions|calls|emails|reports|weeks|months|years)\b/i,
  /\bfor (weeks|months|years|ages|over a (week|month|year)|a (week|month|year|fortnight))\b/i,
  /\b(weeks|months|years|days) (ago|later|now)\b/i,
  /\b(already|previously|originally|first) reported\b|\breported (it|this|them|the \w+) (before|previously|already|last|on \d|in (january|february|march|april|may|june|july|august|september|october|november|december))\b|\breported\b[^.!?]{0,40}\b(times|ago|before|previously)\b/i,
  /\bnothing (was|has|had|is|has been|is being) (done|happened|changed)\b|\bno(body| ?one) (has |have |ever )?(came|come|turned up|responded|replied|called|fixed|done)\b|\bno (response|reply|action|answer|one came)\b/i,
  /\bignored\b|\bpromised\b|\bclosed (my|the) (report|request|job|ticket)\b|\bmarked (it |as )?(fixed|complete|completed|resolved)\b/i,
  // "Hasn't been fixed" implies an earlier report; "hasn't been collected (today)" is a first report.
  /\b(has ?n[o']t|have ?n[o']t|has not|have not) (yet )?(been )?(fixed|repaired|mended|dealt with|sorted|replaced|done)\b/i,
  /\bnever (been )?(fixed|repaired|collected|emptied|mended|dealt with|sorted|done|replaced|cleared|removed)\b/i,
  /\b(rude|attitude|unprofessional|shouted|swore|abusive|unhelpful|dismissive|aggressive)\b/i,
  // What the council or its people did or failed to do: the service, not the fault, is the matter.
  // Someone sent who did not come, or did not call back ("the engineer never turned up"); a
  // vehicle or a crew that did not come is a missed collection, a first report.
  /\b(engineer|plumber|electrician|contractor|workm[ae]n|builders?|roofers?|officer|inspector|surveyor|somebody|someone|nobody|no ?one|you|they|he|she)\b[^.!?]{0,30}\b(did ?n[o']t|did not|never|failed to) (turn(ed)? up|show(ed)? up|showed|come|came|arrive[ds]?|attend(ed)?|call(ed)? (me |us )?back|r[ia]ng (me |us )?back|get back|got back)\b/i,
  // Something that was to be done and was not ("the leak was meant to be fixed on Monday").
  /\b(was|were|had been) (meant|supposed|promised|due) to\b/i,
  /\bhung up\b|\bput the phone down\b/i,
  // Work the council sent that was not done well ("the plumber you sent did not fix it properly").
  /\b(you|the council) sent\b|\b(not|n't|never)\b[^.!?]{0,40}\bproperly\b/i,
  // A refusal by the council or its people, not by a neighbour or by the resident.
  /\b(you|they|the council|council|officers?|staff|the (repairs? |housing )?team|the (repairs? )?line|the (engineer|contractor|plumber|landlord|housing officer)s?|my landlord) (has |have |had |just |simply )?(refus(e|es|ed|ing) to|(wo ?n[o']t|will not) (help|fix|come|do anything|listen|repair))\b/i,
  // Harm the council's own work did ("your workmen caused a leak", "since your roofers were here").
  /\b(your|the council'?s?) (workmen|workman|contractors?|staff|plumbers?|engineers?|builders?|operatives?|roofers?|repair team)\b[^.!?]{0,40}\b(caused|made|broke|damaged|left|did|replaced|fitted|were here|came)\b|\bcaused by (you|your|the council|the (repair|contractor|work|works|workmen))\b|\b(since|after|when) (the|your|the council'?s?) (workmen|workman|contractors?|plumbers?|engineers?|builders?|roofers?|repair team) (came|were|was|did|replaced|fitted|left)\b|\b(after|since) (your|the council'?s?) (contractors?|workmen|builders?|roofers?|plumbers?|engineers?)\b|\b(the council|you|your \w+) (has |have |had )?(caused|damaged|broke|flooded)\b|\b(take|takes|taking|accept|accepts) (any )?responsibility\b/i,
];

const BODY_PARTS =
  'wrist|wrists|arm|arms|leg|legs|ankle|ankles|hip|knee|knees|foot|feet|toe|toes|finger|fingers|thumb|hand|hands|elbow|shoulder|collarbone|nose|jaw|tooth|teeth|rib|ribs|back|neck|head|face|shin|pelvis|cheekbone';
/** Body parts that follow "broken" with nothing between without being something else ("a broken hand rail"). */
const BROKEN_BODY_PARTS =
  'wrist|arm|leg|ankle|hip|knee|elbow|shoulder|collarbone|nose|jaw|tooth|teeth|rib|ribs|toe|finger|thumb|pelvis|bone|bones';
const VEHICLES_AND_BELONGINGS =
  'car|van|vehicle|motorbike|motorcycle|bike|bicycle|scooter|mobility scooter|wheelchair|pushchair|buggy|pram|tyre|tyres|wheel|wheels|rim|rims|alloy|alloys|suspension|exhaust|sump|windscreen|bumper|phone|glasses';
const DAMAGED =
  'damaged|dented|scratched|smashed|cracked|broken|broke|ruined|wrecked|written off|burst|punctured|buckled|bent|split|ripped';
const PEOPLE =
  'i|we|he|she|they|someone|somebody|my (mum|mother|dad|father|son|daughter|child|children|kids?|wife|husband|partner|nan|nana|gran|granny|grandma|grandmother|grandad|grandfather|grandson|granddaughter|neighbour|friend|sister|brother|baby|toddler)|my (elderly|disabled|little|young|old) \\w+';

/**
 * Injury or damage a fault caused. A resident hurt by a fault, or whose property it damaged, has a
 * complaint or a claim, never a plain first report (Dudley MBC Corporate Customer Feedback
 * Procedure, June 2019: "a complaint is NOT an initial request for service"; an injury is not a
 * request for anything). A claim already made is the `insurance-claim` rule's, which comes first.
 * Matched as said, not as feared: "someone will get hurt" is still a first report (`HYPOTHETICAL`).
 */
export const INJURY_OR_DAMAGE: readonly RegExp[] = [
  /\binjur(ed|y|ies|ing)\b|\bhurt\b/i,
  new RegExp(
    `\\b(broke|broken|fractured|sprained|twisted|dislocated|cut|grazed|bruised|gashed|hurt|injured|bashed|banged) (my|his|her|their|our|your|a|an|both) (left |right )?(${BODY_PARTS})\\b`,
    'i',
  ),
  new RegExp(`\\b(broken|fractured|sprained|dislocated) (${BROKEN_BODY_PARTS})\\b`, 'i'),
  // Things do not trip over a slab; people do ("the electrics tripped" has no preposition).
  /\b(tripped|slipped|stumbled) (over|on|in|into|down|up|off|and fell)\b/i,
  new RegExp(
    // "my son Will fell": a name may follow who it was.
    `\\b(${PEOPLE})( (?!(?:nearly|almost|never|not|could|would|might|just|only)\\b)[A-Z][a-z]+)? (has |had |have |then |also )?(fell|fallen|went flying|came off|was thrown off)\\b`,
    'i',
  ),
  /\bhad an? (bad |nasty |serious )?(fall|accident)\b/i,
  // A fall the fault caused ("caused me to fall", "I have already fallen in it"), a person who
  // tripped or slipped, an electric shock, bruises.
  new RegExp(`\\b(caused|made) (me|him|her|them|us|${PEOPLE}) (to )?(fall|trip|slip|stumble)\\b`, 'i'),
  /\b(fallen|fell|tripped|slipped|come off) (in|on|over|into) (it|them|that|this)\b/i,
  new RegExp(`\\b(${PEOPLE}) (has |had |have |then |also )?(tripped|slipped|stumbled)\\b`, 'i'),
  /\b(got|had|received|given) an? (electric )?shock\b|\belectrocuted\b|\b(am|is|are|was|were) (now |badly |still )?bruised\b|\bbruises\b/i,
  // Something that fell on or hit someone ("the ceiling collapsed and hit my son on the head").
  new RegExp(`\\b(hit|struck|fell on|landed on) (me|him|her|them|us|${PEOPLE})\\b`, 'i'),
  /\b(went|gone|been|taken|rushed|ended up|was|were|spent [\w ]{1,12}) (to|in|at) (the )?(hospital|a ?& ?e)\b|\ba ?& ?e\b|\baccident and emergency\b/i,
  /\b(called|needed|came in|taken away in) an ambulance\b|\b(stitches|concussion|x-?rays?|plaster cast|physio(therapy)?)\b/i,
  // Damage: done to something of theirs, or their vehicle or belongings damaged.
  /\b(damaged|ruined|destroyed|soaked) (my|our)\b|\bdamage to (my|our)\b|\bcompensat(e|ion)\b|\b(on|onto|into|hit) my (car|van|house|home|fence|roof|garden|wall)\b/i,
  new RegExp(
    `\\b(my|our|his|her|their) (\\w+ )?(${VEHICLES_AND_BELONGINGS})('s \\w+| \\w+)? (was|were|is|are|has been|have been|got|had been|now)( badly| seriously| completely)? (${DAMAGED})\\b`,
    'i',
  ),
  new RegExp(`\\b(${DAMAGED}|damaging) (my|our|his|her|their) (\\w+ )?(${VEHICLES_AND_BELONGINGS})\\b`, 'i'),
  /\b(burst|punctured|flat|buckled|bent|cracked|split) (tyre|tyres|wheel|wheels|rim|rims|alloy|alloys|suspension|sump|windscreen)\b/i,
  /\b(repair|garage|mechanic'?s|tyre|vet'?s) (bill|bills|costs?|invoice)\b|\bcost me\b|\bout of pocket\b/i,
];

/**
 * Words before an injury that make it feared, not suffered ("someone could be injured"), when
 * nothing but `GOVERNED` words stands between them and the injury.
 */
const HYPOTHETICAL =
  /\b([Ww]ould|[Cc]ould|[Mm]ight|[Ss]hould|[Gg]oing to|[Gg]onna|[Nn]early|[Aa]lmost|[Uu]nless|[Ii]f|[Ww]aiting for|[Aa]ny(one|body)|risk|likely|bound to|danger|dangerous|potential(ly)?|possibly|cause)\b|\b(will|'ll|may)\b/g;
// "will" and "may" lower-case only: "Will" is a name, "May" a month, at the start of a sentence
// they are as often one as the other; "going" only as "going to" ("I was going home when I fell").

/**
 * Words that a hedge reaches across to the injury: auxiliaries, adverbs and who is hurt ("could
 * very easily be seriously injured", "will get hurt"). Any other word ends its reach: in "I could
 * feel I had broken my wrist" the "could" is about feeling, and the wrist was broken.
 */
const GOVERNED = new Set(
  (
    'be been being have has had get gets got getting end ends ending up easily seriously badly ' +
    'really very so quite probably definitely surely certainly just also even eventually soon ' +
    'one day to of for someone somebody anyone anybody people person a an the child children kid ' +
    'kids pedestrian pedestrians elderly old older young little vulnerable disabled my your his ' +
    'her their our mum dad me us them him you i we he she they it is are not cause causing'
  ).split(' '),
);

/**
 * Time words that open a clause of their own: whether the injury in it happened is told by its
 * verb, and a hedge before the time word does not reach into it ("I could hardly walk when I fell":
 * the fall happened). `before` and `until` look ahead, so their clause is feared unless its verb is
 * in the past ("before I fell"); the others look at what happens, so it happened unless its verb
 * is in the present ("after someone is injured").
 */
const LOOKING_AHEAD = /^(before|until|till)$/i;
const TIME_WORD = /^(before|until|till|when|whenever|after|while|once)$/i;
const PAST = /\b(was|were|had|got|did|fell|fallen|broke|went|came|ran|took|spent|[a-z]+ed)\b/i;
const PRESENT = /\b(is|are|am|be|gets?|falls|trips|slips|breaks|hurts|happens|(some|any)(one|body)'s)\b/i;

/** Words just before an injury that say it did not happen ("nobody was hurt"). */
const NEGATED = /\b(nobody|no one|noone|not|never|without)\b|n't\b/i;

/**
 * Whether an injury or damage (`told`, as matched) is told as having happened, from the words of
 * its clause before it (`lead`): not feared by a hedge that reaches it, not denied, and, in a
 * clause opened by a time word, told in the tense of something that happened.
 */
function toldAsHappened(lead: string, told: string): boolean {
  let words = lead.trim().split(/\s+/).filter(Boolean);
  const opened = words.findLastIndex((w) => TIME_WORD.test(w));
  const timeWord = opened >= 0 ? words[opened] : undefined;
  if (timeWord) words = words.slice(opened + 1);
  if (NEGATED.test(words.slice(-4).join(' '))) return false;
  const clause = words.join(' ');
  const hedge = [...clause.matchAll(HYPOTHETICAL)].at(-1);
  if (hedge) {
    const reach = clause
      .slice(hedge.index + hedge[0].length)
      .toLowerCase()
      .split(/\s+/)
      .filter(Boolean);
    if (reach.every((w) => GOVERNED.has(w))) return false;
  }
  if (!timeWord) return true;
  // A verb in the past tells of something that happened, whatever else the clause says in the
  // present about who or how ("when my mum who is 80 fell", "when it is dark I slipped").
  // Not a participle after "is" or "gets" ("before someone is injured"): that is the present.
  const tense = `${clause} ${told}`;
  const passive = /\b(is|are|be|being|gets?|getting)\s*$/i.test(clause);
  if (PAST.test(passive ? clause : tense)) return true;
  if (PRESENT.test(tense)) return false;
  return !LOOKING_AHEAD.test(timeWord);
}

/** Signs that the text is about a home or a tenancy: a repair there is a housing repair. */
const HOME: readonly RegExp[] = [
  /\b(my|our|his|her|their|mum's|dad's) (own )?(council |rented |housing association )?(home|house|flat|maisonette|bungalow|apartment|bedsit|property|tenancy|bedroom|bathroom|kitchen|living room|lounge|hallway|landing|loft|block)\b/i,
  /\b(council|housing association|social) (home|house|flat|maisonette|bungalow|property|housing|tenant|tenants|tenancy)\b/i,
  /\btenan(t|ts|cy)\b|\bleaseholders?\b|\bblock of flats\b|\btower block\b|\bsheltered (housing|scheme|accommodation)\b/i,
  // "at home" and "come home (to …)" say where; "went home", "got home" only where someone went
  // after what happened elsewhere ("the library's toilet was broken so I had to go home").
  /\b(at|come|comes|came|coming) home\b|\b(rent|rented|renting) (it |my \w+ )?(from|off) the council\b/i,
];

/** Council and public buildings that are not homes: a repair there is not a housing repair. */
const NOT_A_HOME =
  /\b(library|libraries|school|schools|academy|college|nursery|leisure centre|leisure|sports centre|sports hall|swimming pool|swimming baths|lido|gym|town hall|city hall|civic centre|guildhall|council (offices|building|buildings|depot|chamber)|community (centre|center|hall|building)|village hall|church hall|youth (centre|club)|day centre|children's centre|family centre|museum|art gallery|gallery|theatre|crematorium|cemetery|market hall|bus station|car park|pavilion|public (toilets?|conveniences)|toilet block|(?<=\b(the|a|our|local|this|that) )park|parks|playground|register office|corporate (landlord|property|estate))\b(?! (lane|road|street|avenue|close|way|drive|hill|row|place|walk|court|crescent|gardens|terrace|green|square|grove|view|rise|mews|croft|fields?|parade)\b)/i;

/** Staff conduct words: a complaint about how someone behaved is a complaint, whatever the topic. */
const STAFF_CONDUCT: readonly RegExp[] = [
  /\b(rude|attitude|unprofessional|shouted|swore|dismissive|aggressive)\b/i,
];

/** Delay in doing something is a complaint about the service, not a challenge to a decision. */
const DELAY: readonly RegExp[] = [
  /\b(delay(s|ed)?|waiting|still not (heard|decided)|no (response|reply|decision)|not (been )?(decided|determined|processed))\b/i,
];

const SERVICE_REQUEST_TAIL =
  ' If you have already reported it and it has not been dealt with, or you are unhappy with how we handled your report, tell us and we will treat it as a complaint.';
const SERVICE_REQUEST_TAIL_CY =
  ' Os ydych eisoes wedi rhoi gwybod amdano ac nad yw wedi cael sylw, neu os ydych yn anhapus â sut y gwnaethom ddelio â’ch adroddiad, rhowch wybod i ni a byddwn yn ei drin fel cwyn.';

/**
 * What a resident is told of a service request no service of this council is for: the complaints
 * team passes it on (the email says so), so nothing about reporting it on this council's website.
 */
const NO_SERVICE_REDIRECT =
  'Your report will be dealt with as a service request. You do not need to make a complaint.' +
  SERVICE_REQUEST_TAIL;
/** `NO_SERVICE_REDIRECT` in Welsh (DRAFT WELSH, for the council's Welsh translation service to review). */
const NO_SERVICE_REDIRECT_CY =
  'Bydd eich adroddiad yn cael ei drin fel cais am wasanaeth. Nid oes angen i chi wneud cwyn.' +
  SERVICE_REQUEST_TAIL_CY;

/**
 * The keyword rules, most specific and most urgent first. Patterns are written to catch how
 * residents actually put things, and guarded (`unless`) against the commonest false positives.
 */
export const TRIAGE_RULES: readonly TriageRule[] = [
  {
    exclusion: 'hate-incident',
    topic: 'a hate incident',
    anyKind: true,
    patterns: [
      /\bhate (crime|incident)s?\b/i,
      /\b(racist|racially|racial (abuse|slur|harassment|attack)|homophobic|transphobic|biphobic|disablist|islamophobic|antisemitic|anti-semitic|xenophobic)\b/i,
      /\b(abused|attacked|harassed|targeted|threatened)\b[^.!?]{0,60}\bbecause (of )?(my|i am|i'm|we are|we're|he is|she is|they are)\b[^.!?]{0,30}\b(race|religion|faith|colour|disab|gay|lesbian|trans|muslim|jewish|black|asian|sexuality|sexual orientation)/i,
    ],
    reason:
      // Where the report goes, and what the resident is told, is the policy's (its destination).
      'Reports of hate crime and hate incidents follow their own route, not the complaints procedure.',
    redirect:
      'What you have told us may be a hate crime or hate incident. We take these very seriously. Reports of hate crime follow their own route, not the complaints procedure. If you are in danger now, call 999. You can report hate crime to the police on 101, or online through True Vision at www.report-it.org.uk.',
  },
  {
    exclusion: 'whistleblowing',
    topic: 'whistleblowing',
    anyKind: true,
    patterns: [
      /\bwhistle[- ]?blow(ing|er|ers)?\b/i,
      /\bblow(ing)? the whistle\b/i,
      /\bpublic interest disclosure\b/i,
      /\bprotected disclosure\b/i,
    ],
    reason:
      "Concerns raised under the council's whistleblowing policy are handled by that policy, not the complaints procedure.",
    redirect:
      "You have raised a concern that is dealt with under {council}'s whistleblowing policy, not the complaints procedure. The policy, on the council's website, says who to raise it with; they will treat it in confidence.",
  },
  {
    exclusion: 'fraud-corruption',
    topic: 'fraud or corruption',
    anyKind: true,
    patterns: [
      /\b(report(ing)?|suspect(ed)?|allegation of|committing|is committing|guilty of)\b[^.!?]{0,30}\b(fraud|corruption)\b/i,
      /\b(benefits?|housing benefit|tenancy|council tax|blue badge|single person discount|grant|procurement) fraud\b/i,
      /\bfraudulent(ly)? (claim|claiming|using|sub-?letting|obtained|applied)\b/i,
      /\bsub-?letting (his|her|their) (council )?(flat|house|home|property)\b/i,
      /\b(corrupt (officer|officers|councillor|councillors|official|officials|practice|practices)|corruption)\b/i,
      /\b(brib(e|es|ed|ery|ing)|backhanders?|kickbacks?)\b/i,
    ],
    unless: [
      /\b(victim of|been) (a |an )?(fraud|scam)\b/i,
      /\bscam(med|mer|s)?\b/i,
      /\bcorrupt(ed)? (file|data|download|attachment|pdf)\b/i,
    ],
    reason: 'Allegations of fraud or corruption go to the counter-fraud team under their own policy.',
    redirect:
      "What you have told us is an allegation of fraud or corruption. These are investigated by {council}'s counter-fraud team under their own procedure, not as a complaint. You can report fraud to them through the council's website. They may not be able to tell you the outcome.",
  },
  {
    exclusion: 'legal-proceedings',
    topic: 'legal proceedings',
    patterns: [
      /\b(court|legal|tribunal) (proceedings|case|claim)\b/i,
      /\b(issued|started|begun|began|commenced|brought|filed)\b[^.!?]{0,20}\b(proceedings|legal action|court action|a claim in the (county )?court)\b/i,
      /\bjudicial review\b/i,
      /\b(hearing|case) (is|was) (listed|adjourned|in court|before the (court|tribunal))\b/i,
    ],
    // A threat to go to court is still a complaint we can try to resolve; only proceedings under way are excluded.
    unless: [
      /\b(consider(ing)?|will|would|might|may|thinking (of|about)|threaten(ing)?|intend(ing)? to|going to|otherwise|unless|or i)\b[^.!?]{0,30}\b(legal|court|proceedings|judicial review|sue|solicitor)/i,
    ],
    reason:
      'Matters already subject to legal proceedings are decided by the court, not the complaints procedure.',
    redirect:
      'You have told us that this matter is, or is about to be, the subject of legal proceedings. We cannot consider it as a complaint while the court or tribunal is dealing with it. Please continue to deal with it through the legal process. If you have a separate complaint about our service that is not part of the proceedings, tell us and we will consider it.',
  },
  {
    exclusion: 'insurance-claim',
    topic: 'an insurance claim',
    patterns: [
      /\binsurance claim\b/i,
      /\b(made|making|submitted|put in|lodged|make) (a |my |an )?claim (against|with|on) (the council|you|your insurers?|the council's insurers?)\b/i,
      /\b(public liability|personal injury) claim\b/i,
      /\b(the council's|your|my) (insurer|insurers|insurance company|claims handler)\b[^.!?]{0,50}\b(claim|refused|rejected|paid|pay)\b/i,
    ],
    reason: 'Claims against the council are handled by its insurers and claims team.',
    redirect:
      "Claims for compensation for damage or injury are handled by {council}'s insurance team, not through the complaints procedure. If you have already made a claim, please contact the insurance team about it, quoting your claim number. If you have not, you can make one through the council's website. If you are unhappy with how we provided a service, separately from your claim, tell us and we will consider it as a complaint.",
  },
  {
    exclusion: 'employment',
    topic: 'an employment matter',
    patterns: [
      /\b(raised|submitted|lodged|filed|put in) (a |my )?(formal )?grievance\b/i,
      /\bgrievance (procedure|hearing|meeting|process|policy|appeal|outcome)\b/i,
      /\b(i|we) (work|worked|am employed|was employed|have worked|used to work) (for|at|by|in) (the|this|your) council\b/i,
      /\bas an? (employee|member of staff|council employee|council worker) (i|of)\b/i,
      /\bmy (line manager|contract of employment|disciplinary|dismissal|redundancy)\b/i,
      /\bunfair(ly)? dismiss(ed|al)\b/i,
      /\b(i|we) (applied|have applied|interviewed) for (a|the) (job|post|role|vacancy)\b/i,
      /\bdisciplinary (hearing|meeting|process|procedure|investigation) (against me|with me|about me)\b/i,
    ],
    reason:
      "Employment matters (grievance, disciplinary, recruitment) are dealt with by the council's HR policies.",
    redirect:
      "Matters about your employment with {council}, including grievances, disciplinary matters and job applications, are dealt with under the council's Human Resources policies, not the complaints procedure. Please speak to your manager or contact Human Resources, who will explain what happens next.",
  },
  {
    exclusion: 'councillor-conduct',
    topic: "a councillor's conduct",
    patterns: [
      // The conduct word must be said of the councillor ("Councillor Smith was rude"), not merely
      // appear in the same sentence ("my councillor was helpful but the officer was rude").
      /\b(councill?or|cllr|ward member|elected member)s?\b(\s+[\w.']+){0,3}?\s+(was|is|has been|were|have been|behaved|acted)\s+([\w']+\s+){0,2}?(rude|abusive|offensive|threatening|dishonest|disrespectful|aggressive|inappropriate(ly)?|unprofessional|bullying|biased)\b/i,
      /\b(councill?or|cllr|ward member|elected member)s?\b(\s+[\w.']+){0,3}?\s+(lied|swore|shouted|threatened|insulted|bullied|harassed|abused|misled)\b/i,
      /\b(councill?or|cllr|member)'?s?'? (conduct|behaviou?r|misconduct)\b/i,
      /\b(member|members'?) (misconduct|code of conduct)\b/i,
      /\bcode of conduct\b[^.!?]{0,40}\bcouncill?ors?\b|\bcouncill?ors?\b[^.!?]{0,40}\bcode of conduct\b/i,
      /\bcouncill?or\b[^.!?]{0,60}\b(did ?n[o']t|did not|failed to|never) declare (an|his|her|their) interest\b/i,
    ],
    reason:
      "Complaints about a councillor's conduct go to the Monitoring Officer under the Members' Code of Conduct, not the complaints procedure.",
    redirect:
      "Complaints about how a councillor has behaved are dealt with by {council}'s Monitoring Officer under the Members' Code of Conduct, not through the complaints procedure. Please write to the Monitoring Officer at the council's offices. If you are also unhappy with a council service, tell us and we will consider that as a complaint.",
  },
  {
    // Before information requests: a concern about how personal data was handled is the more
    // particular, and a council that excludes requests only handles it here as a complaint.
    exclusion: 'data-protection',
    topic: 'a data protection concern',
    patterns: [
      /\bdata breach\b|\bbreach(ed)? (of )?(my )?(data protection|gdpr|privacy)\b/i,
      /\b(shared|disclosed|leaked|lost|published) my (personal )?(data|details|information|address)\b/i,
    ],
    unless: [
      ...STAFF_CONDUCT,
      /\b(because of|citing|due to|blamed|hid behind|hiding behind) (the )?(data protection|gdpr)\b/i,
    ],
    reason:
      "Concerns about how the council handled someone's personal data go to its data protection officer, with the Information Commissioner as the independent reviewer.",
    redirect:
      "Concerns about how {council} has used or protected your personal data are dealt with by its Data Protection Officer under data protection law, not the complaints procedure. We have passed your message to them, and they will reply within the time the law allows. If you are unhappy with their answer, you can complain to the Information Commissioner's Office (ico.org.uk).",
  },
  {
    exclusion: 'information-rights',
    topic: 'an information request',
    patterns: [
      /\bfreedom of information\b|\bfoi\b/i,
      /\bsubject access( request)?\b|\bsar\b/i,
      /\b(under|my rights under|request under) (the )?(data protection|uk gdpr|gdpr)\b/i,
      /\benvironmental information regulations?\b|\beir( request)?\b/i,
      /\b(copy of|copies of|see|access to) (all )?(the )?(information|data|records|personal data|files?) (you|the council) (hold|holds|keep|keeps|have) (on|about) me\b/i,
    ],
    // "They would not talk to me because of data protection" is a complaint about the service.
    unless: [
      ...STAFF_CONDUCT,
      /\b(because of|citing|due to|blamed|hid behind|hiding behind) (the )?(data protection|gdpr)\b/i,
    ],
    reason:
      'Information requests (FOI, subject access, EIR) follow the information rights procedure, with the Information Commissioner as the independent reviewer.',
    redirect:
      "Requests for information, including the personal data we hold about you, are dealt with by {council}'s Information Governance team under the Freedom of Information Act, data protection law or the Environmental Information Regulations, not the complaints procedure. We have passed your message to them, and they will reply within the time the law allows. If you are unhappy with their answer, you can ask for an internal review and then contact the Information Commissioner's Office (ico.org.uk).",
  },
  {
    exclusion: 'childrens-social-care',
    topic: "children's social care",
    servicePatterns: [/children'?s services/i, /children'?s social/i, /\bfostering\b/i],
    // Words only children's social care uses: a child's social worker, fostering, child
    // protection, a child in care or in need, care orders and proceedings, adoption, special
    // guardianship, kinship care, care leavers. Not a child merely named ("my granddaughter helps
    // mum"), nor "my son's social worker" (a son may be an adult with care needs): those stay with
    // adult social care, whose team can pass on what is not theirs.
    patterns: [
      /\bchildren'?s (social care|social services|social work(ers?)?|social care services|homes?)\b/i,
      /\b(child|children|kids|baby|babies)'?s?'? social workers?\b/i,
      /\bchild protection\b|\b(child|children) in need\b/i,
      /\blooked[- ]after (child|children|young (person|people))\b|\b(child|children|young (person|people)) in care\b/i,
      /\bfoster(ing)? (care|carers?|placements?|parents?|famil(y|ies)|homes?|agency|allowance|panel|service)\b|\bfostered\b|\bprivate fostering\b/i,
      /\b(interim )?(care|supervision|emergency protection|child assessment) orders?\b|\bcare proceedings\b/i,
      /\b(taken|put|placed|removed|went|gone) into care\b[^.!?]{0,40}\b(child|children|baby|kids?|son|daughter|grandson|granddaughter|nephew|niece)\b|\b(child|children|baby|kids?|son|daughter|grandson|granddaughter|nephew|niece)\b[^.!?]{0,40}\b(taken|put|placed|removed) into care\b/i,
      /\badoption (agency|support|panel|placement|order|team|service|social worker)\b|\bspecial guardian(ship)?\b|\bkinship (care|carers?|placement)\b/i,
      /\bcare leavers?\b|\bleaving care (team|service|grant|support|worker)\b/i,
    ],
    reason:
      "Children's social care complaints follow their own procedure set by law (Children Act 1989 s.26 and, in England, the Children Act 1989 Representations Procedure (England) Regulations 2006), not the adult social care procedure (SI 2009/309) or the corporate one.",
    redirect:
      "Complaints about children's social care follow a separate procedure set by law, under the Children Act 1989, not {council}'s corporate complaints procedure. Please contact {council}'s children's social care complaints team.",
  },
  {
    exclusion: 'social-care',
    topic: 'statutory social care',
    servicePatterns: [/social[- ]care/i, /adult services/i],
    patterns: [
      /\bsocial workers?\b/i,
      /\badult social care\b/i,
      /\bcare (package|plan|assessment|needs assessment|home|worker|workers|agency|provider)\b/i,
      /\b(carers?|care workers?)\b[^.!?]{0,60}\b(did ?n[o']t (turn up|come|arrive|visit)|did not (turn up|come|arrive|visit)|never (turn|turned|came|come)|missed (a |the |my |her |his )?visits?|(was|were|is|are|always) late)\b/i,
      /\b(home care|domiciliary care|respite care|direct payments?|carers? assessment|reablement|personal budget)\b/i,
    ],
    reason:
      'Statutory adult social care complaints follow their own procedure (SI 2009/309), not the corporate procedure.',
    redirect:
      "Complaints about adult social care or children's social care follow a separate procedure set by law. We have passed your complaint to {council}'s social care complaints team, who will contact you to talk about it and agree how it will be dealt with.",
  },
  {
    exclusion: 'has-appeal-route',
    topic: 'a planning decision',
    patterns: [
      /\bplanning (application|permission|consent|decision)\b[^.!?]{0,80}\b(refus(ed|al)|reject(ed)?|approv(ed|al)|grant(ed)?|decision|object(ion|ions|ed)?|appeal)\b/i,
      /\b(refus(ed|al)|reject(ed)?|approv(ed|al)|grant(ed)?|object(ed|ing)? to|objection to|appeal against)\b[^.!?]{0,60}\bplanning (application|permission|consent|decision)\b/i,
      /\bplanning appeal\b/i,
    ],
    unless: [...STAFF_CONDUCT, ...DELAY],
    reason:
      'Planning decisions have their own route: objections go on the application, and refusals are appealed to the Planning Inspectorate.',
    redirect:
      'Planning decisions have their own appeal process, so we cannot change a decision through the complaints procedure. If you want to comment on or object to a planning application, do so on the application through the planning portal on the {council} website before the decision is made. If your own application was refused, you can appeal to the Planning Inspectorate (www.gov.uk/appeal-planning-decision). If you are unhappy with how we handled the application, for example delays or how you were treated, tell us and we will consider it as a complaint.',
  },
  {
    exclusion: 'has-appeal-route',
    topic: 'a school admission decision',
    patterns: [
      /\bschool (place|admissions?|application|allocation|offer)\b/i,
      /\badmissions? appeal\b/i,
      /\b(did ?n[o']t|did not|not) (get|given|offered) (a |our |my |his |her |their )?(first |second |third )?(choice|place)\b[^.!?]{0,40}\bschool\b/i,
    ],
    unless: [...STAFF_CONDUCT],
    reason: 'School admission decisions are challenged through an independent admission appeal.',
    redirect:
      'School admission decisions have their own appeal process. If you were refused a place, your decision letter explains how to appeal to an independent appeal panel and the deadline for doing so. You can find out more on the {council} website under school admissions. If you are unhappy with how we handled your application, tell us and we will consider it as a complaint.',
  },
  {
    exclusion: 'has-appeal-route',
    topic: 'a parking or traffic penalty',
    patterns: [
      /\b(parking|bus lane|moving traffic|traffic) (ticket|fine|penalty|charge notice|pcn)s?\b/i,
      /\bpenalty charge notices?\b|\bpcns?\b/i,
    ],
    unless: [...STAFF_CONDUCT],
    reason:
      'Penalty charge notices are challenged by informal challenge, formal representation and the independent Traffic Penalty Tribunal.',
    redirect:
      'Parking and traffic penalty charge notices (PCNs) have their own appeal process. To challenge a PCN, follow the instructions on the notice or use the "Challenge a PCN" page on the {council} website, quoting the PCN number. If we reject your challenge, you can appeal to the independent Traffic Penalty Tribunal. If you are unhappy with how you were treated by a parking officer, tell us and we will consider it as a complaint.',
  },
  {
    exclusion: 'has-appeal-route',
    topic: 'a benefits decision',
    patterns: [
      /\b(housing benefit|council tax (reduction|support)|discretionary housing payment)\b[^.!?]{0,80}\b(decision|refused|rejected|stopped|reduced|overpayment|appeal|reconsider)\b/i,
      /\b(appeal|reconsider|reconsideration of|challenge)\b[^.!?]{0,40}\b(benefit|benefits|council tax reduction|council tax support) (decision|claim)\b/i,
      /\bbenefits? appeal\b/i,
    ],
    unless: [...STAFF_CONDUCT, ...DELAY],
    reason: 'Benefit decisions are reconsidered on request and appealed to an independent tribunal.',
    redirect:
      'Decisions about housing benefit and council tax reduction have their own appeal process. Ask us to look at the decision again by writing to the benefits team within one month of the decision letter, explaining why you think it is wrong. If you still disagree, you can appeal to an independent tribunal. If you are unhappy with how we handled your claim, for example delays, tell us and we will consider it as a complaint.',
  },
  {
    exclusion: 'schools',
    topic: 'a school',
    servicePatterns: [/^schools?$/i, /\bschools\b/i],
    patterns: [
      /\b(head ?teacher|head of year|class teacher|form tutor|senco|school governors?|board of governors|academy trust)\b/i,
      /\b(my|our) (son|daughter|child|children|kids?)'?s? (school|teacher|class)\b/i,
      /\b(bullied|bullying|excluded|detention|suspended)\b[^.!?]{0,30}\b(at|from) (the |his |her |their |my )?school\b/i,
      /\bthe school (has|have|is|won't|will not|refused|excluded|did|didn't|does)\b/i,
    ],
    unless: [/\bschool (transport|bus|taxi|crossing|meals? payment)\b/i],
    reason: "Complaints about a school go to the school's own complaints procedure and governing body.",
    redirect:
      "Each school has its own complaints procedure, run by the headteacher and the school's governing body. Please ask the school for a copy of its complaints procedure, or find it on the school's website. If you remain unhappy after following it, you may be able to complain to the Department for Education. If your complaint is about a service {council} provides, such as school transport, tell us and we will consider it.",
  },
  {
    exclusion: 'service-request',
    topic: 'a pothole or road defect',
    patterns: [
      /\bpot ?holes?\b/i,
      /\b(broken|cracked|uneven|loose|raised|wobbly) (paving|pavement|slab|slabs|kerb|kerbs|road surface)\b/i,
    ],
    unless: REPEATED_OR_UNRESOLVED,
    faultFor: 'the highways service',
    serviceFor: [/\bhighways?\b/i, /\broads?\b/i],
    reason: 'A first report of a road or pavement defect is a request for service, not a complaint.',
    redirect:
      'Your report will be dealt with as a service request. You do not need to make a complaint. Next time, you can report a pothole or damaged pavement using "Report it" on the {council} website.' +
      SERVICE_REQUEST_TAIL,
    redirectCy:
      'Bydd eich adroddiad yn cael ei drin fel cais am wasanaeth. Nid oes angen i chi wneud cwyn. Y tro nesaf, gallwch roi gwybod am dwll yn y ffordd neu balmant wedi’i ddifrodi drwy ddefnyddio "Rhoi gwybod" ar wefan {council}.' +
      SERVICE_REQUEST_TAIL_CY,
  },
  {
    exclusion: 'service-request',
    topic: 'a missed bin collection',
    patterns: [
      /\bmissed (bin|bins|collection|refuse|recycling|rubbish|waste|garden waste|assisted collection)\b/i,
      /\b(bin|bins|recycling|rubbish|refuse|garden waste|food waste)\b[^.!?]{0,40}\b(not|wasn't|was not|weren't|were not|didn't get|did not get|hasn't been|has not been|haven't been|have not been) (been )?(collected|emptied|picked up|taken)\b/i,
      /\b(bin|bins|rubbish|recycling|refuse)\b[^.!?]{0,20}\bwas missed\b/i,
      /\b(new|replacement|extra|another|larger|bigger) (wheelie )?(bin|box|caddy)\b/i,
      /\b(broken|damaged|stolen|lost) (wheelie )?(bin|box|caddy)\b/i,
    ],
    unless: REPEATED_OR_UNRESOLVED,
    faultFor: 'the waste service',
    serviceFor: [/\bwaste\b/i, /\b(bins?|recycling|refuse)\b/i],
    reason:
      'A first report of a missed collection, or a request for a bin, is a request for service, not a complaint.',
    redirect:
      'The waste team will deal with it as a service request, usually within a few working days. You do not need to make a complaint. Next time, you can report a missed bin collection, or ask for a new or replacement bin, using "Report it" on the {council} website.' +
      SERVICE_REQUEST_TAIL,
    redirectCy:
      'Bydd y tîm gwastraff yn delio ag ef fel cais am wasanaeth, fel arfer o fewn ychydig o ddiwrnodau gwaith. Nid oes angen i chi wneud cwyn. Y tro nesaf, gallwch roi gwybod am fin heb ei gasglu, neu ofyn am fin newydd neu fin yn lle un arall, drwy ddefnyddio "Rhoi gwybod" ar wefan {council}.' +
      SERVICE_REQUEST_TAIL_CY,
  },
  {
    exclusion: 'service-request',
    topic: 'a street light',
    patterns: [
      /\b(street ?lights?|street ?lamps?|lamp ?posts?|lamp ?columns?)\b[^.!?]{0,40}\b(out|not working|broken|flickering|off|on all day|stays on|faulty|damaged)\b/i,
      /\b(broken|faulty|flickering) (street ?light|street ?lamp|lamp ?post)s?\b/i,
    ],
    unless: REPEATED_OR_UNRESOLVED,
    faultFor: 'the street lighting service',
    serviceFor: [/\bstreet ?light(s|ing)?\b|\blighting\b/i, /\bhighways?\b/i],
    reason: 'A first report of a faulty street light is a request for service, not a complaint.',
    redirect:
      'Your report will be dealt with as a service request. You do not need to make a complaint. Next time, you can report a street light that is not working using "Report it" on the {council} website, giving the number on the lamp post if you can.' +
      SERVICE_REQUEST_TAIL,
    redirectCy:
      'Bydd eich adroddiad yn cael ei drin fel cais am wasanaeth. Nid oes angen i chi wneud cwyn. Y tro nesaf, gallwch roi gwybod am olau stryd nad yw’n gweithio drwy ddefnyddio "Rhoi gwybod" ar wefan {council}, gan roi’r rhif sydd ar y postyn lamp os gallwch.' +
      SERVICE_REQUEST_TAIL_CY,
  },
  {
    exclusion: 'service-request',
    topic: 'trees, hedges or overgrowth',
    patterns: [
      /\boverhanging (branch|branches|tree|trees|hedge|hedges|vegetation)\b/i,
      /\b(branch|branches|tree|trees|hedge|hedges|vegetation|bushes)\b[^.!?]{0,40}\b(overhang(s|ing)?|overgrown|blocking|fallen|fell|dangerous)\b/i,
      /\b(fallen|dangerous|dead) (tree|trees|branch|branches)\b/i,
    ],
    unless: REPEATED_OR_UNRESOLVED,
    faultFor: 'the highways or parks service',
    serviceFor: [/\b(trees?|green ?(care|spaces?))\b/i, /\bhighways?\b/i, /\bparks?\b/i],
    reason: 'A first report of overhanging or fallen trees is a request for service, not a complaint.',
    redirect:
      'Your report will be dealt with as a service request. You do not need to make a complaint. Next time, you can report overhanging branches, overgrown hedges or a fallen tree using "Report it" on the {council} website.' +
      SERVICE_REQUEST_TAIL,
    redirectCy:
      'Bydd eich adroddiad yn cael ei drin fel cais am wasanaeth. Nid oes angen i chi wneud cwyn. Y tro nesaf, gallwch roi gwybod am ganghennau sy’n gordyfu, gwrychoedd sydd wedi gordyfu neu goeden sydd wedi cwympo drwy ddefnyddio "Rhoi gwybod" ar wefan {council}.' +
      SERVICE_REQUEST_TAIL_CY,
  },
  {
    exclusion: 'service-request',
    topic: 'fly-tipping or street cleaning',
    patterns: [
      /\bfly[- ]?tip(ping|ped|pers?)?\b/i,
      /\b(graffiti|dog fouling|dog mess|abandoned (car|vehicle|vehicles)|dead (animal|fox|badger|cat|bird)|needles?|syringes?)\b/i,
      /\b(dumped|left) (rubbish|mattress|mattresses|sofa|fridge|furniture|waste)\b/i,
      /\b(blocked|overflowing) (drain|drains|gully|gullies|litter bin|bin on the street)\b/i,
    ],
    unless: REPEATED_OR_UNRESOLVED,
    faultFor: 'the street cleaning service',
    serviceFor: [
      /\bstreet ?(care|clean(ing|sing)?|scene)\b|\bcleansing\b/i,
      /\benvironmental health\b/i,
      /\bwaste\b/i,
    ],
    reason:
      'A first report of fly-tipping, graffiti or a street cleaning problem is a request for service, not a complaint.',
    redirect:
      'Your report will be dealt with as a service request. You do not need to make a complaint. Next time, you can report fly-tipping, graffiti, dog fouling or other street problems using "Report it" on the {council} website.' +
      SERVICE_REQUEST_TAIL,
    redirectCy:
      'Bydd eich adroddiad yn cael ei drin fel cais am wasanaeth. Nid oes angen i chi wneud cwyn. Y tro nesaf, gallwch roi gwybod am dipio anghyfreithlon, graffiti, baw cŵn neu broblemau eraill ar y stryd drwy ddefnyddio "Rhoi gwybod" ar wefan {council}.' +
      SERVICE_REQUEST_TAIL_CY,
  },
  {
    exclusion: 'service-request',
    topic: 'a housing repair',
    patterns: [
      /\b(boiler|heating|hot water|radiator|tap|taps|toilet|window|windows|front door|back door|roof|ceiling|gutter|guttering|lift|door entry|shower|sink|bath)\b[^.!?]{0,40}\b(broken|not working|stopped working|leak(s|ed|ing)?|needs? (fixing|repair(ing)?|replacing)|faulty)\b/i,
      // A leak told first, then where it is ("a leak in my bathroom ceiling").
      /\b(leak|leaks|leaking|leaked|water (is )?(coming|dripping|pouring|comes|drips|pours))\b[^.!?]{0,30}\b(ceiling|ceilings|roof|loft|attic|bathroom|kitchen|bedroom|living room|lounge|hallway|toilet|bath|shower|sink|radiator|boiler|tap|taps|window|windows|wall|walls)\b/i,
      /\b(report|book|request|arrange) (a |an )?repairs?\b/i,
    ],
    unless: REPEATED_OR_UNRESOLVED,
    faultFor: 'the housing repairs service',
    serviceFor: [/\brepairs?\b/i, /\b(council housing|landlord|estates)\b/i],
    homesOnly: true,
    reason: 'A first request for a repair is a request for service, not a complaint.',
    redirect:
      'If it is an emergency, such as a gas smell, flooding or no heating in winter, phone the repairs line straight away: an email may not be read in time. Otherwise it will be dealt with as a repair request. You do not need to make a complaint. Next time, you can report a repair using the repairs service on the {council} website or by phoning the repairs line.' +
      SERVICE_REQUEST_TAIL,
    redirectCy:
      'Os yw’n argyfwng, fel arogl nwy, llifogydd neu ddim gwres yn y gaeaf, ffoniwch y llinell atgyweirio ar unwaith: efallai na fydd e-bost yn cael ei ddarllen mewn pryd. Fel arall, bydd yn cael ei drin fel cais am waith atgyweirio. Nid oes angen i chi wneud cwyn. Y tro nesaf, gallwch roi gwybod am waith atgyweirio drwy ddefnyddio’r gwasanaeth atgyweirio ar wefan {council} neu drwy ffonio’r llinell atgyweirio.' +
      SERVICE_REQUEST_TAIL_CY,
  },
];

/** The children's social care rule, which triage reads before the chosen service's own procedure. */
const CHILDRENS_SOCIAL_CARE = TRIAGE_RULES.find((r) => r.exclusion === 'childrens-social-care') as TriageRule;

/**
 * What the resident is told when an officer decides a case is "not a complaint" (a service
 * request): plain English, with the way back into the complaints procedure.
 */
export function notAComplaintRedirect(policy: Policy): string {
  return fill(
    'This is a request for a service, or a first report of a problem, rather than a complaint. We have passed it to the service so they can deal with it. Next time, you can report it using "Report it" on the {council} website.' +
      SERVICE_REQUEST_TAIL,
    policy,
  );
}

const COMPLAINT_KINDS: readonly CaseKind[] = ['complaint', 'social-care'];

/** Normalises curly quotes and runs of white space so that patterns can be written simply. */
function textOf(input: TriageInput): string {
  return [input.summary, input.desiredOutcome ?? '']
    .join('\n')
    .replace(/[\u2018\u2019\u02bc]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    .replace(/[ \t]+/g, ' ');
}

function fill(text: string, policy: Policy): string {
  return text.replaceAll('{council}', policy.council);
}

/**
 * `reason` followed by where the running policy says the rule comes from: the first of `keys`
 * its `sources` has, or nothing. Officers of one council are never shown another council's
 * document as the reason for a verdict: the rules are shared, the sources are each policy's own.
 */
function citing(reason: string, policy: Policy, ...keys: string[]): string {
  const key = keys.find((k) => policy.sources[k]);
  if (!key) return reason;
  return `${reason} Policy source: ${(policy.sources[key] as string).replace(/\.$/, '')}.`;
}

/** The sources of an exclusion: its own entry, else the one for the policy's whole list. */
function exclusionSources(exclusion: ExclusionId): string[] {
  return [`exclusions.${exclusion}`, 'exclusions'];
}

function findService(policy: Policy, service: string | undefined): ServiceArea | undefined {
  if (!service) return undefined;
  const wanted = service.trim().toLowerCase();
  return policy.routing.services.find((s) => s.id === wanted || s.name.toLowerCase() === wanted);
}

/**
 * The service a service request goes to (`serviceFor`): the one chosen when it fits, else the
 * first in the routing table that does, by the rule's order. Undefined when the rule names none
 * or none fits: the one chosen keeps it, or with none the complaints team passes it on.
 */
function requestedService(
  rule: TriageRule,
  policy: Policy,
  chosen: ServiceArea | undefined,
): ServiceArea | undefined {
  const patterns = rule.serviceFor ?? [];
  const fits = (s: ServiceArea, p: RegExp) => !s.redirect && (p.test(s.id) || p.test(s.name));
  if (chosen && patterns.some((p) => fits(chosen, p))) return chosen;
  for (const p of patterns) {
    const found = policy.routing.services.find((s) => fits(s, p));
    if (found) return found;
  }
  return undefined;
}

interface Match {
  rule: TriageRule;
  /** What matched, quoted in the reasons. */
  evidence: string;
  /** Why the rule is set aside although its patterns match; absent when it applies. */
  setAside?: string;
  /** Set aside because the fault hurt someone or damaged their property. */
  harmed?: boolean;
}

const GLOBAL_INJURY_OR_DAMAGE = INJURY_OR_DAMAGE.map((p) => new RegExp(p.source, `${p.flags}g`));

/** The first injury or damage the text tells of as having happened, quoted; none when only feared. */
function injuryOrDamageIn(text: string): string | undefined {
  for (const p of GLOBAL_INJURY_OR_DAMAGE) {
    for (const m of text.matchAll(p)) {
      // The words before it in the same clause say whether it happened or is only feared.
      const clause = text
        .slice(Math.max(0, m.index - 80), m.index)
        .split(/[.!?;:,\n]|\b(?:and|but|so|then)\b/i);
      if (toldAsHappened(clause.at(-1) ?? '', m[0])) return m[0].trim();
    }
  }
  return undefined;
}

/** Why a housing repair rule does not fit: a building that is not a home is named; none when it fits. */
function notAHome(text: string, service: ServiceArea | undefined): string | undefined {
  if (service?.housingLandlord || HOME.some((p) => p.test(text))) return undefined;
  const named = NOT_A_HOME.exec(text);
  if (named) return `the text names the ${named[0].toLowerCase()}, which is not a home`;
  if (service && NOT_A_HOME.test(service.name))
    return `the service chosen is ${service.name}, which does not look after homes`;
  return undefined;
}

function matchRule(rule: TriageRule, text: string, service: ServiceArea | undefined): Match | undefined {
  if (service && rule.servicePatterns) {
    for (const p of rule.servicePatterns) {
      if (p.test(service.id) || p.test(service.name))
        return { rule, evidence: `the service chosen is ${service.name}` };
    }
  }
  let evidence: string | undefined;
  for (const p of rule.patterns) {
    const m = p.exec(text);
    if (m) {
      evidence = `the text mentions "${m[0].trim()}"`;
      break;
    }
  }
  if (!evidence) return undefined;
  if (rule.unless?.some((g) => g.test(text))) return undefined;
  if (rule.faultFor) {
    const harm = injuryOrDamageIn(text);
    if (harm) {
      return {
        rule,
        evidence,
        harmed: true,
        setAside: `it also tells of injury or damage ("${harm}"), which makes it a complaint or a claim, not a first report. The fault itself is for ${rule.faultFor}`,
      };
    }
  }
  if (rule.homesOnly) {
    const elsewhere = notAHome(text, service);
    if (elsewhere) return { rule, evidence, setAside: `${elsewhere}, so it is not a housing repair` };
  }
  return { rule, evidence };
}

/** A verdict from the exclusion stage: either out of scope, or moved to another kind, or nothing. */
type Classification =
  | {
      type: 'redirect';
      exclusion?: ExclusionId;
      redirect: string;
      reason: string;
      /** The service that takes it, when not the one chosen (children's social care, a service request). */
      service?: string;
      /** A service request no service of this council is for: recorded against none (`TriageResult.noService`). */
      noService?: true;
    }
  | { type: 'social-care'; reason: string }
  | { type: 'none' };

function classify(
  input: TriageInput,
  policy: Policy,
  service: ServiceArea | undefined,
  reasons: string[],
): Classification {
  const text = textOf(input);
  const isComplaint = input.kind === 'complaint';
  const language = input.language ?? 'en';
  const ruleRedirect = (rule: TriageRule) =>
    fill((language === 'cy' ? rule.redirectCy : undefined) ?? rule.redirect, policy);
  const listed = new Set<ExclusionId>(policy.exclusions);
  // A complaint recognised as children's social care never runs on the adult procedure, even
  // where this policy has no route of its own for children's social care.
  let childrens = false;

  /** Children's social care, referred where the policy says: its own service or destination. */
  const toChildrensTeam = (reason: string): Classification => {
    const own = policy.routing.services.find((s) => s.redirect?.kind === 'childrens-social-care');
    return {
      type: 'redirect',
      exclusion: 'childrens-social-care',
      redirect:
        exclusionReferral(policy, 'childrens-social-care', language)?.told ??
        ruleRedirect(CHILDRENS_SOCIAL_CARE),
      reason,
      ...(own && own.id !== service?.id ? { service: own.id } : {}),
    };
  };

  const applies = (rule: TriageRule): Classification | undefined => {
    const match = matchRule(rule, text, service);
    if (!match) return undefined;
    if (match.setAside) {
      const claims = match.harmed
        ? ` A claim for compensation is for ${policy.destinations['insurance-claim']?.team ?? "the council's insurance team"}.`
        : '';
      reasons.push(`Looks like ${rule.topic}: ${match.evidence}; but ${match.setAside}.${claims}`);
      return undefined;
    }
    const why = `Looks like ${rule.topic}: ${match.evidence}.`;
    if (rule.exclusion === 'childrens-social-care') {
      childrens = true;
      if (listed.has('childrens-social-care'))
        return toChildrensTeam(citing(`${why} ${rule.reason}`, policy, ...exclusionSources(rule.exclusion)));
      // A council whose one social care team takes both, with no statutory workflow here (as
      // Dudley's did): to that team, under the social care exclusion.
      if (listed.has('social-care') && !policy.socialCare) {
        return {
          type: 'redirect',
          exclusion: 'social-care',
          redirect: exclusionReferral(policy, 'social-care', language)?.told ?? ruleRedirect(rule),
          reason: citing(`${why} ${rule.reason}`, policy, ...exclusionSources('social-care')),
        };
      }
      reasons.push(
        `${why} This policy does not exclude childrens-social-care, so it is handled here, not in the adult social care workflow.`,
      );
      return undefined;
    }
    if (rule.exclusion === 'social-care') {
      // Children's social care was recognised first: not the adult procedure.
      if (childrens) return undefined;
      // Statutory social care is not an ordinary exclusion: a council that runs the statutory
      // procedure here (a `socialCare` section) handles it in the social-care workflow.
      if (policy.socialCare)
        return { type: 'social-care', reason: citing(`${why} ${rule.reason}`, policy, 'socialCare') };
      if (listed.has('social-care')) {
        return {
          type: 'redirect',
          exclusion: 'social-care',
          redirect: exclusionReferral(policy, 'social-care', language)?.told ?? ruleRedirect(rule),
          reason: citing(`${why} ${rule.reason}`, policy, ...exclusionSources('social-care')),
        };
      }
    } else if (listed.has(rule.exclusion)) {
      // The policy's destination says what the resident is told; the rule's text is the
      // fallback for a policy that names none (it only says where to go).
      const to = requestedService(rule, policy, service);
      // A first report for a service this council does not run (a pothole, where the roads are
      // the county's): not the service chosen, whose team cannot deal with it, nor the rule's
      // words sending the resident to report it on this council's website.
      const noService = rule.serviceFor !== undefined && to === undefined;
      const fallback = noService
        ? language === 'cy'
          ? NO_SERVICE_REDIRECT_CY
          : NO_SERVICE_REDIRECT
        : ruleRedirect(rule);
      return {
        type: 'redirect',
        exclusion: rule.exclusion,
        redirect: exclusionReferral(policy, rule.exclusion, language)?.told ?? fallback,
        reason: citing(`${why} ${rule.reason}`, policy, ...exclusionSources(rule.exclusion)),
        ...(to && to.id !== service?.id ? { service: to.id } : {}),
        ...(noService ? { noService: true as const } : {}),
      };
    }
    reasons.push(`${why} This policy does not exclude ${rule.exclusion}, so it is handled here.`);
    return undefined;
  };

  // 1. Reports of wrongdoing route whatever the kind and the service.
  for (const rule of TRIAGE_RULES) {
    if (!rule.anyKind) continue;
    const verdict = applies(rule);
    if (verdict) return verdict;
  }

  // 2. A complaint whose words say children's social care takes that route whatever service was
  //    chosen, before the chosen service's own procedure (the adult one above all) is considered.
  if (isComplaint) {
    const verdict = applies(CHILDRENS_SOCIAL_CARE);
    if (verdict) return verdict;
  }

  // 3. A service whose complaints follow another procedure (policy data) always redirects,
  //    except that social care comes here when this council runs the statutory procedure itself.
  if (service?.redirect?.kind === 'childrens-social-care') {
    return toChildrensTeam(
      `The service chosen is ${service.name}, whose complaints follow the Children Act 1989's own procedure (policy routing table).`,
    );
  }
  if (service?.redirect && !(childrens && service.redirect.kind === 'social-care')) {
    if (service.redirect.kind === 'social-care' && policy.socialCare) {
      if (isComplaint) {
        return {
          type: 'social-care',
          reason: `The service chosen is ${service.name}, which follows the statutory social care procedure.`,
        };
      }
    } else {
      return {
        type: 'redirect',
        exclusion: service.redirect.kind === 'social-care' ? 'social-care' : undefined,
        redirect: serviceReferral(policy, service, language)?.told ?? service.redirect.to,
        reason: `The service chosen is ${service.name}, whose complaints go to ${service.redirect.to} (policy routing table).`,
      };
    }
  }

  // 4. Everything else applies to complaints only: compliments, comments and representations
  //    are never turned away as service requests or appeals.
  if (!isComplaint) return { type: 'none' };
  for (const rule of TRIAGE_RULES) {
    if (rule.anyKind || rule === CHILDRENS_SOCIAL_CARE) continue;
    const verdict = applies(rule);
    if (verdict) return verdict;
  }
  return { type: 'none' };
}

/**
 * Triages a submission against a council's policy. Pure and synchronous.
 *
 * Order: what the text or service says (exclusions and social care) decides the kind; then a
 * vexatious complainant's contact goes to the nominated officer (Dudley MBC Corporate Customer Feedback Procedure, June 2019, §6), an anonymous
 * complaint to a manager when the policy says so (the unitary council’s Customer Feedback Procedure §4.1), and a representative without
 * consent waits for consent (the unitary council’s Customer Feedback Procedure §8.2.3). Anything else is handled.
 */
export function triage(submission: TriageInput, policy: Policy): TriageResult {
  const reasons: string[] = [];
  const service = findService(policy, submission.service);
  if (submission.service && !service) {
    reasons.push(
      `Service "${submission.service}" is not in the routing table; the complaints team will route it.`,
    );
  }

  const verdict = classify(submission, policy, service, reasons);
  const kind: CaseKind = verdict.type === 'social-care' ? 'social-care' : submission.kind;
  const handledBy =
    verdict.type === 'social-care' && service?.redirect?.kind !== 'social-care'
      ? policy.routing.services.find((s) => s.redirect?.kind === 'social-care')
      : undefined;
  const handling = handledBy ? { service: handledBy.id } : {};

  // Vexatious first: every later contact from a designated complainant goes to the nominated
  // officer, who decides what to do with it — including anything triage would have redirected.
  if (submission.complainantVexatious) {
    if (verdict.type !== 'none') reasons.push(`Triage would otherwise have said: ${verdict.reason}`);
    reasons.push(
      citing(
        'The complainant has been designated unreasonably persistent or vexatious: the contact is recorded and passed to the nominated officer.',
        policy,
        'complaint.vexatious',
      ),
    );
    return { kind, route: 'nominated-officer', ...handling, reasons };
  }

  if (verdict.type === 'redirect') {
    const serviceRequest = verdict.exclusion === 'service-request';
    // Who has a service request: the team of the service it is recorded against, unless that
    // service has no mailbox of its own or another procedure (`serviceRequestReferral`).
    const recordedAgainst = verdict.service
      ? policy.routing.services.find((s) => s.id === verdict.service)
      : verdict.noService
        ? undefined
        : service;
    const complaintsTeamHasIt = !(recordedAgainst?.mailbox && !recordedAgainst.redirect);
    reasons.push(
      verdict.reason,
      serviceRequest
        ? complaintsTeamHasIt
          ? 'Recorded as a service request for the complaints team to pass on; the resident is told they have it.'
          : 'Recorded and passed to the service as a service request; the resident is told who has it.'
        : 'Recorded and referred where the policy says; the complaints team checks it is not a complaint.',
    );
    if (verdict.service) {
      const to = policy.routing.services.find((s) => s.id === verdict.service);
      reasons.push(
        `Sent with ${service ? `the service ${service.name}` : 'no service'}: recorded against ${to?.name ?? verdict.service}, ${serviceRequest ? 'the service it is for' : 'whose complaints follow that procedure'}.`,
      );
    }
    if (verdict.noService) {
      reasons.push(
        `Sent with ${service ? `the service ${service.name}` : 'no service'}. No service in the routing table is for it, so it is recorded against none and the complaints team passes it on.`,
      );
    }
    return {
      kind,
      route: serviceRequest ? 'redirect' : 'refer',
      ...(verdict.exclusion ? { exclusion: verdict.exclusion } : {}),
      ...(verdict.service ? { service: verdict.service } : {}),
      ...(verdict.noService ? { noService: true as const } : {}),
      redirect: verdict.redirect,
      reasons,
    };
  }
  if (verdict.type === 'social-care') {
    reasons.push(verdict.reason, 'Handled in the statutory social care workflow.');
    if (handledBy) {
      reasons.push(
        `Sent with ${service ? `the service ${service.name}` : 'no service'}: handled by ${handledBy.name}, whose team follows that procedure.`,
      );
    }
  }

  if (COMPLAINT_KINDS.includes(kind)) {
    if (submission.anonymous && policy.complaint.anonymous === 'refer-to-manager') {
      reasons.push(
        citing(
          'Anonymous complaint: referred to the relevant manager to agree a course of action, if any.',
          policy,
          'complaint.anonymous',
        ),
      );
      return { kind, route: 'refer-to-manager', ...handling, reasons };
    }
    if (submission.anonymous)
      reasons.push('Anonymous complaint: this policy investigates anonymous complaints.');
    if (submission.onBehalfOf && !submission.onBehalfOf.consent) {
      reasons.push(
        citing(
          'Made by a representative without the consent of the person affected: recorded, and the complaints team asks for consent (or the reason it cannot be given) before investigating.',
          policy,
          'complaint.representatives',
        ),
      );
      return { kind, route: 'needs-consent', ...handling, reasons };
    }
  }

  if (verdict.type === 'none') reasons.push(`No exclusion applies: handled as a ${kind}.`);
  return { kind, route: 'handle', ...handling, reasons };
}

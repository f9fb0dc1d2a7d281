import * as z from 'zod';
import { LANGUAGES } from './language.js';
import { NATIONS, type Nation, nationName, OMBUDSMAN_IDS, OMBUDSMEN, ombudsmenOf } from './ombudsmen.js';
import { POSTAL_WORKING_DAYS } from './postal.js';

/**
 * The shape of a council's complaints and feedback policy. Policy is data: every timescale,
 * the routing table, exclusions, ombudsman signposting and retention live in a JSON file
 * validated by this schema (presets under `workflows/policies/`).
 */

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date written YYYY-MM-DD')
  .refine(
    (s) =>
      !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s),
    {
      message: 'is not a real calendar date',
    },
  );

const workingDays = z.number().int('must be a whole number of working days').min(0).max(260);
const email = z.email('must be an email address');

/** A clock: N working days counted from an event. */
const clock = (from: readonly [string, ...string[]]) =>
  z.strictObject({
    workingDays: workingDays.min(1),
    from: z.enum(from),
  });

const extension = z.strictObject({
  /** Most extra working days an officer may add to the response deadline. 0 = no extensions. */
  maxWorkingDays: workingDays,
  /** Reasons must be given to the resident (the Code: "with reasons"). */
  reasonsRequired: z.boolean(),
  /**
   * The Ombudsman's details go with a later date: the extension letter, and a complaint's holding
   * letter (the Code §6.5, and the same at stage 2).
   */
  includeOmbudsmanDetails: z.boolean(),
});

const stage1 = z.strictObject({
  acknowledge: clock(['receipt']),
  respond: clock(['receipt', 'acknowledgement']),
  /** Working days before the response deadline that the officer is reminded. */
  reminderLeadWorkingDays: workingDays,
  extension,
});

const stage2 = z.strictObject({
  /** How long after the stage-1 response the resident may ask for stage 2. */
  requestWindow: clock(['stage-1-response']),
  /** Whether the resident must give grounds (Dudley MBC Corporate Customer Feedback Procedure, June 2019: factual error, oversight, new evidence). */
  groundsRequired: z.boolean(),
  /**
   * The grounds accepted, as shown to the resident. Empty when any reason (or none) will do.
   * `labelCy`: the ground in Welsh, for a council that offers Welsh (else Welsh pages show `label`).
   */
  grounds: z.array(
    z.strictObject({
      id: z.string().min(1),
      label: z.string().min(1),
      labelCy: z.string().min(1).optional(),
    }),
  ),
  acknowledge: clock(['request']),
  respond: clock(['request', 'acknowledgement']),
  reminderLeadWorkingDays: workingDays,
  extension,
  /** Stage 2 must be handled by someone other than the stage-1 officer (the Code 6.7). */
  differentOfficer: z.boolean(),
  /**
   * A reviewer decides on each request before stage 2 starts: accept it, decline it (no
   * grounds) or try to resolve the complaint first (South Norfolk Council Complaints Policy).
   * Always so when grounds are required.
   */
  reviewBeforeAccepting: z.boolean(),
  /**
   * Working days after the window closes during which the complaints team may still accept a
   * late request for a good reason (the Code §5.7); the case closes after them. 0: none.
   */
  lateRequestWorkingDays: workingDays,
});

const service = z.strictObject({
  id: z.string().regex(/^[a-z0-9-]+$/, 'must be lower-case letters, digits and dashes'),
  name: z.string().min(1),
  /** The service's name in Welsh, for a council that offers Welsh (else Welsh pages and letters show `name`). */
  nameCy: z.string().min(1).optional(),
  directorate: z.string().min(1),
  /** The directorate in Welsh, as the Welsh form groups the services (else `directorate`). */
  directorateCy: z.string().min(1).optional(),
  /** Team mailbox that receives the officer's task emails. */
  mailbox: email.optional(),
  /** Service manager, who hears when a deadline is missed. Defaults to the complaints team. */
  manager: email.optional(),
  /** Senior officer who handles stage 2 for this service. Defaults to the policy's stage-2 reviewer. */
  stage2Reviewer: email.optional(),
  /** The service belongs to the council's housing landlord function: the Housing Ombudsman applies. */
  housingLandlord: z.boolean().default(false),
  /** Complaints about this service follow another procedure (e.g. social care, or run by a partner). */
  redirect: z
    .object({
      to: z.string().min(1),
      /** `to` in Welsh, for a council that offers Welsh (else the Welsh form shows `to`). */
      toCy: z.string().min(1).optional(),
      /** Where the resident finds how to contact them, when they are not sent the case. */
      url: z.string().optional(),
      /** Their phone number, for the resident who is not sent to a mailbox. */
      phone: z.string().min(1).optional(),
      /**
       * `social-care`: statutory adult social care (SI 2009/309), run here when the policy has a
       * `socialCare` section. `childrens-social-care`: children's social care, whose complaints
       * follow the Children Act 1989's own procedure and are referred (exclusion
       * `childrens-social-care`). `external`: another organisation.
       */
      kind: z.enum(['social-care', 'childrens-social-care', 'external']),
      /**
       * With the service's `mailbox`: complaints are referred there, and the resident is told
       * they will hear within this many working days. Without it the resident is told where to go.
       */
      contactWithinWorkingDays: workingDays.min(1).optional(),
    })
    .optional(),
});

const ombudsman = z.strictObject({
  name: z.string().min(1),
  phone: z.string().min(1),
  url: z.string().url(),
});

/** Ids of the exclusions triage knows about (see `triage.ts`). */
export const EXCLUSION_IDS = [
  'service-request',
  'social-care',
  'childrens-social-care',
  'schools',
  'information-rights',
  'data-protection',
  'councillor-conduct',
  'employment',
  'has-appeal-route',
  'legal-proceedings',
  'insurance-claim',
  'whistleblowing',
  'fraud-corruption',
  'hate-incident',
] as const;
export type ExclusionId = (typeof EXCLUSION_IDS)[number];

/**
 * Where an excluded matter goes instead: the team, its mailbox, what the resident is told and
 * how soon they will hear. With a mailbox the case is referred there (an email with the case and
 * a signed link) and the resident is told the team has it, and, with `contactWithinWorkingDays`,
 * the date they will hear by; without a mailbox the resident is only told where to go, and
 * nobody is said to have it.
 */
const destination = z.strictObject({
  /** The team as the resident reads it, e.g. "our Customer Relations team". */
  team: z.string().min(1),
  /** `team` in Welsh, for a council that offers Welsh (else Welsh letters name the team in English). */
  teamCy: z.string().min(1).optional(),
  /** The team's mailbox; the referral is emailed here. */
  mailbox: email.optional(),
  /**
   * How the resident reaches the team themselves, when the case is not emailed to it: its phone
   * number, and a web page with its contact details (a school's: GOV.UK's register of schools).
   * The letter gives them; with neither, it tells the resident to ask the complaints team, and
   * `npm run policy:check` warns.
   */
  phone: z.string().min(1).optional(),
  url: z.string().url().optional(),
  /** What the resident is told about where it has gone and what happens there; `{council}` is replaced. */
  told: z.string().min(1),
  /** `told` in Welsh, for a council that offers Welsh (else Welsh pages and letters show `told`). */
  toldCy: z.string().min(1).optional(),
  /**
   * Working days within which the team contacts the resident, who is told the date. Absent with a
   * mailbox: referred with no date, where the procedure that takes it sets its own timescales in
   * law (children's social care) and Redress promises none of its own.
   */
  contactWithinWorkingDays: workingDays.min(1).optional(),
});
export type Destination = z.infer<typeof destination>;

/** A wait for a decision: how many working days it may take before it is chased. */
const wait = z.strictObject({ workingDays: workingDays.min(1) });

/**
 * How long each wait for a decision may take (Redress proposes these; no council document sets them), the
 * reminder before and who is told when one is missed. See `WAIT_TASKS` in `workflow-names.ts`.
 */
const waits = z.strictObject({
  /** The complaints team confirms an automatic exclusion, or brings the case back. */
  'confirm-exclusion': wait,
  /**
   * The complaints team checks that the team a confirmed referral went to picked it up (or brings
   * it back, when that team says it is not theirs), counted from receipt. Redress proposes 5: a
   * referral with no date for the resident (children's social care) is otherwise watched by nobody.
   */
  'referral-check': wait.default({ workingDays: 5 }),
  /** Consent from the person a representative complains for. */
  consent: wait,
  /** A manager's decision on an anonymous complaint. */
  'anonymous-review': wait,
  /** The nominated officer's decision on new contact from a designated complainant. */
  'nominated-contact': wait,
  /** The nominated officer's decision whether to designate a complainant. */
  'vexatious-decision': wait,
  /** The reviewer's decision on a request for stage 2. */
  'stage-2-decision': wait,
  /** A pause (mediation, conciliation, legal proceedings) is reviewed within this. */
  resume: wait,
  /** The director's sign-off of closing a social care complaint. */
  'sign-off': wait,
  /** Working days before a wait falls due that its holder is reminded (0: no reminder). */
  reminderLeadWorkingDays: workingDays,
  /** Who is told when a wait is missed (and again while it stays missed). */
  escalateTo: email,
});

export const policySchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]+$/, 'must be lower-case letters, digits and dashes'),
    council: z.string().min(1),
    /** Where each number comes from (council document and clause); free text, shown by the policy check. */
    sources: z.record(z.string(), z.string()).default({}),
    calendar: z.strictObject({
      nation: z.enum(['england-and-wales', 'scotland', 'northern-ireland']).default('england-and-wales'),
      /** The council's own closure days (not working days). */
      closureDays: z.array(isoDate).default([]),
      /** Bank holidays announced after this release; added to the shipped calendar. */
      extraBankHolidays: z.array(isoDate).default([]),
      /** Shipped bank holidays that did not happen (e.g. a moved day); removed. */
      removedBankHolidays: z.array(isoDate).default([]),
    }),
    complaint: z.strictObject({
      stages: z.union([z.literal(1), z.literal(2)]),
      stage1,
      stage2: stage2.optional(),
      /** Complaints are normally made within this many months of the matter (the Code 3.3: 12). */
      timeLimitMonths: z.number().int().min(1).max(120),
      /**
       * Whether the officer who acknowledges must set out the council's understanding of the
       * complaint and the outcome the resident wants, which the acknowledgement states (the
       * Code §5.4, as the Housing Ombudsman's Code has it at acknowledgement): `required` where
       * the council's policy follows the Code, `optional` (asked, not required) elsewhere.
       */
      understandingAtAcknowledgement: z.enum(['required', 'optional']).default('optional'),
      /** How anonymous complaints are handled (the unitary council’s Customer Feedback Procedure §4.1: referred to the relevant manager). */
      anonymous: z.enum(['refer-to-manager', 'investigate']),
      /**
       * Who handles stage 1: the service's team mailbox, the manager responsible for the service
       * (South Norfolk Council Complaints Policy), or the central complaints team.
       */
      stage1Handler: z.enum(['service-mailbox', 'service-manager', 'complaints-team']),
      /**
       * A missed response: the new date a holding letter commits to is this many working days
       * after the one missed, and the escalation is repeated every this many working days while
       * it stays missed, so the letter's date is the date the workflow checks next. Longer than
       * the post takes (`POSTAL_WORKING_DAYS`): by post, each letter goes that long before the
       * date it is about, and a shorter interval would write the next before the last arrived.
       */
      // Its least value is the post's rule (`superRefine` below), which says why.
      missedResponse: z.strictObject({ everyWorkingDays: workingDays }),
      /** What a response may be paused for, with the resident's agreement (the unitary council’s Customer Feedback Procedure §2.8). */
      pauseKinds: z.array(z.enum(['mediation', 'conciliation', 'legal-proceedings'])).min(1),
    }),
    compliment: z.strictObject({
      acknowledge: clock(['receipt']),
      /** Passed to the service and named staff (Dudley MBC Corporate Customer Feedback Procedure, June 2019, §9). */
      passToStaff: z.boolean(),
    }),
    comment: z.strictObject({
      /** Full reply, or a letter saying why and when (the unitary council’s Customer Feedback Procedure §6.2). */
      reply: clock(['receipt']),
      /** Why a reply is late, as the resident is told when nobody has given another reason. */
      delayReason: z.string().min(1),
      /** `delayReason` in Welsh, for a council that offers Welsh (else Welsh letters give `delayReason`). */
      delayReasonCy: z.string().min(1).optional(),
    }),
    representation: z.strictObject({
      /** Customer receives feedback on their representation (the unitary council’s Customer Feedback Procedure §5.1). */
      feedback: clock(['receipt']),
      /** Who makes policy and hears representations (often councillors). */
      policyOwner: email,
    }),
    socialCare: z
      .object({
        acknowledge: clock(['receipt']),
        /** The response period is agreed with the complainant; this is the default proposed. */
        defaultResponseWorkingDays: workingDays.min(1),
        /** Tell the complainant if the response passes this many months (SI 2009/309 reg. 14). */
        tellIfBeyondMonths: z.number().int().min(1),
        /** The longest response period an officer may record as agreed, in working days. */
        maxAgreedWorkingDays: workingDays.min(1),
        /** Who must sign off closing as "appropriate and proportional response given". */
        signOffBy: z.strictObject({
          role: z.string().min(1),
          /** `role` in Welsh, as a Welsh letter names who signed the closing off. */
          roleCy: z.string().min(1).optional(),
          email,
        }),
      })
      .optional(),
    routing: z.strictObject({
      complaintsTeam: email,
      /** Handles stage 2 when a service names no reviewer. */
      stage2Reviewer: email,
      /** Decides on vexatious / unreasonably persistent complainants; receives their later contact. */
      nominatedOfficer: email,
      services: z.array(service).min(1),
    }),
    exclusions: z.array(z.enum(EXCLUSION_IDS)),
    /**
     * Where each excluded matter goes instead (`service-request` has none: it goes to the mailbox
     * of the service it is for, `serviceRequestReferral`).
     */
    destinations: z.partialRecord(z.enum(EXCLUSION_IDS), destination).default({}),
    waits,
    ombudsman: z.strictObject({
      /**
       * The nation whose ombudsman the council answers to: the LGSCO (and the Housing Ombudsman
       * for the landlord function) in England, the PSOW in Wales, the SPSO in Scotland, NIPSO in
       * Northern Ireland. Their published details ship with Redress (`ombudsmen.ts`).
       */
      // Unset: the nation the calendar names (Scotland, Northern Ireland), else England, so that a
      // council file written before nations existed keeps working (see the transform below).
      nation: z.enum(NATIONS).optional(),
      /** Overrides of an office's published contact details; only the nation's own offices. */
      lgsco: ombudsman.optional(),
      housing: ombudsman.optional(),
      psow: ombudsman.optional(),
      spso: ombudsman.optional(),
      nipso: ombudsman.optional(),
      /** Tell the resident about the ombudsman after stage 1 as well as after the final stage. */
      signpostAtEveryStage: z.boolean(),
    }),
    /**
     * The languages residents may use, the first being the one pages open in: `["en"]` by
     * default; `["en", "cy"]` (or `["cy", "en"]`, Welsh first) for a council in Wales that offers
     * Welsh under the Welsh Language Standards. A case keeps the language the resident chose, and
     * every letter to them is in it; staff emails stay in English.
     */
    languages: z
      .array(z.enum(LANGUAGES, { error: 'must be "en" (English) or "cy" (Welsh)' }))
      .min(1)
      .default(['en']),
    /**
     * What printed letters carry in the council's address block: the lines under the council's
     * name and how to contact it. Without it a letter names the council and the complaints
     * team's mailbox only.
     */
    letters: z
      .strictObject({
        returnAddress: z.array(z.string().min(1)).max(8),
        phone: z.string().min(1).optional(),
      })
      .optional(),
    retention: z.strictObject({
      /** Years after closure a case file is kept (South Norfolk Council Complaints Policy: 2). */
      closedYears: z.number().int().min(1),
      /** Years after closure when the ombudsman was involved (South Norfolk Council Complaints Policy: 6). */
      ombudsmanYears: z.number().int().min(1),
    }),
  })
  .superRefine((p, ctx) => {
    if (p.complaint.stages === 2 && !p.complaint.stage2) {
      ctx.addIssue({
        code: 'custom',
        path: ['complaint', 'stage2'],
        message: 'is required when stages is 2',
      });
    }
    if (p.complaint.stage2?.groundsRequired && p.complaint.stage2.grounds.length === 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['complaint', 'stage2', 'grounds'],
        message: 'must list the accepted grounds when groundsRequired is true',
      });
    }
    const ids = new Set<string>();
    p.routing.services.forEach((s, i) => {
      if (ids.has(s.id)) {
        ctx.addIssue({
          code: 'custom',
          path: ['routing', 'services', i, 'id'],
          message: `repeats "${s.id}"`,
        });
      }
      ids.add(s.id);
    });
    const nation = p.ombudsman.nation ?? nationOfCalendar(p.calendar.nation);
    const offices = ombudsmenOf(nation);
    for (const id of OMBUDSMAN_IDS) {
      if (p.ombudsman[id] && !offices.includes(id)) {
        ctx.addIssue({
          code: 'custom',
          path: ['ombudsman', id],
          message: `the ${OMBUDSMEN[id].name} does not cover councils in ${nationName(nation)}: remove it, or set ombudsman.nation`,
        });
      }
    }
    const calendarNation = nation === 'england' || nation === 'wales' ? 'england-and-wales' : nation;
    if (p.ombudsman.nation !== undefined && p.calendar.nation !== calendarNation) {
      ctx.addIssue({
        code: 'custom',
        path: ['calendar', 'nation'],
        message: `must be "${calendarNation}" for a council in ${nationName(nation)} (ombudsman.nation), whose bank holidays it counts`,
      });
    }
    const every = p.complaint.missedResponse.everyWorkingDays;
    if (every <= POSTAL_WORKING_DAYS) {
      ctx.addIssue({
        code: 'custom',
        path: ['complaint', 'missedResponse', 'everyWorkingDays'],
        message: `must be at least ${POSTAL_WORKING_DAYS + 1}, not ${every}: a holding letter by post goes ${POSTAL_WORKING_DAYS} working days before the date it is about, so the next one would be written before the last had arrived`,
      });
    }
    if (new Set(p.languages).size !== p.languages.length) {
      ctx.addIssue({ code: 'custom', path: ['languages'], message: 'must not repeat a language' });
    }
    if (!p.languages.includes('en')) {
      // Staff emails, the workspace and the fallback for every case stored before languages are English.
      ctx.addIssue({ code: 'custom', path: ['languages'], message: 'must include "en" (English)' });
    }
    if (p.languages.includes('cy') && nation !== 'wales') {
      // Refused, not warned: the Welsh letters name the Public Services Ombudsman for Wales's
      // offices in Welsh and were written for councils in Wales; a Welsh letter naming an office
      // in another nation has had no translation review.
      ctx.addIssue({
        code: 'custom',
        path: ['languages'],
        message: `offers Welsh ("cy") only for a council in Wales: set ombudsman.nation to "wales", or remove "cy" (this council is in ${nationName(nation)})`,
      });
    }
    if (p.retention.ombudsmanYears < p.retention.closedYears) {
      ctx.addIssue({
        code: 'custom',
        path: ['retention', 'ombudsmanYears'],
        message: 'must be at least closedYears',
      });
    }
  })
  .transform((p) => ({
    ...p,
    ombudsman: { ...p.ombudsman, nation: p.ombudsman.nation ?? nationOfCalendar(p.calendar.nation) },
  }));

/** The nation a calendar implies when the policy names none: England and Wales share one calendar. */
function nationOfCalendar(calendar: 'england-and-wales' | 'scotland' | 'northern-ireland'): Nation {
  return calendar === 'england-and-wales' ? 'england' : calendar;
}

/** A council's policy, validated. */
export type Policy = z.infer<typeof policySchema>;
/** A policy as written in a JSON file, before defaults are applied. */
export type PolicyInput = z.input<typeof policySchema>;
export type ServiceArea = Policy['routing']['services'][number];

import type { CaseRecord, StageProgress } from './case.js';
import type { IsoTimestamp } from './types.js';

/*
 * Legal holds and erasure (UK GDPR): the two ways a case leaves its ordinary retention. A legal
 * hold keeps a case past its retention date while litigation or an ombudsman's investigation
 * needs it; erasure removes the resident's personal data before that date when the law requires
 * it (UK GDPR Article 17). Both are decided by the data protection role (`canHold`, `canErase`).
 */

/** Why a case is held. */
export const HOLD_REASONS = {
  litigation: 'Litigation, or a claim likely to be made',
  ombudsman: 'An ombudsman’s investigation',
  regulator: 'An investigation by the Information Commissioner or another regulator',
  other: 'Another legal reason',
} as const;
export type HoldReason = keyof typeof HOLD_REASONS;

/** A legal hold on a case: while it stands, retention deletes nothing of the case. */
export interface LegalHold {
  at: IsoTimestamp;
  /** The data protection officer who placed it. */
  by: string;
  reason: HoldReason;
  /** Words of the officer's own (a claim number, the ombudsman's reference): no resident's data. */
  note?: string;
  /** The date (`YYYY-MM-DD`, Europe/London) the hold is to be reviewed by, when one was set. */
  reviewBy?: string;
  /**
   * The review date the records mailbox was reminded of when it came (`hold-reviews.ts`): equal to
   * `reviewBy` once reminded, so a new review date is reminded of again and this one never twice.
   */
  remindedFor?: string;
}

/** Whether the hold's review date has come and the mailbox has not yet been reminded of it. */
export function holdReviewDue(hold: Pick<LegalHold, 'reviewBy' | 'remindedFor'>, today: string): boolean {
  return hold.reviewBy !== undefined && hold.reviewBy <= today && hold.remindedFor !== hold.reviewBy;
}

/** The grounds for erasure of UK GDPR Article 17(1), (a) to (f). */
export const ERASURE_GROUNDS = {
  'no-longer-necessary': 'Article 17(1)(a): no longer necessary for the purposes for which it was collected',
  'consent-withdrawn': 'Article 17(1)(b): consent withdrawn and no other lawful basis',
  objection: 'Article 17(1)(c): the resident objected and there are no overriding legitimate grounds',
  'unlawfully-processed': 'Article 17(1)(d): the personal data was processed unlawfully',
  'legal-obligation': 'Article 17(1)(e): erasure is needed to comply with a legal obligation',
  'child-online-service': 'Article 17(1)(f): collected from a child for an online service',
} as const;
export type ErasureGround = keyof typeof ERASURE_GROUNDS;

/** What the tombstone of an erased case says of its erasure. */
export interface Erasure {
  at: IsoTimestamp;
  by: string;
  ground: ErasureGround;
  /** The officer's own reasons: no resident's data (the page's hint says so). */
  note?: string;
}

/** Object tag value that keeps an archived object from every lifecycle rule (no rule names it). */
export const HOLD_TAG = 'hold';

/** Whether a legal hold stands on the case. */
export function isHeld(c: Pick<CaseRecord, 'legalHold'>): boolean {
  return c.legalHold !== undefined;
}

/** Whether the case is an erased case's tombstone. */
export function isErased(c: Pick<CaseRecord, 'erasure'>): boolean {
  return c.erasure !== undefined;
}

/** Why a case cannot be erased now, or undefined when it can. */
export function erasureRefusal(c: Pick<CaseRecord, 'legalHold' | 'erasure' | 'status'>): string | undefined {
  if (c.erasure) return 'This case has already been erased.';
  if (c.legalHold) return 'A legal hold stands on this case: lift it before erasing the case.';
  // An open case's workflow reads and writes the case until it ends: erasing under it would
  // either fail its next step or have it write the resident's data back. Close it first.
  if (c.status !== 'closed') return 'Only a closed case can be erased: close the case first.';
  return undefined;
}

/** Marker left where an officer wrote text that the erasure removed, so counts of it stay. */
export const ERASED_TEXT = '(erased)';

function scrubStage(p: StageProgress): StageProgress {
  const { response, groundsText: _text, understanding: _understanding, extensions, ...rest } = p;
  return {
    ...rest,
    ...(extensions ? { extensions: extensions.map((x) => ({ ...x, reason: '' })) } : {}),
    ...(response
      ? {
          response: {
            ...(response.outcome ? { outcome: response.outcome } : {}),
            reasons: '',
            // Whether a remedy, lessons and actions were recorded is counted by the reports; the text goes.
            ...(response.lessons?.trim() ? { lessons: ERASED_TEXT } : {}),
            ...(response.actions?.trim() ? { actions: ERASED_TEXT } : {}),
            ...(response.remedy?.trim() ? { remedy: ERASED_TEXT } : {}),
          },
        }
      : {}),
  };
}

/**
 * The anonymised tombstone an erased case leaves: what the reports count (kind, service, stage,
 * channel, dates, outcome, the facts its clocks were measured on) and nothing about the resident
 * — no complainant, no representative, no free text of theirs or of the officers'. It keeps the
 * case's retention, so it goes when the case would have gone.
 */
export function tombstoneOf(c: CaseRecord, erasure: Erasure): CaseRecord {
  return {
    caseId: c.caseId,
    reference: c.reference,
    kind: c.kind,
    submittedKind: c.submittedKind,
    status: c.status,
    stage: c.stage,
    policyId: c.policyId,
    ...(c.service ? { service: c.service } : {}),
    ...(c.directorate ? { directorate: c.directorate } : {}),
    summary: '',
    complainant: {},
    anonymous: c.anonymous,
    channel: c.channel,
    ...(c.language ? { language: c.language } : {}),
    receivedAt: c.receivedAt,
    createdAt: c.createdAt,
    updatedAt: erasure.at,
    triage: {
      route: c.triage.route,
      ...(c.triage.exclusion ? { exclusion: c.triage.exclusion } : {}),
      reasons: [],
    },
    deadlines: {},
    ...(c.outcome ? { outcome: c.outcome } : {}),
    ...(c.vexatious ? { vexatious: c.vexatious } : {}),
    ...(c.ombudsmanInvolved ? { ombudsmanInvolved: c.ombudsmanInvolved } : {}),
    ...(c.closedAt ? { closedAt: c.closedAt } : {}),
    version: c.version,
    progress: {
      stage1: scrubStage(c.progress.stage1),
      ...(c.progress.stage2 ? { stage2: scrubStage(c.progress.stage2) } : {}),
    },
    ...(c.plan ? { plan: { ...c.plan, text: '' } } : {}),
    // Names of staff thanked by a compliment: the council's staff, counted by the reports.
    ...(c.staffNamed ? { staffNamed: c.staffNamed } : {}),
    erasure,
  };
}

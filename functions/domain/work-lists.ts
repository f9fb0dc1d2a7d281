import type { CaseRecord } from './case.js';
import type { HoldReason } from './legal-hold.js';
import type { IsoTimestamp } from './types.js';

/**
 * The workspace's lists that are not about open cases' deadlines: letters waiting to be printed
 * and posted, designations of unreasonably persistent complainants due for review, and the cases
 * under a legal hold, by review date (the records officer's list and the hold review reminder).
 * All hold closed cases too, so the `OpenByDeadline` index cannot serve them, and neither may be
 * a Scan. Each entry is derived from the case (like its search terms), so the store writes and
 * deletes the entries in the case's own transaction and a list can never disagree with its cases.
 */

export type WorkList = 'post' | 'review' | 'hold';

/**
 * Where a legal hold without a review date (placed before one was asked for) sorts: after every
 * date, so the holds list shows it last and no `dueBy` ever reaches it.
 */
export const NO_REVIEW_DATE = '9999-12-31';

/** What the holds list shows of a legal hold: the officer's own words (the note) stay on the case. */
export interface HoldSummary {
  reason: HoldReason;
  /** Who placed it. */
  by: string;
  placedAt: IsoTimestamp;
  /** `YYYY-MM-DD`, when one was set. */
  reviewBy?: string;
  /** The records mailbox was reminded of this review date (`LegalHold.remindedFor`). */
  reminded?: true;
}

/** One entry of a work list: its list, a sort key (oldest first) and what the page shows. */
export interface WorkListEntry {
  list: WorkList;
  /** Sorts the list: `<when>#<caseId>[#<letter>]`; no personal data. */
  sort: string;
  caseId: string;
  reference: string;
  /** The letter's name (post list). */
  letter?: string;
  /** The letter's title (post list). */
  title?: string;
  /** Some characters of the letter print as empty boxes (post list; `LetterToPost.checkFirst`). */
  checkFirst?: true;
  /** Written again to a corrected name or address, at this time (post list; `LetterToPost.readdressedAt`). */
  readdressedAt?: IsoTimestamp;
  /**
   * Not a letter to print: one posted to the previous name or address, for the team to post again
   * or not (post list; `PostedToPrevious`). It offers no PDF: the PDF holds the old address.
   */
  postedToPrevious?: true;
  /**
   * When the letter was written (post list), or the review date `YYYY-MM-DD` (review and hold
   * lists; `NO_REVIEW_DATE` for a hold without one).
   */
  at: IsoTimestamp | string;
  /** The legal hold (hold list). */
  hold?: HoldSummary;
}

/** The entries a case puts on the work lists, as it stands. */
export function workListEntries(c: CaseRecord): WorkListEntry[] {
  const out: WorkListEntry[] = (c.lettersToPost ?? []).map((l) => ({
    list: 'post',
    sort: `${l.writtenAt}#${c.caseId}#${l.letter}`,
    caseId: c.caseId,
    reference: c.reference,
    letter: l.letter,
    title: l.title,
    at: l.writtenAt,
    ...(l.checkFirst ? { checkFirst: true as const } : {}),
    ...(l.readdressedAt ? { readdressedAt: l.readdressedAt } : {}),
  }));
  for (const p of c.postedToPrevious ?? []) {
    out.push({
      list: 'post',
      // Beside where the letter was while it waited; never the same key as a letter to print.
      sort: `${p.writtenAt}#${c.caseId}#${p.letter}#posted`,
      caseId: c.caseId,
      reference: c.reference,
      letter: p.letter,
      title: p.title,
      at: p.writtenAt,
      postedToPrevious: true,
    });
  }
  if (c.designation && c.designation.liftedAt === undefined) {
    out.push({
      list: 'review',
      sort: `${c.designation.reviewBy}#${c.caseId}`,
      caseId: c.caseId,
      reference: c.reference,
      at: c.designation.reviewBy,
    });
  }
  const hold = c.legalHold;
  // An erased case has no hold (erasure refuses a held case); its tombstone lists nothing.
  if (hold && !c.erasure) {
    const reviewBy = hold.reviewBy ?? NO_REVIEW_DATE;
    out.push({
      list: 'hold',
      sort: `${reviewBy}#${c.caseId}`,
      caseId: c.caseId,
      reference: c.reference,
      at: reviewBy,
      hold: {
        reason: hold.reason,
        by: hold.by,
        placedAt: hold.at,
        ...(hold.reviewBy ? { reviewBy: hold.reviewBy } : {}),
        ...(hold.reviewBy !== undefined && hold.remindedFor === hold.reviewBy
          ? { reminded: true as const }
          : {}),
      },
    });
  }
  return out;
}

/**
 * The entries of `after` that `before` did not have or had otherwise (put: a hold reminded of
 * keeps its key and changes what it says), and those of `before` whose key is gone from `after`
 * (deleted). No key is both put and deleted: a transaction may touch an item once.
 */
export function workListChanges(
  before: CaseRecord | undefined,
  after: CaseRecord,
): { added: WorkListEntry[]; removed: WorkListEntry[] } {
  const key = (e: WorkListEntry) => `${e.list} ${e.sort}`;
  const old = before ? workListEntries(before) : [];
  const now = workListEntries(after);
  const oldByKey = new Map(old.map((e) => [key(e), JSON.stringify(e)]));
  const nowKeys = new Set(now.map(key));
  return {
    added: now.filter((e) => oldByKey.get(key(e)) !== JSON.stringify(e)),
    removed: old.filter((e) => !nowKeys.has(key(e))),
  };
}

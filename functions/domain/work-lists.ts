import type { CaseRecord } from './case.js';
import type { IsoTimestamp } from './types.js';

/**
 * The workspace's two lists that are not about open cases' deadlines: letters waiting to be
 * printed and posted, and designations of unreasonably persistent complainants due for review.
 * Both hold closed cases too, so the `OpenByDeadline` index cannot serve them, and neither may be
 * a Scan. Each entry is derived from the case (like its search terms), so the store writes and
 * deletes the entries in the case's own transaction and a list can never disagree with its cases.
 */

export type WorkList = 'post' | 'review';

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
  /** When the letter was written (post list), or the review date `YYYY-MM-DD` (review list). */
  at: IsoTimestamp | string;
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
  return out;
}

/** The entries of `after` that `before` did not have, and those of `before` gone from `after`. */
export function workListChanges(
  before: CaseRecord | undefined,
  after: CaseRecord,
): { added: WorkListEntry[]; removed: WorkListEntry[] } {
  const key = (e: WorkListEntry) => `${e.list} ${e.sort}`;
  const old = before ? workListEntries(before) : [];
  const now = workListEntries(after);
  const oldKeys = new Set(old.map(key));
  const nowKeys = new Set(now.map(key));
  return {
    added: now.filter((e) => !oldKeys.has(key(e))),
    removed: old.filter((e) => !nowKeys.has(key(e))),
  };
}

import { createHash } from 'node:crypto';
import type { CaseEvent, CaseRecord, LetterToPost, Person, PostedToPrevious } from '../domain/case.js';
import type { Policy } from '../domain/policy-schema.js';
import type { Archive, CaseChange, CaseStore } from '../domain/ports.js';
import { canPostLetters, type StaffMember } from '../domain/staff.js';
import { HttpError } from '../http/errors.js';
import { letterSourceOf, type PrintedLetter, renderLetter, renderLetterFrom } from './correspondence.js';
import { addressedTo, withLetterToPost } from './posted-letters.js';
import { ActionForbiddenError, caseFor, change } from './staff-actions.js';

/**
 * Printed letters when the resident's name or postal address is corrected (`rectification.ts`).
 *
 * A letter printed with the old address goes astray, or to a home the resident has left: their
 * complaint read by whoever lives there now (a breach of their data, and a danger when they moved
 * away from someone). So:
 *
 * - Every letter waiting on the list of letters to post is written again, in the correction's own
 *   write, to the corrected name and address: the same letter (its date, the dates it gives and
 *   its words, from what it was first rendered from: `LetterSource`), in place of the old one,
 *   keeping its place on the list and saying when it was re-addressed. The old one is offered
 *   nowhere again: not on the list, not from the workspace's or the emailed print link (410), and
 *   marking it posted is refused with the reason (409). Written in the same conditional write as
 *   the correction, there is no moment at which the case has the new address and the list the
 *   old letter, and a colleague marking it posted meanwhile makes the write start again from the
 *   case as it then is (no lost update): the letter is then one posted to the old address.
 * - Every letter already marked posted to the old details is put on the same list, as a decision
 *   for the team rather than a letter to print: post it again to the corrected address (one click
 *   writes the same letter again and puts it on the list) or record that it need not go again
 *   (the resident had it before they moved). Neither is silent: each is in the case's history.
 *
 * The letter is rendered before the write and stored in the bucket under a name made from the
 * letter it replaces and the corrected address, so a write that has to start again writes the
 * same object again rather than another.
 */

/** What writing letters again needs. */
export interface ReaddressDeps {
  policy: Policy;
  archive: Pick<Archive, 'putLetter'>;
}

type NewEvent = Omit<CaseEvent, 'caseId' | 'seq'>;

/** The `letter-written` detail keys that record the dates a letter gives (`letterDates`). */
const DATE_KEYS = ['quoted', 'promised', 'deadline', 'gives', 'closes'] as const;

/** Whether a correction changes what a printed letter's address block (or its greeting) says. */
export function changesLetters(before: Person, after: Person): boolean {
  return (before.name ?? '') !== (after.name ?? '') || (before.address ?? '') !== (after.address ?? '');
}

/** A letter written again, stored, and what its `letter-written` event records. */
interface WrittenAgain {
  name: string;
  printed: PrintedLetter;
  detail: Record<string, unknown>;
}

/**
 * Writes `letter` again, addressed as case `c` now names the resident, and stores it. From what
 * it was rendered from; a letter written before letters kept that is rendered from the case as it
 * stands, dated as it was and with the dates its history records (the nearest to it there is).
 */
async function writeAgain(
  deps: ReaddressDeps,
  c: CaseRecord,
  events: readonly CaseEvent[],
  letter: string,
  why: 'readdressed' | 'again',
): Promise<WrittenAgain> {
  const written = events.find((e) => e.type === 'letter-written' && e.detail?.letter === letter);
  const source = letterSourceOf(written?.detail);
  const dates = Object.fromEntries(
    DATE_KEYS.filter((k) => typeof written?.detail?.[k] === 'string').map((k) => [k, written?.detail?.[k]]),
  );
  let printed: PrintedLetter;
  if (source) {
    printed = await renderLetterFrom(deps.policy, c, source);
  } else {
    const template = written?.detail?.template;
    if (typeof template !== 'string') {
      throw new Error(
        `letter ${letter} of case ${c.caseId} cannot be written again: its history names no template`,
      );
    }
    printed = await renderLetter(
      deps.policy,
      c,
      template,
      {
        now: written?.at,
        ...(dates.quoted && dates.quoted !== dates.deadline ? { promisedDate: dates.quoted } : {}),
        ...(dates.promised ? { newDate: dates.promised } : {}),
        ...(dates.deadline ? { deadline: dates.deadline } : {}),
        ...(dates.gives ? { gives: dates.gives } : {}),
        ...(dates.closes === 'true' ? { closes: true } : {}),
      },
      new Date(written?.at ?? Date.now()),
    );
  }
  // The same name for the same letter to the same person: a write started again stores it again.
  const digest = createHash('sha256')
    .update(`${letter}\n${addressedTo(c)}\n${why}`)
    .digest('base64url')
    .slice(0, 24);
  const name = `${printed.template}-${digest}`;
  const { key } = await deps.archive.putLetter(c.caseId, name, printed.pdf);
  return {
    name,
    printed,
    detail: {
      template: printed.template,
      letter: name,
      key,
      ...dates,
      ...(printed.unprintable ? { unprintable: printed.unprintable } : {}),
      source: printed.source,
    },
  };
}

/**
 * What a correction of the resident's name or address changes on the case besides the details
 * (`corrected` is the case with them): its letters waiting to be posted written again, and its
 * letters posted to the old details put to the team. Read with the case's history as it is.
 */
export async function readdressLetters(
  deps: ReaddressDeps,
  corrected: CaseRecord,
  events: readonly CaseEvent[],
  actor: string,
  at: string,
): Promise<Pick<CaseChange, 'followingEvents'> & { set: Partial<CaseRecord> }> {
  const lettersToPost: LetterToPost[] = [];
  const followingEvents: NewEvent[] = [];
  for (const waiting of corrected.lettersToPost ?? []) {
    const again = await writeAgain(deps, corrected, events, waiting.letter, 'readdressed');
    lettersToPost.push({
      letter: again.name,
      title: again.printed.title,
      // Its place on the list (oldest first) is the letter's: it has waited since then.
      writtenAt: waiting.writtenAt,
      readdressedAt: at,
      replaces: waiting.letter,
      ...(again.printed.unprintable ? { checkFirst: true as const } : {}),
    });
    followingEvents.push({
      at,
      type: 'letter-written',
      actor,
      detail: { ...again.detail, replaces: waiting.letter, because: 'address' },
    });
  }
  // Letters posted since the details were last corrected went to the details now corrected (one
  // posted before then was put to the team at that correction).
  const earlier = events.findLast(
    (e) =>
      e.type === 'rectified' &&
      Array.isArray(e.detail?.fields) &&
      e.detail.fields.some((f) => f === 'name' || f === 'address'),
  );
  const postedToPrevious: PostedToPrevious[] = [...(corrected.postedToPrevious ?? [])];
  for (const posted of events.filter((e) => e.type === 'letter-posted')) {
    const letter = String(posted.detail?.letter);
    const written = events.find((e) => e.type === 'letter-written' && e.detail?.letter === letter);
    if (!written || (earlier && written.at < earlier.at)) continue;
    if (postedToPrevious.some((p) => p.letter === letter)) continue;
    postedToPrevious.push({
      letter,
      title: typeof posted.detail?.title === 'string' ? posted.detail.title : 'Letter',
      writtenAt: written.at,
      postedAt: posted.at,
      correctedAt: at,
    });
  }
  return {
    set: {
      ...(corrected.lettersToPost?.length ? { lettersToPost } : {}),
      ...(postedToPrevious.length ? { postedToPrevious } : {}),
    },
    followingEvents,
  };
}

/** What the team's decisions on a letter posted to the previous address need. */
export interface PostAgainDeps extends ReaddressDeps {
  store: Pick<CaseStore, 'get' | 'update' | 'events' | 'getByReference'>;
  now: () => Date;
}

function notWaiting(): HttpError {
  return new HttpError(
    409,
    'This letter is not waiting for a decision: someone may have posted it again already, or recorded that it need not go again',
  );
}

/**
 * Posts a letter that went to the previous address again, to the corrected one: the same letter
 * written again and put on the list of letters to post, recorded in the case's history. Once: a
 * second click (or a colleague's) finds the decision made (409).
 */
export async function postAgain(
  deps: PostAgainDeps,
  staff: StaffMember,
  reference: string,
  letter: unknown,
): Promise<void> {
  if (!canPostLetters(staff)) throw new ActionForbiddenError('post letters');
  const record = await caseFor({ store: deps.store }, staff, reference);
  const at = deps.now();
  await change(deps, record.caseId, async (c) => {
    const waiting = (c.postedToPrevious ?? []).find((p) => p.letter === letter);
    if (!waiting) throw notWaiting();
    const again = await writeAgain(deps, c, await deps.store.events(c.caseId), waiting.letter, 'again');
    return {
      set: {
        lettersToPost: withLetterToPost(c, again.name, again.printed.title, at, again.printed.unprintable),
        postedToPrevious: (c.postedToPrevious ?? []).filter((p) => p.letter !== waiting.letter),
      },
      event: {
        at: at.toISOString(),
        type: 'letter-written',
        actor: staff.email,
        detail: { ...again.detail, postsAgain: waiting.letter },
      },
    };
  });
}

/**
 * Records that a letter posted to the previous address need not go again (the resident had it
 * before they moved, say): off the list, and in the case's history with who decided.
 */
export async function notPostedAgain(
  deps: PostAgainDeps,
  staff: StaffMember,
  reference: string,
  letter: unknown,
): Promise<void> {
  if (!canPostLetters(staff)) throw new ActionForbiddenError('post letters');
  const record = await caseFor({ store: deps.store }, staff, reference);
  const at = deps.now().toISOString();
  await change(deps, record.caseId, (c) => {
    const waiting = (c.postedToPrevious ?? []).find((p) => p.letter === letter);
    if (!waiting) throw notWaiting();
    return {
      set: { postedToPrevious: (c.postedToPrevious ?? []).filter((p) => p.letter !== waiting.letter) },
      event: {
        at,
        type: 'letter-not-posted-again',
        actor: staff.email,
        detail: { letter: waiting.letter, title: waiting.title },
      },
    };
  });
}

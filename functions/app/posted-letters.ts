import { createHash } from 'node:crypto';
import type { CaseEvent, CaseRecord } from '../domain/case.js';
import type { EmailTemplate } from '../templates/render-email.js';
import { effectKey, effectSlot, type StepContext } from './effects.js';

/**
 * The outbox rules of a letter for the post (`post` in `steps.ts`): which entry of a posting state
 * a letter belongs to across the state's entries after an outage, whom it is addressed to, the
 * dates it gives, and the case's list of letters to print and post. Kept apart from the steps:
 * pure functions of the case and the step's context, read by the workflow's posting states and
 * by the workspace's own letters (`staff-case-actions.ts`).
 */

/**
 * What a written letter gave (`sentChange`): its new date, or none. A letter whose record names no
 * entry and no dates was written by the release before this one, which kept a holding letter's
 * dates but not a late restart letter's: whether that one gave a date is worked out at print, as
 * that release did.
 */
export function givenBy(written: Record<string, unknown>): { promised?: string | undefined } | undefined {
  const dates = written.dates as Record<string, string> | undefined;
  if (dates === undefined && typeof written.letterOf !== 'string') return undefined;
  return { promised: dates?.promised };
}

/** The part of a posting state that emails the mailbox to print and post its letter. */
export const PRINT_PART = 'print and post';

/**
 * The entry of a posting state whose letter this one is: its own, or, when the state is entered
 * again because an outage outlasted its retries (`outlastingOutages` in the definitions), the
 * entry before, whose PDF is written and whose print-and-post email never went. The letter is the
 * same letter: written again, each entry added one more PDF to the list of letters to post (18
 * copies of one letter in a day-long SES outage). A state the execution left and came back to
 * finds no letter of its own there (`keep` drops a state's done effects once another writes), and
 * a letter that went to print is not reused.
 *
 * Nor is one addressed to a name or an address corrected since it was written (`rectification.ts`),
 * before its print email was tried: the envelope's window would show the old address. It is
 * written again, under an entry named by whom it is to and the one it replaces (`superseded`),
 * which leaves the list of letters to post.
 *
 * A letter the correction wrote again itself, in the same write (`readdressed-letters.ts`), is
 * not written again here: `readdressed` names the letter that replaced it, which is the one to
 * print (`currentLetter`).
 *
 * Nor is one whose date has run out while it waited (`outrun`): a holding or restart letter about a
 * date that a further letter would already have to be posted for. Sent as it is, it would reach the
 * resident with the further letter putting its date off. It is written again, dated as of now.
 *
 * An entry whose letter is unfinished (its PDF may be in the bucket; the table went down before
 * the step could record it) names the letter too: written again under its name, the PDF replaces
 * itself, where under a new entry's name the first would stay behind, named by no event, and never
 * be given the case's retention class when it is archived.
 */
export function letterEntry(
  c: CaseRecord,
  step: StepContext,
  outrun: (promised: string) => boolean = () => false,
  readdressed: (letter: string) => string | undefined = () => undefined,
): { step: StepContext; superseded?: string; because?: RewrittenFor } {
  const earlier = c.effects?.[effectSlot(step)];
  if (earlier?.status === 'started' && earlier.entered !== undefined) {
    const { entered } = earlier;
    if (entered !== step.enteredAt && earlier.key === effectKey({ ...step, enteredAt: entered })) {
      return { step: { ...step, enteredAt: entered, entry: step.entry ?? step.enteredAt } };
    }
    // A letter written again whose writing failed (the bucket or the table was down): the same
    // letter, in place of the same one, which stays on the list until it is written. It is named
    // by the entry that first wrote it, or by the decision before a state's letter (`sendFirst`),
    // which every entry names alike.
    for (const base of new Set([step.enteredAt, entered])) {
      for (const because of REWRITTEN_FOR) {
        const replaced = c.lettersToPost?.find(
          (l) =>
            earlier.key === effectKey(rewrittenEntry(c, { ...step, enteredAt: base }, l.letter, because)),
        );
        if (replaced) {
          return {
            step: rewrittenEntry(c, step, replaced.letter, because, base),
            superseded: replaced.letter,
            because,
          };
        }
      }
    }
  }
  const letterOf = earlier?.result?.letterOf;
  if (earlier?.status !== 'done' || typeof letterOf !== 'string') return { step };
  const printPart = { ...step, state: `${step.state}: ${PRINT_PART}` };
  const print = c.effects?.[effectSlot(printPart)];
  const ofLetter = print?.key === effectKey({ ...printPart, enteredAt: letterOf });
  if (ofLetter && print?.status === 'done') return { step };
  const to = earlier.result?.to;
  // An email that may have gone (its step died before recording it) is SES's to settle.
  const mayHaveGone = ofLetter && print?.status === 'started';
  // Written again by the correction itself, to the name and address as they are
  // (`readdressed-letters.ts`): that one is this entry's letter, and goes to print.
  const current = readdressed(String(earlier.result?.letter));
  // One marked posted by hand is the team's to post again or not (`PostedToPrevious`).
  const onList = c.lettersToPost?.some((l) => l.letter === earlier.result?.letter) === true;
  if (typeof to === 'string' && to !== addressedTo(c) && !mayHaveGone && current === undefined && onList) {
    const superseded = String(earlier.result?.letter);
    return { step: rewrittenEntry(c, step, superseded, 'address'), superseded, because: 'address' };
  }
  // A letter the complaints team has marked posted (printed from the workspace's list while its
  // print email could not go) has reached the resident with its date: it is not written again,
  // and the case keeps that date when it is recorded; a further letter quotes it.
  // The date the letter gives: the new one it committed to, or the deadline a restart letter
  // written before a holding letter was due gives (`letterDates`).
  const dates = earlier.result?.dates as Record<string, unknown> | undefined;
  const promised = dates?.promised ?? (dates !== undefined ? dates.gives : undefined);
  const latest = current ?? String(earlier.result?.letter);
  const stillToPost = c.lettersToPost?.some((l) => l.letter === latest) === true;
  if (typeof promised === 'string' && outrun(promised) && !mayHaveGone && stillToPost) {
    const superseded = latest;
    return { step: rewrittenEntry(c, step, superseded, 'date'), superseded, because: 'date' };
  }
  if (letterOf === step.enteredAt) return { step };
  return { step: { ...step, enteredAt: letterOf, entry: step.entry ?? step.enteredAt } };
}

/**
 * The letter to print in place of `letter`: the last of those a correction of the resident's name
 * or address wrote again in its place (`readdressed-letters.ts`), or undefined when none did.
 */
export function currentLetter(events: readonly CaseEvent[], letter: string): string | undefined {
  let current: string | undefined;
  let looking = letter;
  for (const e of events) {
    if (e.type !== 'letter-written' || e.detail?.because !== 'address' || e.detail.replaces !== looking)
      continue;
    current = String(e.detail.letter);
    looking = current;
  }
  return current;
}

/** Why a letter was written again before it went to print: a corrected address, or a date run out. */
export type RewrittenFor = 'address' | 'date';
const REWRITTEN_FOR: readonly RewrittenFor[] = ['address', 'date'];

/**
 * The entry a letter written again is named by: whom it is to, why, and the letter it replaces,
 * so an attempt after one that failed finds all three again from the case (`entered`: the entry
 * that first wrote it, when it is not this one). A letter to a corrected address keeps the name
 * it was given before dates were written again.
 */
function rewrittenEntry(
  c: CaseRecord,
  step: StepContext,
  superseded: string,
  because: RewrittenFor,
  entered?: string,
): StepContext {
  const why = because === 'date' ? ' dated again' : '';
  return {
    ...step,
    enteredAt: `${entered ?? step.enteredAt} to ${addressedTo(c)}${why} in place of ${superseded}`,
    entry: step.entry ?? step.enteredAt,
  };
}

/** Whom a printed letter is addressed to, as a digest: the effects on the case hold no address. */
export function addressedTo(c: CaseRecord): string {
  return createHash('sha256')
    .update(`${c.complainant.name ?? ''}\n${c.complainant.address ?? ''}`)
    .digest('base64url')
    .slice(0, 16);
}

/**
 * The dates a letter gives, from what it is rendered with (`notifyExtra`), named as its
 * `email-sent` event names them: the date it quotes, the new one, the deadline it is about. A
 * holding letter always gives them, a restart letter when it commits to a new date (the response
 * already late, or a holding letter about the deadline already due); the case keeps them when the
 * letter goes to print (`sentChange`), however long after. A restart letter that gives the
 * deadline keeps only that (`gives`).
 */
export function letterDates(
  template: EmailTemplate,
  extra: Record<string, unknown>,
): { dates: Record<string, string> } | undefined {
  // A designation letter that closes the complaint says so (`correspondence.ts`).
  if (template === 'vexatious-decision' && extra.closes === true) return { dates: { closes: 'true' } };
  const committed = extra.late === true || typeof extra.newDate === 'string';
  // A restart letter that gives the deadline: kept, so that a letter held back by an outage until
  // a holding letter about that date is due is written again, committing to a date to come.
  if (template === 'resume' && !committed && typeof extra.gives === 'string') {
    return { dates: { gives: extra.gives } };
  }
  if (template !== 'holding-letter' && !(template === 'resume' && committed)) return undefined;
  const deadline = String(extra.deadline);
  return {
    dates: {
      quoted: typeof extra.promisedDate === 'string' ? extra.promisedDate : deadline,
      promised: String(extra.newDate),
      deadline,
    },
  };
}

/**
 * The case's letters to post with one more (once: a repeated step finds it there), marked to be
 * checked first when some of its characters print as empty boxes (`unprintable`).
 */
export function withLetterToPost(
  c: CaseRecord,
  letter: string,
  title: string,
  now: Date,
  unprintable?: unknown,
): NonNullable<CaseRecord['lettersToPost']> {
  const list = c.lettersToPost ?? [];
  if (list.some((l) => l.letter === letter)) return list;
  return [
    ...list,
    { letter, title, writtenAt: now.toISOString(), ...(unprintable ? { checkFirst: true as const } : {}) },
  ];
}

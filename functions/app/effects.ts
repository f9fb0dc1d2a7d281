import { hash } from 'node:crypto';
import type { CaseRecord, StepEffect } from '../domain/case.js';
import {
  type CaseChange,
  CaseNotFoundError,
  type CaseStore,
  ConcurrentUpdateError,
} from '../domain/ports.js';
import { endLease, sendLease } from '../domain/send-lease.js';

/**
 * Exactly-once effects of a workflow step: one email, one event, one change per entry into a
 * state, however often the step runs (Step Functions' retries, a redrive, a duplicate invocation,
 * a crash between sending and recording).
 *
 * The outbox is the case item itself. A step entry is named by the execution, the state and the
 * time the state was entered (`$$.State.EnteredTime`, the same for every retry of that entry).
 * Before it acts outside (an email), the step records on the case that it is about to
 * (`started`), in a conditional write; once it has, it records the outcome (`done`) in the same
 * write as the change that records the effect on the case (the `email-sent` event, the reminder
 * flag). A step that only changes the case writes its change and `done` together, so there is
 * nothing in between to lose.
 *
 * What an outbox cannot know by itself is whether an email whose step died after `started` and
 * before `done` reached SES: SES takes no idempotency key. Each email carries its effect's key
 * as a tag, SES publishes a Send event for every message it accepts, and `mail-events.ts` records
 * it on the case; an unfinished effect is confirmed from that record. Until SES's word has had
 * time to arrive (`CONFIRM_WINDOW_MS`, counted from when the step first found the effect
 * unfinished; `confirmWindowMs`, for SES's word takes real time however fast the service's clock
 * runs) the step fails with `EffectUnconfirmedError`, which the workflows retry; after it
 * the email is taken as never sent and sent again, and the duplicate risk is logged.
 *
 * A done effect of a state the execution has left is dropped from the case (see `keep`), so an
 * invocation of an earlier entry that arrives late (Lambda ran it twice, the first copy stalled
 * until after the retry had finished and the workflow had moved on) would find nothing and act
 * again. Every effect records when its entry entered the state, and the newest always stays; an
 * invocation of an entry older than one already recorded for its execution acts on nothing
 * (`SupersededEntryError`): the workflow has finished with that entry and reads no answer from it.
 */

/** Where a step runs: given by the workflow in every payload. */
export interface StepContext {
  /** `$$.Execution.Id`. */
  execution: string;
  /** `$$.State.Name`. */
  state: string;
  /** `$$.State.EnteredTime`: the same for every retry of one entry into the state. */
  enteredAt: string;
  /** The real `$$.State.EnteredTime` when `enteredAt` names something else (a part once per decision). */
  entry?: string;
}

/** When an entry entered its state, or NaN for anything that is not an ISO instant. */
function instant(value: string | undefined): number {
  return value !== undefined && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/.test(value)
    ? Date.parse(value)
    : Number.NaN;
}

/** What an effect of this step records as its entry. */
function entryOf(step: StepContext): string {
  return step.entry ?? step.enteredAt;
}

/**
 * How long an unfinished email waits for SES's Send event before it is sent again, at the least,
 * on the service's clock; and how long SES's word may take in real time unless the deployment says
 * otherwise (`EffectDeps.sesWordWithinMs`): on AWS, SES, SNS and the email events queue, whose
 * redelivery comes within half of it (`infra/email-events.ts`).
 */
export const CONFIRM_WINDOW_MS = 10 * 60_000;

/**
 * How long, in real time, an attempt that recorded `started` may go on trying to hand SES its
 * email: the send is given a lease (`sendLease`) that ends this long after the attempt began to mark
 * the effect (before the mark was written, so before any other attempt can find it), and an
 * attempt that stalled past it (a starved event loop, a slow link or a slow table) never starts
 * its request to SES, and abandons one in flight. An SES request takes well under a second; this
 * is room for a machine under load.
 */
export const SEND_LEASE_MS = 15_000;

/**
 * The window for SES's word on the service's clock (`EffectDeps.now`): how long a step waits, once
 * it finds an email of an earlier attempt `started` and unconfirmed, before it sends the email
 * again. It starts when a later attempt first finds the effect unfinished, which is after the
 * earlier attempt's lease began; that attempt handed SES its email, if at all, within its lease
 * (`SEND_LEASE_MS`), and SES's word then takes up to `sesWordWithinMs` of real time to be
 * recorded. So the window is the lease plus that, in real time: shorter, and an email SES took
 * would be sent again; longer, and an email SES never had (the attempt died or stalled before SES
 * took it) is late by the difference.
 *
 * The trade, and the worst case: on AWS `sesWordWithinMs` is not known better than SES, SNS and the
 * email events queue allow, so the window is `CONFIRM_WINDOW_MS` (ten minutes) and an email whose
 * first attempt died before SES took it goes about 13 minutes late (the retry policy's backoff
 * reaches the window's end at its 810-second attempt). Under `npm start`, whose SES stand-in
 * promises its word within `SES_EVENT_WITHIN_MS` (10 s), the window is 25 real seconds and such an
 * email goes at the retry 30 seconds after the first failure. Real time runs `timeScale` times
 * slower than an accelerated clock, so the window on that clock is the real window × `timeScale`.
 */
export function confirmWindowMs(deps: Pick<EffectDeps, 'timeScale' | 'sesWordWithinMs'>): number {
  const scale = deps.timeScale ?? 1;
  const word = deps.sesWordWithinMs ?? CONFIRM_WINDOW_MS - SEND_LEASE_MS;
  return (SEND_LEASE_MS + word) * scale;
}

/**
 * Longer than a workflow step's retries ever wait between two attempts (the retry policy's five
 * minutes at most): a step that found an email unconfirmed and could not ask again for longer was
 * kept from the table, as SES's word was (`EffectDeps.askedAgainWithinMs`).
 */
export const STEP_RETRY_GAP_MS = 6 * 60_000;

/**
 * How often at most the confirmation window starts again for a step kept from asking (see
 * `EffectDeps.askedAgainWithinMs`): an outage or three while one email waits for SES's word.
 */
export const MAX_WINDOW_RESTARTS = 3;

/** Attempts to record a finished effect when others keep changing the case. */
const FINISH_ATTEMPTS = 5;

/** How many step effects a case keeps (older ones are from states long left behind). */
const KEPT_EFFECTS = 40;

/** An email of a step may have been sent; SES's confirmation has not arrived yet. Retry later. */
export class EffectUnconfirmedError extends Error {
  override name = 'EffectUnconfirmedError';
}

/**
 * This invocation is of an entry into a state that its execution has moved past (a later entry
 * has written on the case): a late duplicate, whose answer nobody awaits. It does nothing.
 */
export class SupersededEntryError extends Error {
  override name = 'SupersededEntryError';
}

/**
 * The slot of a later entry of the same execution, when one has written on the case: the steps
 * of one execution run one after another, so this entry is over. Effects from before entries were
 * recorded say nothing, and entries of the same moment (a state's parts) are the same entry.
 */
export function supersededBy(c: CaseRecord, step: StepContext): string | undefined {
  const execution = `${effectSlot({ ...step, state: '' })}`;
  const entered = instant(entryOf(step));
  for (const [slot, effect] of Object.entries(c.effects ?? {})) {
    if (slot.startsWith(execution) && instant(effect.entered) > entered) {
      return slot;
    }
  }
  return undefined;
}

/** Refuses a late duplicate (`supersededBy`) before a step reads or writes anything more. */
export function refuseIfSuperseded(c: CaseRecord, step: StepContext): void {
  const later = supersededBy(c, step);
  if (later !== undefined) {
    throw new SupersededEntryError(
      `case ${c.caseId}: ${step.state} entered at ${entryOf(step)} is over (${later} came after it); nothing done`,
    );
  }
}

/**
 * The case's step effects with this entry recorded as having written (a part of its state's own,
 * `<state>: entered`), for a step's write that records no effect (a wait taking a fresh token):
 * a late duplicate of an earlier entry then finds it and does nothing (`supersededBy`).
 */
export function withEntry(c: CaseRecord, step: StepContext, now: Date): Record<string, StepEffect> {
  const part = { ...step, state: `${step.state}: entered` };
  const slot = effectSlot(part);
  return keep(
    {
      ...c.effects,
      [slot]: { key: effectKey(part), status: 'done', at: now.toISOString(), entered: entryOf(step) },
    },
    slot,
  );
}

/** The slot of a state of one execution on the case (a state entered again reuses its slot). */
export function effectSlot(step: StepContext): string {
  const execution = step.execution.slice(step.execution.lastIndexOf(':') + 1);
  return `${execution}/${step.state}`;
}

/**
 * The key of one entry into a state: short, and made only of the characters SES allows in a
 * message tag, so the email can carry it and SES's events can name it.
 */
export function effectKey(step: StepContext): string {
  // base64url is already of those characters. Node's one-shot `hash`: a case makes dozens of
  // these keys, and a `Hash` object for each took ten times as long on Node 20.
  return hash('sha256', `${step.execution}\n${step.state}\n${step.enteredAt}`, 'base64url').slice(0, 32);
}

export interface EffectDeps {
  store: CaseStore;
  now: () => Date;
  /** Told when an unconfirmed email is sent again (may be a duplicate); logs and counts it. */
  onResend?: (caseId: string, key: string) => void;
  /**
   * How long at most the caller waits between two attempts while it is retried (a workflow step:
   * `STEP_RETRY_GAP_MS`). An attempt after a longer gap was kept from the table, and so was SES's
   * word: the window for it starts again (`MAX_WINDOW_RESTARTS` times at most). Without it (a
   * person trying again when they will), the window runs from the first attempt that found the
   * email unconfirmed.
   */
  askedAgainWithinMs?: number;
  /** How many times faster than real time `now` runs (default 1): see `confirmWindowMs`. */
  timeScale?: number;
  /**
   * Real milliseconds within which SES's Send event for an email it took is recorded on the case
   * (default `CONFIRM_WINDOW_MS`; `npm start`: its SES stand-in's promise): see `confirmWindowMs`.
   */
  sesWordWithinMs?: number;
}

export interface Effect<R> {
  /**
   * The outside effect (an email, an archive write), given the case and the effect's key to tag
   * it with; returns what to remember (e.g. the message id). `lease` aborts once the attempt's time
   * to act is over (`SEND_LEASE_MS`): an email not handed to SES by then must not be.
   */
  perform?: (c: CaseRecord, key: string, lease?: AbortSignal) => Promise<R>;
  /**
   * Finds the outcome of an unfinished `perform` in what the service reported (undefined: no
   * word yet). Without it, `perform` is taken as safe to repeat (writing the same object again).
   */
  confirm?: (c: CaseRecord, key: string) => Promise<R | undefined>;
  /**
   * Whether an error `perform` threw means it certainly did nothing (the service refused or
   * could not be reached), so the next attempt may act at once instead of asking.
   */
  actedOnNothing?: (error: unknown) => boolean;
  /**
   * Fields to set on the case together with `started`, before acting: what must already be true
   * when the outside world sees the effect (the open task an emailed link points at).
   */
  prepare?: (c: CaseRecord, key: string) => CaseChange['set'];
  /** For a step that only changes the case: what it answers, from the case as it was. */
  result?: (c: CaseRecord) => R;
  /** The change that records the effect on the case, written together with `done`. */
  record: (c: CaseRecord, result: R) => CaseChange;
  /**
   * For an effect of no workflow state (the complaints team's alert of a bounce, `mail-events.ts`).
   * Its writes drop no other effect: a step's done effect is what that step's retry reads, and
   * `keep` drops it only when the step's own execution writes from another state. Its own done
   * effect, though, any step's write drops (it is of no state a step writes), so `recorded` finds
   * it where it outlives its slot (the case's history), asked on every attempt after the case is
   * read: a conditional write on that version then claims an effect nobody had recorded.
   */
  apart?: { recorded: (c: CaseRecord) => Promise<R | undefined> };
}

/** Attempts at recording `started` when others keep changing the case before the step acts. */
const BEFORE_ACTING_ATTEMPTS = 3;

/** A write lost before the effect acted: nothing has happened, so the attempt may start again. */
class LostBeforeActing extends Error {
  override name = 'LostBeforeActing';
}

/**
 * Runs one step's effect once per step entry and returns its result; a repeat returns the
 * result recorded the first time without acting again. A write lost to someone else's change
 * before the effect acted (an officer's decision settling on the case as the workflow moves on)
 * is tried again from the fresh case at once, a few times: handed back to the workflow, its
 * retry would cost a state transition and an invocation for the same outcome.
 *
 * Given the case itself (as the step has just read it, with nothing written since), the first
 * attempt starts from it instead of reading it again: a read costs DynamoDB read units and a
 * round trip on every step. A stale copy loses no change: every write here is conditional on the
 * version read, a write the copy lost starts the next attempt from a fresh read, and `finish`
 * never writes over a later entry's effect. A copy whose slot holds an unfinished effect is read
 * again all the same, before SES is asked about it: the usual case (nothing in the slot, or this
 * entry's finished effect) needs no second read, and the rare one should see what happened since.
 */
export async function once<R extends Record<string, unknown>>(
  deps: EffectDeps,
  from: string | CaseRecord,
  step: StepContext,
  effect: Effect<R>,
): Promise<R> {
  const copy = typeof from === 'string' ? undefined : from;
  const caseId = copy?.caseId ?? (from as string);
  let read = (copy?.effects?.[effectSlot(step)]?.status ?? 'done') === 'done' ? copy : undefined;
  for (let attempt = 1; ; attempt++) {
    try {
      return await attemptOnce(deps, read ?? (await load(deps.store, caseId)), step, effect);
    } catch (error: unknown) {
      if (!(error instanceof LostBeforeActing)) throw error;
      if (attempt >= BEFORE_ACTING_ATTEMPTS) throw error.cause;
      read = undefined;
    }
  }
}

/** Marks, before acting; a lost race says so, so `once` may start again. */
async function markBeforeActing(...args: Parameters<typeof mark>): Promise<CaseRecord> {
  try {
    return await mark(...args);
  } catch (error: unknown) {
    if (error instanceof ConcurrentUpdateError) throw new LostBeforeActing(error.message, { cause: error });
    throw error;
  }
}

async function attemptOnce<R extends Record<string, unknown>>(
  deps: EffectDeps,
  read: CaseRecord,
  step: StepContext,
  effect: Effect<R>,
): Promise<R> {
  const slot = effectSlot(step);
  const key = effectKey(step);
  const { caseId } = read;
  let c = read;
  const previous = c.effects?.[slot];
  if (previous?.key === key && previous.status === 'done') return (previous.result ?? {}) as R;
  refuseIfSuperseded(c, step);
  const recorded = await effect.apart?.recorded(c);
  if (recorded !== undefined) return recorded;
  /** Whether this effect's writes may drop the done effects of other states (`keep`). */
  const current = effect.apart === undefined;

  let result: R | undefined;
  /** The key of the unfinished effect in the slot this attempt finishes (none for a change-only step). */
  let finishing: string | undefined;
  if (effect.perform) {
    if (previous?.status === 'started' && effect.confirm) {
      // An earlier attempt (this entry's, or an entry that never finished) may have acted.
      result = await effect.confirm(c, previous.key);
      if (result !== undefined) finishing = previous.key;
      if (result === undefined) {
        // SES's word is recorded in the case table, and the email events queue delivers it again
        // a few minutes after the table is back: a step kept from asking for longer than its
        // retries wait (the table was down) waits the window again from now, rather than from
        // before the outage, when the word could not have been recorded (`askedAgainWithinMs`).
        // A gap says only that no attempt came: every attempt in a row coming late, each one
        // reaching the table, is slow attempts (an engine under load, an accelerated clock), not
        // an outage after each. The window starts again a few times, then runs on.
        const now = deps.now();
        const lastAsked = previous.askedAt ?? previous.unconfirmedSince;
        const restarts = previous.windowRestarts ?? 0;
        const kept =
          deps.askedAgainWithinMs !== undefined &&
          lastAsked !== undefined &&
          now.getTime() - Date.parse(lastAsked) > deps.askedAgainWithinMs &&
          restarts < MAX_WINDOW_RESTARTS;
        const waitingSince = (kept ? undefined : previous.unconfirmedSince) ?? now.toISOString();
        if (now.getTime() - Date.parse(waitingSince) < confirmWindowMs(deps)) {
          await markBeforeActing(
            deps,
            c,
            slot,
            {
              ...previous,
              unconfirmedSince: waitingSince,
              askedAt: now.toISOString(),
              ...(kept ? { windowRestarts: restarts + 1 } : {}),
            },
            {},
            current,
          );
          throw new EffectUnconfirmedError(
            `case ${caseId}: ${step.state} may have sent its email; waiting for SES to confirm`,
          );
        }
        deps.onResend?.(caseId, previous.key);
      }
    }
    if (result === undefined) {
      // Counted from before the mark is written: no other attempt can find it `started` earlier.
      const lease = sendLease(SEND_LEASE_MS);
      c = await markBeforeActing(
        deps,
        c,
        slot,
        { key, status: 'started', at: deps.now().toISOString(), entered: entryOf(step) },
        effect.prepare?.(c, key),
        current,
      );
      finishing = key;
      try {
        result = await effect.perform(c, key, lease);
      } catch (error: unknown) {
        if (effect.actedOnNothing?.(error)) await forget(deps, c, slot, current);
        throw error;
      } finally {
        endLease(lease);
      }
    }
  } else {
    result = effect.result?.(c) ?? ({} as R);
  }

  return finish(deps, c, slot, key, effect, result, { current, finishing, step });
}

/**
 * Finishes an effect an earlier entry left `started`, once its outcome is known from elsewhere
 * (SES's word that the email went): records it and `done` under that entry's key, as `once()`
 * would have had the step come back for it.
 */
export async function finishStarted<R extends Record<string, unknown>>(
  deps: EffectDeps,
  c: CaseRecord,
  slot: string,
  key: string,
  record: (c: CaseRecord, result: R) => CaseChange,
  result: R,
): Promise<R> {
  // SES's word may finish a state the execution has left: what the current state keeps stays.
  return finish(deps, c, slot, key, { record }, result, { current: false, finishing: key });
}

/**
 * Records the effect and `done` together. The effect has happened, so a write lost to someone
 * else's change (an officer acting at the same moment) is tried again on the fresh case rather
 * than handed back to the workflow, whose retry would then have to wait for SES's word. When the
 * change that won was this very effect's record (SES's word finishing it, `finishStarted`, while
 * the step's retry finishes it too), that record stands and nothing is written twice.
 */
async function finish<R extends Record<string, unknown>>(
  deps: EffectDeps,
  read: CaseRecord,
  slot: string,
  key: string,
  effect: Effect<R>,
  result: R,
  options: {
    /** Whether the slot is the state the execution is in (a step's own), so others' done effects may go. */
    current?: boolean;
    /** The key of the unfinished effect in the slot being finished, when there is one. */
    finishing?: string | undefined;
    /**
     * The step finishing its own effect (its entry is recorded with it; without one, the entry
     * the slot already names): a change-only one that a later entry overtook writes nothing.
     */
    step?: StepContext;
  } = {},
): Promise<R> {
  let current = options.current ?? true;
  const entered = options.step === undefined ? read.effects?.[slot]?.entered : entryOf(options.step);
  let c = read;
  for (let attempt = 1; ; attempt++) {
    const change = effect.record(c, result);
    try {
      await deps.store.update(c.caseId, c.version, {
        ...change,
        set: {
          ...change.set,
          effects: keep(
            {
              ...c.effects,
              [slot]: {
                key,
                status: 'done',
                at: deps.now().toISOString(),
                ...(entered === undefined ? {} : { entered }),
                result,
              },
            },
            current ? slot : undefined,
          ),
        },
      });
      return result;
    } catch (error: unknown) {
      if (!(error instanceof ConcurrentUpdateError) || attempt >= FINISH_ATTEMPTS) throw error;
      c = await load(deps.store, c.caseId);
      const recorded = c.effects?.[slot];
      if (recorded?.key === key && recorded.status === 'done') return (recorded.result ?? result) as R;
      if (
        recorded !== undefined &&
        recorded.key !== key &&
        recorded.key !== options.finishing &&
        instant(recorded.entered) > instant(entered)
      ) {
        // A later entry of this state holds the slot now: this invocation stalled (a late
        // duplicate) and the workflow has moved on. Writing this effect's record over the later
        // one would undo it (its open task, its unfinished email, which its retry would then send
        // again). What this effect did outside stays reported (SES's word is recorded on its own).
        if (options.step !== undefined) refuseIfSuperseded(c, options.step);
        return result;
      }
      if (options.step !== undefined) {
        // A change-only step overtaken between its read and its write (it stalled) has done
        // nothing yet, and the entry that came after it has seen to the case: it stops here.
        if (options.finishing === undefined) refuseIfSuperseded(c, options.step);
        // An effect that acted is recorded even so, but keeps what the later entry needs.
        else if (supersededBy(c, options.step) !== undefined) current = false;
      }
      if (options.finishing !== undefined) {
        // The other writer finished this very effect (SES's word, or a retry of the step)…
        if (recorded?.key === options.finishing && recorded.status === 'done') {
          return (recorded.result ?? result) as R;
        }
        // …and the execution has since left the state, whose writes dropped the finished entry
        // (`keep` never drops an unfinished one): recorded already, nothing to write again.
        if (recorded === undefined) return result;
      }
    }
  }
}

async function load(store: CaseStore, caseId: string): Promise<CaseRecord> {
  const c = await store.get(caseId);
  if (!c) throw new CaseNotFoundError(`case ${caseId} not found`);
  return c;
}

/** Records an effect's state on the case (and what must precede it), with no event: the audit trail shows the outcome. */
async function mark(
  deps: EffectDeps,
  c: CaseRecord,
  slot: string,
  effect: StepEffect,
  also: CaseChange['set'] = {},
  current = true,
): Promise<CaseRecord> {
  return deps.store.update(c.caseId, c.version, {
    set: { ...also, effects: keep({ ...c.effects, [slot]: effect }, current ? slot : undefined) },
  });
}

/** Marks a slot's effect as certainly not done, so the next attempt acts without asking. */
async function forget(deps: EffectDeps, c: CaseRecord, slot: string, current: boolean): Promise<void> {
  const { key = '', entered } = c.effects?.[slot] ?? {};
  try {
    await mark(
      deps,
      c,
      slot,
      { key, status: 'refused', at: deps.now().toISOString(), ...(entered === undefined ? {} : { entered }) },
      {},
      current,
    );
  } catch (error: unknown) {
    // The table may be down too: the next attempt then asks SES, which costs only time.
    if (!(error instanceof Error)) throw error;
  }
}

/**
 * The effects a later attempt can still need, so the case item stays small (every write of it is
 * billed by its size, and the outbox was half of it): every effect not known to be done (an email
 * SES has yet to confirm), and the done ones of `current`, the state a step is writing (its own
 * parts, `<state>: <part>`, included), which a retry or a re-entry of that state reads. A done
 * effect of a state the execution has left is read by nothing: the steps of one execution run
 * one after another, and none runs an entry of a state it has left again. Without `current`
 * (SES's word finishing an email, perhaps of a state left behind), nothing is dropped. At most
 * the newest 40 either way.
 */
function keep(effects: Record<string, StepEffect>, current?: string): Record<string, StepEffect> {
  const base = current === undefined ? undefined : baseState(current);
  const entries = Object.entries(effects).filter(
    ([slot, effect]) => base === undefined || effect.status !== 'done' || baseState(slot) === base,
  );
  if (entries.length <= KEPT_EFFECTS) return Object.fromEntries(entries);
  return Object.fromEntries(entries.sort(([, a], [, b]) => b.at.localeCompare(a.at)).slice(0, KEPT_EFFECTS));
}

/** A slot's execution and state, without the part of the state a step names after a colon. */
function baseState(slot: string): string {
  const part = slot.indexOf(': ');
  return part === -1 ? slot : slot.slice(0, part);
}

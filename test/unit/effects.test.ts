import { beforeEach, describe, expect, it } from 'vitest';
import { actedOnNothing, ServiceUnavailableError } from '../../functions/adapters/errors.js';
import {
  CONFIRM_WINDOW_MS,
  confirmWindowMs,
  type Effect,
  EffectUnconfirmedError,
  effectKey,
  finishStarted,
  once,
  SEND_LEASE_MS,
  STEP_RETRY_GAP_MS,
  type StepContext,
  SupersededEntryError,
} from '../../functions/app/effects.js';
import type { CaseRecord } from '../../functions/domain/case.js';
import { ConcurrentUpdateError } from '../../functions/domain/ports.js';
import { DELIVERY_DELAY_MS, SES_EVENT_WITHIN_MS } from '../../infra/local/stand-ins/ses-events.js';
import { MemoryCaseStore } from '../support/memory-store.js';

const step: StepContext = {
  execution: 'arn:aws:states:eu-west-2:000000000000:execution:complaint:case-1',
  state: 'Send the receipt',
  enteredAt: '2026-03-02T09:00:00.001Z',
};

const record = {
  caseId: 'case-1',
  reference: 'CMP-2026-000001',
  kind: 'complaint',
  submittedKind: 'complaint',
  status: 'received',
  stage: 1,
  policyId: 'lgsco-code-2024',
  summary: 'Bins not collected',
  complainant: { email: 'ada@example.com' },
  anonymous: false,
  channel: 'online',
  receivedAt: '2026-03-02T09:00:00.000Z',
  createdAt: '2026-03-02T09:00:00.000Z',
  updatedAt: '2026-03-02T09:00:00.000Z',
  triage: { route: 'handle', reasons: [] },
  deadlines: {},
  progress: { stage1: { startedAt: '2026-03-02T09:00:00.000Z' } },
  version: 1,
} satisfies CaseRecord;

let store: MemoryCaseStore;
let now: Date;
let sends: string[];
const deps = () => ({ store, now: () => now, onResend: (_: string, key: string) => resent.push(key) });
let resent: string[];

/** An email effect whose SES record is `accepted` (what mail-events would have written). */
function emailEffect(accepted: Map<string, string> = new Map()): Effect<{ messageId: string }> {
  return {
    perform: async (_c, key) => {
      sends.push(key);
      return { messageId: `m-${sends.length}` };
    },
    confirm: async (_c, key) => {
      const messageId = accepted.get(key);
      return messageId ? { messageId } : undefined;
    },
    record: () => ({ event: { at: now.toISOString(), type: 'email-sent', actor: 'workflow' } }),
  };
}

/** The store fails the next write that records an effect as done: the crash after sending. */
function crashBeforeRecording(): void {
  const update = store.update.bind(store);
  let armed = true;
  store.update = async (caseId, version, change, expected) => {
    const effects = change.set?.effects as Record<string, { status: string }> | undefined;
    if (armed && effects && Object.values(effects).some((e) => e.status === 'done')) {
      armed = false;
      throw new Error('Runtime.ExitError: the function was killed');
    }
    return update(caseId, version, change, expected);
  };
}

beforeEach(async () => {
  store = new MemoryCaseStore();
  now = new Date('2026-03-02T09:00:01.000Z');
  sends = [];
  resent = [];
  await store.create(structuredClone(record), { at: record.receivedAt, type: 'received', actor: 'resident' });
});

describe('effectKey', () => {
  it('keeps the key earlier releases made for an entry, which cases and SES message tags hold', () => {
    // Act
    const key = effectKey(step);

    // Assess
    expect(key).toBe('aWA6qDThSYyImrK4iIJPrp1qbTRj-k8N');
  });
});

describe('confirmWindowMs', () => {
  it('is the Code’s ten minutes on AWS, where the clock is real time', () => {
    expect(confirmWindowMs({})).toBe(CONFIRM_WINDOW_MS);
  });

  it.each([1, 60, 480, 1440, 8640])(
    'at time scale %d, lasts in real time at least as long as the SES stand-in takes to deliver its word',
    (timeScale) => {
      const window = confirmWindowMs({ timeScale, sesWordWithinMs: SES_EVENT_WITHIN_MS });
      // An attempt hands SES its email within its lease, and SES's word follows within the promise.
      expect(window / timeScale).toBeGreaterThanOrEqual(SEND_LEASE_MS + SES_EVENT_WITHIN_MS);
    },
  );

  it('sends an email SES never had again within a minute of real time under npm start, not ten', () => {
    expect(confirmWindowMs({ timeScale: 1, sesWordWithinMs: SES_EVENT_WITHIN_MS })).toBeLessThan(60_000);
  });

  it('leaves the stand-in room beyond its delay for a burst and a few refused deliveries', () => {
    expect(SES_EVENT_WITHIN_MS).toBeGreaterThanOrEqual(
      DELIVERY_DELAY_MS + 100 + 200 + 400 + 800 + 1600 + 5_000,
    );
  });

  it('given only the time scale, waits the whole window in real time', () => {
    expect(confirmWindowMs({ timeScale: 1440 })).toBe(CONFIRM_WINDOW_MS * 1440);
  });
});

describe('once', () => {
  it('acts once and records the effect with its outcome', async () => {
    const result = await once(deps(), 'case-1', step, emailEffect());

    expect(result).toEqual({ messageId: 'm-1' });
    expect(sends).toEqual([effectKey(step)]);
    const events = await store.events('case-1');
    expect(events.map((e) => e.type)).toEqual(['received', 'email-sent']);
    expect((await store.get('case-1'))?.effects?.['case-1/Send the receipt']).toMatchObject({
      key: effectKey(step),
      status: 'done',
      result: { messageId: 'm-1' },
    });
  });

  it('returns the first result and does not act again when the same entry runs again', async () => {
    await once(deps(), 'case-1', step, emailEffect());

    const again = await once(deps(), 'case-1', step, emailEffect());

    expect(again).toEqual({ messageId: 'm-1' });
    expect(sends).toHaveLength(1);
    expect((await store.events('case-1')).filter((e) => e.type === 'email-sent')).toHaveLength(1);
  });

  it('acts again for a later entry into the same state', async () => {
    await once(deps(), 'case-1', step, emailEffect());

    await once(deps(), 'case-1', { ...step, enteredAt: '2026-03-09T09:00:00.000Z' }, emailEffect());

    expect(sends).toHaveLength(2);
  });

  it('waits for SES’s word after a crash between sending and recording, then records without sending again', async () => {
    const accepted = new Map<string, string>();
    crashBeforeRecording();
    await expect(once(deps(), 'case-1', step, emailEffect(accepted))).rejects.toThrow(/killed/);

    await expect(once(deps(), 'case-1', step, emailEffect(accepted))).rejects.toBeInstanceOf(
      EffectUnconfirmedError,
    );
    accepted.set(effectKey(step), 'ses-123');
    now = new Date(now.getTime() + 30_000);
    const result = await once(deps(), 'case-1', step, emailEffect(accepted));

    expect(result).toEqual({ messageId: 'ses-123' });
    expect(sends).toHaveLength(1);
    expect(resent).toEqual([]);
    expect((await store.events('case-1')).filter((e) => e.type === 'email-sent')).toHaveLength(1);
  });

  it('sends again when SES has said nothing for the whole confirmation window, and says so', async () => {
    crashBeforeRecording();
    await expect(once(deps(), 'case-1', step, emailEffect())).rejects.toThrow(/killed/);
    await expect(once(deps(), 'case-1', step, emailEffect())).rejects.toBeInstanceOf(EffectUnconfirmedError);

    now = new Date(now.getTime() + CONFIRM_WINDOW_MS - 1000);
    await expect(once(deps(), 'case-1', step, emailEffect())).rejects.toBeInstanceOf(EffectUnconfirmedError);
    now = new Date(now.getTime() + 2000);
    await once(deps(), 'case-1', step, emailEffect());

    expect(sends).toHaveLength(2);
    expect(resent).toEqual([effectKey(step)]);
  });

  it('waits the whole window again when a retried step could not ask for longer than its retries wait: the table was down', async () => {
    const retried = () => ({ ...deps(), askedAgainWithinMs: STEP_RETRY_GAP_MS });
    crashBeforeRecording();
    await expect(once(retried(), 'case-1', step, emailEffect())).rejects.toThrow(/killed/);
    await expect(once(retried(), 'case-1', step, emailEffect())).rejects.toBeInstanceOf(
      EffectUnconfirmedError,
    );

    // Forty minutes without an attempt that reached the table, and SES's word with it.
    now = new Date(now.getTime() + 40 * 60_000);
    await expect(once(retried(), 'case-1', step, emailEffect())).rejects.toBeInstanceOf(
      EffectUnconfirmedError,
    );
    now = new Date(now.getTime() + CONFIRM_WINDOW_MS / 2);
    await expect(once(retried(), 'case-1', step, emailEffect())).rejects.toBeInstanceOf(
      EffectUnconfirmedError,
    );
    now = new Date(now.getTime() + CONFIRM_WINDOW_MS / 2 + 1000);
    await once(retried(), 'case-1', step, emailEffect());

    expect(sends).toHaveLength(2);
    expect(resent).toEqual([effectKey(step)]);
  });

  it('sends again, once, when every attempt reaches the table but later than the retries wait: the attempts are slow, not kept', async () => {
    // Each attempt reads and writes the case, so the table is answering; they only come further
    // apart than the retry policy's longest wait (an engine under load, or `npm start` with an
    // accelerated clock, where a second of real work is half an hour of the service's time).
    const retried = () => ({ ...deps(), askedAgainWithinMs: STEP_RETRY_GAP_MS });
    crashBeforeRecording();
    await expect(once(retried(), 'case-1', step, emailEffect())).rejects.toThrow(/killed/);

    const answers: string[] = [];
    for (let attempt = 0; attempt < 20 && sends.length < 2; attempt++) {
      now = new Date(now.getTime() + STEP_RETRY_GAP_MS + 60_000);
      answers.push(
        await once(retried(), 'case-1', step, emailEffect()).then(
          () => 'sent',
          (error: unknown) => (error instanceof Error ? error.name : String(error)),
        ),
      );
    }

    expect(answers.at(-1)).toBe('sent');
    expect(sends).toHaveLength(2);
    expect(resent).toEqual([effectKey(step)]);
    expect((await store.get('case-1'))?.effects?.['case-1/Send the receipt']?.status).toBe('done');
  });

  it('acts at once on the next attempt when the service certainly refused the first', async () => {
    const effect = emailEffect();
    const perform = effect.perform as NonNullable<typeof effect.perform>;
    let refusals = 1;
    effect.perform = async (c, key) => {
      if (refusals-- > 0) {
        throw new ServiceUnavailableError('SES: AWS service failure', {
          cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:443'), { code: 'ECONNREFUSED' }),
        });
      }
      return perform(c, key);
    };
    effect.actedOnNothing = actedOnNothing;

    await expect(once(deps(), 'case-1', step, effect)).rejects.toBeInstanceOf(ServiceUnavailableError);
    const result = await once(deps(), 'case-1', step, effect);

    expect(result).toEqual({ messageId: 'm-1' });
    expect(sends).toHaveLength(1);
  });

  it('asks rather than acts again when SES answered with a server error, which may follow a send', async () => {
    const effect = emailEffect();
    effect.perform = async () => {
      throw new ServiceUnavailableError('SES: AWS service failure', {
        cause: Object.assign(new Error('InternalFailure'), { $metadata: { httpStatusCode: 500 } }),
      });
    };
    effect.actedOnNothing = actedOnNothing;

    await expect(once(deps(), 'case-1', step, effect)).rejects.toBeInstanceOf(ServiceUnavailableError);

    await expect(once(deps(), 'case-1', step, emailEffect())).rejects.toBeInstanceOf(EffectUnconfirmedError);
  });

  it('asks rather than acts again when the first attempt timed out and may have acted', async () => {
    const effect = emailEffect();
    effect.perform = async () => {
      throw new ServiceUnavailableError('SES: AWS service failure', {
        cause: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }),
      });
    };
    effect.actedOnNothing = actedOnNothing;

    await expect(once(deps(), 'case-1', step, effect)).rejects.toBeInstanceOf(ServiceUnavailableError);

    await expect(once(deps(), 'case-1', step, emailEffect())).rejects.toBeInstanceOf(EffectUnconfirmedError);
  });

  it('repeats an effect that is safe to repeat without waiting for a confirmation', async () => {
    crashBeforeRecording();
    const archive: Effect<{ key: string }> = {
      perform: async () => {
        sends.push('archive');
        return { key: 'case-1.json' };
      },
      record: () => ({ event: { at: now.toISOString(), type: 'archived', actor: 'workflow' } }),
    };
    await expect(once(deps(), 'case-1', step, archive)).rejects.toThrow(/killed/);

    await once(deps(), 'case-1', step, archive);

    expect(sends).toEqual(['archive', 'archive']);
    expect((await store.events('case-1')).filter((e) => e.type === 'archived')).toHaveLength(1);
  });

  it('writes a change-only step and its result together, once', async () => {
    const transition: Effect<{ stage2Available: boolean }> = {
      result: (c) => ({ stage2Available: c.stage === 1 }),
      record: () => ({
        set: { status: 'responded' },
        event: { at: now.toISOString(), type: 'response-sent', actor: 'workflow' },
      }),
    };

    const first = await once(deps(), 'case-1', step, transition);
    const second = await once(deps(), 'case-1', step, transition);

    expect(first).toEqual({ stage2Available: true });
    expect(second).toEqual(first);
    expect((await store.events('case-1')).filter((e) => e.type === 'response-sent')).toHaveLength(1);
  });

  it('records a sent email on the fresh case when someone else changed the case meanwhile', async () => {
    const effect = emailEffect();
    const perform = effect.perform as NonNullable<typeof effect.perform>;
    effect.perform = async (c, key) => {
      const sent = await perform(c, key);
      const fresh = (await store.get('case-1')) as CaseRecord;
      await store.update('case-1', fresh.version, {
        set: { notes: [{ at: now.toISOString(), by: 'officer@example.gov.uk', text: 'Called' }] },
        event: { at: now.toISOString(), type: 'note-added', actor: 'officer@example.gov.uk' },
      });
      return sent;
    };

    await once(deps(), 'case-1', step, effect);

    const after = (await store.get('case-1')) as CaseRecord;
    expect(after.notes).toHaveLength(1);
    expect(after.effects?.['case-1/Send the receipt']?.status).toBe('done');
    expect(sends).toHaveLength(1);
  });

  it('records a sent email once when SES’s word finishes it while the step is recording it', async () => {
    const effect = emailEffect();
    const perform = effect.perform as NonNullable<typeof effect.perform>;
    effect.perform = async (c, key) => {
      const sent = await perform(c, key);
      // SES's Send event arrives and records the email before the step does (mail-events.ts).
      const fresh = (await store.get('case-1')) as CaseRecord;
      await finishStarted(deps(), fresh, 'case-1/Send the receipt', key, effect.record, {
        messageId: 'm-ses',
      });
      return sent;
    };

    const result = await once(deps(), 'case-1', step, effect);

    const events = await store.events('case-1');
    expect(events.filter((e) => e.type === 'email-sent')).toHaveLength(1);
    expect(result).toEqual({ messageId: 'm-ses' });
    expect((await store.get('case-1'))?.effects?.['case-1/Send the receipt']?.status).toBe('done');
    expect(sends).toHaveLength(1);
  });

  it('records a sent email once when SES’s word finishes it and the execution moves on while the step is recording it', async () => {
    const effect = emailEffect();
    const perform = effect.perform as NonNullable<typeof effect.perform>;
    effect.perform = async (c, key) => {
      const sent = await perform(c, key);
      // SES's word records the email; the workflow, told by the officer meanwhile, enters the
      // next state, whose write drops the finished effects of the state left behind.
      const fresh = (await store.get('case-1')) as CaseRecord;
      await finishStarted(deps(), fresh, 'case-1/Send the receipt', key, effect.record, {
        messageId: 'm-ses',
      });
      await once(deps(), 'case-1', { ...step, state: 'Await the response' }, { record: () => ({}) });
      return sent;
    };

    await once(deps(), 'case-1', step, effect);

    const events = await store.events('case-1');
    expect(events.filter((e) => e.type === 'email-sent')).toHaveLength(1);
    expect(sends).toHaveLength(1);
  });

  it('starts again from the fresh case when it loses a race before acting, and acts once', async () => {
    // Prepare: an officer's decision settles on the case just as the step marks its email started.
    const update = store.update.bind(store);
    store.update = async (...args: Parameters<typeof update>) => {
      store.update = update;
      const c = (await store.get('case-1')) as CaseRecord;
      await update('case-1', c.version, {
        event: { at: now.toISOString(), type: 'decision-delivered', actor: 'officer' },
      });
      return update(...args);
    };

    // Act
    const result = await once(deps(), 'case-1', step, emailEffect());

    // Assess
    expect(result).toEqual({ messageId: 'm-1' });
    expect(sends).toEqual([effectKey(step)]);
    expect((await store.events('case-1')).map((e) => e.type)).toEqual([
      'received',
      'decision-delivered',
      'email-sent',
    ]);
  });

  it('starts from the case the step has just read, without reading it again', async () => {
    const c = (await store.get('case-1')) as CaseRecord;
    let reads = 0;
    const get = store.get.bind(store);
    store.get = async (caseId) => {
      reads++;
      return get(caseId);
    };

    const result = await once(deps(), c, step, emailEffect());

    expect(result).toEqual({ messageId: 'm-1' });
    expect(reads).toBe(0);
    expect((await store.events('case-1')).map((e) => e.type)).toEqual(['received', 'email-sent']);
  });

  it('given a copy of the case that has since changed, loses no change and acts once', async () => {
    // Prepare: the step read the case; an officer's decision was written after that read.
    const stale = (await store.get('case-1')) as CaseRecord;
    await store.update('case-1', stale.version, {
      set: { assignedTo: 'waste@example.gov.uk' },
      event: { at: now.toISOString(), type: 'decision-delivered', actor: 'officer' },
    });

    // Act
    const result = await once(deps(), stale, step, emailEffect());

    // Assess: the write from the copy lost, the next attempt started from the case as it is
    expect(result).toEqual({ messageId: 'm-1' });
    expect(sends).toEqual([effectKey(step)]);
    const after = (await store.get('case-1')) as CaseRecord;
    expect(after.assignedTo).toBe('waste@example.gov.uk');
    expect(after.effects?.['case-1/Send the receipt']).toMatchObject({ status: 'done' });
    expect((await store.events('case-1')).map((e) => e.type)).toEqual([
      'received',
      'decision-delivered',
      'email-sent',
    ]);
  });

  it('given a copy from before the same entry finished, returns the recorded result without acting', async () => {
    const stale = (await store.get('case-1')) as CaseRecord;
    await once(deps(), 'case-1', step, emailEffect());

    const again = await once(deps(), stale, step, emailEffect());

    expect(again).toEqual({ messageId: 'm-1' });
    expect(sends).toHaveLength(1);
  });

  it('given a copy that shows its email unfinished, reads the case again before asking SES', async () => {
    // Prepare: the step died after sending; its copy was read then; the retry has since finished it.
    crashBeforeRecording();
    const accepted = new Map<string, string>();
    await expect(once(deps(), 'case-1', step, emailEffect(accepted))).rejects.toThrow(/killed/);
    const unfinished = (await store.get('case-1')) as CaseRecord;
    accepted.set(effectKey(step), 'ses-1');
    await once(deps(), 'case-1', step, emailEffect(accepted));
    let asked = 0;
    const effect = emailEffect(accepted);
    const confirm = effect.confirm;
    effect.confirm = async (c, key) => {
      asked++;
      return confirm?.(c, key);
    };

    // Act
    const result = await once(deps(), unfinished, step, effect);

    // Assess: the recorded result, without asking SES or sending
    expect(result).toEqual({ messageId: 'ses-1' });
    expect(asked).toBe(0);
    expect(sends).toHaveLength(1);
  });

  it('hands a race lost at every attempt before acting back to the workflow, having done nothing', async () => {
    store.update = async () => {
      throw new ConcurrentUpdateError('case-1 changed');
    };

    await expect(once(deps(), 'case-1', step, emailEffect())).rejects.toBeInstanceOf(ConcurrentUpdateError);
    expect(sends).toEqual([]);
  });
});

describe('a late duplicate finishing from the copy it read before stalling', () => {
  // Entries into a clock state that sends: E1, and E2 a week later in the same execution.
  const E1: StepContext = { ...step, state: 'Check the response clock' };
  const E2: StepContext = { ...E1, enteredAt: '2026-03-09T09:00:00.001Z' };
  const slot = 'case-1/Check the response clock';
  /** What SES has said it accepted, by effect key. */
  const accepted = new Map<string, string>();
  beforeEach(() => accepted.clear());

  /**
   * E1 sends and dies before recording; a duplicate invocation of E1 reads the case (slot: E1
   * started) and stalls. E1's retry confirms from SES and the workflow moves on; later it enters
   * the same state again (E2), whose email goes and whose function dies before recording too.
   */
  async function prepare(): Promise<CaseRecord> {
    crashBeforeRecording();
    await expect(once(deps(), 'case-1', E1, emailEffect(accepted))).rejects.toThrow(/killed/);
    const stalled = (await store.get('case-1')) as CaseRecord; // the duplicate's read
    accepted.set(effectKey(E1), 'ses-1');
    await once(deps(), 'case-1', E1, emailEffect(accepted));
    now = new Date('2026-03-09T09:00:01.000Z');
    crashBeforeRecording();
    await expect(once(deps(), 'case-1', E2, emailEffect(accepted))).rejects.toThrow(/killed/);
    expect((await store.get('case-1'))?.effects?.[slot]).toMatchObject({
      key: effectKey(E2),
      status: 'started',
    });
    expect(sends).toEqual([effectKey(E1), effectKey(E2)]);
    return stalled;
  }

  it('is refused when it reads the case by id, and the later entry still waits for SES', async () => {
    await prepare();

    await expect(once(deps(), 'case-1', E1, emailEffect(accepted))).rejects.toThrow(SupersededEntryError);

    expect((await store.get('case-1'))?.effects?.[slot]).toMatchObject({
      key: effectKey(E2),
      status: 'started',
    });
    await expect(once(deps(), 'case-1', E2, emailEffect(accepted))).rejects.toBeInstanceOf(
      EffectUnconfirmedError,
    );
    expect(sends).toHaveLength(2);
  });

  it('given its stale copy, neither overwrites the later entry’s unfinished email nor lets that entry send it twice', async () => {
    const stalled = await prepare();

    // The duplicate of E1 comes back and finishes from the copy it read (slot: E1 started).
    await once(deps(), stalled, E1, emailEffect(accepted)).catch(() => undefined);

    // E2's retry (SES's word for E2 not in yet) must ask SES rather than send again.
    const retry = await once(deps(), 'case-1', E2, emailEffect(accepted)).then(
      () => 'returned',
      (error: unknown) => (error as Error).name,
    );
    expect({
      retry,
      sends: sends.length,
      emailSentEvents: (await store.events('case-1')).filter((e) => e.type === 'email-sent').length,
      resent,
    }).toEqual({ retry: 'EffectUnconfirmedError', sends: 2, emailSentEvents: 1, resent: [] });
  });

  it('stalled between its own read and its write, does not write over the later entry', async () => {
    // Prepare: the duplicate reads the case by id, but its read returns what it was before E2.
    const stalled = await prepare();
    const get = store.get.bind(store);
    let first = true;
    store.get = async (caseId) => {
      if (!first) return get(caseId);
      first = false;
      return structuredClone(stalled);
    };

    // Act: it finds E1's email confirmed by SES and records it; its write loses to E2's.
    const late = await once(deps(), 'case-1', E1, emailEffect(accepted)).then(
      () => 'returned',
      (error: unknown) => (error as Error).name,
    );

    // Assess: refused on the fresh case, and E2's unfinished email is still E2's to confirm.
    expect(late).toBe('SupersededEntryError');
    expect((await store.get('case-1'))?.effects?.[slot]).toMatchObject({
      key: effectKey(E2),
      status: 'started',
    });
    await expect(once(deps(), 'case-1', E2, emailEffect(accepted))).rejects.toBeInstanceOf(
      EffectUnconfirmedError,
    );
    expect(sends).toHaveLength(2);
    expect((await store.events('case-1')).filter((e) => e.type === 'email-sent')).toHaveLength(1);
  });
});

describe('the effects kept on the case', () => {
  const at = (state: string, enteredAt = '2026-03-02T09:00:00.001Z'): StepContext => ({
    ...step,
    state,
    enteredAt,
  });

  it('drops the done effects of states the execution has left, and keeps the current state’s and the unfinished', async () => {
    // Prepare: the receipt went; an officer task's email was never confirmed; the acknowledgement's part is done.
    await once(deps(), 'case-1', at('Send the receipt'), emailEffect());
    crashBeforeRecording();
    await expect(once(deps(), 'case-1', at('Await acknowledgement'), emailEffect())).rejects.toThrow();
    await once(deps(), 'case-1', at('Send the acknowledgement: acknowledgement'), emailEffect());

    // Act: the same state's next part finishes.
    await once(deps(), 'case-1', at('Send the acknowledgement: responded'), {
      result: () => ({}),
      record: () => ({}),
    });

    // Assess
    const effects = (await store.get('case-1'))?.effects ?? {};
    expect(Object.keys(effects).sort()).toEqual([
      'case-1/Await acknowledgement',
      'case-1/Send the acknowledgement: acknowledgement',
      'case-1/Send the acknowledgement: responded',
    ]);
    expect(effects['case-1/Await acknowledgement']?.status).toBe('started');
  });

  it('drops nothing when SES’s word finishes an email of a state the execution has left', async () => {
    // Prepare: the officer task's email was never recorded; the workflow has moved on since.
    crashBeforeRecording();
    await expect(once(deps(), 'case-1', at('Await acknowledgement'), emailEffect())).rejects.toThrow();
    await once(deps(), 'case-1', at('Send the acknowledgement: acknowledgement'), emailEffect());
    const c = (await store.get('case-1')) as CaseRecord;
    const started = c.effects?.['case-1/Await acknowledgement'];

    // Act
    await finishStarted(deps(), c, 'case-1/Await acknowledgement', started?.key ?? '', emailEffect().record, {
      messageId: 'm-ses',
    });

    // Assess: the current state's done part is still there for its retries.
    const effects = (await store.get('case-1'))?.effects ?? {};
    expect(effects['case-1/Send the acknowledgement: acknowledgement']?.status).toBe('done');
    expect(effects['case-1/Await acknowledgement']?.status).toBe('done');
  });

  it('does nothing for a late duplicate of an entry the execution has moved past, whose effect was dropped', async () => {
    // Prepare: the receipt went and the workflow moved on, dropping the receipt's done effect.
    const receipt = at('Send the receipt', '2026-03-02T09:00:00.001Z');
    await once(deps(), 'case-1', receipt, emailEffect());
    await once(deps(), 'case-1', at('Send the acknowledgement', '2026-03-03T10:00:00.000Z'), emailEffect());
    expect((await store.get('case-1'))?.effects?.['case-1/Send the receipt']).toBeUndefined();

    // Act: a copy of the receipt's invocation that stalled before its first read comes now.
    const late = once(deps(), 'case-1', receipt, emailEffect());

    // Assess
    await expect(late).rejects.toThrow(SupersededEntryError);
    expect(sends).toHaveLength(2);
    expect((await store.events('case-1')).filter((e) => e.type === 'email-sent')).toHaveLength(2);
  });

  it('does nothing for a late duplicate of an earlier entry into a state entered again since', async () => {
    // Prepare: the response clock's reminder went at the first entry; the state was entered again.
    const first = at('Check the response clock', '2026-03-02T09:00:00.001Z');
    await once(deps(), 'case-1', first, emailEffect());
    await once(deps(), 'case-1', at('Check the response clock', '2026-03-09T09:00:00.001Z'), emailEffect());

    // Act
    const late = once(deps(), 'case-1', first, emailEffect());

    // Assess
    await expect(late).rejects.toThrow(SupersededEntryError);
    expect(sends).toHaveLength(2);
  });

  it('still acts for an entry when the later effects on the case were written before entries were recorded', async () => {
    // Prepare: an effect of a later state, from a version of the steps that did not record entries.
    const c = (await store.get('case-1')) as CaseRecord;
    await store.update('case-1', c.version, {
      set: {
        effects: {
          'case-1/Send the acknowledgement': {
            key: 'older-steps',
            status: 'done',
            at: '2026-03-03T10:00:00.000Z',
          },
        },
      },
    });

    // Act
    await once(deps(), 'case-1', at('Send the receipt'), emailEffect());

    // Assess
    expect(sends).toHaveLength(1);
  });

  it('is not held up by another execution’s later entries', async () => {
    // Prepare: a fresh execution for the case has written later.
    await once(
      deps(),
      'case-1',
      {
        ...at('Send the acknowledgement', '2026-03-05T10:00:00.000Z'),
        execution: `${step.execution}-renewed`,
      },
      emailEffect(),
    );

    // Act
    await once(deps(), 'case-1', at('Send the receipt'), emailEffect());

    // Assess
    expect(sends).toHaveLength(2);
  });
});

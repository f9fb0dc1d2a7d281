import { beforeEach, describe, expect, it } from 'vitest';
import {
  type Effect,
  EffectUnconfirmedError,
  effectKey,
  once,
  type StepContext,
  SupersededEntryError,
} from '../../functions/app/effects.js';
import type { CaseRecord } from '../../functions/domain/case.js';
import { MemoryCaseStore } from '../support/memory-store.js';

const E1: StepContext = {
  execution: 'arn:aws:states:eu-west-2:000000000000:execution:complaint:case-1',
  state: 'Check the response clock',
  enteredAt: '2026-03-02T09:00:00.001Z',
};
const E2: StepContext = { ...E1, enteredAt: '2026-03-09T09:00:00.001Z' };
const slot = 'case-1/Check the response clock';

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
let resent: string[];
const accepted = new Map<string, string>();
const deps = () => ({ store, now: () => now, onResend: (_: string, key: string) => resent.push(key) });

function emailEffect(): Effect<{ messageId: string }> {
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

/** The next write recording an effect done fails: the function died between SES and the table. */
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
  accepted.clear();
  await store.create(structuredClone(record), { at: record.receivedAt, type: 'received', actor: 'resident' });
});

/**
 * E1 sends and dies before recording; a duplicate invocation of E1 reads the case (slot: E1
 * started) and stalls. E1's retry confirms from SES and the workflow moves on; later it enters
 * the same state again (E2), whose email goes and whose function dies before recording too.
 */
async function prepare(): Promise<CaseRecord> {
  crashBeforeRecording();
  await expect(once(deps(), 'case-1', E1, emailEffect())).rejects.toThrow(/killed/);
  const stalled = (await store.get('case-1')) as CaseRecord; // the duplicate's read
  accepted.set(effectKey(E1), 'ses-1');
  await once(deps(), 'case-1', E1, emailEffect());
  now = new Date('2026-03-09T09:00:01.000Z');
  crashBeforeRecording();
  await expect(once(deps(), 'case-1', E2, emailEffect())).rejects.toThrow(/killed/);
  expect((await store.get('case-1'))?.effects?.[slot]).toMatchObject({
    key: effectKey(E2),
    status: 'started',
  });
  expect(sends).toEqual([effectKey(E1), effectKey(E2)]);
  return stalled;
}

describe('a late duplicate finishing from the copy it read before stalling', () => {
  it('is refused when it reads the case by id, and the later entry still waits for SES', async () => {
    await prepare();

    await expect(once(deps(), 'case-1', E1, emailEffect())).rejects.toThrow(SupersededEntryError);

    expect((await store.get('case-1'))?.effects?.[slot]).toMatchObject({
      key: effectKey(E2),
      status: 'started',
    });
    await expect(once(deps(), 'case-1', E2, emailEffect())).rejects.toBeInstanceOf(EffectUnconfirmedError);
    expect(sends).toHaveLength(2);
  });

  it('given its stale copy, neither overwrites the later entry’s unfinished email nor lets that entry send it twice', async () => {
    const stalled = await prepare();

    // The duplicate of E1 comes back and finishes from the copy it read (slot: E1 started).
    await once(deps(), stalled, E1, emailEffect()).catch(() => undefined);

    // E2's retry (SES's word for E2 not in yet) must ask SES rather than send again.
    const retry = await once(deps(), 'case-1', E2, emailEffect()).then(
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
    const late = await once(deps(), 'case-1', E1, emailEffect()).then(
      () => 'returned',
      (error: unknown) => (error as Error).name,
    );

    // Assess: refused on the fresh case, and E2's unfinished email is still E2's to confirm.
    expect(late).toBe('SupersededEntryError');
    expect((await store.get('case-1'))?.effects?.[slot]).toMatchObject({
      key: effectKey(E2),
      status: 'started',
    });
    await expect(once(deps(), 'case-1', E2, emailEffect())).rejects.toBeInstanceOf(EffectUnconfirmedError);
    expect(sends).toHaveLength(2);
    expect((await store.events('case-1')).filter((e) => e.type === 'email-sent')).toHaveLength(1);
  });
});

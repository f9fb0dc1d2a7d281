import { describe, expect, it } from 'vitest';
import type { CaseRecord } from '../../../functions/domain/case.js';
import { ConcurrentUpdateError, DuplicateCaseError } from '../../../functions/domain/ports.js';
import { CompactCaseStore } from '../../support/compact-case-store.js';
import { MemoryCaseStore } from '../../support/memory-store.js';
import { openCase } from '../../support/open-case.js';

const RECEIVED = { at: '2026-03-02T09:00:00.000Z', type: 'received', actor: 'resident' } as const;

describe('MemoryCaseStore', () => {
  it('returns copies: changing what a read returned changes nothing stored', async () => {
    // Prepare
    const store = new MemoryCaseStore();
    await store.create(openCase('case-1'), RECEIVED);

    // Act
    const read = await store.get('case-1');
    if (read) read.status = 'closed';

    // Assess
    expect((await store.get('case-1'))?.status).toBe('received');
  });
});

describe('CompactCaseStore', () => {
  it('returns frozen records: a change to what a read returned is refused and nothing stored changes', async () => {
    // Prepare
    const store = new CompactCaseStore();
    await store.create(openCase('case-1'), RECEIVED);

    // Act
    const read = (await store.get('case-1')) as CaseRecord;
    const change = () => {
      read.status = 'closed';
    };

    // Assess
    expect(change).toThrow(TypeError);
    expect(() => {
      read.complainant.name = 'Someone Else';
    }).toThrow(TypeError);
    expect((await store.get('case-1'))?.status).toBe('received');
  });

  it('keeps its own copy of what it is given, without the members that are undefined', async () => {
    // Prepare
    const store = new CompactCaseStore();
    const record = openCase('case-1');
    await store.create(record, RECEIVED);
    const complainant = { name: 'Ada Lovelace', email: 'ada@example.org', phone: undefined };

    // Act
    await store.update('case-1', 1, { set: { complainant } });
    record.status = 'closed';
    complainant.name = 'Someone Else';

    // Assess
    const stored = await store.get('case-1');
    expect(stored).toMatchObject({ status: 'received', complainant: { name: 'Ada Lovelace' } });
    expect(Object.keys(stored?.complainant ?? {})).toEqual(['name', 'email']);
  });
});

describe.each([
  ['MemoryCaseStore', () => new MemoryCaseStore()],
  ['CompactCaseStore', () => new CompactCaseStore()],
])('%s', (_name, makeStore) => {
  it('answers a repeated create with the same key with the first case, and refuses a second case with the same id', async () => {
    // Prepare
    const store = makeStore();
    await store.create(openCase('case-1'), RECEIVED, 'key-1');

    // Act
    const again = await store.create(openCase('case-2'), RECEIVED, 'key-1');

    // Assess
    expect(again).toMatchObject({ created: false, record: { caseId: 'case-1' } });
    await expect(store.create(openCase('case-1'), RECEIVED)).rejects.toThrow(DuplicateCaseError);
  });

  it('writes only over the version read, and numbers the events in order', async () => {
    // Prepare
    const store = makeStore();
    await store.create(openCase('case-1'), RECEIVED);

    // Act
    const updated = await store.update('case-1', 1, {
      set: { status: 'investigating' },
      event: { at: '2026-03-03T09:00:00.000Z', type: 'acknowledged', actor: 'officer' },
    });

    // Assess
    expect(updated).toMatchObject({
      status: 'investigating',
      version: 2,
      updatedAt: '2026-03-03T09:00:00.000Z',
    });
    await expect(store.update('case-1', 1, { set: { status: 'closed' } })).rejects.toThrow(
      ConcurrentUpdateError,
    );
    expect((await store.events('case-1')).map((e) => [e.seq, e.type])).toEqual([
      [1, 'received'],
      [2, 'acknowledged'],
    ]);
  });

  it('finds a complainant’s cases by email whatever its case, newest first, and follows a corrected email', async () => {
    // Prepare
    const store = makeStore();
    await store.create(openCase('case-1', { receivedAt: '2026-03-02T09:00:00.000Z' }), RECEIVED);
    await store.create(openCase('case-2', { receivedAt: '2026-03-05T09:00:00.000Z' }), RECEIVED);
    await store.create(
      openCase('case-3', { complainant: { name: 'Grace Hopper', email: 'grace@example.com' } }),
      RECEIVED,
    );

    // Act
    await store.update('case-1', 1, {
      set: { complainant: { name: 'Ada Lovelace', email: 'ada@example.org' } },
    });

    // Assess
    expect((await store.byComplainant('ADA@example.com')).map((c) => c.caseId)).toEqual(['case-2']);
    expect((await store.byComplainant('ada@example.org')).map((c) => c.caseId)).toEqual(['case-1']);
    expect((await store.byComplainant('grace@example.com')).map((c) => c.caseId)).toEqual(['case-3']);
  });
});

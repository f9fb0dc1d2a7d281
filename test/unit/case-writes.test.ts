import { describe, expect, it } from 'vitest';
import { CHANGE_ATTEMPTS, changeCase } from '../../functions/app/case-writes.js';
import type { CaseRecord } from '../../functions/domain/case.js';
import { type CaseChange, ConcurrentUpdateError } from '../../functions/domain/ports.js';
import { MemoryCaseStore } from '../support/memory-store.js';
import { openCase } from '../support/open-case.js';

const AT = '2026-03-03T10:00:00.000Z';
const note = (text: string): CaseChange['event'] => ({
  at: AT,
  type: 'note-added',
  actor: 'officer',
  detail: { text },
});

/** A store where someone else writes to the case just before each of the next `races` writes. */
async function storeWithRaces(races: number): Promise<{ store: MemoryCaseStore; caseId: string }> {
  const store = new MemoryCaseStore();
  const { record } = await store.create(openCase('case-1'), { at: AT, type: 'received', actor: 'resident' });
  const update = store.update.bind(store);
  let left = races;
  store.update = async (caseId, version, change, status) => {
    if (left > 0) {
      left--;
      const now = (await store.get(caseId)) as CaseRecord;
      await update(caseId, now.version, { event: note(`someone else ${races - left}`) });
    }
    return update(caseId, version, change, status);
  };
  return { store, caseId: record.caseId };
}

describe('changeCase', () => {
  it('makes the change again from the case as the other writer left it', async () => {
    const { store, caseId } = await storeWithRaces(2);
    const seen: number[] = [];

    const written = await changeCase(store, caseId, (c) => {
      seen.push(c.version);
      return { set: { service: 'parking' }, event: note('ours') };
    });

    expect(seen).toEqual([1, 2, 3]);
    expect(written?.service).toBe('parking');
    expect(written?.version).toBe(4);
    const texts = (await store.events(caseId)).map((e) => e.detail?.text).filter(Boolean);
    expect(texts).toEqual(['someone else 1', 'someone else 2', 'ours']);
  });

  it('writes nothing, and answers the case as read, when nothing is left to write', async () => {
    const { store, caseId } = await storeWithRaces(0);

    const answered = await changeCase(store, caseId, () => undefined);

    expect(answered?.version).toBe(1);
    expect(await store.events(caseId)).toHaveLength(1);
  });

  it('answers undefined for a case that is not there, without making a change', async () => {
    const store = new MemoryCaseStore();
    let made = 0;

    expect(await changeCase(store, 'case-missing', () => ({ event: note(String(++made)) }))).toBeUndefined();
    expect(made).toBe(0);
  });

  it('starts from the copy it is given, and reads again only after a lost race', async () => {
    const { store, caseId } = await storeWithRaces(1);
    const stale = { ...((await store.get(caseId)) as CaseRecord), service: 'from the copy' };
    const seen: string[] = [];

    await changeCase(
      store,
      caseId,
      (c) => {
        seen.push(`${c.service}@${c.version}`);
        return { event: note('ours') };
      },
      { first: stale },
    );

    expect(seen).toEqual(['from the copy@1', 'waste-recycling@2']);
  });

  it(`hands back the lost race after ${CHANGE_ATTEMPTS} attempts, or as many as asked`, async () => {
    const many = await storeWithRaces(CHANGE_ATTEMPTS);
    await expect(changeCase(many.store, many.caseId, () => ({ event: note('ours') }))).rejects.toBeInstanceOf(
      ConcurrentUpdateError,
    );

    const two = await storeWithRaces(2);
    await expect(
      changeCase(two.store, two.caseId, () => ({ event: note('ours') }), { attempts: 2 }),
    ).rejects.toBeInstanceOf(ConcurrentUpdateError);
    const three = await storeWithRaces(2);
    expect(
      (await changeCase(three.store, three.caseId, () => ({ event: note('ours') }), { attempts: 3 }))
        ?.version,
    ).toBe(4);
  });
});

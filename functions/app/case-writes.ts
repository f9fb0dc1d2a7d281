import type { CaseRecord } from '../domain/case.js';
import { type CaseChange, type CaseStore, ConcurrentUpdateError } from '../domain/ports.js';

/** Writes of one change before a lost race is handed back to the caller. */
export const CHANGE_ATTEMPTS = 5;

/**
 * Writes a change made from the case as it is, made again from a fresh read whenever someone
 * else's write came first (the version the change was made from is gone): the workflow, an
 * officer and SES's word may all change one case at the same moment, and each change must be
 * made from what the others wrote. `make` answers undefined when, on the case as it is now,
 * nothing is left to write (another writer did it); the case is then answered as read.
 *
 * Answers the case as written (or read), or undefined when there is no case. `first` is a copy
 * the caller has just read, used for the first attempt instead of reading again. After
 * `attempts` lost races the last `ConcurrentUpdateError` is thrown.
 */
export async function changeCase(
  store: Pick<CaseStore, 'get' | 'update'>,
  caseId: string,
  make: (c: CaseRecord) => CaseChange | undefined | Promise<CaseChange | undefined>,
  options: { first?: CaseRecord; attempts?: number } = {},
): Promise<CaseRecord | undefined> {
  let known = options.first;
  for (let attempt = 1; ; attempt++) {
    const current = known ?? (await store.get(caseId));
    known = undefined;
    if (!current) return undefined;
    const change = await make(current);
    if (change === undefined) return current;
    try {
      return await store.update(caseId, current.version, change);
    } catch (error: unknown) {
      if (!(error instanceof ConcurrentUpdateError) || attempt >= (options.attempts ?? CHANGE_ATTEMPTS)) {
        throw error;
      }
    }
  }
}

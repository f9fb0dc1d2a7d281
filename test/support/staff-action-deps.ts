import type { StaffActionDeps } from '../../functions/app/staff-actions.js';
import type { CaseStore } from '../../functions/domain/ports.js';
import { MemoryArchive } from './memory-archive.js';
import { MemoryStaffStore } from './memory-staff-store.js';

/**
 * What the workspace's actions need, for unit tests that race them against a link or the
 * workflow: the test's store, workflows, policy, clock and link secret, and in-memory parts for
 * the rest (staff, archive, an email that goes nowhere). The store needs only what the action
 * under test reads (a memory store has no workspace queries).
 */
export function staffActionDeps(
  parts: Pick<StaffActionDeps, 'workflows' | 'policy' | 'now'> & { store: CaseStore; secret: string },
): StaffActionDeps {
  const { secret, ...given } = parts;
  return {
    staffStore: new MemoryStaffStore(),
    archive: new MemoryArchive(),
    newId: () => 'x',
    linkSecrets: async () => [secret],
    send: async () => ({ messageId: 'm-workspace' }),
    baseUrl: 'https://example.test',
    ...given,
  } as unknown as StaffActionDeps;
}

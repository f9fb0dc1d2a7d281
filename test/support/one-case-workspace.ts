import { beforeEach } from 'vitest';
import type { CaseRecord } from '../../functions/domain/case.js';
import type { Policy } from '../../functions/domain/policy-schema.js';
import type { StaffMember } from '../../functions/domain/staff.js';
import { MemoryStaffStore } from './memory-staff-store.js';
import { MemoryCaseStore } from './memory-store.js';
import { openCase } from './open-case.js';
import { TEAM } from './staff-members.js';
import { staffSession, workspaceApi, workspaceDeps } from './workspace-api.js';

/**
 * The staff workspace over one case in memory (`case-1`, received on 2 March 2026; `record` for
 * another), for the unit tests of its pages and forms: fresh stores before each test, the API,
 * and a session for a member of staff (the complaints team's, unless another is given).
 */
export function oneCaseWorkspace(options: { policy: Policy; now: () => Date; record?: () => CaseRecord }) {
  let store = new MemoryCaseStore();
  let staffStore = new MemoryStaffStore();
  beforeEach(async () => {
    store = new MemoryCaseStore();
    staffStore = new MemoryStaffStore();
    await store.create(options.record?.() ?? openCase('case-1'), {
      at: '2026-03-02T09:00:00.000Z',
      type: 'received',
      actor: 'resident',
    });
  });
  return {
    get store() {
      return store;
    },
    get staffStore() {
      return staffStore;
    },
    api: () =>
      workspaceApi(
        workspaceDeps({ store: store as never, staffStore, policy: options.policy, now: options.now }),
      ),
    session: (staff: StaffMember = TEAM) => staffSession(staffStore, staff, options.now()),
  };
}

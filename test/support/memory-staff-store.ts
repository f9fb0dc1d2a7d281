import type { StaffSessionRecord, StaffStore } from '../../functions/domain/ports.js';
import type { StaffMember } from '../../functions/domain/staff.js';
import type { IsoTimestamp } from '../../functions/domain/types.js';

/** Staff sessions and the staff directory in memory, for tests without a table. */
export class MemoryStaffStore implements StaffStore {
  private readonly sessions = new Map<string, StaffSessionRecord>();
  private readonly people = new Map<
    string,
    { email: string; name: string; roles: string[]; services: string[] }
  >();

  async putSession(session: StaffSessionRecord, _expiresAt: IsoTimestamp): Promise<void> {
    this.sessions.set(session.id, structuredClone(session));
  }

  async getSession(id: string): Promise<StaffSessionRecord | undefined> {
    const session = this.sessions.get(id);
    return session && structuredClone(session);
  }

  /** Every session kept (for tests that change one as an older version of the service stored it). */
  async allSessions(): Promise<StaffSessionRecord[]> {
    return [...this.sessions.values()].map((s) => structuredClone(s));
  }

  async touchSession(id: string, lastSeenAt: IsoTimestamp): Promise<void> {
    const session = this.sessions.get(id);
    if (session) this.sessions.set(id, { ...session, lastSeenAt });
  }

  async refreshSession(
    id: string,
    fields: Required<Pick<StaffSessionRecord, 'staff' | 'idToken' | 'refreshToken' | 'rolesCheckedAt'>>,
  ): Promise<boolean> {
    const session = this.sessions.get(id);
    if (!session) return false;
    this.sessions.set(id, { ...session, ...structuredClone(fields) });
    return true;
  }

  async deleteSession(id: string): Promise<void> {
    this.sessions.delete(id);
  }

  async recordStaff(staff: StaffMember, _at: IsoTimestamp): Promise<void> {
    this.people.set(staff.email.toLowerCase(), {
      email: staff.email,
      name: staff.name,
      roles: [...staff.roles],
      services: [...staff.services],
    });
  }

  async directory(): Promise<{ email: string; name: string; roles: string[]; services: string[] }[]> {
    return [...this.people.values()];
  }
}

import type { SignInLinks, SignInUse } from '../../functions/domain/ports.js';
import type { IsoTimestamp } from '../../functions/domain/types.js';

/** One-time sign-in links in memory, with the DynamoDB adapter's behaviour, for tests without a table. */
export class MemorySignInLinks implements SignInLinks {
  readonly links = new Map<string, { caseId: string; usedAt?: IsoTimestamp }>();
  /** Sessions signed out of, by id, with when each stops mattering. */
  readonly signedOutSessions = new Map<string, IsoTimestamp>();

  async issue(hash: string, caseId: string, _expiresAt: IsoTimestamp): Promise<void> {
    this.links.set(hash, { caseId });
  }

  async use(hash: string, at: IsoTimestamp): Promise<SignInUse> {
    const link = this.links.get(hash);
    if (!link) return 'unknown';
    if (link.usedAt) return 'used';
    link.usedAt = at;
    return 'first-use';
  }

  async signOut(sessionId: string, until: IsoTimestamp): Promise<void> {
    this.signedOutSessions.set(sessionId, until);
  }

  async signedOut(sessionId: string): Promise<boolean> {
    return this.signedOutSessions.has(sessionId);
  }
}

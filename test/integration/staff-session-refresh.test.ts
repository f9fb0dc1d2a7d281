/**
 * The staff store's re-read roles on DynamoDB Local: they replace the session's, keeping its
 * anti-forgery token and times; a session signed out meanwhile stays signed out (the write is
 * conditional, never a put that would bring it back).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbStaffStore } from '../../functions/adapters/dynamodb-staff-store.js';
import { type CaseTableOnStandIns, startCaseTable } from '../support/case-table.js';
import { TEAM } from '../support/staff-members.js';

let table: CaseTableOnStandIns;
let staffStore: DynamoDbStaffStore;
const AT = '2026-03-03T10:00:00.000Z';
const LATER = '2026-03-03T10:06:00.000Z';

const session = (id: string) => ({
  id,
  staff: TEAM,
  csrf: 'csrf-token',
  createdAt: AT,
  lastSeenAt: AT,
  idToken: 'id-1',
  refreshToken: 'refresh-1',
  rolesCheckedAt: AT,
});

describe('DynamoDbStaffStore.refreshSession', () => {
  beforeAll(async () => {
    table = await startCaseTable();
    staffStore = new DynamoDbStaffStore({ tableName: table.tableName });
  }, 60_000);

  afterAll(async () => {
    await table?.stop();
  });

  it('keeps the roles read again, the new tokens and when they were read', async () => {
    const id = 'a'.repeat(43);
    await staffStore.putSession(session(id), '2026-03-03T20:00:00.000Z');
    const moved = { ...TEAM, roles: ['officer' as const], services: ['waste-recycling'] };

    const kept = await staffStore.refreshSession(id, {
      staff: moved,
      idToken: 'id-2',
      refreshToken: 'refresh-1',
      rolesCheckedAt: LATER,
    });

    expect(kept).toBe(true);
    expect(await staffStore.getSession(id)).toEqual({
      ...session(id),
      staff: moved,
      idToken: 'id-2',
      rolesCheckedAt: LATER,
    });
  });

  it('does not bring back a session signed out meanwhile', async () => {
    const id = 'b'.repeat(43);
    await staffStore.putSession(session(id), '2026-03-03T20:00:00.000Z');
    await staffStore.deleteSession(id);

    const kept = await staffStore.refreshSession(id, {
      staff: TEAM,
      idToken: 'id-2',
      refreshToken: 'refresh-1',
      rolesCheckedAt: LATER,
    });

    expect(kept).toBe(false);
    expect(await staffStore.getSession(id)).toBeUndefined();
  });
});

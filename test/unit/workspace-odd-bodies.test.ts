import { beforeEach, describe, expect, it } from 'vitest';
import { loadPolicy } from '../../functions/domain/policy.js';
import { apiEvent } from '../support/api-event.js';
import { MemoryStaffStore } from '../support/memory-staff-store.js';
import { MemoryCaseStore } from '../support/memory-store.js';
import { openCase } from '../support/open-case.js';
import { TEAM } from '../support/staff-members.js';
import { staffSession, workspaceApi, workspaceDeps } from '../support/workspace-api.js';

/**
 * Posts no workspace form sends: a field named as a group (`note.x=1`, so the note is not text),
 * or a group's member named one level deeper. Each is a 400 saying to use the workspace's form,
 * nothing is stored, and never a 500 (a page that could not show the object, a `.trim()` on it).
 */

const policy = loadPolicy('lgsco-code-2024');
const now = () => new Date('2026-03-03T10:00:00Z');

let store: MemoryCaseStore;
let staffStore: MemoryStaffStore;

beforeEach(async () => {
  store = new MemoryCaseStore();
  staffStore = new MemoryStaffStore();
  await store.create(openCase('case-1'), {
    at: '2026-03-02T09:00:00.000Z',
    type: 'received',
    actor: 'resident',
  });
});

async function post(path: string, body: string) {
  const s = await staffSession(staffStore, TEAM, now());
  const api = workspaceApi(workspaceDeps({ store: store as never, staffStore, policy, now }));
  return api(
    apiEvent('POST', path, {
      body: `csrf=${s.csrf}&${body}`,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'text/html', Cookie: s.cookie },
    }),
  );
}

describe('a workspace post with fields no form of it has', () => {
  it.each([
    ['/staff/cases/CMP-2026-000001/note', 'note.x=Called%20back'],
    ['/staff/cases/CMP-2026-000001/reassign', 'reassignTo.a=someone%40example.com'],
    ['/staff/cases/CMP-2026-000001/service', 'service.a=highways'],
    ['/staff/cases/CMP-2026-000001/ombudsman', 'ombudsman.a=lgsco&ombudsmanNote.b=x'],
    ['/staff/cases/CMP-2026-000001/designate', 'restrictions.written-only.x=written-only'],
    ['/staff/record', 'channel=phone&complainant.name.first=Ada&summary.x=Bins'],
    ['/staff/record', 'channel.a=phone&receivedDay.a=1'],
  ])('answers %s with %s as a 400 page, storing nothing', async (path, fields) => {
    const before = (await store.events('case-1')).length;

    const result = await post(path, fields);

    expect(result.statusCode).toBe(400);
    expect(result.body).toContain('Complaints workspace');
    expect(result.body).toContain('send it from the workspace');
    expect(await store.events('case-1')).toHaveLength(before);
    expect(store.cases.size).toBe(1);
  });
});

import { describe, expect, it } from 'vitest';
import { loadPolicy } from '../../functions/domain/policy.js';
import { apiEvent } from '../support/api-event.js';
import { oneCaseWorkspace } from '../support/one-case-workspace.js';
import { TEAM } from '../support/staff-members.js';

/**
 * Posts no workspace form sends: a field named as a group (`note.x=1`, so the note is not text),
 * or a group's member named one level deeper. Each is a 400 saying to use the workspace's form,
 * nothing is stored, and never a 500 (a page that could not show the object, a `.trim()` on it).
 */

const policy = loadPolicy('lgsco-code-2024');
const now = () => new Date('2026-03-03T10:00:00Z');

const workspace = oneCaseWorkspace({ policy, now });

async function post(path: string, body: string) {
  const s = await workspace.session(TEAM);
  const api = workspace.api();
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
    const before = (await workspace.store.events('case-1')).length;

    const result = await post(path, fields);

    expect(result.statusCode).toBe(400);
    expect(result.body).toContain('Complaints workspace');
    expect(result.body).toContain('send it from the workspace');
    expect(await workspace.store.events('case-1')).toHaveLength(before);
    expect(workspace.store.cases.size).toBe(1);
  });
});

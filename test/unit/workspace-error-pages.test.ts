import { describe, expect, it } from 'vitest';
import { loadPolicy } from '../../functions/domain/policy.js';
import type { StaffMember } from '../../functions/domain/staff.js';
import { apiEvent, formPost } from '../support/api-event.js';
import { oneCaseWorkspace } from '../support/one-case-workspace.js';
import { TEAM } from '../support/staff-members.js';

/**
 * The workspace's error pages: a case that is not there, one of another service, an action the
 * person's role may not take, an address under `/staff` that does not exist. Each is shown in
 * the workspace's layout (its header and, for a signed-in person, their navigation) with a link
 * back to the work queue, never in the residents' layout with no way back.
 */

const policy = loadPolicy('lgsco-code-2024');
const now = () => new Date('2026-03-03T10:00:00Z');

const HIGHWAYS_OFFICER: StaffMember = {
  sub: 'alex',
  email: 'alex.jones@example.gov.uk',
  name: 'Alex Jones',
  roles: ['officer'],
  services: ['highways'],
};

const workspace = oneCaseWorkspace({ policy, now });

const api = workspace.api;

function page(path: string, cookie?: string) {
  return apiEvent('GET', path, { headers: { Accept: 'text/html', ...(cookie ? { Cookie: cookie } : {}) } });
}

/** The workspace's layout: its service name and the link back to the work queue, not the residents'. */
function expectWorkspaceLayout(body: string): void {
  expect(body).toContain('Complaints workspace');
  expect(body).toMatch(/<a class="govuk-link" href="\/staff">Go to the work queue<\/a>/);
  expect(body).not.toContain('Complaints and feedback');
}

describe('the workspace’s error pages', () => {
  it('shows a case reference that is not there as 404 in the workspace, with the navigation', async () => {
    const s = await workspace.session(TEAM);

    const result = await api()(page('/staff/cases/CMP-2026-999999', s.cookie));

    expect(result.statusCode).toBe(404);
    expectWorkspaceLayout(result.body);
    expect(result.body).toContain('<h1 class="govuk-heading-l">Page not found</h1>');
    expect(result.body).toContain('There is no case with this reference');
    expect(result.body).toContain('Signed in as Casey Morgan');
    expect(result.body).toContain('class="govuk-service-navigation__link" href="/staff/search"');
    expect(result.body).toContain(`value="${s.csrf}"`);
  });

  it('shows another service’s case as 403 in the workspace, saying why', async () => {
    const s = await workspace.session(HIGHWAYS_OFFICER);

    const result = await api()(page('/staff/cases/CMP-2026-000001', s.cookie));

    expect(result.statusCode).toBe(403);
    expectWorkspaceLayout(result.body);
    expect(result.body).toContain('You cannot do this');
    expect(result.body).toContain('it belongs to another service');
    expect(result.body).toContain('Signed in as Alex Jones');
  });

  it('shows an action the role may not take as 403 in the workspace', async () => {
    const officer = { ...HIGHWAYS_OFFICER, services: ['waste-recycling'] };
    const s = await workspace.session(officer);

    const result = await api()(
      formPost(
        '/staff/cases/CMP-2026-000001/reopen',
        { csrf: s.csrf, reopenReason: 'The resident wrote again' },
        { Cookie: s.cookie },
      ),
    );

    expect(result.statusCode).toBe(403);
    expectWorkspaceLayout(result.body);
    expect(result.body).toContain('Your role cannot reopen a case');
    expect(result.body).toContain('Signed in as Alex Jones');
  });

  it('shows an unknown address under /staff as 404 in the workspace, signed in or not', async () => {
    const result = await api()(page('/staff/nowhere'));

    expect(result.statusCode).toBe(404);
    expectWorkspaceLayout(result.body);
    expect(result.body).toContain('Page not found');
    expect(result.body).not.toContain('Signed in as');
  });

  it('shows the case page and the letters without a message when `done` names no action, even a name every object has', async () => {
    const s = await workspace.session(TEAM);
    const withDone = (path: string, done: string) =>
      apiEvent('GET', path, { headers: { Accept: 'text/html', Cookie: s.cookie }, query: { done } });

    for (const done of ['toString', 'constructor', '__proto__', 'hasOwnProperty']) {
      const casePage = await api()(withDone('/staff/cases/CMP-2026-000001', done));
      const letters = await api()(withDone('/staff/letters', done));

      expect(casePage.statusCode, done).toBe(200);
      expect(casePage.body).toContain('CMP-2026-000001');
      expect(casePage.body).not.toContain('govuk-notification-banner');
      expect(letters.statusCode, done).toBe(200);
      expect(letters.body).not.toContain('govuk-notification-banner');
    }
  });

  it('keeps the residents’ error pages in the residents’ layout', async () => {
    const result = await api()(page('/nowhere'));

    expect(result.statusCode).toBe(404);
    expect(result.body).toContain('Complaints and feedback');
    expect(result.body).not.toContain('Complaints workspace');
  });
});

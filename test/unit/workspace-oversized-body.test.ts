import { describe, expect, it } from 'vitest';
import { loadPolicy } from '../../functions/domain/policy.js';
import { MAX_BODY_BYTES } from '../../functions/http/request.js';
import { apiEvent, formPost, jsonPost } from '../support/api-event.js';
import { oneCaseWorkspace } from '../support/one-case-workspace.js';
import { TEAM } from '../support/staff-members.js';

/**
 * A body over the size limit: nothing of it is stored, and the person is told what happened and
 * what to do — a page in the workspace's (or the residents') layout for a browser, a JSON error
 * naming the limit for an API client — never a bare 413.
 */

const policy = loadPolicy('lgsco-code-2024');
const now = () => new Date('2026-03-03T10:00:00Z');
const TOO_LONG = 'z'.repeat(MAX_BODY_BYTES + 1);

const workspace = oneCaseWorkspace({ policy, now });

const api = workspace.api;

describe('a body over the size limit', () => {
  it('shows the officer a workspace page that says nothing was saved and leads back to the case', async () => {
    const s = await workspace.session(TEAM);
    const before = (await workspace.store.events('case-1')).length;

    const result = await api()(
      formPost('/staff/cases/CMP-2026-000001/note', { csrf: s.csrf, note: TOO_LONG }, { Cookie: s.cookie }),
    );

    expect(result.statusCode).toBe(413);
    expect(result.headers?.['Content-Type']).toMatch(/text\/html/);
    expect(result.body).toContain('<h1 class="govuk-heading-l">What you sent is too long</h1>');
    expect(result.body).toContain('Nothing has been saved');
    expect(result.body).toContain('Signed in as Casey Morgan');
    expect(result.body).toContain('href="/staff/cases/CMP-2026-000001">Go back to the case</a>');
    expect(await workspace.store.events('case-1')).toHaveLength(before);
  });

  it('answers an API client with JSON that names the limit and says nothing was saved', async () => {
    const result = await api()(jsonPost('/complaints', { summary: TOO_LONG }));

    expect(result.statusCode).toBe(413);
    const body = JSON.parse(result.body) as { message: string; maxBytes: number };
    expect(body.message).toMatch(/Nothing has been saved/);
    expect(body.maxBytes).toBe(MAX_BODY_BYTES);
    expect(workspace.store.cases.size).toBe(1);
  });

  it('shows a resident who posted the form a page saying what to do', async () => {
    const result = await api()(
      apiEvent('POST', '/complaints', {
        body: `summary=${TOO_LONG}`,
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'text/html' },
      }),
    );

    expect(result.statusCode).toBe(413);
    expect(result.body).toContain('Nothing has been saved');
    expect(result.body).toContain('make the longest answer shorter');
    expect(workspace.store.cases.size).toBe(1);
  });
});

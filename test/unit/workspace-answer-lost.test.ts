import type { APIGatewayProxyResult, Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { API_TIME_MARGIN_MS, createApi } from '../../functions/app/api.js';
import { staffRoutes } from '../../functions/app/staff-routes.js';
import { loadPolicy } from '../../functions/domain/policy.js';
import { formPost } from '../support/api-event.js';
import { MemoryStaffStore } from '../support/memory-staff-store.js';
import { MemoryCaseStore } from '../support/memory-store.js';
import { openCase } from '../support/open-case.js';
import { TEAM } from '../support/staff-members.js';
import { staffSession, workspaceDeps } from '../support/workspace-api.js';

/**
 * A workspace action whose write reached the table but whose answer never came back (a stalled
 * connection, the Lambda's time running out): the 503 page cannot know whether it was done, so
 * it must never tell the officer that nothing was changed, or they do it again (a second note, a
 * second link emailed, the same call recorded twice from a new form).
 */

const policy = loadPolicy('lgsco-code-2024');
const now = () => new Date('2026-03-03T10:00:00Z');

/** A Lambda context with a little more time left than the API keeps in hand. */
function lambdaContext(): Context {
  const started = Date.now();
  return {
    awsRequestId: 'answer-lost',
    getRemainingTimeInMillis: () => Math.max(0, API_TIME_MARGIN_MS + 300 - (Date.now() - started)),
  } as Context;
}

describe('a workspace action whose answer was lost', () => {
  it('says the note may have been added, never that nothing was changed, when it was in fact added', async () => {
    // Prepare: a table that stores each change and then never answers.
    const store = new MemoryCaseStore();
    const staffStore = new MemoryStaffStore();
    await store.create(openCase('case-1'), {
      at: '2026-03-02T09:00:00.000Z',
      type: 'received',
      actor: 'resident',
    });
    const update = store.update.bind(store);
    store.update = async (...args: Parameters<MemoryCaseStore['update']>) => {
      await update(...args);
      return new Promise<never>(() => {});
    };
    const deps = workspaceDeps({ store: store as never, staffStore, policy, now });
    const api = createApi({
      store,
      policy,
      now,
      newId: () => 'unused',
      extraRoutes: (r) => staffRoutes(r, deps),
    });
    const session = await staffSession(staffStore, TEAM, now());
    const { reference } = (await store.get('case-1')) as { reference: string };
    // Act
    const result = (await api(
      formPost(
        `/staff/cases/${reference}/note`,
        { csrf: session.csrf, note: 'Called the resident back.' },
        {
          Cookie: session.cookie,
        },
      ),
      lambdaContext(),
    )) as APIGatewayProxyResult;
    // Assess
    const notes = (await store.events('case-1')).filter((e) => e.type === 'note-added');
    expect(notes).toHaveLength(1);
    expect(result.statusCode).toBe(503);
    expect(result.body).not.toContain('Nothing has been changed');
    expect(result.body).toContain('It may have been done');
  });
});

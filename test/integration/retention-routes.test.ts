/**
 * The workspace's legal hold and erasure forms, in-process against DynamoDB Local: the deployed
 * API's routes with the real case and staff stores, sessions made as the sign-in makes them. The
 * archive's side is recorded (it is tested against the S3 stand-in in retention-holds.test.ts).
 */
import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbCaseStore } from '../../functions/adapters/dynamodb-case-store.js';
import { DynamoDbStaffStore } from '../../functions/adapters/dynamodb-staff-store.js';
import { submitFeedback } from '../../functions/app/intake.js';
import { type RetentionRouteDeps, retentionRoutes } from '../../functions/app/retention-routes.js';
import { loadPolicy } from '../../functions/domain/policy.js';
import type { ArchiveControl, RetentionClass } from '../../functions/domain/ports.js';
import type { StaffMember } from '../../functions/domain/staff.js';
import { apiEvent, formPost } from '../support/api-event.js';
import { newCaseTable } from '../support/case-table.js';
import { MemoryAuditLog } from '../support/memory-audit-log.js';
import { MemoryDownloads } from '../support/memory-downloads.js';
import { MemorySuppressionList } from '../support/memory-suppression-list.js';
import { type StandIns, startStandIns } from '../support/stand-ins.js';
import { staffSession, workspaceApi, workspaceDeps } from '../support/workspace-api.js';

const policy = loadPolicy('lgsco-code-2024');
const NOW = new Date('2026-03-04T10:00:00Z');
const DANA: StaffMember = {
  sub: 'dana',
  email: 'dana.okafor@example.gov.uk',
  name: 'Dana Okafor',
  roles: ['data-protection'],
  services: [],
};
const TEAM: StaffMember = {
  sub: 'casey',
  email: 'casey.morgan@example.gov.uk',
  name: 'Casey Morgan',
  roles: ['complaints-team'],
  services: [],
};

/** The archive's side, recorded: which cases were held, released (to what) and erased. */
class RecordingControl implements ArchiveControl {
  readonly calls: string[] = [];
  async hold(caseId: string) {
    this.calls.push(`hold ${caseId}`);
    return 1;
  }
  async release(caseId: string, retention: RetentionClass | 'open') {
    this.calls.push(`release ${caseId} ${retention}`);
    return 1;
  }
  async tags() {
    return {};
  }
  async erase(caseId: string) {
    this.calls.push(`erase ${caseId}`);
    return 1;
  }
}

let standIns: StandIns;
let store: DynamoDbCaseStore;
let staffStore: DynamoDbStaffStore;
let api: ReturnType<typeof workspaceApi>;
let reference: string;
const audit = new MemoryAuditLog();
const control = new RecordingControl();

const call = (event: ReturnType<typeof apiEvent>): Promise<APIGatewayProxyResult> => api(event);
const session = (staff: StaffMember) => staffSession(staffStore, staff, NOW);

async function post(staff: StaffMember, action: string, fields: Record<string, string> = {}) {
  const s = await session(staff);
  return call(
    formPost(`/staff/cases/${reference}/${action}`, { csrf: s.csrf, ...fields }, { Cookie: s.cookie }),
  );
}

describe('the legal hold and erasure forms', () => {
  beforeAll(async () => {
    standIns = await startStandIns(['dynamodb']);
    const tableName = await newCaseTable();
    store = new DynamoDbCaseStore({ tableName });
    staffStore = new DynamoDbStaffStore({ tableName });
    const intake = { store, policy, now: () => NOW, newId: () => randomUUID() };
    reference = (
      await submitFeedback(intake, {
        service: policy.routing.services[0]?.id,
        summary: 'My bin was missed again.',
        complainant: { name: 'Grace Hopper', email: 'grace@example.com' },
      })
    ).record.reference;
    const deps: RetentionRouteDeps = workspaceDeps({
      store,
      staffStore,
      policy,
      now: () => NOW,
      control,
      audit,
      downloads: new MemoryDownloads(),
      suppressions: new MemorySuppressionList(),
    });
    api = workspaceApi(deps, retentionRoutes);
  }, 120_000);

  afterAll(async () => {
    await standIns?.stop();
  });

  it('shows the hold form again with its error (400) when no reason is chosen', async () => {
    const result = await post(DANA, 'legal-hold', { holdNote: 'Claim 42' });
    expect(result.statusCode).toBe(400);
    expect(result.body).toContain('href="#holdReason"');
    expect(result.body).toContain('Select why the case is held');
    expect(result.body).toContain('Claim 42');
  });

  it('shows the hold form’s error on the whole case page, the Ombudsman case file section included', async () => {
    const s = await session(DANA);
    const shown = await call(
      apiEvent('GET', `/staff/cases/${reference}`, { headers: { Accept: 'text/html', Cookie: s.cookie } }),
    );
    expect(shown.body).toContain('Case file for the Ombudsman');

    const result = await post(DANA, 'legal-hold', { holdNote: 'Claim 43' });

    expect(result.statusCode).toBe(400);
    expect(result.body).toContain('Select why the case is held');
    expect(result.body).toContain('Case file for the Ombudsman');
  });

  it('places a hold on an open case and redirects to the case page, which shows it (303, then 200)', async () => {
    const result = await post(DANA, 'legal-hold', { holdReason: 'litigation' });
    expect(result.statusCode).toBe(303);
    expect(result.headers?.Location).toBe(`/staff/cases/${reference}?done=held`);
    const s = await session(DANA);
    const page = await call(
      apiEvent('GET', `/staff/cases/${reference}`, {
        headers: { Accept: 'text/html', Cookie: s.cookie },
        query: { done: 'held' },
      }),
    );
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('The legal hold is placed');
    expect(page.body).toContain('Litigation, or a claim likely to be made');
    expect(page.body).toContain('Lift the legal hold');
    const c = await store.getByReference(reference);
    expect(control.calls).toContain(`hold ${c?.caseId}`);
  });

  it('refuses the complaints team lifting the hold (403) and audits it', async () => {
    const result = await post(TEAM, 'legal-hold/lift');
    expect(result.statusCode).toBe(403);
    expect(audit.entries.at(-1)).toMatchObject({
      action: 'refused',
      attempted: 'hold.lift',
      actor: TEAM.email,
    });
  });

  it('refuses erasing a held case (409)', async () => {
    const result = await post(DANA, 'erase', { erasureGround: 'objection', erasureConfirm: 'yes' });
    expect(result.statusCode).toBe(409);
    expect(result.body).toContain('A legal hold stands on this case');
  });

  it('lifts the hold: an open case’s letters and evidence go back to "open"', async () => {
    const result = await post(DANA, 'legal-hold/lift');
    expect(result.statusCode).toBe(303);
    expect(result.headers?.Location).toBe(`/staff/cases/${reference}?done=hold-lifted`);
    const c = await store.getByReference(reference);
    expect(c?.legalHold).toBeUndefined();
    expect(control.calls.at(-1)).toBe(`release ${c?.caseId} open`);
    expect(audit.entries.map((e) => e.action)).toEqual(['hold.place', 'refused', 'refused', 'hold.lift']);
  });

  it('refuses erasing an open case (409): its workflow is still running', async () => {
    const result = await post(DANA, 'erase', { erasureGround: 'objection', erasureConfirm: 'yes' });
    expect(result.statusCode).toBe(409);
    expect(result.body).toContain('Only a closed case can be erased');
  });

  it('says, after lifting a hold past the retention date, that the case goes at the next sweep', async () => {
    // Prepare: a case closed in 2023, its 2 years over by now (March 2026).
    const c = await store.getByReference(reference);
    if (!c) throw new Error('no case');
    const old = { ...c, caseId: randomUUID(), reference: 'CMP-2023-000777', version: 1 };
    await store.create(
      {
        ...old,
        status: 'closed',
        closedAt: '2023-05-02T10:00:00.000Z',
        receivedAt: '2023-03-01T10:00:00.000Z',
      },
      { at: '2023-03-01T10:00:00.000Z', type: 'received', actor: 'resident' },
    );
    const s = await session(DANA);
    const held = await call(
      formPost(
        '/staff/cases/CMP-2023-000777/legal-hold',
        { csrf: s.csrf, holdReason: 'regulator' },
        { Cookie: s.cookie },
      ),
    );
    expect(held.statusCode).toBe(303);

    // Act
    const lifted = await call(
      formPost('/staff/cases/CMP-2023-000777/legal-hold/lift', { csrf: s.csrf }, { Cookie: s.cookie }),
    );
    const page = await call(
      apiEvent('GET', '/staff/cases/CMP-2023-000777', { headers: { Accept: 'text/html', Cookie: s.cookie } }),
    );

    // Assess
    expect(lifted.statusCode).toBe(303);
    expect(page.body).toContain(
      'The retention period of this case ended on 2 May 2025. It will be deleted at the next retention sweep.',
    );
    expect(control.calls.at(-1)).toBe(`release ${old.caseId} 2y`);
  });

  it('offers no action on an erased case and refuses one sent anyway (409)', async () => {
    // Prepare: a closed case, erased.
    const c = await store.getByReference(reference);
    if (!c) throw new Error('no case');
    await store.create(
      {
        ...c,
        caseId: randomUUID(),
        reference: 'CMP-2025-000888',
        version: 1,
        status: 'closed',
        closedAt: '2025-05-02T10:00:00.000Z',
      },
      { at: '2025-03-01T10:00:00.000Z', type: 'received', actor: 'resident' },
    );
    const s = await session(DANA);
    const erased = await call(
      formPost(
        '/staff/cases/CMP-2025-000888/erase',
        { csrf: s.csrf, erasureGround: 'objection', erasureConfirm: 'yes' },
        { Cookie: s.cookie },
      ),
    );
    expect(erased.statusCode).toBe(303);

    // Act
    const page = await call(
      apiEvent('GET', '/staff/cases/CMP-2025-000888', { headers: { Accept: 'text/html', Cookie: s.cookie } }),
    );
    const note = await call(
      formPost(
        '/staff/cases/CMP-2025-000888/note',
        { csrf: s.csrf, note: 'Spoke to Grace Hopper again' },
        { Cookie: s.cookie },
      ),
    );

    // Assess
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('None: this case was erased.');
    expect(page.body).not.toContain('Add a note');
    expect(page.body).not.toContain('Letters go by');
    expect(page.body).not.toContain('What the resident told us');
    expect(note.statusCode).toBe(409);
    expect(note.body).toContain('This case was erased');
    const after = await store.getByReference('CMP-2025-000888');
    expect(JSON.stringify(after)).not.toContain('Grace Hopper');

    // Erasing again (as after a failure part-way) finishes the job and keeps the erasure's own
    // event, though views of the erased case came after it.
    const again = await call(
      formPost('/staff/cases/CMP-2025-000888/erase', { csrf: s.csrf }, { Cookie: s.cookie }),
    );
    expect(again.statusCode).toBe(303);
    const history = await store.events(after?.caseId as string);
    expect(history.map((e) => e.type)).toContain('erased');
    expect(history.map((e) => e.type)).not.toContain('received');
  });

  it('offers to finish an erasure that stopped part-way, and refuses a hold on it (409)', async () => {
    // Prepare: a closed case marked for erasure whose archive step failed.
    const c = await store.getByReference(reference);
    if (!c) throw new Error('no case');
    await store.create(
      {
        ...c,
        caseId: randomUUID(),
        reference: 'CMP-2025-000889',
        version: 1,
        status: 'closed',
        closedAt: '2025-05-02T10:00:00.000Z',
        erasureStarted: { at: '2026-03-04T09:00:00.000Z', by: DANA.email, ground: 'objection' },
      },
      { at: '2025-03-01T10:00:00.000Z', type: 'received', actor: 'resident' },
    );
    const s = await session(DANA);
    const open = () =>
      call(
        apiEvent('GET', '/staff/cases/CMP-2025-000889', {
          headers: { Accept: 'text/html', Cookie: s.cookie },
        }),
      );

    // Act
    const page = await open();
    const hold = await call(
      formPost(
        '/staff/cases/CMP-2025-000889/legal-hold',
        { csrf: s.csrf, holdReason: 'litigation' },
        { Cookie: s.cookie },
      ),
    );
    const team = await session(TEAM);
    const enquiry = await call(
      formPost(
        '/staff/cases/CMP-2025-000889/ombudsman',
        { csrf: team.csrf, ombudsman: 'lgsco' },
        { Cookie: team.cookie },
      ),
    );
    const finished = await call(
      formPost('/staff/cases/CMP-2025-000889/erase', { csrf: s.csrf }, { Cookie: s.cookie }),
    );

    // Assess
    expect(page.body).toContain('An erasure of this case was started on');
    expect(page.body).toContain('Finish erasing the case');
    expect(page.body).not.toContain('Place legal hold');
    expect(hold.statusCode).toBe(409);
    expect(hold.body).toContain('being erased');
    expect(enquiry.statusCode).toBe(409);
    expect(finished.statusCode).toBe(303);
    const after = await store.getByReference('CMP-2025-000889');
    expect(after?.erasure?.ground).toBe('objection');
    expect(JSON.stringify(after)).not.toContain('Grace Hopper');
    expect((await open()).body).not.toContain('Finish erasing the case');
  });

  it('refuses a role that may not erase before saying whether the case exists (403, audited)', async () => {
    const s = await session(TEAM);
    const result = await call(
      formPost(
        '/staff/cases/CMP-2099-999999/erase',
        { csrf: s.csrf, erasureGround: 'objection' },
        { Cookie: s.cookie },
      ),
    );
    expect(result.statusCode).toBe(403);
  });

  it('refuses a form without the session’s anti-forgery token (403)', async () => {
    const s = await session(DANA);
    const result = await call(
      formPost(
        `/staff/cases/${reference}/legal-hold`,
        { csrf: 'forged', holdReason: 'other' },
        { Cookie: s.cookie },
      ),
    );
    expect(result.statusCode).toBe(403);
  });

  it('keeps a hold to a new review date from the case page: the page again with its error (400) without one, refused to the complaints team (403)', async () => {
    // Prepare: a hold with a review date, on a case of its own.
    const c = await store.getByReference(reference);
    if (!c) throw new Error('no case');
    const other = { ...c, caseId: randomUUID(), reference: 'CMP-2026-000901', version: 1 };
    await store.create(other, { at: NOW.toISOString(), type: 'received', actor: 'resident' });
    const s = await session(DANA);
    const at = (action: string, fields: Record<string, string>, who = s) =>
      call(
        formPost(
          `/staff/cases/CMP-2026-000901/${action}`,
          { csrf: who.csrf, ...fields },
          { Cookie: who.cookie },
        ),
      );
    await at('legal-hold', {
      holdReason: 'litigation',
      'holdReview-day': '1',
      'holdReview-month': '6',
      'holdReview-year': '2026',
    });

    // Act
    const missing = await at('legal-hold/review', { holdReviewNote: 'Claim stayed' });
    const refused = await at('legal-hold/review', { 'holdNextReview-day': '1' }, await session(TEAM));
    const kept = await at('legal-hold/review', {
      'holdNextReview-day': '1',
      'holdNextReview-month': '12',
      'holdNextReview-year': '2026',
      holdReviewNote: 'Claim stayed until December',
    });

    // Assess
    expect(missing.statusCode).toBe(400);
    expect(missing.body).toContain('href="#holdNextReview-day"');
    expect(missing.body).toContain('Enter the next review date');
    expect(missing.body).toContain('Claim stayed');
    expect(refused.statusCode).toBe(403);
    expect(kept.statusCode).toBe(303);
    expect(kept.headers?.Location).toBe('/staff/cases/CMP-2026-000901?done=hold-reviewed');
    expect((await store.getByReference('CMP-2026-000901'))?.legalHold).toMatchObject({
      reason: 'litigation',
      reviewBy: '2026-12-01',
      note: 'Claim stayed until December',
    });
    expect(audit.entries.at(-1)).toMatchObject({
      action: 'hold.review',
      detail: 'next review 2026-12-01; was 2026-06-01',
    });
  });
});

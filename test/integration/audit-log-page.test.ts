/**
 * The audit log's page, in-process against DynamoDB Local: the deployed API's staff routes with
 * the real staff store and audit log, sessions made as the sign-in makes them.
 */
import type { APIGatewayProxyResult } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbAuditLog } from '../../functions/adapters/dynamodb-audit-log.js';
import { DynamoDbCaseStore } from '../../functions/adapters/dynamodb-case-store.js';
import { DynamoDbStaffStore } from '../../functions/adapters/dynamodb-staff-store.js';
import { recordAudit } from '../../functions/app/audit.js';
import { type AuditRouteDeps, auditRoutes } from '../../functions/app/audit-routes.js';
import type { AuditEntry } from '../../functions/domain/audit.js';
import { loadPolicy } from '../../functions/domain/policy.js';
import type { StaffMember } from '../../functions/domain/staff.js';
import { apiEvent } from '../support/api-event.js';
import { newCaseTable } from '../support/case-table.js';
import { type StandIns, startStandIns } from '../support/stand-ins.js';
import { staffSession, workspaceApi, workspaceDeps } from '../support/workspace-api.js';

const policy = loadPolicy('lgsco-code-2024');
const NOW = new Date('2026-03-04T10:00:00Z');
const staff = (sub: string, name: string, roles: StaffMember['roles']): StaffMember => ({
  sub,
  email: `${sub}@example.gov.uk`,
  name,
  roles,
  services: [],
});
const DPO = staff('dana', 'Dana Okafor', ['data-protection']);
const ADMIN = staff('robin', 'Robin Taylor', ['administrator']);
const TEAM = staff('casey', 'Casey Morgan', ['complaints-team']);

let standIns: StandIns;
let staffStore: DynamoDbStaffStore;
let audit: DynamoDbAuditLog;
let deps: AuditRouteDeps;
let api: ReturnType<typeof workspaceApi>;

const session = async (who: StaffMember) => (await staffSession(staffStore, who, NOW)).cookie;

async function auditPage(who: StaffMember, month?: string): Promise<APIGatewayProxyResult> {
  return api(
    apiEvent('GET', '/staff/audit', {
      headers: { Accept: 'text/html', Cookie: await session(who) },
      ...(month ? { query: { month } } : {}),
    }),
  );
}

async function entries(month: string): Promise<AuditEntry[]> {
  const out: AuditEntry[] = [];
  for await (const e of audit.between(month, month)) out.push(e);
  return out;
}

describe('the audit log page', () => {
  beforeAll(async () => {
    standIns = await startStandIns(['dynamodb']);
    const tableName = await newCaseTable();
    staffStore = new DynamoDbStaffStore({ tableName });
    audit = new DynamoDbAuditLog({ tableName });
    const store = new DynamoDbCaseStore({ tableName });
    deps = workspaceDeps({ store, staffStore, policy, now: () => NOW, audit });
    api = workspaceApi(deps, auditRoutes);
  }, 120_000);

  afterAll(async () => {
    await standIns?.stop();
  });

  it('shows data protection the month’s entries, newest first, naming cases by reference', async () => {
    await recordAudit(deps, DPO, 'hold.place', {
      subject: { caseId: 'c-1', reference: 'CMP-2026-000001' },
      detail: 'Litigation',
    });
    await recordAudit({ ...deps, now: () => new Date(NOW.getTime() + 60_000) }, DPO, 'erase', {
      subject: { caseId: 'c-2', reference: 'CMP-2026-000002' },
      detail: 'Consent withdrawn',
    });

    const page = await auditPage(DPO);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Audit log: March 2026');
    expect(page.body).toContain('href="/staff/audit"');
    const erased = page.body.indexOf('Erased a case');
    const held = page.body.indexOf('Placed a legal hold');
    expect(erased).toBeGreaterThan(0);
    expect(held).toBeGreaterThan(erased);
    expect(page.body).toContain('href="/staff/cases/CMP-2026-000001"');
    expect(page.body).toContain('dana@example.gov.uk');
    expect(page.body).toContain('data protection officer');
  });

  it('lets an administrator read it, and moves between months', async () => {
    const page = await auditPage(ADMIN, '2026-02');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Nothing was recorded in February 2026.');
    expect(page.body).toContain('month=2026-03');
    expect(page.body).toContain('month=2026-01');
  });

  it('refuses the complaints team with 403, hides the link, and records the refusal', async () => {
    const before = (await entries('2026-03')).length;
    const page = await auditPage(TEAM);
    expect(page.statusCode).toBe(403);
    const after = await entries('2026-03');
    expect(after).toHaveLength(before + 1);
    // Entries of the same instant are in no set order: find the refusal.
    expect(after.find((e) => e.action === 'refused')).toMatchObject({
      action: 'refused',
      actor: TEAM.email,
      attempted: 'read the audit log',
    });

    const queue = await api(
      apiEvent('GET', '/staff', { headers: { Accept: 'text/html', Cookie: await session(TEAM) } }),
    );
    expect(queue.statusCode).toBe(200);
    expect(queue.body).not.toContain('Audit log');
  });

  it('answers a month that is not one, or one to come, with 400', async () => {
    expect((await auditPage(DPO, '2026-13')).statusCode).toBe(400);
    expect((await auditPage(DPO, 'March')).statusCode).toBe(400);
    expect((await auditPage(DPO, '2027-01')).statusCode).toBe(400);
  });

  it('files an entry under its London month: half past midnight on 1 June (BST) is on June’s page', async () => {
    // 23:30 on 31 May in UTC is 00:30 on 1 June in London, the time the page shows.
    const late = new Date('2026-05-31T23:30:00Z');
    const lateDeps = { ...deps, now: () => late, sessionClock: () => late };
    const lateApi = workspaceApi(lateDeps, auditRoutes);
    await recordAudit(lateDeps, DPO, 'hold.lift', {
      subject: { caseId: 'c-3', reference: 'CMP-2026-000003' },
      detail: 'after midnight',
    });
    const cookie = (await staffSession(staffStore, DPO, late)).cookie;
    const page = (month?: string) =>
      lateApi(
        apiEvent('GET', '/staff/audit', {
          headers: { Accept: 'text/html', Cookie: cookie },
          ...(month ? { query: { month } } : {}),
        }),
      );

    const thisMonth = await page();
    expect(thisMonth.body).toContain('Audit log: June 2026');
    expect(thisMonth.body).toContain('1 June 2026 at 12:30am');
    const june = await page('2026-06');
    expect(june.statusCode).toBe(200);
    expect(june.body).toContain('CMP-2026-000003');
    const may = await page('2026-05');
    expect(may.body).not.toContain('CMP-2026-000003');
  });
});

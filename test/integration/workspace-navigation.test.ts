/**
 * The workspace's navigation against its routes, in-process against DynamoDB Local and the S3
 * stand-in: for a member of staff of every role, each section the navigation offers opens (200),
 * and each it leaves out refuses them (403), so the navigation and the routes' role checks agree.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbAuditLog } from '../../functions/adapters/dynamodb-audit-log.js';
import { DynamoDbCaseStore } from '../../functions/adapters/dynamodb-case-store.js';
import { DynamoDbStaffStore } from '../../functions/adapters/dynamodb-staff-store.js';
import { DynamoDbSubjectAccessRegister } from '../../functions/adapters/dynamodb-subject-access-register.js';
import { S3Downloads } from '../../functions/adapters/s3-downloads.js';
import { S3RecordsControl } from '../../functions/adapters/s3-records-control.js';
import { auditRoutes } from '../../functions/app/audit-routes.js';
import {
  type DataProtectionRouteDeps,
  dataProtectionRoutes,
} from '../../functions/app/data-protection-routes.js';
import { type RetentionRouteDeps, retentionRoutes } from '../../functions/app/retention-routes.js';
import { loadPolicy } from '../../functions/domain/policy.js';
import type { StaffMember, StaffRole } from '../../functions/domain/staff.js';
import { WORKSPACE_SECTIONS } from '../../functions/web/staff-pages.js';
import { apiEvent } from '../support/api-event.js';
import { newCaseTable } from '../support/case-table.js';
import { MemorySuppressionList } from '../support/memory-suppression-list.js';
import { type StandIns, startStandIns } from '../support/stand-ins.js';
import { staffSession, workspaceApi, workspaceDeps } from '../support/workspace-api.js';

const policy = loadPolicy('lgsco-code-2024');
const NOW = new Date('2026-03-04T10:00:00Z');
const ROLES: StaffRole[] = [
  'officer',
  'complaints-team',
  'nominated-officer',
  'director',
  'administrator',
  'data-protection',
];

let standIns: StandIns;
let staffStore: DynamoDbStaffStore;
let api: ReturnType<typeof workspaceApi>;

describe('the workspace’s navigation', () => {
  beforeAll(async () => {
    standIns = await startStandIns(['dynamodb', 's3']);
    const tableName = await newCaseTable();
    staffStore = new DynamoDbStaffStore({ tableName });
    const deps: DataProtectionRouteDeps & RetentionRouteDeps = workspaceDeps({
      store: new DynamoDbCaseStore({ tableName }),
      staffStore,
      policy,
      now: () => NOW,
      audit: new DynamoDbAuditLog({ tableName }),
      subjectAccess: new DynamoDbSubjectAccessRegister({ tableName }),
      downloads: new S3Downloads({ bucket: standIns.bucket }),
      control: new S3RecordsControl({ bucket: standIns.bucket }),
      // Erasure's request to SES to forget an address: not what this test is about.
      suppressions: new MemorySuppressionList(),
    });
    api = workspaceApi(deps, auditRoutes, dataProtectionRoutes, retentionRoutes);
  }, 120_000);

  afterAll(async () => {
    await standIns?.stop();
  });

  it.each(ROLES)(
    'offers a member of staff with the %s role exactly the sections that open for them',
    async (role) => {
      // Prepare
      const staff: StaffMember = {
        sub: role,
        email: `${role}@example.gov.uk`,
        name: `A ${role}`,
        roles: [role],
        services: role === 'officer' ? [policy.routing.services[0]?.id as string] : [],
      };
      const { cookie } = await staffSession(staffStore, staff, NOW);
      const get = (path: string) =>
        api(apiEvent('GET', path, { headers: { Accept: 'text/html', Cookie: cookie } }));

      // Act
      const home = await get('/staff');
      const nav = home.body.slice(home.body.indexOf('<nav'), home.body.indexOf('</nav>'));
      const offered = [...nav.matchAll(/href="([^"]+)"/g)].map((m) => m[1]);
      const answers = await Promise.all(
        WORKSPACE_SECTIONS.map(
          async (s) => [`/staff${s.path}`, (await get(`/staff${s.path}`)).statusCode] as const,
        ),
      );

      // Assess
      expect(home.statusCode).toBe(200);
      expect(offered.length).toBeGreaterThan(2);
      for (const [path, status] of answers) expect(status, path).toBe(offered.includes(path) ? 200 : 403);
      expect(offered.every((href) => answers.some(([path]) => path === href))).toBe(true);
    },
  );
});

import type { AuditLog } from '../domain/ports.js';
import { html } from '../http/responses.js';
import type { Router } from '../http/router.js';
import { staffAuditPage } from '../web/staff-pages.js';
import { auditMonth } from './audit.js';
import { type StaffDeps, signedIn, staffHeaders } from './staff-routes.js';

export type AuditRouteDeps = StaffDeps & { audit: AuditLog };

/** The audit log's page: `GET /staff/audit?month=YYYY-MM` (this month when none is given). */
export function auditRoutes(router: Router, deps: AuditRouteDeps): void {
  router.on(
    'GET',
    '/staff/audit',
    signedIn(deps, async (event, _params, who) => {
      const found = await auditMonth(deps, who.staff, event.queryStringParameters?.month);
      return html(
        200,
        staffAuditPage({ staff: who.staff, csrf: who.csrf, policy: deps.policy, ...found }),
        staffHeaders(deps),
      );
    }),
  );
}

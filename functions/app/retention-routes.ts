import { londonDate } from '../domain/calendar.js';
import type {
  ArchiveControl,
  AuditLog,
  CaseEraser,
  CaseStore,
  Downloads,
  StaffCaseQueries,
  SuppressionList,
} from '../domain/ports.js';
import { html } from '../http/responses.js';
import type { Router } from '../http/router.js';
import { staffHoldsPage } from '../web/legal-holds-page.js';
import { BASE_PATH } from '../web/render.js';
import { eraseCase, legalHolds, liftHold, placeHold, reviewHold } from './retention-actions.js';
import { caseAction, type StaffDeps, signedIn, staffHeaders } from './staff-routes.js';

/**
 * The workspace's dependencies, with the audit log, the archive's holds and erasure, the files
 * handed out for download, and a store that erases.
 */
export type RetentionRouteDeps = StaffDeps & {
  store: CaseStore & StaffCaseQueries & CaseEraser;
  control: ArchiveControl;
  audit: AuditLog;
  downloads: Downloads;
  suppressions: SuppressionList;
};

/**
 * Legal holds and erasure. The list of cases under a hold (`GET /staff/holds`, the data
 * protection team's). From the case page's "Retention" section, POST only, each a case page
 * form like the others (`caseAction`): a redirect to the case page (Post/Redirect/Get), the whole
 * case page again with the form's errors (400), a refusal by role (403) or by the case's state (409).
 */
export function retentionRoutes(router: Router, deps: RetentionRouteDeps): void {
  router
    .on(
      'GET',
      '/staff/holds',
      signedIn(deps, async (event, _params, who) => {
        const cursor = event.queryStringParameters?.cursor;
        const page = await legalHolds(deps, who.staff, cursor);
        return html(
          200,
          staffHoldsPage({
            staff: who.staff,
            csrf: who.csrf,
            policy: deps.policy,
            entries: page.entries,
            today: londonDate(deps.now().toISOString()),
            ...(page.next
              ? { nextHref: `${BASE_PATH}/staff/holds?${new URLSearchParams({ cursor: page.next })}` }
              : {}),
          }),
          staffHeaders(deps),
        );
      }),
    )
    .on(
      'POST',
      '/staff/cases/{reference}/legal-hold/review',
      signedIn(
        deps,
        caseAction(
          deps,
          (who, reference, body) => reviewHold(deps, who.staff, reference, body),
          'hold-reviewed',
        ),
      ),
    )
    .on(
      'POST',
      '/staff/cases/{reference}/legal-hold',
      signedIn(
        deps,
        caseAction(deps, (who, reference, body) => placeHold(deps, who.staff, reference, body), 'held'),
      ),
    )
    .on(
      'POST',
      '/staff/cases/{reference}/legal-hold/lift',
      signedIn(
        deps,
        caseAction(deps, (who, reference) => liftHold(deps, who.staff, reference), 'hold-lifted'),
      ),
    )
    .on(
      'POST',
      '/staff/cases/{reference}/erase',
      signedIn(
        deps,
        caseAction(deps, (who, reference, body) => eraseCase(deps, who.staff, reference, body), 'erased'),
      ),
    );
}

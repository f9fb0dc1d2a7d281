import type {
  ArchiveControl,
  AuditLog,
  CaseEraser,
  CaseStore,
  Downloads,
  StaffCaseQueries,
  SuppressionList,
} from '../domain/ports.js';
import type { Router } from '../http/router.js';
import { eraseCase, liftHold, placeHold } from './retention-actions.js';
import { caseAction, type StaffDeps, signedIn } from './staff-routes.js';

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
 * Legal holds and erasure, from the case page's "Retention" section: POST only, each a case page
 * form like the others (`caseAction`): a redirect to the case page (Post/Redirect/Get), the whole
 * case page again with the form's errors (400), a refusal by role (403) or by the case's state (409).
 */
export function retentionRoutes(router: Router, deps: RetentionRouteDeps): void {
  router
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

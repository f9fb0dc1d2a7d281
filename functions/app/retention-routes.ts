import type { APIGatewayProxyResult } from 'aws-lambda';
import type { ArchiveControl, AuditLog, CaseEraser, CaseStore, StaffCaseQueries } from '../domain/ports.js';
import { canAcceptLateStage2, canDesignate, canReopen, seesAllCases } from '../domain/staff.js';
import { ValidationError } from '../http/errors.js';
import { html } from '../http/responses.js';
import type { Router } from '../http/router.js';
import { staffCasePage } from '../web/staff-pages.js';
import { eraseCase, liftHold, placeHold } from './retention-actions.js';
import { openCase, reassignOptions } from './staff-actions.js';
import { type StaffDeps, seeOther, signedIn, staffHeaders } from './staff-routes.js';
import { type SignedIn, STAFF_PATH } from './staff-session.js';

/** The workspace's dependencies, with the audit log, the archive's holds and erasure, and a store that erases. */
export type RetentionRouteDeps = StaffDeps & {
  store: CaseStore & StaffCaseQueries & CaseEraser;
  control: ArchiveControl;
  audit: AuditLog;
};

/** The case page again, with the form's errors (400), as the workspace's other case forms do. */
async function caseWithErrors(
  deps: RetentionRouteDeps,
  who: SignedIn,
  reference: string,
  error: ValidationError,
  values: Record<string, unknown>,
): Promise<APIGatewayProxyResult> {
  const { record, events } = await openCase(deps, who.staff, reference);
  return html(
    400,
    staffCasePage({
      staff: who.staff,
      csrf: who.csrf,
      policy: deps.policy,
      record,
      events,
      reassignTargets: await reassignOptions(deps),
      canRecordOmbudsman: seesAllCases(who.staff),
      canReopen: canReopen(who.staff),
      canDesignate: canDesignate(who.staff),
      canAcceptLate: canAcceptLateStage2(who.staff),
      errors: error.fields,
      values,
    }),
    staffHeaders(deps),
  );
}

/**
 * Legal holds and erasure, from the case page's "Retention" section: POST only, each answered
 * with a redirect to the case page (Post/Redirect/Get), the form again with its errors (400), a
 * refusal by role (403) or by the case's state (409).
 */
export function retentionRoutes(router: Router, deps: RetentionRouteDeps): void {
  const back = (reference: string, done: string) =>
    seeOther(`${STAFF_PATH}/cases/${encodeURIComponent(reference)}?done=${done}`);
  const withErrors =
    (run: (who: SignedIn, reference: string, body: Record<string, unknown>) => Promise<string>) =>
    async (
      _event: unknown,
      { reference }: Record<string, string>,
      who: SignedIn,
      body: Record<string, unknown>,
    ): Promise<APIGatewayProxyResult> => {
      try {
        return back(reference as string, await run(who, reference as string, body));
      } catch (error: unknown) {
        if (error instanceof ValidationError) {
          return caseWithErrors(deps, who, reference as string, error, body);
        }
        throw error;
      }
    };
  router
    .on(
      'POST',
      '/staff/cases/{reference}/legal-hold',
      signedIn(
        deps,
        withErrors(async (who, reference, body) => {
          await placeHold(deps, who.staff, reference, body);
          return 'held';
        }),
      ),
    )
    .on(
      'POST',
      '/staff/cases/{reference}/legal-hold/lift',
      signedIn(
        deps,
        withErrors(async (who, reference) => {
          await liftHold(deps, who.staff, reference);
          return 'hold-lifted';
        }),
      ),
    )
    .on(
      'POST',
      '/staff/cases/{reference}/erase',
      signedIn(
        deps,
        withErrors(async (who, reference, body) => {
          await eraseCase(deps, who.staff, reference, body);
          return 'erased';
        }),
      ),
    );
}

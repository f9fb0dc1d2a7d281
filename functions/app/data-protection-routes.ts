import type { APIGatewayProxyResult } from 'aws-lambda';
import { endOfLondonDay } from '../domain/calendar.js';
import type { Downloads } from '../domain/ports.js';
import { urgencyOf } from '../domain/staff.js';
import { isOutstanding, mayStillExtend, todayIn } from '../domain/subject-access.js';
import { ValidationError } from '../http/errors.js';
import { html } from '../http/responses.js';
import type { Router } from '../http/router.js';
import {
  DATA_PROTECTION_PATH,
  newRequestPage,
  rectifyPage,
  registerPage,
  requestPage,
  requestPath,
} from '../web/data-protection-pages.js';
import type { DataProtectionDeps } from './data-protection.js';
import { downloadResponse } from './download-response.js';
import { caseToRectify, currentValues, rectify } from './rectification.js';
import { doneMessage, type StaffDeps, seeOther, signedIn, staffHeaders } from './staff-routes.js';
import { type SignedIn, STAFF_PATH } from './staff-session.js';
import {
  completeRequest,
  confirmCases,
  exportRequest,
  extendRequest,
  findCases,
  openRequest,
  register,
  requestFor,
} from './subject-access.js';

/** Everything the data protection pages need: the workspace's, and the register and audit log. */
export type DataProtectionRouteDeps = StaffDeps & DataProtectionDeps & { downloads: Downloads };

/** What a successful action says on the page it returns to (Post/Redirect/Get). */
const DONE: Record<string, string> = {
  opened: 'The request is recorded. Its deadline is on the register.',
  found: 'The search is done. Confirm which cases are this person’s.',
  confirmed: 'The cases are confirmed. You can now export their data.',
  extended: 'The deadline is extended by two months. Tell the person why, within the first month.',
  completed: 'The request is completed.',
};

/**
 * The data protection pages of the staff workspace: `/staff/data-protection` (the subject access
 * register), each request's page and actions, and correcting a case's contact details. Each use
 * case checks the person's role itself and audits a refusal; here only the pages and PRG.
 */
export function dataProtectionRoutes(router: Router, deps: DataProtectionRouteDeps): void {
  const page = (body: string, status = 200): APIGatewayProxyResult => html(status, body, staffHeaders(deps));
  const chrome = (who: SignedIn) => ({ staff: who.staff, csrf: who.csrf, policy: deps.policy });

  const showRequest = async (
    who: SignedIn,
    id: string,
    extra: { errors?: Record<string, string>; values?: Record<string, unknown>; done?: string } = {},
    status = 200,
  ) => {
    const found = await requestFor(deps, who.staff, id);
    const urgency = isOutstanding(found.request)
      ? urgencyOf(endOfLondonDay(found.request.dueOn), deps.now(), deps.policy)
      : undefined;
    const tooLateToExtend = !mayStillExtend(found.request.receivedOn, todayIn(deps.now()), deps.policy);
    return page(
      requestPage({ ...chrome(who), ...found, ...(urgency ? { urgency } : {}), tooLateToExtend, ...extra }),
      status,
    );
  };

  /** A request's action: PRG on success; the request page with the errors (400) otherwise. */
  const action = (
    run: (who: SignedIn, id: string, body: Record<string, unknown>) => Promise<unknown>,
    done: string,
  ) =>
    signedIn(deps, async (_event, { id }, who, body) => {
      try {
        await run(who, id as string, body);
      } catch (error: unknown) {
        if (error instanceof ValidationError) {
          return showRequest(who, id as string, { errors: error.fields, values: body }, 400);
        }
        throw error;
      }
      return seeOther(`${requestPath(id as string)}?done=${done}`);
    });

  router
    .on(
      'GET',
      '/staff/data-protection',
      signedIn(deps, async (event, _params, who) => {
        const entries = await register(deps, who.staff);
        const done = doneMessage(DONE, event.queryStringParameters?.done);
        return page(registerPage({ ...chrome(who), entries, ...(done ? { done } : {}) }));
      }),
    )
    .on(
      'GET',
      '/staff/data-protection/new',
      signedIn(deps, async (_event, _params, who) => {
        // The form opens only for those who may record a request (the register's check).
        await register(deps, who.staff);
        return page(newRequestPage(chrome(who)));
      }),
    )
    .on(
      'POST',
      '/staff/data-protection/requests',
      signedIn(deps, async (_event, _params, who, body) => {
        try {
          const request = await openRequest(deps, who.staff, body);
          return seeOther(`${requestPath(request.id)}?done=opened`);
        } catch (error: unknown) {
          if (!(error instanceof ValidationError)) throw error;
          return page(newRequestPage({ ...chrome(who), values: body, errors: error.fields }), 400);
        }
      }),
    )
    .on(
      'GET',
      '/staff/data-protection/requests/{id}',
      signedIn(deps, async (event, { id }, who) => {
        const done = doneMessage(DONE, event.queryStringParameters?.done);
        return showRequest(who, id as string, done ? { done } : {});
      }),
    )
    .on(
      'POST',
      '/staff/data-protection/requests/{id}/find',
      action((who, id) => findCases(deps, who.staff, id), 'found'),
    )
    .on(
      'POST',
      '/staff/data-protection/requests/{id}/confirm',
      action((who, id, body) => confirmCases(deps, who.staff, id, body), 'confirmed'),
    )
    .on(
      'POST',
      '/staff/data-protection/requests/{id}/extend',
      action((who, id, body) => extendRequest(deps, who.staff, id, body), 'extended'),
    )
    .on(
      'POST',
      '/staff/data-protection/requests/{id}/complete',
      action((who, id) => completeRequest(deps, who.staff, id), 'completed'),
    )
    .on(
      'POST',
      '/staff/data-protection/requests/{id}/export',
      // A download that changes the register (the export is an event on it, and an entry in the
      // audit log), so a form post with the session's anti-forgery token: a prefetched or
      // forged link cannot make one, and a refresh of the request page does not make another.
      signedIn(deps, async (_event, { id }, who) => {
        // Handed over before it is recorded: a ZIP S3 could not take is no export.
        const { handedOver } = await exportRequest(
          deps,
          who.staff,
          id as string,
          ({ zip, filename, caseIds }) =>
            downloadResponse(deps, { body: zip, filename, contentType: 'application/zip', caseIds }),
        );
        return handedOver;
      }),
    )
    .on(
      'GET',
      '/staff/data-protection/requests/{id}/export',
      // An address kept from before the export was a form: the request's page, with its button.
      signedIn(deps, async (_event, { id }) => seeOther(requestPath(id as string))),
    )
    .on(
      'GET',
      '/staff/cases/{reference}/contact-details',
      signedIn(deps, async (_event, { reference }, who) => {
        const record = await caseToRectify(deps, who.staff, reference as string);
        const archived =
          record.status === 'closed' && (await deps.archive.getCaseFile(record.caseId)) !== undefined;
        return page(rectifyPage({ ...chrome(who), record, archived, values: currentValues(record) }));
      }),
    )
    .on(
      'POST',
      '/staff/cases/{reference}/contact-details',
      signedIn(deps, async (_event, { reference }, who, body) => {
        try {
          const { record } = await rectify(deps, who.staff, reference as string, body);
          return seeOther(`${STAFF_PATH}/cases/${encodeURIComponent(record.reference)}?done=rectified`);
        } catch (error: unknown) {
          if (!(error instanceof ValidationError)) throw error;
          const record = await caseToRectify(deps, who.staff, reference as string);
          const archived =
            record.status === 'closed' && (await deps.archive.getCaseFile(record.caseId)) !== undefined;
          return page(
            rectifyPage({ ...chrome(who), record, archived, values: body, errors: error.fields }),
            400,
          );
        }
      }),
    );
}

export { DATA_PROTECTION_PATH };

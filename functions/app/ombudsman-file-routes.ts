import type { APIGatewayProxyEvent } from 'aws-lambda';
import type { Downloads } from '../domain/ports.js';
import { ValidationError } from '../http/errors.js';
import { html } from '../http/responses.js';
import type { Router } from '../http/router.js';
import { ombudsmanFileSentPage } from '../web/ombudsman-file-pages.js';
import { downloadResponse } from './download-response.js';
import {
  markOmbudsmanFileSent,
  type OmbudsmanFileDeps,
  type OmbudsmanFileFormat,
  ombudsmanFile,
  requireOmbudsmanFileRole,
} from './ombudsman-file.js';
import { caseFor } from './staff-actions.js';
import { type StaffDeps, seeOther, signedIn, staffHeaders } from './staff-routes.js';
import { type SignedIn, STAFF_PATH } from './staff-session.js';

export type OmbudsmanFileRouteDeps = StaffDeps & OmbudsmanFileDeps & { downloads: Downloads };

/**
 * What was asked for: `?format=pdf` or `zip` when given (the workspace's links); otherwise the
 * Accept header, so `Accept: application/pdf` gives the PDF alone and anything else the ZIP.
 */
export function requestedFormat(
  event: Pick<APIGatewayProxyEvent, 'headers' | 'queryStringParameters'>,
): OmbudsmanFileFormat {
  const format = event.queryStringParameters?.format;
  if (format === 'pdf' || format === 'zip') return format;
  const accept = Object.entries(event.headers ?? {}).find(([k]) => k.toLowerCase() === 'accept')?.[1] ?? '';
  return /application\/pdf/i.test(accept) && !/application\/zip/i.test(accept) ? 'pdf' : 'zip';
}

/**
 * The Ombudsman's case file: `GET /staff/cases/{reference}/ombudsman-file` (the ZIP, or the PDF
 * with `Accept: application/pdf` or `?format=pdf`) and marking it sent
 * (`GET|POST /staff/cases/{reference}/ombudsman-file/sent`, Post/Redirect/Get to the case page).
 */
export function ombudsmanFileRoutes(router: Router, deps: OmbudsmanFileRouteDeps): void {
  const sentPage = async (
    who: SignedIn,
    reference: string,
    extra: { values?: Record<string, unknown>; errors?: Record<string, string> } = {},
    status = 200,
  ) => {
    await requireOmbudsmanFileRole(
      deps,
      who.staff,
      reference,
      'open the form to mark the Ombudsman’s case file as sent',
    );
    const record = await caseFor(deps, who.staff, reference);
    const events = await deps.store.events(record.caseId);
    return html(
      status,
      ombudsmanFileSentPage({
        staff: who.staff,
        csrf: who.csrf,
        policy: deps.policy,
        record,
        events,
        ...extra,
      }),
      staffHeaders(deps),
    );
  };
  router
    .on(
      'GET',
      '/staff/cases/{reference}/ombudsman-file',
      signedIn(deps, async (event, { reference }, who) => {
        const file = await ombudsmanFile(deps, who.staff, reference as string, requestedFormat(event));
        return downloadResponse(deps, file);
      }),
    )
    .on(
      'GET',
      '/staff/cases/{reference}/ombudsman-file/sent',
      signedIn(deps, async (_event, { reference }, who) => sentPage(who, reference as string)),
    )
    .on(
      'POST',
      '/staff/cases/{reference}/ombudsman-file/sent',
      signedIn(deps, async (_event, { reference }, who, body) => {
        try {
          const record = await markOmbudsmanFileSent(deps, who.staff, reference as string, body);
          return seeOther(
            `${STAFF_PATH}/cases/${encodeURIComponent(record.reference)}?done=ombudsman-file-sent`,
          );
        } catch (error: unknown) {
          if (!(error instanceof ValidationError)) throw error;
          return sentPage(who, reference as string, { values: body, errors: error.fields }, 400);
        }
      }),
    );
}

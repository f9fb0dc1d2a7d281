import type { APIGatewayProxyEvent } from 'aws-lambda';
import { replacementOf } from '../domain/case.js';
import { residentToldBy } from '../domain/case-clock.js';
import { type LinkClaims, LinkVerificationError, verifyLink } from '../domain/links.js';
import type { Policy } from '../domain/policy-schema.js';
import type { Archive, CaseStore } from '../domain/ports.js';
import { LinkError } from '../http/errors.js';
import { html } from '../http/responses.js';
import type { Router } from '../http/router.js';
import { casePage } from '../web/render.js';
import { securityHeaders } from '../web/security-headers.js';

/** What the officer's case view needs. */
export interface CaseViewDeps {
  store: CaseStore;
  archive: Archive;
  policy: Policy;
  now: () => Date;
  linkSecrets: () => Promise<string[]>;
}

/** How long a case-view link in an email stays valid. */
/**
 * `GET /cases/{reference}?link=…` — the case and its timeline, for an officer holding a signed
 * case-view link. Nothing here changes the case; each view is recorded in its history.
 */
export function caseRoutes(router: Router, deps: CaseViewDeps): void {
  /**
   * `GET /cases/{reference}/letters/{letter}?link=…` — a printed letter (PDF) stored with the
   * case, for the mailbox sent the "print and post" email.
   */
  router.on('GET', '/cases/{reference}/letters/{letter}', async (event, { reference, letter }) => {
    const claims = await verified(deps, event);
    const record = await deps.store.getByReference(reference as string);
    if (!record || claims.a !== 'letter' || claims.c !== record.caseId || claims.t !== letter) {
      throw new LinkError(403, 'This link is not valid');
    }
    // Written again since the email (to a corrected address, or with a later date): the letter it
    // links to is not to be posted, and is not offered (`readdressed-letters.ts`).
    const replaced = replacementOf(await deps.store.events(record.caseId), letter as string);
    if (replaced) {
      throw new LinkError(
        410,
        replaced.because === 'date'
          ? 'This letter is not to be posted: it was written again with a later date. Print the new one from the list of letters to post in the staff workspace.'
          : 'This letter is not to be posted: the resident’s name or address was corrected, and it was written again to the corrected address. Print the new one from the list of letters to post in the staff workspace.',
      );
    }
    const pdf = await deps.archive.getLetter(record.caseId, letter as string);
    if (!pdf) throw new LinkError(404, 'This letter is no longer kept');
    await recordView(deps, record.caseId, claims, `printed letter ${letter}`);
    return {
      statusCode: 200,
      headers: {
        ...securityHeaders(),
        'Content-Type': 'application/pdf',
        'Content-Disposition': `inline; filename="${record.reference}-${letter}.pdf"`,
        // Personal data: never kept by a browser cache or a proxy.
        'Cache-Control': 'no-store',
      },
      body: Buffer.from(pdf).toString('base64'),
      isBase64Encoded: true,
    };
  });

  router.on('GET', '/cases/{reference}', async (event: APIGatewayProxyEvent, { reference }) => {
    const claims = await verified(deps, event);
    const record = await deps.store.getByReference(reference as string);
    if (!record || claims.a !== 'case-view' || claims.c !== record.caseId) {
      throw new LinkError(403, 'This link is not valid');
    }
    await recordView(deps, record.caseId, claims, 'case and contact details');
    const events = await deps.store.events(record.caseId);
    const service = deps.policy.routing.services.find((s) => s.id === record.service);
    const told = residentToldBy(deps.policy, record);
    return html(
      200,
      casePage({
        record,
        events,
        councilName: deps.policy.council,
        ...(service ? { serviceName: service.name } : {}),
        ...(told ? { residentToldBy: told } : {}),
      }),
      securityHeaders(),
    );
  });
}

/**
 * Records on the case that the person the link was sent to opened `what` through it, before it is
 * shown: these links show the resident's personal data to whoever holds them, without signing in,
 * so each use is accounted for as a view in the workspace is (`openCase`).
 */
async function recordView(
  deps: CaseViewDeps,
  caseId: string,
  claims: LinkClaims,
  what: string,
): Promise<void> {
  await deps.store.appendEvent(caseId, {
    at: deps.now().toISOString(),
    type: 'viewed',
    actor: claims.o,
    channel: 'link',
    detail: { what },
  });
}

/** The claims of the signed link in `?link=`, or the page that says what is wrong with it. */
async function verified(deps: CaseViewDeps, event: APIGatewayProxyEvent): Promise<LinkClaims> {
  const token = event.queryStringParameters?.link;
  if (!token) throw new LinkError(403, 'This page needs the link from your email');
  try {
    return verifyLink(token, await deps.linkSecrets(), deps.now());
  } catch (error: unknown) {
    if (error instanceof LinkVerificationError && error.reason === 'expired')
      throw new LinkError(410, 'This link has expired');
    throw new LinkError(403, 'This link is not valid');
  }
}

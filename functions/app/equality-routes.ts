import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { londonDate } from '../domain/calendar.js';
import { EQUALITY_RETENTION_YEARS, parseEqualityAnswers, tabulateEquality } from '../domain/equality.js';
import type { Language } from '../domain/language.js';
import { LinkVerificationError, verifyToken } from '../domain/links.js';
import type { Policy } from '../domain/policy-schema.js';
import type { EqualityStore } from '../domain/ports.js';
import { type CaseKind, FEEDBACK_KINDS } from '../domain/types.js';
import { ValidationError } from '../http/errors.js';
import { parseBody } from '../http/request.js';
import { html } from '../http/responses.js';
import type { Router } from '../http/router.js';
import { financialYear, financialYearName, financialYearOf } from '../reports/period.js';
import { equalityFormPage, equalityReportPage, equalityThanksPage } from '../web/equality-pages.js';
import { pageLanguage } from '../web/i18n.js';
import { BASE_PATH, linkProblemPage } from '../web/render.js';
import { withLanguage } from '../web/resident-pages.js';
import { securityHeaders } from '../web/security-headers.js';
import { EQUALITY_LINK_PURPOSE } from './equality-links.js';

/**
 * Equality monitoring (see `functions/domain/equality.ts`): the confirmation page offers a link
 * to optional questions; the answers are stored apart from the case, once per link; the
 * complaints team reads only the counts, at `GET /reports/equality`.
 *
 * The link carries a signed one-time token with a random id, the month and the kind of feedback,
 * never the case: the answers cannot be traced back to it, even by whoever holds the token.
 */
export interface EqualityDeps {
  equality: EqualityStore;
  policy: Policy;
  now: () => Date;
  linkSecrets: () => Promise<string[]>;
}

export { equalityPath } from './equality-links.js';

/** The language a page of the questions is asked in (`?lang=`), when the policy offers it. */
function languageOf(deps: EqualityDeps, event: APIGatewayProxyEvent): Language {
  return pageLanguage(deps.policy, event.queryStringParameters?.lang);
}

interface FormClaims {
  formId: string;
  month: string;
  kind: CaseKind;
  /** An opaque key of the feedback (links minted before it was added have none). */
  once?: string;
}

async function claimsOf(deps: EqualityDeps, token: string): Promise<FormClaims> {
  const claims = verifyToken(EQUALITY_LINK_PURPOSE, token, await deps.linkSecrets(), deps.now());
  const { n, m, k } = claims;
  if (
    typeof n !== 'string' ||
    typeof m !== 'string' ||
    !/^\d{4}-(0[1-9]|1[0-2])$/.test(m) ||
    !([...FEEDBACK_KINDS, 'social-care'] as readonly unknown[]).includes(k)
  ) {
    throw new LinkVerificationError('malformed');
  }
  const { g } = claims;
  if (g !== undefined && (typeof g !== 'string' || g.length > 100))
    throw new LinkVerificationError('malformed');
  return { formId: n, month: m, kind: k as CaseKind, ...(typeof g === 'string' ? { once: g } : {}) };
}

function linkProblem(deps: EqualityDeps, error: unknown, language: Language): APIGatewayProxyResult {
  if (!(error instanceof LinkVerificationError)) throw error;
  const status = error.reason === 'expired' ? 410 : 404;
  return html(
    status,
    linkProblemPage({
      status,
      councilName: deps.policy.council,
      contact: deps.policy.routing.complaintsTeam,
      language,
    }),
    securityHeaders(),
  );
}

export function equalityRoutes(router: Router, deps: EqualityDeps): void {
  router
    .on('GET', '/equality/done', async (event) =>
      html(
        200,
        equalityThanksPage({
          councilName: deps.policy.council,
          language: languageOf(deps, event),
          policy: deps.policy,
        }),
        securityHeaders(),
      ),
    )
    .on('GET', '/equality/{token}', async (event, params) => {
      const language = languageOf(deps, event);
      let claims: FormClaims;
      try {
        claims = await claimsOf(deps, params.token ?? '');
      } catch (error: unknown) {
        return linkProblem(deps, error, language);
      }
      return html(
        200,
        equalityFormPage({
          councilName: deps.policy.council,
          kind: claims.kind,
          language,
          policy: deps.policy,
          path: `/equality/${params.token ?? ''}`,
        }),
        securityHeaders(),
      );
    })
    .on('POST', '/equality/{token}', async (event, params) => {
      // The form posts back to its own address, `?lang=` and all.
      const language = languageOf(deps, event);
      let claims: FormClaims;
      try {
        claims = await claimsOf(deps, params.token ?? '');
      } catch (error: unknown) {
        return linkProblem(deps, error, language);
      }
      const { data } = parseBody(event);
      const body = typeof data === 'object' && data !== null ? (data as Record<string, unknown>) : {};
      const parsed = parseEqualityAnswers(body, language);
      if (!parsed.ok) {
        return html(
          400,
          equalityFormPage({
            councilName: deps.policy.council,
            kind: claims.kind,
            values: body,
            errors: parsed.errors,
            language,
            policy: deps.policy,
            path: `/equality/${params.token ?? ''}`,
          }),
          securityHeaders(),
        );
      }
      const expires = new Date(deps.now());
      expires.setUTCFullYear(expires.getUTCFullYear() + EQUALITY_RETENTION_YEARS);
      // A second post from the same link (a double click, the back button), or from another link
      // to the same feedback's questions (the confirmation page shown again), keeps the first answers.
      await deps.equality.record(
        claims.formId,
        { month: claims.month, kind: claims.kind, answers: parsed.answers },
        expires,
        claims.once,
      );
      // Post/Redirect/Get: a refresh of the thank-you page posts nothing again.
      return {
        statusCode: 303,
        headers: {
          Location: withLanguage(`${BASE_PATH}/equality/done`, language),
          'Cache-Control': 'no-store',
        },
        body: '',
      };
    })
    .on('GET', '/reports/equality', async (event) => {
      const today = londonDate(deps.now().toISOString());
      const current = financialYearOf(today);
      const raw = event.queryStringParameters?.year;
      const year = raw === undefined || raw === '' ? current : Number(raw);
      if (!/^\d{4}$/.test(raw ?? String(current)) || year < 2000 || year > current) {
        throw new ValidationError({
          year: `Choose a financial year from 2000 to ${current}, as a four-digit year such as ${current}`,
        });
      }
      const period = financialYear(year);
      const responses = deps.equality.between(period.from.slice(0, 7), period.to.slice(0, 7));
      const collected = [];
      for await (const r of responses) collected.push(r);
      return html(
        200,
        equalityReportPage({
          councilName: deps.policy.council,
          report: tabulateEquality(collected),
          period,
          yearText: financialYearName(year),
          ...(year > 2000 ? { previousYear: year - 1, previousYearText: financialYearName(year - 1) } : {}),
          ...(year < current ? { nextYear: year + 1, nextYearText: financialYearName(year + 1) } : {}),
        }),
        securityHeaders(),
      );
    });
}

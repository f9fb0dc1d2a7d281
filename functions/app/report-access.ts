import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { LinkVerificationError, signLink, verifyLink } from '../domain/links.js';
import { LinkError } from '../http/errors.js';
import { cookie } from '../http/request.js';
import type { RouteHandler, Router } from '../http/router.js';

/**
 * The officers' report pages show lessons-learned text that may name people, so they need a
 * signed link (emailed with the monthly report, or printed by `npm start`). The link sets a
 * cookie scoped to `/reports`, so the page's own links and date form keep working. The
 * anonymised JSON and CSV figures stay public: councils publish them (Dudley MBC Corporate Customer Feedback Procedure, June 2019, §7).
 */
const COOKIE = 'redress_reports';
const LINK_DAYS = 31;

/** A signed link to the report pages, valid for a month. */
export function reportsLink(baseUrl: string, secret: string, officer: string, now: Date): string {
  const token = signLink(
    {
      c: '-',
      t: 'reports',
      a: 'reports',
      o: officer.toLowerCase(),
      e: Math.floor(now.getTime() / 1000) + LINK_DAYS * 86_400,
    },
    secret,
  );
  return `${baseUrl}/reports?link=${token}`;
}

/** Routes registered through the returned router need a valid reports link or its cookie. */
export function officersOnly(
  router: Router,
  deps: { now: () => Date; linkSecrets: () => Promise<string[]> },
  paths: readonly string[],
): Router {
  const guard =
    (handler: RouteHandler): RouteHandler =>
    async (event: APIGatewayProxyEvent, params) => {
      const fromLink = event.queryStringParameters?.link;
      const token = fromLink ?? cookie(event, COOKIE);
      if (!token) throw new LinkError(403, 'Open the reports from the link in the monthly report email');
      try {
        const claims = verifyLink(token, await deps.linkSecrets(), deps.now());
        if (claims.a !== 'reports') throw new LinkError(403, 'This link is not valid');
      } catch (error: unknown) {
        if (error instanceof LinkVerificationError && error.reason === 'expired')
          throw new LinkError(410, 'This link has expired');
        if (error instanceof LinkError) throw error;
        throw new LinkError(403, 'This link is not valid');
      }
      const result: APIGatewayProxyResult = await handler(event, params);
      if (!fromLink) return result;
      return {
        ...result,
        headers: {
          ...result.headers,
          'Set-Cookie': `${COOKIE}=${token}; Path=/reports; HttpOnly; Secure; SameSite=Strict`,
        },
      };
    };
  const gated = Object.create(router) as Router;
  gated.on = (method, path, handler) => {
    router.on(method, path, paths.includes(path) ? guard(handler) : handler);
    return gated;
  };
  return gated;
}

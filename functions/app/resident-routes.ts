import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import {
  ConcurrentActionError,
  FormTokenInvalidError,
  InputRejectedError,
  IntakeLimitReachedError,
  LinkExpiredError,
  LinkInvalidError,
  TaskAlreadyDoneError,
} from '../domain/errors.js';
import { caseLanguage, type Language } from '../domain/language.js';
import { setCookie } from '../http/cookies.js';
import { TooManyRequestsError } from '../http/errors.js';
import { errorHeaders } from '../http/middleware.js';
import { cookie, parseBody } from '../http/request.js';
import { html } from '../http/responses.js';
import type { Router } from '../http/router.js';
import { CHECK_CSRF, csrfCookie, csrfMatches, keptFormCookie } from '../web/form-token.js';
import { limitMessage, pageLanguage, translator } from '../web/i18n.js';
import {
  CHECK_PATH,
  checkProblemPage,
  checkSentPage,
  checkStartPage,
  privacyPage,
  signInPage,
  statusPage,
  withLanguage,
} from '../web/resident-pages.js';
import { securityHeaders } from '../web/security-headers.js';
import {
  openSignInLink,
  type ResidentAccessDeps,
  ResidentSessionMissingError,
  type ResidentSignedIn,
  requestSignInLink,
  requestStage2,
  residentLetter,
  residentSession,
  SignInLinkUsedError,
  signOutResident,
  useSignInLink,
} from './resident-access.js';
import { formOptions, requestNotAdded } from './tasks.js';

const SESSION_COOKIE = 'redress_resident';
/**
 * The language of the case signed in to, kept apart from the session and for longer, so that
 * the page after a session ends (or its cookie is gone) is in the resident's language too: an
 * ended session no longer says which case, nor so which language.
 */
const LANGUAGE_COOKIE = 'redress_resident_lang';
const LANGUAGE_COOKIE_SECONDS = 7 * 24 * 3600;

/** The session cookie: only on the check pages, never sent from another site. */
function sessionCookie(value: string, maxAgeSeconds: number): string {
  return setCookie(SESSION_COOKIE, value, { path: CHECK_PATH, sameSite: 'Strict', maxAgeSeconds });
}

/** The language cookie: set by the status page to the case's language, cleared at sign-out. */
function languageCookie(language: Language | undefined): string {
  return setCookie(LANGUAGE_COOKIE, language ?? '', {
    path: CHECK_PATH,
    sameSite: 'Strict',
    maxAgeSeconds: language ? LANGUAGE_COOKIE_SECONDS : 0,
  });
}

function seeOther(location: string, cookies: string[] = []): APIGatewayProxyResult {
  return {
    statusCode: 303,
    headers: { Location: location, 'Cache-Control': 'no-store' },
    ...(cookies.length ? { multiValueHeaders: { 'Set-Cookie': cookies } } : {}),
    body: '',
  };
}

function formBody(event: APIGatewayProxyEvent): Record<string, unknown> {
  const { data } = parseBody(event);
  return typeof data === 'object' && data !== null ? (data as Record<string, unknown>) : {};
}

/**
 * The language a `/check` page is asked in (`?lang=`), else the one of the case last signed in to
 * on this browser (its cookie), when the policy offers it.
 */
function languageOf(deps: ResidentAccessDeps, event: APIGatewayProxyEvent): Language {
  return pageLanguage(deps.policy, event.queryStringParameters?.lang ?? cookie(event, LANGUAGE_COOKIE));
}

/** One answer for each problem with a link or a session: its status, and how to get a new link. */
function problem(deps: ResidentAccessDeps, error: unknown, language: Language = 'en'): APIGatewayProxyResult {
  const page = (status: number, kind: Parameters<typeof checkProblemPage>[1]) =>
    html(status, checkProblemPage(deps.policy, kind, language), securityHeaders());
  if (error instanceof LinkExpiredError) return page(410, 'expired');
  if (error instanceof SignInLinkUsedError) return page(409, 'used');
  if (error instanceof LinkInvalidError) return page(403, 'invalid');
  if (error instanceof FormTokenInvalidError) return page(403, 'form');
  throw error;
}

/**
 * "Check your complaint" (`/check…`) and the privacy notice (`/privacy`). Every form post is
 * answered with a redirect (Post/Redirect/Get) except when the page must show what to correct.
 */
export function residentRoutes(router: Router, deps: ResidentAccessDeps): void {
  router
    .on('GET', '/privacy', async (event) =>
      html(200, privacyPage(deps.policy, languageOf(deps, event)), securityHeaders()),
    )
    .on('GET', '/check', async (event) => {
      const q = event.queryStringParameters ?? {};
      const language = languageOf(deps, event);
      const t = translator(language);
      const notice =
        q.ended !== undefined
          ? t('check.ended')
          : q['signed-out'] !== undefined
            ? t('check.signedOut')
            : undefined;
      return startPage(deps, event, { ...(notice ? { notice } : {}), language });
    })
    .on('POST', '/check', async (event) => {
      const body = formBody(event);
      const language = languageOf(deps, event);
      const values = {
        reference: typeof body.reference === 'string' ? body.reference : '',
        email: typeof body.email === 'string' ? body.email : '',
      };
      // A token that does not go with the cookie: nothing sent, and the page again with what was
      // typed and a token that works.
      if (!csrfMatches(event, body.csrf, CHECK_CSRF)) {
        const problem = translator(language)('check.notSent');
        return startPage(deps, event, { values, problem, language }, 403);
      }
      try {
        await requestSignInLink(deps, body, event.requestContext?.identity?.sourceIp ?? undefined);
      } catch (error: unknown) {
        if (error instanceof InputRejectedError) {
          return startPage(deps, event, { values, errors: { ...error.fields }, language }, 400);
        }
        if (error instanceof IntakeLimitReachedError) {
          const limited = new TooManyRequestsError(error.message, error.retryAfterSeconds);
          return startPage(
            deps,
            event,
            { values, problem: limitMessage(error.limit, language), language },
            429,
            errorHeaders(limited),
          );
        }
        throw error;
      }
      // The same answer whether or not they matched a case.
      return seeOther(withLanguage(`${CHECK_PATH}/sent`, language));
    })
    .on('GET', '/check/sent', async (event) =>
      html(200, checkSentPage(deps.policy, languageOf(deps, event)), securityHeaders()),
    )
    .on('GET', '/check/sign-in/{token}', async (event, { token }) => {
      // The emailed link carries the case's language (`?lang=cy`); the case itself is not read here.
      const language = languageOf(deps, event);
      try {
        const opened = await openSignInLink(deps, token as string);
        return html(
          200,
          signInPage({
            policy: deps.policy,
            csrf: opened.csrf,
            action: withLanguage(`${CHECK_PATH}/sign-in/${encodeURIComponent(token as string)}`, language),
            language,
          }),
          securityHeaders(),
        );
      } catch (error: unknown) {
        return problem(deps, error, language);
      }
    })
    .on('POST', '/check/sign-in/{token}', async (event, { token }) => {
      try {
        const { cookie: value, maxAgeSeconds } = await useSignInLink(deps, token as string, formBody(event));
        return seeOther(`${CHECK_PATH}/complaint`, [sessionCookie(value, maxAgeSeconds)]);
      } catch (error: unknown) {
        return problem(deps, error, languageOf(deps, event));
      }
    })
    .on('GET', '/check/complaint', async (event) =>
      signedIn(deps, event, async (me) =>
        showStatus(deps, me, { asked: event.queryStringParameters?.asked === 'stage-2' }),
      ),
    )
    .on('POST', '/check/complaint/stage-2', async (event) =>
      signedIn(deps, event, async (me) => {
        const body = formBody(event);
        try {
          await requestStage2(deps, me, body);
        } catch (error: unknown) {
          if (error instanceof InputRejectedError) {
            const values = Object.fromEntries(
              Object.entries(body).filter(
                (e): e is [string, string] => typeof e[1] === 'string' && e[0] !== 'csrf',
              ),
            );
            return showStatus(deps, me, { errors: { ...error.fields }, values }, 400);
          }
          if (error instanceof TaskAlreadyDoneError || error instanceof ConcurrentActionError) {
            // Asked for already, perhaps a moment ago through the emailed link: if this request
            // said more than that one, the resident is told it was not added, and given it back.
            const now = (await deps.store.get(me.record.caseId)) ?? me.record;
            const notAdded = requestNotAdded(now, body);
            if (notAdded) return showStatus(deps, { ...me, record: now }, { askedBefore: notAdded }, 409);
            if (error instanceof ConcurrentActionError) throw error;
            return seeOther(`${CHECK_PATH}/complaint`);
          }
          if (error instanceof FormTokenInvalidError) return problem(deps, error, me.record.language);
          throw error;
        }
        return seeOther(`${CHECK_PATH}/complaint?asked=stage-2`, [
          sessionCookie(me.cookie, me.maxAgeSeconds),
        ]);
      }),
    )
    .on('GET', '/check/complaint/letters/{letter}', async (event, { letter }) =>
      signedIn(deps, event, async (me) => {
        const pdf = await residentLetter(deps, me, letter as string);
        if (!pdf) {
          return html(404, checkProblemPage(deps.policy, 'invalid', me.record.language), securityHeaders());
        }
        return {
          statusCode: 200,
          headers: {
            ...securityHeaders(),
            'Content-Type': 'application/pdf',
            'Content-Disposition': `inline; filename="${me.record.reference}-${letter}.pdf"`,
            'Cache-Control': 'no-store',
          },
          body: Buffer.from(pdf).toString('base64'),
          isBase64Encoded: true,
        };
      }),
    )
    .on('POST', '/check/sign-out', async (event) =>
      signedIn(deps, event, async (me) => {
        try {
          await signOutResident(deps, me, formBody(event));
        } catch (error: unknown) {
          return problem(deps, error, me.record.language);
        }
        return seeOther(withLanguage(`${CHECK_PATH}?signed-out`, me.record.language ?? 'en'), [
          sessionCookie('', 0),
          languageCookie(undefined),
        ]);
      }),
    );
}

/**
 * "Check your complaint"'s first page, with the browser's cookie kept when it has one: the
 * page open in another tab can still be sent.
 */
function startPage(
  deps: ResidentAccessDeps,
  event: Pick<APIGatewayProxyEvent, 'headers'>,
  state: {
    values?: Record<string, string>;
    errors?: Record<string, string>;
    problem?: string;
    notice?: string;
    language?: Language;
  },
  statusCode = 200,
  headers: Record<string, string> = {},
): APIGatewayProxyResult {
  const csrf = keptFormCookie(event, CHECK_CSRF);
  return html(statusCode, checkStartPage({ policy: deps.policy, csrf, ...state }), {
    ...securityHeaders(),
    'Set-Cookie': csrfCookie(csrf, CHECK_CSRF),
    ...headers,
  });
}

/** Runs `then` for a signed-in resident; without a session, back to the start to ask for a link. */
async function signedIn(
  deps: ResidentAccessDeps,
  event: APIGatewayProxyEvent,
  then: (me: ResidentSignedIn) => Promise<APIGatewayProxyResult>,
): Promise<APIGatewayProxyResult> {
  let me: ResidentSignedIn;
  try {
    me = await residentSession(deps, cookie(event, SESSION_COOKIE));
  } catch (error: unknown) {
    if (!(error instanceof ResidentSessionMissingError)) throw error;
    // Back to the start in the resident's language: the session is gone, its language cookie is
    // not. The start page says why (its time is up, or it was signed out of, perhaps in another
    // tab or on another computer) above the form that asks for a new link.
    const language = languageOf(deps, event);
    const start = {
      none: CHECK_PATH,
      expired: `${CHECK_PATH}?ended`,
      'signed-out': `${CHECK_PATH}?signed-out`,
    };
    return seeOther(withLanguage(start[error.reason], language), [sessionCookie('', 0)]);
  }
  return then(me);
}

async function showStatus(
  deps: ResidentAccessDeps,
  me: ResidentSignedIn,
  state: {
    asked?: boolean;
    askedBefore?: { words: string };
    errors?: Record<string, string>;
    values?: Record<string, string>;
  },
  statusCode = 200,
): Promise<APIGatewayProxyResult> {
  const events = await deps.store.events(me.record.caseId);
  const grounds = formOptions(deps.policy, me.record, 'stage-2-request').choices?.grounds ?? [];
  const result = html(
    statusCode,
    statusPage({ policy: deps.policy, record: me.record, events, csrf: me.csrf, grounds, ...state }),
    securityHeaders(),
  );
  // Each page refreshes the idle expiry, and keeps the case's language for the page after it ends.
  return {
    ...result,
    multiValueHeaders: {
      'Set-Cookie': [sessionCookie(me.cookie, me.maxAgeSeconds), languageCookie(caseLanguage(me.record))],
    },
  };
}

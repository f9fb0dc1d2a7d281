import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { InvalidCursorError } from '../adapters/dynamodb-case-store.js';
import { SignInFailedError } from '../adapters/oidc-sign-in.js';
import {
  ConcurrentActionError,
  DecisionNotYetDeliveredError,
  TaskAlreadyDoneError,
} from '../domain/errors.js';
import {
  type ArchiveControl,
  type AuditLog,
  ConcurrentUpdateError,
  type EvidenceStore,
  type SubjectAccessRegister,
} from '../domain/ports.js';
import {
  canAcceptLateStage2,
  canDesignate,
  canPrepareOmbudsmanFile,
  canReopen,
  StaffAccessError,
  seesAllCases,
} from '../domain/staff.js';
import { HttpError, httpErrorOf, problemShown, ValidationError } from '../http/errors.js';
import { errorHeaders, wantsPage } from '../http/middleware.js';
import { parseBody } from '../http/request.js';
import { html } from '../http/responses.js';
import type { Router } from '../http/router.js';
import { workspaceProblemPage } from '../web/render.js';
import { securityHeaders } from '../web/security-headers.js';
import {
  chrome,
  staffCasePage,
  staffLettersPage,
  staffQueuePage,
  staffRecordPage,
  staffSearchPage,
} from '../web/staff-pages.js';
import { evidenceDownload } from './evidence.js';
import { notPostedAgain, postAgain } from './readdressed-letters.js';
import {
  addNote,
  caseFor,
  changeService,
  openCase,
  PartlyDoneError,
  type QueueFilter,
  queue,
  reassign,
  reassignOptions,
  recordOmbudsman,
  recordReceived,
  recordStage2Request,
  reissueTaskLink,
  type StaffActionDeps,
  search,
} from './staff-actions.js';
import {
  acceptLateStage2,
  designateVexatious,
  designationsDue,
  letterPdf,
  lettersToPost,
  markLetterPosted,
  reopenCase,
  reviewDesignation,
} from './staff-case-actions.js';
import {
  checkCsrf,
  finishSignIn,
  requireStaff,
  type SignedIn,
  SignInRequiredError,
  STAFF_PATH,
  type StaffSessionDeps,
  signedOutPage,
  signInRedirect,
  signInRefusedPage,
  signOut,
  startSignIn,
} from './staff-session.js';
import { subjectAccessDueSoon } from './subject-access.js';

/** Everything the workspace needs; the composition root builds it (`staffDeps()`). */
export type StaffDeps = StaffSessionDeps &
  StaffActionDeps & {
    evidence: EvidenceStore;
    /** The audit log: each search, which shows residents' details, is written to it. */
    audit: AuditLog;
    /** The subject access register, for the count of requests due on the staff home. */
    subjectAccess?: SubjectAccessRegister;
    /** The archive's retention tags (a reopened case's objects leave the retention clock). */
    control: Pick<ArchiveControl, 'release'>;
  };

/**
 * A resident's file, for a member of staff who may see the case: a short-lived download from S3,
 * only once the virus check passed (404 otherwise), and the view recorded like any other.
 */
async function downloadEvidence(deps: StaffDeps, who: SignedIn, reference: string, fileId: string) {
  const record = await caseFor(deps, who.staff, reference);
  const url = await evidenceDownload(deps, record, fileId);
  if (!url)
    throw new HttpError(
      404,
      'This file cannot be opened: it is not there, or it has not passed the virus check',
    );
  await deps.store.appendEvent(record.caseId, {
    at: deps.now().toISOString(),
    type: 'viewed',
    actor: who.staff.email,
    detail: { what: `evidence file ${fileId}` },
  });
  return url;
}

/** What a successful action says on the page it returns to (Post/Redirect/Get). */
const DONE: Record<string, string> = {
  note: 'Your note has been added.',
  reassigned: 'The case has been sent on.',
  ombudsman: 'The Ombudsman enquiry is recorded. The case file will be kept for 6 years.',
  recorded: 'The feedback is recorded. Its deadlines count from the date it was received.',
  reissued: 'A new link to the waiting task has been emailed to the officer.',
  service: 'The case has moved to the new service.',
  'stage-2': 'The request for a review is recorded. Stage 2 starts and the reviewer gets the task.',
  'late-stage-2': 'The late request is accepted and goes on as a request for a review (stage 2).',
  reopened:
    'The case is open again. The officer it is assigned to will be emailed the response task. The resident will be told the date of the response, unless the complaint is anonymous.',
  designated:
    'The complainant is designated. The letter telling them is sent by email, or, if they get letters by post, is on the list of letters to print and post. Their new contact will come to you.',
  reviewed: 'Your review of the designation is recorded.',
  posted: 'The letter is marked as posted. The case’s timeline shows who posted it and when.',
  'posted-again':
    'The letter is written again to the corrected address and is on the list. Print and post it, then mark it as posted.',
  'not-again': 'Recorded: the letter will not be posted again. The case’s timeline shows who decided.',
  held: 'The legal hold is placed. Nothing of this case is deleted by retention until it is lifted.',
  'hold-lifted': 'The legal hold is lifted. The case is kept for its retention period again.',
  'hold-reviewed':
    'The legal hold is kept until its new review date. The complaints team’s mailbox will be reminded when that date comes.',
  erased: 'The case is erased: its personal data is gone from the case, its history and the archive.',
  'ombudsman-file-sent': 'The case file is marked as sent to the Ombudsman. It will be kept for 6 years.',
  rectified:
    'The contact details are corrected. The old details are kept in the case’s history. Any letter waiting to be posted has been written again to the corrected name and address.',
};

/**
 * The message of a `?done=` key, only when it names one of `messages`' own actions: the address
 * is anyone's to edit, and a name every object has (`toString`) would give the page a function.
 */
export function doneMessage(
  messages: Readonly<Record<string, string>>,
  key: string | undefined,
): string | undefined {
  return key !== undefined && Object.hasOwn(messages, key) ? messages[key] : undefined;
}

/**
 * Staff pages add the identity provider's origin to `form-action`: signing out posts here and is
 * redirected there, to end the provider's session too, and browsers hold a form's redirects to
 * the page's `form-action`.
 */
export function staffHeaders(deps: StaffDeps): Record<string, string> {
  const headers = securityHeaders();
  headers['Content-Security-Policy'] = (headers['Content-Security-Policy'] ?? '').replace(
    "form-action 'self'",
    ["form-action 'self'", ...deps.identity.signOutOrigins()].join(' '),
  );
  return headers;
}

export function seeOther(location: string): APIGatewayProxyResult {
  return { statusCode: 303, headers: { Location: location, 'Cache-Control': 'no-store' }, body: '' };
}

/**
 * The groups of fields the workspace's forms send (`complainant.name`, `restrictions.written-only`,
 * `confirm.<case id>`): a dotted name of a form makes its first part an object, so only these may
 * be one, holding text alone.
 */
const FORM_GROUPS = new Set(['complainant', 'onBehalfOf', 'confirm', 'restrictions']);

/**
 * The form fields of a POST, as an object (JSON is not taken by the workspace's forms). A field
 * that is not text where the forms send text (`note.x=…` makes the note an object) was not sent
 * by one of them: 400, before any action or page reads it.
 */
function formOf(event: APIGatewayProxyEvent): Record<string, unknown> {
  const { format, data } = parseBody(event);
  if (format !== 'form' || typeof data !== 'object' || data === null) {
    throw new HttpError(415, 'Send the workspace’s forms from the workspace');
  }
  for (const [name, value] of Object.entries(data)) {
    if (typeof value === 'string') continue;
    const group = FORM_GROUPS.has(name) && Object.values(value as object).every((v) => typeof v === 'string');
    if (!group) {
      throw new ValidationError({
        body: 'The form sent a field that none of the workspace’s forms has: send it from the workspace',
      });
    }
  }
  return data as Record<string, unknown>;
}

/** A page for a signed-in person; without a session, to the sign-in. */
export function signedIn(
  deps: StaffDeps,
  page: (
    event: APIGatewayProxyEvent,
    params: Record<string, string>,
    who: SignedIn,
    /** A POST's form fields, its anti-forgery token checked; empty for a GET. */
    body: Record<string, unknown>,
  ) => Promise<APIGatewayProxyResult>,
) {
  return async (event: APIGatewayProxyEvent, params: Record<string, string>) => {
    let who: SignedIn | undefined;
    try {
      who = await requireStaff(deps, event);
      let body: Record<string, unknown> = {};
      if (event.httpMethod === 'POST') {
        body = formOf(event);
        checkCsrf(who, body);
      }
      return await page(event, params, who, body);
    } catch (error: unknown) {
      if (error instanceof SignInRequiredError) return signInRedirect(error);
      const problem =
        error instanceof InvalidCursorError
          ? new HttpError(400, 'That page of the queue does not exist: start again from the first page')
          : error;
      const shown = who ? workspaceProblem(deps, who, event, problem) : undefined;
      if (shown) return shown;
      throw problem;
    }
  };
}

/**
 * A signed-in person's request that met a problem meant for them (a case that is not there, an
 * action their role may not take): its page in the workspace, with their header and navigation.
 * Failures (5xx) are left to the error middleware, which logs them: its page is the workspace's
 * too, without the person's navigation, or, for a dependency that is down, offers to try again.
 */
function workspaceProblem(
  deps: StaffDeps,
  who: SignedIn,
  event: APIGatewayProxyEvent,
  error: unknown,
): APIGatewayProxyResult | undefined {
  const known = httpErrorOf(error, { method: event.httpMethod ?? 'GET', path: event.path ?? '/' });
  // A 5xx goes on to the error middleware, which logs and counts it before showing its page.
  if (!known || known.statusCode >= 500 || !wantsPage(event)) return undefined;
  const back = caseOfForm(event);
  return html(
    known.statusCode,
    workspaceProblemPage({
      ...problemShown(known),
      chrome: chrome({ staff: who.staff, csrf: who.csrf, policy: deps.policy }, ''),
      ...(back ? { back: { href: back, text: 'Go back to the case' } } : {}),
    }),
    { ...staffHeaders(deps), ...errorHeaders(known) },
  );
}

/**
 * The case page a form was posted from (`POST /staff/cases/{reference}/<action>`), for the way
 * back from a problem with the post; undefined for anything else.
 */
function caseOfForm(event: APIGatewayProxyEvent): string | undefined {
  if (event.httpMethod !== 'POST') return undefined;
  const m = /^\/staff\/cases\/([\w-]+)\/[\w-]+$/.exec(event.path ?? '');
  return m ? `${STAFF_PATH}/cases/${m[1]}` : undefined;
}

/** A printed letter as a PDF download: personal data, so never cached. */
function pdfResponse(found: { record: { reference: string }; pdf: Uint8Array }, letter: string) {
  return {
    statusCode: 200,
    headers: {
      ...securityHeaders(),
      'Content-Type': 'application/pdf',
      'Content-Disposition': `inline; filename="${found.record.reference}-${letter}.pdf"`,
      'Cache-Control': 'no-store',
    },
    body: Buffer.from(found.pdf).toString('base64'),
    isBase64Encoded: true,
  };
}

function queueFilter(q: Record<string, string | undefined>): QueueFilter {
  const view = q.view === 'mine' || q.view === 'all' ? q.view : 'team';
  const due = q.due === 'overdue' || q.due === 'today' || q.due === 'week' ? q.due : 'any';
  const stage = q.stage === '1' ? 1 : q.stage === '2' ? 2 : undefined;
  return {
    view,
    due,
    ...(q.service ? { service: q.service } : {}),
    ...(stage ? { stage } : {}),
    ...(q.cursor ? { cursor: q.cursor } : {}),
  };
}

/**
 * A workspace action that lost a race or whose decision has not reached the workflow meets the
 * errors an emailed link meets, whose pages speak of the link ("Someone has already acted on this
 * link"). The officer here used no link: the case page is shown again, as it is now, with what
 * happened at the top (a message without a field: the error summary lists it alone).
 */
function workspaceRefusal(error: unknown): { status: number; message: string } | undefined {
  // The action's own write lost, or its task was done first: nothing of it was written.
  if (error instanceof ConcurrentActionError || error instanceof TaskAlreadyDoneError) {
    return {
      status: 409,
      message:
        'Someone else acted on this case at the same moment, so nothing was changed. This is the case as it is now: act again if it is still needed.',
    };
  }
  // A write lost its races, which may have been the action's own or one after it (the letter
  // recorded after a designation): the officer is asked to look rather than told either way.
  if (error instanceof ConcurrentUpdateError) {
    return {
      status: 409,
      message:
        'Someone else changed this case at the same moment as you. This is the case as it is now: check whether what you did is on it, and do it again if it is not.',
    };
  }
  // The action's write went in; what follows it (an email, a workflow's start) did not go yet.
  if (error instanceof PartlyDoneError) return { status: 503, message: error.message };
  if (error instanceof DecisionNotYetDeliveredError) {
    return {
      status: 503,
      message:
        'What you did is saved, but the case could not move on just now. It will move on by itself when the service answers again: you do not need to do it again.',
    };
  }
  return undefined;
}

/**
 * The case page for this person, its sections those their roles may use: the one way every case
 * route shows it, on a GET, after an action (`done`) and again with a form's errors.
 */
export async function casePage(
  deps: StaffDeps,
  who: SignedIn,
  reference: string,
  extra: { errors?: Record<string, string>; values?: Record<string, unknown>; done?: string } = {},
  status = 200,
): Promise<APIGatewayProxyResult> {
  const { record, events } = await openCase(deps, who.staff, reference);
  return html(
    status,
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
      canPrepareOmbudsmanFile: canPrepareOmbudsmanFile(who.staff),
      ...extra,
    }),
    staffHeaders(deps),
  );
}

/**
 * A form on the case page, as a route: Post/Redirect/Get to the case page with `done` on success;
 * the case page again with the form's errors (400) or with what stopped it (`workspaceRefusal`).
 */
export function caseAction(
  deps: StaffDeps,
  run: (who: SignedIn, reference: string, body: Record<string, unknown>) => Promise<unknown>,
  done: string,
) {
  return async (
    _event: unknown,
    { reference }: Record<string, string>,
    who: SignedIn,
    body: Record<string, unknown>,
  ): Promise<APIGatewayProxyResult> => {
    try {
      await run(who, reference as string, body);
    } catch (error: unknown) {
      if (error instanceof ValidationError) {
        return casePage(deps, who, reference as string, { errors: error.fields, values: body }, 400);
      }
      const refusal = workspaceRefusal(error);
      if (refusal) {
        return casePage(
          deps,
          who,
          reference as string,
          { errors: { case: refusal.message } },
          refusal.status,
        );
      }
      throw error;
    }
    return seeOther(`${STAFF_PATH}/cases/${encodeURIComponent(reference as string)}?done=${done}`);
  };
}

/** The staff workspace's routes: sign-in and out, queue, search, case page and actions. */
export function staffRoutes(router: Router, deps: StaffDeps): void {
  const action = (
    run: (who: SignedIn, reference: string, body: Record<string, unknown>) => Promise<unknown>,
    done: string,
  ) => caseAction(deps, run, done);

  router
    .on('GET', '/staff/sign-in', async (event) => startSignIn(deps, event))
    .on('GET', '/staff/callback', async (event) => {
      const refused = event.queryStringParameters?.error;
      if (refused) return signInRefusedPage(deps.policy, refused);
      try {
        return await finishSignIn(deps, event);
      } catch (error: unknown) {
        if (error instanceof StaffAccessError) throw new HttpError(403, error.message);
        if (error instanceof SignInFailedError) {
          throw new HttpError(400, 'The sign-in could not be completed. Start again from the workspace.');
        }
        throw error;
      }
    })
    .on('GET', '/staff/signed-out', async (event) => signedOutPage(deps.policy, event))
    .on('POST', '/staff/sign-out', async (event) => {
      try {
        return await signOut(deps, event, formOf(event));
      } catch (error: unknown) {
        if (error instanceof SignInRequiredError) return seeOther(`${STAFF_PATH}/signed-out`);
        throw error;
      }
    })
    .on(
      'GET',
      '/staff',
      signedIn(deps, async (event, _params, who) => {
        const q = event.queryStringParameters ?? {};
        const filter = queueFilter(q);
        const page = await queue(deps, who.staff, filter);
        const next = page.next
          ? `${STAFF_PATH}?${new URLSearchParams({
              view: filter.view,
              due: filter.due,
              ...(filter.service ? { service: filter.service } : {}),
              ...(filter.stage ? { stage: String(filter.stage) } : {}),
              cursor: page.next,
            })}`
          : undefined;
        const done = doneMessage(DONE, q.done);
        const reviewsDue = await designationsDue(deps, who.staff);
        const register = deps.subjectAccess;
        const subjectAccess = register
          ? await subjectAccessDueSoon({ ...deps, subjectAccess: register }, who.staff)
          : undefined;
        return html(
          200,
          staffQueuePage({
            staff: who.staff,
            csrf: who.csrf,
            policy: deps.policy,
            records: page.records,
            reviewsDue,
            ...(subjectAccess ? { subjectAccess } : {}),
            now: deps.now(),
            filter,
            ...(next ? { nextHref: next } : {}),
            ...(done ? { done } : {}),
          }),
          staffHeaders(deps),
        );
      }),
    )
    .on(
      'GET',
      '/staff/search',
      signedIn(deps, async (event, _params, who) => {
        const q = (event.queryStringParameters?.q ?? '').slice(0, 200);
        const records = q.trim() ? await search(deps, who.staff, q) : undefined;
        return html(
          200,
          staffSearchPage({
            staff: who.staff,
            csrf: who.csrf,
            policy: deps.policy,
            q,
            ...(records ? { records } : {}),
          }),
          staffHeaders(deps),
        );
      }),
    )
    .on(
      'GET',
      '/staff/cases/{reference}',
      signedIn(deps, async (event, { reference }, who) => {
        const done = doneMessage(DONE, event.queryStringParameters?.done);
        return casePage(deps, who, reference as string, done ? { done } : {});
      }),
    )
    .on(
      'GET',
      '/staff/cases/{reference}/evidence/{fileId}',
      signedIn(deps, async (_event, { reference, fileId }, who) =>
        seeOther(await downloadEvidence(deps, who, reference as string, fileId as string)),
      ),
    )
    .on(
      'POST',
      '/staff/cases/{reference}/note',
      signedIn(
        deps,
        action((who, reference, body) => addNote(deps, who.staff, reference, body.note, body.formId), 'note'),
      ),
    )
    .on(
      'POST',
      '/staff/cases/{reference}/reassign',
      signedIn(
        deps,
        action((who, reference, body) => reassign(deps, who.staff, reference, body.reassignTo), 'reassigned'),
      ),
    )
    .on(
      'POST',
      '/staff/cases/{reference}/ombudsman',
      signedIn(
        deps,
        action((who, reference, body) => recordOmbudsman(deps, who.staff, reference, body), 'ombudsman'),
      ),
    )
    .on(
      'POST',
      '/staff/cases/{reference}/service',
      signedIn(
        deps,
        action((who, reference, body) => changeService(deps, who.staff, reference, body.service), 'service'),
      ),
    )
    .on(
      'POST',
      '/staff/cases/{reference}/stage-2',
      signedIn(
        deps,
        action((who, reference, body) => recordStage2Request(deps, who.staff, reference, body), 'stage-2'),
      ),
    )
    .on(
      'POST',
      '/staff/cases/{reference}/late-stage-2',
      signedIn(
        deps,
        action((who, reference, body) => acceptLateStage2(deps, who.staff, reference, body), 'late-stage-2'),
      ),
    )
    .on(
      'POST',
      '/staff/cases/{reference}/reopen',
      signedIn(
        deps,
        action((who, reference, body) => reopenCase(deps, who.staff, reference, body), 'reopened'),
      ),
    )
    .on(
      'POST',
      '/staff/cases/{reference}/designate',
      signedIn(
        deps,
        action((who, reference, body) => designateVexatious(deps, who.staff, reference, body), 'designated'),
      ),
    )
    .on(
      'POST',
      '/staff/cases/{reference}/designation-review',
      signedIn(
        deps,
        action((who, reference, body) => reviewDesignation(deps, who.staff, reference, body), 'reviewed'),
      ),
    )
    .on(
      'GET',
      '/staff/letters',
      signedIn(deps, async (event, _params, who) => {
        const q = event.queryStringParameters ?? {};
        const page = await lettersToPost(deps, who.staff, q.cursor);
        const done = doneMessage(DONE, q.done);
        return html(
          200,
          staffLettersPage({
            staff: who.staff,
            csrf: who.csrf,
            policy: deps.policy,
            entries: page.entries,
            ...(page.next
              ? { nextHref: `${STAFF_PATH}/letters?${new URLSearchParams({ cursor: page.next })}` }
              : {}),
            ...(done ? { done } : {}),
          }),
          staffHeaders(deps),
        );
      }),
    )
    .on(
      'GET',
      '/staff/letters/{reference}/{letter}',
      signedIn(deps, async (_event, { reference, letter }, who) =>
        pdfResponse(
          await letterPdf(deps, who.staff, reference as string, letter as string),
          letter as string,
        ),
      ),
    )
    .on(
      'POST',
      '/staff/letters/{reference}/{letter}/posted',
      signedIn(deps, async (_event, { reference, letter }, who) => {
        await markLetterPosted(deps, who.staff, reference as string, letter);
        return seeOther(`${STAFF_PATH}/letters?done=posted`);
      }),
    )
    .on(
      'POST',
      '/staff/letters/{reference}/{letter}/post-again',
      signedIn(deps, async (_event, { reference, letter }, who) => {
        await postAgain(deps, who.staff, reference as string, letter);
        return seeOther(`${STAFF_PATH}/letters?done=posted-again`);
      }),
    )
    .on(
      'POST',
      '/staff/letters/{reference}/{letter}/not-again',
      signedIn(deps, async (_event, { reference, letter }, who) => {
        await notPostedAgain(deps, who.staff, reference as string, letter);
        return seeOther(`${STAFF_PATH}/letters?done=not-again`);
      }),
    )
    .on(
      'POST',
      '/staff/cases/{reference}/reissue',
      signedIn(
        deps,
        action((who, reference) => reissueTaskLink(deps, who.staff, reference), 'reissued'),
      ),
    )
    .on(
      'GET',
      '/staff/record',
      signedIn(deps, async (_event, _params, who) =>
        html(
          200,
          staffRecordPage({ staff: who.staff, csrf: who.csrf, policy: deps.policy }),
          staffHeaders(deps),
        ),
      ),
    )
    .on(
      'POST',
      '/staff/record',
      signedIn(deps, async (_event, _params, who, body) => {
        try {
          const record = await recordReceived(deps, who.staff, body);
          return seeOther(`${STAFF_PATH}/cases/${encodeURIComponent(record.reference)}?done=recorded`);
        } catch (error: unknown) {
          if (!(error instanceof ValidationError)) throw error;
          return html(
            400,
            staffRecordPage({
              staff: who.staff,
              csrf: who.csrf,
              policy: deps.policy,
              values: body,
              errors: error.fields,
            }),
            staffHeaders(deps),
          );
        }
      }),
    );
}

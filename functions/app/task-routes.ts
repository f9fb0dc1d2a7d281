import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import type { CaseRecord } from '../domain/case.js';
import { ConcurrentActionError, InputRejectedError, TaskAlreadyDoneError } from '../domain/errors.js';
import { caseLanguage, type Language } from '../domain/language.js';
import { TASK_AUDIENCE, type TaskName } from '../domain/workflow-names.js';
import { parseBody } from '../http/request.js';
import { html } from '../http/responses.js';
import type { Router } from '../http/router.js';
import {
  BASE_PATH,
  reviewAskedBeforePage,
  reviewDonePage,
  taskDonePage,
  taskPage,
  taskViewFromCase,
} from '../web/render.js';
import { securityHeaders } from '../web/security-headers.js';
import {
  actOnTask,
  formOptions,
  linkRequestNotAdded,
  openTask,
  type TaskDeps,
  taskOutcome,
  viewTask,
} from './tasks.js';

/** The task page's view (with this stage's deadline): the decisions the policy allows here. */
function viewOf(deps: TaskDeps, record: CaseRecord, task: TaskName) {
  const view = taskViewFromCase(record, task, { policy: deps.policy });
  const options = formOptions(deps.policy, record, task);
  if (options.allowed) view.decisions = options.allowed.map((value) => ({ value }));
  if (options.choices) view.choices = options.choices;
  if (options.optional) view.optional = options.optional;
  if (task === 'stage-2-request') {
    // The resident's own page: only what they need, not the officers' internal dates.
    delete view.directorate;
    view.deadlines = {};
    const requestBy = record.deadlines.stage2RequestBy;
    if (requestBy) view.deadline = requestBy;
    return view;
  }
  return view;
}

/** Officers read English; the resident reads their own task (a review request) in the case's language. */
function readerLanguage(record: CaseRecord, task: string): Language {
  return TASK_AUDIENCE[task as TaskName] === 'resident' ? caseLanguage(record) : 'en';
}

/** The task's own address (the signed link), under the base path. */
function taskPath(token: string): string {
  return `${BASE_PATH}/tasks/${encodeURIComponent(token)}`;
}

/** A Welsh link's `?lang=cy`, kept on a redirect so the link's problem pages stay in Welsh too. */
function welshQuery(event: APIGatewayProxyEvent): string {
  return event.queryStringParameters?.lang === 'cy' ? '?lang=cy' : '';
}

/** Post/Redirect/Get: a refresh of the page after a decision fetches it again, it never re-posts. */
function seeOther(location: string): APIGatewayProxyResult {
  return { statusCode: 303, headers: { Location: location, 'Cache-Control': 'no-store' }, body: '' };
}

/**
 * `GET /tasks/{token}` shows the task (and decides nothing: mail scanners prefetch links; a
 * decision already taken through it and saved, but not yet handed to the workflow, is handed over
 * and the "done" page shown, as the 503 that asked the officer to use the link again promised);
 * `POST /tasks/{token}` acts, once, and answers 303 See Other to `GET /tasks/{token}/done`,
 * which reads what was done through this link from the case (the address carries nothing but
 * the signed link), so a refresh shows the outcome again and never acts twice. Input the form
 * or the decision's rule rejects shows the page again with the errors (400, answers kept);
 * every other problem (the link's 403/404/409/410) is thrown on to the error middleware, which
 * maps it to its status and page.
 */
export function taskRoutes(router: Router, deps: TaskDeps): void {
  router
    .on('GET', '/tasks/{token}', async (event: APIGatewayProxyEvent, { token }) => {
      // A decision of this link's, saved but not yet handed to the workflow, is finished first.
      const view = await viewTask(deps, token as string);
      if (view.finished) return seeOther(`${taskPath(token as string)}/done${welshQuery(event)}`);
      const { opened } = view;
      return html(
        200,
        taskPage({
          task: viewOf(deps, opened.record, opened.task),
          csrf: opened.csrf,
          language: readerLanguage(opened.record, opened.task),
        }),
        securityHeaders(),
      );
    })
    .on('GET', '/tasks/{token}/done', async (_event, { token }) => {
      const done = await taskOutcome(deps, token as string);
      if (!done) {
        // Nothing done through this link yet: the task itself (or why it cannot be done).
        await openTask(deps, token as string);
        return seeOther(taskPath(token as string));
      }
      if (TASK_AUDIENCE[done.task as TaskName] === 'resident') {
        const language = readerLanguage(done.record, done.task);
        return html(200, reviewDonePage(done.reference, language, deps.policy.council), {
          ...securityHeaders(),
          'Cache-Control': 'no-store',
        });
      }
      return html(
        200,
        taskDonePage({
          message: done.message,
          reference: done.reference,
          councilName: deps.policy.council,
          ...(done.stillOpen ? { backTo: taskPath(token as string) } : {}),
        }),
        { ...securityHeaders(), 'Cache-Control': 'no-store' },
      );
    })
    .on('POST', '/tasks/{token}', async (event: APIGatewayProxyEvent, { token }) => {
      const { data } = parseBody(event);
      const body = (typeof data === 'object' && data !== null ? data : {}) as Record<string, unknown>;
      try {
        await actOnTask(deps, token as string, body);
        return seeOther(`${taskPath(token as string)}/done${welshQuery(event)}`);
      } catch (error: unknown) {
        if (error instanceof TaskAlreadyDoneError || error instanceof ConcurrentActionError) {
          // A resident's request for a review that came second, saying more than the first: told.
          const notAdded = await linkRequestNotAdded(deps, token as string, body);
          if (notAdded) {
            return html(
              409,
              reviewAskedBeforePage({
                reference: notAdded.record.reference,
                words: notAdded.words,
                language: caseLanguage(notAdded.record),
                contact: deps.policy.routing.complaintsTeam,
                councilName: deps.policy.council,
              }),
              securityHeaders(),
            );
          }
        }
        if (!(error instanceof InputRejectedError)) throw error;
        const opened = await openTask(deps, token as string);
        return html(
          400,
          taskPage({
            task: viewOf(deps, opened.record, opened.task),
            csrf: opened.csrf,
            errors: error.fields,
            values: body,
            language: readerLanguage(opened.record, opened.task),
          }),
          securityHeaders(),
        );
      }
    });
}

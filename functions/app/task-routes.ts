import type { APIGatewayProxyEvent } from 'aws-lambda';
import type { CaseRecord } from '../domain/case.js';
import { InputRejectedError } from '../domain/errors.js';
import type { TaskName } from '../domain/workflow-names.js';
import { parseBody } from '../http/request.js';
import { html } from '../http/responses.js';
import type { Router } from '../http/router.js';
import { taskDonePage, taskPage, taskViewFromCase } from '../web/render.js';
import { securityHeaders } from '../web/security-headers.js';
import { actOnTask, formOptions, openTask, type TaskDeps } from './tasks.js';

/** The task page's view: the decisions the policy allows here, and this stage's deadline. */
function viewOf(deps: TaskDeps, record: CaseRecord, task: TaskName) {
  const view = taskViewFromCase(record, task, { policy: deps.policy });
  const options = formOptions(deps.policy, record, task);
  if (options.allowed) view.decisions = options.allowed.map((value) => ({ value }));
  if (options.choices) view.choices = options.choices;
  if (task === 'stage-2-request') {
    // The resident's own page: only what they need, not the officers' internal dates.
    delete view.directorate;
    view.deadlines = {};
    const requestBy = record.deadlines.stage2RequestBy;
    if (requestBy) view.deadline = requestBy;
    return view;
  }
  if (record.stage === 2) {
    const key =
      task === 'acknowledge' ? 'stage2AcknowledgeBy' : task === 'respond' ? 'stage2RespondBy' : undefined;
    const deadline = key ? record.deadlines[key] : undefined;
    if (deadline) view.deadline = deadline;
  }
  return view;
}

/**
 * `GET /tasks/{token}` shows the task (and changes nothing: mail scanners prefetch links);
 * `POST /tasks/{token}` acts, once. Input the form or the decision's rule rejects shows the
 * page again with the errors; every other problem (the link's 403/404/409/410) is thrown on
 * to the error middleware, which maps it to its status and page.
 */
export function taskRoutes(router: Router, deps: TaskDeps): void {
  router
    .on('GET', '/tasks/{token}', async (_event, { token }) => {
      const opened = await openTask(deps, token as string);
      return html(
        200,
        taskPage({
          task: viewOf(deps, opened.record, opened.task),
          csrf: opened.csrf,
        }),
        securityHeaders(),
      );
    })
    .on('POST', '/tasks/{token}', async (event: APIGatewayProxyEvent, { token }) => {
      const { data } = parseBody(event);
      const body = (typeof data === 'object' && data !== null ? data : {}) as Record<string, unknown>;
      try {
        const done = await actOnTask(deps, token as string, body);
        return html(
          200,
          taskDonePage({
            message: done.message,
            reference: done.reference,
            councilName: deps.policy.council,
          }),
          securityHeaders(),
        );
      } catch (error: unknown) {
        if (!(error instanceof InputRejectedError)) throw error;
        const opened = await openTask(deps, token as string);
        return html(
          400,
          taskPage({
            task: viewOf(deps, opened.record, opened.task),
            csrf: opened.csrf,
            errors: error.fields,
            values: body,
          }),
          securityHeaders(),
        );
      }
    });
}

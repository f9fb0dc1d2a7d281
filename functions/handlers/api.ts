import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { createApi } from '../app/api.js';
import { caseRoutes } from '../app/case-routes.js';
import {
  apiDeps,
  caseViewDeps,
  equalityDeps,
  evidenceRouteDeps,
  reportDeps,
  residentDeps,
  taskDeps,
  wire,
} from '../app/container.js';
import { equalityRoutes } from '../app/equality-routes.js';
import { evidenceRoutes } from '../app/evidence-routes.js';
import { officersOnly } from '../app/report-access.js';
import { residentRoutes } from '../app/resident-routes.js';
import { taskRoutes } from '../app/task-routes.js';
import { ALL_ADAPTERS } from '../app/wiring.js';
import { apiCorrelationId, LOG_CONTEXT, logger, metrics, traced } from '../observability.js';

wire(...ALL_ADAPTERS);
const api = createApi(
  apiDeps((router) => {
    taskRoutes(router, taskDeps());
    caseRoutes(router, caseViewDeps());
    residentRoutes(router, residentDeps());
    evidenceRoutes(router, evidenceRouteDeps());
    const reports = reportDeps();
    equalityRoutes(officersOnly(router, reports, ['/reports/equality']), equalityDeps());
    // The staff workspace and the reports load on their first request, not at every cold start.
    router.lazy(['/staff'], async (r) => (await import('../app/workspace-routes.js')).workspaceRoutes(r));
    router.lazy(['/reports'], async (r) => {
      const { reportRoutes } = await import('../app/report-routes.js');
      reportRoutes(officersOnly(r, reports, ['/reports', '/reports/annual']), reports);
    });
  }),
);

/** The HTTP API behind API Gateway: resident form and intake, checking a complaint, officer task links, case pages, reports, the staff workspace. */
export const handler = middy<APIGatewayProxyEvent, APIGatewayProxyResult>(api)
  // Responses are pages and answers about people: they stay out of the traces.
  .use(traced({ captureResponse: false }))
  .use(injectLambdaContext(logger, LOG_CONTEXT))
  .use(apiCorrelationId())
  .use(logMetrics(metrics));

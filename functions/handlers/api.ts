import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { createApi } from '../app/api.js';
import { auditRoutes } from '../app/audit-routes.js';
import { caseRoutes } from '../app/case-routes.js';
import {
  apiDeps,
  auditRouteDeps,
  caseViewDeps,
  dataProtectionDeps,
  equalityDeps,
  evidenceRouteDeps,
  ombudsmanFileDeps,
  reportDeps,
  residentDeps,
  retentionRouteDeps,
  staffDeps,
  taskDeps,
  wire,
} from '../app/container.js';
import { dataProtectionRoutes } from '../app/data-protection-routes.js';
import { equalityRoutes } from '../app/equality-routes.js';
import { evidenceRoutes } from '../app/evidence-routes.js';
import { ombudsmanFileRoutes } from '../app/ombudsman-file-routes.js';
import { officersOnly } from '../app/report-access.js';
import { reportRoutes } from '../app/report-routes.js';
import { residentRoutes } from '../app/resident-routes.js';
import { retentionRoutes } from '../app/retention-routes.js';
import { staffRoutes } from '../app/staff-routes.js';
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
    ombudsmanFileRoutes(router, ombudsmanFileDeps());
    staffRoutes(router, staffDeps());
    auditRoutes(router, auditRouteDeps());
    retentionRoutes(router, retentionRouteDeps());
    dataProtectionRoutes(router, dataProtectionDeps());
    const reports = reportDeps();
    reportRoutes(officersOnly(router, reports, ['/reports', '/reports/annual']), reports);
    equalityRoutes(officersOnly(router, reports, ['/reports/equality']), equalityDeps());
  }),
);

/** The HTTP API behind API Gateway: resident form and intake, checking a complaint, officer task links, case pages, reports, the staff workspace. */
export const handler = middy<APIGatewayProxyEvent, APIGatewayProxyResult>(api)
  // Responses are pages and answers about people: they stay out of the traces.
  .use(traced({ captureResponse: false }))
  .use(injectLambdaContext(logger, LOG_CONTEXT))
  .use(apiCorrelationId())
  .use(logMetrics(metrics));

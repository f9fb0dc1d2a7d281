import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { createApi } from '../app/api.js';
import { ALL_ADAPTERS } from '../app/api-wiring.js';
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
import { officersOnly } from '../app/report-access.js';
import { apiCorrelationId, LOG_CONTEXT, logger, metrics, traced } from '../observability.js';

wire(...ALL_ADAPTERS);
// Deployed, the policy is the file validated at deploy; `npm start` and the tests name a preset or
// a council's file (for the steps beside the API there too), which needs the presets and schema.
if (!process.env.REDRESS_POLICY_SHA256) wire((await import('../app/policy-loader.js')).POLICY_LOADER);
const reports = reportDeps();
// A cold start loads the form and intake; every other group of pages (a chunk each) loads on
// the first request under its paths.
const api = createApi(
  apiDeps((router) =>
    router
      .lazy(['/tasks'], async (r) => (await import('../app/task-routes.js')).taskRoutes(r, taskDeps()))
      .lazy(['/cases'], async (r) => (await import('../app/case-routes.js')).caseRoutes(r, caseViewDeps()))
      .lazy(['/check', '/privacy'], async (r) =>
        (await import('../app/resident-routes.js')).residentRoutes(r, residentDeps()),
      )
      .lazy([/^\/complaints\/[^/]+\/evidence(?:\/|$)/], async (r) =>
        (await import('../app/evidence-routes.js')).evidenceRoutes(r, evidenceRouteDeps()),
      )
      .lazy(['/equality', '/reports/equality'], async (r) =>
        (await import('../app/equality-routes.js')).equalityRoutes(
          officersOnly(r, reports, ['/reports/equality']),
          equalityDeps(),
        ),
      )
      .lazy(['/staff'], async (r) => (await import('../app/workspace-routes.js')).workspaceRoutes(r))
      .lazy(['/reports'], async (r) => {
        wire((await import('../app/report-counter-wiring.js')).REPORT_COUNTER_ADAPTERS);
        const { reportRoutes } = await import('../app/report-routes.js');
        reportRoutes(officersOnly(r, reports, ['/reports', '/reports/annual']), reports);
      }),
  ),
);

/** The HTTP API behind API Gateway: resident form and intake, checking a complaint, officer task links, case pages, reports, the staff workspace. */
// No early timeout here: `createApi`'s own (with the error pages) answers a request that runs out of time.
export const handler = middy<APIGatewayProxyEvent, APIGatewayProxyResult>(api, { timeoutEarlyInMillis: 0 })
  // Responses are pages and answers about people: they stay out of the traces.
  .use(traced({ captureResponse: false }))
  .use(injectLambdaContext(logger, LOG_CONTEXT))
  .use(apiCorrelationId())
  .use(logMetrics(metrics));

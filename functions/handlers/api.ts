import { createApi } from '../app/api.js';
import { caseRoutes } from '../app/case-routes.js';
import { apiDeps, caseViewDeps, reportDeps, taskDeps } from '../app/container.js';
import { officersOnly } from '../app/report-access.js';
import { reportRoutes } from '../app/report-routes.js';
import { taskRoutes } from '../app/task-routes.js';

/** The HTTP API behind API Gateway: resident form and intake, officer task links, case pages, reports. */
export const handler = createApi({
  ...apiDeps(),
  extraRoutes: (router) => {
    taskRoutes(router, taskDeps());
    caseRoutes(router, caseViewDeps());
    const reports = reportDeps();
    reportRoutes(officersOnly(router, reports, ['/reports', '/reports/annual']), reports);
  },
});

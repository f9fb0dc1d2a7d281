import { createApi } from '../app/api.js';
import { caseRoutes } from '../app/case-routes.js';
import { apiDeps, caseViewDeps, taskDeps } from '../app/container.js';
import { taskRoutes } from '../app/task-routes.js';

/** The HTTP API behind API Gateway: resident form and intake, officer task links, case pages, health, assets. */
export const handler = createApi({
  ...apiDeps(),
  extraRoutes: (router) => {
    taskRoutes(router, taskDeps());
    caseRoutes(router, caseViewDeps());
  },
});

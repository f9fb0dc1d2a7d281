import type { Router } from '../http/router.js';
import { auditRoutes } from './audit-routes.js';
import {
  auditRouteDeps,
  dataProtectionDeps,
  ombudsmanFileDeps,
  retentionRouteDeps,
  staffDeps,
} from './container.js';
import { dataProtectionRoutes } from './data-protection-routes.js';
import { ombudsmanFileRoutes } from './ombudsman-file-routes.js';
import { retentionRoutes } from './retention-routes.js';
import { staffRoutes } from './staff-routes.js';

/**
 * The staff workspace's pages, all under `/staff`: sign-in, the queue, search and case pages and
 * their actions, the Ombudsman's file, the audit log, legal holds and erasure, and the register of
 * subject access requests. The API entry file registers them on the first request under `/staff`
 * (`Router.lazy`): residents' and officers' requests, most of the API's, never load them.
 */
export function workspaceRoutes(router: Router): void {
  ombudsmanFileRoutes(router, ombudsmanFileDeps());
  staffRoutes(router, staffDeps());
  auditRoutes(router, auditRouteDeps());
  retentionRoutes(router, retentionRouteDeps());
  dataProtectionRoutes(router, dataProtectionDeps());
}

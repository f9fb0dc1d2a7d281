import { randomBytes, randomUUID } from 'node:crypto';
import type { APIGatewayProxyResult, Context } from 'aws-lambda';
import { OidcIdentityProvider } from '../../functions/adapters/oidc-sign-in.js';
import { createApi } from '../../functions/app/api.js';
import { correspondence } from '../../functions/app/correspondence.js';
import { type StaffDeps, staffRoutes } from '../../functions/app/staff-routes.js';
import { SESSION_COOKIE, staffCookie } from '../../functions/app/staff-session.js';
import type { Policy } from '../../functions/domain/policy-schema.js';
import type { CaseStore, StaffCaseQueries, StaffStore } from '../../functions/domain/ports.js';
import type { StaffMember } from '../../functions/domain/staff.js';
import type { Router } from '../../functions/http/router.js';
import type { apiEvent } from './api-event.js';
import { RecordingWorkflows } from './fake-workflows.js';
import { MemoryArchive } from './memory-archive.js';
import { MemoryArchiveControl } from './memory-archive-control.js';
import { MemoryAuditLog } from './memory-audit-log.js';
import { MemoryEvidenceStore } from './memory-evidence.js';
import { MemoryMailer } from './memory-mailer.js';

/** Where `workspaceDeps`' workspace is served: https, as deployed. */
export const WORKSPACE_BASE_URL = 'https://complaints.example.gov.uk';

/**
 * The staff workspace's API in-process, as the integration tests drive it: the deployed routes
 * with the stores a test gives (DynamoDB Local's, usually) and the rest in memory, and sessions
 * made as the sign-in makes them. Never reaches the identity provider: every test has a session.
 */
export function workspaceDeps<Extra extends object = object>(
  parts: {
    store: CaseStore & StaffCaseQueries;
    staffStore: StaffStore;
    policy: Policy;
    now: () => Date;
  } & Partial<StaffDeps> &
    Extra,
): StaffDeps & Extra {
  return {
    archive: new MemoryArchive(),
    audit: new MemoryAuditLog(),
    control: new MemoryArchiveControl(),
    evidence: new MemoryEvidenceStore(),
    workflows: new RecordingWorkflows(),
    sessionClock: parts.now,
    newId: () => randomUUID(),
    linkSecrets: async () => ['test-secret-test-secret-test-secret'],
    identity: new OidcIdentityProvider({ issuer: 'https://sign-in.example.gov.uk', clientId: 'workspace' }),
    baseUrl: WORKSPACE_BASE_URL,
    send: correspondence(parts.policy, new MemoryMailer()),
    ...parts,
  };
}

/** The API with the workspace's routes and those of the feature under test. */
export function workspaceApi<D extends StaffDeps>(
  deps: D,
  ...routes: ((router: Router, deps: D) => void)[]
): (event: ReturnType<typeof apiEvent>) => Promise<APIGatewayProxyResult> {
  const api = createApi({
    store: deps.store,
    policy: deps.policy,
    now: deps.now,
    newId: () => randomUUID(),
    extraRoutes: (r) => {
      staffRoutes(r, deps);
      for (const add of routes) add(r, deps);
    },
  });
  return (event) => api(event, {} as Context);
}

/**
 * A fresh session for `staff` at `at`, as the sign-in stores it: its cookie (named as on
 * `baseUrl`, by default `workspaceDeps`' https address) and anti-forgery token.
 */
export async function staffSession(
  staffStore: StaffStore,
  staff: StaffMember,
  at: Date,
  baseUrl = WORKSPACE_BASE_URL,
): Promise<{ id: string; csrf: string; cookie: string }> {
  const id = randomBytes(32).toString('base64url');
  const csrf = randomBytes(32).toString('base64url');
  await staffStore.putSession(
    { id, staff, csrf, createdAt: at.toISOString(), lastSeenAt: at.toISOString() },
    new Date(at.getTime() + 3_600_000).toISOString(),
  );
  return { id, csrf, cookie: `${staffCookie(baseUrl, SESSION_COOKIE).name}=${id}` };
}

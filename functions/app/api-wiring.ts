import { CASE_TABLE_STORE } from '../adapters/case-table-store.js';
import { requireEnv } from '../adapters/config.js';
import type {
  AuditLog,
  CaseEraser,
  CaseStore,
  EqualityStore,
  RateLimiter,
  SignInLinks,
  StaffCaseQueries,
  StaffStore,
  SubjectAccessRegister,
} from '../domain/ports.js';
import { caseStoreOptions } from './case-store-options.js';
import type { AdapterBuilders } from './container.js';
import { type AsyncPort, loadedOnFirstCall, type MethodKinds } from './lazy-adapter.js';
import { S3_ADAPTERS } from './s3-wiring.js';
import { IDENTITY_ADAPTERS, LINK_SECRET_ADAPTERS, MAIL_ADAPTERS, WORKFLOW_ADAPTERS } from './wiring.js';

/*
 * The adapters the API wires (`functions/handlers/api.ts`). A module of its own: the case table's
 * adapters here are imported with `import()`, and esbuild makes a chunk of every module a bundle
 * imports so, whether or not the code that imports it is used; the steps, which import
 * `wiring.ts`, would ship them.
 */

/** Every method of the case store the API's pages and intake call, and how each answers. */
const CASE_STORE_METHODS = {
  ping: true,
  nextReference: true,
  create: true,
  get: true,
  getByReference: true,
  update: true,
  appendEvent: true,
  events: true,
  openByDeadline: true,
  openCases: 'iterable',
  byComplainant: true,
  complainantDesignated: true,
  byService: true,
  receivedBetween: 'iterable',
  openPage: true,
  search: true,
  workList: true,
  erase: true,
} as const;

/**
 * An adapter of the case table's records (`CASE_TABLE`, read now so that a missing setting fails
 * as before), loaded on its first call. Each `load` names its module in an `import()` of its own:
 * esbuild makes a chunk only of a module named so.
 */
function onCaseTable<T extends AsyncPort<T>>(
  methods: MethodKinds<T>,
  load: (tableName: string) => Promise<T>,
): T {
  const tableName = requireEnv('CASE_TABLE');
  return loadedOnFirstCall<T>(methods, () => load(tableName));
}

/**
 * The case table for the API, loaded on the first request that reads or writes it: the case
 * store, intake's rate limits, staff and their sign-in links, the audit log, equality monitoring
 * answers and subject access requests. The resident's form and the static files read none of
 * them, so a cold start that serves the form loads no DynamoDB client (its `import` is most of
 * the cold start of a function that does nothing else). Each is a chunk of its own; the client
 * they share is loaded once. Settings are read when each is built, so a missing one fails as
 * before.
 */
export const TABLE_ADAPTERS = {
  store: () => {
    const options = caseStoreOptions();
    return Object.assign(
      loadedOnFirstCall<CaseStore & StaffCaseQueries & CaseEraser>(
        CASE_STORE_METHODS,
        async () => new (await import('../adapters/dynamodb-case-store.js')).DynamoDbCaseStore(options),
      ),
      { [CASE_TABLE_STORE]: true },
    );
  },
  limiter: () =>
    onCaseTable<RateLimiter>(
      { take: true },
      async (tableName) =>
        new (await import('../adapters/dynamodb-rate-limiter.js')).DynamoDbRateLimiter({ tableName }),
    ),
  equality: () =>
    onCaseTable<EqualityStore>(
      { record: true, between: 'iterable' },
      async (tableName) =>
        new (await import('../adapters/dynamodb-equality-store.js')).DynamoDbEqualityStore({ tableName }),
    ),
  audit: () =>
    onCaseTable<AuditLog>(
      { record: true, between: 'iterable' },
      async (tableName) =>
        new (await import('../adapters/dynamodb-audit-log.js')).DynamoDbAuditLog({ tableName }),
    ),
  subjectAccess: () =>
    onCaseTable<SubjectAccessRegister>(
      { create: true, get: true, update: true, events: true, all: true },
      async (tableName) =>
        new (await import('../adapters/dynamodb-subject-access-register.js')).DynamoDbSubjectAccessRegister({
          tableName,
        }),
    ),
  staffStore: () =>
    onCaseTable<StaffStore>(
      {
        putSession: true,
        getSession: true,
        touchSession: true,
        refreshSession: true,
        deleteSession: true,
        recordStaff: true,
        directory: true,
      },
      async (tableName) =>
        new (await import('../adapters/dynamodb-staff-store.js')).DynamoDbStaffStore({ tableName }),
    ),
  signInLinks: () =>
    onCaseTable<SignInLinks>(
      { issue: true, use: true, signOut: true, signedOut: true },
      async (tableName) =>
        new (await import('../adapters/dynamodb-sign-in-links.js')).DynamoDbSignInLinks({ tableName }),
    ),
} satisfies Partial<AdapterBuilders>;

/**
 * Every set: the API (which serves every page). Not the policy loader (`policy-loader.ts`): the
 * deployed API reads the policy file validated at deploy, and needs neither presets nor schema;
 * nor the report's counters (`report-counter-wiring.ts`), which it wires when the reports are
 * first asked for. A list rather than one merged object: esbuild cannot drop an object spread (it
 * may run getters), and would then keep every set everywhere.
 */
export const ALL_ADAPTERS = [
  TABLE_ADAPTERS,
  S3_ADAPTERS,
  MAIL_ADAPTERS,
  WORKFLOW_ADAPTERS,
  LINK_SECRET_ADAPTERS,
  IDENTITY_ADAPTERS,
] as const;

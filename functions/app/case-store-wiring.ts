import { DynamoDbCaseStore } from '../adapters/dynamodb-case-store.js';
import { DynamoDbHoldReminders } from '../adapters/dynamodb-hold-reminders.js';
import { caseStoreOptions } from './case-store-options.js';
import type { AdapterBuilders } from './container.js';

/**
 * The case store (`CASE_TABLE`), loaded when the function starts: the steps, the stream's
 * handlers and the scheduled functions, every invocation of which reads a case. The API wires
 * `TABLE_ADAPTERS` instead, which load it on first use. A module of its own, apart from
 * `wiring.ts`: esbuild keeps a module imported statically anywhere in a bundle that also imports
 * it with `import()`, so the API, which does, must not import this one.
 */
export const CASE_STORE_ADAPTERS = {
  store: () => new DynamoDbCaseStore(caseStoreOptions()),
  holdReminders: () => new DynamoDbHoldReminders({ tableName: caseStoreOptions().tableName }),
} satisfies Partial<AdapterBuilders>;

import { requireEnv } from '../adapters/config.js';
import type { DynamoDbCaseStoreOptions } from '../adapters/dynamodb-case-store.js';
import { adapter } from './container.js';

/**
 * Where the case store keeps its cases: `CASE_TABLE`, for as long as the policy's `retention`
 * says. Read by both wirings of the store (`case-store-wiring.ts`, `api-wiring.ts`). A module of
 * its own, not in `wiring.ts`: a function that wires the case store alone (the record step) would
 * otherwise ship every chunk that module loads on first call (S3, SES, Step Functions, Secrets
 * Manager) and load the errors of their adapters at its start.
 */
export function caseStoreOptions(): DynamoDbCaseStoreOptions {
  const { retention } = adapter('policy');
  return {
    tableName: requireEnv('CASE_TABLE'),
    retentionYears: { closed: retention.closedYears, ombudsman: retention.ombudsmanYears },
  };
}

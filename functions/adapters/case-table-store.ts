/**
 * Marks a case store kept in the case table: `DynamoDbCaseStore`, and the API's stand-in for it
 * that loads it on first use (`api-wiring.ts`). The report's counters live beside such a store
 * (`report-counter-wiring.ts`); the tests' memory store has none. A mark rather than
 * `instanceof`, which the stand-in is not, in a module of its own so that asking loads no
 * DynamoDB client.
 */
export const CASE_TABLE_STORE: unique symbol = Symbol('redress.caseTableStore');

/** Whether the store is kept in the case table. */
export function keptInCaseTable(store: object): boolean {
  return CASE_TABLE_STORE in store;
}

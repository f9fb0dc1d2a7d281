import { DynamoDbCaseStore } from '../adapters/dynamodb-case-store.js';

/**
 * `CASE_TABLE=<table> npm run designations:index`
 *
 * Once, on a case table from before designation items: gives every case whose complainant
 * stands designated its `DESIGNATED#` item and marks the table as indexed, so intake checks a
 * complainant with one small Query instead of reading all their cases. Until it has run, intake
 * still reads the cases (nothing is missed); running it again does no harm. Run it once too on a
 * table whose designation items are keyed by address rather than mailbox: it moves those made
 * under a `+tag` to the mailbox, where the plain address and every other tag find them.
 */
const tableName = process.env.CASE_TABLE;
if (!tableName) {
  process.stderr.write('Set CASE_TABLE to the case table’s name.\n');
  process.exitCode = 2;
} else {
  const result = await new DynamoDbCaseStore({ tableName }).indexDesignations();
  process.stdout.write(
    `Read ${result.cases} cases with a designation or the old flag; ${result.designated} stand designated and are indexed.\n`,
  );
}

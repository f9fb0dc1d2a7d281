import { DynamoDbCaseStore } from '../adapters/dynamodb-case-store.js';

/**
 * `CASE_TABLE=<table> npm run worklists:index`
 *
 * Once, after the upgrade that gave work-list entries (letters to post, designations due for
 * review) their case's expiry: gives the entries written before it that expiry, and deletes the
 * entries of cases that are gone. Without it the table's TTL, which deletes a case item alone,
 * leaves those entries on their lists for ever. Safe to run again, and while cases change.
 */
const tableName = process.env.CASE_TABLE;
if (!tableName) {
  process.stderr.write('Set CASE_TABLE to the case table’s name.\n');
  process.exitCode = 2;
} else {
  const result = await new DynamoDbCaseStore({ tableName }).indexWorkLists();
  process.stdout.write(
    `Read ${result.cases} cases: wrote ${result.updated} work-list entries and deleted ${result.removed}.` +
      (result.changed > 0 ? ` ${result.changed} cases changed while it ran: run it again for them.` : '') +
      '\n',
  );
}

import { DynamoDbCaseStore } from '../adapters/dynamodb-case-store.js';

/**
 * `CASE_TABLE=<table> npm run search:index`
 *
 * After an upgrade that changes how search terms are made (the release notes say so): makes the
 * table's search-term items match what each case is found by now. Deletes the terms an older
 * version wrote and this one does not make (they would otherwise outlive an erasure and the
 * case's retention), and adds the terms a case lacks. Safe to run again, and while cases change.
 */
const tableName = process.env.CASE_TABLE;
if (!tableName) {
  process.stderr.write('Set CASE_TABLE to the case table’s name.\n');
  process.exitCode = 2;
} else {
  const result = await new DynamoDbCaseStore({ tableName }).indexSearchTerms();
  process.stdout.write(
    `Read ${result.cases} cases: added ${result.added} search terms and deleted ${result.removed}.` +
      (result.changed > 0 ? ` ${result.changed} cases changed while it ran: run it again for them.` : '') +
      '\n',
  );
}

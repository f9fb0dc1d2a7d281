import { DynamoDbCaseStore } from '../adapters/dynamodb-case-store.js';

/**
 * `CASE_TABLE=<table> npm run case-items:pack`
 *
 * Has the case table store cases packed from now on (most of a case's fields in one compressed
 * attribute, `case-item-packing.ts`): each case is packed at its next write, within a minute of
 * the command on every container. Run it only once no version from before packing runs or will be
 * rolled back to: that version cannot read a packed case (infra/DEPLOY.md). Running it again does
 * no harm.
 */
const tableName = process.env.CASE_TABLE;
if (!tableName) {
  process.stderr.write('Set CASE_TABLE to the case table’s name.\n');
  process.exitCode = 2;
} else {
  await new DynamoDbCaseStore({ tableName }).packCaseItems();
  process.stdout.write('Cases are stored packed from now on, each at its next write.\n');
}

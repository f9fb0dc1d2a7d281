import { MAX_OPEN_SHARDS, OPEN_SHARDS } from '../adapters/case-table.js';
import { DynamoDbCaseStore } from '../adapters/dynamodb-case-store.js';

/**
 * `CASE_TABLE=<table> npm run open:shards [-- <shards>]`
 *
 * Spreads the open-cases index over more shards (`OPEN_SHARDS`, 32, unless given): this version
 * reads them at once and writes cases among them fifteen minutes later. Run it only once no
 * version from before the open index's layout runs or will be rolled back to: that version reads
 * the first 16 shards alone and would miss the open cases on the others (infra/DEPLOY.md). It
 * never lowers the count; running it again does no harm.
 */
const tableName = process.env.CASE_TABLE;
const asked = process.argv[2];
const shards = asked === undefined ? OPEN_SHARDS : Number(asked);
if (!tableName) {
  process.stderr.write('Set CASE_TABLE to the case table’s name.\n');
  process.exitCode = 2;
} else if (!Number.isInteger(shards) || shards < 1) {
  process.stderr.write(`The number of shards must be a whole number above 0, not ${asked}.\n`);
  process.exitCode = 2;
} else if (shards > MAX_OPEN_SHARDS) {
  process.stderr.write(
    `The number of shards can be at most ${MAX_OPEN_SHARDS}, not ${asked}: it never goes down.\n`,
  );
  process.exitCode = 2;
} else {
  const layout = await new DynamoDbCaseStore({ tableName }).raiseOpenShards(shards);
  process.stdout.write(
    layout.shards > shards
      ? `The open index is already on ${layout.shards} shards: left as it is.\n`
      : `The open index is read on ${layout.shards} shards; cases are written among them from ${layout.writeFrom} (among ${layout.previous} until then).\n`,
  );
}

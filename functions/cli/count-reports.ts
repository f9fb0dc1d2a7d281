import { DynamoDbCaseStore } from '../adapters/dynamodb-case-store.js';
import { DynamoDbReportCounters } from '../adapters/dynamodb-report-counters.js';
import { buildReportCounters } from '../app/report-counting.js';
import { loadPolicy } from '../domain/policy.js';
import { CaseCounter } from '../reports/compute.js';
import { CountersMovedOnError, countingBasis } from '../reports/counted.js';

/**
 * `CASE_TABLE=<table> REDRESS_POLICY=<the deployed policy> npm run reports:count`
 *
 * Builds the public report's counters afresh from every case in the table: once after deploying
 * the counters on a table that has cases, and again after each deploy that changes the policy or
 * the bank holidays, or rolls them back (the stream then starts new counters, and the report reads
 * cases until they are built). It runs beside the stream's own counting, which counts into the
 * same new counters from the moment it begins, and may be run again: each run starts from
 * nothing. `REPORTS_COUNT_CONCURRENCY` (default 16) sets how many cases are counted at once.
 */
const tableName = process.env.CASE_TABLE;
const policySetting = process.env.REDRESS_POLICY;
if (!tableName || !policySetting) {
  process.stderr.write(
    'Set CASE_TABLE to the case table’s name and REDRESS_POLICY to the deployed policy.\n',
  );
  process.exitCode = 2;
} else {
  const policy = loadPolicy(policySetting);
  const concurrency = Number(process.env.REPORTS_COUNT_CONCURRENCY ?? 16);
  try {
    const result = await buildReportCounters(
      {
        store: new DynamoDbCaseStore({ tableName }),
        counters: new DynamoDbReportCounters({ tableName, basis: countingBasis(policy) }),
        counter: new CaseCounter(policy),
      },
      {
        concurrency: Number.isInteger(concurrency) && concurrency > 0 ? concurrency : 16,
        onProgress: (cases) => process.stdout.write(`${cases} cases counted\n`),
      },
    );
    process.stdout.write(
      `Counted ${result.cases} cases into new counters; the public report now reads them.\n`,
    );
  } catch (error: unknown) {
    if (!(error instanceof CountersMovedOnError)) throw error;
    process.stderr.write(
      'The counters moved on while this ran (the stream started counting under another policy, or another ' +
        'count began), so these will not be read. Run it again, with the deployed policy, once the deployment ' +
        'and any other count have finished.\n',
    );
    process.exitCode = 1;
  }
}

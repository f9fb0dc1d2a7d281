import { DynamoDbCaseStore } from '../adapters/dynamodb-case-store.js';
import { DynamoDbReportCounters } from '../adapters/dynamodb-report-counters.js';
import { buildReportCounters } from '../app/report-counting.js';
import { loadPolicy } from '../domain/policy.js';
import { CaseCounter } from '../reports/compute.js';
import { countingBasis } from '../reports/counted.js';

/**
 * `CASE_TABLE=<table> REDRESS_POLICY=<the deployed policy> npm run reports:count`
 *
 * Builds the public report's counters for every case in the table: once after deploying the
 * counters on a table that has cases, and again after changing the policy or the bank holidays
 * (the counters are kept per policy and calendar, and the report reads cases until they are built),
 * or rolling either back (the older counters missed what was counted meanwhile).
 * It runs beside the stream's own counting and may be run again: each case is settled against
 * what was counted for it, never added twice. `REPORTS_COUNT_CONCURRENCY` (default 16) sets how
 * many cases are counted at once.
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
    `Counted ${result.cases} cases (${result.changed} changed the counters); the public report now reads the counters.\n`,
  );
}

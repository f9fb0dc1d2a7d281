import { keptInCaseTable } from '../adapters/case-table-store.js';
import { requireEnv } from '../adapters/config.js';
import { DynamoDbReportCounters } from '../adapters/dynamodb-report-counters.js';
import { countingBasis } from '../reports/counted.js';
import { type AdapterBuilders, adapter } from './container.js';

/**
 * The public report's counters, kept by the table's stream (`report-counting.ts`), in the case
 * table under the policy's counting basis. A store that is not the case table (the tests' memory
 * store) has none: the report then reads the cases, as it does until the counters are built.
 */
export const REPORT_COUNTER_ADAPTERS = {
  reportCounters: () =>
    keptInCaseTable(adapter('store'))
      ? new DynamoDbReportCounters({
          tableName: requireEnv('CASE_TABLE'),
          basis: countingBasis(adapter('policy')),
        })
      : undefined,
} satisfies Partial<AdapterBuilders>;

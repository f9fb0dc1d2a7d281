import { optionalEnv } from '../adapters/config.js';
import { caseStore, mailer } from '../adapters/index.js';
import { currentPolicy, now } from '../app/container.js';
import { sendMonthlyReport } from '../reports/monthly.js';

const deps = {
  store: caseStore(),
  mailer: mailer(),
  policy: currentPolicy(),
  now,
  baseUrl: optionalEnv('PUBLIC_BASE_URL'),
};

/** Scheduled (EventBridge, early on the 1st of each month): last month's summary to the complaints team. */
export const handler = async () => {
  const { period, messageId } = await sendMonthlyReport(deps);
  return { period, messageId };
};

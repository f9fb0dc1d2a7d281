import { optionalEnv } from '../adapters/config.js';
import { mailer } from '../adapters/index.js';
import { linkSecrets } from '../adapters/link-secrets.js';
import { caseStore, currentPolicy, now } from '../app/container.js';
import { reportsLink } from '../app/report-access.js';
import { sendMonthlyReport } from '../reports/monthly.js';

const deps = {
  store: caseStore(),
  mailer: mailer(),
  policy: currentPolicy(),
  now,
  baseUrl: optionalEnv('PUBLIC_BASE_URL'),
  signReportsLink: async (baseUrl: string, officer: string) =>
    reportsLink(baseUrl, (await linkSecrets())[0] as string, officer, now()),
};

/** Scheduled (EventBridge, early on the 1st of each month): last month's summary to the complaints team. */
export const handler = async () => {
  const { period, messageId } = await sendMonthlyReport(deps);
  return { period, messageId };
};

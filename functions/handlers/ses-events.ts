import type { SNSEvent } from 'aws-lambda';
import { mailer } from '../adapters/index.js';
import { caseStore, currentPolicy, now } from '../app/container.js';
import { correspondence } from '../app/correspondence.js';
import { recordMailEvent, type SesEventNotification } from '../app/mail-events.js';

const policy = currentPolicy();
const deps = { store: caseStore(), policy, send: correspondence(policy, mailer()), now };

/** SES bounce and complaint events (configuration set → SNS) recorded on the case. */
export const handler = async (event: SNSEvent): Promise<void> => {
  for (const record of event.Records) {
    await recordMailEvent(deps, JSON.parse(record.Sns.Message) as SesEventNotification);
  }
};

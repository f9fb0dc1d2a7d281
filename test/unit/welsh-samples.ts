import type { EmailData, EmailTemplate, OmbudsmanDetails } from '../../functions/templates/render-email.js';
import { SAMPLE_EMAIL_DATA as ENGLISH_SAMPLES } from '../support/email-samples.js';

/**
 * Data for every email template, for the Welsh tests: the shared samples, with a council in
 * Wales's ombudsman (the Public Services Ombudsman for Wales, as the Welsh letters name it).
 */
const PSOW: OmbudsmanDetails = {
  kind: 'psow',
  name: 'Ombwdsmon Gwasanaethau Cyhoeddus Cymru',
  phone: '0300 790 0203',
  url: 'https://www.ombwdsmon.cymru',
  timeLimit: { months: 12, from: 'aware' },
};

export const SAMPLE_EMAIL_DATA = Object.fromEntries(
  Object.entries(ENGLISH_SAMPLES).map(([template, data]) => [
    template,
    'ombudsman' in data ? { ...data, ombudsman: PSOW } : data,
  ]),
) as { [K in EmailTemplate]: EmailData[K] };

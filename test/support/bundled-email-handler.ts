import {
  type EmailData,
  type EmailTemplate,
  type RenderOptions,
  renderEmail,
} from '../../functions/templates/render-email.js';

/**
 * A Lambda entry that renders the emails it is given, for the test that bundles it as every
 * function is bundled (`test/infra/bundled-emails.test.ts`): the templates compiled at bundle
 * time, run by nunjucks's runtime alone.
 */
export async function handler(event: {
  emails: { template: EmailTemplate; data: EmailData[EmailTemplate]; options: RenderOptions }[];
}) {
  return event.emails.map(({ template, data, options }) => renderEmail(template, data, options));
}

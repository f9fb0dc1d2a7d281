import { optionalEnv, requireEnv } from '../adapters/config.js';
import { stateMachineArnsFromEnv } from '../adapters/index.js';
import { linkSecretsFromEnv } from '../adapters/link-secrets.js';
import { OidcIdentityProvider } from '../adapters/oidc-sign-in.js';
import type { Mailer, SuppressionList, WorkflowEngine } from '../domain/ports.js';
import type { AdapterBuilders } from './container.js';
import { loadedOnce, loadedOnFirstCall } from './lazy-adapter.js';

/**
 * The adapters beyond the core ones (`container.ts`), in sets an entry file wires with `wire()`:
 * each set brings its AWS client or library into the function's bundle, and a function that does
 * not wire a set does not load it (the package is marked free of side effects, so esbuild leaves
 * out every set nobody names; the chunks of those loaded on first call are still shipped). Which
 * function wires which set follows the permissions table in `infra/constructs/functions.ts`.
 *
 * S3's set is a module of its own (`s3-wiring.ts`), imported only by the functions that wire it:
 * esbuild makes a chunk of every module a bundle imports with `import()`, used or not, and puts
 * what such a chunk shares with the DynamoDB client's imports (the AWS SDK's XML protocol, S3's
 * checksums: 17 KB) in the chunks loaded at the function's start, with the case store.
 *
 * The case store has two wirings: loaded at start by every function but the API
 * (`CASE_STORE_ADAPTERS`, `case-store-wiring.ts`), and on the first request that needs it by the
 * API, with the table's other records (`TABLE_ADAPTERS`, `api-wiring.ts`).
 */

/*
 * The AWS clients' adapters (S3, SES, Step Functions) and the email templates are imported on
 * their first call (`loadedOnFirstCall`), each a chunk of its own: most invocations of most
 * functions call only some of what their function wires (the notify step prints a letter for a
 * posted case only; the API's form never starts a workflow), and loading a client is a good part
 * of a cold start. Their settings are still read when the adapter is built, so a missing one
 * fails as before.
 */

/** Email: SES (`MAIL_FROM`, `MAIL_CONFIGURATION_SET`) and the templates that render each message. */
export const MAIL_ADAPTERS = {
  mailer: () => {
    const options = {
      from: requireEnv('MAIL_FROM'),
      configurationSet: optionalEnv('MAIL_CONFIGURATION_SET'),
    };
    return loadedOnFirstCall<Mailer>(
      { ping: true, send: true },
      async () => new (await import('../adapters/ses-mailer.js')).SesMailer(options),
    );
  },
  // An erasure, or the end of a case's retention, asks SES to forget the resident's address (the
  // SES client, when it first does), only where the deployment says so: the list is the account's.
  suppressions: () =>
    optionalEnv('FORGET_SUPPRESSED_ADDRESSES') === 'true'
      ? loadedOnFirstCall<SuppressionList>(
          { forget: true },
          async () => new (await import('../adapters/ses-mailer.js')).SesSuppressionList(),
        )
      : undefined,
  // nunjucks and the templates, when the first email is rendered.
  correspondence: () => {
    const module = loadedOnce(() => import('./correspondence.js'));
    return (policy, mailer) => async (c, template, to, extra, options) =>
      (await module()).correspondence(policy, mailer)(c, template, to, extra, options);
  },
} satisfies Partial<AdapterBuilders>;

/** The workflows: Step Functions (`STATE_MACHINE_ARNS`, `STATE_MACHINE_ARN_<WORKFLOW>`). */
export const WORKFLOW_ADAPTERS = {
  workflows: () => {
    const stateMachineArns = stateMachineArnsFromEnv();
    return loadedOnFirstCall<WorkflowEngine>(
      {
        ping: true,
        start: true,
        sendTaskSuccess: true,
        sendTaskFailure: true,
        describe: true,
        redrive: true,
      },
      async () => new (await import('../adapters/sfn-workflow.js')).SfnWorkflowEngine({ stateMachineArns }),
    );
  },
} satisfies Partial<AdapterBuilders>;

/** The link-signing secrets: Secrets Manager (`LINK_SECRET_ARN`) or `LINK_SECRET` locally. */
export const LINK_SECRET_ADAPTERS = {
  linkSecrets: () => linkSecretsFromEnv(),
} satisfies Partial<AdapterBuilders>;

/** Staff sign-in: OpenID Connect (`STAFF_OIDC_ISSUER`, `STAFF_OIDC_CLIENT_ID`, `STAFF_OIDC_LOGOUT_URL`). */
export const IDENTITY_ADAPTERS = {
  identity: () => {
    const logoutUrl = optionalEnv('STAFF_OIDC_LOGOUT_URL');
    return new OidcIdentityProvider({
      issuer: requireEnv('STAFF_OIDC_ISSUER'),
      clientId: requireEnv('STAFF_OIDC_CLIENT_ID'),
      ...(logoutUrl ? { logoutUrl } : {}),
    });
  },
} satisfies Partial<AdapterBuilders>;

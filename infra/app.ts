/**
 * The CDK app (`cdk synth`, `cdk deploy`; cdk.json runs it with tsx). Settings come from context
 * (`-c redress:policy=dudley`, see infra/config.ts and infra/DEPLOY.md). cdk-nag's AWS Solutions
 * and Serverless packs check every synth; a finding not acknowledged with a reason fails it.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { App, type AppProps, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { DeploymentConfigError, type PolicyLoader, readDeploymentConfig } from './config.js';
import { RedressStack } from './stack.js';

/**
 * Feature flags this app relies on (cdk.json or -c may still set them): server access logs are
 * authorised by bucket policy, not by the legacy log-delivery ACL.
 */
const FEATURE_DEFAULTS: Record<string, unknown> = {
  '@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy': true,
};

export interface RedressAppOptions extends AppProps {
  /** Root of the project to bundle. @default the repository */
  projectRoot?: string;
  loadPolicy?: PolicyLoader;
}

/** Builds the app: settings from context, the stack, and the cdk-nag checks. */
export function createRedressApp(options: RedressAppOptions = {}): { app: App; stack: RedressStack } {
  const { projectRoot, loadPolicy, ...appProps } = options;
  const app = new App({ ...appProps, context: { ...FEATURE_DEFAULTS, ...appProps.context } });
  const config = readDeploymentConfig((key) => app.node.tryGetContext(key), { loadPolicy });
  const stack = new RedressStack(app, config.stackName, { config, projectRoot });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));
  return { app, stack };
}

const isMain =
  process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href;
if (isMain) {
  try {
    createRedressApp().app.synth();
  } catch (error: unknown) {
    if (error instanceof DeploymentConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
}

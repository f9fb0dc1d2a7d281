/**
 * Configuration of the adapters, read from the environment when an adapter is first built (see
 * `functions/app/container.ts`); a missing setting fails with a message naming the variable.
 */

/** A required setting is missing or malformed. */
export class ConfigurationError extends Error {
  override name = 'ConfigurationError';
}

/** The value of environment variable `name`; throws `ConfigurationError` when it is unset or empty. */
export function requireEnv(name: string, env: NodeJS.ProcessEnv = process.env): string {
  const value = env[name]?.trim();
  if (!value) {
    throw new ConfigurationError(`Environment variable ${name} is required but is not set`);
  }
  return value;
}

/** The value of environment variable `name`, or undefined when it is unset or empty. */
export function optionalEnv(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

/**
 * Whether the AWS SDK will send this service's requests to an overridden endpoint (a local
 * stand-in): `AWS_ENDPOINT_URL_<SERVICE>` or the global `AWS_ENDPOINT_URL`. The SDK applies the
 * override itself; adapters only ask so they can adjust for the stand-in (e.g. S3 path style).
 */
export function hasEndpointOverride(serviceEnvSuffix: string, env: NodeJS.ProcessEnv = process.env): boolean {
  return (
    optionalEnv(`AWS_ENDPOINT_URL_${serviceEnvSuffix}`, env) !== undefined ||
    optionalEnv('AWS_ENDPOINT_URL', env) !== undefined
  );
}

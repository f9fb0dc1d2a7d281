import type { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import { logger, traceClient } from '../observability.js';
import { ConfigurationError, optionalEnv } from './config.js';
import { isServiceFailure, isThrottling, retryableErrorFor } from './errors.js';

/**
 * The link-signing secrets: the current one first, then the previous one, so that rotating the
 * secret does not break links already in people's inboxes. Resolves afresh on each call; the
 * source decides how long a value is kept.
 */
export type LinkSecrets = () => Promise<string[]>;

/**
 * How long a secret read from Secrets Manager is kept, in seconds: a rotation reaches every
 * warm container within five minutes, and a busy one still reads the secret rarely.
 */
export const LINK_SECRET_MAX_AGE_SECONDS = 300;

/**
 * How long secrets last read from Secrets Manager keep signing and checking links when it cannot
 * be read again for a while (an outage, throttling, the network): a resident mid-form or an
 * officer following a link should not meet an error page because a read that would have returned
 * the same value failed. A rotation made in that time reaches the container when Secrets Manager
 * answers again; links signed meanwhile with the newer secret elsewhere are refused here until
 * then, as expired. A refusal (access taken away, the secret deleted) is not waited out: it is
 * how a compromised secret is withdrawn, so it fails at once.
 */
export const LINK_SECRET_STALE_LIMIT_SECONDS = 24 * 60 * 60;

/** After a failed read, how long the last secrets serve before Secrets Manager is asked again. */
export const LINK_SECRET_RETRY_SECONDS = 30;

/** Shortest secret accepted: a signing key must be long enough not to be guessed. */
const MIN_SECRET_LENGTH = 32;

/**
 * The link secrets from the environment. On AWS the secret lives in Secrets Manager
 * (`LINK_SECRET_ARN`, a JSON `{"current": "...", "previous": "..."}` or a plain string), read
 * through Powertools Parameters and cached for `LINK_SECRET_MAX_AGE_SECONDS`; locally
 * `LINK_SECRET` (and `LINK_SECRET_PREVIOUS`) serve. Throws `ConfigurationError` when neither is set.
 */
export function linkSecretsFromEnv(env: NodeJS.ProcessEnv = process.env): LinkSecrets {
  const arn = optionalEnv('LINK_SECRET_ARN', env);
  if (arn !== undefined) {
    let provider: Promise<SecretsProvider> | undefined;
    const read = async (): Promise<string[]> => {
      provider ??= secretsProvider().catch((error: unknown) => {
        provider = undefined;
        throw error;
      });
      const secret = await (await provider).get(arn, { maxAge: LINK_SECRET_MAX_AGE_SECONDS });
      if (typeof secret !== 'string' || secret === '') {
        throw new ConfigurationError('The link secret in Secrets Manager is empty or not a string');
      }
      return parseSecret(secret);
    };
    // Hand-written: Powertools' cache forgets a value when its age is up, with no stale-if-error.
    let last: { secrets: string[]; readAt: number } | undefined;
    let askAgainAt = 0;
    return async () => {
      const now = Date.now();
      if (last && now < askAgainAt) return last.secrets;
      try {
        last = { secrets: await read(), readAt: now };
        return last.secrets;
      } catch (error: unknown) {
        if (!last || !forAWhile(error) || now - last.readAt > LINK_SECRET_STALE_LIMIT_SECONDS * 1000) {
          throw asAdapterError(error);
        }
        askAgainAt = now + LINK_SECRET_RETRY_SECONDS * 1000;
        logger.error('The link secret could not be read again; links are signed with the last one read', {
          lastReadAt: new Date(last.readAt).toISOString(),
          error,
        });
        return last.secrets;
      }
    };
  }
  const current = optionalEnv('LINK_SECRET', env);
  if (current !== undefined) {
    const previous = optionalEnv('LINK_SECRET_PREVIOUS', env);
    const secrets = previous === undefined ? [current] : [current, previous];
    return async () => secrets;
  }
  throw new ConfigurationError('Set LINK_SECRET_ARN (AWS) or LINK_SECRET (local) to sign emailed links');
}

/** Whether a failed read is Secrets Manager being unavailable for now, not refusing. */
function forAWhile(error: unknown): boolean {
  const cause = sdkErrorOf(error);
  return isThrottling(cause) || isServiceFailure(cause);
}

/** The SDK's error under Powertools' own `GetParameterError`, which wraps it. */
function sdkErrorOf(error: unknown): unknown {
  return error instanceof Error && error.name === 'GetParameterError' ? error.cause : error;
}

/**
 * A failed read as the callers know errors: Secrets Manager throttled or not answering is the
 * adapters' retryable error (the pages answer 503, try again), whatever Powertools wrapped it in;
 * anything else (access refused, a bad secret) as it was.
 */
function asAdapterError(error: unknown): unknown {
  return retryableErrorFor(sdkErrorOf(error), 'link secrets read') ?? error;
}

/**
 * Powertools' secrets provider over a Secrets Manager client, imported when a link is first
 * signed or checked: many invocations of the functions that may sign one do not.
 */
async function secretsProvider(): Promise<SecretsProvider> {
  const [{ SecretsProvider }, { SecretsManagerClient }] = await Promise.all([
    import('@aws-lambda-powertools/parameters/secrets'),
    import('@aws-sdk/client-secrets-manager'),
  ]);
  return new SecretsProvider({ awsSdkV3Client: traceClient(new SecretsManagerClient({})) });
}

/** The secrets in a Secrets Manager value: `{"current", "previous"}` JSON, or one plain string. */
export function parseSecret(secret: string): string[] {
  let value: unknown;
  try {
    value = JSON.parse(secret);
  } catch (error: unknown) {
    // A plain string secret, as Secrets Manager generates it.
    if (!(error instanceof SyntaxError)) throw error;
  }
  if (
    typeof value === 'object' &&
    value !== null &&
    'current' in value &&
    typeof value.current === 'string'
  ) {
    const previous = 'previous' in value && typeof value.previous === 'string' ? [value.previous] : [];
    return [value.current, ...previous];
  }
  if (secret.length < MIN_SECRET_LENGTH) {
    throw new ConfigurationError(`The link secret must be at least ${MIN_SECRET_LENGTH} characters`);
  }
  return [secret];
}

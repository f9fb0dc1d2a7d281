import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ConfigurationError } from './config.js';

/**
 * The link-signing secrets: the current one first, then the previous one, so that rotating the
 * secret does not break links already in people's inboxes. On AWS the secret lives in Secrets
 * Manager (`LINK_SECRET_ARN`, a JSON `{"current": "...", "previous": "..."}` or a plain string)
 * and is read once per container; locally `LINK_SECRET` (and `LINK_SECRET_PREVIOUS`) serve.
 */
let cached: Promise<string[]> | undefined;

export function linkSecrets(env: NodeJS.ProcessEnv = process.env): Promise<string[]> {
  cached ??= load(env).catch((error: unknown) => {
    cached = undefined;
    throw error;
  });
  return cached;
}

async function load(env: NodeJS.ProcessEnv): Promise<string[]> {
  if (env.LINK_SECRET_ARN) {
    const client = new SecretsManagerClient({});
    const { SecretString } = await client.send(new GetSecretValueCommand({ SecretId: env.LINK_SECRET_ARN }));
    if (!SecretString) throw new ConfigurationError('The link secret in Secrets Manager is empty');
    return parse(SecretString);
  }
  if (env.LINK_SECRET)
    return [env.LINK_SECRET, ...(env.LINK_SECRET_PREVIOUS ? [env.LINK_SECRET_PREVIOUS] : [])];
  throw new ConfigurationError('Set LINK_SECRET_ARN (AWS) or LINK_SECRET (local) to sign emailed links');
}

function parse(secret: string): string[] {
  try {
    const value = JSON.parse(secret) as { current?: unknown; previous?: unknown };
    if (typeof value.current === 'string') {
      return [value.current, ...(typeof value.previous === 'string' ? [value.previous] : [])];
    }
  } catch {
    // A plain string secret, as Secrets Manager generates it.
  }
  if (secret.length < 32) throw new ConfigurationError('The link secret must be at least 32 characters');
  return [secret];
}

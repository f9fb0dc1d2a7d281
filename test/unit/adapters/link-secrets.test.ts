import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConfigurationError } from '../../../functions/adapters/config.js';
import { LINK_SECRET_MAX_AGE_SECONDS, linkSecretsFromEnv } from '../../../functions/adapters/link-secrets.js';

const secretsManager = mockClient(SecretsManagerClient);
const ARN = 'arn:aws:secretsmanager:eu-west-2:123456789012:secret:redress-links';
const CURRENT = 'current-link-secret-0123456789abcdef0123';
const PREVIOUS = 'previous-link-secret-0123456789abcdef012';
const ROTATED = 'rotated-link-secret-0123456789abcdef01234';
const onAws = { AWS_REGION: 'eu-west-2', LINK_SECRET_ARN: ARN };

afterEach(() => {
  secretsManager.reset();
  vi.useRealTimers();
});

describe('link secrets', () => {
  it('serves LINK_SECRET, then LINK_SECRET_PREVIOUS, when no secret ARN is set (npm start)', async () => {
    const secrets = linkSecretsFromEnv({ LINK_SECRET: CURRENT, LINK_SECRET_PREVIOUS: PREVIOUS });

    expect(await secrets()).toEqual([CURRENT, PREVIOUS]);
  });

  it('says what to set when no secret is configured', () => {
    expect(() => linkSecretsFromEnv({})).toThrow(ConfigurationError);
    expect(() => linkSecretsFromEnv({})).toThrow(/LINK_SECRET_ARN .*LINK_SECRET/);
  });

  it('reads the current and previous secrets from Secrets Manager', async () => {
    secretsManager
      .on(GetSecretValueCommand, { SecretId: ARN })
      .resolves({ SecretString: JSON.stringify({ current: CURRENT, previous: PREVIOUS }) });

    expect(await linkSecretsFromEnv(onAws)()).toEqual([CURRENT, PREVIOUS]);
  });

  it('accepts a plain secret, as Secrets Manager generates it', async () => {
    secretsManager.on(GetSecretValueCommand).resolves({ SecretString: CURRENT });

    expect(await linkSecretsFromEnv(onAws)()).toEqual([CURRENT]);
  });

  it('refuses a plain secret too short to sign links with', async () => {
    secretsManager.on(GetSecretValueCommand).resolves({ SecretString: 'too-short' });

    await expect(linkSecretsFromEnv(onAws)()).rejects.toThrow(ConfigurationError);
  });

  it('keeps the secret for its maximum age, then picks up a rotation', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: new Date('2026-03-02T09:00:00.000Z') });
    secretsManager
      .on(GetSecretValueCommand)
      .resolvesOnce({ SecretString: JSON.stringify({ current: CURRENT }) })
      .resolves({ SecretString: JSON.stringify({ current: ROTATED, previous: CURRENT }) });
    const secrets = linkSecretsFromEnv(onAws);

    expect(await secrets()).toEqual([CURRENT]);
    vi.setSystemTime(Date.now() + (LINK_SECRET_MAX_AGE_SECONDS - 1) * 1000);
    expect(await secrets()).toEqual([CURRENT]);
    expect(secretsManager.commandCalls(GetSecretValueCommand)).toHaveLength(1);

    vi.setSystemTime(Date.now() + 2000);
    expect(await secrets()).toEqual([ROTATED, CURRENT]);
    expect(secretsManager.commandCalls(GetSecretValueCommand)).toHaveLength(2);
  });
});

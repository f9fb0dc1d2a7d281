import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConfigurationError } from '../../../functions/adapters/config.js';
import { ServiceUnavailableError } from '../../../functions/adapters/errors.js';
import {
  LINK_SECRET_MAX_AGE_SECONDS,
  LINK_SECRET_RETRY_SECONDS,
  LINK_SECRET_STALE_LIMIT_SECONDS,
  linkSecretsFromEnv,
} from '../../../functions/adapters/link-secrets.js';

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

  describe('when Secrets Manager cannot be read', () => {
    // As the SDK gives a server-side failure.
    const outage = Object.assign(new Error('Service unavailable'), {
      name: 'InternalServiceError',
      $fault: 'server',
      $metadata: { httpStatusCode: 500 },
    });
    const later = (seconds: number): void => {
      vi.setSystemTime(Date.now() + seconds * 1000);
    };

    it('keeps signing with the secrets last read, and asks again after a pause', async () => {
      vi.useFakeTimers({ toFake: ['Date'], now: new Date('2026-03-02T09:00:00.000Z') });
      secretsManager
        .on(GetSecretValueCommand)
        .resolvesOnce({ SecretString: JSON.stringify({ current: CURRENT, previous: PREVIOUS }) })
        .rejectsOnce(outage)
        .resolves({ SecretString: JSON.stringify({ current: ROTATED, previous: CURRENT }) });
      const secrets = linkSecretsFromEnv(onAws);
      expect(await secrets()).toEqual([CURRENT, PREVIOUS]);

      later(LINK_SECRET_MAX_AGE_SECONDS + 1);
      expect(await secrets()).toEqual([CURRENT, PREVIOUS]);
      expect(secretsManager.commandCalls(GetSecretValueCommand)).toHaveLength(2);
      // Within the pause nobody waits on a service that just failed.
      later(LINK_SECRET_RETRY_SECONDS - 1);
      expect(await secrets()).toEqual([CURRENT, PREVIOUS]);
      expect(secretsManager.commandCalls(GetSecretValueCommand)).toHaveLength(2);

      later(2);
      expect(await secrets()).toEqual([ROTATED, CURRENT]);
      expect(secretsManager.commandCalls(GetSecretValueCommand)).toHaveLength(3);
    });

    it('fails at once when access to the secret is refused, as when a compromised secret is withdrawn', async () => {
      secretsManager
        .on(GetSecretValueCommand)
        .resolvesOnce({ SecretString: JSON.stringify({ current: CURRENT }) })
        .rejects(
          Object.assign(new Error('not authorized to perform secretsmanager:GetSecretValue'), {
            name: 'AccessDeniedException',
            $fault: 'client',
            $metadata: { httpStatusCode: 400 },
          }),
        );
      vi.useFakeTimers({ toFake: ['Date'], now: new Date('2026-03-02T09:00:00.000Z') });
      const secrets = linkSecretsFromEnv(onAws);
      expect(await secrets()).toEqual([CURRENT]);

      later(LINK_SECRET_MAX_AGE_SECONDS + 1);
      await expect(secrets()).rejects.toThrow('not authorized');
    });

    it('fails when no secret was ever read, so the caller answers 503', async () => {
      secretsManager.on(GetSecretValueCommand).rejects(outage);

      // As the adapters' retryable error, whatever Powertools wrapped the SDK's in: a 503, not a 500.
      await expect(linkSecretsFromEnv(onAws)()).rejects.toBeInstanceOf(ServiceUnavailableError);
    });

    it('stops using secrets read longer ago than the limit', async () => {
      vi.useFakeTimers({ toFake: ['Date'], now: new Date('2026-03-02T09:00:00.000Z') });
      secretsManager
        .on(GetSecretValueCommand)
        .resolvesOnce({ SecretString: JSON.stringify({ current: CURRENT }) })
        .rejects(outage);
      const secrets = linkSecretsFromEnv(onAws);
      expect(await secrets()).toEqual([CURRENT]);

      later(LINK_SECRET_STALE_LIMIT_SECONDS - 60);
      expect(await secrets()).toEqual([CURRENT]);
      later(120);
      await expect(secrets()).rejects.toBeInstanceOf(ServiceUnavailableError);
    });
  });
});

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadPolicy } from '../../functions/domain/policy.js';
import { DeploymentConfigError, PLACEHOLDER_MAIL_FROM, readDeploymentConfig } from '../../infra/config.js';

const dir = mkdtempSync(join(tmpdir(), 'redress-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A context reader over a plain object, as `app.node.tryGetContext` would be. */
function context(values: Record<string, unknown>) {
  return (key: string) => values[key];
}

function errorOf(values: Record<string, unknown>): DeploymentConfigError {
  try {
    readDeploymentConfig(context(values), { cwd: dir });
  } catch (error: unknown) {
    if (error instanceof DeploymentConfigError) return error;
    throw error;
  }
  throw new Error('expected a DeploymentConfigError');
}

describe('readDeploymentConfig', () => {
  it('loads the LGSCO Code preset with safe defaults when nothing is set', () => {
    // Act
    const config = readDeploymentConfig(context({}));

    // Assess
    expect(config.policy.id).toBe('lgsco-code-2024');
    expect(config.mailFrom).toBe(PLACEHOLDER_MAIL_FROM);
    expect(config.mailFromIsPlaceholder).toBe(true);
    expect(config.wafEnabled).toBe(true);
    expect(config.functionTracing).toBe('lambda');
    expect(config.wafIntakeRateLimit).toBe(50);
    expect(config.throttleRate).toBeGreaterThan(0);
    expect(config.throttleBurst).toBeGreaterThanOrEqual(config.throttleRate);
    expect(config.stackName).toBe('Redress');
  });

  it('loads a council preset named by redress:policy', () => {
    const config = readDeploymentConfig(context({ 'redress:policy': 'dudley' }));

    expect(config.policy).toEqual(loadPolicy('dudley'));
    expect(config.policySource).toBe('dudley');
  });

  it('names the setting when the policy preset is unknown', () => {
    const error = errorOf({ 'redress:policy': 'atlantis' });

    expect(error.setting).toBe('redress:policy');
    expect(error.message).toMatch(/^Invalid deployment setting redress:policy: .*atlantis/);
  });

  it('prefers redress:policyFile, resolved from the working directory', () => {
    // Prepare
    const policy = { ...loadPolicy('lgsco-code-2024'), id: 'my-council' };
    writeFileSync(join(dir, 'my-council.json'), JSON.stringify(policy));

    // Act
    const config = readDeploymentConfig(
      context({ 'redress:policy': 'dudley', 'redress:policyFile': 'my-council.json' }),
      { cwd: dir },
    );

    // Assess
    expect(config.policy.id).toBe('my-council');
    expect(config.policySource).toBe(join(dir, 'my-council.json'));
  });

  it('reports a policy file that does not exist', () => {
    const error = errorOf({ 'redress:policyFile': 'nowhere.json' });

    expect(error.message).toMatch(
      /^Invalid deployment setting redress:policyFile: no file at .*nowhere\.json/,
    );
  });

  it('reports a policy file that fails validation, naming the setting', () => {
    writeFileSync(join(dir, 'broken.json'), JSON.stringify({ id: 'Not Valid' }));

    const error = errorOf({ 'redress:policyFile': 'broken.json' });

    expect(error.setting).toBe('redress:policyFile');
  });

  it.each([
    ['redress:mailFrom', 'not-an-address', 'must be an email address'],
    ['redress:alarmEmail', 'ops', 'must be an email address'],
    ['redress:complaintsTeam', 'team@', 'must be an email address'],
    ['redress:mailDomain', 'not a domain', 'must be a domain name'],
    ['redress:wafEnabled', 'yes', 'must be true or false'],
    ['redress:functionTracing', 'on', 'must be true, lambda or false'],
    ['redress:throttleRate', 'fast', 'must be a number'],
    ['redress:throttleRate', '0', 'must be at least 1'],
    ['redress:logRetentionDays', '42', 'must be one of'],
    ['redress:certificateArn', 'my-cert', 'must be an ACM certificate ARN'],
    ['redress:stackName', '1-bad', 'must start with a letter'],
  ])('rejects %s=%s with a message naming the setting', (key, value, message) => {
    const error = errorOf({ [key]: value });

    expect(error.message).toContain(`Invalid deployment setting ${key}: ${message}`);
  });

  it('rejects a sender outside the verified mail domain', () => {
    const error = errorOf({
      'redress:mailFrom': 'complaints@elsewhere.org',
      'redress:mailDomain': 'example.gov.uk',
    });

    expect(error.message).toBe(
      'Invalid deployment setting redress:mailFrom: must be an address at example.gov.uk (redress:mailDomain)',
    );
  });

  it('asks for the certificate when only a custom domain is set', () => {
    const error = errorOf({ 'redress:domainName': 'complaints.example.gov.uk' });

    expect(error.setting).toBe('redress:certificateArn');
  });

  it('rejects a burst below the steady rate', () => {
    const error = errorOf({ 'redress:throttleRate': '100', 'redress:throttleBurst': '10' });

    expect(error.setting).toBe('redress:throttleBurst');
  });

  it('reads strings from -c and typed values from cdk.json alike', () => {
    const fromCli = readDeploymentConfig(
      context({ 'redress:wafEnabled': 'true', 'redress:throttleRate': '20' }),
    );
    const fromJson = readDeploymentConfig(
      context({ 'redress:wafEnabled': true, 'redress:throttleRate': 20 }),
    );

    expect(fromCli.wafEnabled).toBe(true);
    expect(fromCli.throttleRate).toBe(20);
    expect(fromJson).toEqual(fromCli);
  });

  it('derives the sender from the mail domain when only the domain is set', () => {
    const config = readDeploymentConfig(context({ 'redress:mailDomain': 'example.gov.uk' }));

    expect(config.mailFrom).toBe('complaints@example.gov.uk');
    expect(config.mailFromIsPlaceholder).toBe(false);
  });

  it('leaves addresses on SES’s account-wide suppression list unless the deployment says otherwise', () => {
    // Act
    const byDefault = readDeploymentConfig(context({}));
    const forgetting = readDeploymentConfig(context({ 'redress:forgetSuppressedAddresses': 'true' }));

    // Assess
    expect(byDefault.forgetSuppressedAddresses).toBe(false);
    expect(forgetting.forgetSuppressedAddresses).toBe(true);
  });

  it('names redress:forgetSuppressedAddresses when it is neither true nor false', () => {
    const error = errorOf({ 'redress:forgetSuppressedAddresses': 'yes' });

    expect(error.message).toBe(
      'Invalid deployment setting redress:forgetSuppressedAddresses: must be true or false',
    );
  });
});

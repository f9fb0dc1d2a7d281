import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadPolicy } from '../../functions/domain/policy.js';
import { DeploymentConfigError, readDeploymentConfig } from '../../infra/config.js';
import { type CfnJson, synthRedress } from './synth.js';

const OIDC = {
  'redress:oidcIssuer': 'https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/v2.0',
  'redress:oidcClientId': 'workspace-app',
  'redress:oidcClientSecretArn': 'arn:aws:secretsmanager:eu-west-2:123456789012:secret:entra-client-AbCdEf',
};

describe('staff sign-in (Cognito user pool)', () => {
  let template: Template;
  beforeAll(() => {
    template = synthRedress().template;
  });

  it('lets no one sign up, requires MFA by authenticator app, and enforces threat protection', () => {
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      MfaConfiguration: 'ON',
      EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
      UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' },
      Policies: { PasswordPolicy: Match.objectLike({ MinimumLength: 14 }) },
    });
    template.hasResource('AWS::Cognito::UserPool', { DeletionPolicy: 'Retain' });
  });

  it('has a group per role and one per service of the policy for officers', () => {
    const groups = Object.values(template.findResources('AWS::Cognito::UserPoolGroup')).map(
      (g: CfnJson) => g.Properties.GroupName as string,
    );
    const services = loadPolicy('lgsco-code-2024').routing.services.map((s) => `officer-${s.id}`);
    expect(groups.sort()).toEqual(
      [
        'complaints-team',
        'nominated-officer',
        'director',
        'administrator',
        'data-protection',
        ...services,
      ].sort(),
    );
  });

  it('gives the workspace a public code-flow client returning to /staff/callback, with hosted sign-in', () => {
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      GenerateSecret: false,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: Match.arrayWith(['openid', 'email', 'profile']),
      CallbackURLs: [
        Match.objectLike({ 'Fn::Join': Match.arrayWith([Match.arrayWith(['/live/staff/callback'])]) }),
      ],
      SupportedIdentityProviders: ['COGNITO'],
      PreventUserExistenceErrors: 'ENABLED',
    });
    template.resourceCountIs('AWS::Cognito::UserPoolDomain', 1);
  });

  it('tells the api function the issuer, client and sign-out page', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          STAFF_OIDC_ISSUER: Match.anyValue(),
          STAFF_OIDC_CLIENT_ID: Match.anyValue(),
          STAFF_OIDC_LOGOUT_URL: Match.anyValue(),
        }),
      },
    });
  });

  it("federates the council's own OpenID Connect provider when configured", () => {
    const federated = synthRedress(OIDC).template;
    federated.hasResourceProperties('AWS::Cognito::UserPoolIdentityProvider', {
      ProviderType: 'OIDC',
      ProviderName: 'Council',
      ProviderDetails: Match.objectLike({
        oidc_issuer: OIDC['redress:oidcIssuer'],
        client_id: 'workspace-app',
      }),
    });
    federated.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      SupportedIdentityProviders: ['COGNITO', { Ref: Match.stringLikeRegexp('^StaffSignInCouncilOidc') }],
    });
  });

  it('makes MFA optional only when asked, with the cdk-nag finding acknowledged', () => {
    const optional = synthRedress({ 'redress:staffMfa': 'optional' }).template;
    optional.hasResourceProperties('AWS::Cognito::UserPool', { MfaConfiguration: 'OPTIONAL' });
  });

  it('refuses half a federation, naming the missing setting', () => {
    const context = { 'redress:oidcIssuer': OIDC['redress:oidcIssuer'] } as Record<string, unknown>;
    expect(() => readDeploymentConfig((key) => context[key])).toThrow(DeploymentConfigError);
    expect(() => readDeploymentConfig((key) => context[key])).toThrow(/redress:oidcClientId/);
  });
});

import { Duration, RemovalPolicy, SecretValue, Stack, Validations } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import type { Policy } from '../../functions/domain/policy-schema.js';
import { OFFICER_GROUP_PREFIX, ROLE_GROUPS } from '../../functions/domain/staff.js';
import type { Federation } from '../config.js';

export interface StaffSignInProps {
  policy: Pick<Policy, 'routing'>;
  /** The workspace's public address (no trailing slash): its return addresses hang off it. */
  publicUrl: string;
  /** Prefix of the hosted sign-in domain; defaults to the stack name and account. */
  domainPrefix?: string;
  /** The council's own identity provider, when staff sign in with their council account. */
  federation?: Federation;
  /** `required` (default) or `optional`: a council whose own provider enforces MFA may relax the pool's. */
  mfa?: 'required' | 'optional';
}

/**
 * Staff sign-in for the workspace: a Cognito user pool with its hosted sign-in, the groups the
 * workspace reads roles from (one per role, one per service for officers), MFA available to every
 * user (authenticator apps), no self sign-up, and optionally the council's own identity provider
 * (Entra ID and the like, by OpenID Connect or SAML) federated through it. The workspace is a
 * public client using the code flow with PKCE: no client secret to store or rotate.
 */
export class StaffSignIn extends Construct {
  readonly userPool: cognito.UserPool;
  readonly client: cognito.UserPoolClient;
  readonly domain: cognito.UserPoolDomain;
  /** The OpenID Connect issuer the workspace discovers (`https://cognito-idp.<region>.amazonaws.com/<pool id>`). */
  readonly issuer: string;
  /** Cognito's sign-out page for the workspace (Cognito's discovery document names none). */
  readonly logoutUrl: string;

  constructor(scope: Construct, id: string, props: StaffSignInProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.userPool = new cognito.UserPool(this, 'UserPool', {
      selfSignUpEnabled: false,
      signInAliases: { email: true, username: false },
      autoVerify: { email: true },
      standardAttributes: {
        email: { required: true, mutable: true },
        fullname: { required: false, mutable: true },
      },
      mfa: props.mfa === 'optional' ? cognito.Mfa.OPTIONAL : cognito.Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      passwordPolicy: {
        minLength: 14,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      featurePlan: cognito.FeaturePlan.PLUS,
      // Threat protection: compromised credentials and risky sign-ins are blocked, not only logged.
      standardThreatProtectionMode: cognito.StandardThreatProtectionMode.FULL_FUNCTION,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    if (props.mfa === 'optional') {
      Validations.of(this.userPool).acknowledge({
        id: 'AwsSolutions-COG2',
        reason:
          'redress:staffMfa=optional: staff sign in through the council’s own identity provider, which enforces MFA; authenticator-app MFA stays available to pool users, and threat protection blocks risky sign-ins',
      });
    }

    const groups = [
      ...Object.values(ROLE_GROUPS),
      ...props.policy.routing.services.map((s) => `${OFFICER_GROUP_PREFIX}${s.id}`),
    ];
    for (const group of groups) {
      new cognito.CfnUserPoolGroup(this, `Group-${group}`, {
        userPoolId: this.userPool.userPoolId,
        groupName: group,
        description: group.startsWith(OFFICER_GROUP_PREFIX)
          ? `Officers of ${group.slice(OFFICER_GROUP_PREFIX.length)}: their service's cases`
          : `Complaints workspace role: ${group}`,
      });
    }

    const providers: cognito.UserPoolClientIdentityProvider[] = [
      cognito.UserPoolClientIdentityProvider.COGNITO,
    ];
    let federated: cognito.IUserPoolIdentityProvider | undefined;
    if (props.federation?.kind === 'oidc') {
      federated = new cognito.UserPoolIdentityProviderOidc(this, 'CouncilOidc', {
        userPool: this.userPool,
        name: props.federation.name,
        issuerUrl: props.federation.issuer,
        clientId: props.federation.clientId,
        clientSecret: SecretValue.secretsManager(props.federation.clientSecretArn).unsafeUnwrap(),
        scopes: ['openid', 'email', 'profile'],
        attributeRequestMethod: cognito.OidcAttributeRequestMethod.GET,
        attributeMapping: {
          email: cognito.ProviderAttribute.other('email'),
          fullname: cognito.ProviderAttribute.other('name'),
        },
      });
    } else if (props.federation?.kind === 'saml') {
      federated = new cognito.UserPoolIdentityProviderSaml(this, 'CouncilSaml', {
        userPool: this.userPool,
        name: props.federation.name,
        metadata: cognito.UserPoolIdentityProviderSamlMetadata.url(props.federation.metadataUrl),
        attributeMapping: {
          email: cognito.ProviderAttribute.other(
            'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress',
          ),
          fullname: cognito.ProviderAttribute.other(
            'http://schemas.microsoft.com/identity/claims/displayname',
          ),
        },
      });
    }
    if (federated) providers.push(cognito.UserPoolClientIdentityProvider.custom(federated.providerName));

    const signedOut = `${props.publicUrl}/staff/signed-out`;
    this.client = this.userPool.addClient('Workspace', {
      generateSecret: false,
      authFlows: {},
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [cognito.OAuthScope.OPENID, cognito.OAuthScope.EMAIL, cognito.OAuthScope.PROFILE],
        callbackUrls: [`${props.publicUrl}/staff/callback`],
        logoutUrls: [signedOut],
      },
      supportedIdentityProviders: providers,
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      idTokenValidity: Duration.minutes(60),
      accessTokenValidity: Duration.minutes(60),
      refreshTokenValidity: Duration.hours(10),
    });
    if (federated) this.client.node.addDependency(federated);

    this.domain = this.userPool.addDomain('Domain', {
      cognitoDomain: {
        domainPrefix: props.domainPrefix ?? `${stack.stackName.toLowerCase()}-staff-${stack.account}`,
      },
    });
    this.issuer = `https://cognito-idp.${stack.region}.${stack.urlSuffix}/${this.userPool.userPoolId}`;
    this.logoutUrl = `${this.domain.baseUrl()}/logout?client_id=${this.client.userPoolClientId}&logout_uri=${encodeURIComponent(signedOut)}`;
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { AWS_APIS, AwsApis, AwsCredentials, EcrAuthorization, EcrTarget } from '../aws/aws.ports';
import { Hop, isRejectedSession } from '../aws/aws-error.mapper';
import type { Deadline } from '../aws/deadline';
import { Upstream } from '../aws/upstream';
import { decodeAuthorizationToken, effectiveExpiry } from '../ecr/ecr-token';
import { EcrAuthError } from '../errors/ecr-auth.error';
import type { CustomerTarget } from '../sts/role-chain';
import { RoleChainService } from '../sts/role-chain.service';
import type { MintIdentity, RegistryLogin } from '../mint/mint.types';

/**
 * Mints a registry login from upstream, uncached: the role chain (for a role key), then
 * GetAuthorizationToken in the registry's region (ECR Public: us-east-1) with the
 * customer's credentials.
 */
@Injectable()
export class TokenMinter {
  constructor(
    @Inject(AWS_APIS) private readonly aws: AwsApis,
    private readonly upstream: Upstream,
    private readonly chain: RoleChainService,
  ) {}

  /**
   * @param options.reuse false to assume the customer role afresh (health checks and
   *   onboarding checks must see what STS says now, not held credentials).
   */
  async mint(
    identity: MintIdentity,
    deadline: Deadline,
    options: { policy?: string; reuse?: boolean } = {},
  ): Promise<RegistryLogin> {
    const { policy, reuse } = options;
    const { host, key } = identity;
    const target: CustomerTarget | undefined =
      key.kind === 'role'
        ? {
            role: key.role,
            externalId: key.externalId,
            host,
            policy,
            sourceIdentity: identity.sourceIdentity,
            sessionTags: identity.sessionTags,
          }
        : undefined;
    const session = (): Promise<AwsCredentials & { sessionName?: string }> =>
      key.kind === 'role'
        ? this.chain.assumeCustomer(target!, deadline, { reuse })
        : Promise.resolve({
            accessKeyId: key.accessKeyId,
            secretAccessKey: key.secretAccessKey,
            sessionToken: key.sessionToken,
          });

    let credentials: AwsCredentials & { sessionName?: string } = await session();
    let authorization: EcrAuthorization;
    try {
      authorization = await this.authorize(identity, credentials, deadline);
    } catch (e) {
      // A held customer session ECR rejects as expired or unknown: drop it, assume again once.
      if (!target || !isRejectedSession(e)) throw e;
      this.chain.forgetSession(target);
      credentials = await session();
      authorization = await this.authorize(identity, credentials, deadline).catch((again: unknown) => {
        if (!isRejectedSession(again)) throw again;
        throw new EcrAuthError(
          'UPSTREAM_UNAVAILABLE',
          `ECR rejected a fresh session of ${target.role.arn} as expired or unknown twice in a row: an inconsistency at AWS; retry shortly.`,
          { cause: again },
        );
      });
    }

    const { username, password } = decodeAuthorizationToken(authorization.authorizationToken);
    return {
      registry: host.host,
      username,
      password,
      expiresAt: effectiveExpiry(authorization.expiresAt, credentials.expiration),
      sessionName: credentials.sessionName,
    };
  }

  /** GetAuthorizationToken in the registry's region (ECR Public: us-east-1) with the given credentials. */
  private authorize(
    identity: MintIdentity,
    credentials: AwsCredentials,
    deadline: Deadline,
  ): Promise<EcrAuthorization> {
    const { host, key } = identity;
    const target: EcrTarget = { kind: host.kind, region: host.region, fips: host.fips, dualStack: host.dualStack };
    const hop: Hop = {
      step: 'ecr',
      service: host.kind === 'public' ? 'ecr-public' : 'ecr',
      registry: host.host,
      region: host.region,
      keyKind: key.kind,
      roleArn: key.kind === 'role' ? key.role.arn : undefined,
    };
    const ecr = this.aws.ecr(target, credentials);
    return this.upstream.call(hop, (abortSignal) => ecr.getAuthorizationToken({ abortSignal }), deadline);
  }
}

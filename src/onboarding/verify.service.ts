import { Inject, Injectable, Logger } from '@nestjs/common';
import { AWS_APIS, AwsApis, SessionCredentials } from '../aws/aws.ports';
import { Deadline } from '../aws/deadline';
import { Upstream } from '../aws/upstream';
import type { Caller } from '../auth/caller';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { EcrAuthError } from '../errors/ecr-auth.error';
import { DENY_ALL_SESSION_POLICY, sessionPolicy } from '../policies/session-policy';
import { RoleChainService } from '../sts/role-chain.service';
import { sourceIdentityOf } from '../sts/source-identity';
import { sessionFeaturesOf } from './session-features';
import type { VerifyBody } from './onboarding-request';
import {
  StepOutcome,
  VerifyResult,
  VerifyCheck,
  ecrTokenCheck,
  isVerdict,
  sessionContextCheck,
  trustedPrincipal,
  verdict,
  withExternalIdCheck,
  withoutExternalIdCheck,
} from './verify-checks';
import { VerifyTarget, verifyTarget } from './verify-target';

// Every check calls STS: held sessions are neither used nor kept.
const NO_REUSE = { reuse: false } as const;

/**
 * The onboarding check of a customer role: assumed with its external ID, refused without
 * it, and allowed to mint an ECR token. Nothing it obtains is kept: no cache is read or
 * written, credentials and the token are dropped as soon as the check has its answer.
 */
@Injectable()
export class VerifyService {
  private readonly logger = new Logger('OnboardingVerify');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(AWS_APIS) private readonly aws: AwsApis,
    private readonly upstream: Upstream,
    private readonly chain: RoleChainService,
  ) {}

  /**
   * Runs the checks under one request deadline. Refusals by AWS that concern the customer's
   * role become failed checks; anything else (local refusals, outages, the service's own
   * identity or jump role) is thrown as the usual EcrAuthError.
   */
  async verify(body: VerifyBody, caller?: Caller): Promise<VerifyResult> {
    const target = verifyTarget(body, this.config, caller);
    const principal = trustedPrincipal(this.config.jumpRole?.role.arn);
    const deadline = new Deadline(this.config.requestDeadlineMs);
    try {
      // The session is scoped to what the token check needs: nothing else can be done with it.
      const assumed = await this.step(() =>
        this.chain.assumeCustomer({ ...target, policy: sessionPolicy('pull', target.host.kind) }, deadline, NO_REUSE),
      );
      const token = assumed.ok ? await this.step(() => this.ecrToken(target, assumed.value, deadline)) : 'skipped';
      // Probing without the external ID: if STS grants it, the session allows nothing.
      const open = await this.step(() =>
        this.chain.assumeCustomer(
          { ...target, externalId: undefined, policy: DENY_ALL_SESSION_POLICY },
          deadline,
          NO_REUSE,
        ),
      );
      const result = verdict([
        withExternalIdCheck(target, principal, assumed),
        withoutExternalIdCheck(target, principal, open),
        ecrTokenCheck(target, token),
        ...(await this.sessionContextChecks(target, principal, assumed.ok, deadline, caller)),
      ]);
      this.logger.log(
        {
          roleArn: target.role.arn,
          registry: target.host.host,
          ok: result.ok,
          failed: result.checks.filter((c) => !c.ok).map((c) => c.name),
        },
        'onboarding check of a customer role',
      );
      return result;
    } finally {
      deadline.dispose();
    }
  }

  /**
   * What the deployment sets on customer sessions, tried one by one so a failure names its
   * action: a session (allowing nothing) assumed with the caller's SourceIdentity, then one
   * with a session tag of the first allowed key.
   */
  private async sessionContextChecks(
    target: VerifyTarget,
    principal: string,
    assumable: boolean,
    deadline: Deadline,
    caller?: Caller,
  ): Promise<VerifyCheck[]> {
    const features = sessionFeaturesOf(this.config);
    const probe = { ...target, policy: DENY_ALL_SESSION_POLICY };
    const checks: VerifyCheck[] = [];
    if (features.sourceIdentity) {
      const sourceIdentity = sourceIdentityOf(caller?.name ?? 'ecr-auth-verify');
      const outcome = assumable
        ? await this.step(() => this.chain.assumeCustomer({ ...probe, sourceIdentity }, deadline, NO_REUSE))
        : 'skipped';
      checks.push(sessionContextCheck('set-source-identity', target, principal, outcome));
    }
    if (features.sessionTags) {
      const [key] = this.config.sessionTagKeys;
      const sessionTags = [{ key, value: 'ecr-auth-verify' }];
      const outcome = assumable
        ? await this.step(() => this.chain.assumeCustomer({ ...probe, sessionTags }, deadline, NO_REUSE))
        : 'skipped';
      checks.push(sessionContextCheck('tag-session', target, principal, outcome));
    }
    return checks;
  }

  private async ecrToken(target: VerifyTarget, credentials: SessionCredentials, deadline: Deadline): Promise<void> {
    const { host, role } = target;
    const ecr = this.aws.ecr(
      { kind: host.kind, region: host.region, fips: host.fips, dualStack: host.dualStack },
      credentials,
    );
    // The token itself is of no use here: it is dropped unread.
    await this.upstream.call(
      {
        step: 'ecr',
        service: host.kind === 'public' ? 'ecr-public' : 'ecr',
        registry: host.host,
        region: host.region,
        keyKind: 'role',
        roleArn: role.arn,
      },
      (abortSignal) => ecr.getAuthorizationToken({ abortSignal }),
      deadline,
    );
  }

  private async step<T>(run: () => Promise<T>): Promise<(StepOutcome & { ok: false }) | { ok: true; value: T }> {
    try {
      return { ok: true, value: await run() };
    } catch (e) {
      if (e instanceof EcrAuthError && isVerdict(e)) return { ok: false, error: e };
      throw e;
    }
  }
}

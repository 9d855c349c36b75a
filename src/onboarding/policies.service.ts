import { Inject, Injectable } from '@nestjs/common';
import { SingleFlight } from '../async/single-flight';
import { AWS_APIS, AwsApis } from '../aws/aws.ports';
import { Deadline } from '../aws/deadline';
import { Upstream } from '../aws/upstream';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { OnboardingInputs, checkCustomerInputs, renderOnboardingDocuments } from '../policies/onboarding-bundle';
import { trustPrincipalOf } from '../policies/service-identity';
import type { PoliciesQuery } from './onboarding-request';
import { sessionFeaturesOf } from './session-features';

/**
 * The IAM documents of GET /onboarding/policies, for this deployment: customers trust the
 * configured jump role, or without one the service's own identity, which STS
 * GetCallerIdentity reports once per process (an assumed-role session is named by its role).
 */
@Injectable()
export class PoliciesService {
  private identity?: string;
  private readonly identityLookUp = new SingleFlight<string>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(AWS_APIS) private readonly aws: AwsApis,
    private readonly upstream: Upstream,
  ) {}

  /** The documents as canonical JSON. Bad input is refused before any call to AWS. */
  async render(query: PoliciesQuery): Promise<string> {
    const repositoryArns = query.repositoryArn === undefined ? [] : [query.repositoryArn].flat();
    const customer = {
      externalId: query.externalId,
      access: query.access,
      kind: query.kind,
      repositoryArns,
      partition: this.config.partition,
      features: sessionFeaturesOf(this.config),
    };
    checkCustomerInputs(customer);
    const jumpRoleArn = this.config.jumpRole?.role.arn;
    const inputs: OnboardingInputs = jumpRoleArn
      ? { ...customer, jumpRoleArn }
      : { ...customer, serviceIdentityArn: await this.serviceIdentity() };
    return renderOnboardingDocuments(inputs);
  }

  /** The service identity as a trust policy principal; a failed look-up is not remembered. */
  private async serviceIdentity(): Promise<string> {
    return (this.identity ??= await this.identityLookUp.run(() => this.lookUpIdentity()));
  }

  private async lookUpIdentity(): Promise<string> {
    const deadline = new Deadline(this.config.requestDeadlineMs);
    try {
      const sts = this.aws.sts('service');
      const { arn } = await this.upstream.call(
        { step: 'identity' },
        (abortSignal) => sts.callerIdentity({ abortSignal }),
        deadline,
      );
      return trustPrincipalOf(arn);
    } finally {
      deadline.dispose();
    }
  }
}

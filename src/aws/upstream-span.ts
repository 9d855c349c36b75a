import type { Attributes } from '@opentelemetry/api';
import type { Hop } from './aws-error.mapper';

/** The AWS SDK's service ids, as `rpc.service` names them. */
const RPC_SERVICE = { sts: 'STS', ecr: 'ECR', 'ecr-public': 'ECR PUBLIC' } as const;

// ECR Public's API lives in us-east-1 only.
const ECR_PUBLIC_REGION = 'us-east-1';

/**
 * An AWS call's client span: named `<service>.<operation>` (`STS.AssumeRole`), with what was
 * called, where and for which hop of the chain (the role's ARN, the registry host). Never a
 * request parameter: no external ID, session policy, tag or credential.
 */
export function upstreamSpan(
  hop: Hop,
  target: { service: keyof typeof RPC_SERVICE; operation: string },
  stsRegion: string | undefined,
): { name: string; attributes: Attributes } {
  const service = RPC_SERVICE[target.service];
  const region = hop.step !== 'ecr' ? stsRegion : hop.service === 'ecr-public' ? ECR_PUBLIC_REGION : hop.region;
  const attributes: Attributes = {
    'rpc.system': 'aws-api',
    'rpc.service': service,
    'rpc.method': target.operation,
    'ecr_auth.hop': hop.step,
  };
  if (region) attributes['cloud.region'] = region;
  if (hop.step !== 'identity' && hop.roleArn) attributes['ecr_auth.role_arn'] = hop.roleArn;
  if (hop.step === 'ecr') attributes['ecr_auth.registry'] = hop.registry;
  return { name: `${service}.${target.operation}`, attributes };
}

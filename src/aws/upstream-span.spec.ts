import { upstreamSpan } from './upstream-span';
import { upstreamTarget } from './upstream';
import { HOPS } from '../../test/fixtures/aws-hops';
import type { Hop } from './aws-error.mapper';

const spanOf = (hop: Hop) => upstreamSpan(hop, upstreamTarget(hop), 'eu-west-1');

describe('upstreamSpan', () => {
  it('names an STS call by service and method, in the STS region, with the role', () => {
    expect(spanOf(HOPS.viaJump)).toEqual({
      name: 'STS.AssumeRole',
      attributes: {
        'rpc.system': 'aws-api',
        'rpc.service': 'STS',
        'rpc.method': 'AssumeRole',
        'cloud.region': 'eu-west-1',
        'ecr_auth.hop': 'customer',
        'ecr_auth.role_arn': HOPS.viaJump.roleArn,
      },
    });
    expect(spanOf({ step: 'identity' })).toMatchObject({ name: 'STS.GetCallerIdentity' });
  });

  it("an ECR call carries its registry's region; ECR Public's is us-east-1", () => {
    const ecr: Hop = { step: 'ecr', service: 'ecr', registry: 'r', keyKind: 'static', region: 'ap-south-1' };
    expect(spanOf(ecr)).toMatchObject({
      name: 'ECR.GetAuthorizationToken',
      attributes: { 'rpc.service': 'ECR', 'cloud.region': 'ap-south-1', 'ecr_auth.registry': 'r' },
    });
    const pub: Hop = { step: 'ecr', service: 'ecr-public', registry: 'public.ecr.aws', keyKind: 'static' };
    expect(spanOf(pub).attributes).toMatchObject({ 'rpc.service': 'ECR PUBLIC', 'cloud.region': 'us-east-1' });
  });

  it('never carries a request parameter: only the names above', () => {
    const keys = Object.values(HOPS).flatMap((hop) => Object.keys(spanOf(hop).attributes));
    expect(new Set(keys)).toEqual(
      new Set([
        'rpc.system',
        'rpc.service',
        'rpc.method',
        'cloud.region',
        'ecr_auth.hop',
        'ecr_auth.role_arn',
        'ecr_auth.registry',
      ]),
    );
  });
});

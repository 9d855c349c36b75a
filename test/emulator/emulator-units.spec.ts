import { ecrProxyEndpoint, parseRoleArn, partitionOfRegion } from './arn.util';
import { parseSessionPolicy, policyAllows, wildcardMatch } from './session-policy.eval';
import { parseAuthorization } from './sigv4.verify';

describe('emulator pure parts', () => {
  it.each([
    ['ecr:*', 'ecr:GetAuthorizationToken', true],
    ['*', 'sts:AssumeRole', true],
    ['ECR:getauthorization*', 'ecr:GetAuthorizationToken', true],
    ['ecr:Get?uthorizationToken', 'ecr:GetAuthorizationToken', true],
    ['ecr:BatchGetImage', 'ecr:GetAuthorizationToken', false],
    ['ecr-public:*', 'ecr:GetAuthorizationToken', false],
  ])('wildcard %s vs %s → %s', (pattern, action, expected) => {
    expect(wildcardMatch(pattern, action, true)).toBe(expected);
  });

  const policy = (statements: unknown) =>
    parseSessionPolicy(JSON.stringify({ Version: '2012-10-17', Statement: statements }));

  it('lets an explicit Deny win, honours NotAction, and needs Resource * for GetAuthorizationToken', () => {
    expect(
      policyAllows(
        policy([
          { Effect: 'Allow', Action: '*', Resource: '*' },
          { Effect: 'Deny', Action: 'ecr:Get*', Resource: '*' },
        ]),
        'ecr:GetAuthorizationToken',
        '*',
      ),
    ).toBe(false);
    expect(
      policyAllows(policy({ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }), 'ecr:GetAuthorizationToken', '*'),
    ).toBe(true);
    expect(
      policyAllows(
        policy({ Effect: 'Allow', Action: 'ecr:*', Resource: 'arn:aws:ecr:eu-west-1:222222222222:repository/*' }),
        'ecr:GetAuthorizationToken',
        '*',
      ),
    ).toBe(false);
  });

  it.each([
    ['{', 'The policy is not in the valid JSON format.'],
    ['{"Statement":{"Effect":"Maybe","Action":"*","Resource":"*"}}', 'Effect must be Allow or Deny'],
    ['{"Statement":{"Effect":"Allow","Action":"*"}}', 'Policy statement must contain resources.'],
    ['[]', 'Syntax errors in policy.'],
  ])('refuses the malformed policy %s', (text, message) => {
    expect(() => parseSessionPolicy(text)).toThrow(message);
  });

  it.each([
    ['us-east-1', 'aws', 'https://123456789012.dkr.ecr.us-east-1.amazonaws.com'],
    ['cn-north-1', 'aws-cn', 'https://123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn'],
    ['us-gov-west-1', 'aws-us-gov', 'https://123456789012.dkr.ecr.us-gov-west-1.amazonaws.com'],
    ['us-isob-east-1', 'aws-iso-b', 'https://123456789012.dkr.ecr.us-isob-east-1.sc2s.sgov.gov'],
    ['eusc-de-east-1', 'aws-eusc', 'https://123456789012.dkr.ecr.eusc-de-east-1.amazonaws.eu'],
  ])('region %s is in partition %s', (region, partition, endpoint) => {
    expect(partitionOfRegion(region)).toBe(partition);
    expect(ecrProxyEndpoint('123456789012', region)).toBe(endpoint);
  });

  it('parses role ARNs with paths and refuses others', () => {
    expect(parseRoleArn('arn:aws:iam::222222222222:role/team/ecr-pull')).toMatchObject({
      roleName: 'ecr-pull',
      account: '222222222222',
    });
    expect(parseRoleArn('arn:aws:iam::2222:role/x')).toBeUndefined();
    expect(parseRoleArn('arn:aws:iam::222222222222:user/x')).toBeUndefined();
    expect(parseRoleArn('arn:evil:iam::222222222222:role/x')).toBeUndefined();
  });

  it('parses Authorization headers and explains what is missing', () => {
    const ok = parseAuthorization(
      `AWS4-HMAC-SHA256 Credential=AKID/20300101/eu-west-1/ecr/aws4_request, SignedHeaders=host;x-amz-date, Signature=${'a'.repeat(64)}`,
    );
    expect(ok).toMatchObject({
      accessKeyId: 'AKID',
      region: 'eu-west-1',
      service: 'ecr',
      signedHeaders: ['host', 'x-amz-date'],
    });
    expect(parseAuthorization('AWS4-HMAC-SHA256 Credential=AKID/20300101/eu-west-1/ecr/aws4_request')).toEqual({
      error:
        "Authorization header requires 'SignedHeaders' parameter. Authorization header requires 'Signature' parameter.",
    });
    expect(parseAuthorization('Basic Zm9vOmJhcg==')).toHaveProperty('error');
  });
});

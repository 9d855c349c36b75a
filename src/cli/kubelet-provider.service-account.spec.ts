import {
  BASE_ENV,
  bodyOf,
  type Case,
  expectCase,
  EXT,
  HOST,
  ok,
  refusal,
  request,
  response,
  ROLE,
  SA_EXT,
  SA_ROLE,
  SA_TOKEN,
  TOKEN,
} from '../../test/fixtures/kubelet-provider-cases';

const cases: Case[] = [
  {
    name: 'a service-account token is the bearer, the annotations the key',
    input: request({
      serviceAccountToken: SA_TOKEN,
      serviceAccountAnnotations: { 'ecr-auth/role-arn': SA_ROLE, 'ecr-auth/external-id': SA_EXT, other: 'x' },
    }),
    answers: [ok()],
    stdout: response({ [HOST]: 'ecr-password' }),
    check: ([call]) => {
      expect(call.token).toBe(SA_TOKEN);
      expect(bodyOf(call)).toEqual({ registry: HOST, roleArn: SA_ROLE, externalId: SA_EXT });
    },
  },
  {
    name: 'a service-account token with a role annotation alone: no external ID sent',
    input: request({ serviceAccountToken: SA_TOKEN, serviceAccountAnnotations: { 'ecr-auth/role-arn': SA_ROLE } }),
    answers: [ok()],
    stdout: response({ [HOST]: 'ecr-password' }),
    check: ([call]) => expect(bodyOf(call)).toEqual({ registry: HOST, roleArn: SA_ROLE }),
  },
  {
    name: 'a service-account token without annotations: the configured key, the pod token as bearer',
    input: request({ serviceAccountToken: SA_TOKEN }),
    env: { HOME: '/root', ECR_AUTH_URL: 'https://ecr-auth.internal', ECR_AUTH_ROLE_ARN: ROLE },
    answers: [ok()],
    stdout: response({ [HOST]: 'ecr-password' }),
    check: ([call]) => {
      expect(call.token).toBe(SA_TOKEN);
      expect(bodyOf(call)).toEqual({ registry: HOST, roleArn: ROLE });
    },
  },
  {
    name: 'annotations without a service-account token are ignored: they never steer the API token',
    input: request({ serviceAccountAnnotations: { 'ecr-auth/role-arn': SA_ROLE, 'ecr-auth/external-id': SA_EXT } }),
    answers: [ok()],
    stdout: response({ [HOST]: 'ecr-password' }),
    check: ([call]) => {
      expect(call.token).toBe(TOKEN);
      expect(bodyOf(call)).toEqual({ registry: HOST, roleArn: ROLE, externalId: EXT });
    },
  },
  {
    name: 'the config file: sessionTags and repositories go to the service as they are',
    env: { ...BASE_ENV, ECR_AUTH_CONFIG: '/etc/ecr-auth/kubelet.json' },
    files: {
      '/etc/ecr-auth/kubelet.json': JSON.stringify({
        registries: {
          [HOST]: { roleArn: ROLE, externalId: EXT, sessionTags: { cluster: 'prod-eu' }, repositories: ['team/app'] },
        },
      }),
    },
    answers: [ok()],
    stdout: response({ [HOST]: 'ecr-password' }),
    check: ([call]) =>
      expect(JSON.parse(call.body)).toEqual({
        registry: HOST,
        roleArn: ROLE,
        externalId: EXT,
        sessionTags: { cluster: 'prod-eu' },
        repositories: ['team/app'],
      }),
  },
  {
    name: "annotations choose the role; the node's session scope for the host still applies",
    input: request({
      serviceAccountToken: SA_TOKEN,
      serviceAccountAnnotations: { 'ecr-auth/role-arn': SA_ROLE, 'ecr-auth/external-id': SA_EXT },
    }),
    env: { ...BASE_ENV, ECR_AUTH_CONFIG: '/etc/ecr-auth/kubelet.json' },
    files: {
      '/etc/ecr-auth/kubelet.json': JSON.stringify({
        registries: {
          '*.dkr.ecr.eu-west-1.amazonaws.com': {
            roleArn: ROLE,
            externalId: EXT,
            access: 'pull',
            sessionTags: { cluster: 'prod-eu' },
            repositories: ['team/*'],
          },
        },
      }),
    },
    answers: [ok()],
    stdout: response({ [HOST]: 'ecr-password' }),
    check: ([call]) =>
      expect(JSON.parse(call.body)).toEqual({
        registry: HOST,
        roleArn: SA_ROLE,
        externalId: SA_EXT,
        access: 'pull',
        sessionTags: { cluster: 'prod-eu' },
        repositories: ['team/*'],
      }),
  },
  {
    name: "repositories the service refuses: its 400 and message on stderr (they are the service's to judge)",
    env: { ...BASE_ENV, ECR_AUTH_CONFIG: '/etc/ecr-auth/kubelet.json' },
    files: {
      '/etc/ecr-auth/kubelet.json': JSON.stringify({
        registries: { [HOST]: { roleArn: ROLE, repositories: ['Team/App'] } },
      }),
    },
    answers: [refusal(400, 'INVALID_REQUEST', 'repositories (item 1): must be an ECR repository name')],
    stderr: 'ecr-auth: INVALID_REQUEST: repositories (item 1): must be an ECR repository name (request id req-1)\n',
  },
  {
    name: 'sessionTags of the wrong shape: a configuration problem, no call',
    env: { ...BASE_ENV, ECR_AUTH_CONFIG: '/etc/ecr-auth/kubelet.json' },
    files: {
      '/etc/ecr-auth/kubelet.json': JSON.stringify({
        registries: { [HOST]: { roleArn: ROLE, sessionTags: ['team'] } },
      }),
    },
    stderr: /^ecr-auth: configuration problem .*\.sessionTags must be an object of tag key to string value/,
  },
  {
    name: 'an external-ID annotation without a role annotation is refused',
    input: request({ serviceAccountToken: SA_TOKEN, serviceAccountAnnotations: { 'ecr-auth/external-id': SA_EXT } }),
    stderr: 'ecr-auth: the service account has the annotation ecr-auth/external-id without ecr-auth/role-arn\n',
  },
  {
    name: 'a service-account token refused: the code, never the token or the annotated external ID',
    input: request({
      serviceAccountToken: SA_TOKEN,
      serviceAccountAnnotations: { 'ecr-auth/role-arn': SA_ROLE, 'ecr-auth/external-id': SA_EXT },
    }),
    answers: [refusal(403, 'ACCOUNT_NOT_ALLOWED', `token ${SA_TOKEN} with ${SA_EXT} may not reach 222222222222`)],
    stderr:
      'ecr-auth: ACCOUNT_NOT_ALLOWED: token [redacted] with [redacted] may not reach 222222222222 (request id req-1)\n',
  },
];

describe('handleCredentialProviderRequest(input, overflow, deps)', () => {
  it.each(cases)('$name', (c) => expectCase(c));
});

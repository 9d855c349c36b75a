import { handleCredentialProviderRequest, ProviderDeps, USER_AGENT } from './kubelet-provider.handler';
import { PostRequest, PostResponse, ServiceUnreachableError } from './service-client';

const NOW = Date.parse('2026-11-25T12:00:00.000Z');
const HOST = '222222222222.dkr.ecr.eu-west-1.amazonaws.com';
const ROLE = 'arn:aws:iam::222222222222:role/ecr-pull';
const EXT = 'customer-ext-id-91c2';
const TOKEN = 'api-token-0123456789';
const SA_TOKEN = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQ6dGVhbS1hOmJ1aWxkZXIifQ.c2lnbmF0dXJl';
const SA_ROLE = 'arn:aws:iam::222222222222:role/team-a-pull';
const SA_EXT = 'team-a-ext-id-77f0';
const ENDPOINT = 'https://ecr-auth.internal/registry-auth';
const V1 = 'credentialprovider.kubelet.k8s.io/v1';
const V1BETA1 = 'credentialprovider.kubelet.k8s.io/v1beta1';
const BASE_ENV = {
  HOME: '/root',
  ECR_AUTH_URL: 'https://ecr-auth.internal',
  ECR_AUTH_TOKEN: TOKEN,
  ECR_AUTH_ROLE_ARN: ROLE,
  ECR_AUTH_EXTERNAL_ID: EXT,
};
const CONFIG = '/root/.ecr-auth/config.json';
const MIN = 60_000;

const request = (fields: Record<string, unknown> = {}) =>
  JSON.stringify({ kind: 'CredentialProviderRequest', apiVersion: V1, image: `${HOST}/team/app:1.2`, ...fields });
const ok = (password = 'ecr-password', expiresAt = NOW + 12 * 60 * MIN): PostResponse => ({
  status: 200,
  text: JSON.stringify({ registry: HOST, username: 'AWS', password, expiresAt: new Date(expiresAt).toISOString() }),
});
const refusal = (status: number, code: string, message: string): PostResponse => ({
  status,
  text: JSON.stringify({ statusCode: status, code, message, requestId: 'req-1' }),
});
const response = (auth: Record<string, string>, cacheDuration = '11h24m0s', apiVersion = V1) =>
  `${JSON.stringify({
    kind: 'CredentialProviderResponse',
    apiVersion,
    cacheKeyType: 'Registry',
    cacheDuration,
    auth: Object.fromEntries(Object.entries(auth).map(([h, password]) => [h, { username: 'AWS', password }])),
  })}\n`;
const NONE = response({}, '0s');

interface Case {
  name: string;
  input?: string;
  overflow?: boolean;
  env?: Record<string, string | undefined>;
  files?: Record<string, string>;
  answers?: (PostResponse | Error)[];
  stdout?: string;
  stderr?: string | RegExp;
  check?: (calls: PostRequest[]) => void;
}

/** Strict fakes: a post without a scripted answer, or a scripted answer left over, fails the case. */
function fakes(c: Case) {
  const answers = [...(c.answers ?? [])];
  const calls: PostRequest[] = [];
  const unscripted: PostRequest[] = [];
  const fileReads: string[] = [];
  const deps: ProviderDeps = {
    env: c.env ?? BASE_ENV,
    home: '/root',
    readTextFile: async (path) => {
      fileReads.push(path);
      return c.files?.[path];
    },
    post: async (req) => {
      const answer = answers.shift();
      if (!answer) {
        unscripted.push(req);
        throw new Error('unscripted post');
      }
      calls.push(req);
      if (answer instanceof Error) throw answer;
      return answer;
    },
    now: () => NOW,
  };
  return { deps, calls, unscripted, answers, fileReads };
}

const bodyOf = (call: PostRequest) => JSON.parse(call.body) as Record<string, string>;

const cases: Case[] = [
  {
    name: 'v1: the default key, asked of the service with the API token',
    answers: [ok()],
    stdout: response({ [HOST]: 'ecr-password' }),
    check: ([call]) => {
      expect(call.url.href).toBe(ENDPOINT);
      expect(call.token).toBe(TOKEN);
      expect(call.userAgent).toBe(USER_AGENT);
      expect(call.timeoutMs).toBe(10_000);
      expect(bodyOf(call)).toEqual({ registry: HOST, roleArn: ROLE, externalId: EXT });
    },
  },
  {
    name: 'v1beta1 is answered in v1beta1',
    input: request({ apiVersion: V1BETA1 }),
    answers: [ok()],
    stdout: response({ [HOST]: 'ecr-password' }, '11h24m0s', V1BETA1),
  },
  {
    name: 'an image by digest',
    input: request({ image: `${HOST}/team/app@sha256:${'ab'.repeat(32)}` }),
    answers: [ok()],
    stdout: response({ [HOST]: 'ecr-password' }),
  },
  {
    name: 'a port: auth keyed by the host, the service asked for the normalised host',
    input: request({ image: `${HOST.toUpperCase()}:443/app:1` }),
    answers: [ok()],
    stdout: response({ [HOST.toUpperCase()]: 'ecr-password' }),
    check: ([call]) => expect(bodyOf(call).registry).toBe(HOST),
  },
  {
    name: 'cacheDuration follows the token the service hands out (a cached one with 20 min left)',
    answers: [ok('older', NOW + 20 * MIN)],
    stdout: response({ [HOST]: 'older' }, '19m0s'),
  },
  {
    name: 'unknown fields of the request are ignored',
    input: request({ cacheKey: 'x', extra: [1, 2], serviceAccountName: 'y' }),
    answers: [ok()],
    stdout: response({ [HOST]: 'ecr-password' }),
  },
  { name: 'a Docker Hub image: no credentials', input: request({ image: 'nginx:1.27' }), stdout: NONE },
  { name: 'another registry: no credentials', input: request({ image: 'ghcr.io/acme/app:1' }), stdout: NONE },
  {
    name: 'an ECR look-alike: no credentials',
    input: request({ image: `${HOST}.evil.example/app:1` }),
    stdout: NONE,
  },
  {
    name: 'an ECR host without any key: no credentials (public.ecr.aws pulls anonymously)',
    input: request({ image: 'public.ecr.aws/acme/app:1' }),
    env: { HOME: '/root', ECR_AUTH_URL: 'https://ecr-auth.internal' },
    stdout: NONE,
  },
  {
    name: 'a refused key: the code and message on stderr, nothing on stdout',
    answers: [refusal(403, 'ASSUME_ROLE_DENIED', 'STS refused to assume the role.')],
    stderr: 'ecr-auth: ASSUME_ROLE_DENIED: STS refused to assume the role. (request id req-1)\n',
  },
  {
    name: 'a 503 fails too: there is no cache to stand in',
    answers: [refusal(503, 'UPSTREAM_UNAVAILABLE', 'STS is failing.')],
    stderr: /^ecr-auth: UPSTREAM_UNAVAILABLE: STS is failing\./,
  },
  {
    name: 'the service unreachable: the reason',
    answers: [
      new ServiceUnreachableError(
        'cannot reach the service at https://ecr-auth.internal: connection refused (ECONNREFUSED)',
      ),
    ],
    stderr: 'ecr-auth: cannot reach the service at https://ecr-auth.internal: connection refused (ECONNREFUSED)\n',
  },
  {
    name: 'a 200 without a password is a failure',
    answers: [{ status: 200, text: '{"username":"AWS"}' }],
    stderr: /without a usable password/,
  },
  {
    name: 'a secret echoed by the service is redacted',
    answers: [refusal(400, 'INVALID_REGISTRY_KEY', `bad ${EXT} and ${TOKEN}\nline2`)],
    stderr: 'ecr-auth: INVALID_REGISTRY_KEY: bad [redacted] and [redacted] line2 (request id req-1)\n',
  },
  { name: 'malformed stdin', input: '{"kind":', stderr: /^ecr-auth: stdin is not JSON/ },
  { name: 'empty stdin', input: '', stderr: /^ecr-auth: stdin is not JSON/ },
  {
    name: 'another kind',
    input: request({ kind: 'ExecCredential' }),
    stderr: 'ecr-auth: expected kind CredentialProviderRequest, got "ExecCredential"\n',
  },
  {
    name: 'an unknown apiVersion',
    input: request({ apiVersion: 'credentialprovider.kubelet.k8s.io/v2' }),
    stderr: /^ecr-auth: unsupported apiVersion "credentialprovider\.kubelet\.k8s\.io\/v2"/,
  },
  { name: 'stdin over the bound', overflow: true, stderr: 'ecr-auth: the request on stdin is larger than 64 KiB\n' },
  {
    name: 'a key but no service URL',
    env: { HOME: '/root', ECR_AUTH_ROLE_ARN: ROLE },
    stderr: `ecr-auth: no service URL for ${HOST}: set ECR_AUTH_URL or "url" in ${CONFIG}\n`,
  },
  {
    name: 'a configuration problem',
    env: { ...BASE_ENV, ECR_AUTH_URL: 'http://ecr-auth.internal' },
    stderr: /^ecr-auth: configuration problem .*plain http:\/\/ to ecr-auth\.internal/,
  },
  {
    name: 'the config file: a pattern, and the API token from ECR_AUTH_TOKEN_FILE',
    env: { HOME: '/root', ECR_AUTH_CONFIG: '/etc/ecr-auth/kubelet.json', ECR_AUTH_TOKEN_FILE: '/etc/ecr-auth/token' },
    files: {
      '/etc/ecr-auth/token': 'mounted-api-token\n',
      '/etc/ecr-auth/kubelet.json': JSON.stringify({
        url: 'https://svc.example',
        registries: { '*.dkr.ecr.eu-west-1.amazonaws.com': { roleArn: ROLE, externalId: 'e2', access: 'pull' } },
      }),
    },
    answers: [ok()],
    stdout: response({ [HOST]: 'ecr-password' }),
    check: ([call]) => {
      expect(call.token).toBe('mounted-api-token');
      expect(bodyOf(call)).toEqual({ registry: HOST, roleArn: ROLE, externalId: 'e2', access: 'pull' });
    },
  },
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
  it.each(cases)('$name', async (c) => {
    const f = fakes(c);
    const result = await handleCredentialProviderRequest(c.input ?? request(), c.overflow ?? false, f.deps);
    expect(f.unscripted).toEqual([]);
    expect(f.answers).toEqual([]);
    if (c.stdout !== undefined) {
      expect(result).toEqual({ stdout: c.stdout, stderr: '', exitCode: 0 });
    } else {
      expect(result.exitCode).toBe(1);
      expect(result.stdout).toBe('');
      if (typeof c.stderr === 'string') expect(result.stderr).toBe(c.stderr);
      else expect(result.stderr).toMatch(c.stderr!);
      expect(result.stderr.split('\n')).toHaveLength(2); // one line
    }
    c.check?.(f.calls);
    for (const secret of [TOKEN, EXT, SA_TOKEN, SA_EXT, 'mounted-api-token'])
      expect(result.stderr + result.stdout).not.toContain(secret);
  });

  it('does not read the config file for an image that is not ECR', async () => {
    const f = fakes({ name: '' });
    await handleCredentialProviderRequest(request({ image: 'ghcr.io/acme/app:1' }), false, f.deps);
    expect(f.fileReads).toEqual([]);
  });
});

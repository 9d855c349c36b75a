import { handleCredentialProviderRequest, USER_AGENT } from './kubelet-provider.handler';
import { ServiceUnreachableError } from './service-client';
import {
  BASE_ENV,
  bodyOf,
  type Case,
  CONFIG,
  ENDPOINT,
  expectCase,
  EXT,
  fakes,
  HOST,
  MIN,
  NONE,
  NOW,
  ok,
  refusal,
  request,
  response,
  ROLE,
  TOKEN,
  V1BETA1,
} from '../../test/fixtures/kubelet-provider-cases';

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
];

describe('handleCredentialProviderRequest(input, overflow, deps)', () => {
  it.each(cases)('$name', (c) => expectCase(c));

  it('does not read the config file for an image that is not ECR', async () => {
    const f = fakes({ name: '' });
    await handleCredentialProviderRequest(request({ image: 'ghcr.io/acme/app:1' }), false, f.deps);
    expect(f.fileReads).toEqual([]);
  });
});

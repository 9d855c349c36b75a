import { writeFileSync } from 'node:fs';
import { AddressInfo, createServer, Server, Socket } from 'node:net';
import { join } from 'node:path';
import { WORLD } from '../fixtures/aws-world';
import { closedPort, run } from './child-process';
import { customerBody, type Harness } from './harness';
import { kubeletProviderWorld, PROVIDER, REGISTRY, request, seconds, V1, V1BETA1 } from './kubelet-provider-world';

/** The built provider against the real service (over HTTP, against the AWS emulator), as the kubelet runs it. */
describe('ecr-auth-kubelet-credential-provider (built) against the service', () => {
  const world = kubeletProviderWorld();
  const { runs, extraSecrets, provide, answerOf, failureOf } = world;
  let h: Harness;
  let tmp: string;
  beforeAll(() => {
    ({ h, tmp } = world);
  });

  it('v1: auth for the registry host, username AWS and the service password, cached per registry within the token life', async () => {
    const before = Date.now();
    const answer = answerOf(await provide(request()));
    expect(Object.keys(answer)).toEqual(['kind', 'apiVersion', 'cacheKeyType', 'cacheDuration', 'auth']);
    expect(answer).toMatchObject({ kind: 'CredentialProviderResponse', apiVersion: V1, cacheKeyType: 'Registry' });
    expect(Object.keys(answer.auth)).toEqual([REGISTRY]);
    expect(answer.auth[REGISTRY].username).toBe('AWS');
    expect(h.emu.issuedEcrSecrets()).toContain(answer.auth[REGISTRY].password);
    const direct = await h.post('/registry-auth', customerBody());
    expect(direct.json.password).toBe(answer.auth[REGISTRY].password);
    // Within the token's life, less at least the 60 s margin, measured from before the run.
    const lifeSeconds = (Date.parse(direct.json.expiresAt as string) - before) / 1000;
    expect(seconds(answer.cacheDuration)).toBeGreaterThan(0);
    expect(seconds(answer.cacheDuration)).toBeLessThanOrEqual(lifeSeconds - 60);
  });

  it('v1beta1 is answered in v1beta1', async () => {
    const answer = answerOf(await provide(request({ apiVersion: V1BETA1 })));
    expect(answer).toMatchObject({ kind: 'CredentialProviderResponse', apiVersion: V1BETA1, cacheKeyType: 'Registry' });
    expect(h.emu.issuedEcrSecrets()).toContain(answer.auth[REGISTRY].password);
  });

  it('an image by digest, and one with a port', async () => {
    const digest = `sha256:${'0f'.repeat(32)}`;
    for (const image of [`${REGISTRY}/team/app@${digest}`, `${REGISTRY}:443/team/app:1`]) {
      const answer = answerOf(await provide(request({ image })));
      expect(Object.keys(answer.auth)).toEqual([REGISTRY]);
      expect(h.emu.issuedEcrSecrets()).toContain(answer.auth[REGISTRY].password);
    }
  });

  it('unknown fields of the request are ignored', async () => {
    const answer = answerOf(await provide(request({ newerField: { x: 1 }, cacheHint: 'y' })));
    expect(answer.auth[REGISTRY].username).toBe('AWS');
  });

  it.each([
    ['a Docker Hub image', 'nginx:1.27'],
    ['another registry', 'ghcr.io/acme/app:1'],
    ['an ECR look-alike', `${REGISTRY}.evil.example/app:1`],
  ])('%s: exit 0, no credentials', async (_why, image) => {
    const answer = answerOf(await provide(request({ image })));
    expect(answer).toEqual({
      kind: 'CredentialProviderResponse',
      apiVersion: V1,
      cacheKeyType: 'Registry',
      cacheDuration: '0s',
      auth: {},
    });
  });

  it('a refused key: exit 1, the service code on stderr, never the external ID', async () => {
    extraSecrets.push('wrong-external-id-0000');
    const stderr = failureOf(await provide(request(), { ECR_AUTH_EXTERNAL_ID: 'wrong-external-id-0000' }));
    expect(stderr).toMatch(/^ecr-auth: ASSUME_ROLE_DENIED: /);
  });

  it('a role without ECR permission: ECR_ACCESS_DENIED', async () => {
    const stderr = failureOf(
      await provide(request({ image: `${WORLD.noEcrCustomer.registry}/app:1` }), {
        ECR_AUTH_ROLE_ARN: WORLD.noEcrCustomer.arn,
        ECR_AUTH_EXTERNAL_ID: WORLD.noEcrCustomer.externalId,
      }),
    );
    expect(stderr).toMatch(/^ecr-auth: ECR_ACCESS_DENIED: /);
  });

  it('a wrong API token: UNAUTHENTICATED, never the token', async () => {
    extraSecrets.push('not-the-api-token-123');
    expect(failureOf(await provide(request(), { ECR_AUTH_TOKEN: 'not-the-api-token-123' }))).toMatch(
      /^ecr-auth: UNAUTHENTICATED: /,
    );
  });

  it.each([
    ['malformed stdin', '{"kind": "CredentialProviderRequest", "apiVer', /^ecr-auth: stdin is not JSON/],
    ['empty stdin', '', /^ecr-auth: stdin is not JSON/],
    ['another kind', request({ kind: 'ExecCredential' }), /^ecr-auth: expected kind CredentialProviderRequest/],
    [
      'an unknown apiVersion',
      request({ apiVersion: 'credentialprovider.kubelet.k8s.io/v9' }),
      /unsupported apiVersion/,
    ],
    ['a request over 64 KiB', request({ padding: 'x'.repeat(70 * 1024) }), /larger than 64 KiB/],
  ])('%s: exit 1 with a message, nothing on stdout', async (_why, input, expected) => {
    expect(failureOf(await provide(input))).toMatch(expected);
  });

  it('the service unreachable (a closed port): exit 1 with the reason, no hang', async () => {
    const port = await closedPort();
    expect(failureOf(await provide(request(), { ECR_AUTH_URL: `http://127.0.0.1:${port}` }))).toBe(
      `ecr-auth: cannot reach the service at http://127.0.0.1:${port}: connection refused (ECONNREFUSED)\n`,
    );
  });

  it('a service that never answers: gives up after ECR_AUTH_TIMEOUT_MS', async () => {
    const sockets: Socket[] = [];
    const silent: Server = createServer((s) => sockets.push(s));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const { port } = silent.address() as AddressInfo;
    try {
      const r = await provide(request(), { ECR_AUTH_URL: `http://127.0.0.1:${port}`, ECR_AUTH_TIMEOUT_MS: '300' });
      expect(failureOf(r)).toBe(
        `ecr-auth: cannot reach the service at http://127.0.0.1:${port}: no answer within 300 ms (ECR_AUTH_TIMEOUT_MS)\n`,
      );
    } finally {
      sockets.forEach((s) => s.destroy());
      await new Promise<void>((r) => silent.close(() => r()));
    }
  });

  it('the configuration of a node: ECR_AUTH_CONFIG with a pattern, the API token from ECR_AUTH_TOKEN_FILE', async () => {
    const config = join(tmp, 'kubelet.json');
    const tokenFile = join(tmp, 'api-token');
    writeFileSync(
      config,
      JSON.stringify({
        registries: {
          '*.dkr.ecr.eu-west-1.amazonaws.com': { roleArn: WORLD.customer.arn, externalId: WORLD.customer.externalId },
        },
      }),
      { mode: 0o600 },
    );
    writeFileSync(tokenFile, `${WORLD.apiToken}\n`, { mode: 0o600 });
    const r = await run(process.execPath, [PROVIDER], request(), {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      ECR_AUTH_URL: h.url,
      ECR_AUTH_CONFIG: config,
      ECR_AUTH_TOKEN_FILE: tokenFile,
    });
    runs.push(r);
    expect(h.emu.issuedEcrSecrets()).toContain(answerOf(r).auth[REGISTRY].password);
  });
});

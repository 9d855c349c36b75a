import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { AddressInfo, createServer, Server, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fingerprint } from '../../src/config/api-tokens';
import { WORLD, WORLD_SECRETS } from '../fixtures/aws-world';
import { FakeIssuer } from '../fixtures/oidc-issuer';
import { closedPort, run, Run } from './child-process';
import { customerBody, Harness, startHarness } from './harness';

const ROOT = join(__dirname, '..', '..');
const PROVIDER = join(ROOT, 'dist', 'cli', 'ecr-auth-kubelet-credential-provider.js');
const V1 = 'credentialprovider.kubelet.k8s.io/v1';
const V1BETA1 = 'credentialprovider.kubelet.k8s.io/v1beta1';
const REGISTRY = WORLD.customer.registry;
const IMAGE = `${REGISTRY}/team/app:1.2`;
/** The cluster's service-account issuer, and the audience of the kubelet's `tokenAttributes`. */
const CLUSTER_ISSUER = 'https://kubernetes.default.svc';
const AUDIENCE = 'ecr-auth';
const POD_SA = 'system:serviceaccount:builds:app';
const OTHER_NAMESPACE_SA = 'system:serviceaccount:other:app';
/** A customer role whose trust also lets the jump role tag sessions. */
const TAGGED = { arn: 'arn:aws:iam::222222222222:role/ecr-tagged', externalId: 'tagged-ext-id-6b1e' };

interface Response {
  kind: string;
  apiVersion: string;
  cacheKeyType: string;
  cacheDuration: string;
  auth: Record<string, { username: string; password: string }>;
}

/** A CredentialProviderRequest as the kubelet writes it. */
const request = (fields: Record<string, unknown> = {}) =>
  JSON.stringify({ kind: 'CredentialProviderRequest', apiVersion: V1, image: IMAGE, ...fields });

/** Seconds of a Go duration as the provider writes it (`11h24m0s`, `59s`). */
function seconds(duration: string): number {
  const m = /^(?:(\d+)h)?(?:(\d+)m)?(\d+)s$/.exec(duration);
  if (!m) throw new Error(`not a Go duration: ${duration}`);
  return Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3]);
}

/** The built provider against the real service (over HTTP, against the AWS emulator), as the kubelet runs it. */
describe('ecr-auth-kubelet-credential-provider (built) against the service', () => {
  let h: Harness;
  let issuer: FakeIssuer;
  let tmp: string;
  /** Service-account tokens as the kubelet gets them (TokenRequest): one per namespace. */
  const podJwts = { builds: '', other: '' };
  const runs: Run[] = [];
  /** Secrets of a case that must appear on no output (beyond the world's). */
  const extraSecrets: string[] = [];
  /** The provider's environment: nothing inherited but PATH (the kubelet adds its CredentialProviderConfig `env`). */
  let env: (extra?: Record<string, string>) => Record<string, string>;
  const provide = async (input: string, extra?: Record<string, string>) => {
    const r = await run(process.execPath, [PROVIDER], input, env(extra));
    runs.push(r);
    return r;
  };
  const answerOf = (r: Run): Response => {
    expect(r).toMatchObject({ code: 0, stderr: '' });
    return JSON.parse(r.stdout) as Response;
  };
  const failureOf = (r: Run): string => {
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^ecr-auth: [^\n]+\n$/);
    return r.stderr;
  };

  beforeAll(async () => {
    if (!existsSync(PROVIDER))
      throw new Error(`${PROVIDER} is missing: build first (npm test runs nest build before jest)`);
    issuer = await FakeIssuer.start(CLUSTER_ISSUER);
    await issuer.addKey('RS256');
    // The service's OIDC provider entry for the cluster, as docs/kubernetes.md gives it.
    const providers = [
      {
        issuer: CLUSTER_ISSUER,
        audience: AUDIENCE,
        jwksUri: issuer.jwksUri,
        rules: [{ claims: { sub: 'system:serviceaccount:builds:*' }, accounts: [WORLD.customer.account] }],
      },
    ];
    h = await startHarness({
      env: { ECR_AUTH_OIDC_PROVIDERS: JSON.stringify(providers), ECR_AUTH_SESSION_TAG_KEYS: 'cluster,team' },
    });
    h.emu.addRole({
      arn: TAGGED.arn,
      trust: [
        { principal: WORLD.jump.arn, externalId: TAGGED.externalId },
        { principal: WORLD.jump.arn, actions: ['sts:TagSession'] },
      ],
    });
    const serviceAccountToken = (namespace: string) =>
      issuer.sign(Date.now(), {
        aud: [AUDIENCE],
        sub: `system:serviceaccount:${namespace}:app`,
        'kubernetes.io': { namespace, serviceaccount: { name: 'app', uid: '5f0b4a7e-0000-4000-8000-000000000001' } },
      });
    podJwts.builds = await serviceAccountToken('builds');
    podJwts.other = await serviceAccountToken('other');
    tmp = mkdtempSync(join(tmpdir(), 'ecr-auth-kubelet-e2e-'));
    env = (extra = {}) => ({
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: join(tmp, 'no-home'),
      ECR_AUTH_URL: h.url,
      ECR_AUTH_TOKEN: WORLD.apiToken,
      ECR_AUTH_ROLE_ARN: WORLD.customer.arn,
      ECR_AUTH_EXTERNAL_ID: WORLD.customer.externalId,
      ...extra,
    });
  });

  afterAll(async () => {
    await h?.close();
    await issuer?.stop();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  afterEach(() => {
    // stdout carries the response only, stderr one line on failure only; no secret is ever printed
    // (an ECR password only in a response's auth).
    for (const r of runs.splice(0)) {
      if (r.code === 0) expect(r.stderr).toBe('');
      else expect(r.stdout).toBe('');
      for (const secret of [...WORLD_SECRETS, ...extraSecrets]) expect(r.stdout + r.stderr).not.toContain(secret);
    }
    extraSecrets.splice(0);
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

  describe("the node's session scope: sessionTags and repositories of ECR_AUTH_CONFIG", () => {
    let files = 0;
    const nodeConfig = (key: Record<string, unknown>) => {
      const file = join(tmp, `scoped-${(files += 1)}.json`);
      writeFileSync(file, JSON.stringify({ registries: { '*.dkr.ecr.eu-west-1.amazonaws.com': key } }), {
        mode: 0o600,
      });
      return { ECR_AUTH_CONFIG: file, ECR_AUTH_ROLE_ARN: '', ECR_AUTH_EXTERNAL_ID: '' };
    };
    const customerHops = () => h.emu.callsOf('sts', 'AssumeRole').filter((c) => c.params.RoleArn === TAGGED.arn);
    const scoped = { sessionTags: { team: 'builds', cluster: 'prod-eu' }, repositories: ['team/app'] };

    beforeEach(async () => {
      expect((await h.delete('/registry-auth/cache', { roleArn: TAGGED.arn })).status).toBe(200);
      h.emu.clearCalls();
    });

    it('reach the customer hop: its tags, a policy for those repositories only; the jump hop carries no tags', async () => {
      const answer = answerOf(
        await provide(request(), nodeConfig({ roleArn: TAGGED.arn, externalId: TAGGED.externalId, ...scoped })),
      );
      expect(h.emu.issuedEcrSecrets()).toContain(answer.auth[REGISTRY].password);
      const [customer] = customerHops();
      expect(customer).toMatchObject({
        status: 200,
        tags: [
          { key: 'cluster', value: 'prod-eu' },
          { key: 'team', value: 'builds' },
        ],
      });
      const images = (JSON.parse(customer.params.Policy) as { Statement: { Resource: unknown }[] }).Statement[1];
      expect(images.Resource).toEqual(['arn:aws:ecr:eu-west-1:222222222222:repository/team/app']);
      for (const jump of h.emu.callsOf('sts', 'AssumeRole').filter((c) => c.params.RoleArn === WORLD.jump.arn))
        expect(jump.tags).toBeUndefined();
    });

    it("with the pod token, the annotations choose the role and the node's tags still apply", async () => {
      extraSecrets.push(podJwts.builds, TAGGED.externalId);
      const r = await provide(
        request({
          serviceAccountToken: podJwts.builds,
          serviceAccountAnnotations: { 'ecr-auth/role-arn': TAGGED.arn, 'ecr-auth/external-id': TAGGED.externalId },
        }),
        {
          ...nodeConfig({ roleArn: WORLD.noEcrCustomer.arn, sessionTags: { cluster: 'prod-eu' } }),
          ECR_AUTH_TOKEN: '',
        },
      );
      expect(h.emu.issuedEcrSecrets()).toContain(answerOf(r).auth[REGISTRY].password);
      expect(customerHops().map((c) => c.tags)).toEqual([[{ key: 'cluster', value: 'prod-eu' }]]);
    });

    it("tags the service does not allow: exit 1 with the service's 400 and message, no STS call", async () => {
      extraSecrets.push(TAGGED.externalId);
      const stderr = failureOf(
        await provide(
          request(),
          nodeConfig({ roleArn: TAGGED.arn, externalId: TAGGED.externalId, sessionTags: { owner: 'x' } }),
        ),
      );
      expect(stderr).toMatch(
        /^ecr-auth: INVALID_REQUEST: sessionTags: only the keys cluster, team are allowed \(ECR_AUTH_SESSION_TAG_KEYS\)/,
      );
      expect(h.emu.callsOf('sts')).toEqual([]);
    });
  });

  describe('with the pod service-account token (KEP-4412)', () => {
    /** The service-account annotations that choose the key. */
    const annotated = (roleArn: string, externalId: string) => ({
      'ecr-auth/role-arn': roleArn,
      'ecr-auth/external-id': externalId,
    });
    /** The service's request lines of POST /registry-auth. */
    const mintLines = () =>
      h.logs
        .join('')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, unknown>)
        .filter((l) => l.msg === 'request' && l.route === '/registry-auth');
    /** Who called for mints with `roleArn`, by which issuer. */
    const callersOf = (roleArn: string) =>
      mintLines()
        .filter((l) => l.audit === 'registry-auth' && l.roleArn === roleArn)
        .map((l) => ({ caller: l.caller, issuer: l.issuer }));
    /**
     * The node's own configuration names no API token and a key that cannot pull: only the pod
     * token and the annotations can make a pull work.
     */
    const NODE = {
      ECR_AUTH_TOKEN: '',
      ECR_AUTH_ROLE_ARN: WORLD.noEcrCustomer.arn,
      ECR_AUTH_EXTERNAL_ID: WORLD.noEcrCustomer.externalId,
    };
    /** The customer roles assumed (the jump role's session is held across cases). */
    const assumed = () =>
      h.emu
        .callsOf('sts', 'AssumeRole')
        .map((c) => c.params.RoleArn)
        .filter((arn) => arn !== WORLD.jump.arn);

    beforeEach(async () => {
      // A mint of an earlier case must not answer from the service's cache: each case assumes.
      expect((await h.delete('/registry-auth/cache', { roleArn: WORLD.customer.arn })).status).toBe(200);
      h.emu.clearCalls();
    });

    it.each([
      {
        name: 'an API token as the pod token',
        token: () => WORLD.secondApiToken,
        caller: () => ({ caller: fingerprint(WORLD.secondApiToken), issuer: undefined }),
      },
      {
        name: 'a service-account JWT of the cluster issuer, whose namespace has a rule',
        token: () => podJwts.builds,
        caller: () => ({ caller: POD_SA, issuer: CLUSTER_ISSUER }),
      },
    ])('$name: the bearer, with the annotated role, and the service names that caller', async ({ token, caller }) => {
      extraSecrets.push(token());
      const r = await provide(
        request({
          serviceAccountToken: token(),
          serviceAccountAnnotations: annotated(WORLD.customer.arn, WORLD.customer.externalId),
        }),
        NODE,
      );
      const answer = answerOf(r);
      expect(answer.auth[REGISTRY].username).toBe('AWS');
      expect(h.emu.issuedEcrSecrets()).toContain(answer.auth[REGISTRY].password);
      // The annotated role was assumed, never the node's.
      expect(assumed()).toEqual([WORLD.customer.arn]);
      expect(callersOf(WORLD.customer.arn)).toContainEqual(caller());
    });

    it('a service-account JWT of a namespace without a rule: ACCOUNT_NOT_ALLOWED, no STS call, never the token or the external ID', async () => {
      extraSecrets.push(podJwts.other);
      const stderr = failureOf(
        await provide(
          request({
            serviceAccountToken: podJwts.other,
            serviceAccountAnnotations: annotated(WORLD.customer.arn, WORLD.customer.externalId),
          }),
          NODE,
        ),
      );
      expect(stderr).toMatch(/^ecr-auth: ACCOUNT_NOT_ALLOWED: /);
      expect(stderr).not.toContain(podJwts.other.split('.')[2]);
      expect(stderr).not.toContain(WORLD.customer.externalId);
      expect(assumed()).toEqual([]);
      expect(mintLines().at(-1)).toMatchObject({
        code: 'ACCOUNT_NOT_ALLOWED',
        caller: OTHER_NAMESPACE_SA,
        issuer: CLUSTER_ISSUER,
      });
    });

    it('the pod token wins over ECR_AUTH_TOKEN: a bad one is UNAUTHENTICATED, and never printed', async () => {
      const bad = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJub3QtYS1wb2QifQ.bm90LWEtc2lnbmF0dXJl';
      extraSecrets.push(bad);
      const stderr = failureOf(
        await provide(
          request({
            serviceAccountToken: bad,
            serviceAccountAnnotations: annotated(WORLD.customer.arn, WORLD.customer.externalId),
          }),
        ),
      );
      expect(stderr).toMatch(/^ecr-auth: UNAUTHENTICATED: /);
    });

    it('an annotated external ID the role refuses: ASSUME_ROLE_DENIED, never the external ID', async () => {
      extraSecrets.push(WORLD.secondApiToken, 'annotated-wrong-ext-id-42');
      const stderr = failureOf(
        await provide(
          request({
            serviceAccountToken: WORLD.secondApiToken,
            serviceAccountAnnotations: annotated(WORLD.customer.arn, 'annotated-wrong-ext-id-42'),
          }),
        ),
      );
      expect(stderr).toMatch(/^ecr-auth: ASSUME_ROLE_DENIED: /);
    });
  });
});

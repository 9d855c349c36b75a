import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WORLD, WORLD_SECRETS } from '../fixtures/aws-world';
import { FakeIssuer } from '../fixtures/oidc-issuer';
import { run, Run } from './child-process';
import { Harness, startHarness } from './harness';

export const ROOT = join(__dirname, '..', '..');
export const PROVIDER = join(ROOT, 'dist', 'cli', 'ecr-auth-kubelet-credential-provider.js');
export const V1 = 'credentialprovider.kubelet.k8s.io/v1';
export const V1BETA1 = 'credentialprovider.kubelet.k8s.io/v1beta1';
export const REGISTRY = WORLD.customer.registry;
export const IMAGE = `${REGISTRY}/team/app:1.2`;
/** The cluster's service-account issuer, and the audience of the kubelet's `tokenAttributes`. */
export const CLUSTER_ISSUER = 'https://kubernetes.default.svc';
export const AUDIENCE = 'ecr-auth';
export const POD_SA = 'system:serviceaccount:builds:app';
export const OTHER_NAMESPACE_SA = 'system:serviceaccount:other:app';
/** A customer role whose trust also lets the jump role tag sessions. */
export const TAGGED = { arn: 'arn:aws:iam::222222222222:role/ecr-tagged', externalId: 'tagged-ext-id-6b1e' };

export interface Response {
  kind: string;
  apiVersion: string;
  cacheKeyType: string;
  cacheDuration: string;
  auth: Record<string, { username: string; password: string }>;
}

/** A CredentialProviderRequest as the kubelet writes it. */
export const request = (fields: Record<string, unknown> = {}) =>
  JSON.stringify({ kind: 'CredentialProviderRequest', apiVersion: V1, image: IMAGE, ...fields });

/** Seconds of a Go duration as the provider writes it (`11h24m0s`, `59s`). */
export function seconds(duration: string): number {
  const m = /^(?:(\d+)h)?(?:(\d+)m)?(\d+)s$/.exec(duration);
  if (!m) throw new Error(`not a Go duration: ${duration}`);
  return Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3]);
}

/**
 * For the describe block of the built provider: the service (OIDC provider for the cluster,
 * session tags cluster and team, the TAGGED role), the cluster's issuer with a pod token per
 * namespace, and the provider run as the kubelet runs it. After each test every run's output
 * is checked: the response alone on stdout, one line on stderr on failure, no secret anywhere.
 * `h`, `issuer` and `tmp` are set once the block starts.
 */
export function kubeletProviderWorld() {
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

  return {
    get h(): Harness {
      return h;
    },
    get issuer(): FakeIssuer {
      return issuer;
    },
    get tmp(): string {
      return tmp;
    },
    podJwts,
    runs,
    extraSecrets,
    env: (extra?: Record<string, string>) => env(extra),
    provide,
    answerOf,
    failureOf,
  };
}

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fingerprint } from '../../src/config/api-tokens';
import { WORLD } from '../fixtures/aws-world';
import { type Harness } from './harness';
import {
  CLUSTER_ISSUER,
  kubeletProviderWorld,
  OTHER_NAMESPACE_SA,
  POD_SA,
  REGISTRY,
  request,
  TAGGED,
} from './kubelet-provider-world';

/** The built provider against the real service (over HTTP, against the AWS emulator), as the kubelet runs it. */
describe('ecr-auth-kubelet-credential-provider (built) against the service', () => {
  const world = kubeletProviderWorld();
  const { podJwts, extraSecrets, provide, answerOf, failureOf } = world;
  let h: Harness;
  let tmp: string;
  beforeAll(() => {
    ({ h, tmp } = world);
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

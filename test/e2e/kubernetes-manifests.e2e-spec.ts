import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { drainMs } from '../../src/app/shutdown';
import { itWith, KUBECTL } from '../fixtures/outside-tools';
import {
  configMapEnv,
  exampleSecrets,
  knownVariables,
  one,
  podView,
  problemsOf,
  render,
  ROOT,
} from './kubernetes-world';

const itKubectl = itWith(KUBECTL);

describe.each(['single', 'fleet'])('deploy/kubernetes/overlays/%s', (overlay) => {
  const pod = () => one(render(overlay), 'Deployment').spec.template.spec;

  itKubectl('every container runs as the image user, read-only, unprivileged, with no capabilities', () => {
    expect(readFileSync(join(ROOT, 'Dockerfile'), 'utf8')).toMatch(/^USER node$/m); // uid and gid 1000
    const spec = pod();
    expect(spec.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000 });
    expect(spec.securityContext.seccompProfile).toEqual({ type: 'RuntimeDefault' });
    expect(spec.hostNetwork ?? false).toBe(false);
    for (const c of [...spec.containers, ...(spec.initContainers ?? [])]) {
      const sc = c.securityContext;
      expect(sc.runAsNonRoot ?? spec.securityContext.runAsNonRoot).toBe(true);
      expect(sc.runAsUser ?? spec.securityContext.runAsUser).not.toBe(0);
      expect(sc).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false });
      expect(sc.privileged ?? false).toBe(false);
      expect(sc.capabilities).toEqual({ drop: ['ALL'] });
    }
  });

  itKubectl('probes ask the health routes on the port the service listens on; resources are set', () => {
    const [c] = pod().containers;
    const port = (p: number | string) =>
      typeof p === 'number' ? p : c.ports.find((x: any) => x.name === p)?.containerPort;
    const listens = Number(configMapEnv(render(overlay)).PORT ?? 8080);
    expect(c.livenessProbe.httpGet.path).toBe('/health/live');
    expect(c.readinessProbe.httpGet.path).toBe('/health/ready');
    expect(c.startupProbe.httpGet.path).toBe('/health/live');
    for (const probe of [c.livenessProbe, c.readinessProbe, c.startupProbe])
      expect(port(probe.httpGet.port)).toBe(listens);
    const service = one(render(overlay), 'Service', 'ecr-auth');
    expect(service.spec.ports.map((p: any) => port(p.targetPort))).toEqual([listens]);
    expect(c.resources.requests).toEqual({ cpu: expect.any(String), memory: expect.any(String) });
    expect(c.resources.limits.memory).toBe('512Mi');
  });

  itKubectl('the grace period outlasts the preStop sleep, the drain and the close', () => {
    const spec = pod();
    const deadlineMs = Number(configMapEnv(render(overlay)).ECR_AUTH_REQUEST_DEADLINE_MS ?? 15000);
    const [sleep, seconds] = spec.containers[0].lifecycle.preStop.exec.command;
    expect(sleep).toBe('sleep');
    // docs/operations.md "Shutdown": after the drain, closing the clients takes at most 3 s.
    const needed = Number(seconds) + drainMs({ requestDeadlineMs: deadlineMs }) / 1000 + 3;
    expect(spec.terminationGracePeriodSeconds).toBeGreaterThan(needed);
  });

  itKubectl('the pod runs as the ServiceAccount with the IRSA annotation to fill, without the API token', () => {
    const spec = pod();
    const account = one(render(overlay), 'ServiceAccount', spec.serviceAccountName);
    expect(Object.keys(account.metadata.annotations)).toContain('eks.amazonaws.com/role-arn');
    expect(account.automountServiceAccountToken).toBe(false);
    expect(spec.automountServiceAccountToken).toBe(false);
  });

  itKubectl('the Deployment and the Service select its pods; the image is the placeholder to set', () => {
    const objects = render(overlay);
    const labels = one(objects, 'Deployment').spec.template.metadata.labels;
    expect(labels).toMatchObject(one(objects, 'Deployment').spec.selector.matchLabels);
    expect(labels).toMatchObject(one(objects, 'Service').spec.selector);
    expect(pod().containers[0].image).toBe('ecr-auth:latest');
  });

  itKubectl('sets only variables the service reads, and renders no Secret: placeholders never deploy', () => {
    const known = knownVariables();
    // A grep that found nothing would pass anything.
    expect([...known]).toEqual(expect.arrayContaining(['AWS_REGION', 'ECR_AUTH_REDIS_URL', 'LOG_LEVEL']));
    const objects = render(overlay);
    const names = [
      ...objects.filter((o) => o.kind === 'ConfigMap').flatMap((o) => Object.keys(o.data ?? {})),
      ...pod().containers.flatMap((c: any) => (c.env ?? []).map((e: any) => e.name)),
    ];
    expect(names.filter((n) => !known.has(n))).toEqual([]);
    expect(objects.filter((o) => o.kind === 'Secret')).toEqual([]);
  });

  itKubectl('the example Secrets are refused at start-up, and the same wiring with real values is accepted', () => {
    const secrets = exampleSecrets(overlay);
    const problems = problemsOf(podView(render(overlay), secrets));
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^ECR_AUTH_API_TOKENS_FILE: /),
        expect.stringMatching(/^ECR_AUTH_JUMP_EXTERNAL_ID: /),
      ]),
    );
    const real = new Map(secrets);
    real.set('ecr-auth', {
      'api-tokens': `ci ${randomBytes(32).toString('hex')}\n`,
      'jump-external-id': 'ecr-auth-jump-2f9c',
    });
    if (overlay === 'fleet') {
      expect(problems).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^ECR_AUTH_CACHE_ENCRYPTION_KEY: /),
          expect.stringMatching(/^ECR_AUTH_REDIS_PASSWORD_FILE: /),
        ]),
      );
      real.set('ecr-auth-redis', {
        password: 'a-redis-password\n',
        'cache-encryption-key': randomBytes(32).toString('base64'),
      });
    }
    expect(problemsOf(podView(render(overlay), real))).toEqual([]);
  });
});

describe('the fleet overlay', () => {
  const objects = () => render('fleet');
  const pod = () => one(objects(), 'Deployment').spec.template;

  itKubectl('runs three replicas, one disruption at a time', () => {
    expect(one(objects(), 'Deployment').spec.replicas).toBe(3);
    const budget = one(objects(), 'PodDisruptionBudget');
    expect(pod().metadata.labels).toMatchObject(budget.spec.selector.matchLabels);
    expect(budget.spec.maxUnavailable ?? 3 - budget.spec.minAvailable).toBe(1);
  });

  itKubectl('spreads the replicas over nodes and zones', () => {
    const spread = pod().spec.topologySpreadConstraints;
    expect(spread.map((t: any) => [t.topologyKey, t.whenUnsatisfiable])).toEqual([
      ['kubernetes.io/hostname', 'DoNotSchedule'],
      ['topology.kubernetes.io/zone', 'ScheduleAnyway'],
    ]);
    for (const t of spread) expect(pod().metadata.labels).toMatchObject(t.labelSelector.matchLabels);
  });

  itKubectl('wires Redis: the URL and mode from the ConfigMap, the key and the password from a Secret', () => {
    const [c] = pod().spec.containers;
    const env = configMapEnv(objects());
    expect(env).toMatchObject({
      ECR_AUTH_REDIS_MODE: 'standalone',
      ECR_AUTH_REDIS_URL: expect.stringMatching(/^rediss:\/\//),
    });
    expect(env.ECR_AUTH_REDIS_URL).not.toMatch(/:[^/@]*@/); // no password in the URL
    const key = c.env.find((e: any) => e.name === 'ECR_AUTH_CACHE_ENCRYPTION_KEY');
    expect(key.valueFrom.secretKeyRef).toEqual({ name: 'ecr-auth-redis', key: 'cache-encryption-key' });
    const mount = c.volumeMounts.find((m: any) => env.ECR_AUTH_REDIS_PASSWORD_FILE.startsWith(`${m.mountPath}/`));
    expect(pod().spec.volumes.find((v: any) => v.name === mount.name).secret.secretName).toBe('ecr-auth-redis');
  });
});

describe('the single overlay', () => {
  itKubectl('runs one replica on its in-process cache: no Redis setting, no disruption budget', () => {
    const objects = render('single');
    expect(one(objects, 'Deployment').spec.replicas).toBe(1);
    const env = podView(objects, exampleSecrets('single')).env;
    expect(Object.keys(env).filter((n) => /^ECR_AUTH_(REDIS_|CACHE_ENCRYPTION_KEY)/.test(n))).toEqual([]);
    expect(objects.filter((o) => o.kind === 'PodDisruptionBudget')).toEqual([]);
  });
});

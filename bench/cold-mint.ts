import { ECRClient, GetAuthorizationTokenCommand } from '@aws-sdk/client-ecr';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { AwsEmulator } from '../test/emulator/aws-emulator';
import { seedWorld, WORLD } from '../test/fixtures/aws-world';
import { startService } from './processes';
import type { BenchSection } from './section';

const UPSTREAM_MS = 50;

const post = (url: string, path: string, method: string, body: unknown) =>
  fetch(`${url}${path}`, {
    method,
    headers: { authorization: `Bearer ${WORLD.apiToken}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))];

/**
 * The same two upstream calls made straight from this process with the SDK (jump session →
 * customer AssumeRole → GetAuthorizationToken): what the calls cost a client by themselves,
 * the emulator's own work and timer slack included. Subtracted from a cold mint, it leaves
 * what the service adds.
 */
async function directUpstreamMs(emu: AwsEmulator, rounds: number): Promise<number[]> {
  const common = { region: WORLD.region, endpoint: emu.url, maxAttempts: 1 };
  const service = new STSClient({
    ...common,
    credentials: { accessKeyId: WORLD.service.accessKeyId, secretAccessKey: WORLD.service.secretAccessKey },
  });
  const jump = (
    await service.send(
      new AssumeRoleCommand({
        RoleArn: WORLD.jump.arn,
        RoleSessionName: 'bench-jump',
        ExternalId: WORLD.jump.externalId,
      }),
    )
  ).Credentials!;
  const viaJump = new STSClient({
    ...common,
    credentials: {
      accessKeyId: jump.AccessKeyId!,
      secretAccessKey: jump.SecretAccessKey!,
      sessionToken: jump.SessionToken!,
    },
  });
  const times: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const started = performance.now();
    const c = (
      await viaJump.send(
        new AssumeRoleCommand({
          RoleArn: WORLD.customer.arn,
          RoleSessionName: `bench-${i}`,
          ExternalId: WORLD.customer.externalId,
          DurationSeconds: 3600,
        }),
      )
    ).Credentials!;
    const ecr = new ECRClient({
      ...common,
      credentials: { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! },
    });
    await ecr.send(new GetAuthorizationTokenCommand({}));
    times.push(performance.now() - started);
  }
  service.destroy();
  viaJump.destroy();
  return times;
}

/**
 * A cold mint with every upstream call taking 50 ms: the latency the service adds on top of
 * the upstream calls it must make (customer AssumeRole + GetAuthorizationToken; the jump
 * session is held). Each round evicts the role first so the next request is cold.
 */
export async function run(o: { mints: number } = { mints: 40 }): Promise<BenchSection> {
  const emu = await AwsEmulator.start({ ecrSecretLength: 1600, historyLimit: 1000 });
  seedWorld(emu);
  const service = await startService(emu, { LOG_LEVEL: 'info' });
  const body = {
    registry: WORLD.customer.registry,
    roleArn: WORLD.customer.arn,
    externalId: WORLD.customer.externalId,
  };
  const totals: number[] = [];
  let upstream: number[];
  try {
    await post(service.url, '/registry-auth', 'POST', body); // warm: JIT, the held jump session
    emu.setLatency(UPSTREAM_MS);
    for (let i = 0; i < o.mints; i++) {
      await post(service.url, '/registry-auth/cache', 'DELETE', { roleArn: WORLD.customer.arn });
      emu.clearCalls();
      const started = performance.now();
      const res = await post(service.url, '/registry-auth', 'POST', body);
      await res.arrayBuffer();
      const elapsed = performance.now() - started;
      if (res.status !== 200) throw new Error(`cold mint answered ${res.status}`);
      if (emu.calls.length !== 2) throw new Error(`a cold mint made ${emu.calls.length} upstream calls, not 2`);
      totals.push(elapsed);
    }
    upstream = await directUpstreamMs(emu, o.mints);
  } finally {
    await service.stop();
    await emu.close();
  }
  const f = (x: number) => x.toFixed(1);
  const up = pct(upstream, 50);
  const added = totals.map((t) => t - up);
  return {
    title: 'Cold mint: latency added over the upstream calls',
    columns: ['', 'p50 ms', 'p90 ms', 'max ms'],
    rows: [
      ['cold mint through the service, end to end', f(pct(totals, 50)), f(pct(totals, 90)), f(Math.max(...totals))],
      ['the same two AWS calls made directly with the SDK', f(up), f(pct(upstream, 90)), f(Math.max(...upstream))],
      ['added by the service (mint − direct median)', f(pct(added, 50)), f(pct(added, 90)), f(Math.max(...added))],
    ],
    notes: [
      `${o.mints} sequential cold mints (each after a DELETE of the role, so the customer session and token are minted; the jump session is held); the emulator holds every answer ${UPSTREAM_MS} ms. Each mint made exactly 2 upstream calls (customer AssumeRole, GetAuthorizationToken). Goal: < 5 ms added at the median.`,
      "The direct line times the same two calls from the benchmark process with the SDK, so the emulator's own work and timer slack are not charged to the service. What remains is the service: HTTP in and out, validation, the cache, SDK signing and parsing in the service's process.",
    ],
  };
}

import { randomBytes } from 'node:crypto';
import { Metrics } from '../src/metrics/metrics';
import type { AwsEmulator, CallRecord } from '../test/emulator/aws-emulator';
import { Harness, startHarness } from '../test/e2e/harness';
import { addCustomers, Customer, forgetCustomersInRedis } from '../test/fixtures/customers';
import { startRedisCluster } from '../test/fixtures/redis-cluster';
import { TEST_REDIS_URL } from '../test/fixtures/test-redis';

/**
 * The Redis a fleet bench runs on, behind one shape so that every scenario runs the same code
 * on each: the tests' single node, or a local Redis Cluster of 3 masters and 3 replicas started
 * on free ports for the run (ECR_AUTH_REDIS_MODE=cluster).
 */
export interface FleetRedis {
  /** For the tables: `single node` or `cluster 3+3`. */
  readonly name: string;
  /** The replicas' Redis settings, with an encryption key of their own (hence keys of their own). */
  env(): Record<string, string>;
  /** Deletes what the run wrote (the single node), or stops the cluster by pid. */
  close(customers: readonly Customer[]): Promise<void>;
}

/** The tests' Redis (ECR_AUTH_TEST_REDIS_URL): the run deletes only what its customers index. */
export async function singleNode(): Promise<FleetRedis> {
  return {
    name: 'single node',
    env: () => ({ ECR_AUTH_REDIS_URL: TEST_REDIS_URL, ...common() }),
    close: (customers) => forgetCustomersInRedis(TEST_REDIS_URL, customers),
  };
}

/** A Redis Cluster of the run's own (3 masters, a replica each), stopped with the run. */
export async function localCluster(): Promise<FleetRedis> {
  const cluster = await holdingOpen(() => startRedisCluster());
  const seeds = cluster.rootNodes.map((n) => n.url).join(',');
  return {
    name: 'cluster 3+3',
    env: () => ({ ECR_AUTH_REDIS_MODE: 'cluster', ECR_AUTH_REDIS_URL: seeds, ...common() }),
    close: () => holdingOpen(() => cluster.stop()),
  };
}

/**
 * Runs `fn` with the process held open: the fixture's servers, watchdog and waits do not hold
 * it (a test run ends however its tests end), and a bench has nothing else running meanwhile.
 */
async function holdingOpen<T>(fn: () => Promise<T>): Promise<T> {
  const held = setInterval(() => undefined, 60_000);
  try {
    return await fn();
  } finally {
    clearInterval(held);
  }
}

const common = () => ({ ECR_AUTH_CACHE_ENCRYPTION_KEY: randomBytes(32).toString('base64'), LOG_LEVEL: 'warn' });

const RUN = String(Math.floor(Math.random() * 1e5)).padStart(5, '0');

/** The customers a run added, for the single node's clean-up. */
export const made: Customer[] = [];

/** `n` customers in accounts `<group><run><i>` (one account for all with `sameAccount`). */
export function customers(emu: AwsEmulator, n: number, group: number, sameAccount = false): Customer[] {
  const list = addCustomers(emu, n, (i) => `${group}${RUN}${String(sameAccount ? 0 : i).padStart(6, '0')}`);
  made.push(...list);
  return list;
}

export const accountOf = (c: CallRecord) => c.callerArn?.split(':')[4] ?? '';

/** A key's upstream round trips in the emulator's record: customer AssumeRole and ECR calls. */
export function upstreamOf(emu: AwsEmulator, c: Customer): { assumes: number; ecr: number } {
  return {
    assumes: emu.callsOf('sts', 'AssumeRole').filter((a) => a.params.RoleArn === c.arn).length,
    ecr: emu.callsOf('ecr', 'GetAuthorizationToken').filter((e) => accountOf(e) === c.account).length,
  };
}

export const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))];
export const range = (xs: number[]) =>
  Math.min(...xs) === Math.max(...xs) ? String(xs[0]) : `${Math.min(...xs)}–${Math.max(...xs)}`;

export async function counted(h: Harness, metric: 'mintLock' | 'refreshAhead', outcome: string): Promise<number> {
  const { values } = await h.app.get(Metrics)[metric].get();
  return values.find((v) => v.labels.outcome === outcome)?.value ?? 0;
}

/** Waits for state that announces no event (bench only: tests use their own fixture). */
export async function until(check: () => boolean | Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** `n` replicas of the service on one emulator. */
export async function replicas(emu: AwsEmulator, env: Record<string, string>, n = 3, clock?: () => number) {
  const list: Harness[] = [];
  for (let i = 0; i < n; i++) list.push(await startHarness({ emulator: emu, env, clock }));
  return list;
}

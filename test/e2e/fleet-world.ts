import { randomBytes } from 'node:crypto';
import { Metrics } from '../../src/metrics/metrics';
import type { AwsEmulator } from '../emulator/aws-emulator';
import { addCustomers as addWorldCustomers, Customer, forgetCustomersInRedis } from '../fixtures/customers';
import { TEST_REDIS_URL } from '../fixtures/test-redis';
import type { Harness } from './harness';
import { until } from '../fixtures/wait';

/** A customer role of its own account, trusting the jump role with its own external ID. */
export type FleetCustomer = Customer;

/**
 * Replicas of one run on the tests' Redis: an encryption key of the run's own (hence its own
 * cache keys and lock keys) and accounts of its own (hence its own label indexes). `cleanup`
 * deletes only what the run's roles and registries index.
 */
export function fleetWorld() {
  const run = String(Math.floor(Math.random() * 1e5)).padStart(5, '0');
  const encryptionKey = randomBytes(32).toString('base64');
  const customers: FleetCustomer[] = [];
  const env = { ECR_AUTH_REDIS_URL: TEST_REDIS_URL, ECR_AUTH_CACHE_ENCRYPTION_KEY: encryptionKey };

  /** `n` customers in accounts `<group><run><i>`, added to the emulator. */
  const addCustomers = (emu: AwsEmulator, n: number, group: number, sameAccount = false): FleetCustomer[] => {
    const list = addWorldCustomers(emu, n, (i) => `${group}${run}${String(sameAccount ? 0 : i).padStart(6, '0')}`);
    customers.push(...list);
    return list;
  };

  const cleanup = () => forgetCustomersInRedis(TEST_REDIS_URL, customers);

  return { env, encryptionKey, addCustomers, cleanup, customers };
}

export const bodyOf = (c: FleetCustomer) => ({ registry: c.registry, roleArn: c.arn, externalId: c.externalId });

/** A counter of a replica by outcome label (0 when never counted). */
export async function counted(
  h: Harness,
  metric: 'mintLock' | 'refreshAhead' | 'cacheEvents',
  outcome: string,
): Promise<number> {
  const { values } = await h.app.get(Metrics)[metric].get();
  return values.find((v) => v.labels.outcome === outcome)?.value ?? 0;
}

/** One customer's upstream round trips in the emulator's record: its AssumeRole calls and its account's ECR calls. */
export function mintsOf(emu: AwsEmulator, c: FleetCustomer): { assumeRole: number; ecr: number } {
  return {
    assumeRole: emu.calls.filter((r) => r.action === 'AssumeRole' && r.params.RoleArn === c.arn).length,
    ecr: emu.callsOf('ecr').filter((r) => r.callerArn?.split(':')[4] === c.account).length,
  };
}

/** What a replica's readiness says of the shared tier (`off`, `up`, `degraded`, `down`), and its status. */
export async function sharedCacheOf(h: Harness): Promise<{ status: number; sharedCache: string }> {
  const res = await h.get('/health/ready');
  return { status: res.status, sharedCache: String(res.json?.sharedCache) };
}

/** Waits until every replica reports the shared tier `up` again, with requests flowing meanwhile. */
export async function untilSharedCacheUp(
  replicas: readonly Harness[],
  keys: () => FleetCustomer,
  timeoutMs: number,
): Promise<void> {
  await until(async () => {
    await loadUntil(replicas, keys, Promise.resolve(), 1);
    const states = await Promise.all(replicas.map(sharedCacheOf));
    return states.every((s) => s.status === 200 && s.sharedCache === 'up');
  }, timeoutMs);
}

/** A JSON log line of the service. */
export interface LogLine {
  readonly level: number;
  readonly msg: string;
  readonly context?: string;
}

/**
 * Every log line of the given replicas, parsed (each must be JSON). Nest's framework logger is
 * process-wide: a line of one replica may land in another's log, so tests read them together.
 */
export function logLines(replicas: ReadonlyArray<Pick<Harness, 'logs'>>): LogLine[] {
  return replicas
    .flatMap((h) => h.logs.flatMap((chunk) => chunk.split('\n').filter((l) => l.trim())))
    .map((l) => JSON.parse(l) as LogLine);
}

/** The shared tier's ERROR lines (pino level 50) among `lines`. */
export const tierErrors = (lines: readonly LogLine[]) =>
  lines.filter((l) => l.level === 50 && l.context === 'SharedCache');

/**
 * Requests from every replica in turn, over `keys` until `done` resolves (and `rounds` rounds at
 * least): the load a failover happens under. Resolves with every answer's status.
 */
export async function loadUntil(
  replicas: readonly Harness[],
  keys: () => FleetCustomer,
  done: Promise<unknown>,
  rounds = 5,
): Promise<number[]> {
  let finished = false;
  void done.then(
    () => (finished = true),
    () => (finished = true),
  );
  const statuses: number[] = [];
  for (let round = 0; !finished || round < rounds; round++) {
    const answers = await Promise.all(replicas.map((h) => h.post('/registry-auth', bodyOf(keys()))));
    statuses.push(...answers.map((a) => a.status));
  }
  return statuses;
}

/**
 * The log lines `replicas` write from now on (the list may grow: a replica added later counts
 * from its start). A test's line may land in the log of a replica started earlier, even a
 * closed one: Nest's framework logger is process-wide.
 */
export function linesFrom(replicas: ReadonlyArray<Pick<Harness, 'logs'>>): () => LogLine[] {
  const offsets = replicas.map((h) => h.logs.length);
  return () => logLines(replicas.map((h, i) => ({ logs: h.logs.slice(offsets[i] ?? 0) })));
}

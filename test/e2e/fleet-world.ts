import { randomBytes } from 'node:crypto';
import { Metrics } from '../../src/metrics/metrics';
import type { AwsEmulator } from '../emulator/aws-emulator';
import { addCustomers as addWorldCustomers, Customer, forgetCustomersInRedis } from '../fixtures/customers';
import { TEST_REDIS_URL } from '../fixtures/test-redis';
import type { Harness } from './harness';

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

import { createHash, randomBytes } from 'node:crypto';
import { createClient } from 'redis';
import { Metrics } from '../../src/metrics/metrics';
import type { AwsEmulator } from '../emulator/aws-emulator';
import { addCustomers as addWorldCustomers, Customer } from '../fixtures/customers';
import { REDIS_URL } from '../fixtures/redis-tiers';
import type { Harness } from './harness';

/** A customer role of its own account, trusting the jump role with its own external ID. */
export type FleetCustomer = Customer;

/**
 * Replicas of one run on the shared Redis: an encryption key of the run's own (hence its own
 * cache keys and lock keys) and accounts of its own (hence its own label indexes). `cleanup`
 * deletes only what the run's roles and registries index.
 */
export function fleetWorld() {
  const run = String(Math.floor(Math.random() * 1e5)).padStart(5, '0');
  const encryptionKey = randomBytes(32).toString('base64');
  const customers: FleetCustomer[] = [];
  const env = { ECR_AUTH_REDIS_URL: REDIS_URL, ECR_AUTH_CACHE_ENCRYPTION_KEY: encryptionKey };

  /** `n` customers in accounts `<group><run><i>`, added to the emulator. */
  const addCustomers = (emu: AwsEmulator, n: number, group: number, sameAccount = false): FleetCustomer[] => {
    const list = addWorldCustomers(emu, n, (i) => `${group}${run}${String(sameAccount ? 0 : i).padStart(6, '0')}`);
    customers.push(...list);
    return list;
  };

  const indexKey = (label: string) => `ecr-auth:idx:${createHash('sha256').update(label).digest('hex')}`;

  const cleanup = async () => {
    const redis = createClient({ url: REDIS_URL });
    await redis.connect();
    try {
      for (const c of customers) {
        for (const label of [`role:${c.arn}`, `registry:${c.registry}`]) {
          const members = await redis.sMembers(indexKey(label));
          if (members.length) await redis.del(members.flatMap((m) => [`ecr-auth:${m}`, `ecr-auth:lock:${m}`]));
          await redis.del(indexKey(label));
        }
      }
    } finally {
      await redis.close();
    }
  };

  return { env, encryptionKey, addCustomers, cleanup, customers };
}

export const bodyOf = (c: FleetCustomer) => ({ registry: c.registry, roleArn: c.arn, externalId: c.externalId });

/** A counter of a replica by outcome label (0 when never counted). */
export async function counted(h: Harness, metric: 'mintLock' | 'refreshAhead', outcome: string): Promise<number> {
  const { values } = await h.app.get(Metrics)[metric].get();
  return values.find((v) => v.labels.outcome === outcome)?.value ?? 0;
}

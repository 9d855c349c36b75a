import {
  BURST_KEYS,
  BURST_REQUESTS,
  coldBurst,
  EVICT_KEYS,
  FAIR_KEYS,
  FAIR_RTT_MS,
  fairness,
  HELD_MS,
  LEASE_MS,
  remintAfterEviction,
  steadyAcrossRefreshes,
} from './fleet-scenarios';
import { FleetRedis, localCluster, made, pct, range, singleNode } from './fleet-redis';
import type { BenchSection } from './section';

/**
 * A fleet as one service: three replicas of the real service (in this process, over HTTP) on
 * one Redis and one AWS emulator, on the single node and on a local Redis Cluster (the same
 * code, the Redis a parameter).
 * (a) a cold burst over many keys: customer AssumeRole and ECR calls per key, fleet-wide;
 * (b) steady load across two refresh times with every upstream call held: request latency;
 * (d) an eviction on one replica, then the key asked on every replica at once: the re-mint;
 * (c) one account's burst of new keys against another account's single mint: its wait.
 */

/** The rows of (a), (b) and (d) on one Redis. */
async function onRedis(redis: FleetRedis): Promise<{ rows: BenchSection['rows']; notes: string[] }> {
  const a = await coldBurst(redis);
  const b = await steadyAcrossRefreshes(redis);
  const d = await remintAfterEviction(redis);
  const burst = `${redis.name}: 3 replicas, ${BURST_REQUESTS} concurrent cold requests over ${BURST_KEYS} keys`;
  const steady = `${redis.name}: 3 replicas, steady requests across 2 refresh times, upstream held ${HELD_MS} ms`;
  const evict = `${redis.name}: eviction on replica A, then each of ${EVICT_KEYS} keys on all 3 replicas at once`;
  const ms = d.map((x) => x.ms);
  return {
    rows: [
      [burst, 'customer AssumeRole per key, fleet-wide', range(a.assumes), 1],
      [burst, 'ECR GetAuthorizationToken per key, fleet-wide', range(a.ecr), 1],
      [burst, 'distinct tokens answered per key', range(a.tokens), 1],
      [burst, 'latency p50 / max (ms)', `${a.p50.toFixed(0)} / ${a.max.toFixed(0)}`, '—'],
      [
        steady,
        'latency p50 / p99 / max (ms)',
        `${b.p50.toFixed(1)} / ${b.p99.toFixed(1)} / ${b.max.toFixed(1)}`,
        '< 1000',
      ],
      [steady, 'requests that waited on upstream', b.waited, 0],
      [steady, 'ECR calls per refresh time, fleet-wide', b.perBoundary.join(' / '), 1],
      [
        evict,
        'customer AssumeRole / ECR calls per key, fleet-wide',
        `${range(d.map((x) => x.assumes))} / ${range(d.map((x) => x.ecr))}`,
        '1 / 1',
      ],
      [
        evict,
        're-mint answered on every replica, p50 / max (ms)',
        `${pct(ms, 50).toFixed(0)} / ${Math.max(...ms).toFixed(0)}`,
        `one round trip, not a lease (${LEASE_MS})`,
      ],
    ],
    notes: [
      `${redis.name}, cold burst: requests i → key i mod ${BURST_KEYS}, replica ⌊i / ${BURST_KEYS}⌋ mod 3 (every key on every replica), over keep-alive HTTP; answered in ${a.ms.toFixed(0)} ms, ${a.failed} failed; ${a.shared} mints answered another replica's token (the others waited on the lock in Redis, polling every 20 ms).`,
      `${redis.name}, steady: ${b.requests} requests, ${b.failed} failed.`,
      `${redis.name}, eviction: DELETE /registry-auth/cache on replica A, once every other replica heard it; ${d.reduce((n, x) => n + x.failed, 0)} failed, ${range(d.map((x) => x.tokens))} distinct token(s) per key.`,
    ],
  };
}

export async function run(): Promise<BenchSection> {
  const single = await singleNode();
  let one: Awaited<ReturnType<typeof onRedis>>;
  try {
    one = await onRedis(single);
  } finally {
    await single.close(made);
  }
  const cluster = await localCluster();
  let many: Awaited<ReturnType<typeof onRedis>>;
  try {
    many = await onRedis(cluster);
  } finally {
    await cluster.close(made);
  }
  const c = await fairness();
  const fair = `1 replica (concurrency 16), ${FAIR_KEYS} new keys of one account, then 1 of another; upstream ${FAIR_RTT_MS} ms`;
  return {
    title: 'A fleet as one service: one mint per key, refresh-ahead, re-mint after an eviction, a fair upstream',
    columns: ['scenario', 'counted', 'measured', 'goal'],
    rows: [
      ...one.rows,
      ...many.rows,
      [
        fair,
        "the other account's mint (ms)",
        c.singleMs.toFixed(0),
        `2–4 round trips (${2 * FAIR_RTT_MS}–${4 * FAIR_RTT_MS})`,
      ],
      [fair, 'the burst (ms)', c.burstMs.toFixed(0), '—'],
      [fair, 'upstream calls in flight at most', c.maxInFlight, '≤ 16'],
    ],
    notes: [
      ...one.notes,
      ...many.notes,
      `Steady: service and emulator share an injected clock moved to one second past each refresh time (ECR tokens of 20 min, refreshed 5 min before expiry); every STS and ECR call held ${HELD_MS} ms by the emulator. A request "waited on upstream" when it took ${HELD_MS} ms or more.`,
      `Cluster: 3 masters and 3 replicas started for the run on free ports (ECR_AUTH_REDIS_MODE=cluster, the six nodes as seeds); each entry's value, lock and tombstone share one slot.`,
      `Fairness: the other account's mint is one customer AssumeRole and one ECR call, each served in turn between the burst's calls (round robin by account); ${c.failed} of the burst failed${c.singleOk ? '' : ', and the single mint FAILED'}.`,
    ],
  };
}

if (require.main === module) {
  run().then(
    (s) => process.stdout.write(`${JSON.stringify(s, null, 2)}\n`),
    (e: unknown) => {
      process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exit(1);
    },
  );
}

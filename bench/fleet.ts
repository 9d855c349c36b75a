import { randomBytes } from 'node:crypto';
import { Agent } from 'node:http';
import { Metrics } from '../src/metrics/metrics';
import { AwsEmulator, type CallRecord } from '../test/emulator/aws-emulator';
import { Harness, startHarness } from '../test/e2e/harness';
import { seedWorld, WORLD } from '../test/fixtures/aws-world';
import { addCustomers, Customer, customerKey, forgetCustomersInRedis } from '../test/fixtures/customers';
import { TEST_REDIS_URL } from '../test/fixtures/test-redis';
import { call } from './http-call';
import type { BenchSection } from './section';

/**
 * A fleet as one service: three replicas of the real service (in this process, over HTTP) on
 * one Redis and one AWS emulator.
 * (a) a cold burst over many keys: customer AssumeRole and ECR calls per key, fleet-wide;
 * (b) steady load across two refresh times with every upstream call held: request latency;
 * (c) one account's burst of new keys against another account's single mint: its wait.
 */

const BURST_REQUESTS = 900;
const BURST_KEYS = 30;
const HELD_MS = 1500;
const FAIR_KEYS = 100;
const FAIR_RTT_MS = 50;

const RUN = String(Math.floor(Math.random() * 1e5)).padStart(5, '0');
const made: Customer[] = [];

/** `n` customers in accounts `<group><run><i>` (one account for all with `sameAccount`). */
function customers(emu: AwsEmulator, n: number, group: number, sameAccount = false): Customer[] {
  const list = addCustomers(emu, n, (i) => `${group}${RUN}${String(sameAccount ? 0 : i).padStart(6, '0')}`);
  made.push(...list);
  return list;
}

const bodyOf = customerKey;
const accountOf = (c: CallRecord) => c.callerArn?.split(':')[4] ?? '';
const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))];
const range = (xs: number[]) =>
  Math.min(...xs) === Math.max(...xs) ? String(xs[0]) : `${Math.min(...xs)}–${Math.max(...xs)}`;
const redisEnv = () => ({
  ECR_AUTH_REDIS_URL: TEST_REDIS_URL,
  ECR_AUTH_CACHE_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
  LOG_LEVEL: 'warn',
});

async function counted(h: Harness, metric: 'mintLock' | 'refreshAhead', outcome: string): Promise<number> {
  const { values } = await h.app.get(Metrics)[metric].get();
  return values.find((v) => v.labels.outcome === outcome)?.value ?? 0;
}

/** Waits for state that announces no event (bench only: tests use their own fixture). */
async function until(check: () => boolean | Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function replicas(emu: AwsEmulator, env: Record<string, string>, n = 3, clock?: () => number) {
  const list: Harness[] = [];
  for (let i = 0; i < n; i++) list.push(await startHarness({ emulator: emu, env, clock }));
  return list;
}

/** (a) */
async function coldBurst() {
  const emu = await AwsEmulator.start({ historyLimit: 20_000 });
  seedWorld(emu);
  const keys = customers(emu, BURST_KEYS, 7);
  const fleet = await replicas(emu, redisEnv());
  const agent = new Agent({ keepAlive: true, maxSockets: Infinity });
  try {
    emu.clearCalls();
    const started = performance.now();
    const answers = await Promise.all(
      Array.from({ length: BURST_REQUESTS }, async (_, i) => {
        const c = keys[i % keys.length];
        const t = performance.now();
        const a = await call(agent, fleet[Math.floor(i / keys.length) % 3].url, 'POST', '/registry-auth', bodyOf(c));
        return { c, a, ms: performance.now() - t };
      }),
    );
    const ms = performance.now() - started;
    const assumes = emu.callsOf('sts', 'AssumeRole');
    const ecr = emu.callsOf('ecr', 'GetAuthorizationToken');
    const shared = await Promise.all(fleet.map((h) => counted(h, 'mintLock', 'shared')));
    return {
      assumes: keys.map((c) => assumes.filter((a) => a.params.RoleArn === c.arn).length),
      ecr: keys.map((c) => ecr.filter((e) => accountOf(e) === c.account).length),
      tokens: keys.map(
        (c) =>
          new Set(
            answers
              .filter((x) => x.c === c && x.a.status === 200)
              .map((x) => (x.a.json as { password: string }).password),
          ).size,
      ),
      failed: answers.filter((x) => x.a.status !== 200).length,
      shared: shared.reduce((a, b) => a + b, 0),
      p50: pct(
        answers.map((x) => x.ms),
        50,
      ),
      max: Math.max(...answers.map((x) => x.ms)),
      ms,
    };
  } finally {
    agent.destroy();
    for (const h of fleet) await h.close();
    await emu.close();
  }
}

/** (b) */
async function steadyAcrossRefreshes() {
  let now = Math.floor(Date.now() / 60_000) * 60_000;
  const clock = () => now;
  const emu = await AwsEmulator.start({ clock, ecrTokenLifetimeSeconds: 1200, historyLimit: 20_000 });
  seedWorld(emu);
  const [c] = customers(emu, 1, 6);
  const env = { ...redisEnv(), ECR_AUTH_REQUEST_DEADLINE_MS: '15000', ECR_AUTH_UPSTREAM_TIMEOUT_MS: '5000' };
  const fleet = await replicas(emu, env, 3, clock);
  const agent = new Agent({ keepAlive: true, maxSockets: 16 });
  const ecrCalls = () => emu.callsOf('ecr').filter((e) => accountOf(e) === c.account).length;
  try {
    const post = (h: Harness) => call(agent, h.url, 'POST', '/registry-auth', bodyOf(c));
    let token = (await post(fleet[0])).json as { password: string; expiresAt: string };
    for (const h of fleet.slice(1)) await post(h);
    emu.inject({ kind: 'latency', delayMs: HELD_MS, times: Infinity });
    const latencies: number[] = [];
    let failed = 0;
    const served = fleet.map(() => token);
    let stop = false;
    const load = (async () => {
      while (!stop) {
        for (const [i, h] of fleet.entries()) {
          const t = performance.now();
          const a = await post(h);
          latencies.push(performance.now() - t);
          if (a.status !== 200) failed++;
          else served[i] = a.json as typeof token;
        }
      }
    })();
    const perBoundary: number[] = [];
    for (let n = 1; n <= 2; n++) {
      const before = ecrCalls();
      now = Date.parse(token.expiresAt) - 299_000;
      await until(() => served.every((s) => s.password !== token.password));
      await until(async () =>
        (await Promise.all(fleet.map((h) => counted(h, 'refreshAhead', 'refreshed')))).every((r) => r === n),
      );
      perBoundary.push(ecrCalls() - before);
      token = served[0];
    }
    stop = true;
    await load;
    emu.clearFaults();
    return {
      requests: latencies.length,
      failed,
      p50: pct(latencies, 50),
      p99: pct(latencies, 99),
      max: Math.max(...latencies),
      waited: latencies.filter((ms) => ms >= HELD_MS).length,
      perBoundary,
    };
  } finally {
    agent.destroy();
    for (const h of fleet) await h.close();
    await emu.close();
  }
}

/** (c) */
async function fairness() {
  const emu = await AwsEmulator.start({ latencyMs: FAIR_RTT_MS, historyLimit: 20_000 });
  seedWorld(emu);
  const burst = customers(emu, FAIR_KEYS, 5, true);
  const [other] = customers(emu, 1, 4);
  const [h] = await replicas(emu, { LOG_LEVEL: 'warn' }, 1);
  const agent = new Agent({ keepAlive: true, maxSockets: Infinity });
  try {
    emu.clearCalls();
    emu.maxInFlight = 0;
    const queued = emu.nextCall((x) => x.action === 'AssumeRole' && x.params.RoleArn !== WORLD.jump.arn);
    const started = performance.now();
    const all = Promise.all(burst.map((c) => call(agent, h.url, 'POST', '/registry-auth', bodyOf(c))));
    await queued;
    const t = performance.now();
    const single = await call(agent, h.url, 'POST', '/registry-auth', bodyOf(other));
    const singleMs = performance.now() - t;
    const answers = await all;
    return {
      burstMs: performance.now() - started,
      singleMs,
      singleOk: single.status === 200,
      failed: answers.filter((a) => a.status !== 200).length,
      maxInFlight: emu.maxInFlight,
    };
  } finally {
    agent.destroy();
    await h.close();
    await emu.close();
  }
}

const cleanup = () => forgetCustomersInRedis(TEST_REDIS_URL, made);

export async function run(): Promise<BenchSection> {
  try {
    const a = await coldBurst();
    const b = await steadyAcrossRefreshes();
    const c = await fairness();
    const burst = `3 replicas, ${BURST_REQUESTS} concurrent cold requests over ${BURST_KEYS} keys`;
    const steady = `3 replicas, steady requests across 2 refresh times, upstream held ${HELD_MS} ms`;
    const fair = `1 replica (concurrency 16), ${FAIR_KEYS} new keys of one account, then 1 of another; upstream ${FAIR_RTT_MS} ms`;
    return {
      title: 'A fleet as one service: one mint per key, refresh-ahead, a fair upstream',
      columns: ['scenario', 'counted', 'measured', 'goal'],
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
          fair,
          "the other account's mint (ms)",
          c.singleMs.toFixed(0),
          `2–4 round trips (${2 * FAIR_RTT_MS}–${4 * FAIR_RTT_MS})`,
        ],
        [fair, 'the burst (ms)', c.burstMs.toFixed(0), '—'],
        [fair, 'upstream calls in flight at most', c.maxInFlight, '≤ 16'],
      ],
      notes: [
        `Cold burst: requests i → key i mod ${BURST_KEYS}, replica ⌊i / ${BURST_KEYS}⌋ mod 3 (every key on every replica), over keep-alive HTTP; answered in ${a.ms.toFixed(0)} ms, ${a.failed} failed; ${a.shared} mints answered another replica's token (the others waited on the lock in Redis, polling every 20 ms).`,
        `Steady: service and emulator share an injected clock moved to one second past each refresh time (ECR tokens of 20 min, refreshed 5 min before expiry); every STS and ECR call held ${HELD_MS} ms by the emulator; ${b.requests} requests, ${b.failed} failed. A request "waited on upstream" when it took ${HELD_MS} ms or more.`,
        `Fairness: the other account's mint is one customer AssumeRole and one ECR call, each served in turn between the burst's calls (round robin by account); ${c.failed} of the burst failed${c.singleOk ? '' : ', and the single mint FAILED'}.`,
      ],
    };
  } finally {
    await cleanup();
  }
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

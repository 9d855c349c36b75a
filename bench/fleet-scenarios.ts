import { Agent } from 'node:http';
import { SHARED_TIER, type SharedTier } from '../src/shared-tier/shared-tier.port';
import { AwsEmulator } from '../test/emulator/aws-emulator';
import type { Harness } from '../test/e2e/harness';
import { seedWorld, WORLD } from '../test/fixtures/aws-world';
import { customerKey } from '../test/fixtures/customers';
import { accountOf, counted, customers, FleetRedis, pct, replicas, until, upstreamOf } from './fleet-redis';
import { call } from './http-call';

/**
 * The fleet bench's scenarios (see fleet.ts): each starts its own emulator and replicas, on the
 * Redis it is given, and returns what it counted and measured.
 */

export const BURST_REQUESTS = 900;
export const BURST_KEYS = 30;
export const HELD_MS = 1500;
export const EVICT_KEYS = 10;
/** The mint lock's lease: a third of the harness's request deadline (5 s). */
export const LEASE_MS = Math.floor(5000 / 3);
export const FAIR_KEYS = 100;
export const FAIR_RTT_MS = 50;

const bodyOf = customerKey;

/** (a) */
export async function coldBurst(redis: FleetRedis) {
  const emu = await AwsEmulator.start({ historyLimit: 20_000 });
  seedWorld(emu);
  const keys = customers(emu, BURST_KEYS, 7);
  const fleet = await replicas(emu, redis.env());
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
export async function steadyAcrossRefreshes(redis: FleetRedis) {
  let now = Math.floor(Date.now() / 60_000) * 60_000;
  const clock = () => now;
  const emu = await AwsEmulator.start({ clock, ecrTokenLifetimeSeconds: 1200, historyLimit: 20_000 });
  seedWorld(emu);
  const [c] = customers(emu, 1, 6);
  const env = { ...redis.env(), ECR_AUTH_REQUEST_DEADLINE_MS: '15000', ECR_AUTH_UPSTREAM_TIMEOUT_MS: '5000' };
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

/** (d) */
export async function remintAfterEviction(redis: FleetRedis) {
  const emu = await AwsEmulator.start({ historyLimit: 20_000 });
  seedWorld(emu);
  const keys = customers(emu, EVICT_KEYS, 8);
  const fleet = await replicas(emu, redis.env());
  const agent = new Agent({ keepAlive: true, maxSockets: Infinity });
  const post = (h: Harness, c: (typeof keys)[number]) => call(agent, h.url, 'POST', '/registry-auth', bodyOf(c));
  try {
    await Promise.all(keys.flatMap((c) => fleet.map((h) => post(h, c))));
    const rounds: Array<{ assumes: number; ecr: number; ms: number; failed: number; tokens: number }> = [];
    for (const c of keys) {
      const label = `role:${c.arn}`;
      const heard = fleet
        .slice(1)
        .map(
          (h) =>
            new Promise<void>((r) =>
              h.app.get<symbol, SharedTier>(SHARED_TIER).onRemoteEvict((e) => e.label === label && r()),
            ),
        );
      await call(agent, fleet[0].url, 'DELETE', '/registry-auth/cache', { roleArn: c.arn });
      await Promise.all(heard);
      emu.clearCalls();
      const t = performance.now();
      const answers = await Promise.all(fleet.map((h) => post(h, c)));
      const ms = performance.now() - t;
      const tokens = new Set(answers.map((a) => (a.json as { password?: string }).password)).size;
      rounds.push({ ...upstreamOf(emu, c), ms, failed: answers.filter((a) => a.status !== 200).length, tokens });
    }
    return rounds;
  } finally {
    agent.destroy();
    for (const h of fleet) await h.close();
    await emu.close();
  }
}

/** (c) */
export async function fairness() {
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

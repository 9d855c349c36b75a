import { Agent } from 'node:http';
import { call } from './http-call';
import { AwsEmulator } from '../test/emulator/aws-emulator';
import { startHarness } from '../test/e2e/harness';
import { seedWorld, WORLD } from '../test/fixtures/aws-world';
import { addCustomers, Customer, customerKey } from '../test/fixtures/customers';
import type { BenchSection } from './section';

/**
 * STS economy: how many upstream calls the cache lets through.
 * (a) K concurrent cold requests over R distinct customer roles make exactly R chains.
 * (b) 12 simulated hours of steady use (one request per key per minute) on a clock shared by
 *     the service and the emulator cost one chain per key per (session − refresh buffer).
 * Real service over HTTP, real SDK, against the in-process AWS emulator; no mocks.
 */

const BURST_REQUESTS = 400;
const BURST_KEYS = 20;
const SIM_MINUTES = 720;
const SIM_KEYS = 3;
const SESSION_SECONDS = 3600; // the service's default (ECR_AUTH_SESSION_DURATION_SECONDS)
const BUFFER_SECONDS = 300; // the service's default (ECR_AUTH_REFRESH_BUFFER_SECONDS)

/** Customer roles of their own accounts, each trusting the jump role with its own external ID. */
/** `n` customers in accounts `<prefix>0…0<i>`. */
const customers = (emu: AwsEmulator, n: number, prefix: string, region = WORLD.region): Customer[] =>
  addCustomers(emu, n, (i) => `${prefix}${String(i).padStart(12 - prefix.length, '0')}`, region);

const bodyOf = customerKey;

/** Account id of an ARN (`arn:aws:sts::ACCOUNT:assumed-role/…`). */
const accountOf = (arn: string | undefined) => arn?.split(':')[4] ?? '';

function countBy<T>(xs: readonly T[], key: (x: T) => string): Map<string, number> {
  const m = new Map<string, number>();
  for (const x of xs) m.set(key(x), (m.get(key(x)) ?? 0) + 1);
  return m;
}

const range = (xs: number[]) =>
  Math.min(...xs) === Math.max(...xs) ? String(xs[0]) : `${Math.min(...xs)}–${Math.max(...xs)}`;

interface BurstResult {
  customerAssumes: number[];
  customerAssumeTotal: number;
  ecrCalls: number[];
  ecrTotal: number;
  jumpAssumes: number;
  failed: number;
  tokensPerKey: number[];
  ms: number;
}

/** (a) K concurrent cold requests over R keys. */
async function burst(): Promise<BurstResult> {
  const emu = await AwsEmulator.start({ historyLimit: 10_000 });
  seedWorld(emu);
  const list = customers(emu, BURST_KEYS, '8100000');
  const h = await startHarness({ emulator: emu, env: { LOG_LEVEL: 'warn' } });
  const agent = new Agent({ keepAlive: true, maxSockets: Infinity });
  try {
    emu.clearCalls();
    const started = performance.now();
    const answers = await Promise.all(
      Array.from({ length: BURST_REQUESTS }, async (_, i) => {
        const c = list[i % list.length];
        return { c, a: await call(agent, h.url, 'POST', '/registry-auth', bodyOf(c)) };
      }),
    );
    const ms = performance.now() - started;
    const assumes = emu.callsOf('sts', 'AssumeRole');
    const perRole = countBy(assumes, (c) => c.params.RoleArn ?? '');
    const ecr = emu.callsOf('ecr', 'GetAuthorizationToken');
    const ecrPerAccount = countBy(ecr, (c) => accountOf(c.callerArn));
    const tokens = new Map<string, Set<string>>();
    for (const { c, a } of answers) {
      if (a.status !== 200) continue;
      let set = tokens.get(c.arn);
      if (!set) tokens.set(c.arn, (set = new Set()));
      set.add(String((a.json as { password?: string } | undefined)?.password));
    }
    return {
      customerAssumes: list.map((c) => perRole.get(c.arn) ?? 0),
      customerAssumeTotal: assumes.filter((c) => c.params.RoleArn !== WORLD.jump.arn).length,
      ecrCalls: list.map((c) => ecrPerAccount.get(c.account) ?? 0),
      ecrTotal: ecr.length,
      jumpAssumes: perRole.get(WORLD.jump.arn) ?? 0,
      failed: answers.filter(({ a }) => a.status !== 200).length,
      tokensPerKey: list.map((c) => tokens.get(c.arn)?.size ?? 0),
      ms,
    };
  } finally {
    agent.destroy();
    await h.close();
    await emu.close();
  }
}

interface SimResult {
  customerAssumes: number[];
  ecrCalls: number[];
  jumpAssumes: number;
  requests: number;
  failed: number;
  outcomes: Map<string, number>;
  /** Simulated minutes (from the start) at which each key's customer role was assumed. */
  mintMinutes: number[][];
  jumpMinutes: number[];
  ms: number;
}

/** (b) 12 simulated hours, one request per key per minute, one clock for service and emulator. */
async function simulate(): Promise<SimResult> {
  // A whole minute, so that steps fall on minute boundaries of AWS's second-granular expiries.
  const t0 = Math.floor(Date.now() / 60_000) * 60_000;
  let now = t0;
  const clock = () => now;
  const emu = await AwsEmulator.start({ clock, historyLimit: 100_000 });
  seedWorld(emu);
  const list = customers(emu, SIM_KEYS, '8200000');
  // LOG_LEVEL info: the request log line carries the cache outcome, counted below. Refresh-ahead
  // off: its background mints run on real-time ticks while this clock jumps a minute a step,
  // which would land them a step late; it moves the same mints off the request path (see the
  // fleet section) and changes no count.
  const h = await startHarness({ emulator: emu, clock, env: { LOG_LEVEL: 'info', ECR_AUTH_REFRESH_AHEAD: 'false' } });
  const agent = new Agent({ keepAlive: true, maxSockets: 16 });
  let failed = 0;
  try {
    emu.clearCalls();
    const logsBefore = h.logs.length;
    const started = performance.now();
    for (let minute = 0; minute < SIM_MINUTES; minute++) {
      now = t0 + minute * 60_000;
      const answers = await Promise.all(list.map((c) => call(agent, h.url, 'POST', '/registry-auth', bodyOf(c))));
      failed += answers.filter((a) => a.status !== 200).length;
    }
    const ms = performance.now() - started;
    const assumes = emu.callsOf('sts', 'AssumeRole');
    const ecr = emu.callsOf('ecr', 'GetAuthorizationToken');
    const minuteOf = (at: number) => Math.round((at - t0) / 60_000);
    const outcomes = new Map<string, number>();
    for (const line of h.logs.slice(logsBefore)) {
      let entry: { msg?: string; cache?: string } | undefined;
      try {
        entry = JSON.parse(line) as { msg?: string; cache?: string };
      } catch {
        continue;
      }
      if (entry.msg === 'request' && entry.cache) outcomes.set(entry.cache, (outcomes.get(entry.cache) ?? 0) + 1);
    }
    return {
      customerAssumes: list.map((c) => assumes.filter((a) => a.params.RoleArn === c.arn).length),
      ecrCalls: list.map((c) => ecr.filter((e) => accountOf(e.callerArn) === c.account).length),
      jumpAssumes: assumes.filter((a) => a.params.RoleArn === WORLD.jump.arn).length,
      requests: SIM_MINUTES * list.length,
      failed,
      outcomes,
      mintMinutes: list.map((c) => assumes.filter((a) => a.params.RoleArn === c.arn).map((a) => minuteOf(a.at))),
      jumpMinutes: assumes.filter((a) => a.params.RoleArn === WORLD.jump.arn).map((a) => minuteOf(a.at)),
      ms,
    };
  } finally {
    agent.destroy();
    await h.close();
    await emu.close();
  }
}

/** Mints at 0, T, 2T, … while < the simulated span, with T = session − buffer. */
function theoreticalMints(): { count: number; everyMinutes: number } {
  const everyMinutes = (SESSION_SECONDS - BUFFER_SECONDS) / 60;
  return { count: Math.floor((SIM_MINUTES - 1) / everyMinutes) + 1, everyMinutes };
}

export async function run(): Promise<BenchSection> {
  const a = await burst();
  const b = await simulate();
  const t = theoreticalMints();
  const ok = (measured: number[] | number, expected: number) =>
    [measured].flat().every((m) => m === expected) ? 'yes' : 'NO';
  const burstName = `${BURST_REQUESTS} concurrent cold requests, ${BURST_KEYS} keys`;
  const simName = `12 h simulated, ${SIM_KEYS} keys × 1 request/min`;
  const rows: Array<Array<string | number>> = [
    [burstName, 'customer AssumeRole per key', range(a.customerAssumes), 1, ok(a.customerAssumes, 1)],
    [burstName, 'customer AssumeRole, total', a.customerAssumeTotal, BURST_KEYS, ok(a.customerAssumeTotal, BURST_KEYS)],
    [burstName, 'ECR GetAuthorizationToken per key', range(a.ecrCalls), 1, ok(a.ecrCalls, 1)],
    [burstName, 'ECR GetAuthorizationToken, total', a.ecrTotal, BURST_KEYS, ok(a.ecrTotal, BURST_KEYS)],
    [burstName, 'jump AssumeRole', a.jumpAssumes, 1, ok(a.jumpAssumes, 1)],
    [burstName, 'distinct tokens answered per key', range(a.tokensPerKey), 1, ok(a.tokensPerKey, 1)],
    [simName, 'customer AssumeRole per key', b.customerAssumes.join(' / '), t.count, ok(b.customerAssumes, t.count)],
    [simName, 'ECR GetAuthorizationToken per key', b.ecrCalls.join(' / '), t.count, ok(b.ecrCalls, t.count)],
    [simName, 'jump AssumeRole', b.jumpAssumes, t.count, ok(b.jumpAssumes, t.count)],
    [
      simName,
      'requests answered from cache',
      b.outcomes.get('hit') ?? 0,
      b.requests - SIM_KEYS * t.count,
      ok(b.outcomes.get('hit') ?? 0, b.requests - SIM_KEYS * t.count),
    ],
  ];
  const notes = [
    `Burst: ${BURST_REQUESTS} POST /registry-auth fired at once over keep-alive HTTP (request i uses role i mod ${BURST_KEYS}; each role in its own account, trusting the jump role with its own external ID), answered in ${a.ms.toFixed(0)} ms; ${a.failed} failed. Counts are the emulator's call log.`,
    `12 h: service and emulator share one injected clock, moved 1 minute per step over ${SIM_MINUTES} steps (t = 0 … ${SIM_MINUTES - 1} min), ${SIM_KEYS} requests per step; ${b.requests} requests in ${(b.ms / 1000).toFixed(1)} s of real time, ${b.failed} failed. Refresh-ahead off (its ticks are real time). Theory: sessions of ${SESSION_SECONDS} s refreshed ${BUFFER_SECONDS} s before expiry ⇒ a chain every ${t.everyMinutes} min (0, ${t.everyMinutes}, …, ${(t.count - 1) * t.everyMinutes}) = ${t.count} per key; the jump session follows the same schedule.`,
    `12 h cache outcomes: ${[...b.outcomes].map(([k, v]) => `${k} ${v}`).join(', ')}.`,
  ];
  const expectedMinutes = Array.from({ length: t.count }, (_, i) => i * t.everyMinutes).join(',');
  const mismatches = [
    ...b.mintMinutes.map((m, i) => [`key ${i + 1}`, m] as const),
    ['jump', b.jumpMinutes] as const,
  ].filter(([, m]) => m.join(',') !== expectedMinutes);
  if (rows.some((r) => r[4] === 'NO') || mismatches.length > 0 || a.failed > 0 || b.failed > 0) {
    notes.push(
      `MEASURED DIFFERS FROM THEORY. AssumeRole minutes: ${[...b.mintMinutes.map((m, i) => `key ${i + 1}: ${m.join(',')}`), `jump: ${b.jumpMinutes.join(',')}`].join('; ')} (expected ${expectedMinutes}).`,
    );
  } else {
    notes.push(`Every chain fell at the expected minute (${expectedMinutes}), for each key and for the jump role.`);
  }
  return {
    title: 'STS economy: upstream calls per key',
    columns: ['scenario', 'counted', 'measured', 'theoretical', 'match'],
    rows,
    notes,
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

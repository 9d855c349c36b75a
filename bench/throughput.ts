import autocannon from 'autocannon';
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AwsEmulator } from '../test/emulator/aws-emulator';
import { seedWorld, WORLD } from '../test/fixtures/aws-world';
import { FakeIssuer } from '../test/fixtures/oidc-issuer';
import { OtlpCollector } from '../test/fixtures/otlp-collector';
import { Running, startReference, startService } from './processes';
import type { BenchSection } from './section';

export interface ThroughputOptions {
  /** Seconds per run. */
  readonly duration: number;
  /** Interleaved rounds: each contender runs once per round. */
  readonly rounds: number;
  readonly connections: number;
  /** Only the servers whose name matches (bare node:http always runs: it is the ratio's base). */
  readonly servers?: RegExp;
}

interface Sample {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
}

const UNLIMITED = { ECR_AUTH_RATE_LIMIT_PER_MINUTE: '100000000' };
const BODY = JSON.stringify({
  registry: WORLD.customer.registry,
  roleArn: WORLD.customer.arn,
  externalId: WORLD.customer.externalId,
});

/** wrk (C, from Debian's packages) when installed: its own cost per request is far below autocannon's. */
function hasWrk(): boolean {
  try {
    execFileSync('wrk', ['--version'], { stdio: 'ignore' });
    return true;
  } catch (e) {
    // wrk --version exits 1 after printing its banner.
    return (e as { status?: number }).status === 1;
  }
}

// Asynchronous: the emulator lives in this process and must keep answering during a run.
async function wrkLoad(url: string, o: ThroughputOptions, bearer: string): Promise<Sample> {
  const dir = mkdtempSync(join(tmpdir(), 'ecr-auth-wrk-'));
  const script = join(dir, 'post.lua');
  writeFileSync(
    script,
    `wrk.method = "POST"\nwrk.body = [[${BODY}]]\nwrk.headers["Content-Type"] = "application/json"\nwrk.headers["Authorization"] = "Bearer ${bearer}"\n`,
  );
  const { stdout: out } = await execFileAsync(
    'wrk',
    ['-t1', `-c${o.connections}`, `-d${o.duration}s`, '--latency', '-s', script, `${url}/registry-auth`],
    { encoding: 'utf8' },
  ).finally(() => rmSync(dir, { recursive: true, force: true }));
  const ms = (label: string) => {
    const m = new RegExp(`\\s${label}%\\s+([\\d.]+)(us|ms|s)`).exec(out);
    if (!m) return NaN;
    const v = Number(m[1]);
    return m[2] === 'us' ? v / 1000 : m[2] === 's' ? v * 1000 : v;
  };
  const non2xx = /Non-2xx or 3xx responses: (\d+)/.exec(out);
  const errors = /Socket errors: .*?(\d+)/.exec(out);
  return {
    rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? 0),
    p50: ms('50'),
    p99: ms('99'),
    errors: Number(non2xx?.[1] ?? 0) + Number(errors?.[1] ?? 0),
  };
}

function load(url: string, o: ThroughputOptions, bearer: string): Promise<Sample> {
  if (WRK) return wrkLoad(url, o, bearer);
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url: `${url}/registry-auth`,
        method: 'POST',
        connections: o.connections,
        duration: o.duration,
        headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
        body: BODY,
      },
      (err, r) =>
        err
          ? reject(err instanceof Error ? err : new Error(String(err)))
          : resolve({ rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.non2xx }),
    );
  });
}

const WRK = hasWrk();
const execFileAsync = promisify(execFile);

async function warmOne(url: string, bearer: string): Promise<void> {
  const res = await fetch(`${url}/registry-auth`, {
    method: 'POST',
    headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
    body: BODY,
  });
  if (res.status !== 200) throw new Error(`warm-up answered ${res.status}`);
  await res.arrayBuffer();
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * Cache-hit POST /registry-auth against a bare node:http server doing the least the same
 * request needs, same machine, same load, runs interleaved (bare, service, service without
 * request log, bare, …) so drift in the machine hits every contender alike.
 */
export async function run(o: ThroughputOptions = { duration: 5, rounds: 3, connections: 32 }): Promise<BenchSection> {
  const emu = await AwsEmulator.start({ ecrSecretLength: 1600, historyLimit: 100 });
  seedWorld(emu);
  const contenders: Array<{ name: string; bearer: string; start: () => Promise<Running> }> = [];
  // A workload-identity caller: an ES256 JWT of an issuer whose JWKS is served on loopback.
  const issuer = await FakeIssuer.start('https://bench.issuer.test');
  await issuer.addKey('ES256');
  const jwt = await issuer.sign(Date.now(), { sub: 'bench:pipeline', exp: Math.floor(Date.now() / 1000) + 3600 });
  const oidc = JSON.stringify([
    { issuer: issuer.issuer, audience: 'ecr-auth', jwksUri: issuer.jwksUri, rules: [{ claims: { sub: 'bench:*' } }] },
  ]);
  const token = WORLD.apiToken;
  // Where the traced service exports (protobuf, the default): a collector in this process.
  const collector = await OtlpCollector.start();
  const traced = {
    OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
    OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
    OTEL_TRACES_SAMPLER_ARG: '0.01',
  };
  let password = '';
  const service = await startService(emu);
  const warm = await fetch(`${service.url}/registry-auth`, {
    method: 'POST',
    headers: { authorization: `Bearer ${WORLD.apiToken}`, 'content-type': 'application/json' },
    body: BODY,
  });
  password = ((await warm.json()) as { password: string }).password;
  await service.stop();
  contenders.push(
    { name: 'bare node:http', bearer: token, start: () => startReference('bare-server.js', password) },
    { name: 'plain Fastify 5 (same work)', bearer: token, start: () => startReference('fastify-server.js', password) },
    { name: 'ecr-auth, request log on', bearer: token, start: () => startService(emu, UNLIMITED) },
    {
      name: 'ecr-auth, request log off (LOG_LEVEL=warn)',
      bearer: token,
      start: () => startService(emu, { ...UNLIMITED, LOG_LEVEL: 'warn' }),
    },
    {
      name: 'ecr-auth, tracing on (1 % sampled)',
      bearer: token,
      start: () => startService(emu, { ...UNLIMITED, ...traced }),
    },
    {
      name: 'ecr-auth, a JWT caller (ES256, verified once, memoised)',
      bearer: jwt,
      start: () => startService(emu, { ...UNLIMITED, ECR_AUTH_OIDC_PROVIDERS: oidc }),
    },
  );
  const picked = contenders.filter((c) => c.name === 'bare node:http' || !o.servers || o.servers.test(c.name));
  contenders.splice(0, contenders.length, ...picked);
  const samples = new Map<string, Sample[]>(contenders.map((c) => [c.name, []]));
  try {
    for (let round = 0; round < o.rounds; round++) {
      for (const c of contenders) {
        const running = await c.start();
        try {
          await warmOne(running.url, c.bearer); // the first request mints: keep that out of the run
          await load(running.url, { ...o, duration: 1 }, c.bearer); // warm-up: JIT, caches, connections
          samples.get(c.name)!.push(await load(running.url, o, c.bearer));
        } finally {
          await running.stop();
        }
      }
      // Each round's ratios as it ends: the spread behind the medians of the table.
      const base = samples.get('bare node:http')![round].rps;
      const ratios = contenders.map((c) => `${c.name} ${(samples.get(c.name)![round].rps / base).toFixed(2)}`);
      process.stdout.write(`round ${round + 1}: bare ${Math.round(base)} req/s; ${ratios.slice(1).join('; ')}\n`);
    }
  } finally {
    await emu.close();
    await issuer.stop();
    await collector.close();
  }
  const bare = median(samples.get('bare node:http')!.map((s) => s.rps));
  const rows = contenders.map((c) => {
    const s = samples.get(c.name)!;
    const rps = median(s.map((x) => x.rps));
    return [
      c.name,
      Math.round(rps),
      median(s.map((x) => x.p50)),
      median(s.map((x) => x.p99)),
      (rps / bare).toFixed(2),
      s.reduce((n, x) => n + x.errors, 0),
    ];
  });
  return {
    title: 'Cache hit: POST /registry-auth against bare node:http',
    columns: ['server', 'req/s (median)', 'p50 ms', 'p99 ms', 'ratio to bare', 'errors'],
    rows,
    notes: [
      `${WRK ? 'wrk (one thread)' : "autocannon (wrk is not installed: `apt-get install wrk` gives figures closer to the servers' own cost)"}, ${o.connections} connections, ${o.duration} s per run after a 1 s warm-up, ${o.rounds} interleaved rounds; medians of the rounds. Every server is its own process.`,
      'The service runs as in production (request log on, JSON lines to stdout, here /dev/null), with ECR_AUTH_RATE_LIMIT_PER_MINUTE raised so the limiter counts every request but never refuses one.',
      'The ECR password is 1,600 characters (a ~2.2 KB token), the same for every server.',
      'Tracing on: OTEL_TRACES_SAMPLER=parentbased_traceidratio, OTEL_TRACES_SAMPLER_ARG=0.01 (the load sends no traceparent, so 1 % of requests start a sampled trace), OTLP/HTTP protobuf to a collector in the bench process; every request still gets its (unsampled) server span and trace id. The other ecr-auth rows run with no OTEL variable: no SDK loaded.',
    ],
  };
}

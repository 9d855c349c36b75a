import { ChildProcessWithoutNullStreams, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { AwsEmulator } from '../emulator/aws-emulator';
import { seedWorld, serviceProcessEnv, WORLD, WORLD_SECRETS } from '../fixtures/aws-world';
import { until } from '../fixtures/wait';
import { bodyOf, fleetWorld } from './fleet-world';
import { issuedSecrets } from './harness';
import { OtlpCollector, ReceivedSpan } from '../fixtures/otlp-collector';

const ROOT = join(__dirname, '..', '..');
const WRONG_EXTERNAL_ID = 'a-wrong-external-id-7f3a';
const MAIN = join(ROOT, 'dist', 'main.js');

interface Service {
  readonly port: number;
  readonly lines: () => any[];
  stop(): Promise<void>;
}

/** The built service with tracing on towards the collector; resolves once it listens. */
function startService(env: Record<string, string>): Promise<Service> {
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, [MAIN], { env });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    void exited.then(() => reject(new Error(`exited before listening: ${out}`)));
    child.stdout.on('data', () => {
      const m = /listening on [\d.]+:(\d+)/.exec(out);
      if (!m) return;
      resolve({
        port: Number(m[1]),
        // Every line must be JSON: a line the SDK printed on its own fails the test here.
        lines: () =>
          out
            .split('\n')
            .filter((l) => l !== '')
            .map((l) => JSON.parse(l)),
        stop: () => {
          child.kill('SIGTERM');
          return exited;
        },
      });
    });
  });
}

/** A caller's W3C trace context: its trace and its span, sampled. */
function callerContext(): { traceId: string; spanId: string; traceparent: string } {
  const traceId = randomBytes(16).toString('hex');
  const spanId = randomBytes(8).toString('hex');
  return { traceId, spanId, traceparent: `00-${traceId}-${spanId}-01` };
}

async function mint(port: number, body: object, traceparent: string): Promise<Response> {
  return fetch(`http://127.0.0.1:${port}/registry-auth`, {
    method: 'POST',
    headers: { authorization: `Bearer ${WORLD.apiToken}`, 'content-type': 'application/json', traceparent },
    body: JSON.stringify(body),
  });
}

/** Whether `span` lies under `ancestor` in `spans` (through any number of parents). */
function beneath(span: ReceivedSpan, ancestor: ReceivedSpan, spans: ReceivedSpan[]): boolean {
  const byId = new Map(spans.map((s) => [s.spanId, s]));
  for (let s = byId.get(span.parentSpanId); s; s = byId.get(s.parentSpanId)) if (s === ancestor) return true;
  return false;
}

/** Every secret of the run: the world's (external IDs, API tokens, keys) and what the emulator issued. */
function secretsOf(emu: AwsEmulator, externalIds: string[]): string[] {
  const ecr = emu.issuedEcrSecrets().map((s) => Buffer.from(`AWS:${s}`).toString('base64'));
  return [...WORLD_SECRETS, ...externalIds, ...issuedSecrets(emu), ...ecr, `Bearer ${WORLD.apiToken}`].filter(
    (s) => s.length >= 8,
  );
}

/** The built service exporting traces to a collector of the test's own, against the emulator. */
describe('traces', () => {
  let emu: AwsEmulator;
  let collector: OtlpCollector;
  const world = fleetWorld();

  beforeAll(async () => {
    emu = await AwsEmulator.start();
    seedWorld(emu);
    collector = await OtlpCollector.start();
  });
  afterAll(async () => {
    await world.cleanup();
    await collector.close();
    await emu.close();
  });

  const tracedEnv = (extra: Record<string, string>) => ({
    ...serviceProcessEnv(emu.url),
    ...world.env,
    PORT: '0',
    OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
    // The batch leaves at once: the test waits on the collector receiving it.
    OTEL_BSP_SCHEDULE_DELAY: '10',
    ...extra,
  });

  it("a cold mint (http/json): the server span under the caller's trace, every AWS call beneath it, the waits, no secret", async () => {
    const [customer] = world.addCustomers(emu, 1, 8);
    const service = await startService(tracedEnv({ OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' }));
    try {
      // The start-up check of the jump role is traced on its own; the mint starts after it.
      await until(async () => emu.calls.some((c) => c.params.RoleArn === WORLD.jump.arn && c.status === 200));
      emu.clearCalls();
      const caller = callerContext();
      const res = await mint(service.port, bodyOf(customer), caller.traceparent);
      expect(res.status).toBe(200);
      const upstreamCalls = emu.calls.length;
      expect(upstreamCalls).toBeGreaterThan(0);

      const ofTrace = () => collector.spans.filter((s) => s.traceId === caller.traceId);
      const clientSpans = () => ofTrace().filter((s) => s.kind === 3);
      await collector.waitFor(() => clientSpans().length >= upstreamCalls && ofTrace().some((s) => s.kind === 2));
      const spans = ofTrace();

      const server = spans.find((s) => s.kind === 2)!;
      expect(server).toMatchObject({ name: 'POST /registry-auth', parentSpanId: caller.spanId });
      expect(server.attributes).toMatchObject({ 'http.route': '/registry-auth', 'http.response.status_code': 200 });
      expect(server.resource['service.name']).toBe('ecr-auth');

      // One client span per call the emulator saw, each beneath the server span.
      expect(clientSpans()).toHaveLength(upstreamCalls);
      const methods = emu.calls.map((c) => c.action).sort();
      expect(
        clientSpans()
          .map((s) => s.attributes['rpc.method'])
          .sort(),
      ).toEqual(methods);
      for (const span of clientSpans()) {
        expect(beneath(span, server, spans)).toBe(true);
        expect(span.attributes).toMatchObject({
          'rpc.system': 'aws-api',
          'rpc.service': expect.stringMatching(/^(STS|ECR)$/),
          'cloud.region': WORLD.region,
          'ecr_auth.attempts': 1,
        });
        expect(span.name).toBe(`${String(span.attributes['rpc.service'])}.${String(span.attributes['rpc.method'])}`);
        // The upstream queue wait and the attempt, as events.
        expect(span.events.map((e) => e.name)).toEqual(['upstream queue', 'attempt']);
        expect(span.events[0].attributes['ecr_auth.queue.wait_ms']).toEqual(expect.any(Number));
        expect(span.events[1].attributes).toMatchObject({ 'ecr_auth.attempt': 1, 'ecr_auth.outcome': 'OK' });
      }
      expect(clientSpans().find((s) => s.attributes['rpc.method'] === 'AssumeRole')?.attributes).toMatchObject({
        'rpc.service': 'STS',
        'ecr_auth.role_arn': customer.arn,
      });

      // The fleet lock wait (the service runs with the shared tier).
      const lock = spans.find((s) => s.name === 'fleet lock');
      expect(lock?.attributes).toMatchObject({ 'ecr_auth.lock.outcome': 'acquired' });
      expect(beneath(lock!, server, spans)).toBe(true);

      // A refused mint: the failed call's span says how it failed, and its external ID is not in it.
      const refused = callerContext();
      const wrong = { ...bodyOf(customer), externalId: WRONG_EXTERNAL_ID };
      expect((await mint(service.port, wrong, refused.traceparent)).status).toBe(403);
      const failed = () => collector.spans.find((s) => s.traceId === refused.traceId && s.kind === 3);
      await collector.waitFor(() => failed() !== undefined);
      expect(failed()).toMatchObject({ status: { code: 2 }, attributes: { 'error.type': 'ASSUME_ROLE_DENIED' } });

      // The request line carries the caller's trace id.
      await service.stop();
      const line = service.lines().find((l) => l.msg === 'request' && l.route === '/registry-auth');
      expect(line.traceId).toBe(caller.traceId);
      expect(service.lines().some((l) => l.msg === 'traces exported over OTLP/HTTP (http/json)')).toBe(true);

      // No secret anywhere in what was exported, nor a header.
      const exported = collector.exports.map((e) => e.body.toString('utf8')).join('\n');
      expect(exported).toContain(customer.arn); // the scan reads what was really exported
      for (const secret of secretsOf(
        emu,
        world.customers.map((c) => c.externalId),
      ))
        expect(exported.includes(secret)).toBe(false);
      const keys = collector.spans.flatMap((s) => [
        ...Object.keys(s.attributes),
        ...s.events.flatMap((e) => Object.keys(e.attributes)),
      ]);
      expect(keys.filter((k) => /header|authorization|external|token|password|secret|credential/i.test(k))).toEqual([]);
    } finally {
      await service.stop();
    }
  });

  it("exports protobuf by default: the caller's trace and the AWS calls arrive, and no secret", async () => {
    const [customer] = world.addCustomers(emu, 1, 9);
    const before = collector.exports.length;
    const service = await startService(tracedEnv({}));
    try {
      const caller = callerContext();
      const res = await mint(service.port, bodyOf(customer), caller.traceparent);
      expect(res.status).toBe(200);
      // Protobuf keeps ids as raw bytes and strings as UTF-8: both are found in the body as they are.
      const traceId = Buffer.from(caller.traceId, 'hex');
      const received = () => collector.exports.slice(before);
      const has = (needle: string | Buffer) => received().some((e) => e.body.includes(needle));
      await collector.waitFor(() => has(traceId) && has('POST /registry-auth') && has('GetAuthorizationToken'));
      expect(received().every((e) => e.contentType === 'application/x-protobuf')).toBe(true);
      expect(has('aws-api')).toBe(true);
      for (const secret of secretsOf(
        emu,
        world.customers.map((c) => c.externalId),
      ))
        expect(has(secret)).toBe(false);
    } finally {
      await service.stop();
    }
  });
});

/** Without an OTEL variable the SDK is never loaded; with one, it is (the check proves itself). */
describe('tracing off', () => {
  const probe = `
    const { parseConfig } = require('./dist/config/parse-config');
    const { startTracing } = require('./dist/tracing/tracing.bootstrap');
    require('./dist/app/create-app');
    const tracing = startTracing(parseConfig(process.env).tracing, require('pino').pino());
    const loaded = Object.keys(require.cache).filter((k) => /@opentelemetry[\\\\/](sdk|exporter|resources|instrumentation)|@fastify[\\\\/]otel/.test(k));
    process.stdout.write(JSON.stringify({ started: tracing !== undefined, loaded: loaded.length }));
    process.exit(0);
  `;
  const runProbe = (env: Record<string, string>) => {
    const out = spawnSync(process.execPath, ['-e', probe], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', ...env },
    });
    return JSON.parse(out.stdout.toString()) as { started: boolean; loaded: number };
  };

  it('loads none of the SDK while no OTEL variable is set', () => {
    const off = { started: false, loaded: 0 };
    expect(runProbe({})).toEqual(off);
    expect(runProbe({ OTEL_TRACES_EXPORTER: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9' })).toEqual(off);
  });

  it('loads it once an OTLP endpoint is set', () => {
    const on = runProbe({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9' });
    expect(on.started).toBe(true);
    expect(on.loaded).toBeGreaterThan(0);
  });
});

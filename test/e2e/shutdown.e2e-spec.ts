import { ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { join } from 'node:path';
import { AwsEmulator, type CallRecord } from '../emulator/aws-emulator';
import { seedWorld, serviceProcessEnv, WORLD } from '../fixtures/aws-world';
import { InFlightRequests } from '../../src/app/in-flight';
import { customerBody, startHarness } from './harness';

const MAIN = join(__dirname, '..', '..', 'dist', 'main.js');

/** The built service as a process: SIGTERM with a slow request in flight. */
describe('graceful shutdown', () => {
  let emu: AwsEmulator;
  let child: ChildProcessWithoutNullStreams;
  let stdout = '';

  beforeAll(async () => {
    emu = await AwsEmulator.start();
    seedWorld(emu);
  });
  afterAll(async () => {
    child?.kill('SIGKILL');
    await emu.close();
  });

  /** Starts the built service; resolves with its port once it says it listens. */
  function startService(env: Record<string, string> = {}): Promise<number> {
    stdout = '';
    child = spawn(process.execPath, [MAIN], { env: { ...serviceProcessEnv(emu.url), PORT: '0', ...env } });
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stdout += d.toString()));
    return new Promise<number>((resolve, reject) => {
      child.once('exit', () => reject(new Error(`exited before listening: ${stdout}`)));
      child.stdout.on('data', () => {
        const m = /listening on [\d.]+:(\d+)/.exec(stdout);
        if (m) resolve(Number(m[1]));
      });
    });
  }

  const mint = (port: number, body = customerBody()) =>
    fetch(`http://127.0.0.1:${port}/registry-auth`, {
      method: 'POST',
      headers: { authorization: `Bearer ${WORLD.apiToken}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  /** The lines shutdown writes when its drain or its close ran out (then it answers 503 or exits 1). */
  const ranOut = () => /still running after|did not finish within/.test(stdout);

  it('finishes the in-flight request with 200, then exits 0 before its drain runs out', async () => {
    const port = await startService();

    emu.inject({ service: 'ecr', kind: 'latency', delayMs: 1500 });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const waitingOnEcr = emu.nextCall((c) => c.service === 'ecr');
    const inFlight = mint(port);
    await waitingOnEcr;
    child.kill('SIGTERM');

    const res = await inFlight;
    expect(res.status).toBe(200);
    expect(((await res.json()) as { username: string }).username).toBe('AWS');
    const code = await exited;
    if (code !== 0) throw new Error(stdout.slice(-1500));
    expect(stdout).toContain('SIGTERM: draining');
    expect(ranOut()).toBe(false);
  });

  it('answers every accepted request when mints outlast 10 s: the drain covers the request deadline', async () => {
    // A deadline past the 10 s a drain used to allow: each mint times out by itself (504).
    const port = await startService({ ECR_AUTH_REQUEST_DEADLINE_MS: '11000', ECR_AUTH_UPSTREAM_TIMEOUT_MS: '30000' });
    emu.inject({ service: 'ecr', kind: 'silence', times: Infinity });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    // Ten mints of their own (a static key in ten regions), each held by ECR.
    const regions = ['us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'eu-west-1'];
    const requests = Array.from({ length: 10 }, (_, i) =>
      mint(port, {
        registry: `666666666666.dkr.ecr${i < 5 ? '' : '-fips'}.${regions[i % 5]}.amazonaws.com`,
        accessKeyId: WORLD.staticUser.accessKeyId,
        secretAccessKey: WORLD.staticUser.secretAccessKey,
      }).then(
        async (res) => ({ status: res.status, code: ((await res.json()) as { code?: string }).code }),
        (e: unknown) => ({ status: 0, code: String(e) }),
      ),
    );
    const ecr = (c: CallRecord) => c.service === 'ecr';
    while (emu.calls.filter(ecr).length < 10) await emu.nextCall(ecr);
    child.kill('SIGTERM');
    // Each answered by its own deadline (504), none by the end of the drain (503), and the process
    // closed by itself (exit 0), not by its give-up timer (exit 1).
    const answers = await Promise.all(requests);
    expect(answers).toEqual(Array(10).fill({ status: 504, code: 'UPSTREAM_TIMEOUT' }));
    expect(await exited).toBe(0);
    expect(ranOut()).toBe(false);
    emu.clearFaults();
  });
});

describe('the end of a drain', () => {
  it('answers a request still running with 503 and Connection: close, never a dropped connection', async () => {
    const h = await startHarness({
      env: { ECR_AUTH_REQUEST_DEADLINE_MS: '60000', ECR_AUTH_UPSTREAM_TIMEOUT_MS: '60000' },
    });
    try {
      h.emu.inject({ service: 'sts', kind: 'silence', times: Infinity });
      const held = h.emu.nextCall((c) => c.service === 'sts');
      const running = h.post('/registry-auth', customerBody());
      await held;
      expect(h.app.get(InFlightRequests).answerRemaining()).toBe(1);
      const res = await running;
      expect(res.status).toBe(503);
      expect(res.json.code).toBe('UPSTREAM_UNAVAILABLE');
      expect(res.headers.get('connection')).toBe('close');
      expect(h.app.get(InFlightRequests).size).toBe(0);
    } finally {
      h.emu.clearFaults();
      await h.close();
    }
  });
});

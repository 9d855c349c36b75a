import { ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { join } from 'node:path';
import { AwsEmulator } from '../emulator/aws-emulator';
import { seedWorld, serviceProcessEnv, WORLD } from '../fixtures/aws-world';
import { customerBody } from './harness';

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

  it('finishes the in-flight request with 200, then exits 0 well within 15 s', async () => {
    child = spawn(process.execPath, [MAIN], {
      env: { ...serviceProcessEnv(emu.url), PORT: '0' },
    });
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stdout += d.toString()));
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no listen line: ${stdout}`)), 10_000);
      child.stdout.on('data', () => {
        const m = /listening on [\d.]+:(\d+)/.exec(stdout);
        if (m) {
          clearTimeout(timer);
          resolve(Number(m[1]));
        }
      });
    });

    emu.inject({ service: 'ecr', kind: 'latency', delayMs: 1500 });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const inFlight = fetch(`http://127.0.0.1:${port}/registry-auth`, {
      method: 'POST',
      headers: { authorization: `Bearer ${WORLD.apiToken}`, 'content-type': 'application/json' },
      body: JSON.stringify(customerBody()),
    });
    await new Promise((r) => setTimeout(r, 500)); // the request is now waiting on ECR
    const signalledAt = Date.now();
    child.kill('SIGTERM');

    const res = await inFlight;
    expect(res.status).toBe(200);
    expect(((await res.json()) as { username: string }).username).toBe('AWS');
    const code = await exited;
    if (code !== 0) throw new Error(stdout.slice(-1500));
    expect(Date.now() - signalledAt).toBeLessThan(15_000);
    expect(stdout).toContain('SIGTERM: draining');
  });
});

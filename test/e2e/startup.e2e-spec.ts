import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { AddressInfo, createServer } from 'node:net';
import { join } from 'node:path';
import { AwsEmulator } from '../emulator/aws-emulator';
import { seedWorld, serviceProcessEnv, WORLD } from '../fixtures/aws-world';
import { TEST_REDIS_URL } from '../fixtures/test-redis';
import { customerBody } from './harness';

const MAIN = join(__dirname, '..', '..', 'dist', 'main.js');

interface Line {
  level: number;
  msg: string;
  warning?: { name: string };
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the built service with an environment; resolves when it exits. When stdout shows
 * `until`, `then` runs (given the output so far) and the process is sent SIGTERM.
 */
function run(env: Record<string, string>, until?: RegExp, then?: (stdout: string) => Promise<void>): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [MAIN], {
      env: { PATH: process.env.PATH ?? '', AWS_EC2_METADATA_DISABLED: 'true', ...env },
    });
    let stdout = '';
    let stderr = '';
    let stopping = false;
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (stopping || !until?.test(stdout)) return;
      stopping = true;
      void (then ?? (async () => undefined))(stdout).finally(() => child.kill('SIGTERM'));
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Every line of a stream as a JSON log line (a line that is not JSON fails the test, naming it). */
function jsonLines(text: string): Line[] {
  return text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => {
      try {
        return JSON.parse(l) as Line;
      } catch {
        throw new Error(`not a JSON log line: ${l}`);
      }
    });
}

/** The built service (dist/main.js) as an operator starts it. */
describe('start-up', () => {
  it('stops on bad configuration with one JSON line per problem, naming variables, never values or a stack', async () => {
    const { code, stderr, stdout } = await run({
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      ECR_AUTH_SESSION_DURATION_SECONDS: '99999',
      ECR_AUTH_JUMP_ROLE_ARN: 'not-an-arn-SECRETISH',
      ECR_AUTH_REDIS_URL: TEST_REDIS_URL,
      LOG_LEVEL: 'chatty',
    });
    expect(code).toBe(1);
    expect(stdout).toBe('');
    const lines = jsonLines(stderr);
    expect(lines.every((l) => l.level === 60)).toBe(true);
    expect(lines.map((l) => /^invalid configuration: (\w+):/.exec(l.msg)?.[1]).sort()).toEqual(
      [
        'ECR_AUTH_CACHE_ENCRYPTION_KEY',
        'ECR_AUTH_JUMP_ROLE_ARN',
        'ECR_AUTH_SESSION_DURATION_SECONDS',
        'LOG_LEVEL',
      ].sort(),
    );
    expect(stderr).not.toContain('SECRETISH');
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('without an API token binds 127.0.0.1 only, warns, and logs JSON lines', async () => {
    const { stdout } = await run(
      { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', PORT: '0', HOST: '0.0.0.0' },
      /listening/,
    );
    const lines = jsonLines(stdout);
    expect(lines.some((l) => l.level === 40 && /no API token/.test(l.msg))).toBe(true);
    expect(lines.some((l) => /listening on 127\.0\.0\.1:/.test(l.msg))).toBe(true);
  });

  it('a port in use: one JSON "could not start" line, and no line that says it started', async () => {
    const taken = createServer();
    taken.listen(0, '127.0.0.1');
    await once(taken, 'listening');
    try {
      const { port } = taken.address() as AddressInfo;
      const { code, stdout, stderr } = await run({
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        PORT: String(port),
      });
      expect(code).toBe(1);
      const out = jsonLines(stdout);
      expect(out.filter((l) => /start|listening/i.test(l.msg))).toEqual([]);
      expect(jsonLines(stderr)).toEqual([
        expect.objectContaining({ level: 60, msg: expect.stringMatching(/^could not start: .*EADDRINUSE/) }),
      ]);
    } finally {
      taken.close();
    }
  });
});

/** Everything the process writes is a JSON log line, runtime warnings included. */
describe('output', () => {
  let emu: AwsEmulator;
  beforeAll(async () => {
    emu = await AwsEmulator.start();
    seedWorld(emu);
  });
  afterAll(() => emu.close());

  it("writes only JSON lines, with the SDK's Node-version warning (not hidden) logged once at warn", async () => {
    const env = serviceProcessEnv(emu.url);
    delete env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED;
    const mint = async (stdout: string) => {
      const port = /listening on [\d.]+:(\d+)/.exec(stdout)?.[1];
      for (let i = 0; i < 2; i++) {
        const res = await fetch(`http://127.0.0.1:${port}/registry-auth`, {
          method: 'POST',
          headers: { authorization: `Bearer ${WORLD.apiToken}`, 'content-type': 'application/json' },
          body: JSON.stringify(customerBody()),
        });
        expect(res.status).toBe(200);
      }
    };
    const { code, stdout, stderr } = await run({ ...env, PORT: '0' }, /listening on/, mint);
    expect(code).toBe(0);
    const lines = [...jsonLines(stdout), ...jsonLines(stderr)];
    expect(lines.some((l) => typeof l.msg === 'string' && l.msg.startsWith('SIGTERM: draining'))).toBe(true);
    const sdkWarnings = lines.filter((l) => /NodeVersionSupportWarning/.test(l.msg));
    // The SDK warns on Node below 22 only.
    const major = Number(process.versions.node.split('.')[0]);
    expect(sdkWarnings).toEqual(
      major < 22 ? [expect.objectContaining({ level: 40, warning: { name: 'Warning' } })] : [],
    );
  });
});

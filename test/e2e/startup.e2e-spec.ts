import { spawn } from 'node:child_process';
import { join } from 'node:path';

const MAIN = join(__dirname, '..', '..', 'dist', 'main.js');

/** Runs the built service with an environment; resolves when it exits or prints `until`. */
function run(
  env: Record<string, string>,
  until?: RegExp,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [MAIN], {
      env: {
        PATH: process.env.PATH ?? '',
        AWS_EC2_METADATA_DISABLED: 'true',
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        ...env,
      },
    });
    let stdout = '';
    let stderr = '';
    const check = () => {
      if (until && until.test(stdout)) child.kill('SIGTERM');
    };
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      check();
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The built service (dist/main.js) as an operator starts it. */
describe('start-up', () => {
  it('stops on bad configuration with one line per problem, naming variables, never values or a stack', async () => {
    const { code, stderr, stdout } = await run({
      ECR_AUTH_SESSION_DURATION_SECONDS: '99999',
      ECR_AUTH_JUMP_ROLE_ARN: 'not-an-arn-SECRETISH',
      ECR_AUTH_REDIS_URL: 'redis://127.0.0.1:6379',
      LOG_LEVEL: 'chatty',
    });
    expect(code).toBe(1);
    expect(stdout).toBe('');
    const lines = stderr.trim().split('\n');
    expect(lines[0]).toBe('ecr-auth: invalid configuration');
    expect(
      lines
        .slice(1)
        .map((l) => l.trim().split(':')[0])
        .sort(),
    ).toEqual(
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
    const { stdout } = await run({ PORT: '0', HOST: '0.0.0.0' }, /listening/);
    const lines = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { level: number; msg: string });
    expect(lines.some((l) => l.level === 40 && /no API token/.test(l.msg))).toBe(true);
    expect(lines.some((l) => /listening on 127\.0\.0\.1:/.test(l.msg))).toBe(true);
  });
});

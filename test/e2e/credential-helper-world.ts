import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WORLD, WORLD_SECRETS } from '../fixtures/aws-world';
import { run, Run } from './child-process';
import { Harness, startHarness } from './harness';

export const ROOT = join(__dirname, '..', '..');
export const HELPER = join(ROOT, 'dist', 'cli', 'docker-credential-ecr-auth.js');
export const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
export const NOT_FOUND = 'credentials not found in native keychain\n';
export const REGISTRY = WORLD.customer.registry;

/** The built helper, as docker runs it (stdin closed when there is nothing to send). */
export const helper = (verb: string, input: string | undefined, env: Record<string, string>) =>
  run(process.execPath, [HELPER, verb], input, env);

/**
 * For the describe block of the built helper: the service on its own emulator, a home with the
 * helper's config file (the world's customer, the no-ECR customer, an ap-south-1 pattern), and
 * the helper run as docker runs it. After each test every run is checked: nothing on stderr, no
 * world secret on stdout. `h`, `tmp` and `home` are set once the block starts; a test that
 * closes the service sets `closed`.
 */
export function credentialHelperWorld() {
  let h: Harness;
  let tmp: string;
  let home: string;
  const runs: Run[] = [];
  /** The helper's environment: nothing inherited but PATH. */
  let env: (extra?: Record<string, string>) => Record<string, string>;
  const get = async (input: string, extra?: Record<string, string>) => {
    const r = await helper('get', input, env(extra));
    runs.push(r);
    return r;
  };
  const freshCache = () => mkdtempSync(join(tmp, 'cache-'));

  beforeAll(async () => {
    if (!existsSync(HELPER))
      throw new Error(`${HELPER} is missing: build first (npm test runs nest build before jest)`);
    h = await startHarness();
    tmp = mkdtempSync(join(tmpdir(), 'ecr-auth-helper-e2e-'));
    home = join(tmp, 'home');
    mkdirSync(join(home, '.ecr-auth'), { recursive: true, mode: 0o700 });
    writeFileSync(
      join(home, '.ecr-auth', 'config.json'),
      JSON.stringify({
        url: 'https://overridden-by-ECR_AUTH_URL.invalid',
        registries: {
          [REGISTRY]: { roleArn: WORLD.customer.arn, externalId: WORLD.customer.externalId },
          [WORLD.noEcrCustomer.registry]: {
            roleArn: WORLD.noEcrCustomer.arn,
            externalId: WORLD.noEcrCustomer.externalId,
          },
          '*.dkr.ecr.ap-south-1.amazonaws.com': {
            roleArn: WORLD.customer.arn,
            externalId: WORLD.customer.externalId,
            access: 'pull',
          },
        },
      }),
      { mode: 0o600 },
    );
    env = (extra = {}) => ({
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: home,
      ECR_AUTH_URL: h.url,
      ECR_AUTH_TOKEN: WORLD.apiToken,
      ...extra,
    });
  });

  afterAll(async () => {
    if (!world.closed) await h?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  afterEach(() => {
    // stdout carries protocol output only, stderr nothing at all; no run ever prints a world secret.
    for (const r of runs.splice(0)) {
      expect(r.stderr).toBe('');
      for (const secret of WORLD_SECRETS) expect(r.stdout).not.toContain(secret);
    }
  });

  const world = {
    get h(): Harness {
      return h;
    },
    get tmp(): string {
      return tmp;
    },
    get home(): string {
      return home;
    },
    closed: false,
    runs,
    env: (extra?: Record<string, string>) => env(extra),
    get,
    freshCache,
  };
  return world;
}

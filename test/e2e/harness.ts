import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { createApp } from '../../src/app/create-app';
import type { Clock } from '../../src/clock/clock';
import { parseConfig } from '../../src/config/parse-config';
import { AwsEmulator } from '../emulator/aws-emulator';
import type { EmulatorOptions } from '../emulator/emulator.types';
import { seedWorld, WORLD, WORLD_SECRETS } from '../fixtures/aws-world';

export interface Harness {
  readonly url: string;
  readonly emu: AwsEmulator;
  readonly app: NestFastifyApplication;
  /** Every log line the service wrote, raw. */
  readonly logs: string[];
  /** Every response body the harness read. */
  readonly bodies: string[];
  post(
    path: string,
    body: unknown,
    init?: { token?: string | null; headers?: Record<string, string>; raw?: string },
  ): Promise<Reply>;
  get(path: string, init?: { token?: string | null }): Promise<Reply>;
  delete(path: string, body: unknown, init?: { token?: string | null }): Promise<Reply>;
  /** Closes the service (and the emulator unless it was given). */
  close(): Promise<void>;
}

export interface Reply {
  readonly status: number;
  readonly headers: Headers;
  readonly json: any;
  readonly text: string;
}

export interface HarnessOptions {
  /** Environment of the service, over the defaults below. `undefined` values remove a default. */
  env?: Record<string, string | undefined>;
  emulator?: AwsEmulator;
  emulatorOptions?: EmulatorOptions;
  clock?: Clock;
  /** Service identity the SDK's default chain finds in the environment. */
  identity?: { accessKeyId: string; secretAccessKey: string } | null;
}

/** Environment variables the SDK reads for itself (endpoints, identity); set per test file. */
function pointSdkAt(emu: AwsEmulator, identity: HarnessOptions['identity']): void {
  process.env.AWS_ENDPOINT_URL = emu.url;
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
  process.env.AWS_SHARED_CREDENTIALS_FILE = '/nonexistent/credentials';
  process.env.AWS_CONFIG_FILE = '/nonexistent/config';
  delete process.env.AWS_PROFILE;
  delete process.env.AWS_SESSION_TOKEN;
  if (identity === null) {
    delete process.env.AWS_ACCESS_KEY_ID;
    delete process.env.AWS_SECRET_ACCESS_KEY;
  } else {
    const id = identity ?? WORLD.service;
    process.env.AWS_ACCESS_KEY_ID = id.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = id.secretAccessKey;
  }
}

export const DEFAULT_ENV: Record<string, string> = {
  AWS_REGION: WORLD.region,
  ECR_AUTH_API_TOKENS: `${WORLD.apiToken},${WORLD.secondApiToken}`,
  ECR_AUTH_JUMP_ROLE_ARN: WORLD.jump.arn,
  ECR_AUTH_JUMP_EXTERNAL_ID: WORLD.jump.externalId,
  ECR_AUTH_RETRY_MIN_DELAY_MS: '5',
  ECR_AUTH_RETRY_MAX_DELAY_MS: '20',
  ECR_AUTH_UPSTREAM_TIMEOUT_MS: '1000',
  ECR_AUTH_REQUEST_DEADLINE_MS: '5000',
  LOG_LEVEL: 'info',
  // Suites send many onboarding checks; the limit itself is tested with its default.
  ECR_AUTH_VERIFY_PER_MINUTE: '100000',
};

/** Starts the emulator (seeded with WORLD) and the service against it, over real HTTP. */
export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const emu = options.emulator ?? (await AwsEmulator.start(options.emulatorOptions));
  if (!options.emulator) seedWorld(emu);
  pointSdkAt(emu, options.identity);
  // The service sees the same endpoint variable as its SDK, as in a deployment.
  const env: Record<string, string | undefined> = { ...DEFAULT_ENV, AWS_ENDPOINT_URL: emu.url, ...options.env };
  const config = parseConfig(env, (path) => readFileSync(path, 'utf8'));
  const logs: string[] = [];
  const logStream = new Writable({
    write(chunk: Buffer, _enc, done) {
      logs.push(chunk.toString('utf8'));
      done();
    },
  });
  const app = await createApp({ config, clock: options.clock, logStream });
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const bodies: string[] = [];
  let closed: Promise<void> | undefined;

  const call = async (
    method: string,
    path: string,
    body: unknown,
    init: { token?: string | null; headers?: Record<string, string>; raw?: string } = {},
  ) => {
    const headers: Record<string, string> = { ...init.headers };
    const token = init.token === undefined ? WORLD.apiToken : init.token;
    if (token !== null) headers.authorization = `Bearer ${token}`;
    let payload: string | undefined = init.raw;
    if (payload === undefined && body !== undefined) {
      payload = JSON.stringify(body);
      headers['content-type'] ??= 'application/json';
    }
    const res = await fetch(url + path, { method, headers, body: payload });
    const text = await res.text();
    bodies.push(text);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: res.status, headers: res.headers, json, text };
  };

  return {
    url,
    emu,
    app,
    logs,
    bodies,
    post: (path, body, init) => call('POST', path, body, init),
    get: (path, init) => call('GET', path, undefined, init),
    delete: (path, body, init) => call('DELETE', path, body, init),
    // Idempotent: a test may close early, its block's cleanup closes again.
    close: () =>
      (closed ??= (async () => {
        await app.close();
        if (!options.emulator) await emu.close();
      })()),
  };
}

/**
 * Fails when any secret appears in the output: log lines, and error bodies (a 200 body
 * legitimately carries the minted password, which is not among these secrets).
 */
export function expectNoSecrets(output: readonly string[], extra: readonly string[] = []): void {
  const secrets = [...WORLD_SECRETS, ...extra].filter((s) => s.length >= 8);
  const all = output.join('\n');
  for (const secret of secrets) {
    if (all.includes(secret)) throw new Error(`a secret (${secret.slice(0, 4)}…) appears in the output`);
  }
}

/** Every secret the emulator handed out: session keys and tokens, ECR passwords. */
export function issuedSecrets(emu: AwsEmulator): string[] {
  return [...emu.issuedSessions().flatMap((s) => [s.secretAccessKey, s.sessionToken]), ...emu.issuedEcrSecrets()];
}

/** A registry-auth body for WORLD's main customer. */
export function customerBody(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    registry: WORLD.customer.registry,
    roleArn: WORLD.customer.arn,
    externalId: WORLD.customer.externalId,
    ...extra,
  };
}

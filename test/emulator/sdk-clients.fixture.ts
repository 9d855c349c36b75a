/** Test kit for the emulator's specs: a standard world and real SDK clients pointed at the emulator. */
import { ECRClient, GetAuthorizationTokenCommand } from '@aws-sdk/client-ecr';
import { ECRPUBLICClient } from '@aws-sdk/client-ecr-public';
import { AssumeRoleCommand, type AssumeRoleCommandInput, STSClient } from '@aws-sdk/client-sts';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { SourceData } from '@smithy/types';
import { createHash, createHmac } from 'node:crypto';
import { request } from 'node:http';
import type { AwsEmulator } from './aws-emulator';

export interface Creds {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export const SERVICE_USER = {
  arn: 'arn:aws:iam::111111111111:user/ecr-auth',
  accessKeyId: 'AKIAEMULATORSERVICE1',
  secretAccessKey: 'service-secret-0123456789abcdefghijklmnopq',
};
export const JUMP_ROLE = 'arn:aws:iam::111111111111:role/ecr-auth-jump';
export const CUSTOMER_ROLE = 'arn:aws:iam::222222222222:role/ecr-pull';
export const OPEN_ROLE = 'arn:aws:iam::333333333333:role/open-pull';
export const EXTERNAL_ID = 'tenant-42:ext/id=ok';

/** service user → jump role (trusts the user) → customer role (trusts the jump role, demands the external ID); an open role. */
export function standardWorld(emu: AwsEmulator): void {
  emu.addUser(SERVICE_USER);
  emu.addRole({ arn: JUMP_ROLE, trust: [{ principal: SERVICE_USER.arn }], maxSessionDurationSeconds: 43200 });
  emu.addRole({
    arn: CUSTOMER_ROLE,
    trust: [{ principal: JUMP_ROLE, externalId: EXTERNAL_ID }],
    maxSessionDurationSeconds: 43200,
  });
  emu.addRole({ arn: OPEN_ROLE, trust: [{ principal: '111111111111' }] });
}

const clients: Array<{ destroy(): void }> = [];

/** Destroys every client made by this kit (call in afterEach/afterAll). */
export function destroyClients(): void {
  for (const c of clients.splice(0)) c.destroy();
}

function track<T extends { destroy(): void }>(c: T): T {
  clients.push(c);
  return c;
}

export interface ClientOptions {
  region?: string;
  requestTimeoutMs?: number;
}

const common = (emu: AwsEmulator, creds: Creds, o: ClientOptions) => ({
  region: o.region ?? 'us-east-1',
  endpoint: emu.url,
  credentials: creds,
  maxAttempts: 1,
  // @smithy/node-http-handler 4.x only warns (on console) past requestTimeout unless throwOnRequestTimeout is set.
  ...(o.requestTimeoutMs
    ? { requestHandler: new NodeHttpHandler({ requestTimeout: o.requestTimeoutMs, throwOnRequestTimeout: true }) }
    : {}),
});

export const sts = (emu: AwsEmulator, creds: Creds, o: ClientOptions = {}): STSClient =>
  track(new STSClient(common(emu, creds, o)));
export const ecr = (emu: AwsEmulator, creds: Creds, o: ClientOptions = {}): ECRClient =>
  track(new ECRClient(common(emu, creds, o)));
export const ecrPublic = (emu: AwsEmulator, creds: Creds, o: ClientOptions = {}): ECRPUBLICClient =>
  track(new ECRPUBLICClient(common(emu, creds, o)));

/** AssumeRole through the SDK; returns the session's credentials. */
export async function assume(
  emu: AwsEmulator,
  creds: Creds,
  input: Partial<AssumeRoleCommandInput> & { RoleArn: string },
  o: ClientOptions = {},
): Promise<Creds> {
  const out = await sts(emu, creds, o).send(new AssumeRoleCommand({ RoleSessionName: 'emulator-spec', ...input }));
  const c = out.Credentials!;
  return { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! };
}

/** The two-hop chain: service user → jump role → customer role with the external ID. */
export async function customerSession(emu: AwsEmulator, extra: Partial<AssumeRoleCommandInput> = {}): Promise<Creds> {
  const jump = await assume(emu, SERVICE_USER, { RoleArn: JUMP_ROLE });
  return assume(emu, jump, { RoleArn: CUSTOMER_ROLE, ExternalId: EXTERNAL_ID, ...extra });
}

/** GetAuthorizationToken through the SDK; returns the decoded `AWS:<secret>` token. */
export async function ecrToken(
  emu: AwsEmulator,
  creds: Creds,
  region = 'eu-west-1',
): Promise<{ decoded: string; expiresAt?: Date; proxyEndpoint?: string }> {
  const out = await ecr(emu, creds, { region }).send(new GetAuthorizationTokenCommand({}));
  const d = out.authorizationData![0];
  return {
    decoded: Buffer.from(d.authorizationToken!, 'base64').toString('utf8'),
    expiresAt: d.expiresAt,
    proxyEndpoint: d.proxyEndpoint,
  };
}

/** Catches the rejection of a promise (fails when it resolves). */
export async function rejection(
  p: Promise<unknown>,
): Promise<Error & { $metadata?: { httpStatusCode?: number }; code?: string }> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a rejection');
}

const bytes = (d: SourceData): string | Buffer =>
  typeof d === 'string'
    ? d
    : d instanceof ArrayBuffer
      ? Buffer.from(d)
      : Buffer.from(d.buffer, d.byteOffset, d.byteLength);

/** A SHA-256 / HMAC-SHA-256 for @smithy/signature-v4, from node:crypto. */
export class NodeSha256 {
  private readonly h;
  constructor(secret?: SourceData) {
    this.h = secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(secret));
  }
  update(data: SourceData): void {
    this.h.update(bytes(data));
  }
  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.h.digest()));
  }
}

/** A raw HTTP POST to the emulator; resolves with status, headers and body text. */
export function rawPost(
  emu: AwsEmulator,
  headers: Record<string, string>,
  body: string | Buffer,
  path = '/',
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${emu.url}${path}`, { method: 'POST', headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }),
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}

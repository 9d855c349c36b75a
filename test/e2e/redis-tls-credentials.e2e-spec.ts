import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createClient } from 'redis';
import { AwsEmulator } from '../emulator/aws-emulator';
import { seedWorld } from '../fixtures/aws-world';
import { redisTopologies, writePasswordFile } from '../fixtures/redis-topologies';
import { until } from '../fixtures/wait';
import {
  bodyOf,
  FleetCustomer,
  fleetWorld,
  linesFrom,
  LogLine,
  logLines,
  mintsOf,
  sharedCacheOf,
  tierErrors,
} from './fleet-world';
import { expectNoSecrets, Harness, issuedSecrets, startHarness } from './harness';

/** The shared tier's ACL rule (docs/operations.md): the commands it sends, its keys and its channel. */
const TIER_ACL_RULES = [
  'resetkeys',
  '~ecr-auth:*',
  'resetchannels',
  '&ecr-auth:evict',
  '-@all',
  '+hello',
  '+auth',
  '+ping',
  '+mget',
  '+get',
  '+set',
  '+exists',
  '+smembers',
  '+sadd',
  '+type',
  '+pttl',
  '+pexpire',
  '+del',
  '+publish',
  '+subscribe',
  '+evalsha',
  '+eval',
  '+cluster|slots',
];

/**
 * TLS with a private CA (ECR_AUTH_REDIS_TLS_CA_FILE), a password file read at every connect
 * (ECR_AUTH_REDIS_PASSWORD_FILE), an ACL user with the documented rule, and a wrong password:
 * every answer is 200, and readiness says `up` only while the tier works.
 */
describe('the shared tier over TLS and with credentials', () => {
  const topologies = redisTopologies();
  const world = fleetWorld();
  const encryptionKey = randomBytes(32).toString('base64');
  const passwords: string[] = [];
  /** Each call of addCustomers a group of accounts of its own: ECR calls are counted by account. */
  let group = 1;
  const secretFiles: string[] = [];
  let emu: AwsEmulator;
  /** Every replica of the block, so that a line is found whichever replica's log it landed in. */
  const all: Harness[] = [];
  let started: Harness[] = [];
  let lines: () => LogLine[] = () => [];

  const password = () => {
    const p = `pw-${randomBytes(12).toString('hex')}`;
    passwords.push(p);
    return p;
  };
  const start = async (env: Record<string, string>, n: number): Promise<Harness[]> => {
    const list: Harness[] = [];
    for (let i = 0; i < n; i++)
      list.push(await startHarness({ emulator: emu, env: { ECR_AUTH_CACHE_ENCRYPTION_KEY: encryptionKey, ...env } }));
    started = list;
    all.push(...list);
    return list;
  };
  /** Two replicas' cold burst over new keys: one mint per key across them. */
  const expectSharing = async (replicas: readonly Harness[]) => {
    const keys = world.addCustomers(emu, 3, group++);
    emu.clearCalls();
    const answers = await Promise.all(
      Array.from({ length: 18 }, (_, i) => replicas[i % replicas.length].post('/registry-auth', bodyOf(keys[i % 3]))),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(18).fill(200));
    for (const c of keys) expect(mintsOf(emu, c)).toEqual({ assumeRole: 1, ecr: 1 });
  };
  const coldAnswers = async (h: Harness, keys: readonly FleetCustomer[]) => {
    for (const c of keys) expect((await h.post('/registry-auth', bodyOf(c))).status).toBe(200);
  };

  beforeAll(async () => {
    emu = await AwsEmulator.start();
    seedWorld(emu);
  });
  beforeEach(() => {
    lines = linesFrom(all);
  });
  afterEach(async () => {
    for (const h of started) await h.close();
    logLines(all); // every line is JSON
    // No password, no key of the certificates, no secret of AWS in any line.
    const secrets = [...passwords, ...secretFiles.flatMap(pemBody), encryptionKey, ...issuedSecrets(emu)];
    expectNoSecrets(
      all.flatMap((h) => h.logs),
      [...secrets, ...world.customers.map((c) => c.externalId)],
    );
    started = [];
  });
  afterAll(async () => emu.close());

  it('rediss:// with ECR_AUTH_REDIS_TLS_CA_FILE: `up`, and two replicas share', async () => {
    const redis = await topologies.tls();
    secretFiles.push(redis.keyFile);
    const replicas = await start({ ECR_AUTH_REDIS_URL: redis.url, ECR_AUTH_REDIS_TLS_CA_FILE: redis.caFile }, 2);
    for (const h of replicas) expect(await sharedCacheOf(h)).toEqual({ status: 200, sharedCache: 'up' });
    await expectSharing(replicas);
  });

  it('rediss:// with a CA that did not sign the server: answers 200 from the in-process cache, not `up`, one line naming the certificate', async () => {
    const redis = await topologies.tls();
    secretFiles.push(redis.keyFile);
    const [h] = await start({ ECR_AUTH_REDIS_URL: redis.url, ECR_AUTH_REDIS_TLS_CA_FILE: redis.otherCaFile }, 1);
    const [c] = world.addCustomers(emu, 1, group++);
    emu.clearCalls();
    const cold = await h.post('/registry-auth', bodyOf(c));
    const warm = await h.post('/registry-auth', bodyOf(c));
    expect([cold.status, warm.status]).toEqual([200, 200]);
    expect(warm.json.password).toBe(cold.json.password);
    expect(mintsOf(emu, c)).toEqual({ assumeRole: 1, ecr: 1 }); // the second from memory
    const state = await sharedCacheOf(h);
    expect(state.status).toBe(200);
    expect(state.sharedCache).not.toBe('up');
    await until(async () => tlsLines(lines()).length > 0);
    expect(tlsLines(lines())).toHaveLength(1);
  });

  it('ECR_AUTH_REDIS_PASSWORD_FILE: `up` and sharing; a rotated password and a killed connection: it reconnects with the new one', async () => {
    const first = password();
    const redis = await topologies.withPassword(first);
    const file = writePasswordFile(redis.dir, first, { trailingNewline: true });
    const replicas = await start({ ECR_AUTH_REDIS_URL: redis.url, ECR_AUTH_REDIS_PASSWORD_FILE: file }, 2);
    for (const h of replicas) expect(await sharedCacheOf(h)).toEqual({ status: 200, sharedCache: 'up' });
    await expectSharing(replicas);

    // The rotation: the server's password changes, the mounted file follows, connections drop.
    const second = password();
    const admin = createClient({ url: redis.url, password: first });
    await admin.connect();
    const me = String(await admin.clientId());
    try {
      await admin.configSet('requirepass', second);
      writePasswordFile(redis.dir, second);
      await admin.clientKill({ filter: 'TYPE', type: 'normal' });
      await admin.clientKill({ filter: 'TYPE', type: 'pubsub' });
      // Both replicas' two connections back, authenticated with the new password.
      await until(async () => (await admin.clientList()).filter((c) => String(c.id) !== me).length >= 4, 20_000);
    } finally {
      await admin.close();
    }
    await until(async () => (await Promise.all(replicas.map(sharedCacheOf))).every((s) => s.sharedCache === 'up'));
    await expectSharing(replicas);
  });

  it('an ACL user with the documented rule: `up`, sharing, and an eviction across replicas', async () => {
    const secret = password();
    const redis = await topologies.withPassword(password(), {
      aclUser: { name: 'ecr-auth', password: secret, rules: TIER_ACL_RULES },
    });
    const url = redis.url.replace('redis://', `redis://ecr-auth:${secret}@`);
    const replicas = await start({ ECR_AUTH_REDIS_URL: url }, 2);
    for (const h of replicas) expect(await sharedCacheOf(h)).toEqual({ status: 200, sharedCache: 'up' });
    await expectSharing(replicas);
    const [c] = world.customers.slice(-1);
    const evicted = await replicas[0].delete('/registry-auth/cache', { roleArn: c.arn });
    expect(evicted.status).toBe(200);
    expect(evicted.json.evicted).toBeGreaterThanOrEqual(1);
    expect(tierErrors(lines())).toEqual([]);
    for (const h of replicas) expect((await sharedCacheOf(h)).sharedCache).toBe('up');
  });

  it('a wrong password: answers 200, not `up`, exactly one ERROR line naming the setting to fix', async () => {
    const redis = await topologies.withPassword(password());
    const wrong = password();
    const [h] = await start({ ECR_AUTH_REDIS_URL: redis.url.replace('redis://', `redis://default:${wrong}@`) }, 1);
    await coldAnswers(h, world.addCustomers(emu, 3, group++));
    const state = await sharedCacheOf(h);
    expect(state.status).toBe(200);
    expect(state.sharedCache).not.toBe('up');
    await until(async () => tierErrors(lines()).length > 0);
    await coldAnswers(h, world.addCustomers(emu, 3, group++));
    const errors = tierErrors(lines());
    expect(errors).toHaveLength(1);
    expect(errors[0].msg).toMatch(/ECR_AUTH_REDIS_(URL|PASSWORD_FILE)/);
  });
});

/** The shared tier's lines that name TLS or a certificate. */
const tlsLines = (lines: readonly LogLine[]) =>
  lines.filter((l) => l.context === 'SharedCache' && /TLS|certificate/i.test(l.msg));

/** The base64 lines of a PEM file (a private key's material). */
function pemBody(file: string): string[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.length >= 16 && !l.startsWith('-----'));
}

import { describeWith, REDIS_SERVER } from '../../test/fixtures/outside-tools';
import { createClient } from 'redis';
import { LOGIN, redisSettingsOf, redisTiers } from '../../test/fixtures/redis-tiers';
import { redisTopologies, writePasswordFile } from '../../test/fixtures/redis-topologies';
import { until } from '../../test/fixtures/wait';

const describeSecured = describeWith(REDIS_SERVER);
/** Far past any test's timeout: an answer under it did not wait for it. */
const NEVER = 600_000;

/** The tier over TLS with a private CA, and with a password from a file. */
describeSecured('RedisTier over TLS and with a password file', () => {
  const topologies = redisTopologies();
  const { tier, key, logs } = redisTiers();

  it('rediss:// verified against ECR_AUTH_REDIS_TLS_CA_FILE: works', async () => {
    const redis = await topologies.tls();
    const settings = redisSettingsOf({ ECR_AUTH_REDIS_URL: redis.url, ECR_AUTH_REDIS_TLS_CA_FILE: redis.caFile });
    const a = tier({ settings, getTimeoutMs: NEVER });
    expect(await a.whenReady(NEVER)).toBe(true);
    const k = key();
    await a.set(k, LOGIN, 60_000, ['registry:tls']);
    expect(await a.get(k)).toEqual(LOGIN);
    expect(a.state()).toBe('up');
  });

  it('a CA that did not sign the certificate: one ERROR line naming TLS and its setting, degraded', async () => {
    const redis = await topologies.tls();
    const settings = redisSettingsOf({ ECR_AUTH_REDIS_URL: redis.url, ECR_AUTH_REDIS_TLS_CA_FILE: redis.otherCaFile });
    const a = tier({ settings, getTimeoutMs: NEVER, maxReconnectDelayMs: 50 });
    expect(await a.whenReady(NEVER)).toBe(false);
    // Several refused handshakes: still one line.
    await until(async () => logs.filter((l) => l.level === 'error').length > 0);
    await new Promise<void>((resolve) => a.connections.client.once('error', () => resolve()));
    const errors = logs.filter((l) => l.level === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0].message).toMatch(/TLS.*ECR_AUTH_REDIS_TLS_CA_FILE/);
    expect(a.state()).toBe('degraded');
    expect(await a.get(key())).toBeUndefined();
  });

  it('ECR_AUTH_REDIS_PASSWORD_FILE: works, and a rotated file is used at the next connect', async () => {
    const redis = await topologies.withPassword('first-secret');
    const file = writePasswordFile(redis.dir, 'first-secret', { trailingNewline: true });
    const a = tier({
      settings: redisSettingsOf({ ECR_AUTH_REDIS_URL: redis.url, ECR_AUTH_REDIS_PASSWORD_FILE: file }),
      getTimeoutMs: NEVER,
      maxReconnectDelayMs: 50,
    });
    expect(await a.whenReady(NEVER)).toBe(true);
    const k = key();
    await a.set(k, LOGIN, 60_000, []);
    expect(await a.get(k)).toEqual(LOGIN);

    // The rotation: the server takes the new password, the file holds it, connections drop.
    const admin = createClient({ url: redis.url, password: 'first-secret' });
    await admin.connect();
    try {
      await admin.configSet('requirepass', 'second-secret');
      writePasswordFile(redis.dir, 'second-secret');
      await admin.sendCommand(['CLIENT', 'KILL', 'TYPE', 'normal', 'SKIPME', 'yes']);
      await admin.sendCommand(['CLIENT', 'KILL', 'TYPE', 'pubsub']);
    } finally {
      admin.destroy();
    }
    await until(async () => (await a.get(k)) !== undefined && a.state() === 'up');
    expect(logs.filter((l) => l.level === 'error')).toEqual([]);
  });

  it('a wrong password: one ERROR line naming the settings to check, degraded', async () => {
    const redis = await topologies.withPassword('right-secret');
    const file = writePasswordFile(redis.dir, 'wrong-secret');
    const a = tier({
      settings: redisSettingsOf({ ECR_AUTH_REDIS_URL: redis.url, ECR_AUTH_REDIS_PASSWORD_FILE: file }),
      getTimeoutMs: NEVER,
      maxReconnectDelayMs: 50,
    });
    expect(await a.whenReady(NEVER)).toBe(false);
    await until(async () => logs.some((l) => l.level === 'error'));
    await new Promise<void>((resolve) => a.connections.client.once('error', () => resolve()));
    const errors = logs.filter((l) => l.level === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0].message).toContain('check ECR_AUTH_REDIS_PASSWORD_FILE');
    expect(errors[0].message).not.toContain('wrong-secret');
    expect(a.state()).toBe('degraded');
  });
});

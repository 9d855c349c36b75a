import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from './parse-config';
import { clientOptions, clusterOptions, sentinelOptions } from './redis-options';
import type { RedisSettings } from './redis-settings';

const KEY = Buffer.alloc(32, 7).toString('base64');
const PEM = '-----BEGIN CERTIFICATE-----\nMIIBtest\n-----END CERTIFICATE-----\n';

describe('node-redis options from the Redis settings', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ecr-auth-redis-options-'));
  const caFile = join(dir, 'ca.pem');
  const passwordFile = join(dir, 'password');
  const reads: string[] = [];
  const readFile = (path: string) => {
    reads.push(path);
    return readFileSync(path, 'utf8');
  };
  const common = { connectTimeout: 1234, reconnectStrategy: 50 };

  beforeAll(() => {
    writeFileSync(caFile, PEM);
    writeFileSync(passwordFile, 'first-password\n');
  });
  beforeEach(() => (reads.length = 0));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** The settings parseConfig makes of `env`, reading the files of this test. */
  function settings(env: Record<string, string>): RedisSettings {
    return parseConfig({ ...env, ECR_AUTH_CACHE_ENCRYPTION_KEY: KEY }, (p) => readFileSync(p, 'utf8')).redis!;
  }

  it('standalone over TLS: verified with the CA file, SNI for the host name, database and ACL credentials', () => {
    const s = settings({
      ECR_AUTH_REDIS_URL: 'rediss://app:pw@cache.example.com:6380/3',
      ECR_AUTH_REDIS_TLS_CA_FILE: caFile,
    });
    expect(clientOptions(s, readFile, common)).toEqual({
      socket: { ...common, host: 'cache.example.com', port: 6380, tls: true, ca: PEM, servername: 'cache.example.com' },
      username: 'app',
      password: 'pw',
      database: 3,
    });
    expect(reads).toEqual([caFile]); // once, while the options are built
  });

  it('standalone over TLS to an IP address: no server name (SNI takes host names only), system CAs', () => {
    const s = settings({ ECR_AUTH_REDIS_URL: 'rediss://10.0.0.5' });
    expect(clientOptions(s, readFile)).toEqual({ socket: { host: '10.0.0.5', port: 6379, tls: true } });
  });

  it('standalone over plain TCP: no TLS options at all', () => {
    const s = settings({ ECR_AUTH_REDIS_URL: 'redis://cache:6379/0' });
    expect(clientOptions(s, readFile, common)).toEqual({
      socket: { ...common, host: 'cache', port: 6379, tls: false },
    });
  });

  it('a password file is read by the credentials provider at each call, so a rotated file is used next time', async () => {
    writeFileSync(passwordFile, 'first-password\n');
    const s = settings({
      ECR_AUTH_REDIS_URL: 'rediss://app@cache.example.com',
      ECR_AUTH_REDIS_PASSWORD_FILE: passwordFile,
    });
    const options = clientOptions(s, readFile);
    expect(options).not.toHaveProperty('password');
    expect(reads).toEqual([]);
    const provider = options.credentialsProvider!;
    if (provider.type !== 'async-credentials-provider') throw new Error('expected an async provider');
    expect(await provider.credentials()).toEqual({ username: 'app', password: 'first-password' });
    writeFileSync(passwordFile, 'second-password');
    expect(await provider.credentials()).toEqual({ username: 'app', password: 'second-password' });
    expect(reads).toEqual([passwordFile, passwordFile]);
  });

  it('a password file that is gone at connect fails that connect, naming the setting and not the content', async () => {
    const gone = join(dir, 'gone');
    writeFileSync(gone, 'secret-content');
    const s = settings({ ECR_AUTH_REDIS_URL: 'redis://cache', ECR_AUTH_REDIS_PASSWORD_FILE: gone });
    rmSync(gone);
    const provider = clientOptions(s, readFile).credentialsProvider!;
    if (provider.type !== 'async-credentials-provider') throw new Error('expected an async provider');
    await expect(provider.credentials()).rejects.toThrow(/^ECR_AUTH_REDIS_PASSWORD_FILE cannot be read$/);
  });

  it('cluster: every seed a root node with its SNI name; TLS, CA and the first seed\u2019s credentials in defaults', () => {
    const s = settings({
      ECR_AUTH_REDIS_MODE: 'cluster',
      ECR_AUTH_REDIS_URL: 'rediss://app:pw@host-a.example.com:6379,host-b.example.com:6380,10.0.0.3',
      ECR_AUTH_REDIS_TLS_CA_FILE: caFile,
    });
    expect(clusterOptions(s, readFile, common)).toEqual({
      rootNodes: [
        { socket: { host: 'host-a.example.com', port: 6379, tls: true, servername: 'host-a.example.com' } },
        { socket: { host: 'host-b.example.com', port: 6380, tls: true, servername: 'host-b.example.com' } },
        { socket: { host: '10.0.0.3', port: 6379, tls: true } },
      ],
      defaults: { socket: { ...common, tls: true, ca: PEM }, username: 'app', password: 'pw' },
    });
  });

  it('cluster with a password file: one provider in defaults, for every node', async () => {
    writeFileSync(passwordFile, 'cluster-password\n');
    const s = settings({
      ECR_AUTH_REDIS_MODE: 'cluster',
      ECR_AUTH_REDIS_URL: 'redis://app@host-a:6379,host-b:6379',
      ECR_AUTH_REDIS_PASSWORD_FILE: passwordFile,
    });
    const options = clusterOptions(s, readFile);
    expect(options.rootNodes).toEqual([
      { socket: { host: 'host-a', port: 6379, tls: false } },
      { socket: { host: 'host-b', port: 6379, tls: false } },
    ]);
    const provider = options.defaults!.credentialsProvider!;
    if (provider.type !== 'async-credentials-provider') throw new Error('expected an async provider');
    expect(await provider.credentials()).toEqual({ username: 'app', password: 'cluster-password' });
  });

  it('sentinel: the master by name, the data nodes with the URL\u2019s credentials, the Sentinels with theirs, TLS to both', () => {
    const s = settings({
      ECR_AUTH_REDIS_MODE: 'sentinel',
      ECR_AUTH_REDIS_URL: 'rediss://app:data-pw@redis',
      ECR_AUTH_REDIS_SENTINELS: 's1.example.com:26379,10.0.0.9:26380',
      ECR_AUTH_REDIS_SENTINEL_MASTER: 'mymaster',
      ECR_AUTH_REDIS_SENTINEL_PASSWORD: 'sentinel-pw',
      ECR_AUTH_REDIS_TLS_CA_FILE: caFile,
    });
    expect(sentinelOptions(s, readFile, common)).toEqual({
      name: 'mymaster',
      sentinelRootNodes: [
        { host: 's1.example.com', port: 26379 },
        { host: '10.0.0.9', port: 26380 },
      ],
      nodeClientOptions: { socket: { ...common, tls: true, ca: PEM }, username: 'app', password: 'data-pw' },
      sentinelClientOptions: { socket: { ...common, tls: true, ca: PEM }, password: 'sentinel-pw' },
    });
  });

  it('sentinel with a password file: the provider serves the data nodes, the Sentinels keep their password', async () => {
    writeFileSync(passwordFile, 'data-from-file\n');
    const s = settings({
      ECR_AUTH_REDIS_MODE: 'sentinel',
      ECR_AUTH_REDIS_SENTINELS: 's1:26379',
      ECR_AUTH_REDIS_SENTINEL_MASTER: 'mymaster',
      ECR_AUTH_REDIS_SENTINEL_PASSWORD: 'sentinel-pw',
      ECR_AUTH_REDIS_PASSWORD_FILE: passwordFile,
    });
    const options = sentinelOptions(s, readFile);
    expect(options.sentinelClientOptions).toEqual({ socket: { tls: false }, password: 'sentinel-pw' });
    const provider = options.nodeClientOptions!.credentialsProvider!;
    if (provider.type !== 'async-credentials-provider') throw new Error('expected an async provider');
    expect(await provider.credentials()).toEqual({ password: 'data-from-file' });
  });
});

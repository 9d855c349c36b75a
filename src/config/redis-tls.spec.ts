import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from 'redis';
import { isInstalled, itIf, OPENSSL, REDIS_SERVER, TOOLS_REQUIRED } from '../../test/fixtures/outside-tools';
import { closedPort } from '../../test/fixtures/ports';
import { parseConfig } from './parse-config';
import { clientOptions } from './redis-options';

const KEY = Buffer.alloc(32, 7).toString('base64');
const read = (p: string) => readFileSync(p, 'utf8');
const itWithTools = itIf(
  isInstalled(OPENSSL) && isInstalled(REDIS_SERVER),
  'openssl and redis-server are needed (apt-get install -y openssl redis-server)',
  { required: TOOLS_REQUIRED, by: 'ECR_AUTH_REQUIRE_TOOLS or CI is set' },
);

/** `rediss://` against a real TLS Redis whose certificate, for `localhost`, a CA of this test signed. */
describe('rediss:// against a real Redis', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ecr-auth-redis-tls-'));
  const file = (name: string) => join(dir, name);
  let server: ChildProcess | undefined;

  afterAll(() => {
    server?.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  /** The client options of `env` (with the encryption key Redis needs). */
  function options(env: Record<string, string>, reconnect: false | number) {
    const settings = parseConfig({ ...env, ECR_AUTH_CACHE_ENCRYPTION_KEY: KEY }, read).redis!;
    return clientOptions(settings, read, { reconnectStrategy: reconnect });
  }

  async function connects(env: Record<string, string>): Promise<string> {
    const client = createClient(options(env, false));
    client.on('error', () => undefined);
    try {
      await client.connect();
      return await client.ping();
    } finally {
      if (client.isOpen) client.destroy();
    }
  }

  itWithTools(
    'verifies the certificate with the CA file, and the host name; no CA file: the system CAs refuse it',
    async () => {
      const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
      openssl(
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        'ca.key',
        '-out',
        'ca.pem',
        '-days',
        '1',
        '-subj',
        '/CN=ecr-auth test CA',
      );
      openssl(
        'req',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        'server.key',
        '-out',
        'server.csr',
        '-subj',
        '/CN=localhost',
      );
      writeFileSync(file('san.cnf'), 'subjectAltName=DNS:localhost\n');
      openssl(
        'x509',
        '-req',
        '-in',
        'server.csr',
        '-CA',
        'ca.pem',
        '-CAkey',
        'ca.key',
        '-CAcreateserial',
        '-out',
        'server.pem',
        '-days',
        '1',
        '-extfile',
        'san.cnf',
      );
      const port = await closedPort();
      server = spawn(
        'redis-server',
        [
          '--port',
          '0',
          '--tls-port',
          String(port),
          '--bind',
          '127.0.0.1',
          '-::1',
          '--save',
          '',
          '--appendonly',
          'no',
          '--tls-cert-file',
          file('server.pem'),
          '--tls-key-file',
          file('server.key'),
          '--tls-ca-cert-file',
          file('ca.pem'),
          '--tls-auth-clients',
          'no',
        ],
        { stdio: 'ignore' },
      );

      // Retries until the server listens: the CA file's certificate verifies, the host name matches.
      const good = createClient(
        options({ ECR_AUTH_REDIS_URL: `rediss://localhost:${port}`, ECR_AUTH_REDIS_TLS_CA_FILE: file('ca.pem') }, 20),
      );
      good.on('error', () => undefined);
      try {
        await good.connect();
        expect(await good.ping()).toBe('PONG');
      } finally {
        good.destroy();
      }

      await expect(connects({ ECR_AUTH_REDIS_URL: `rediss://localhost:${port}` })).rejects.toThrow(
        /self.signed|unable to (get|verify)/i,
      );
      await expect(
        connects({ ECR_AUTH_REDIS_URL: `rediss://127.0.0.1:${port}`, ECR_AUTH_REDIS_TLS_CA_FILE: file('ca.pem') }),
      ).rejects.toThrow(/IP: 127\.0\.0\.1 is not in the cert's list|does not match/i);
    },
  );
});

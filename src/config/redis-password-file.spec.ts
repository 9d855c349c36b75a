import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from 'redis';
import { itWith, REDIS_SERVER } from '../../test/fixtures/outside-tools';
import { closedPort } from '../../test/fixtures/ports';
import { events } from '../../test/fixtures/wait';
import { parseConfig } from './parse-config';
import { clientOptions } from './redis-options';

const KEY = Buffer.alloc(32, 7).toString('base64');

/** A rotated password file against a real Redis of this test's own, on a free port. */
describe('ECR_AUTH_REDIS_PASSWORD_FILE against a real Redis', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ecr-auth-redis-password-'));
  const passwordFile = join(dir, 'password');
  let server: ChildProcess | undefined;

  afterAll(() => {
    server?.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  itWith(REDIS_SERVER)('reconnects with the password the file holds at that moment', async () => {
    const port = await closedPort();
    server = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--requirepass', 'old-pass'],
      { stdio: 'ignore' },
    );
    writeFileSync(passwordFile, 'old-pass\n');
    const settings = parseConfig(
      {
        ECR_AUTH_REDIS_URL: `redis://127.0.0.1:${port}`,
        ECR_AUTH_REDIS_PASSWORD_FILE: passwordFile,
        ECR_AUTH_CACHE_ENCRYPTION_KEY: KEY,
      },
      (p) => readFileSync(p, 'utf8'),
    ).redis!;
    const reads: string[] = [];
    const readFile = (p: string) => {
      const content = readFileSync(p, 'utf8');
      reads.push(content.trim());
      return content;
    };
    // Retries until the server listens; after a kill, reconnects at once.
    const client = createClient({ ...clientOptions(settings, readFile, { reconnectStrategy: 20 }) });
    const errors: string[] = [];
    client.on('error', (e: Error) => void errors.push(e.message));
    const admin = createClient({ socket: { host: '127.0.0.1', port, reconnectStrategy: 20 }, password: 'old-pass' });
    admin.on('error', () => undefined);
    try {
      await client.connect();
      expect(await client.ping()).toBe('PONG');
      await admin.connect();

      // Rotation: the server takes the new password, the file is rewritten, then the
      // connection drops (a failover or an idle timeout would drop it the same way).
      await admin.configSet('requirepass', 'new-pass');
      writeFileSync(passwordFile, 'new-pass');
      const readyAgain = events(client, 'ready');
      await admin.sendCommand(['CLIENT', 'KILL', 'ID', String(await client.clientId())]);
      await readyAgain;

      expect(await client.ping()).toBe('PONG');
      expect(reads).toEqual(expect.arrayContaining(['old-pass', 'new-pass']));
      expect(reads.at(-1)).toBe('new-pass');
      expect(errors.join('\n')).not.toMatch(/WRONGPASS|NOAUTH/);
    } finally {
      await Promise.allSettled([client.isOpen && client.close(), admin.isOpen && admin.close()]);
      server?.kill('SIGKILL');
      server = undefined;
    }
  });
});

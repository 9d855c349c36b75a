import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiTokensReloader } from '../../src/auth/api-tokens.reloader';
import { WORLD } from '../fixtures/aws-world';
import { itWith, OPENSSL } from '../fixtures/outside-tools';
import { customerBody, startHarness } from './harness';
import { perTestServices } from './per-test-services';

/** Temporary directories of this file's tests, removed once they ran. */
const tempDirs: string[] = [];
function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}
afterAll(() => tempDirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** Each control proven by an attack on the running service. */
describe('hostile callers', () => {
  const { world, start } = perTestServices();
  // The jump role's background health check may call STS; nothing may reach the customer.
  const customerCalls = () => world.emu.calls.filter((c) => c.service !== 'sts' || c.params.RoleArn !== WORLD.jump.arn);

  it('a role in an account outside ECR_AUTH_ALLOWED_ACCOUNTS gets 403 with no STS call', async () => {
    const h = await start({ ECR_AUTH_ALLOWED_ACCOUNTS: '999999999999,555555555555' });
    const res = await h.post('/registry-auth', customerBody());
    expect(res.status).toBe(403);
    expect(res.json.code).toBe('ACCOUNT_NOT_ALLOWED');
    expect(customerCalls()).toHaveLength(0);
  });

  it('a token bound to accounts mints only for those: a leaked token reaches only its tenants', async () => {
    const bound = 'bound-token-aaaaaaaaaaaaaaaa';
    const h = await start({ ECR_AUTH_API_TOKENS: `${WORLD.apiToken},${bound}=333333333333|444444444444` });
    const other = await h.post('/registry-auth', customerBody(), { token: bound });
    expect(other.status).toBe(403);
    expect(other.json.code).toBe('ACCOUNT_NOT_ALLOWED');
    expect(customerCalls()).toHaveLength(0);
    expect((await h.post('/registry-auth', customerBody())).status).toBe(200);
    expect(h.logs.join('')).not.toContain(bound);
  });

  it('access pull/push becomes an inline session policy with exactly those actions, and the two are cached apart', async () => {
    const h = await start();
    const pull = await h.post('/registry-auth', customerBody({ access: 'pull' }));
    const push = await h.post('/registry-auth', customerBody({ access: 'push' }));
    expect([pull.status, push.status]).toEqual([200, 200]);
    expect(pull.json.password).not.toBe(push.json.password);
    const policies = world.emu
      .callsOf('sts', 'AssumeRole')
      .filter((c) => c.params.RoleArn === WORLD.customer.arn)
      .map((c) => c.params.Policy);
    expect(policies).toHaveLength(2);
    const [pullPolicy, pushPolicy] = policies;
    expect(pullPolicy).toContain('ecr:BatchGetImage');
    expect(pullPolicy).not.toContain('ecr:PutImage');
    expect(pushPolicy).toContain('ecr:PutImage');
    expect(pullPolicy.length).toBeLessThanOrEqual(2048);
    world.emu.clearCalls();
    await h.post('/registry-auth', customerBody({ access: 'pull' }));
    await h.post('/registry-auth', customerBody({ access: 'push' }));
    expect(world.emu.calls).toHaveLength(0);
  });

  it('access is ignored for static keys (no session to scope)', async () => {
    const h = await start();
    const res = await h.post('/registry-auth', {
      registry: WORLD.staticUser.registry,
      accessKeyId: WORLD.staticUser.accessKeyId,
      secretAccessKey: WORLD.staticUser.secretAccessKey,
      access: 'push',
    });
    expect(res.status).toBe(200);
  });

  it('with a limit of 20 a minute, a burst of 40 gets 429 RATE_LIMITED with Retry-After', async () => {
    const h = await start({ ECR_AUTH_RATE_LIMIT_PER_MINUTE: '20' });
    const replies = await Promise.all(Array.from({ length: 40 }, () => h.post('/registry-auth', customerBody())));
    const limited = replies.filter((r) => r.status === 429);
    expect(replies.filter((r) => r.status === 200)).toHaveLength(20);
    expect(limited).toHaveLength(20);
    expect(limited[0].json).toMatchObject({
      statusCode: 429,
      code: 'RATE_LIMITED',
      message: expect.any(String),
      requestId: expect.any(String),
    });
    expect(Number(limited[0].headers.get('retry-after'))).toBeGreaterThan(0);
    // Another caller has its own budget.
    expect((await h.post('/registry-auth', customerBody(), { token: WORLD.secondApiToken })).status).toBe(200);
  });

  it('answers carry security headers, no x-powered-by, no CORS', async () => {
    const h = await start();
    const res = await h.post('/registry-auth', customerBody(), { headers: { origin: 'https://evil.example' } });
    expect(res.headers.get('x-powered-by')).toBeNull();
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it('re-reads ECR_AUTH_API_TOKENS_FILE (on SIGHUP): a rotated token works, the old one stops', async () => {
    const dir = tempDir('ecr-auth-tokens-');
    const file = join(dir, 'tokens');
    const before = 'file-token-before-0000000000';
    const after = 'file-token-after-11111111111';
    writeFileSync(file, `${before}\n`);
    const h = await start({ ECR_AUTH_API_TOKENS: undefined, ECR_AUTH_API_TOKENS_FILE: file });
    expect((await h.post('/registry-auth', customerBody(), { token: before })).status).toBe(200);
    writeFileSync(file, `# rotated\n${after}\n`);
    await expect(h.app.get(ApiTokensReloader).reload()).resolves.toBe(true);
    expect((await h.post('/registry-auth', customerBody(), { token: after })).status).toBe(200);
    expect((await h.post('/registry-auth', customerBody(), { token: before })).status).toBe(401);
    expect(h.logs.join('')).not.toContain(after);
  });

  it('listens for SIGHUP only while running: the reloader is registered at start and removed at close', async () => {
    const dir = tempDir('ecr-auth-tokens-');
    const file = join(dir, 'tokens');
    writeFileSync(file, 'file-token-before-0000000000\n');
    const listeners = process.listenerCount('SIGHUP');
    const h = await start({ ECR_AUTH_API_TOKENS: undefined, ECR_AUTH_API_TOKENS_FILE: file });
    expect(process.listenerCount('SIGHUP')).toBe(listeners + 1);
    await h.close();
    expect(process.listenerCount('SIGHUP')).toBe(listeners);
  });

  it('keeps the current tokens when the file turns invalid', async () => {
    const dir = tempDir('ecr-auth-tokens-');
    const file = join(dir, 'tokens');
    const before = 'file-token-before-0000000000';
    writeFileSync(file, `${before}\n`);
    const h = await start({ ECR_AUTH_API_TOKENS: undefined, ECR_AUTH_API_TOKENS_FILE: file });
    writeFileSync(file, 'short\n');
    await expect(h.app.get(ApiTokensReloader).reload()).resolves.toBe(false);
    expect((await h.post('/registry-auth', customerBody(), { token: before })).status).toBe(200);
  });
});

describe('TLS', () => {
  itWith(OPENSSL)('serves HTTPS directly with ECR_AUTH_TLS_CERT_FILE and ECR_AUTH_TLS_KEY_FILE', async () => {
    const dir = tempDir('ecr-auth-tls-');
    const cert = join(dir, 'cert.pem');
    const key = join(dir, 'key.pem');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        key,
        '-out',
        cert,
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
      ],
      { stdio: 'ignore' },
    );
    const h = await startHarness({ env: { ECR_AUTH_TLS_CERT_FILE: cert, ECR_AUTH_TLS_KEY_FILE: key } });
    try {
      const port = new URL(h.url).port;
      const answer = await new Promise<{ status: number; body: string; hsts?: string }>((resolve, reject) => {
        const req = httpsRequest({ host: '127.0.0.1', port, path: '/health/live', ca: readPem(cert) }, (res) => {
          let body = '';
          res.on('data', (d: Buffer) => (body += d.toString()));
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              body,
              hsts: res.headers['strict-transport-security'],
            }),
          );
        });
        req.on('error', reject);
        req.end();
      });
      expect(answer.status).toBe(200);
      expect(JSON.parse(answer.body)).toEqual({ status: 'ok' });
      expect(answer.hsts).toContain('max-age=');
    } finally {
      await h.close();
    }
  });
});

function readPem(path: string): string {
  return readFileSync(path, 'utf8');
}

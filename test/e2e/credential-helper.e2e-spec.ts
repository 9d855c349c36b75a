import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { AddressInfo, createServer, Server, Socket } from 'node:net';
import { join } from 'node:path';
import { WORLD } from '../fixtures/aws-world';
import { closedPort } from './child-process';
import { credentialHelperWorld, NOT_FOUND, REGISTRY } from './credential-helper-world';
import { customerBody, type Harness } from './harness';

/** The built helper against the real service (over HTTP, against the AWS emulator). */
describe('docker-credential-ecr-auth (built) against the service', () => {
  const world = credentialHelperWorld();
  const { get, freshCache } = world;
  let h: Harness;
  let tmp: string;
  let home: string;
  beforeAll(() => {
    ({ h, tmp, home } = world);
  });

  it('get: prints the secret the service hands out, and caches it 0600 in a 0700 directory', async () => {
    const r = await get(`${REGISTRY}\n`);
    expect(r.code).toBe(0);
    const answer = JSON.parse(r.stdout) as Record<string, string>;
    expect(Object.keys(answer)).toEqual(['ServerURL', 'Username', 'Secret']);
    expect(answer).toMatchObject({ ServerURL: REGISTRY, Username: 'AWS' });
    expect(h.emu.issuedEcrSecrets()).toContain(answer.Secret);
    expect((await h.post('/registry-auth', customerBody())).json.password).toBe(answer.Secret);

    const dir = join(home, '.ecr-auth', 'cache');
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    const files = readdirSync(dir);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^[0-9a-f]{64}\.json$/);
    expect(statSync(join(dir, files[0])).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(join(dir, files[0]), 'utf8'))).toMatchObject({ password: answer.Secret });
  });

  it('get: a URL form of the server works and ServerURL is echoed as given', async () => {
    const r = await get(`https://${REGISTRY}/v2/`);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ ServerURL: `https://${REGISTRY}/v2/`, Username: 'AWS' });
    expect(h.emu.issuedEcrSecrets()).toContain(JSON.parse(r.stdout).Secret);
  });

  it('get: a pattern of the file, into $ECR_AUTH_CACHE_DIR', async () => {
    const cache = join(tmp, 'explicit-cache');
    const r = await get('222222222222.dkr.ecr.ap-south-1.amazonaws.com', { ECR_AUTH_CACHE_DIR: cache });
    expect(r.code).toBe(0);
    expect(h.emu.issuedEcrSecrets()).toContain(JSON.parse(r.stdout).Secret);
    expect(statSync(cache).mode & 0o777).toBe(0o700);
    expect(readdirSync(cache).map((f) => statSync(join(cache, f)).mode & 0o777)).toEqual([0o600]);
  });

  it.each([
    ['a host that is not ECR', 'docker.io'],
    ['an ECR look-alike', `${REGISTRY}.evil.example`],
    ['an ECR host with no key configured', WORLD.openCustomer.registry],
  ])('get: %s is not found (docker goes on anonymously)', async (_why, host) => {
    const r = await get(host);
    expect(r).toMatchObject({ code: 1, stdout: NOT_FOUND });
  });

  it('get: a wrong external ID fails loudly with ASSUME_ROLE_DENIED', async () => {
    const config = join(tmp, 'empty.json');
    writeFileSync(config, '{"registries": {}}');
    const r = await get(REGISTRY, {
      ECR_AUTH_CONFIG: config,
      ECR_AUTH_ROLE_ARN: WORLD.customer.arn,
      ECR_AUTH_EXTERNAL_ID: 'wrong-external-id-0000',
      ECR_AUTH_CACHE_DIR: freshCache(),
    });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^ecr-auth: ASSUME_ROLE_DENIED: .+\n$/);
    expect(r.stdout).not.toContain('wrong-external-id-0000');
  });

  it('get: a role without ECR permission fails with ECR_ACCESS_DENIED', async () => {
    const r = await get(WORLD.noEcrCustomer.registry);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^ecr-auth: ECR_ACCESS_DENIED: /);
  });

  it('get: a wrong API token fails with UNAUTHENTICATED, and never prints the token', async () => {
    const r = await get(REGISTRY, { ECR_AUTH_TOKEN: 'not-the-api-token-123', ECR_AUTH_CACHE_DIR: freshCache() });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^ecr-auth: UNAUTHENTICATED: /);
    expect(r.stdout).not.toContain('not-the-api-token-123');
  });

  it('get: the service down and nothing cached: the real reason', async () => {
    const port = await closedPort();
    const r = await get(REGISTRY, { ECR_AUTH_URL: `http://127.0.0.1:${port}`, ECR_AUTH_CACHE_DIR: freshCache() });
    expect(r).toMatchObject({
      code: 1,
      stdout: `ecr-auth: cannot reach the service at http://127.0.0.1:${port}: connection refused (ECONNREFUSED)\n`,
    });
  });

  it('get: a service that never answers: gives up after ECR_AUTH_TIMEOUT_MS', async () => {
    const sockets: Socket[] = [];
    const silent: Server = createServer((s) => sockets.push(s));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const { port } = silent.address() as AddressInfo;
    try {
      const r = await get(REGISTRY, {
        ECR_AUTH_URL: `http://127.0.0.1:${port}`,
        ECR_AUTH_TIMEOUT_MS: '300',
        ECR_AUTH_CACHE_DIR: freshCache(),
      });
      expect(r).toMatchObject({
        code: 1,
        stdout: `ecr-auth: cannot reach the service at http://127.0.0.1:${port}: no answer within 300 ms (ECR_AUTH_TIMEOUT_MS)\n`,
      });
    } finally {
      sockets.forEach((s) => s.destroy());
      await new Promise<void>((r) => silent.close(() => r()));
    }
  });

  it('get: a plain-HTTP service URL off loopback is refused', async () => {
    const r = await get(REGISTRY, {
      ECR_AUTH_URL: 'http://ecr-auth.example.invalid:8080',
      ECR_AUTH_CACHE_DIR: freshCache(),
    });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /^ecr-auth: configuration problem .*plain http:\/\/ to ecr-auth\.example\.invalid.*ECR_AUTH_ALLOW_INSECURE=true\n$/,
    );
  });

  it('get: a malformed config file is named', async () => {
    const config = join(tmp, 'broken.json');
    writeFileSync(config, `{"token": "${WORLD.apiToken}",`);
    const r = await get(REGISTRY, { ECR_AUTH_CONFIG: config });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`${config} is not valid JSON`);
  });

  // Last: closes the service.
  it('get: a warm cache answers with the service down (no network call)', async () => {
    const before = JSON.parse((await get(REGISTRY)).stdout).Secret as string;
    await h.close();
    world.closed = true;
    const r = await get(REGISTRY);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).Secret).toBe(before);
    const cold = await get(REGISTRY, { ECR_AUTH_CACHE_DIR: freshCache() });
    expect(cold.code).toBe(1);
    expect(cold.stdout).toMatch(
      /^ecr-auth: cannot reach the service at http:\/\/127\.0\.0\.1:\d+: connection refused \(ECONNREFUSED\)\n$/,
    );
  });
});

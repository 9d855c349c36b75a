import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { AddressInfo, createServer, Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { run } from '../e2e/child-process';

/** `npm run demo` and `npm run emulator` as a newcomer starts them (bundled, not through npm). */
describe('the demo and the standalone emulator', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ecr-auth-demo-'));
  const script = (name: string) => join(dir, `${name}.js`);
  let taken: Server;
  let port: number;

  beforeAll(async () => {
    await build({
      entryPoints: ['demo', 'emulator'].map((n) => join(__dirname, `${n}.ts`)),
      outdir: dir,
      bundle: true,
      platform: 'node',
      packages: 'external',
      logLevel: 'silent',
    });
    taken = createServer();
    taken.listen(0, '127.0.0.1');
    await once(taken, 'listening');
    port = (taken.address() as AddressInfo).port;
  });
  afterAll(() => {
    taken.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it.each([
    ['demo', 'PORT'],
    ['emulator', 'EMULATOR_PORT'],
  ])('%s on a taken port: one line saying so, exit 1, no banner', async (name, variable) => {
    const { code, stdout, stderr } = await run(process.execPath, [script(name)], undefined, {
      PATH: process.env.PATH ?? '',
      [variable]: String(port),
    });
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      `${name}: 127.0.0.1:${port} is taken (another demo, emulator or service is listening there): stop it, or choose another port with ${variable}=…\n`,
    );
  });

  it('the emulator alone prints its URL, keys and control routes, and the routes answer on that URL', async () => {
    const child = spawn(process.execPath, [script('emulator')], {
      env: { PATH: process.env.PATH ?? '', EMULATOR_PORT: '0' },
    });
    try {
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      while (!out.includes('Ctrl-C stops it')) await once(child.stdout, 'data');
      const url = /AWS emulator \(STS, ECR, ECR Public\) on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1];
      expect(url).toBeDefined();
      expect(out).toContain('export AWS_ACCESS_KEY_ID=AKIASERVICE000000001');
      expect(out).toContain('export ECR_AUTH_JUMP_ROLE_ARN=arn:aws:iam::111111111111:role/ecr-auth-jump');
      const seed = /curl -s -X POST (\S+) -d '(.+)'/.exec(out);
      expect(seed?.[1]).toBe(`${url}/_emulator/roles`);
      const seeded = await fetch(seed![1], { method: 'POST', body: seed![2] });
      expect(seeded.status).toBe(201);
      const calls = await fetch(`${url}/_emulator/calls`);
      expect(await calls.json()).toEqual([]);
    } finally {
      child.kill('SIGTERM');
      await once(child, 'close');
    }
  });
});

import { ChildProcess, spawn } from 'node:child_process';
import { sleep } from '../src/async/sleep';
import { openSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { AwsEmulator } from '../test/emulator/aws-emulator';
import { serviceProcessEnv, WORLD } from '../test/fixtures/aws-world';

const ROOT = join(__dirname, '..', '..');

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export interface Running {
  readonly url: string;
  stop(): Promise<void>;
}

async function waitFor(url: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    try {
      const res = await fetch(url);
      if (res.status < 500) return;
    } catch {
      // not listening yet
    }
    await sleep(50);
  }
  throw new Error(`${url} never answered`);
}

function stopper(child: ChildProcess): () => Promise<void> {
  return () =>
    new Promise((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
}

/** The built service (dist/main.js) as a process of its own, against the emulator; logs go to /dev/null. */
export async function startService(emu: AwsEmulator, env: Record<string, string> = {}): Promise<Running> {
  const port = await freePort();
  const child = spawn(process.execPath, [join(ROOT, 'dist', 'main.js')], {
    stdio: ['ignore', openSync('/dev/null', 'w'), 'inherit'],
    env: { ...serviceProcessEnv(emu.url), PORT: String(port), HOST: '127.0.0.1', NODE_ENV: 'production', ...env },
  });
  const url = `http://127.0.0.1:${port}`;
  await waitFor(`${url}/health/live`);
  return { url, stop: stopper(child) };
}

/** A reference server of bench/ (bare-server.js: node:http; fastify-server.js), answering the same JSON. */
export async function startReference(file: 'bare-server.js' | 'fastify-server.js', password: string): Promise<Running> {
  const child = spawn(process.execPath, [join(ROOT, 'bench', file)], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { PATH: process.env.PATH ?? '', BENCH_TOKEN: WORLD.apiToken, BENCH_PASSWORD: password },
  });
  const port = await new Promise<number>((resolve) => {
    child.stdout.on('data', (d: Buffer) => {
      const m = /listening (\d+)/.exec(d.toString());
      if (m) resolve(Number(m[1]));
    });
  });
  return { url: `http://127.0.0.1:${port}`, stop: stopper(child) };
}

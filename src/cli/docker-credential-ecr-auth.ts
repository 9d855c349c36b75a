#!/usr/bin/env node
/**
 * docker-credential-ecr-auth: the docker credential helper of ecr-auth. Reads stdin (for get,
 * store, erase), answers on stdout only, sets the exit code. Node built-ins only, no framework:
 * start-up stays close to Node's own.
 */
import { readFileSync, writeSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { handle, HelperDeps, STDIN_VERBS } from './credential-helper.handler';
import { packageVersion } from './package-version';
import { postRegistryAuth } from './service-client';
import { cacheDirOf, TokenFileCache } from './token-file-cache';

const MAX_STDIN_BYTES = 64 * 1024;

/**
 * Reads stdin to its end. Synchronously first: cheaper than starting the stream machinery,
 * which matters at every `docker pull`; the stream is the fallback for a non-blocking stdin.
 */
function readStdin(): Promise<string> {
  try {
    return Promise.resolve(readFileSync(0).subarray(0, MAX_STDIN_BYTES).toString('utf8'));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EBADF' || code === 'EINVAL') return Promise.resolve('');
    if (code !== 'EAGAIN') throw e;
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    process.stdin.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_STDIN_BYTES) chunks.push(chunk);
    });
    process.stdin.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    process.stdin.on('error', reject);
  });
}

/** Writes the whole answer to fd 1 directly (no stream set-up); the stream is the fallback. */
function writeStdout(text: string): void {
  const bytes = Buffer.from(text, 'utf8');
  let offset = 0;
  try {
    while (offset < bytes.length) offset += writeSync(1, bytes, offset);
  } catch {
    process.stdout.write(bytes.subarray(offset));
  }
}

async function readTextFile(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

function home(): string | undefined {
  if (process.env.HOME) return process.env.HOME;
  try {
    return homedir() || undefined;
  } catch {
    return undefined;
  }
}

async function main(): Promise<void> {
  const verb = process.argv[2];
  const input = verb !== undefined && STDIN_VERBS.has(verb) ? await readStdin() : '';
  const env = process.env;
  const userHome = home();
  const deps: HelperDeps = {
    env,
    home: userHome,
    readTextFile,
    cache: new TokenFileCache(cacheDirOf(env, userHome)),
    post: postRegistryAuth,
    now: () => Date.now(),
    version: packageVersion,
  };
  const result = await handle(verb, input, deps);
  process.exitCode = result.exitCode;
  writeStdout(result.stdout);
}

main().catch((e: unknown) => {
  // Never a stack trace or a message that might quote a secret: the error code alone.
  const code = (e as { code?: unknown } | null)?.code;
  process.exitCode = 1;
  writeStdout(
    `ecr-auth: unexpected failure${typeof code === 'string' && /^\w{1,40}$/.test(code) ? ` (${code})` : ''}\n`,
  );
});

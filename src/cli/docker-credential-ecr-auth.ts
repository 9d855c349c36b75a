#!/usr/bin/env node
/**
 * docker-credential-ecr-auth: the docker credential helper of ecr-auth. Reads stdin (for get,
 * store, erase), answers on stdout only, sets the exit code. Node built-ins only, no framework:
 * start-up stays close to Node's own.
 */
import { handle, HelperDeps, STDIN_VERBS } from './credential-helper.handler';
import { readTextFile, userHome } from './local-files';
import { packageVersion } from './package-version';
import { postRegistryAuth } from './service-client';
import { readStdin, writeFd } from './stdio';
import { cacheDirOf, TokenFileCache } from './token-file-cache';

const MAX_STDIN_BYTES = 64 * 1024;

async function main(): Promise<void> {
  const verb = process.argv[2];
  const input = verb !== undefined && STDIN_VERBS.has(verb) ? (await readStdin(MAX_STDIN_BYTES)).text : '';
  const env = process.env;
  const home = userHome();
  const deps: HelperDeps = {
    env,
    home,
    readTextFile,
    cache: new TokenFileCache(cacheDirOf(env, home)),
    post: postRegistryAuth,
    now: () => Date.now(),
    version: packageVersion,
  };
  const result = await handle(verb, input, deps);
  process.exitCode = result.exitCode;
  writeFd(1, result.stdout);
}

main().catch((e: unknown) => {
  // Never a stack trace or a message that might quote a secret: the error code alone.
  const code = (e as { code?: unknown } | null)?.code;
  process.exitCode = 1;
  writeFd(
    1,
    `ecr-auth: unexpected failure${typeof code === 'string' && /^\w{1,40}$/.test(code) ? ` (${code})` : ''}\n`,
  );
});

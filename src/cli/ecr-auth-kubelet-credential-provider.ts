#!/usr/bin/env node
/**
 * ecr-auth-kubelet-credential-provider: the kubelet's exec credential provider for Amazon ECR
 * through ecr-auth. Reads one CredentialProviderRequest on stdin, writes the response on stdout
 * (nothing else, ever), one line on stderr on failure, and sets the exit code. The kubelet runs
 * it for every pull it has no cached answer for: Node built-ins only, no framework, plain
 * relative imports (it is also bundled into a single executable).
 */
import { handleCredentialProviderRequest, MAX_REQUEST_BYTES, ProviderDeps } from './kubelet-provider.handler';
import { readTextFile, userHome } from './local-files';
import { postRegistryAuth } from './service-client';
import { readStdin, writeFd } from './stdio';

async function main(): Promise<void> {
  const { text, overflow } = await readStdin(MAX_REQUEST_BYTES);
  const deps: ProviderDeps = {
    env: process.env,
    home: userHome(),
    readTextFile,
    post: postRegistryAuth,
    now: () => Date.now(),
  };
  const result = await handleCredentialProviderRequest(text, overflow, deps);
  process.exitCode = result.exitCode;
  writeFd(1, result.stdout);
  writeFd(2, result.stderr);
}

main().catch((e: unknown) => {
  // Never a stack trace or a message that might quote a secret: the error code alone.
  const code = (e as { code?: unknown } | null)?.code;
  process.exitCode = 1;
  writeFd(
    2,
    `ecr-auth: unexpected failure${typeof code === 'string' && /^\w{1,40}$/.test(code) ? ` (${code})` : ''}\n`,
  );
});

import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// Inlined by the standalone build (scripts/build-sea.js), which has no package.json beside it.
declare const __ECR_AUTH_VERSION__: string | undefined;

/** The package version: inlined in a standalone executable, else read from package.json. */
export function packageVersion(): string {
  if (typeof __ECR_AUTH_VERSION__ === 'string') return __ECR_AUTH_VERSION__;
  // dist/cli/ (or src/cli/) → the package root.
  return (JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string }).version;
}

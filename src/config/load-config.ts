import { readFileSync } from 'node:fs';
import type { AppConfig } from './app-config';
import { ConfigError, parseConfig } from './parse-config';

/**
 * The one place that reads `process.env`. A bad configuration prints one line per problem
 * to stderr and exits 1: an operator sees what to fix, never a stack trace.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  try {
    return parseConfig(env, (path) => readFileSync(path, 'utf8'));
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`ecr-auth: invalid configuration\n${e.problems.map((p) => `  ${p}`).join('\n')}\n`);
      process.exit(1);
    }
    throw e;
  }
}

import { readFileSync } from 'node:fs';
import { startupLogger } from '../logging/startup-log';
import type { AppConfig } from './app-config';
import { ConfigError, parseConfig } from './parse-config';

/**
 * The one place that reads `process.env`. A bad configuration logs one JSON line per problem
 * to stderr and exits 1: an operator sees what to fix, never a stack trace.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  try {
    return parseConfig(env, (path) => readFileSync(path, 'utf8'));
  } catch (e) {
    if (e instanceof ConfigError) {
      const logger = startupLogger();
      for (const problem of e.problems) logger.fatal(`invalid configuration: ${problem}`);
      process.exit(1);
    }
    throw e;
  }
}

import type { Logger } from 'pino';
import type { TracingSettings } from '../config/tracing-settings';
import type { Tracing } from './tracing';

/**
 * Starts tracing when the settings say it is on; otherwise returns undefined without loading
 * any of the OpenTelemetry SDK (its modules are required here, behind the check, and nowhere
 * else). Call before the application is built.
 */
export function startTracing(settings: TracingSettings | undefined, logger: Logger): Tracing | undefined {
  if (!settings) return undefined;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const sdk = require('./tracing.sdk') as typeof import('./tracing.sdk');
  return sdk.startSdk(settings, logger);
}

import { pino, type Logger } from 'pino';

/**
 * The logger of start-up failures, before the service's own logger exists (or when the
 * process is about to exit): the same JSON lines, written synchronously to stderr so that
 * nothing is lost to `process.exit`. Always on, whatever LOG_LEVEL says.
 */
export function startupLogger(): Logger {
  return pino({ level: 'info', base: { service: 'ecr-auth' } }, pino.destination({ dest: 2, sync: true }));
}

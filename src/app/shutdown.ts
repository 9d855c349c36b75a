import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import type { AppConfig } from '../config/app-config';
import { Readiness } from '../health/readiness';
import { InFlightRequests } from './in-flight';

/** Past the request deadline, what a drain allows for a request's answer to be written. */
const DRAIN_MARGIN_MS = 2_000;
/** After the drain, what closing AWS clients and Redis may take before the process gives up. */
const CLOSE_MS = 3_000;

/** How long shutdown waits for accepted requests: every one finishes or times out (504) by itself first. */
export function drainMs(config: Pick<AppConfig, 'requestDeadlineMs'>): number {
  return config.requestDeadlineMs + DRAIN_MARGIN_MS;
}

/**
 * SIGTERM/SIGINT: readiness turns 503 and new requests on open connections are refused (503,
 * Connection: close), the listener stops taking connections, accepted requests finish within
 * the drain (the request deadline and a margin: each answers by itself, 504 at worst); any
 * still running at its end is answered 503 with Connection: close. Then AWS clients and Redis
 * close and the process exits 0.
 */
export function exitOnSignals(app: NestFastifyApplication, config: AppConfig): void {
  const logger = app.get(Logger);
  let closing = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (closing) return;
    closing = true;
    app.get(Readiness).drain();
    const drain = drainMs(config);
    logger.log(`${signal}: draining (up to ${drain} ms)`);
    setTimeout(() => {
      const answered = app.get(InFlightRequests).answerRemaining();
      if (answered > 0) logger.warn(`${answered} request(s) still running after ${drain} ms: answered 503`);
      setTimeout(() => {
        logger.warn(`shutdown did not finish within ${drain + CLOSE_MS} ms; exiting`);
        process.exit(1);
      }, CLOSE_MS).unref();
    }, drain).unref();
    app.close().then(
      () => process.exit(0),
      (e: unknown) => {
        logger.error({ err: e instanceof Error ? e.message : String(e) }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

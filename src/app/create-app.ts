import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { readFileSync } from 'node:fs';
import { Logger } from 'nestjs-pino';
import { ApiTokensReloader } from '../api/api-tokens.reloader';
import { Admission } from '../api/admission';
import { BearerAuth } from '../api/bearer-auth';
import { installRegistryAuthRoute } from '../api/registry-auth.route';
import { fastRegistryAuth } from '../api/fast-registry-auth';
import { RegistryCredentialsService } from '../credentials/registry-credentials.service';
import { Readiness } from '../health/readiness';
import { RateLimiter } from '../rate-limit/rate-limiter';
import { systemClock } from '../clock/clock';
import { createRootLogger, requestIdOf } from '../logging/logger.options';
import { installRequestLog } from '../logging/request-log';
import { Metrics } from '../metrics/metrics';
import { AppModule } from './app.module';
import type { AppOptions } from './app-options';
import { clientErrorHandler, frameworkErrorHandler, installBearerAuth, installResponseHeaders } from './http-hooks';
import { FrontHandler, serverFactory } from './http-server';

/**
 * Builds the application: Fastify with the body limit and timeouts, the bearer check before
 * any body is read, then Nest. Not yet listening.
 */
export async function createApp(options: AppOptions): Promise<NestFastifyApplication> {
  const { config } = options;
  const front: FrontHandler = {};
  const tls = config.tls
    ? { cert: readFileSync(config.tls.certFile), key: readFileSync(config.tls.keyFile) }
    : undefined;
  const adapter = new FastifyAdapter({
    // No Nest middleware is used (the request log is a Fastify hook): @fastify/middie's pass
    // over every request cost ~7% of a cache hit's CPU time.
    skipMiddie: true,
    serverFactory: serverFactory(tls, front),
    bodyLimit: config.maxBodyBytes,
    genReqId: requestIdOf,
    return503OnClosing: true,
    frameworkErrors: frameworkErrorHandler,
    clientErrorHandler,
  });
  const fastify = adapter.getInstance();
  // JSON only: anything else is refused with 415 before a parser touches it.
  fastify.removeContentTypeParser('text/plain');
  const auth = new BearerAuth(config.apiTokens);
  const admission = new Admission(auth, new RateLimiter(config.rateLimitPerMinute, options.clock ?? systemClock));
  installBearerAuth(fastify, admission);

  const logger = createRootLogger(config, options.logStream);
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(options, logger), adapter, {
    bufferLogs: true,
    bodyParser: false,
  });
  app.useLogger(app.get(Logger));
  const metrics = app.get(Metrics);
  const credentials = app.get(RegistryCredentialsService);
  const readiness = app.get(Readiness);
  installRequestLog(fastify, logger, metrics);
  // POST /registry-auth is answered ahead of Fastify; the Fastify route serves its other
  // spellings (a query string) with the same behaviour.
  front.handle = fastRegistryAuth({
    admission,
    credentials,
    logger,
    metrics,
    readiness,
    maxBodyBytes: config.maxBodyBytes,
    tls: !!tls,
  });
  installRegistryAuthRoute(fastify, credentials);
  installResponseHeaders(fastify, readiness, !!tls);

  const stopReloading = new ApiTokensReloader(config, auth, logger).start();
  fastify.addHook('onClose', (_instance, done) => {
    stopReloading();
    logger.flush();
    done();
  });
  return app;
}

/** The address to bind: without API tokens the service must not be reachable from elsewhere. */
export function listenHost(options: AppOptions): string {
  return options.config.apiTokens.length === 0 ? '127.0.0.1' : options.config.host;
}

import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { readFileSync } from 'node:fs';
import { Logger } from 'nestjs-pino';
import { installJsonBodyParser } from '../api/json-body.parser';
import { installRegistryAuthRoute } from '../api/registry-auth.route';
import { Admission } from '../auth/admission';
import { RegistryCredentialsService } from '../credentials/registry-credentials.service';
import { Readiness } from '../health/readiness';
import { createRootLogger, requestIdOf } from '../logging/logger.options';
import { recordRequest } from '../logging/request-line';
import { installRequestLog } from '../logging/request-log';
import { Metrics } from '../metrics/metrics';
import { AppModule } from './app.module';
import type { AppOptions } from './app-options';
import { frameworkErrorHandler } from './fastify-errors';
import { InFlightRequests } from './in-flight';
import { clientErrorHandler, ClientErrorSink } from './client-errors';
import { answerHeaders, installRequestHooks } from './http-hooks';
import { serverFactory } from './http-server';

/**
 * Builds the application: Fastify with the server spans first (when tracing is on), the body
 * limit, the one JSON parser and the timeouts; Nest for everything stateful; then the request
 * hooks (headers, the bearer check before any body is read, the request line) and
 * POST /registry-auth on Fastify. Not yet listening.
 */
export async function createApp(options: AppOptions): Promise<NestFastifyApplication> {
  const { config } = options;
  const tls = config.tls
    ? { cert: readFileSync(config.tls.certFile), key: readFileSync(config.tls.keyFile) }
    : undefined;
  const setHeaders = answerHeaders(!!tls);
  const refused: ClientErrorSink = {};
  const adapter = new FastifyAdapter({
    // No Nest middleware is used (the request log is a Fastify hook): @fastify/middie's pass
    // over every request cost ~7% of a cache hit's CPU time.
    skipMiddie: true,
    serverFactory: serverFactory(tls),
    bodyLimit: config.maxBodyBytes,
    genReqId: requestIdOf,
    // Answered by the request hook instead, in the contract's shape (app/http-hooks.ts).
    return503OnClosing: false,
    frameworkErrors: frameworkErrorHandler(setHeaders),
    clientErrorHandler: clientErrorHandler(refused),
  });
  const fastify = adapter.getInstance();
  // First: the server span must wrap every hook and route added below.
  options.tracing?.instrument(fastify);
  installJsonBodyParser(fastify);

  const logger = createRootLogger(config, options.logStream);
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(options, logger), adapter, {
    bufferLogs: true,
    // Nest's own buffer: with it off, useLogger below does not write what was held either.
    autoFlushLogs: !options.holdLogsUntilFlushed,
    // A wiring failure is thrown to main's start-up path (one JSON line), not printed by Nest.
    abortOnError: false,
    bodyParser: false,
  });
  app.useLogger(app.get(Logger));
  installRequestHooks(fastify, app.get(Admission), app.get(Readiness), setHeaders, app.get(InFlightRequests));
  const metrics = app.get(Metrics);
  installRequestLog(fastify, logger, metrics);
  refused.record = ({ requestId, status, code }) =>
    recordRequest(logger, metrics, { requestId, method: '-', route: 'unparsed', status, seconds: 0, code });
  installRegistryAuthRoute(fastify, app.get(RegistryCredentialsService));
  fastify.addHook('onClose', (_instance, done) => {
    logger.flush();
    if (!options.tracing) return done();
    void options.tracing.shutdown().then(() => done());
  });
  return app;
}

/** Whether callers must authenticate: API tokens or OIDC issuers are configured. */
export function authConfigured(config: AppOptions['config']): boolean {
  return config.apiTokens.length > 0 || config.oidcProviders.length > 0;
}

/** The address to bind: without authentication the service must not be reachable from elsewhere. */
export function listenHost(options: AppOptions): string {
  return authConfigured(options.config) ? options.config.host : '127.0.0.1';
}

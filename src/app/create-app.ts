import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { readFileSync } from 'node:fs';
import { Logger } from 'nestjs-pino';
import { BearerAuth } from '../api/bearer-auth';
import { EcrAuthError } from '../errors/ecr-auth.error';
import { requestIdOf } from '../logging/logger.options';
import { AppModule } from './app.module';
import type { AppOptions } from './app-options';

/** Routes that answer without a token: probes of the orchestrator. */
const OPEN_PATHS = new Set(['/health/live', '/health/ready']);

/**
 * Builds the application: Fastify with the body limit and timeouts, the bearer check in an
 * `onRequest` hook (before any body is read), then Nest. Not yet listening.
 */
export async function createApp(options: AppOptions): Promise<NestFastifyApplication> {
  const { config } = options;
  const adapter = new FastifyAdapter({
    bodyLimit: config.maxBodyBytes,
    genReqId: requestIdOf,
    requestTimeout: 30_000,
    connectionTimeout: 30_000,
    keepAliveTimeout: 65_000,
    return503OnClosing: true,
    ...(config.tls ? { https: { cert: readFileSync(config.tls.certFile), key: readFileSync(config.tls.keyFile) } } : {}),
  });
  const fastify = adapter.getInstance();
  const auth = new BearerAuth(config.apiTokens);
  // JSON only: anything else is refused with 415 before a parser touches it.
  fastify.removeContentTypeParser('text/plain');
  fastify.decorateRequest('apiToken', undefined);
  fastify.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
    if (!auth.enabled || OPEN_PATHS.has(request.url.split('?')[0])) return;
    const token = auth.authenticate(request.headers.authorization);
    if (!token) {
      reply.header('www-authenticate', 'Bearer');
      throw new EcrAuthError('UNAUTHENTICATED', 'Send a valid API token as Authorization: Bearer <token>.');
    }
    request.apiToken = token;
  });

  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(options), adapter, { bufferLogs: true, bodyParser: false });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  return app;
}

/** The address to bind: without API tokens the service must not be reachable from elsewhere. */
export function listenHost(options: AppOptions): string {
  return options.config.apiTokens.length === 0 ? '127.0.0.1' : options.config.host;
}

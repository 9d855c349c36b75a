import 'reflect-metadata';
import { Logger } from 'nestjs-pino';
import { authConfigured, createApp, listenHost } from './app/create-app';
import { exitOnSignals } from './app/shutdown';
import { loadConfig } from './config/load-config';
import { ProcessWarnings } from './logging/process-warnings';
import { startupLogger } from './logging/startup-log';
import { startTracing } from './tracing/tracing.bootstrap';

// First: Node's plain-text warning printer would write to stderr before any logger exists.
const warnings = ProcessWarnings.install();

async function bootstrap(): Promise<void> {
  const config = loadConfig();
  // Before the application is built: its Fastify instance gets the server spans first. The
  // SDK's own warnings (a failed export) are JSON lines on stderr.
  const tracing = startTracing(config.tracing, startupLogger());
  // Nest's lines ("successfully started" comes before the port is bound) wait for flushLogs.
  const app = await createApp({ config, tracing, holdLogsUntilFlushed: true });
  const logger = app.get(Logger);
  warnings.attach({ warn: (fields, msg) => logger.warn({ ...fields, msg }) });
  const host = listenHost({ config });
  exitOnSignals(app, config);

  await app.listen(config.port, host);
  app.flushLogs();
  if (!authConfigured(config)) {
    logger.warn(
      `no API token or OIDC provider configured (ECR_AUTH_API_TOKENS, ECR_AUTH_OIDC_PROVIDERS): every route is open, so the service binds ${host} only`,
    );
  }
  if (tracing) logger.log(`traces exported over ${tracing.description}`);
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  logger.log(
    `ecr-auth listening on ${host}:${port} (partition ${config.partition}, STS region ${config.region}${config.jumpRole ? `, jump role ${config.jumpRole.role.arn}` : ''})`,
  );
}

// Nest's held lines are never written on this path: this one line says why the start failed.
bootstrap().catch((e: unknown) => {
  const logger = startupLogger();
  warnings.attach({ warn: (fields, msg) => logger.warn(fields, msg) });
  logger.fatal(`could not start: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});

import 'reflect-metadata';
import { Logger } from 'nestjs-pino';
import { createApp, listenHost } from './app/create-app';
import { loadConfig } from './config/load-config';
import { ProcessWarnings } from './logging/process-warnings';
import { StartupGate } from './logging/startup-gate';
import { startupLogger } from './logging/startup-log';

// First: Node's plain-text warning printer would write to stderr before any logger exists.
const warnings = ProcessWarnings.install();
let gate: StartupGate | undefined;

/** Longest wait for in-flight requests at shutdown before giving up on them. */
const DRAIN_MS = 10_000;

async function bootstrap(): Promise<void> {
  const config = loadConfig();
  const app = await createApp({ config });
  const logger = app.get(Logger);
  warnings.attach({ warn: (fields, msg) => logger.warn({ ...fields, msg }) });
  const host = listenHost({ config });
  if (config.apiTokens.length === 0) {
    logger.warn(
      `no API token configured (ECR_AUTH_API_TOKENS): every route is open, so the service binds ${host} only`,
    );
  }

  // SIGTERM/SIGINT: readiness turns 503, the listener stops taking connections, in-flight
  // requests finish (bounded by DRAIN_MS), AWS clients and Redis close, then exit 0.
  let closing = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (closing) return;
    closing = true;
    logger.log(`${signal}: draining`);
    setTimeout(() => {
      logger.warn(`in-flight requests still running after ${DRAIN_MS} ms; exiting`);
      process.exit(1);
    }, DRAIN_MS).unref();
    app.close().then(
      () => process.exit(0),
      (e: unknown) => {
        process.stderr.write(`ecr-auth: shutdown failed: ${e instanceof Error ? e.message : String(e)}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);

  gate = new StartupGate(logger);
  app.useLogger(gate);
  await app.listen(config.port, host);
  gate.open();
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  logger.log(
    `ecr-auth listening on ${host}:${port} (partition ${config.partition}, STS region ${config.region}${config.jumpRole ? `, jump role ${config.jumpRole.role.arn}` : ''})`,
  );
}

bootstrap().catch((e: unknown) => {
  gate?.discard();
  const logger = startupLogger();
  warnings.attach({ warn: (fields, msg) => logger.warn(fields, msg) });
  logger.fatal(`could not start: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});

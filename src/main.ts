import 'reflect-metadata';
import { Logger } from 'nestjs-pino';
import { authConfigured, createApp, listenHost } from './app/create-app';
import { exitOnSignals } from './app/shutdown';
import { loadConfig } from './config/load-config';
import { ProcessWarnings } from './logging/process-warnings';
import { StartupGate } from './logging/startup-gate';
import { startupLogger } from './logging/startup-log';

// First: Node's plain-text warning printer would write to stderr before any logger exists.
const warnings = ProcessWarnings.install();
let gate: StartupGate | undefined;

async function bootstrap(): Promise<void> {
  const config = loadConfig();
  const app = await createApp({ config });
  const logger = app.get(Logger);
  warnings.attach({ warn: (fields, msg) => logger.warn({ ...fields, msg }) });
  const host = listenHost({ config });
  if (!authConfigured(config)) {
    logger.warn(
      `no API token or OIDC provider configured (ECR_AUTH_API_TOKENS, ECR_AUTH_OIDC_PROVIDERS): every route is open, so the service binds ${host} only`,
    );
  }

  exitOnSignals(app, config);

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

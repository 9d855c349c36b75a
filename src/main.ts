import 'reflect-metadata';
import { Logger } from 'nestjs-pino';
import { authConfigured, createApp, listenHost } from './app/create-app';
import { exitOnSignals } from './app/shutdown';
import { loadConfig } from './config/load-config';

async function bootstrap(): Promise<void> {
  const config = loadConfig();
  const app = await createApp({ config });
  const logger = app.get(Logger);
  const host = listenHost({ config });
  if (!authConfigured(config)) {
    logger.warn(
      `no API token or OIDC provider configured (ECR_AUTH_API_TOKENS, ECR_AUTH_OIDC_PROVIDERS): every route is open, so the service binds ${host} only`,
    );
  }

  exitOnSignals(app, config);

  await app.listen(config.port, host);
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  logger.log(
    `ecr-auth listening on ${host}:${port} (partition ${config.partition}, STS region ${config.region}${config.jumpRole ? `, jump role ${config.jumpRole.role.arn}` : ''})`,
  );
}

bootstrap().catch((e: unknown) => {
  process.stderr.write(`ecr-auth: could not start: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});

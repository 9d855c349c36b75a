import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { sleep } from '../../src/async/sleep';
import { AwsEmulator } from '../emulator/aws-emulator';
import { seedWorld, serviceProcessEnv, WORLD } from '../fixtures/aws-world';

/**
 * `npm run demo`: the AWS emulator with a sample jump role and customer role, and the built
 * service (dist/main.js) pointed at it through AWS_ENDPOINT_URL, as in production. Prints,
 * at any LOG_LEVEL, the API token as an `export TOKEN=…` line and a curl that mints a token.
 * Holds the terminal; Ctrl-C stops both.
 */
async function main(): Promise<void> {
  const emu = await AwsEmulator.start({ port: Number(process.env.DEMO_EMULATOR_PORT ?? 0) });
  seedWorld(emu);
  const port = process.env.PORT ?? '8080';
  const service = spawn(process.execPath, [join(__dirname, '..', '..', '..', 'dist', 'main.js')], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, ...serviceProcessEnv(emu.url), PORT: port },
  });
  const stop = async (code: number) => {
    service.kill('SIGTERM');
    await emu.close();
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));
  service.on('exit', (code) => void stop(code ?? 1));

  service.stdout.pipe(process.stdout);
  // Announced once the port answers, not on the "listening" log line: with LOG_LEVEL=warn
  // (or above) that line is never written.
  let exited = false;
  service.on('exit', () => (exited = true));
  while (!exited && !(await answers(`http://127.0.0.1:${port}/health/live`))) await sleep(100);
  if (exited) return;
  const body = JSON.stringify({
    registry: WORLD.customer.registry,
    roleArn: WORLD.customer.arn,
    externalId: WORLD.customer.externalId,
  });
  process.stdout.write(
    [
      '',
      `AWS emulator on ${emu.url}; ecr-auth on http://127.0.0.1:${port} (jump role ${WORLD.jump.arn}).`,
      'The demo holds this terminal (Ctrl-C stops it). In another terminal, mint a token for the',
      'sample customer registry:',
      '',
      `  export TOKEN='${WORLD.apiToken}'`,
      `  curl -s -X POST http://127.0.0.1:${port}/registry-auth \\`,
      `    -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \\`,
      `    -d '${body}'`,
      '',
    ].join('\n'),
  );
}

async function answers(url: string): Promise<boolean> {
  try {
    return (await fetch(url)).ok;
  } catch {
    return false;
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`demo failed: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});

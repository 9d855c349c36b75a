import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { sleep } from '../../src/async/sleep';
import { AwsEmulator } from '../emulator/aws-emulator';
import { seedWorld, serviceProcessEnv, WORLD } from '../fixtures/aws-world';
import { emulatorBanner } from './banner';
import { portFrom, portIsFree, portTakenLine } from './port-check';

/** Levels at which the service writes its "listening" line. */
const LISTENING_LOGGED = new Set(['trace', 'debug', 'info']);

/**
 * `npm run demo`: the AWS emulator seeded with a jump role and customer roles, and the built
 * service (dist/main.js) pointed at it through AWS_ENDPOINT_URL, as in production, on
 * HOST:PORT (127.0.0.1:8080). The port is checked first: taken, one line and exit 1, before
 * anything is announced. Once the service listens it prints an `export TOKEN=…` line, a curl
 * that mints a token, and what is needed to drive the emulator (emulatorBanner). Holds the
 * terminal; Ctrl-C stops both.
 */
async function main(): Promise<void> {
  const host = process.env.HOST || '127.0.0.1';
  const port = portFrom(process.env.PORT, 8080, 'PORT');
  if (!(await portIsFree(port, host))) {
    process.stderr.write(portTakenLine('demo', host, port, 'PORT'));
    process.exit(1);
  }
  const emu = await AwsEmulator.start({ port: portFrom(process.env.EMULATOR_PORT, 0, 'EMULATOR_PORT') });
  seedWorld(emu);
  const service = spawn(process.execPath, [join(__dirname, '..', '..', '..', 'dist', 'main.js')], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, ...serviceProcessEnv(emu.url), PORT: String(port), HOST: host },
  });
  let exited = false;
  let stopping = false;
  // Waits for the service to drain and exit: the demo never leaves it running alone.
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    if (!exited) {
      service.kill('SIGTERM');
      await once(service, 'exit');
    }
    await emu.close();
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));
  service.on('exit', (code) => {
    exited = true;
    void stop(code ?? 1);
  });

  // Announced on the service's own "listening" line, so a port taken meanwhile is never
  // announced; at a LOG_LEVEL that hides that line, once the port answers.
  const listening = new Promise<void>((resolve) => {
    createInterface({ input: service.stdout }).on('line', (line) => {
      process.stdout.write(line + '\n');
      if (line.includes('"msg":"ecr-auth listening on ')) resolve();
    });
  });
  if (LISTENING_LOGGED.has(process.env.LOG_LEVEL || 'info')) await listening;
  else while (!exited && !(await answers(`http://127.0.0.1:${port}/health/ready`))) await sleep(100);
  if (exited) return;
  const url = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`;
  const body = JSON.stringify({
    registry: WORLD.customer.registry,
    roleArn: WORLD.customer.arn,
    externalId: WORLD.customer.externalId,
  });
  process.stdout.write(
    [
      '',
      `ecr-auth demo: the service on ${url} (jump role ${WORLD.jump.arn}), against the AWS emulator.`,
      'It holds this terminal (Ctrl-C stops both). In another terminal, mint a token for the sample customer:',
      '',
      `  export TOKEN='${WORLD.apiToken}'`,
      `  curl -s -X POST ${url}/registry-auth \\`,
      `    -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \\`,
      `    -d '${body}'`,
      '',
      ...emulatorBanner(emu.url),
      'Your own configuration against the emulator: docs/emulator.md',
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

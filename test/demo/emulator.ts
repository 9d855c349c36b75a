import { AwsEmulator } from '../emulator/aws-emulator';
import { seedWorld } from '../fixtures/aws-world';
import { emulatorBanner } from './banner';
import { portFrom, portIsFree, portTakenLine } from './port-check';

/**
 * `npm run emulator`: the AWS emulator alone, seeded with the demo's world (the service
 * identity, the jump role, sample customers), on EMULATOR_HOST:EMULATOR_PORT (127.0.0.1:8090),
 * for running one's own configuration of the service against it (docs/emulator.md). Prints
 * its URL, keys and control routes; holds the terminal until Ctrl-C.
 */
async function main(): Promise<void> {
  const host = process.env.EMULATOR_HOST || '127.0.0.1';
  const port = portFrom(process.env.EMULATOR_PORT, 8090, 'EMULATOR_PORT');
  if (port !== 0 && !(await portIsFree(port, host))) {
    process.stderr.write(portTakenLine('emulator', host, port, 'EMULATOR_PORT'));
    process.exit(1);
  }
  const emu = await AwsEmulator.start({ port, host });
  seedWorld(emu);
  const stop = () => void emu.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  process.stdout.write([...emulatorBanner(emu.url), 'Ctrl-C stops it. More: docs/emulator.md', ''].join('\n'));
}

main().catch((e: unknown) => {
  process.stderr.write(`emulator failed: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});

import { AwsEmulator } from '../emulator/aws-emulator';
import { seedWorld } from '../fixtures/aws-world';
import { expectNoSecrets, Harness, issuedSecrets, startHarness } from './harness';

/**
 * For a describe block: one seeded emulator, and services started on it that are scanned
 * for secrets and closed after each test. `world.emu` is set once the block starts.
 */
export function perTestServices(): {
  world: { emu: AwsEmulator };
  start: (env?: Record<string, string | undefined>) => Promise<Harness>;
} {
  const world = {} as { emu: AwsEmulator };
  const started: Harness[] = [];
  beforeAll(async () => {
    world.emu = await AwsEmulator.start();
    seedWorld(world.emu);
  });
  afterEach(async () => {
    for (const h of started.splice(0)) {
      expectNoSecrets(h.logs, issuedSecrets(world.emu));
      await h.close();
    }
    world.emu.clearCalls();
  });
  afterAll(async () => world.emu.close());
  return {
    world,
    start: async (env = {}) => {
      const h = await startHarness({ emulator: world.emu, env });
      started.push(h);
      return h;
    },
  };
}

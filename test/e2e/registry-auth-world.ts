import { WORLD } from '../fixtures/aws-world';
import { expectNoSecrets, Harness, issuedSecrets, startHarness } from './harness';
import { startupChecksDone } from './startup-checks';

/**
 * For a describe block of POST /registry-auth: one service on its own emulator. Each test meets
 * AWS afresh (what earlier tests cached is evicted, faults and calls cleared), and at the end
 * the block's logs and bodies are scanned for secrets. `world.h` is set once the block starts.
 */
export function registryAuthService(): { readonly h: Harness } {
  const world = {} as { h: Harness };
  beforeAll(async () => {
    const h = (world.h = await startHarness());
    await startupChecksDone(h);
    h.emu.clearCalls();
  });
  afterEach(async () => {
    const { h } = world;
    h.emu.clearFaults();
    // Each test meets AWS afresh: evict what earlier tests cached.
    for (const roleArn of [WORLD.customer.arn, WORLD.noEcrCustomer.arn])
      await h.delete('/registry-auth/cache', { roleArn });
    for (const registry of [WORLD.staticUser.registry, 'public.ecr.aws'])
      await h.delete('/registry-auth/cache', { registry });
    h.emu.clearCalls();
  });
  afterAll(async () => {
    const { h } = world;
    expectNoSecrets(h.logs, issuedSecrets(h.emu));
    expectNoSecrets(h.bodies.filter((b) => !b.includes('"username":"AWS"')));
    await h.close();
  });
  return world;
}

import { join } from 'node:path';
import { run } from '../../src/cli/ecr-auth';
import type { AwsEmulator } from '../emulator/aws-emulator';
import { expectNoSecrets, Harness, issuedSecrets, startHarness } from './harness';
import { startupChecksDone } from './startup-checks';

/** An external ID for the open customer: its trust policy demands none, so any works. */
export const OPEN_EXTERNAL_ID = 'open-customer-ext-3e7d';
export const REPOSITORY = 'arn:aws:ecr:eu-west-1:222222222222:repository/team/app';
export const CLI = join(__dirname, '..', '..', 'dist', 'cli', 'ecr-auth.js');

export const verifyBody = (who: { registry: string; arn: string }, externalId: string) => ({
  registry: who.registry,
  roleArn: who.arn,
  externalId,
});
export const customerAssumes = (emu: AwsEmulator, roleArn: string) =>
  emu.callsOf('sts', 'AssumeRole').filter((c) => c.params.RoleArn === roleArn);

/** Runs the ecr-auth CLI in process; it must succeed. Answers what it printed. */
export function cli(...argv: string[]): string {
  let out = '';
  expect(run(argv, { stdout: (t) => (out += t), stderr: (t) => (out += t) })).toBe(0);
  return out;
}

/**
 * For a describe block: one service on its own emulator, faults and calls cleared after each
 * test; at the end its logs and answers are scanned for secrets (policy documents and mints
 * carry theirs by design). `world.h` is set once the block starts.
 */
export function onboardingService(): { readonly h: Harness } {
  const world = {} as { h: Harness };
  beforeAll(async () => {
    const h = (world.h = await startHarness());
    await startupChecksDone(h);
    h.emu.clearCalls();
  });
  afterEach(() => {
    const { h } = world;
    h.emu.clearFaults();
    h.emu.clearCalls();
  });
  afterAll(async () => {
    const { h } = world;
    try {
      expectNoSecrets(h.logs, [...issuedSecrets(h.emu), OPEN_EXTERNAL_ID]);
      // Policy documents carry the external ID they were asked for, and a mint its password,
      // by design; no other answer may carry a secret.
      expectNoSecrets(
        h.bodies.filter((b) => !b.includes('"customerTrustPolicy"') && !b.includes('"username":"AWS"')),
        [...issuedSecrets(h.emu), OPEN_EXTERNAL_ID],
      );
    } finally {
      await h.close();
    }
  });
  return world;
}

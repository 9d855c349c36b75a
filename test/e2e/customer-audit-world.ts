import { AwsEmulator } from '../emulator/aws-emulator';
import type { CallRecord } from '../emulator/emulator.types';
import { seedWorld, WORLD } from '../fixtures/aws-world';
import { customerBody, expectNoSecrets, Harness, issuedSecrets, startHarness } from './harness';
import { startupChecksDone } from './startup-checks';

/** A customer role whose trust also lets the jump role set a SourceIdentity and tag sessions. */
export const AUDITED = {
  arn: 'arn:aws:iam::222222222222:role/ecr-audited',
  externalId: 'audited-ext-id-4d2c',
};
export const NAMED_TOKEN = 'named-api-token-00112233445566';
export const audited = (extra: Record<string, unknown> = {}) =>
  customerBody({ roleArn: AUDITED.arn, externalId: AUDITED.externalId, ...extra });

export const assumes = (emu: AwsEmulator, roleArn: string): CallRecord[] =>
  emu.callsOf('sts', 'AssumeRole').filter((c) => c.params.RoleArn === roleArn);

/**
 * For a describe block: the world's emulator with the AUDITED role, and one service on it that
 * sets SourceIdentity from the caller and tags sessions (pipeline, team); each test starts with
 * nothing cached, and the block's output is scanned for secrets at the end. `mint` asks for
 * credentials with the named API token.
 */
export function auditedService() {
  const world = {} as { emu: AwsEmulator; h: Harness };
  beforeAll(async () => {
    const emu = (world.emu = await AwsEmulator.start());
    seedWorld(emu);
    emu.addRole({
      arn: AUDITED.arn,
      trust: [
        { principal: WORLD.jump.arn, externalId: AUDITED.externalId },
        { principal: WORLD.jump.arn, actions: ['sts:SetSourceIdentity', 'sts:TagSession'] },
      ],
    });
    world.h = await startHarness({
      emulator: emu,
      env: {
        ECR_AUTH_API_TOKENS: `ci-nightly ${NAMED_TOKEN},${WORLD.apiToken}`,
        ECR_AUTH_SOURCE_IDENTITY: 'caller',
        ECR_AUTH_SESSION_TAG_KEYS: 'pipeline,team',
      },
    });
    await startupChecksDone(world.h);
    emu.clearCalls();
  });
  afterEach(async () => {
    const { emu, h } = world;
    for (const roleArn of [AUDITED.arn, WORLD.customer.arn]) await h.delete('/registry-auth/cache', { roleArn });
    emu.clearCalls();
  });
  afterAll(async () => {
    const { emu, h } = world;
    expectNoSecrets(h.logs, issuedSecrets(emu));
    expectNoSecrets(h.bodies.filter((b) => !b.includes('"username":"AWS"')));
    await h.close();
    await emu.close();
  });
  return {
    world,
    mint: (body: Record<string, unknown>, token = NAMED_TOKEN) => world.h.post('/registry-auth', body, { token }),
  };
}

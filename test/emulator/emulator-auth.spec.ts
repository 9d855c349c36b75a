import { GetAuthorizationTokenCommand } from '@aws-sdk/client-ecr';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { AwsEmulator } from './aws-emulator';
import {
  assume,
  customerSession,
  destroyClients,
  ecr,
  OPEN_ROLE,
  rejection,
  SERVICE_USER,
  standardWorld,
  sts,
} from './sdk-clients.fixture';

describe('AwsEmulator: SigV4 and credential checks', () => {
  let emu: AwsEmulator;
  let now = Date.UTC(2030, 5, 1);
  beforeEach(async () => {
    now = Date.UTC(2030, 5, 1);
    emu = await AwsEmulator.start({ clock: () => now });
    standardWorld(emu);
  });
  afterEach(async () => {
    destroyClients();
    await emu.close();
  });

  const stsCall = (creds: Parameters<typeof sts>[1], region?: string) =>
    sts(emu, creds, { region }).send(new GetCallerIdentityCommand({}));
  const ecrCall = (creds: Parameters<typeof ecr>[1], region?: string) =>
    ecr(emu, creds, { region }).send(new GetAuthorizationTokenCommand({}));

  it('refuses a wrong secret: STS SignatureDoesNotMatch 403, ECR InvalidSignatureException 400', async () => {
    const wrong = { ...SERVICE_USER, secretAccessKey: 'not-the-secret' };
    const s = await rejection(stsCall(wrong));
    expect([s.name, s.$metadata?.httpStatusCode]).toEqual(['SignatureDoesNotMatch', 403]);
    const e = await rejection(ecrCall(wrong));
    expect([e.name, e.$metadata?.httpStatusCode]).toEqual(['InvalidSignatureException', 400]);
    expect(emu.calls.map((c) => c.errorCode)).toEqual(['SignatureDoesNotMatch', 'InvalidSignatureException']);
    expect(emu.calls[0].callerArn).toBeUndefined();
  });

  it('refuses an unknown key: STS InvalidClientTokenId 403, ECR UnrecognizedClientException 400', async () => {
    const unknown = { accessKeyId: 'AKIAUNKNOWNKEY000000', secretAccessKey: 'x'.repeat(40) };
    const s = await rejection(stsCall(unknown));
    expect([s.name, s.$metadata?.httpStatusCode, s.message]).toEqual([
      'InvalidClientTokenId',
      403,
      'The security token included in the request is invalid.',
    ]);
    const e = await rejection(ecrCall(unknown));
    expect([e.name, e.$metadata?.httpStatusCode]).toEqual(['UnrecognizedClientException', 400]);
  });

  it('refuses session credentials without (or with another) session token', async () => {
    const creds = await assume(emu, SERVICE_USER, { RoleArn: OPEN_ROLE });
    expect((await rejection(stsCall({ ...creds, sessionToken: undefined }))).name).toBe('InvalidClientTokenId');
    expect((await rejection(stsCall({ ...creds, sessionToken: `${creds.sessionToken}x` }))).name).toBe(
      'InvalidClientTokenId',
    );
    await expect(stsCall(creds)).resolves.toHaveProperty('Account', '333333333333');
  });

  it('expires sessions on the emulator clock: STS ExpiredToken, ECR ExpiredTokenException', async () => {
    const creds = await customerSession(emu, { DurationSeconds: 900 });
    now += 899_000;
    await expect(stsCall(creds)).resolves.toBeDefined();
    emu.advanceClock(1000);
    const s = await rejection(stsCall(creds));
    expect([s.name, s.$metadata?.httpStatusCode, s.message]).toEqual([
      'ExpiredToken',
      400,
      'The security token included in the request is expired',
    ]);
    const e = await rejection(ecrCall(creds));
    expect([e.name, e.$metadata?.httpStatusCode]).toEqual(['ExpiredTokenException', 400]);
  });

  it('refuses credentials used in another partition', async () => {
    const err = await rejection(stsCall(SERVICE_USER, 'cn-north-1'));
    expect(err.name).toBe('InvalidClientTokenId');
  });

  it('verifies requests signed in any region and reports that region', async () => {
    await stsCall(SERVICE_USER, 'eu-central-1');
    await ecrCall(SERVICE_USER, 'ap-southeast-2');
    expect(emu.calls.map((c) => [c.service, c.region, c.status])).toEqual([
      ['sts', 'eu-central-1', 200],
      ['ecr', 'ap-southeast-2', 200],
    ]);
  });

  it('optionally refuses clock skew, and the SDK corrects itself from the Date header', async () => {
    const skewed = await AwsEmulator.start({ clock: () => Date.now() + 3_600_000, maxClockSkewSeconds: 900 });
    try {
      standardWorld(skewed);
      const client = sts(skewed, SERVICE_USER);
      const err = await rejection(client.send(new GetCallerIdentityCommand({})));
      expect(err.name).toBe('SignatureDoesNotMatch');
      expect(err.message).toMatch(/^Signature expired: \d{8}T\d{6}Z is now earlier than/);
      await expect(client.send(new GetCallerIdentityCommand({}))).resolves.toHaveProperty('Arn', SERVICE_USER.arn);
    } finally {
      await skewed.close();
    }
  });
});

import { GetAuthorizationTokenCommand } from '@aws-sdk/client-ecr';
import { GetAuthorizationTokenCommand as GetPublicTokenCommand } from '@aws-sdk/client-ecr-public';
import { AssumeRoleCommand, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { AwsEmulator } from './aws-emulator';
import {
  assume,
  CUSTOMER_ROLE,
  customerSession,
  destroyClients,
  ecr,
  ecrPublic,
  ecrToken,
  EXTERNAL_ID,
  JUMP_ROLE,
  OPEN_ROLE,
  rejection,
  SERVICE_USER,
  standardWorld,
  sts,
} from './sdk-clients.fixture';

const T0 = Date.UTC(2030, 0, 2, 3, 4, 5);

describe('AwsEmulator: role chain, trust and tokens', () => {
  let emu: AwsEmulator;
  beforeAll(async () => {
    emu = await AwsEmulator.start({ clock: () => T0 });
    standardWorld(emu);
  });
  afterEach(() => {
    emu.clearCalls();
    emu.clearFaults();
  });
  afterAll(async () => {
    destroyClients();
    await emu.close();
  });

  it('answers GetCallerIdentity for the service user', async () => {
    const id = await sts(emu, SERVICE_USER).send(new GetCallerIdentityCommand({}));
    expect(id.Arn).toBe(SERVICE_USER.arn);
    expect(id.Account).toBe('111111111111');
    expect(id.UserId).toMatch(/^AIDA[A-Z2-7]{17}$/);
  });

  it('chains user → jump role → customer role (external ID) → ECR token AWS:<secret>', async () => {
    const jump = await sts(emu, SERVICE_USER).send(
      new AssumeRoleCommand({ RoleArn: JUMP_ROLE, RoleSessionName: 'jump' }),
    );
    expect(jump.Credentials!.AccessKeyId).toMatch(/^ASIA[A-Z0-9]{16}$/);
    expect(jump.Credentials!.SecretAccessKey).toHaveLength(40);
    expect(jump.Credentials!.SessionToken!.length).toBeGreaterThan(400);
    expect(jump.Credentials!.Expiration!.getTime()).toBe(T0 + 3600_000);
    expect(jump.AssumedRoleUser!.Arn).toBe('arn:aws:sts::111111111111:assumed-role/ecr-auth-jump/jump');

    const jumpCreds = {
      accessKeyId: jump.Credentials!.AccessKeyId!,
      secretAccessKey: jump.Credentials!.SecretAccessKey!,
      sessionToken: jump.Credentials!.SessionToken!,
    };
    const customer = await assume(emu, jumpCreds, {
      RoleArn: CUSTOMER_ROLE,
      ExternalId: EXTERNAL_ID,
      RoleSessionName: 'tenant-42',
    });
    const who = await sts(emu, customer).send(new GetCallerIdentityCommand({}));
    expect(who.Arn).toBe('arn:aws:sts::222222222222:assumed-role/ecr-pull/tenant-42');
    expect(who.UserId).toMatch(/^AROA[A-Z2-7]{17}:tenant-42$/);

    const token = await ecrToken(emu, customer, 'eu-west-1');
    expect(token.decoded).toMatch(/^AWS:[A-Za-z0-9+/=]{1000,}$/);
    expect(emu.issuedEcrSecrets()).toEqual([token.decoded.slice(4)]);
    expect(token.proxyEndpoint).toBe('https://222222222222.dkr.ecr.eu-west-1.amazonaws.com');
    expect(token.expiresAt!.getTime()).toBe(T0 + 43200_000);

    const sessions = emu.issuedSessions().filter((s) => s.roleArn === CUSTOMER_ROLE);
    expect(sessions.at(-1)).toMatchObject({
      chained: true,
      externalId: EXTERNAL_ID,
      sessionName: 'tenant-42',
      account: '222222222222',
      sourceArn: 'arn:aws:sts::111111111111:assumed-role/ecr-auth-jump/jump',
    });
  });

  it.each([
    ['a wrong external ID', { ExternalId: 'tenant-43' }],
    ['no external ID', { ExternalId: undefined }],
  ])('refuses the customer role with %s (AccessDenied 403)', async (_label, extra) => {
    const jump = await assume(emu, SERVICE_USER, { RoleArn: JUMP_ROLE });
    const err = await rejection(
      sts(emu, jump).send(new AssumeRoleCommand({ RoleArn: CUSTOMER_ROLE, RoleSessionName: 's1', ...extra })),
    );
    expect(err.name).toBe('AccessDenied');
    expect(err.$metadata?.httpStatusCode).toBe(403);
    expect(err.message).toBe(
      `User: arn:aws:sts::111111111111:assumed-role/ecr-auth-jump/emulator-spec is not authorized to perform: sts:AssumeRole on resource: ${CUSTOMER_ROLE}`,
    );
  });

  it('lets an open trust policy accept a call without (or with any) external ID', async () => {
    await expect(assume(emu, SERVICE_USER, { RoleArn: OPEN_ROLE })).resolves.toHaveProperty('accessKeyId');
    await expect(assume(emu, SERVICE_USER, { RoleArn: OPEN_ROLE, ExternalId: 'anything' })).resolves.toHaveProperty(
      'accessKeyId',
    );
  });

  it('refuses unknown roles and roles of another partition as AccessDenied', async () => {
    emu.addRole({ arn: 'arn:aws-cn:iam::222222222222:role/ecr-pull', trust: [{ principal: '*' }] });
    for (const RoleArn of ['arn:aws:iam::222222222222:role/nope', 'arn:aws-cn:iam::222222222222:role/ecr-pull']) {
      const err = await rejection(assume(emu, SERVICE_USER, { RoleArn }));
      expect([err.name, err.$metadata?.httpStatusCode]).toEqual(['AccessDenied', 403]);
    }
  });

  it('caps role chaining at 3600 s with STS message, and honours the role maximum', async () => {
    const jump = await assume(emu, SERVICE_USER, { RoleArn: JUMP_ROLE, DurationSeconds: 7200 });
    const chained = await rejection(
      assume(emu, jump, { RoleArn: CUSTOMER_ROLE, ExternalId: EXTERNAL_ID, DurationSeconds: 3601 }),
    );
    expect([chained.name, chained.$metadata?.httpStatusCode]).toEqual(['ValidationError', 400]);
    expect(chained.message).toBe(
      'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.',
    );
    await expect(
      assume(emu, jump, { RoleArn: CUSTOMER_ROLE, ExternalId: EXTERNAL_ID, DurationSeconds: 3600 }),
    ).resolves.toBeDefined();
    const overMax = await rejection(assume(emu, SERVICE_USER, { RoleArn: OPEN_ROLE, DurationSeconds: 7200 }));
    expect(overMax.message).toBe('The requested DurationSeconds exceeds the MaxSessionDuration set for this role.');
  });

  it.each([
    [
      { RoleSessionName: 'bad name!' },
      "1 validation error detected: Value 'bad name!' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*",
    ],
    [
      { RoleSessionName: 'x' },
      "1 validation error detected: Value 'x' at 'roleSessionName' failed to satisfy constraint: Member must have length greater than or equal to 2",
    ],
    [
      { ExternalId: 'ext id' },
      "1 validation error detected: Value 'ext id' at 'externalId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@:\\/-]*",
    ],
    [
      { DurationSeconds: 899 },
      "1 validation error detected: Value '899' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900",
    ],
    [{ DurationSeconds: 43201, RoleSessionName: 'a' }, '2 validation errors detected: '],
    [
      { Policy: `{"Statement":[],"Pad":"${'x'.repeat(2048)}"}` },
      "at 'policy' failed to satisfy constraint: Member must have length less than or equal to 2048",
    ],
  ])('validates AssumeRole like STS (%#)', async (input, message) => {
    const err = await rejection(assume(emu, SERVICE_USER, { RoleArn: OPEN_ROLE, ...input }));
    expect([err.name, err.$metadata?.httpStatusCode]).toEqual(['ValidationError', 400]);
    expect(err.message).toContain(message);
  });

  it('refuses a session policy that is not JSON (wire code MalformedPolicyDocument)', async () => {
    const err = await rejection(assume(emu, SERVICE_USER, { RoleArn: OPEN_ROLE, Policy: '{not json' }));
    // The SDK maps STS's wire code MalformedPolicyDocument to its modelled exception name.
    expect([err.name, err.$metadata?.httpStatusCode]).toEqual(['MalformedPolicyDocumentException', 400]);
    expect(emu.callsOf('sts').at(-1)!.errorCode).toBe('MalformedPolicyDocument');
  });

  it('enforces session policies on ecr:GetAuthorizationToken', async () => {
    const noEcr = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: ['ecr:BatchGetImage'], Resource: '*' }],
    });
    const creds = await customerSession(emu, { Policy: noEcr });
    const err = await rejection(ecr(emu, creds, { region: 'eu-west-1' }).send(new GetAuthorizationTokenCommand({})));
    expect([err.name, err.$metadata?.httpStatusCode]).toEqual(['AccessDeniedException', 400]);
    expect(err.message).toContain('is not authorized to perform: ecr:GetAuthorizationToken');

    const wildcard = JSON.stringify({ Statement: { Effect: 'Allow', Action: 'ecr:*', Resource: '*' } });
    await expect(ecrToken(emu, await customerSession(emu, { Policy: wildcard }))).resolves.toHaveProperty('decoded');
  });

  it('denies ECR to a role without the permission', async () => {
    emu.addRole({ arn: 'arn:aws:iam::111111111111:role/no-ecr', trust: [{ principal: SERVICE_USER.arn }], ecr: false });
    const creds = await assume(emu, SERVICE_USER, { RoleArn: 'arn:aws:iam::111111111111:role/no-ecr' });
    const err = await rejection(ecrToken(emu, creds));
    expect(err.name).toBe('AccessDeniedException');
  });

  it('answers ECR Public in us-east-1 with one authorizationData object', async () => {
    const creds = await customerSession(emu);
    const out = await ecrPublic(emu, creds, { region: 'us-east-1' }).send(new GetPublicTokenCommand({}));
    expect(Array.isArray(out.authorizationData)).toBe(false);
    const decoded = Buffer.from(out.authorizationData!.authorizationToken!, 'base64').toString();
    expect(emu.issuedEcrSecrets()).toContain(decoded.slice(4));
    expect(out.authorizationData!.expiresAt!.getTime()).toBe(T0 + 43200_000);
    expect(emu.callsOf('ecr-public', 'GetAuthorizationToken')[0]).toMatchObject({ region: 'us-east-1', status: 200 });
  });

  it('refuses ECR Public outside us-east-1 and without sts:GetServiceBearerToken', async () => {
    const creds = await customerSession(emu);
    const region = await rejection(ecrPublic(emu, creds, { region: 'eu-west-1' }).send(new GetPublicTokenCommand({})));
    expect(region.name).toBe('UnsupportedCommandException');
    const policy = JSON.stringify({
      Statement: [{ Effect: 'Allow', Action: 'ecr-public:GetAuthorizationToken', Resource: '*' }],
    });
    const limited = await customerSession(emu, { Policy: policy });
    const denied = await rejection(ecrPublic(emu, limited).send(new GetPublicTokenCommand({})));
    expect(denied.name).toBe('AccessDeniedException');
    expect(denied.message).toContain('sts:GetServiceBearerToken');
  });

  it('answers RegionDisabledException (403) in a disabled region', async () => {
    emu.disableRegion('ap-east-1');
    try {
      const err = await rejection(
        sts(emu, SERVICE_USER, { region: 'ap-east-1' }).send(new GetCallerIdentityCommand({})),
      );
      expect([err.name, err.$metadata?.httpStatusCode]).toEqual(['RegionDisabledException', 403]);
      expect(err.message).toContain('STS is not activated in this region for account:111111111111');
    } finally {
      emu.enableRegion('ap-east-1');
    }
  });

  it('logs every call with its region, params, caller and outcome', async () => {
    await customerSession(emu, { RoleSessionName: 'logged' });
    await rejection(assume(emu, SERVICE_USER, { RoleArn: CUSTOMER_ROLE, RoleSessionName: 'nope' }));
    const calls = emu.callsOf('sts', 'AssumeRole');
    expect(calls).toHaveLength(3);
    expect(calls[1]).toMatchObject({
      region: 'us-east-1',
      status: 200,
      at: T0,
      callerArn: 'arn:aws:sts::111111111111:assumed-role/ecr-auth-jump/emulator-spec',
    });
    expect(calls[1].params).toMatchObject({
      Action: 'AssumeRole',
      RoleArn: CUSTOMER_ROLE,
      ExternalId: EXTERNAL_ID,
      RoleSessionName: 'logged',
    });
    expect(calls[2]).toMatchObject({
      status: 403,
      errorCode: 'AccessDenied',
      accessKeyId: SERVICE_USER.accessKeyId,
      callerArn: SERVICE_USER.arn,
    });
  });
});

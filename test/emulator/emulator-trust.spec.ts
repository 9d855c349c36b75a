import { AwsEmulator } from './aws-emulator';
import {
  CUSTOMER_ROLE,
  EXTERNAL_ID,
  JUMP_ROLE,
  SERVICE_USER,
  assume,
  destroyClients,
  rejection,
  standardWorld,
} from './sdk-clients.fixture';

/** AssumeRole's trust rules for SourceIdentity and session tags, through the real SDK. */
describe('AwsEmulator: sts:SetSourceIdentity and sts:TagSession', () => {
  let emu: AwsEmulator;
  beforeEach(async () => {
    emu = await AwsEmulator.start();
    standardWorld(emu);
  });
  afterEach(async () => {
    destroyClients();
    await emu.close();
  });

  /** The customer role trusting the jump role for AssumeRole (external ID) and, separately, `actions`. */
  const trustCustomer = (actions: string[]) =>
    emu.addRole({
      arn: CUSTOMER_ROLE,
      trust: [
        { principal: JUMP_ROLE, externalId: EXTERNAL_ID },
        ...(actions.length ? [{ principal: JUMP_ROLE, actions }] : []),
      ],
    });
  const jump = () => assume(emu, SERVICE_USER, { RoleArn: JUMP_ROLE });
  const customer = async (extra: Record<string, unknown>) =>
    assume(emu, await jump(), { RoleArn: CUSTOMER_ROLE, ExternalId: EXTERNAL_ID, ...extra });
  const lastAssume = () => emu.callsOf('sts', 'AssumeRole').at(-1)!;

  it('records what each hop carried, and the session keeps it', async () => {
    trustCustomer(['sts:SetSourceIdentity', 'sts:TagSession']);
    await customer({
      SourceIdentity: 'ci-nightly',
      Tags: [
        { Key: 'pipeline', Value: 'nightly' },
        { Key: 'team', Value: '' },
      ],
    });
    const [jumpCall, customerCall] = emu.callsOf('sts', 'AssumeRole');
    expect(jumpCall).not.toHaveProperty('sourceIdentity');
    expect(jumpCall).not.toHaveProperty('tags');
    expect(customerCall).toMatchObject({
      status: 200,
      sourceIdentity: 'ci-nightly',
      tags: [
        { key: 'pipeline', value: 'nightly' },
        { key: 'team', value: '' },
      ],
    });
    expect(emu.issuedSessions().at(-1)).toMatchObject({ sourceIdentity: 'ci-nightly', tags: customerCall.tags });
  });

  it.each([
    ['SourceIdentity', { SourceIdentity: 'ci-nightly' }, 'sts:SetSourceIdentity'],
    ['Tags', { Tags: [{ Key: 'pipeline', Value: 'nightly' }] }, 'sts:TagSession'],
  ])('%s without the trust statement allowing it: 403 AccessDenied naming the action', async (_what, extra, action) => {
    trustCustomer([]);
    const e = await rejection(customer(extra));
    expect([e.name, e.$metadata?.httpStatusCode]).toEqual(['AccessDenied', 403]);
    expect(e.message).toMatch(
      new RegExp(
        `^User: arn:aws:sts::111111111111:assumed-role/ecr-auth-jump/emulator-spec is not authorized to perform: ${action} on resource: ${CUSTOMER_ROLE}$`,
      ),
    );
  });

  it('allows sts:SetSourceIdentity but not sts:TagSession when only the first is granted', async () => {
    trustCustomer(['sts:SetSourceIdentity']);
    await customer({ SourceIdentity: 'ci-nightly' });
    expect((await rejection(customer({ Tags: [{ Key: 'k', Value: 'v' }] }))).message).toContain('sts:TagSession');
  });

  it('sts:* in a statement allows both', async () => {
    trustCustomer(['sts:*']);
    await customer({ SourceIdentity: 'ci-nightly', Tags: [{ Key: 'k', Value: 'v' }] });
    expect(lastAssume().status).toBe(200);
  });

  it('the external-ID condition of a statement holds for its extra actions too', async () => {
    emu.addRole({
      arn: CUSTOMER_ROLE,
      trust: [
        { principal: JUMP_ROLE, externalId: 'another-one', actions: ['sts:AssumeRole', 'sts:SetSourceIdentity'] },
        { principal: JUMP_ROLE, externalId: EXTERNAL_ID },
      ],
    });
    expect((await rejection(customer({ SourceIdentity: 'ci' }))).message).toContain('sts:SetSourceIdentity');
  });

  describe('a SourceIdentity set earlier in the chain', () => {
    beforeEach(() => {
      emu.addRole({
        arn: JUMP_ROLE,
        trust: [{ principal: SERVICE_USER.arn, actions: ['sts:AssumeRole', 'sts:SetSourceIdentity'] }],
      });
    });
    const jumpWith = () => assume(emu, SERVICE_USER, { RoleArn: JUMP_ROLE, SourceIdentity: 'first' });

    it('is carried to the next session, which needs sts:SetSourceIdentity to pass it on', async () => {
      trustCustomer([]);
      const j = await jumpWith();
      const e = await rejection(assume(emu, j, { RoleArn: CUSTOMER_ROLE, ExternalId: EXTERNAL_ID }));
      expect(e.message).toContain('sts:SetSourceIdentity');
      trustCustomer(['sts:SetSourceIdentity']);
      await assume(emu, j, { RoleArn: CUSTOMER_ROLE, ExternalId: EXTERNAL_ID });
      expect(emu.issuedSessions().at(-1)!.sourceIdentity).toBe('first');
    });

    it('may be repeated but not changed: a different one is AccessDenied', async () => {
      trustCustomer(['sts:SetSourceIdentity']);
      const j = await jumpWith();
      await assume(emu, j, { RoleArn: CUSTOMER_ROLE, ExternalId: EXTERNAL_ID, SourceIdentity: 'first' });
      const e = await rejection(
        assume(emu, j, { RoleArn: CUSTOMER_ROLE, ExternalId: EXTERNAL_ID, SourceIdentity: 'second' }),
      );
      expect([e.name, e.$metadata?.httpStatusCode]).toEqual(['AccessDenied', 403]);
      expect(e.message).toContain('sts:SetSourceIdentity');
      expect(e.message).toContain('cannot be changed');
    });
  });

  describe('syntax, as STS checks it', () => {
    beforeEach(() => trustCustomer(['sts:SetSourceIdentity', 'sts:TagSession']));

    it.each([
      [
        'a one-character SourceIdentity',
        { SourceIdentity: 'x' },
        "at 'sourceIdentity' failed to satisfy constraint: Member must have length greater than or equal to 2",
      ],
      [
        'a 65-character SourceIdentity',
        { SourceIdentity: 'x'.repeat(65) },
        'Member must have length less than or equal to 64',
      ],
      [
        'a SourceIdentity with a colon',
        { SourceIdentity: 'aws:me' },
        'Member must satisfy regular expression pattern: [\\w+=,.@-]*',
      ],
      [
        'a tag key with a #',
        { Tags: [{ Key: 'a#b', Value: 'v' }] },
        "at 'tags.1.member.key' failed to satisfy constraint: Member must satisfy regular expression pattern",
      ],
      [
        'a 129-character tag key',
        { Tags: [{ Key: 'k'.repeat(129), Value: 'v' }] },
        'Member must have length less than or equal to 128',
      ],
      [
        'a 257-character tag value',
        { Tags: [{ Key: 'k', Value: 'v'.repeat(257) }] },
        "at 'tags.1.member.value' failed to satisfy constraint: Member must have length less than or equal to 256",
      ],
      [
        '51 tags',
        { Tags: Array.from({ length: 51 }, (_, i) => ({ Key: `k${i}`, Value: 'v' })) },
        "at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50",
      ],
      ['an aws: tag key', { Tags: [{ Key: 'aws:team', Value: 'v' }] }, "Tag keys starting with 'aws:' are reserved"],
    ])('refuses %s: 400 ValidationError', async (_why, extra, text) => {
      const e = await rejection(customer(extra));
      expect([e.name, e.$metadata?.httpStatusCode]).toEqual(['ValidationError', 400]);
      expect(e.message).toContain(text);
    });

    it('refuses tag keys that differ only by case: InvalidParameterValue', async () => {
      const e = await rejection(
        customer({
          Tags: [
            { Key: 'Team', Value: 'a' },
            { Key: 'team', Value: 'b' },
          ],
        }),
      );
      expect([e.name, e.message]).toEqual([
        'InvalidParameterValue',
        'Duplicate tag keys found. Please note that Tag keys are case insensitive.',
      ]);
    });

    it('accepts 50 tags, Unicode letters and spaces', async () => {
      await customer({
        Tags: Array.from({ length: 50 }, (_, i) => ({ Key: `clé ${i}`, Value: 'équipe a/b:c=d+e-f@g' })),
      });
      expect(lastAssume().tags).toHaveLength(50);
    });
  });
});

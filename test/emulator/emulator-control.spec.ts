import { AwsEmulator } from './aws-emulator';
import {
  JUMP_ROLE,
  SERVICE_USER,
  assume,
  destroyClients,
  ecrToken,
  rejection,
  standardWorld,
} from './sdk-clients.fixture';

const ROLE = 'arn:aws:iam::777777777777:role/my-pull';

/** The control routes over HTTP, as a newcomer's curl drives them; the seeded role through the real SDK. */
describe('AwsEmulator: control routes', () => {
  let emu: AwsEmulator;
  beforeEach(async () => {
    emu = await AwsEmulator.start();
    standardWorld(emu);
  });
  afterEach(async () => {
    destroyClients();
    await emu.close();
  });

  const control = async (method: string, path: string, body?: string) => {
    const res = await fetch(`${emu.url}/_emulator/${path}`, { method, body });
    const text = await res.text();
    return { status: res.status, json: text ? (JSON.parse(text) as unknown) : undefined };
  };

  it('seeds a role whose trust allows SetSourceIdentity under an external ID, and records the calls to it', async () => {
    const seeded = await control(
      'POST',
      'roles',
      JSON.stringify({
        arn: ROLE,
        trust: [{ principal: JUMP_ROLE, externalId: 'my-ext', actions: ['sts:AssumeRole', 'sts:SetSourceIdentity'] }],
      }),
    );
    expect(seeded).toEqual({ status: 201, json: { arn: ROLE } });
    const jump = await assume(emu, SERVICE_USER, { RoleArn: JUMP_ROLE });
    const session = await assume(emu, jump, { RoleArn: ROLE, ExternalId: 'my-ext', SourceIdentity: 'alice' });
    expect((await ecrToken(emu, session)).decoded).toMatch(/^AWS:/);
    const wrong = await rejection(assume(emu, jump, { RoleArn: ROLE, ExternalId: 'not-it' }));
    expect(wrong.name).toBe('AccessDenied');

    const calls = await control('GET', 'calls?service=sts&action=AssumeRole');
    expect(calls.status).toBe(200);
    expect(calls.json).toEqual([
      expect.objectContaining({ params: expect.objectContaining({ RoleArn: JUMP_ROLE }), status: 200 }),
      expect.objectContaining({
        params: expect.objectContaining({ RoleArn: ROLE }),
        sourceIdentity: 'alice',
        status: 200,
      }),
      expect.objectContaining({ params: expect.objectContaining({ RoleArn: ROLE }), errorCode: 'AccessDenied' }),
    ]);
    // The control calls themselves are not in the record.
    expect(emu.calls.map((c) => c.action)).toEqual(['AssumeRole', 'AssumeRole', 'GetAuthorizationToken', 'AssumeRole']);

    expect(await control('DELETE', 'calls')).toEqual({ status: 204, json: undefined });
    expect(await control('GET', 'calls')).toEqual({ status: 200, json: [] });
  });

  it('seeds a user whose keys then sign calls', async () => {
    const user = {
      arn: 'arn:aws:iam::888888888888:user/me',
      accessKeyId: 'AKIAME00000000000001',
      secretAccessKey: 's'.repeat(40),
    };
    expect(await control('POST', 'users', JSON.stringify(user))).toEqual({
      status: 201,
      json: { arn: user.arn, accessKeyId: user.accessKeyId },
    });
    expect((await ecrToken(emu, user)).decoded).toMatch(/^AWS:/);
  });

  it.each([
    ['a body that is not JSON', 'POST', 'roles', '{', 400, /not JSON/],
    ['a role without trust', 'POST', 'roles', JSON.stringify({ arn: ROLE }), 400, /"trust"/],
    [
      'a malformed role ARN',
      'POST',
      'roles',
      JSON.stringify({ arn: 'nope', trust: [{ principal: '*' }] }),
      400,
      /not an IAM role ARN/,
    ],
    [
      'actions that are not strings',
      'POST',
      'roles',
      JSON.stringify({ arn: ROLE, trust: [{ principal: '*', actions: [1] }] }),
      400,
      /"actions"/,
    ],
    [
      'a user without its secret',
      'POST',
      'users',
      JSON.stringify({ arn: 'arn:aws:iam::1:user/x', accessKeyId: 'A' }),
      400,
      /secretAccessKey/,
    ],
    ['an unknown route', 'GET', 'roles', undefined, 404, /no control route GET \/_emulator\/roles/],
  ])('refuses %s in one JSON line', async (_why, method, path, body, status, message) => {
    const res = await control(method, path, body);
    expect(res.status).toBe(status);
    expect(res.json).toEqual({ error: expect.stringMatching(message) });
    expect(emu.calls).toEqual([]);
  });
});

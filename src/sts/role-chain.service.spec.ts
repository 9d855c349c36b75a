import type { AssumeRoleRequest, AwsApis, SessionCredentials, StsCaller } from '../aws/aws.ports';
import { Deadline } from '../aws/deadline';
import { Upstream } from '../aws/upstream';
import { parseConfig } from '../config/parse-config';
import { parseRegistryHost } from '../registry/registry-host';
import { parseRoleArn } from '../registry/role-arn';
import type { CustomerTarget } from './role-chain';
import { RoleChainService } from './role-chain.service';
import { deferred } from '../../test/fixtures/deferred';

const T0 = Date.UTC(2030, 0, 1);
const HOUR = 3600_000;
const JUMP = 'arn:aws:iam::111111111111:role/ecr-auth-jump';
const ROLE = 'arn:aws:iam::222222222222:role/ecr-pull';

function target(roleArn = ROLE, region = 'eu-west-1'): CustomerTarget {
  const role = parseRoleArn(roleArn);
  if (!role) throw new Error(`not a role ARN: ${roleArn}`);
  return {
    role,
    externalId: 'ext-id-aaaa',
    host: parseRegistryHost(`${role.account}.dkr.ecr.${region}.amazonaws.com`),
  };
}

/** An AWS error as the SDK throws it. */
function awsError(name: string, status: number): Error {
  return Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status } });
}

type Answer = (request: AssumeRoleRequest, caller: StsCaller) => Promise<SessionCredentials>;

/**
 * The chain over a strict fake of the AWS ports: each AssumeRole is answered by the next
 * answer scripted for its role (a call nobody scripted fails the test), on a clock the test
 * moves. Credentials last an hour from the clock's now unless an answer says otherwise.
 */
function chainWorld(env: Record<string, string> = {}) {
  let now = T0;
  let issued = 0;
  const calls: Array<{ roleArn: string; caller: string }> = [];
  const script = new Map<string, Answer[]>();
  const credentials = (lifetimeMs = HOUR): SessionCredentials => ({
    accessKeyId: `ASIA${String(++issued).padStart(16, '0')}`,
    secretAccessKey: 's'.repeat(40),
    sessionToken: `session-${issued}`,
    expiration: new Date(now + lifetimeMs),
  });
  const aws: AwsApis = {
    sts: (caller) => ({
      assumeRole: (request) => {
        calls.push({ roleArn: request.roleArn, caller: caller === 'service' ? 'service' : caller.accessKeyId });
        const answer = script.get(request.roleArn)?.shift();
        if (!answer) throw new Error(`unscripted AssumeRole of ${request.roleArn}`);
        return answer(request, caller);
      },
      callerIdentity: () => {
        throw new Error('unscripted GetCallerIdentity');
      },
    }),
    ecr: () => {
      throw new Error('unscripted ECR call');
    },
  };
  const config = parseConfig({
    AWS_REGION: 'eu-west-1',
    ECR_AUTH_JUMP_ROLE_ARN: JUMP, // no answer here is retried: the retry delays do not matter
    ...env,
  });
  const chain = new RoleChainService(aws, config, () => now, new Upstream(config));
  const deadlines: Deadline[] = [];
  return {
    chain,
    calls,
    /** Scripts the next answers for a role. */
    answer: (roleArn: string, ...answers: Answer[]) =>
      script.set(roleArn, [...(script.get(roleArn) ?? []), ...answers]),
    ok:
      (lifetimeMs?: number): Answer =>
      () =>
        Promise.resolve(credentials(lifetimeMs)),
    fail:
      (error: Error): Answer =>
      () =>
        Promise.reject(error),
    assume: (t = target(), options?: { reuse?: boolean }) => {
      const d = new Deadline(60_000);
      deadlines.push(d);
      return chain.assumeCustomer(t, d, options).finally(() => d.dispose());
    },
    at: (ms: number) => void (now = T0 + ms),
    unscripted: () => [...script.values()].flat().length,
  };
}

describe('RoleChainService', () => {
  it('assumes the jump role with the service identity, then the customer role with the jump session', async () => {
    const w = chainWorld();
    w.answer(JUMP, w.ok());
    w.answer(ROLE, w.ok());
    const session = await w.assume();
    expect(w.calls).toEqual([
      { roleArn: JUMP, caller: 'service' },
      { roleArn: ROLE, caller: 'ASIA0000000000000001' },
    ]);
    expect(session).toMatchObject({ accessKeyId: 'ASIA0000000000000002', sessionName: expect.any(String) });
  });

  it('holds both sessions until their refresh time, across regions of the same role', async () => {
    const w = chainWorld();
    w.answer(JUMP, w.ok());
    w.answer(ROLE, w.ok(), w.ok());
    const first = await w.assume();
    w.at(HOUR - 300_000 - 1);
    expect(await w.assume(target(ROLE, 'us-east-1'))).toEqual(first);
    expect(w.calls).toHaveLength(2);
    w.at(HOUR - 300_000); // the refresh time of both
    w.answer(JUMP, w.ok());
    await w.assume();
    expect(w.calls.map((c) => c.roleArn)).toEqual([JUMP, ROLE, JUMP, ROLE]);
  });

  it('keeps the jump session for another customer role', async () => {
    const w = chainWorld();
    const other = 'arn:aws:iam::333333333333:role/ecr-pull';
    w.answer(JUMP, w.ok());
    w.answer(ROLE, w.ok());
    w.answer(other, w.ok());
    await w.assume();
    await w.assume(target(other));
    expect(w.calls.map((c) => c.roleArn)).toEqual([JUMP, ROLE, other]);
  });

  it('shares one AssumeRole per hop among concurrent callers', async () => {
    const w = chainWorld();
    const jump = deferred<SessionCredentials>();
    w.answer(JUMP, () => jump.promise);
    w.answer(ROLE, w.ok());
    const [a, b, c] = [w.assume(), w.assume(), w.assume(target(ROLE, 'us-east-1'))];
    jump.resolve({ accessKeyId: 'ASIAJUMP', secretAccessKey: 'x', sessionToken: 'y', expiration: new Date(T0 + HOUR) });
    const sessions = await Promise.all([a, b, c]);
    expect(new Set(sessions.map((s) => s.accessKeyId)).size).toBe(1);
    expect(w.calls).toEqual([
      { roleArn: JUMP, caller: 'service' },
      { roleArn: ROLE, caller: 'ASIAJUMP' },
    ]);
  });

  it('shares a failure with every waiter and holds nothing: the next caller asks again', async () => {
    const w = chainWorld();
    w.answer(JUMP, w.ok());
    w.answer(ROLE, w.fail(awsError('AccessDenied', 403)));
    const [a, b] = [w.assume(), w.assume()];
    await expect(a).rejects.toMatchObject({ code: 'ASSUME_ROLE_DENIED' });
    await expect(b).rejects.toMatchObject({ code: 'ASSUME_ROLE_DENIED' });
    w.answer(ROLE, w.ok());
    await w.assume();
    expect(w.calls.map((c) => c.roleArn)).toEqual([JUMP, ROLE, ROLE]);
  });

  it('forgets the held sessions of one role only', async () => {
    const w = chainWorld();
    const other = 'arn:aws:iam::333333333333:role/ecr-pull';
    w.answer(JUMP, w.ok());
    w.answer(ROLE, w.ok(), w.ok());
    w.answer(other, w.ok());
    await w.assume();
    await w.assume(target(other));
    w.chain.forgetRole(ROLE);
    await w.assume();
    await w.assume(target(other));
    expect(w.calls.map((c) => c.roleArn)).toEqual([JUMP, ROLE, other, ROLE]);
  });

  it('does not reuse or keep sessions for onboarding checks (reuse: false)', async () => {
    const w = chainWorld();
    w.answer(JUMP, w.ok());
    w.answer(ROLE, w.ok(), w.ok(), w.ok());
    await w.assume(target(), { reuse: false });
    await w.assume(target(), { reuse: false });
    await w.assume();
    expect(w.calls.map((c) => c.roleArn)).toEqual([JUMP, ROLE, ROLE, ROLE]);
  });

  it('assumes the jump role again, once, when STS rejects its session as expired', async () => {
    const w = chainWorld();
    w.answer(JUMP, w.ok(), w.ok());
    w.answer(ROLE, w.fail(awsError('ExpiredToken', 400)), w.ok());
    await w.assume();
    expect(w.calls).toEqual([
      { roleArn: JUMP, caller: 'service' },
      { roleArn: ROLE, caller: 'ASIA0000000000000001' },
      { roleArn: JUMP, caller: 'service' },
      { roleArn: ROLE, caller: 'ASIA0000000000000002' },
    ]);
  });

  it('fails with the hop of a second expiry', async () => {
    const w = chainWorld();
    w.answer(JUMP, w.ok(), w.ok());
    w.answer(ROLE, w.fail(awsError('ExpiredToken', 400)), w.fail(awsError('ExpiredToken', 400)));
    await expect(w.assume()).rejects.toMatchObject({ code: 'JUMP_ROLE_FAILED' });
    expect(w.unscripted()).toBe(0);
  });

  it('holds at most ECR_AUTH_CACHE_MAX_ENTRIES customer sessions, dropping the least recently used', async () => {
    const w = chainWorld({ ECR_AUTH_CACHE_MAX_ENTRIES: '2' });
    const roles = ['222222222222', '333333333333', '444444444444'].map((a) => `arn:aws:iam::${a}:role/ecr-pull`);
    w.answer(JUMP, w.ok());
    for (const r of roles) w.answer(r, w.ok());
    w.answer(roles[0], w.ok());
    for (const r of roles) await w.assume(target(r));
    await w.assume(target(roles[2])); // held
    await w.assume(target(roles[0])); // dropped by the bound
    expect(w.calls.map((c) => c.roleArn)).toEqual([JUMP, ...roles, roles[0]]);
  });

  it('does not hold a session that is already past its refresh time', async () => {
    const w = chainWorld();
    w.answer(JUMP, w.ok());
    w.answer(ROLE, w.ok(200_000), w.ok(200_000));
    await w.assume();
    await w.assume();
    expect(w.calls.map((c) => c.roleArn)).toEqual([JUMP, ROLE, ROLE]);
  });

  it('checkJump assumes the jump role alone, and again when forced', async () => {
    const w = chainWorld();
    w.answer(JUMP, w.ok(), w.ok());
    const d = new Deadline(60_000);
    try {
      const first = await w.chain.checkJump(d);
      expect(await w.chain.checkJump(d)).toEqual(first);
      expect(await w.chain.checkJump(d, true)).not.toEqual(first);
    } finally {
      d.dispose();
    }
    expect(w.calls.map((c) => c.roleArn)).toEqual([JUMP, JUMP]);
  });
});

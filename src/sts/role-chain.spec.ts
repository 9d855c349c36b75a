import { parseRegistryHost } from '../registry/registry-host';
import { parseRoleArn } from '../registry/role-arn';
import { CustomerTarget, planChain, planJumpHop } from './role-chain';

const NOW = 1_700_000_000_000;
const JUMP = parseRoleArn('arn:aws:iam::111111111111:role/jump')!;
const CUSTOMER = parseRoleArn('arn:aws:iam::222222222222:role/ecr-pull')!;
const HOST = parseRegistryHost('222222222222.dkr.ecr.eu-west-1.amazonaws.com');
const POLICY = '{"Version":"2012-10-17","Statement":[]}';

const target: CustomerTarget = { role: CUSTOMER, externalId: 'cust-ext', host: HOST, policy: POLICY };
const withJump = { jumpRole: { role: JUMP, externalId: 'jump-ext' }, sessionDurationSeconds: 3600 };
const direct = { jumpRole: undefined, sessionDurationSeconds: 3600 };

describe('planChain', () => {
  it('with a jump role: [jump, customer]', () => {
    expect(planChain(target, withJump, NOW).map((h) => [h.step, h.roleArn])).toEqual([
      ['jump', JUMP.arn],
      ['customer', CUSTOMER.arn],
    ]);
  });

  it('without a jump role: [customer] alone', () => {
    expect(planChain(target, direct, NOW).map((h) => [h.step, h.roleArn])).toEqual([['customer', CUSTOMER.arn]]);
  });

  it.each([
    ['through the jump role', withJump],
    ['directly', direct],
  ])('the customer hop carries the external ID and the session policy (%s)', (_why, config) => {
    expect(planChain(target, config, NOW).at(-1)).toEqual({
      step: 'customer',
      roleArn: CUSTOMER.arn,
      externalId: 'cust-ext',
      sessionName: 'ecr-auth.222222222222.dkr.ecr.eu-west-1.amazonaws.com.1700000000',
      durationSeconds: 3600,
      policy: POLICY,
    });
  });

  it('the jump hop carries the jump external ID and no policy', () => {
    expect(planChain(target, withJump, NOW)[0]).toEqual({
      step: 'jump',
      roleArn: JUMP.arn,
      externalId: 'jump-ext',
      sessionName: 'ecr-auth.jump.1700000000',
      durationSeconds: 3600,
    });
  });

  it('a customer without external ID or policy gets neither', () => {
    const [hop] = planChain({ role: CUSTOMER, host: HOST }, direct, NOW);
    expect(hop.externalId).toBeUndefined();
    expect(hop.policy).toBeUndefined();
  });

  it.each([
    [7200, 3600],
    [1800, 1800],
    [600, 900],
  ])('both hops ask for the configured %i s, kept within 900-3600 (%i)', (configured, expected) => {
    const hops = planChain(target, { ...withJump, sessionDurationSeconds: configured }, NOW);
    expect(hops.map((h) => h.durationSeconds)).toEqual([expected, expected]);
  });

  it('is pure: the same inputs and clock give the same plan', () => {
    expect(planChain(target, withJump, NOW)).toEqual(planChain(target, withJump, NOW));
  });
});

describe('planJumpHop', () => {
  it('is undefined without a jump role', () => {
    expect(planJumpHop(direct, NOW)).toBeUndefined();
  });

  it('is the first hop of the chain with one', () => {
    expect(planJumpHop(withJump, NOW)).toEqual(planChain(target, withJump, NOW)[0]);
  });
});

describe('planChain: SourceIdentity and session tags', () => {
  const audited: CustomerTarget = {
    ...target,
    sourceIdentity: 'ci-nightly',
    sessionTags: [{ key: 'pipeline', value: 'nightly' }],
  };

  it('puts them on the customer hop only, never on the jump hop every caller shares', () => {
    const [jump, customer] = planChain(audited, withJump, NOW);
    expect(customer).toMatchObject({ sourceIdentity: 'ci-nightly', tags: [{ key: 'pipeline', value: 'nightly' }] });
    expect(jump.sourceIdentity).toBeUndefined();
    expect(jump.tags).toBeUndefined();
    expect(planJumpHop(withJump, NOW)).not.toHaveProperty('sourceIdentity');
  });

  it('one hop: the customer hop carries them', () => {
    expect(planChain(audited, direct, NOW)[0]).toMatchObject({ sourceIdentity: 'ci-nightly' });
  });
});

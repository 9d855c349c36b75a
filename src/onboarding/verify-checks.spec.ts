import { EcrAuthError } from '../errors/ecr-auth.error';
import { parseRegistryHost } from '../registry/registry-host';
import { parseRoleArn } from '../registry/role-arn';
import {
  ecrTokenCheck,
  isVerdict,
  sessionContextCheck,
  trustedPrincipal,
  verdict,
  withoutExternalIdCheck,
} from './verify-checks';
import type { VerifyTarget } from './verify-target';

const target: VerifyTarget = {
  host: parseRegistryHost('222222222222.dkr.ecr.eu-west-1.amazonaws.com'),
  role: parseRoleArn('arn:aws:iam::222222222222:role/ecr-pull')!,
  externalId: 'ext-SECRET',
};

describe('verify checks', () => {
  it("tells verdicts on the customer role from the service's own trouble", () => {
    expect(
      ['ASSUME_ROLE_DENIED', 'INVALID_REGISTRY_KEY', 'ECR_ACCESS_DENIED'].every((c) =>
        isVerdict(new EcrAuthError(c as never, '')),
      ),
    ).toBe(true);
    expect(
      ['JUMP_ROLE_FAILED', 'SERVICE_CREDENTIALS_INVALID', 'UPSTREAM_TIMEOUT', 'STS_REGION_DISABLED', 'INTERNAL'].some(
        (c) => isVerdict(new EcrAuthError(c as never, '')),
      ),
    ).toBe(false);
  });

  it('names the principal customers trust', () => {
    expect(trustedPrincipal('arn:aws:iam::111111111111:role/j')).toBe('the jump role arn:aws:iam::111111111111:role/j');
    expect(trustedPrincipal(undefined)).toBe("the service's own identity");
  });

  it('a probe that STS could not judge is not a pass', () => {
    const check = withoutExternalIdCheck(target, 'p', {
      ok: false,
      error: new EcrAuthError('INVALID_REGISTRY_KEY', 'STS rejected it'),
    });
    expect(check).toMatchObject({ ok: false, message: expect.stringContaining('STS rejected it') });
  });

  it('the token check names the registry and region', () => {
    expect(ecrTokenCheck(target, { ok: true }).message).toContain(
      '222222222222.dkr.ecr.eu-west-1.amazonaws.com (eu-west-1)',
    );
  });

  it('the verdict is ok only with all three checks ok, answered in their fixed order', () => {
    const c = (name: string, ok: boolean) => ({ name, ok, message: '' }) as never;
    expect(
      verdict([
        c('ecr-token', true),
        c('assume-with-external-id', true),
        c('assume-without-external-id-refused', true),
      ]),
    ).toEqual({
      ok: true,
      checks: [c('assume-with-external-id', true), c('assume-without-external-id-refused', true), c('ecr-token', true)],
    });
    expect(verdict([c('assume-with-external-id', true), c('ecr-token', true)]).ok).toBe(false);
    expect(
      verdict([
        c('assume-with-external-id', true),
        c('assume-without-external-id-refused', false),
        c('ecr-token', true),
      ]).ok,
    ).toBe(false);
  });
});

describe('verify checks for SourceIdentity and session tags', () => {
  const c = (name: string, ok: boolean) => ({ name, ok, message: '' }) as never;
  const required = [
    c('assume-with-external-id', true),
    c('assume-without-external-id-refused', true),
    c('ecr-token', true),
  ];

  it('come after the required checks, and a failed one fails the verdict', () => {
    const result = verdict([c('tag-session', true), c('set-source-identity', false), ...required]);
    expect(result.checks.map((x) => (x as { name: string }).name)).toEqual([
      'assume-with-external-id',
      'assume-without-external-id-refused',
      'ecr-token',
      'set-source-identity',
      'tag-session',
    ]);
    expect(result.ok).toBe(false);
    expect(verdict([...required, c('set-source-identity', true)]).ok).toBe(true);
  });

  it('pass naming the action, fail with the refusal (which names the fix), or say they were not run', () => {
    expect(sessionContextCheck('set-source-identity', target, 'the jump role j', { ok: true }).message).toContain(
      'sts:SetSourceIdentity',
    );
    const refusal = new EcrAuthError('ASSUME_ROLE_DENIED', 'STS refused sts:TagSession on … GET /onboarding/policies…');
    expect(sessionContextCheck('tag-session', target, 'p', { ok: false, error: refusal })).toEqual({
      name: 'tag-session',
      ok: false,
      message: refusal.message,
    });
    expect(sessionContextCheck('tag-session', target, 'p', 'skipped')).toMatchObject({
      ok: false,
      message: expect.stringContaining('Not run'),
    });
  });
});

import { EcrAuthError } from '../errors/ecr-auth.error';
import { parseQuery, policiesQuery } from './onboarding-request';

function refusal(query: unknown): string {
  try {
    parseQuery(policiesQuery, query);
  } catch (e) {
    if (e instanceof EcrAuthError && e.code === 'INVALID_REQUEST') return e.message;
    throw e;
  }
  throw new Error('accepted');
}

describe('parseQuery(policiesQuery)', () => {
  it('defaults access to pull and kind to private, ignores unknown parameters', () => {
    expect(parseQuery(policiesQuery, { externalId: 'ext-1', other: 'x' })).toEqual({
      externalId: 'ext-1',
      access: 'pull',
      kind: 'private',
    });
  });

  it('takes one or several repository ARNs', () => {
    expect(parseQuery(policiesQuery, { externalId: 'e1', repositoryArn: 'a' }).repositoryArn).toBe('a');
    expect(parseQuery(policiesQuery, { externalId: 'e1', repositoryArn: ['a', 'b'] }).repositoryArn).toEqual([
      'a',
      'b',
    ]);
  });

  it('accepts a query object without a prototype (as Fastify parses it)', () => {
    expect(parseQuery(policiesQuery, Object.assign(Object.create(null), { externalId: 'e1' })).externalId).toBe('e1');
  });

  it.each([
    ['no external ID', {}, /externalId: missing/],
    ['two external IDs', { externalId: ['a1', 'b1'] }, /externalId: expected string/],
    ['an unknown access', { externalId: 'e1', access: 'admin' }, /access: must be one of pull, push/],
    ['an unknown kind', { externalId: 'e1', kind: 'x' }, /kind: must be one of private, public/],
    ['a prototype key', JSON.parse('{"externalId":"e1","__proto__":"x"}'), /forbidden/],
  ])('refuses %s, naming the parameter', (_why, query, message) => {
    expect(refusal(query)).toMatch(message);
  });

  it('never echoes a value', () => {
    expect(refusal({ externalId: 'SECRET', access: 'SECRET' })).not.toContain('SECRET');
  });
});

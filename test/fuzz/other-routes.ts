/** Hostile requests for the routes other than POST /registry-auth. */
import fc from 'fast-check';
import { WORLD } from '../fixtures/aws-world';
import {
  CONTRACT_FIELDS,
  EVICT,
  FuzzRequest,
  JSON_TYPE,
  json,
  MINT,
  pick,
  POLICIES,
  prng,
  sample,
  utf8,
  VERIFY,
  withRegistry,
} from './fuzz-request';
import { hostileString, hostileValue, mutate, mutated } from './hostile-values';
import { contractFieldBodies } from './key-field-bodies';

/** DELETE /registry-auth/cache with hostile bodies. */
export function evictionBodies(seed: number, n: number): FuzzRequest[] {
  const fields = contractFieldBodies(seed, Math.floor(n / 2), 'evict', EVICT).map((r) => ({ ...r, method: 'DELETE' }));
  const rnd = prng(seed);
  const values = sample(fc.oneof(hostileString, mutated('roleArn'), mutated('registry')), seed + 1, n);
  const out: FuzzRequest[] = [...fields];
  for (let i = 0; out.length < n; i++) {
    const key = pick(rnd, ['roleArn', 'registry', 'roleArn', 'registry', 'both', 'none']);
    const v = values[i % values.length];
    const body = key === 'both' ? { roleArn: v, registry: v } : key === 'none' ? { x: v } : { [key]: v };
    out.push({ family: 'evict', method: 'DELETE', path: EVICT, headers: { ...JSON_TYPE }, body: json(body) });
  }
  out.push({
    family: 'evict',
    method: 'DELETE',
    path: EVICT,
    headers: { ...JSON_TYPE },
    body: utf8('{"roleArn":"x","__proto__":{}}'),
    expect: [400],
  });
  out.push({ family: 'evict', method: 'DELETE', path: EVICT, headers: {}, body: undefined });
  out.push({
    family: 'evict',
    method: 'DELETE',
    path: EVICT,
    headers: { 'content-type': 'text/plain' },
    body: utf8('roleArn'),
    expect: [415],
  });
  return out;
}

/** POST /registry-auth/verify with hostile bodies. */
export function verifyBodies(seed: number, n: number): FuzzRequest[] {
  const rnd = prng(seed);
  const generated = contractFieldBodies(seed, Math.floor(n / 2), 'verify', VERIFY);
  const bases = [
    { registry: WORLD.customer.registry, roleArn: WORLD.customer.arn, externalId: WORLD.customer.externalId },
    { registry: WORLD.openCustomer.registry, roleArn: WORLD.openCustomer.arn, externalId: 'guessed-ext-id' },
    {
      registry: WORLD.noEcrCustomer.registry,
      roleArn: WORLD.noEcrCustomer.arn,
      externalId: WORLD.noEcrCustomer.externalId,
    },
  ];
  const values = new Map(CONTRACT_FIELDS.map((f) => [f, sample(hostileValue(f), seed + 7 + f.length, 32)] as const));
  const out = [...generated];
  while (out.length < n) {
    const body: Record<string, unknown> = { ...pick(rnd, bases) };
    const field = pick(rnd, ['registry', 'roleArn', 'externalId'] as const);
    body[field] =
      rnd() < 0.5 && typeof body[field] === 'string' ? mutate(body[field], rnd) : pick(rnd, values.get(field)!);
    out.push({ family: 'verify', method: 'POST', path: VERIFY, headers: { ...JSON_TYPE }, body: json(body) });
  }
  out.push({
    family: 'verify',
    method: 'POST',
    path: VERIFY,
    headers: { ...JSON_TYPE },
    body: utf8(`{"registry":"x","constructor":{"prototype":{}}}`),
    expect: [400],
  });
  return out;
}

/** GET /onboarding/policies with hostile query strings. */
export function policyQueries(seed: number, n: number): FuzzRequest[] {
  const rnd = prng(seed);
  const crafted = [
    '',
    '?',
    '?externalId=',
    '?externalId=ab',
    `?externalId=${encodeURIComponent(WORLD.customer.externalId)}&access=pull`,
    '?externalId=abc&access=push&kind=public',
    '?externalId=abc&access=admin',
    '?externalId=abc&externalId=def',
    '?externalId=abc&access=pull&access=push',
    '?externalId=a%00b',
    '?externalId=a%0d%0ab',
    '?externalId=%ff%fe',
    '?externalId=%',
    '?externalId=%zz',
    '?externalId=%E2%82',
    `?externalId=${'a'.repeat(1225)}`,
    `?externalId=${'a'.repeat(5000)}`,
    '?__proto__=1&externalId=abc',
    '?__proto__[polluted]=1&externalId=abc',
    '?constructor=1&externalId=abc',
    '?constructor[prototype][polluted]=1&externalId=abc',
    '?prototype=1&externalId=abc',
    '?externalId[]=abc',
    '?externalId[a]=abc',
    '?externalId=abc&repositoryArn=arn:aws:ecr:eu-west-1:222222222222:repository/app',
    `?externalId=abc${'&repositoryArn=arn:aws:ecr:eu-west-1:222222222222:repository/app'.repeat(150)}`,
    `?externalId=abc&repositoryArn=${'a'.repeat(1025)}`,
    '?externalId=abc&repositoryArn=',
    '?externalId=abc&repositoryArn=*',
    '?externalId=abc&kind=private&kind=public',
    '?externalId=abc#fragment',
    '?externalId=abc;access=push',
    '?&&&&=&=',
    `?${'x=1&'.repeat(2000)}externalId=abc`,
    '?externalId=%C0%AF',
    '?externalId=%F0%9F%98%80',
  ];
  const values = sample(hostileString, seed, n);
  const out: FuzzRequest[] = crafted.map((q) => ({
    family: 'policies',
    method: 'GET',
    path: `${POLICIES}${q}`,
    headers: {},
  }));
  for (let i = 0; out.length < n; i++) {
    const params = ['externalId', 'access', 'kind', 'repositoryArn', pick(rnd, ['x', '__proto__', 'externalId'])];
    const q = params
      .filter(() => rnd() < 0.6)
      .map(
        (p) =>
          `${p}=${percentEncode(values[(i * 5 + p.length) % values.length]).replace(/%25/g, rnd() < 0.2 ? '%' : '%25')}`,
      )
      .join('&');
    // Node refuses a header block over 16 KiB before the service sees it: see the suite's findings.
    out.push({ family: 'policies', method: 'GET', path: `${POLICIES}?${q}`.slice(0, 12_000), headers: {} });
  }
  return out;
}

/** Percent-encodes the UTF-8 bytes of a string (lone surrogates included, as U+FFFD). */
function percentEncode(s: string): string {
  return [...Buffer.from(s, 'utf8')]
    .map((b) =>
      /[\w.~-]/.test(String.fromCharCode(b)) && b < 0x80
        ? String.fromCharCode(b)
        : `%${b.toString(16).padStart(2, '0').toUpperCase()}`,
    )
    .join('');
}

/**
 * Methods and paths the service has no route for, and odd spellings of the ones it has.
 * A path with invalid percent-encoding or a raw non-ASCII byte is left to the regression
 * tests of the suite, which name those findings.
 */
export function methodsAndPaths(seed: number, n: number): FuzzRequest[] {
  const rnd = prng(seed);
  const body = json(withRegistry(WORLD.customer.registry));
  const paths = [
    '/registry-auth/',
    '/registry-auth//',
    '//registry-auth',
    '/registry-auth?',
    '/registry-auth?x=1&x=2',
    '/registry-auth?__proto__=1',
    '/REGISTRY-AUTH',
    '/registry-auth/.',
    '/registry-auth/..',
    '/registry-auth/%2e%2e/health/live',
    '/registry-auth%00',
    '/registry-auth%2f',
    '/registry-auth/cache/x',
    '/registry-auth;x=1',
    '/./registry-auth',
    '/health/../registry-auth',
    '/%72egistry-auth',
    '/registry-auth#x',
    `/${'a'.repeat(4000)}`,
    '/registry-auth/%e2%82%ac',
    '/registry-auth/%00',
    '/metrics/',
    '/health/roles/x',
    '/health/live/../../registry-auth',
    '/',
    '*',
  ];
  const methods = ['GET', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'POST', 'PROPFIND', 'TRACE', 'SEARCH'];
  const out: FuzzRequest[] = [];
  for (const method of ['GET', 'PUT', 'PATCH', 'OPTIONS', 'PROPFIND', 'SEARCH'])
    out.push({ family: 'methods-paths', method, path: MINT, headers: { ...JSON_TYPE }, body, expect: [404] });
  while (out.length < n) {
    const method = pick(rnd, methods);
    out.push({
      family: 'methods-paths',
      method,
      path: pick(rnd, paths),
      headers: { ...JSON_TYPE },
      body: method === 'TRACE' ? undefined : body,
    });
  }
  return out;
}

/** Bodies of POST /registry-auth built around the contract's key fields: any JSON, the fields with hostile values, valid keys edited, tricky registries. */
import fc from 'fast-check';
import { WORLD } from '../fixtures/aws-world';
import { REFUSED_HOSTS, VALID_HOSTS } from '../fixtures/registry-hosts';
import { CONTRACT_FIELDS, FuzzRequest, int, json, MINT, pick, post, prng, sample, withRegistry } from './fuzz-request';
import { hostileValue, mutate, mutated } from './hostile-values';

/** Any JSON value at all as the body. */
export function jsonValueBodies(seed: number, n: number): FuzzRequest[] {
  return sample(fc.jsonValue({ maxDepth: 6 }), seed, n).map((v) => post('json-value', json(v)));
}

/** Objects with the contract's field names (a random subset) and hostile values, plus strays. */
export function contractFieldBodies(seed: number, n: number, family = 'contract-fields', path = MINT): FuzzRequest[] {
  const arb = fc
    .tuple(
      fc.subarray([...CONTRACT_FIELDS], { minLength: 1 }),
      fc.dictionary(fc.string({ unit: 'grapheme', maxLength: 12 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 2 }),
    )
    .chain(([fields, strays]) =>
      fc
        .tuple(...fields.map((f) => hostileValue(f).map((v) => [f, v] as const)))
        .map((pairs) => ({ ...strays, ...Object.fromEntries(pairs) })),
    );
  return sample(arb, seed, n).map((body) => ({ ...post(family, json(body)), path }));
}

/** The valid keys of the emulator's world, each a well-formed body. */
function validBodies(): Array<Record<string, unknown>> {
  return [
    { registry: WORLD.customer.registry, roleArn: WORLD.customer.arn, externalId: WORLD.customer.externalId },
    { registry: WORLD.customer.registry, userName: WORLD.customer.arn, password: WORLD.customer.externalId },
    { registry: 'public.ecr.aws', roleArn: WORLD.customer.arn, externalId: WORLD.customer.externalId },
    {
      registry: WORLD.staticUser.registry,
      accessKeyId: WORLD.staticUser.accessKeyId,
      secretAccessKey: WORLD.staticUser.secretAccessKey,
    },
    {
      registry: WORLD.staticUser.registry,
      userName: WORLD.staticUser.accessKeyId,
      password: WORLD.staticUser.secretAccessKey,
    },
    { registry: WORLD.openCustomer.registry, roleArn: WORLD.openCustomer.arn },
    { registry: WORLD.openCustomer.registry, roleArn: WORLD.openCustomer.arn, externalId: 'guessed-ext-id' },
    {
      registry: WORLD.noEcrCustomer.registry,
      roleArn: WORLD.noEcrCustomer.arn,
      externalId: WORLD.noEcrCustomer.externalId,
    },
    // The confused deputy: the service asked to assume its own jump role, or a role that trusts it directly.
    { registry: WORLD.customer.registry, roleArn: WORLD.jump.arn, externalId: WORLD.jump.externalId },
    {
      registry: WORLD.directCustomer.registry,
      roleArn: WORLD.directCustomer.arn,
      externalId: WORLD.directCustomer.externalId,
    },
  ];
}

/**
 * Valid bodies of the emulator's world with one to three fields edited, dropped, retyped or
 * added. Some stay valid and reach AWS (200 is fine); most are refused somewhere along the way.
 */
export function nearValidBodies(seed: number, n: number): FuzzRequest[] {
  const rnd = prng(seed);
  const bases = validBodies();
  const accessArb = hostileValue('access');
  const values = new Map(CONTRACT_FIELDS.map((f) => [f, sample(hostileValue(f), seed + f.length, 64)] as const));
  const accesses = sample(accessArb, seed + 1, 32);
  const out: FuzzRequest[] = [];
  for (let i = 0; i < n; i++) {
    const body: Record<string, unknown> = { ...pick(rnd, bases) };
    const edits = 1 + int(rnd, 3);
    for (let e = 0; e < edits; e++) {
      const field = pick(rnd, CONTRACT_FIELDS);
      const r = rnd();
      if (r < 0.15) delete body[field];
      else if (r < 0.25) body[field] = pick(rnd, accesses);
      else if (r < 0.6 && typeof body[field] === 'string') body[field] = mutate(body[field], rnd);
      else body[field] = pick(rnd, values.get(field)!);
    }
    if (rnd() < 0.3) body.access = pick(rnd, ['pull', 'push']);
    out.push(post('near-valid', json(body)));
  }
  return out;
}

/** CR/LF/NUL, unicode look-alikes and the fixture tables' hosts in `registry`. */
export function registryTricks(seed: number, n: number): FuzzRequest[] {
  const host = WORLD.customer.registry;
  const crafted = [
    `${host}\r\n`,
    `${host}\nX-Injected: 1`,
    `${host}\u0000.evil.example`,
    `${host}\u0000`,
    `\u0000${host}`,
    `${host}\t`,
    ` ${host}`,
    host.replace(/\./g, '\u3002'), // ideographic full stop
    host.replace(/\./g, '\uff0e'), // fullwidth full stop
    host.replace('amazonaws', 'amаzonaws'), // Cyrillic a
    host.replace('ecr', 'еcr'), // Cyrillic e
    host.replace('dkr', 'dk\u200br'), // zero-width space
    host.replace('222', '٢٢٢'), // Arabic-Indic digits
    host.replace('222', '２２２'), // fullwidth digits
    `${host}\u202e`,
    host.toUpperCase(),
    host.replace('amazonaws.com', 'AMAZONAWS.COM'),
    `${host}.`,
    `${host}..`,
    `${host}.evil.example`,
    `${host}:443`,
    `${host}:0`,
    `${host}:65536`,
    `${host}:-1`,
    `${host}:1e3`,
    `https://${host}:443/v2/`,
    `https://user:pass@${host}/`,
    `https://${host}@evil.example/`,
    `https://evil.example#@${host}`,
    `https://evil.example?${host}`,
    `http://${host}`,
    `ftp://${host}`,
    `file:///${host}`,
    `javascript:${host}`,
    `//${host}`,
    `https:///${host}`,
    `https://${host}\\@evil.example`,
    `https://${host}%2f@evil.example`,
    `https://[::1]/${host}`,
    `${host}/../../`,
    `${host}?x=1`,
    'public.ecr.aws.',
    'PUBLIC.ECR.AWS',
    'public.ecr.aws.evil.example',
    'evil.example/public.ecr.aws',
    'ecr-public.aws.com',
    'xn--public-ecr-aws',
    'public.ecr.aws\u0000',
    `${'a'.repeat(63)}.${host}`,
    `${host}/${'a'.repeat(500)}`,
    `${host}/${'a'.repeat(2100)}`,
    '0',
    '-0',
    '1e309',
    '[]',
    '{}',
    '__proto__',
  ];
  const rnd = prng(seed);
  const fromTables = [...VALID_HOSTS.map((v) => v.input), ...REFUSED_HOSTS.map((r) => r.input)];
  const generated = sample(mutated('registry'), seed, Math.max(0, n - crafted.length - fromTables.length));
  const registries = [...crafted, ...fromTables, ...generated];
  return registries.map((r) => {
    // Half with a role key, half with the static key (other code paths after the host check).
    const body =
      rnd() < 0.5
        ? withRegistry(r)
        : { registry: r, accessKeyId: WORLD.staticUser.accessKeyId, secretAccessKey: WORLD.staticUser.secretAccessKey };
    return post('registry-tricks', json(body));
  });
}

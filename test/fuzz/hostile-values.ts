/** Values for the fields of a body: tricky strings, small edits of valid values, anything JSON-able. */
import fc from 'fast-check';
import { WORLD } from '../fixtures/aws-world';
import { CONTRACT_FIELDS, int, pick, prng } from './fuzz-request';

/** Strings that have broken parsers, loggers and host checks elsewhere. */
export const TRICK_STRINGS: readonly string[] = [
  '',
  ' ',
  '\t',
  '\r\n',
  '\n\nINJECTED log line',
  '\u0000',
  'a\u0000b',
  '\u2028\u2029',
  '\ufeff',
  '\u202e',
  '\u200b',
  '\ud800',
  '\udfff',
  '\uffff',
  '😀',
  'ｅｃｒ',
  'null',
  'undefined',
  'NaN',
  'true',
  '[object Object]',
  '__proto__',
  'constructor',
  'prototype',
  'hasOwnProperty',
  'toString',
  '%00',
  '%0d%0a',
  '../../etc/passwd',
  '${jndi:ldap://x/a}',
  '{{7*7}}',
  "'; DROP TABLE t; --",
  '<script>alert(1)</script>',
  '\\',
  '"',
  '*',
  '?',
  'arn:aws:iam::*:role/*',
  'pull',
  'push',
  'PULL',
  'pull ',
];

/** A valid value to start a mutation from: never a secret in a field that is not secret. */
const MUTATION_BASES: Record<string, readonly string[]> = {
  registry: [
    WORLD.customer.registry,
    WORLD.staticUser.registry,
    'public.ecr.aws',
    `https://${WORLD.customer.registry}/v2/`,
  ],
  roleArn: [WORLD.customer.arn, WORLD.openCustomer.arn, WORLD.noEcrCustomer.arn, WORLD.jump.arn],
  externalId: [WORLD.customer.externalId, 'ab', 'x'.repeat(1224)],
  accessKeyId: [WORLD.staticUser.accessKeyId, 'ASIAAAAAAAAAAAAAAAAA'],
  secretAccessKey: [WORLD.staticUser.secretAccessKey],
  sessionToken: ['FwoGZXIvYXdzEXAMPLE//////////wEaDEXAMPLETOKEN+abc='],
  userName: [WORLD.customer.arn, WORLD.staticUser.accessKeyId],
  password: [WORLD.customer.externalId, WORLD.staticUser.secretAccessKey],
  access: ['pull', 'push'],
};

const INSERTS = [
  '\r',
  '\n',
  '\u0000',
  '\t',
  ' ',
  '.',
  ':',
  '/',
  '@',
  '%',
  '\u200b',
  '\u0131',
  'é',
  '\ufeff',
  '😀',
  '\\',
  '"',
  '*',
  '..',
  '-fips',
  '#',
  '?',
];

/** Small edits of a valid value: one character in, out or changed; case; truncation; doubling. */
export function mutate(value: string, rnd: () => number): string {
  const at = int(rnd, value.length + 1);
  switch (int(rnd, 9)) {
    case 0:
      return value.slice(0, at) + pick(rnd, INSERTS) + value.slice(at);
    case 1:
      return value.slice(0, at) + value.slice(at + 1);
    case 2:
      return value.slice(0, at) + String.fromCharCode(0x20 + int(rnd, 0x5f)) + value.slice(at + 1);
    case 3:
      return value.toUpperCase();
    case 4:
      return value.slice(0, at);
    case 5:
      return value + value;
    case 6:
      return value + pick(rnd, INSERTS);
    case 7:
      return pick(rnd, INSERTS) + value;
    default:
      return value.replace(/\d/g, (d) => (rnd() < 0.3 ? String((Number(d) + 1) % 10) : d));
  }
}

export const mutated = (field: string): fc.Arbitrary<string> =>
  fc
    .tuple(
      fc.constantFrom(...(MUTATION_BASES[field] ?? ['x'])),
      fc.integer({ min: 1, max: 2 ** 31 - 1 }),
      fc.integer({ min: 1, max: 3 }),
    )
    .map(([base, seed, times]) => {
      const rnd = prng(seed);
      let v = base;
      for (let i = 0; i < times; i++) v = mutate(v, rnd);
      return v;
    });

/** Hostile strings: arbitrary code units, graphemes, tricks, and huge ones. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 48 }),
  fc.string({ unit: 'grapheme', maxLength: 24 }),
  fc.string({ unit: 'binary-ascii', maxLength: 64 }),
  fc.constantFrom(...TRICK_STRINGS),
  fc.constantFrom(129, 1025, 2049, 4097, 8193, 14_000).map((n) => 'a'.repeat(n)),
);

/** Any JSON-able value a field could be given instead of its string. */
export function hostileValue(field: string): fc.Arbitrary<unknown> {
  return fc.oneof(
    { arbitrary: hostileString, weight: 4 },
    { arbitrary: mutated(field), weight: 4 },
    { arbitrary: fc.oneof(fc.integer(), fc.double(), fc.constantFrom(0, -1, 2 ** 53, 1e308)), weight: 1 },
    { arbitrary: fc.boolean(), weight: 1 },
    { arbitrary: fc.constant(null), weight: 1 },
    { arbitrary: fc.array(fc.oneof(hostileString, mutated(field)), { maxLength: 3 }), weight: 1 },
    {
      arbitrary: fc.dictionary(fc.constantFrom(...CONTRACT_FIELDS, 'x', 'value'), hostileString, { maxKeys: 3 }),
      weight: 1,
    },
    { arbitrary: fc.jsonValue({ maxDepth: 3 }), weight: 1 },
  );
}

/**
 * Generators of hostile requests for the fuzz suite (test/e2e/fuzz.e2e-spec.ts). Every family
 * is built from a fixed seed, so a run is reproducible: the same requests, in the same order,
 * every time. Nothing here talks to the network.
 */
import fc from 'fast-check';
import { WORLD } from '../fixtures/aws-world';
import { REFUSED_HOSTS, VALID_HOSTS } from '../fixtures/registry-hosts';

/** One request, as bytes on the wire. */
export interface FuzzRequest {
  /** The family that made it, for reports. */
  readonly family: string;
  readonly method: string;
  readonly path: string;
  /** Extra headers. Values are latin1 strings: each character is one byte on the wire. */
  readonly headers: Record<string, string>;
  /** `undefined`: the harness's valid API token; `null`: no Authorization header; else the raw header value. */
  readonly authorization?: string | null;
  readonly body?: Buffer;
  /** Sends the body with Transfer-Encoding: chunked, in this many pieces. */
  readonly chunks?: number;
  /** When set, the only statuses this request may get (beyond the suite's general rules). */
  readonly expect?: readonly number[];
}

export const FUZZ_SEED = 0x5eed_ec2a;
/** The service's default body limit (ECR_AUTH_MAX_BODY_BYTES). */
export const BODY_LIMIT = 16_384;

const JSON_TYPE = { 'content-type': 'application/json' };
const MINT = '/registry-auth';
const EVICT = '/registry-auth/cache';
const VERIFY = '/registry-auth/verify';
const POLICIES = '/onboarding/policies';

/** The field names of the contract's request bodies. */
export const CONTRACT_FIELDS = ['registry', 'roleArn', 'externalId', 'accessKeyId', 'secretAccessKey', 'sessionToken', 'userName', 'password', 'access'] as const;

// ---------------------------------------------------------------------------------------------
// Small helpers

/** mulberry32: a tiny seeded PRNG for the hand-written families. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(rnd: () => number, items: readonly T[]): T => items[Math.floor(rnd() * items.length)]!;
const int = (rnd: () => number, max: number): number => Math.floor(rnd() * max);
const utf8 = (s: string): Buffer => Buffer.from(s, 'utf8');
const json = (v: unknown): Buffer => utf8(JSON.stringify(v));

function post(family: string, body: Buffer | undefined, extra: Partial<FuzzRequest> = {}): FuzzRequest {
  return { family, method: 'POST', path: MINT, headers: body === undefined ? {} : { ...JSON_TYPE }, body, ...extra };
}

function sample<T>(arb: fc.Arbitrary<T>, seed: number, numRuns: number): T[] {
  return fc.sample(arb, { seed, numRuns });
}

// ---------------------------------------------------------------------------------------------
// Values

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
  registry: [WORLD.customer.registry, WORLD.staticUser.registry, 'public.ecr.aws', `https://${WORLD.customer.registry}/v2/`],
  roleArn: [WORLD.customer.arn, WORLD.openCustomer.arn, WORLD.noEcrCustomer.arn, WORLD.jump.arn],
  externalId: [WORLD.customer.externalId, 'ab', 'x'.repeat(1224)],
  accessKeyId: [WORLD.staticUser.accessKeyId, 'ASIAAAAAAAAAAAAAAAAA'],
  secretAccessKey: [WORLD.staticUser.secretAccessKey],
  sessionToken: ['FwoGZXIvYXdzEXAMPLE//////////wEaDEXAMPLETOKEN+abc='],
  userName: [WORLD.customer.arn, WORLD.staticUser.accessKeyId],
  password: [WORLD.customer.externalId, WORLD.staticUser.secretAccessKey],
  access: ['pull', 'push'],
};

const INSERTS = ['\r', '\n', '\u0000', '\t', ' ', '.', ':', '/', '@', '%', '\u200b', '\u0131', 'é', '\ufeff', '😀', '\\', '"', '*', '..', '-fips', '#', '?'];

/** Small edits of a valid value: one character in, out or changed; case; truncation; doubling. */
function mutate(value: string, rnd: () => number): string {
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

const mutated = (field: string): fc.Arbitrary<string> =>
  fc.tuple(fc.constantFrom(...(MUTATION_BASES[field] ?? ['x'])), fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.integer({ min: 1, max: 3 })).map(([base, seed, times]) => {
    const rnd = prng(seed);
    let v = base;
    for (let i = 0; i < times; i++) v = mutate(v, rnd);
    return v;
  });

/** Hostile strings: arbitrary code units, graphemes, tricks, and huge ones. */
const hostileString: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 48 }),
  fc.string({ unit: 'grapheme', maxLength: 24 }),
  fc.string({ unit: 'binary-ascii', maxLength: 64 }),
  fc.constantFrom(...TRICK_STRINGS),
  fc.constantFrom(129, 1025, 2049, 4097, 8193, 14_000).map((n) => 'a'.repeat(n)),
);

/** Any JSON-able value a field could be given instead of its string. */
function hostileValue(field: string): fc.Arbitrary<unknown> {
  return fc.oneof(
    { arbitrary: hostileString, weight: 4 },
    { arbitrary: mutated(field), weight: 4 },
    { arbitrary: fc.oneof(fc.integer(), fc.double(), fc.constantFrom(0, -1, 2 ** 53, 1e308)), weight: 1 },
    { arbitrary: fc.boolean(), weight: 1 },
    { arbitrary: fc.constant(null), weight: 1 },
    { arbitrary: fc.array(fc.oneof(hostileString, mutated(field)), { maxLength: 3 }), weight: 1 },
    { arbitrary: fc.dictionary(fc.constantFrom(...CONTRACT_FIELDS, 'x', 'value'), hostileString, { maxKeys: 3 }), weight: 1 },
    { arbitrary: fc.jsonValue({ maxDepth: 3 }), weight: 1 },
  );
}

// ---------------------------------------------------------------------------------------------
// Families for POST /registry-auth

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
      fc.tuple(...fields.map((f) => hostileValue(f).map((v) => [f, v] as const))).map((pairs) => ({ ...strays, ...Object.fromEntries(pairs) })),
    );
  return sample(arb, seed, n).map((body) => ({ ...post(family, json(body)), path }));
}

/** The valid keys of the emulator's world, each a well-formed body. */
function validBodies(): Array<Record<string, unknown>> {
  return [
    { registry: WORLD.customer.registry, roleArn: WORLD.customer.arn, externalId: WORLD.customer.externalId },
    { registry: WORLD.customer.registry, userName: WORLD.customer.arn, password: WORLD.customer.externalId },
    { registry: 'public.ecr.aws', roleArn: WORLD.customer.arn, externalId: WORLD.customer.externalId },
    { registry: WORLD.staticUser.registry, accessKeyId: WORLD.staticUser.accessKeyId, secretAccessKey: WORLD.staticUser.secretAccessKey },
    { registry: WORLD.staticUser.registry, userName: WORLD.staticUser.accessKeyId, password: WORLD.staticUser.secretAccessKey },
    { registry: WORLD.openCustomer.registry, roleArn: WORLD.openCustomer.arn },
    { registry: WORLD.openCustomer.registry, roleArn: WORLD.openCustomer.arn, externalId: 'guessed-ext-id' },
    { registry: WORLD.noEcrCustomer.registry, roleArn: WORLD.noEcrCustomer.arn, externalId: WORLD.noEcrCustomer.externalId },
    // The confused deputy: the service asked to assume its own jump role, or a role that trusts it directly.
    { registry: WORLD.customer.registry, roleArn: WORLD.jump.arn, externalId: WORLD.jump.externalId },
    { registry: WORLD.directCustomer.registry, roleArn: WORLD.directCustomer.arn, externalId: WORLD.directCustomer.externalId },
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
      else if (r < 0.6 && typeof body[field] === 'string') body[field] = mutate(body[field] as string, rnd);
      else body[field] = pick(rnd, values.get(field)!);
    }
    if (rnd() < 0.3) body.access = pick(rnd, ['pull', 'push']);
    out.push(post('near-valid', json(body)));
  }
  return out;
}

/** The valid main customer body with a given registry value. */
const withRegistry = (registry: unknown): Record<string, unknown> => ({ registry, roleArn: WORLD.customer.arn, externalId: WORLD.customer.externalId });

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
    const body = rnd() < 0.5 ? withRegistry(r) : { registry: r, accessKeyId: WORLD.staticUser.accessKeyId, secretAccessKey: WORLD.staticUser.secretAccessKey };
    return post('registry-tricks', json(body));
  });
}

/** Bodies nested a thousand levels and more, written as text. */
export function deepNesting(): FuzzRequest[] {
  const nest = (open: string, close: string, depth: number, inner = '1') => open.repeat(depth) + inner + close.repeat(depth);
  const bodies: Array<[string, readonly number[]]> = [];
  for (const depth of [33, 100, 1000, 2500, 5000, 8000]) {
    bodies.push([nest('[', ']', depth), [400, 413]]);
    bodies.push([`{"registry":"${WORLD.customer.registry}","x":${nest('[', ']', Math.min(depth, 8000))}}`, [400, 413]]);
  }
  for (const depth of [33, 1000, 2000, 3000]) {
    bodies.push([nest('{"a":', '}', depth), [400, 413]]);
    bodies.push([`{"registry":${nest('{"a":', '}', depth, '"x"')},"roleArn":"${WORLD.customer.arn}"}`, [400, 413]]);
    bodies.push([`{"registry":"${WORLD.customer.registry}","roleArn":"${WORLD.customer.arn}","externalId":"${WORLD.customer.externalId}","extra":${nest('{"a":', '}', depth)}}`, [400, 413]]);
    bodies.push([`{"access":${nest('[', ']', depth)}}`, [400, 413]]);
  }
  // Unclosed, and deep nesting whose every level holds a prototype key.
  bodies.push(['['.repeat(5000), [400]]);
  bodies.push(['{"a":'.repeat(3000), [400]]);
  bodies.push([nest('{"b":1,"a":', '}', 1500), [400, 413]]);
  bodies.push([nest('{"constructor":', '}', 1000), [400, 413]]);
  bodies.push([nest('{"__proto__":', '}', 1000), [400, 413]]);
  bodies.push([`[${'{},'.repeat(5000)}{}]`, [400]]);
  return bodies.map(([text, expect]) => post('deep-nesting', utf8(text), { expect }));
}

/** Bodies at, under and over the 16 KiB limit, and fields at their maximum length and over it. */
export function longStrings(): FuzzRequest[] {
  const out: FuzzRequest[] = [];
  const base = JSON.stringify(withRegistry(WORLD.customer.registry));
  const padded = (total: number, char = 'a') => {
    const head = `${base.slice(0, -1)},"pad":"`;
    const tail = '"}';
    const fill = total - Buffer.byteLength(head) - Buffer.byteLength(tail);
    const unit = Buffer.byteLength(char);
    return utf8(head + char.repeat(Math.floor(fill / unit)) + 'a'.repeat(fill % unit) + tail);
  };
  for (const total of [BODY_LIMIT - 1, BODY_LIMIT]) {
    out.push(post('long-strings', padded(total), { expect: [200] }));
    out.push(post('long-strings', padded(total, 'é'), { expect: [200] }));
    out.push(post('long-strings', padded(total, '€'), { expect: [200] }));
    out.push(post('long-strings', padded(total), { expect: [200], chunks: 7 }));
  }
  for (const total of [BODY_LIMIT + 1, BODY_LIMIT + 2, BODY_LIMIT + 100, BODY_LIMIT * 4, 1024 * 1024]) {
    out.push(post('long-strings', padded(total), { expect: [413] }));
    out.push(post('long-strings', padded(total), { expect: [413], chunks: 5 }));
  }
  out.push(post('long-strings', padded(BODY_LIMIT + 1, '😀'), { expect: [413] }));
  // Declared and sent lengths agree but the body is only whitespace around the object.
  out.push(post('long-strings', utf8(`${' '.repeat(BODY_LIMIT - base.length)}${base}`), { expect: [200] }));
  out.push(post('long-strings', utf8(`${' '.repeat(BODY_LIMIT + 1 - base.length)}${base}`), { expect: [413] }));
  // Each field at its longest and one over; the registry up to the body limit.
  const fields: Array<[string, number]> = [
    ['registry', 512],
    ['registry', 2048],
    ['roleArn', 700],
    ['roleArn', 2048],
    ['externalId', 1224],
    ['accessKeyId', 128],
    ['secretAccessKey', 128],
    ['secretAccessKey', 256],
    ['sessionToken', 8192],
    ['userName', 2048],
    ['password', 8192],
  ];
  for (const [field, max] of fields) {
    for (const len of [max, max + 1]) {
      const body = { ...withRegistry(WORLD.customer.registry), [field]: 'A'.repeat(len) };
      out.push(post('long-strings', json(body), { expect: [200, 400, 403] }));
    }
  }
  out.push(post('long-strings', json({ registry: 'a'.repeat(BODY_LIMIT - 20) }), { expect: [400] }));
  out.push(post('long-strings', json({ registry: 'a'.repeat(BODY_LIMIT) }), { expect: [413] }));
  out.push(post('long-strings', json({ ...withRegistry(WORLD.customer.registry), externalId: 'a'.repeat(BODY_LIMIT - 200) }), { expect: [400] }));
  // Many small keys: the parser and the key walk, not one long string.
  const many = Object.fromEntries(Array.from({ length: 1500 }, (_, i) => [`k${i}`, i]));
  out.push(post('long-strings', json({ ...withRegistry(WORLD.customer.registry), ...many }), { expect: [200, 413] }));
  return out;
}

const BAD_UTF8: readonly number[][] = [
  [0xff],
  [0xfe],
  [0xc0, 0x80], // overlong NUL
  [0xc0, 0xaf], // overlong '/'
  [0xe0, 0x80, 0xaf],
  [0x80], // lone continuation byte
  [0xbf],
  [0xe2, 0x82], // truncated '€'
  [0xf0, 0x9f, 0x98], // truncated emoji
  [0xed, 0xa0, 0x80], // UTF-8 encoded surrogate
  [0xf4, 0x90, 0x80, 0x80], // beyond U+10FFFF
  [0xf8, 0x88, 0x80, 0x80, 0x80], // 5-byte form
  [0x00],
];

/** Valid bodies with invalid UTF-8 spliced into strings, keys and structure, and raw noise. */
export function invalidUtf8(seed: number, n: number): FuzzRequest[] {
  const rnd = prng(seed);
  const out: FuzzRequest[] = [];
  const base = utf8(JSON.stringify(withRegistry(WORLD.customer.registry)));
  const splice = (buf: Buffer, at: number, bytes: number[]) => Buffer.concat([buf.subarray(0, at), Buffer.from(bytes), buf.subarray(at)]);
  // Inside the registry value, the role ARN, the external ID, a key name, and between tokens.
  const spots = [13, base.indexOf('dkr'), base.indexOf('arn:') + 4, base.lastIndexOf('"') - 2, 2, base.indexOf(':'), 0, base.length];
  for (const bytes of BAD_UTF8) {
    for (const at of spots) out.push(post('invalid-utf8', splice(base, at, bytes)));
  }
  // Byte order marks: UTF-8 (the parser may take it), UTF-16 and UTF-32 (never).
  out.push(post('invalid-utf8', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), base])));
  out.push(post('invalid-utf8', Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(JSON.stringify(withRegistry(WORLD.customer.registry)), 'utf16le').swap16()])));
  out.push(post('invalid-utf8', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(JSON.stringify(withRegistry(WORLD.customer.registry)), 'utf16le')])));
  out.push(post('invalid-utf8', Buffer.concat([Buffer.from([0xff, 0xfe, 0, 0]), base])));
  out.push(post('invalid-utf8', Buffer.from(JSON.stringify(withRegistry(WORLD.customer.registry)), 'latin1')));
  out.push(post('invalid-utf8', Buffer.from(JSON.stringify(withRegistry('é')), 'latin1')));
  // A multi-byte character cut by the chunk boundary is valid UTF-8 and must parse as such.
  out.push(post('invalid-utf8', json({ ...withRegistry(WORLD.customer.registry), note: '€😀'.repeat(40) }), { chunks: 37, expect: [200] }));
  // Random bytes, random bytes inside an object, and random positions in a valid body.
  while (out.length < n) {
    const r = rnd();
    if (r < 0.3) {
      out.push(post('invalid-utf8', Buffer.from(Array.from({ length: 1 + int(rnd, 200) }, () => int(rnd, 256)))));
    } else if (r < 0.6) {
      const junk = Buffer.from(Array.from({ length: 1 + int(rnd, 40) }, () => 0x80 + int(rnd, 128)));
      out.push(post('invalid-utf8', Buffer.concat([utf8('{"registry":"'), junk, utf8(`","roleArn":"${WORLD.customer.arn}"}`)])));
    } else {
      out.push(post('invalid-utf8', splice(base, int(rnd, base.length + 1), pick(rnd, BAD_UTF8)), rnd() < 0.3 ? { chunks: 2 + int(rnd, 6) } : {}));
    }
  }
  return out;
}

/** `__proto__`, `constructor`, `prototype`: at the top, nested, in arrays, escaped. */
export function prototypeKeys(): FuzzRequest[] {
  const valid = JSON.stringify(withRegistry(WORLD.customer.registry)).slice(1, -1);
  const keys = ['__proto__', 'constructor', 'prototype'];
  const escaped = ['\\u005f\\u005fproto\\u005f\\u005f', '__pro\\u0074o__', '\\u0063onstructor', 'prototyp\\u0065'];
  const texts: string[] = [];
  for (const key of [...keys, ...escaped]) {
    texts.push(`{${valid},"${key}":{"admin":true}}`);
    texts.push(`{"${key}":{"admin":true},${valid}}`);
    texts.push(`{${valid},"${key}":null}`);
    texts.push(`{${valid},"${key}":1}`);
    texts.push(`{${valid},"${key}":"x"}`);
    texts.push(`{${valid},"${key}":[]}`);
    texts.push(`{${valid},"nested":{"${key}":{"polluted":1}}}`);
    texts.push(`{${valid},"list":[1,{"${key}":{"polluted":1}}]}`);
    texts.push(`{${valid},"a":{"b":{"c":{"d":{"${key}":1}}}}}`);
    texts.push(`{"registry":{"${key}":"x"}}`);
    texts.push(`{${valid},"access":{"${key}":"pull"}}`);
  }
  texts.push(`{${valid},"constructor":{"prototype":{"polluted":1}}}`);
  texts.push(`{${valid},"__proto__":{"__proto__":{"polluted":1}}}`);
  texts.push(`[{"__proto__":{"polluted":1}}]`);
  texts.push(`{"__proto__":[]}`);
  const out = texts.map((t) => post('prototype-keys', utf8(t), { expect: [400] }));
  // As values and as near-names, prototype words are plain data: never an error of the server.
  for (const body of [
    withRegistry('__proto__'),
    { ...withRegistry(WORLD.customer.registry), externalId: '__proto__' },
    { ...withRegistry(WORLD.customer.registry), access: 'constructor' },
    { ...withRegistry(WORLD.customer.registry), __proto_: 1, _proto__: 1, Constructor: 1, PROTOTYPE: 1 },
    { ...withRegistry(WORLD.customer.registry), toString: 1, valueOf: 'x', hasOwnProperty: null },
  ]) {
    out.push(post('prototype-keys', json(body)));
  }
  // Bodies that change an object's shape where the key classifier reads fields with hasOwn.
  out.push(post('prototype-keys', utf8(`{"registry":"${WORLD.customer.registry}","hasOwnProperty":"x","roleArn":"${WORLD.customer.arn}","externalId":"${WORLD.customer.externalId}"}`)));
  return out;
}

/** Numbers JSON allows and JavaScript mangles. */
export function hugeNumbers(): FuzzRequest[] {
  const numbers = ['1e309', '-1e309', '-0', '0e0', '1e-400', '123456789012', '222222222222', '1'.repeat(400), `-${'9'.repeat(400)}`, '9007199254740993', '0.1e1', '1E+2', `0.${'0'.repeat(300)}1`, '1.7976931348623157e308'];
  const texts: string[] = [];
  for (const num of numbers) {
    texts.push(num);
    texts.push(`{"registry":${num}}`);
    texts.push(`{"registry":"${WORLD.customer.registry}","roleArn":${num},"externalId":"${WORLD.customer.externalId}"}`);
    texts.push(`{"registry":"${WORLD.customer.registry}","roleArn":"${WORLD.customer.arn}","externalId":"${WORLD.customer.externalId}","access":${num}}`);
    texts.push(`{"registry":"${WORLD.customer.registry}","roleArn":"${WORLD.customer.arn}","externalId":"${WORLD.customer.externalId}","n":${num}}`);
  }
  // Not JSON, though JavaScript has them.
  for (const bad of ['NaN', 'Infinity', '-Infinity', '0x10', '1_000', '+1', '.5', '01', '1.', '1e']) {
    texts.push(`{"registry":"${WORLD.customer.registry}","roleArn":"${WORLD.customer.arn}","externalId":"${WORLD.customer.externalId}","n":${bad}}`);
  }
  return texts.map((t) => post('huge-numbers', utf8(t)));
}

/** The same key twice: JSON.parse keeps the last; whichever wins must be checked. */
export function duplicateKeys(): FuzzRequest[] {
  const c = WORLD.customer;
  const texts = [
    `{"registry":"evil.example","registry":"${c.registry}","roleArn":"${c.arn}","externalId":"${c.externalId}"}`,
    `{"registry":"${c.registry}","registry":"evil.example","roleArn":"${c.arn}","externalId":"${c.externalId}"}`,
    `{"registry":"${c.registry}","roleArn":"${c.arn}","roleArn":"arn:aws:iam::999999999999:role/x","externalId":"${c.externalId}"}`,
    `{"registry":"${c.registry}","roleArn":"${c.arn}","externalId":"${c.externalId}","externalId":"wrong-id"}`,
    `{"registry":"${c.registry}","roleArn":"${c.arn}","externalId":"${c.externalId}","externalId":null}`,
    `{"registry":"${c.registry}","roleArn":"${c.arn}","externalId":"${c.externalId}","access":"pull","access":"admin"}`,
    `{"registry":"${c.registry}","roleArn":"${c.arn}","externalId":"${c.externalId}","access":"admin","access":"push"}`,
    `{"registry":"${c.registry}","roleArn":"${c.arn}","externalId":"${c.externalId}","roleArn":{}}`,
    `{"registry":"${c.registry}","roleArn":"${c.arn}","externalId":"${c.externalId}","registry":[]}`,
    `{"registry":"${c.registry}","accessKeyId":"${WORLD.staticUser.accessKeyId}","roleArn":"${c.arn}","externalId":"${c.externalId}","accessKeyId":1}`,
    `{"registry":"${c.registry}","roleArn":"${c.arn}","externalId":"${c.externalId}","__proto__":1,"__proto__":2}`,
    `{"a":1,"a":2,"a":3,"registry":"x","registry":"y"}`,
  ];
  // Many duplicates of one key, and of all keys.
  texts.push(`{${Array.from({ length: 2000 }, (_, i) => `"registry":"${i}"`).join(',')}}`);
  texts.push(`{${Array.from({ length: 300 }, () => CONTRACT_FIELDS.map((f) => `"${f}":"x"`).join(',')).join(',')}}`);
  return texts.map((t) => post('duplicate-keys', utf8(t)));
}

/** A valid body under every content type but JSON, and JSON under odd spellings. */
export function contentTypes(): FuzzRequest[] {
  const body = json(withRegistry(WORLD.customer.registry));
  const refused = [
    'text/plain',
    'text/plain; charset=utf-8',
    'text/json',
    'text/html',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=xyz',
    'multipart/form-data',
    'application/xml',
    'application/octet-stream',
    'application/jsonx',
    'application/json-patch+json',
    'application/problem+json',
    'application/vnd.api+json',
    'application/javascript',
    'image/png',
    '*/*',
    'application/*',
    'x',
    ';',
    '/',
    'application/',
    '/json',
  ];
  const odd = [
    'application/json; charset=latin1',
    'application/json; charset=iso-8859-1',
    'application/json; charset=utf-16',
    'application/json; charset=utf-8',
    'application/json; charset=UTF-8',
    'application/json;charset=utf-8',
    'application/json;',
    'application/json ;',
    'application/json; foo',
    'application/json; a=b; a=c',
    'application/json; charset="utf-8"',
    'application/json; charset=',
    'APPLICATION/JSON',
    'Application/Json',
    ' application/json',
    'application/json ',
    '\tapplication/json',
    'application/json, text/plain',
    'text/plain, application/json',
    'application/json\u00ff',
    'application/json; charset=\u00e9',
    `application/json; x=${'a'.repeat(2000)}`,
    'application/json; boundary=--',
  ];
  const out: FuzzRequest[] = [];
  for (const type of refused) out.push({ ...post('content-types', body), headers: { 'content-type': type }, expect: [415] });
  for (const type of odd) out.push({ ...post('content-types', body), headers: { 'content-type': type } });
  // A form and a multipart body as their senders would send them.
  out.push({ ...post('content-types', utf8(`registry=${WORLD.customer.registry}&roleArn=${encodeURIComponent(WORLD.customer.arn)}`)), headers: { 'content-type': 'application/x-www-form-urlencoded' }, expect: [415] });
  out.push({
    ...post('content-types', utf8(`--xyz\r\nContent-Disposition: form-data; name="registry"\r\n\r\n${WORLD.customer.registry}\r\n--xyz--\r\n`)),
    headers: { 'content-type': 'multipart/form-data; boundary=xyz' },
    expect: [415],
  });
  // No Content-Type at all, with and without a body.
  out.push({ ...post('content-types', body), headers: {} });
  out.push({ ...post('content-types', body), headers: {}, chunks: 3 });
  out.push({ ...post('content-types', undefined), headers: {} });
  // JSON under a wrong type, a wrong body under JSON.
  out.push({ ...post('content-types', utf8('registry=x')), headers: { 'content-type': 'application/json' }, expect: [400] });
  out.push({ ...post('content-types', utf8('<registry>x</registry>')), headers: { 'content-type': 'application/json' }, expect: [400] });
  // Content-Encoding the service does not undo.
  out.push({ ...post('content-types', body), headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' } });
  out.push({ ...post('content-types', Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 1, 2, 3])), headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' } });
  out.push({ ...post('content-types', body), headers: { 'content-type': 'application/json', 'content-encoding': 'identity, br' } });
  return out;
}

/** Text that is almost JSON: truncated valid bodies, stray characters, JavaScript-isms. */
export function malformedJson(seed: number, n: number): FuzzRequest[] {
  const rnd = prng(seed);
  const valid = JSON.stringify({ ...withRegistry(WORLD.customer.registry), access: 'pull' });
  const texts: string[] = [];
  // Every prefix of a valid body.
  for (let i = 0; i < valid.length; i += 2) texts.push(valid.slice(0, i));
  const crafted = [
    `{registry:"${WORLD.customer.registry}"}`,
    `{'registry':'${WORLD.customer.registry}'}`,
    `{"registry":"${WORLD.customer.registry}",}`,
    `{"registry":"${WORLD.customer.registry}"}}`,
    `{"registry":"${WORLD.customer.registry}"}garbage`,
    `{"registry":"${WORLD.customer.registry}"} {"registry":"x"}`,
    `{"registry":"${WORLD.customer.registry}"}\u0000`,
    `/*c*/{"registry":"x"}`,
    `{"registry":"x" // c\n}`,
    `{"registry":"\\x41"}`,
    `{"registry":"\\u00"}`,
    `{"registry":"\\ud800"}`,
    `{"registry":"\\ud800\\u0000"}`,
    `{"registry":"\\uDBFF\\uDFFF"}`,
    `{"registry":"a\nb"}`,
    `{"registry":"a\tb"}`,
    `{"registry":"\\`,
    `{"registry":undefined}`,
    `{"registry":NaN}`,
    `{"registry":[1,,2]}`,
    `{"registry":"x",,"roleArn":"y"}`,
    `{,}`,
    `{"":""}`,
    `{"": 1, "registry": ""}`,
    `{"registry"}`,
    `{"registry":}`,
    `{"registry"::"x"}`,
    `{"registry":"x":"y"}`,
    `""`,
    `"${WORLD.customer.registry}"`,
    'true',
    'false',
    'null',
    '0',
    '[]',
    '{}',
    '[{}]',
    '[null]',
    '{"registry":null}',
    '\u0000',
    '\u001e{"registry":"x"}',
    '{"registry":"x"}\r\n\r\n',
    '\r\n{"registry":"x"}',
  ];
  texts.push(...crafted);
  // Random single-character corruptions of the valid body.
  const noise = '{}[]",:\\ \u0000\n\r\'tfn0-e.';
  while (texts.length < n) {
    const at = int(rnd, valid.length);
    const r = rnd();
    const ch = pick(rnd, [...noise]);
    texts.push(r < 0.4 ? valid.slice(0, at) + ch + valid.slice(at) : r < 0.7 ? valid.slice(0, at) + valid.slice(at + 1) : valid.slice(0, at) + ch + valid.slice(at + 1));
  }
  return texts.slice(0, Math.max(n, texts.length)).map((t) => post('malformed-json', utf8(t)));
}

/** Nothing, or next to nothing, as the body. */
export function emptyBodies(): FuzzRequest[] {
  const texts = ['', ' ', '\n', '\r\n', '\t', '  \n  ', '\ufeff'];
  const out: FuzzRequest[] = texts.map((t) => post('empty-body', utf8(t), { expect: [400] }));
  out.push(post('empty-body', Buffer.alloc(0), { chunks: 1, expect: [400] }));
  out.push({ ...post('empty-body', undefined), expect: [400, 415] });
  out.push({ ...post('empty-body', undefined), headers: { 'content-type': 'application/json' }, expect: [400] });
  out.push({ ...post('empty-body', undefined), headers: { 'content-type': 'application/json', 'content-length': '0' }, expect: [400] });
  out.push({ ...post('empty-body', Buffer.alloc(0)), headers: {}, expect: [400, 415] });
  return out;
}

/** Requests of other families sent again with Transfer-Encoding: chunked, cut at random points. */
export function chunked(from: readonly FuzzRequest[], seed: number, n: number): FuzzRequest[] {
  const rnd = prng(seed);
  const candidates = from.filter((r) => r.body !== undefined && r.body.length > 0 && r.chunks === undefined);
  return Array.from({ length: Math.min(n, candidates.length) }, () => {
    const r = pick(rnd, candidates);
    return { ...r, family: `chunked(${r.family})`, chunks: 2 + int(rnd, Math.min(20, r.body!.length)) };
  });
}

// ---------------------------------------------------------------------------------------------
// Headers and callers

/** Latin1 form of a UTF-8 string: its bytes go on the wire as they are. */
const rawUtf8 = (s: string): string => Buffer.from(s, 'utf8').toString('latin1');

/** Authorization values that must all be refused with 401, whatever the body. */
export function badAuthorizations(): string[] {
  const t = WORLD.apiToken;
  return [
    '',
    'Bearer',
    'Bearer ',
    `Bearer  ${t}x`,
    `Bearer ${t.slice(0, -1)}`,
    `Bearer ${t}0`,
    `Bearer ${t.toUpperCase()}`,
    `Basic ${Buffer.from(`user:${t}`).toString('base64')}`,
    `Bearer ${t},Bearer ${t}`,
    `Bearer ${t} ${t}`,
    `Token ${t}`,
    `Bearer${t}`,
    `Bearer\t\t${t}x`,
    `Bearer ${rawUtf8(`${t}é`)}`,
    `Bearer ${'a'.repeat(1025)}`,
    `Bearer ${t}${' '.repeat(1024)}x`,
    `Bearer ${'x'.repeat(8000)}`,
    `Bearer ${rawUtf8('😀'.repeat(100))}`,
    'Bearer null',
    'Bearer undefined',
    'Bearer *',
    'Bearer ../../',
    rawUtf8('Bearer \u202e'),
    '\u00ff\u00fe',
  ];
}

/** Odd but sendable headers on an otherwise valid, authenticated request. */
export function headerTricks(seed: number, n: number): FuzzRequest[] {
  const body = json(withRegistry(WORLD.customer.registry));
  const t = WORLD.apiToken;
  const out: FuzzRequest[] = [];
  // Authorization spellings that are still the valid token.
  for (const auth of [`bearer ${t}`, `BEARER ${t}`, `Bearer   ${t}`, `Bearer\t${t}`, `Bearer ${t} `, `Bearer ${t}\t`]) {
    out.push({ ...post('headers', body), authorization: auth });
  }
  const requestIds = [
    'build-42.step-7',
    '',
    ' ',
    'a'.repeat(128),
    'a'.repeat(129),
    'a'.repeat(5000),
    '../../etc/passwd',
    'id with spaces',
    '{"injected":true}',
    'x"},"level":60,"msg":"forged',
    '\u00ff\u00fe',
    rawUtf8('ｉｄ'),
    rawUtf8('id\u2028next'),
    '<script>',
    '%0d%0aSet-Cookie:x=1',
    'id;drop',
    '-',
    '.',
    ':',
  ];
  for (const id of requestIds) out.push({ ...post('headers', body), headers: { ...JSON_TYPE, 'x-request-id': id } });
  const rnd = prng(seed);
  const odd: Array<Record<string, string>> = [
    { 'x-forwarded-for': '1.2.3.4, 127.0.0.1', 'x-real-ip': '::1' },
    { 'x-forwarded-proto': 'javascript' },
    { 'x-forwarded-host': 'evil.example' },
    { 'x-http-method-override': 'DELETE' },
    { 'x-original-url': '/health/live' },
    { 'x-rewrite-url': '/metrics' },
    { host: 'evil.example' },
    { host: '' },
    { host: rawUtf8('ｅｖｉｌ') },
    { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    { cookie: `session=${'a'.repeat(4000)}` },
    { accept: 'text/html' },
    { accept: 'application/xml' },
    { 'accept-encoding': 'gzip, deflate, br, zstd' },
    { 'accept-charset': 'latin1' },
    { connection: 'close' },
    { connection: 'upgrade', upgrade: 'websocket' },
    { 'proxy-authorization': `Bearer ${t}` },
    { te: 'trailers' },
    { range: 'bytes=0-1' },
    { 'if-none-match': '*' },
    { 'x-amz-security-token': 'x' },
    { 'x-custom': rawUtf8('é\u0000'.replace('\u0000', '')) },
    { 'x-latin1': '\u00e9\u00ff\u0080' },
  ];
  for (const headers of odd) out.push({ ...post('headers', body), headers: { ...JSON_TYPE, ...headers } });
  // Many headers, long headers.
  out.push({ ...post('headers', body), headers: { ...JSON_TYPE, ...Object.fromEntries(Array.from({ length: 90 }, (_, i) => [`x-h${i}`, String(i)])) } });
  out.push({ ...post('headers', body), headers: { ...JSON_TYPE, 'x-long': 'a'.repeat(8000) } });
  // Random printable-latin1 values in a handful of headers the service reads.
  const chars = (len: number) => Array.from({ length: len }, () => String.fromCharCode(pick(rnd, [0x09, ...range(0x20, 0x7e), ...range(0x80, 0xff)]))).join('');
  while (out.length < n) {
    const name = pick(rnd, ['x-request-id', 'content-type', 'authorization', 'accept', 'x-forwarded-for', 'user-agent']);
    const value = chars(1 + int(rnd, 80)).trim();
    if (name === 'authorization') out.push({ ...post('headers', body), authorization: value, expect: [401] });
    else out.push({ ...post('headers', body), headers: { ...JSON_TYPE, [name]: value } });
  }
  return out;
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

/** Hostile bodies without a valid token: 401 before any body is looked at. */
export function unauthenticated(from: readonly FuzzRequest[], seed: number, n: number): FuzzRequest[] {
  const rnd = prng(seed);
  const auths = [null, ...badAuthorizations()];
  return Array.from({ length: n }, (_, i) => {
    const r = pick(rnd, from);
    return { ...r, family: `unauthenticated(${r.family})`, authorization: auths[i % auths.length], expect: [401] };
  });
}

// ---------------------------------------------------------------------------------------------
// Other routes

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
  out.push({ family: 'evict', method: 'DELETE', path: EVICT, headers: { ...JSON_TYPE }, body: utf8('{"roleArn":"x","__proto__":{}}'), expect: [400] });
  out.push({ family: 'evict', method: 'DELETE', path: EVICT, headers: {}, body: undefined });
  out.push({ family: 'evict', method: 'DELETE', path: EVICT, headers: { 'content-type': 'text/plain' }, body: utf8('roleArn'), expect: [415] });
  return out;
}

/** POST /registry-auth/verify with hostile bodies. */
export function verifyBodies(seed: number, n: number): FuzzRequest[] {
  const rnd = prng(seed);
  const generated = contractFieldBodies(seed, Math.floor(n / 2), 'verify', VERIFY);
  const bases = [
    { registry: WORLD.customer.registry, roleArn: WORLD.customer.arn, externalId: WORLD.customer.externalId },
    { registry: WORLD.openCustomer.registry, roleArn: WORLD.openCustomer.arn, externalId: 'guessed-ext-id' },
    { registry: WORLD.noEcrCustomer.registry, roleArn: WORLD.noEcrCustomer.arn, externalId: WORLD.noEcrCustomer.externalId },
  ];
  const values = new Map(CONTRACT_FIELDS.map((f) => [f, sample(hostileValue(f), seed + 7 + f.length, 32)] as const));
  const out = [...generated];
  while (out.length < n) {
    const body: Record<string, unknown> = { ...pick(rnd, bases) };
    const field = pick(rnd, ['registry', 'roleArn', 'externalId'] as const);
    body[field] = rnd() < 0.5 && typeof body[field] === 'string' ? mutate(body[field] as string, rnd) : pick(rnd, values.get(field)!);
    out.push({ family: 'verify', method: 'POST', path: VERIFY, headers: { ...JSON_TYPE }, body: json(body) });
  }
  out.push({ family: 'verify', method: 'POST', path: VERIFY, headers: { ...JSON_TYPE }, body: utf8(`{"registry":"x","constructor":{"prototype":{}}}`), expect: [400] });
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
  const out: FuzzRequest[] = crafted.map((q) => ({ family: 'policies', method: 'GET', path: `${POLICIES}${q}`, headers: {} }));
  for (let i = 0; out.length < n; i++) {
    const params = ['externalId', 'access', 'kind', 'repositoryArn', pick(rnd, ['x', '__proto__', 'externalId'])];
    const q = params
      .filter(() => rnd() < 0.6)
      .map((p) => `${p}=${percentEncode(values[(i * 5 + p.length) % values.length]!).replace(/%25/g, rnd() < 0.2 ? '%' : '%25')}`)
      .join('&');
    // Node refuses a header block over 16 KiB before the service sees it: see the suite's findings.
    out.push({ family: 'policies', method: 'GET', path: `${POLICIES}?${q}`.slice(0, 12_000), headers: {} });
  }
  return out;
}

/** Percent-encodes the UTF-8 bytes of a string (lone surrogates included, as U+FFFD). */
function percentEncode(s: string): string {
  return [...Buffer.from(s, 'utf8')].map((b) => (/[\w.~-]/.test(String.fromCharCode(b)) && b < 0x80 ? String.fromCharCode(b) : `%${b.toString(16).padStart(2, '0').toUpperCase()}`)).join('');
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
  for (const method of ['GET', 'PUT', 'PATCH', 'OPTIONS', 'PROPFIND', 'SEARCH']) out.push({ family: 'methods-paths', method, path: MINT, headers: { ...JSON_TYPE }, body, expect: [404] });
  while (out.length < n) {
    const method = pick(rnd, methods);
    out.push({ family: 'methods-paths', method, path: pick(rnd, paths), headers: { ...JSON_TYPE }, body: method === 'TRACE' ? undefined : body });
  }
  return out;
}

/** Every family for POST /registry-auth, from the fixed seed. */
export function mintFamilies(seed = FUZZ_SEED): Record<string, FuzzRequest[]> {
  const families: Record<string, FuzzRequest[]> = {
    'json-value': jsonValueBodies(seed + 1, 300),
    'contract-fields': contractFieldBodies(seed + 2, 450),
    'near-valid': nearValidBodies(seed + 3, 450),
    'registry-tricks': registryTricks(seed + 4, 260),
    'deep-nesting': deepNesting(),
    'long-strings': longStrings(),
    'invalid-utf8': invalidUtf8(seed + 5, 200),
    'prototype-keys': prototypeKeys(),
    'huge-numbers': hugeNumbers(),
    'duplicate-keys': duplicateKeys(),
    'content-types': contentTypes(),
    'malformed-json': malformedJson(seed + 6, 160),
    'empty-body': emptyBodies(),
    headers: headerTricks(seed + 7, 120),
  };
  const all = Object.values(families).flat();
  families.chunked = chunked(all, seed + 8, 120);
  families.unauthenticated = unauthenticated(all, seed + 9, 150);
  return families;
}

/** Renders a request so a failure can be replayed by hand. */
export function describeRequest(r: FuzzRequest, max = 600): string {
  const text = r.body === undefined ? '(no body)' : r.body.toString('utf8');
  const binary = r.body !== undefined && !Buffer.from(text, 'utf8').equals(r.body);
  const shown = binary ? `base64:${r.body!.toString('base64')}` : JSON.stringify(text);
  const headers = { ...r.headers, ...(r.authorization === undefined ? {} : { authorization: r.authorization === null ? '(none)' : r.authorization.slice(0, 60) }) };
  return `${r.method} ${r.path.slice(0, 200)} ${JSON.stringify(headers).slice(0, 300)}${r.chunks ? ` chunked×${r.chunks}` : ''} body(${r.body?.length ?? 0} bytes)=${shown.length > max ? `${shown.slice(0, max)}…` : shown}`;
}

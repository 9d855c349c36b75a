/** Bodies of POST /registry-auth written as JSON text: deep nesting, prototype keys, odd numbers, duplicate keys, near-JSON, nothing. */
import { WORLD } from '../fixtures/aws-world';
import { CONTRACT_FIELDS, FuzzRequest, int, json, pick, post, prng, utf8, withRegistry } from './fuzz-request';

/** Bodies nested a thousand levels and more, written as text. */
export function deepNesting(): FuzzRequest[] {
  const nest = (open: string, close: string, depth: number, inner = '1') =>
    open.repeat(depth) + inner + close.repeat(depth);
  const bodies: Array<[string, readonly number[]]> = [];
  for (const depth of [33, 100, 1000, 2500, 5000, 8000]) {
    bodies.push([nest('[', ']', depth), [400, 413]]);
    bodies.push([`{"registry":"${WORLD.customer.registry}","x":${nest('[', ']', Math.min(depth, 8000))}}`, [400, 413]]);
  }
  for (const depth of [33, 1000, 2000, 3000]) {
    bodies.push([nest('{"a":', '}', depth), [400, 413]]);
    bodies.push([`{"registry":${nest('{"a":', '}', depth, '"x"')},"roleArn":"${WORLD.customer.arn}"}`, [400, 413]]);
    bodies.push([
      `{"registry":"${WORLD.customer.registry}","roleArn":"${WORLD.customer.arn}","externalId":"${WORLD.customer.externalId}","extra":${nest('{"a":', '}', depth)}}`,
      [400, 413],
    ]);
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
  out.push(
    post(
      'prototype-keys',
      utf8(
        `{"registry":"${WORLD.customer.registry}","hasOwnProperty":"x","roleArn":"${WORLD.customer.arn}","externalId":"${WORLD.customer.externalId}"}`,
      ),
    ),
  );
  return out;
}

/** Numbers JSON allows and JavaScript mangles. */
export function hugeNumbers(): FuzzRequest[] {
  const numbers = [
    '1e309',
    '-1e309',
    '-0',
    '0e0',
    '1e-400',
    '123456789012',
    '222222222222',
    '1'.repeat(400),
    `-${'9'.repeat(400)}`,
    '9007199254740993',
    '0.1e1',
    '1E+2',
    `0.${'0'.repeat(300)}1`,
    '1.7976931348623157e308',
  ];
  const texts: string[] = [];
  for (const num of numbers) {
    texts.push(num);
    texts.push(`{"registry":${num}}`);
    texts.push(
      `{"registry":"${WORLD.customer.registry}","roleArn":${num},"externalId":"${WORLD.customer.externalId}"}`,
    );
    texts.push(
      `{"registry":"${WORLD.customer.registry}","roleArn":"${WORLD.customer.arn}","externalId":"${WORLD.customer.externalId}","access":${num}}`,
    );
    texts.push(
      `{"registry":"${WORLD.customer.registry}","roleArn":"${WORLD.customer.arn}","externalId":"${WORLD.customer.externalId}","n":${num}}`,
    );
  }
  // Not JSON, though JavaScript has them.
  for (const bad of ['NaN', 'Infinity', '-Infinity', '0x10', '1_000', '+1', '.5', '01', '1.', '1e']) {
    texts.push(
      `{"registry":"${WORLD.customer.registry}","roleArn":"${WORLD.customer.arn}","externalId":"${WORLD.customer.externalId}","n":${bad}}`,
    );
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
    texts.push(
      r < 0.4
        ? valid.slice(0, at) + ch + valid.slice(at)
        : r < 0.7
          ? valid.slice(0, at) + valid.slice(at + 1)
          : valid.slice(0, at) + ch + valid.slice(at + 1),
    );
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
  out.push({
    ...post('empty-body', undefined),
    headers: { 'content-type': 'application/json', 'content-length': '0' },
    expect: [400],
  });
  out.push({ ...post('empty-body', Buffer.alloc(0)), headers: {}, expect: [400, 415] });
  return out;
}

/** Bodies of POST /registry-auth as bytes: sizes around the limit, invalid UTF-8, byte order marks, raw noise. */
import { WORLD } from '../fixtures/aws-world';
import { BODY_LIMIT, FuzzRequest, int, json, pick, post, prng, utf8, withRegistry } from './fuzz-request';

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
  out.push(
    post('long-strings', json({ ...withRegistry(WORLD.customer.registry), externalId: 'a'.repeat(BODY_LIMIT - 200) }), {
      expect: [400],
    }),
  );
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
  const splice = (buf: Buffer, at: number, bytes: number[]) =>
    Buffer.concat([buf.subarray(0, at), Buffer.from(bytes), buf.subarray(at)]);
  // Inside the registry value, the role ARN, the external ID, a key name, and between tokens.
  const spots = [
    13,
    base.indexOf('dkr'),
    base.indexOf('arn:') + 4,
    base.lastIndexOf('"') - 2,
    2,
    base.indexOf(':'),
    0,
    base.length,
  ];
  for (const bytes of BAD_UTF8) {
    for (const at of spots) out.push(post('invalid-utf8', splice(base, at, bytes)));
  }
  // Byte order marks: UTF-8 (the parser may take it), UTF-16 and UTF-32 (never).
  out.push(post('invalid-utf8', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), base])));
  out.push(
    post(
      'invalid-utf8',
      Buffer.concat([
        Buffer.from([0xfe, 0xff]),
        Buffer.from(JSON.stringify(withRegistry(WORLD.customer.registry)), 'utf16le').swap16(),
      ]),
    ),
  );
  out.push(
    post(
      'invalid-utf8',
      Buffer.concat([
        Buffer.from([0xff, 0xfe]),
        Buffer.from(JSON.stringify(withRegistry(WORLD.customer.registry)), 'utf16le'),
      ]),
    ),
  );
  out.push(post('invalid-utf8', Buffer.concat([Buffer.from([0xff, 0xfe, 0, 0]), base])));
  out.push(post('invalid-utf8', Buffer.from(JSON.stringify(withRegistry(WORLD.customer.registry)), 'latin1')));
  out.push(post('invalid-utf8', Buffer.from(JSON.stringify(withRegistry('é')), 'latin1')));
  // A multi-byte character cut by the chunk boundary is valid UTF-8 and must parse as such.
  out.push(
    post('invalid-utf8', json({ ...withRegistry(WORLD.customer.registry), note: '€😀'.repeat(40) }), {
      chunks: 37,
      expect: [200],
    }),
  );
  // Random bytes, random bytes inside an object, and random positions in a valid body.
  while (out.length < n) {
    const r = rnd();
    if (r < 0.3) {
      out.push(post('invalid-utf8', Buffer.from(Array.from({ length: 1 + int(rnd, 200) }, () => int(rnd, 256)))));
    } else if (r < 0.6) {
      const junk = Buffer.from(Array.from({ length: 1 + int(rnd, 40) }, () => 0x80 + int(rnd, 128)));
      out.push(
        post(
          'invalid-utf8',
          Buffer.concat([utf8('{"registry":"'), junk, utf8(`","roleArn":"${WORLD.customer.arn}"}`)]),
        ),
      );
    } else {
      out.push(
        post(
          'invalid-utf8',
          splice(base, int(rnd, base.length + 1), pick(rnd, BAD_UTF8)),
          rnd() < 0.3 ? { chunks: 2 + int(rnd, 6) } : {},
        ),
      );
    }
  }
  return out;
}

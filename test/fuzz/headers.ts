/** Headers of POST /registry-auth: content types, Authorization values, and odd but sendable headers. */
import { WORLD } from '../fixtures/aws-world';
import { FuzzRequest, int, JSON_TYPE, json, pick, post, prng, utf8, withRegistry } from './fuzz-request';

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
  for (const type of refused)
    out.push({ ...post('content-types', body), headers: { 'content-type': type }, expect: [415] });
  for (const type of odd) out.push({ ...post('content-types', body), headers: { 'content-type': type } });
  // A form and a multipart body as their senders would send them.
  out.push({
    ...post(
      'content-types',
      utf8(`registry=${WORLD.customer.registry}&roleArn=${encodeURIComponent(WORLD.customer.arn)}`),
    ),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    expect: [415],
  });
  out.push({
    ...post(
      'content-types',
      utf8(`--xyz\r\nContent-Disposition: form-data; name="registry"\r\n\r\n${WORLD.customer.registry}\r\n--xyz--\r\n`),
    ),
    headers: { 'content-type': 'multipart/form-data; boundary=xyz' },
    expect: [415],
  });
  // No Content-Type at all, with and without a body.
  out.push({ ...post('content-types', body), headers: {} });
  out.push({ ...post('content-types', body), headers: {}, chunks: 3 });
  out.push({ ...post('content-types', undefined), headers: {} });
  // JSON under a wrong type, a wrong body under JSON.
  out.push({
    ...post('content-types', utf8('registry=x')),
    headers: { 'content-type': 'application/json' },
    expect: [400],
  });
  out.push({
    ...post('content-types', utf8('<registry>x</registry>')),
    headers: { 'content-type': 'application/json' },
    expect: [400],
  });
  // Content-Encoding the service does not undo.
  out.push({
    ...post('content-types', body),
    headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
  });
  out.push({
    ...post('content-types', Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 1, 2, 3])),
    headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
  });
  out.push({
    ...post('content-types', body),
    headers: { 'content-type': 'application/json', 'content-encoding': 'identity, br' },
  });
  return out;
}

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
  out.push({
    ...post('headers', body),
    headers: { ...JSON_TYPE, ...Object.fromEntries(Array.from({ length: 90 }, (_, i) => [`x-h${i}`, String(i)])) },
  });
  out.push({ ...post('headers', body), headers: { ...JSON_TYPE, 'x-long': 'a'.repeat(8000) } });
  // Random printable-latin1 values in a handful of headers the service reads.
  const chars = (len: number) =>
    Array.from({ length: len }, () =>
      String.fromCharCode(pick(rnd, [0x09, ...range(0x20, 0x7e), ...range(0x80, 0xff)])),
    ).join('');
  while (out.length < n) {
    const name = pick(rnd, [
      'x-request-id',
      'content-type',
      'authorization',
      'accept',
      'x-forwarded-for',
      'user-agent',
    ]);
    const value = chars(1 + int(rnd, 80)).trim();
    if (name === 'authorization') out.push({ ...post('headers', body), authorization: value, expect: [401] });
    else out.push({ ...post('headers', body), headers: { ...JSON_TYPE, [name]: value } });
  }
  return out;
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

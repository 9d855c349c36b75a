import { WORLD } from '../fixtures/aws-world';
import { customerBody, expectNoSecrets, Harness, startHarness } from './harness';

/**
 * One way into each route: the same hostile request through every spelling of a route's
 * path answers the same status, code and message, and the body limit holds on every route.
 */
const LIMIT = 1024;

interface Hostile {
  readonly why: string;
  readonly contentType?: string;
  readonly body: string | Buffer;
  /** The answer every route and spelling gives. */
  readonly status: number;
  readonly code: string;
}

const REGISTRY = `"registry":"${WORLD.customer.registry}"`;

const HOSTILE: readonly Hostile[] = [
  { why: 'an empty body', contentType: 'application/json', body: '', status: 400, code: 'INVALID_REQUEST' },
  { why: 'whitespace only', contentType: 'application/json', body: ' \n\t ', status: 400, code: 'INVALID_REQUEST' },
  { why: 'bad JSON', contentType: 'application/json', body: '{"registry":', status: 400, code: 'INVALID_REQUEST' },
  { why: 'an array', contentType: 'application/json', body: '[]', status: 400, code: 'INVALID_REQUEST' },
  { why: 'null', contentType: 'application/json', body: 'null', status: 400, code: 'INVALID_REQUEST' },
  {
    why: 'a __proto__ key',
    contentType: 'application/json',
    body: `{${REGISTRY},"__proto__":{"x":1}}`,
    status: 400,
    code: 'INVALID_REQUEST',
  },
  {
    why: 'constructor.prototype',
    contentType: 'application/json',
    body: `{${REGISTRY},"constructor":{"prototype":{"x":1}}}`,
    status: 400,
    code: 'INVALID_REQUEST',
  },
  {
    why: 'invalid UTF-8 in a string',
    contentType: 'application/json',
    body: Buffer.concat([Buffer.from('{"registry":"'), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('"}')]),
    status: 400,
    code: 'INVALID_REQUEST',
  },
  {
    why: 'a body one byte over the limit',
    contentType: 'application/json',
    body: `{${REGISTRY},"pad":"${'x'.repeat(LIMIT)}"}`.slice(0, LIMIT + 1),
    status: 413,
    code: 'PAYLOAD_TOO_LARGE',
  },
  { why: 'text/plain', contentType: 'text/plain', body: `{${REGISTRY}}`, status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
  { why: 'no content type', body: `{${REGISTRY}}`, status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
  {
    why: 'a malformed content type',
    contentType: ';',
    body: `{${REGISTRY}}`,
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
  },
  {
    why: 'two content types',
    contentType: 'application/json, text/plain',
    body: `{${REGISTRY}}`,
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
  },
];

// What each route says of a well-formed JSON object it cannot use; the shape errors above are the same everywhere.
const ROUTES = [
  { method: 'POST', path: '/registry-auth' },
  { method: 'DELETE', path: '/registry-auth/cache' },
  { method: 'POST', path: '/registry-auth/verify' },
] as const;

const SPELLINGS = (path: string) => [path, `${path}?`, `${path}?x=1`, `${path}?registry=1&x`];

describe('one way into each route', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { ECR_AUTH_MAX_BODY_BYTES: String(LIMIT) } });
  });
  afterAll(async () => {
    expectNoSecrets(h.logs);
    await h.close();
  });

  async function send(method: string, path: string, hostile: Pick<Hostile, 'contentType' | 'body'>) {
    const headers: Record<string, string> = { authorization: `Bearer ${WORLD.apiToken}` };
    if (hostile.contentType !== undefined) headers['content-type'] = hostile.contentType;
    const res = await fetch(h.url + path, { method, headers, body: hostile.body });
    const json = (await res.json()) as { code: string; message: string };
    return { status: res.status, code: json.code, message: json.message };
  }

  describe.each(ROUTES)('$method $path', ({ method, path }) => {
    it.each(HOSTILE)('$why: $status $code through every spelling, with one message', async (hostile) => {
      const answers = [];
      for (const spelling of SPELLINGS(path)) answers.push(await send(method, spelling, hostile));
      expect(answers[0]).toMatchObject({ status: hostile.status, code: hostile.code });
      for (const answer of answers) expect(answer).toEqual(answers[0]);
    });
  });

  it('the body limit is ECR_AUTH_MAX_BODY_BYTES on every route: at the limit a body is read', async () => {
    const atLimit = JSON.stringify({ ...customerBody(), pad: '' });
    const body = JSON.stringify({ ...customerBody(), pad: 'x'.repeat(LIMIT - atLimit.length) });
    expect(Buffer.byteLength(body)).toBe(LIMIT);
    for (const { method, path } of ROUTES) {
      const answer = await send(method, path, { contentType: 'application/json', body });
      expect([path, answer.status]).not.toEqual([path, 413]);
    }
  });

  it('a body over the limit sent in chunks, with no Content-Length, is refused as well', async () => {
    for (const { method, path } of ROUTES) {
      const chunks = [Buffer.from(`{${REGISTRY},"pad":"`), Buffer.alloc(LIMIT, 'x'), Buffer.from('"}')];
      const stream = new ReadableStream({
        start(controller) {
          for (const chunk of chunks) controller.enqueue(chunk);
          controller.close();
        },
      });
      const res = await fetch(h.url + path, {
        method,
        headers: { authorization: `Bearer ${WORLD.apiToken}`, 'content-type': 'application/json' },
        body: stream,
        duplex: 'half',
      });
      expect([path, res.status, ((await res.json()) as { code: string }).code]).toEqual([
        path,
        413,
        'PAYLOAD_TOO_LARGE',
      ]);
    }
  });

  it('authentication comes first on every route and spelling: 401 whatever the body', async () => {
    for (const { method, path } of ROUTES) {
      for (const spelling of SPELLINGS(path)) {
        const res = await fetch(h.url + spelling, { method, headers: { 'content-type': 'text/plain' }, body: 'x' });
        expect([spelling, res.status]).toEqual([spelling, 401]);
      }
    }
  });
});

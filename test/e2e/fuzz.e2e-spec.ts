import { Agent, request, type IncomingHttpHeaders } from 'node:http';
import { ERROR_CATALOGUE, ERROR_CODES, type ErrorCode } from '../../src/errors/error-codes';
import { AwsEmulator } from '../emulator/aws-emulator';
import { seedWorld, WORLD } from '../fixtures/aws-world';
import {
  describeRequest,
  evictionBodies,
  FUZZ_SEED,
  type FuzzRequest,
  methodsAndPaths,
  mintFamilies,
  policyQueries,
  verifyBodies,
} from '../fuzz/bodies';
import { expectNoSecrets, Harness, issuedSecrets, startHarness } from './harness';

/**
 * Thousands of generated hostile requests (fixed seed: test/fuzz/bodies.ts) against the running
 * service over real HTTP. Whatever arrives, the answer is 2xx or 4xx, never 5xx; every refusal is
 * the contract's JSON error; the process survives; nothing secret reaches the logs or an error body.
 */

interface Answer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

const CONCURRENCY = 16;
const ANSWER_TIMEOUT_MS = 10_000;
// The request id the service echoes: a sane token, never the caller's raw header.
const SAFE_REQUEST_ID = /^[\w.:-]{1,128}$/;

/** Sends one request as bytes, over the given agent; chunked when asked. */
function send(base: URL, agent: Agent | false, r: FuzzRequest): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { ...r.headers };
    const authorization = r.authorization === undefined ? `Bearer ${WORLD.apiToken}` : r.authorization;
    if (authorization !== null) headers.authorization = authorization;
    if (r.body !== undefined && r.chunks === undefined && headers['content-length'] === undefined)
      headers['content-length'] = String(r.body.length);
    let answered = false;
    const req = request(
      { host: base.hostname, port: base.port, method: r.method, path: r.path, headers, agent },
      (res) => {
        answered = true;
        const parts: Buffer[] = [];
        res.on('data', (d: Buffer) => parts.push(d));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(parts).toString('utf8') }),
        );
        res.on('close', () => reject(new Error('the answer was cut off')));
      },
    );
    req.setTimeout(ANSWER_TIMEOUT_MS, () => req.destroy(new Error(`no answer within ${ANSWER_TIMEOUT_MS} ms`)));
    // Once an answer has begun, a reset of the rest of an upload is the server's right (413).
    req.on('error', (e) => answered || reject(e));
    if (r.body === undefined || r.chunks === undefined) {
      req.end(r.body);
      return;
    }
    // Chunked: in pieces of at most 16 KiB, each on its own turn of the event loop, with
    // back-pressure; the upload stops once the server has answered (a 413, a 401).
    const body = r.body;
    void (async () => {
      const size = Math.max(1, Math.ceil(body.length / r.chunks!));
      for (let at = 0; at < body.length; at += size) {
        const chunk = body.subarray(at, at + size);
        for (let p = 0; p < chunk.length; p += 16_384) {
          if (req.destroyed) return;
          if (answered) {
            req.end();
            return;
          }
          if (!req.write(chunk.subarray(p, p + 16_384))) {
            // Whichever comes first; the other listener is removed, or one 'close' listener
            // per wait would pile up on the request (MaxListenersExceededWarning).
            await new Promise<void>((next) => {
              const done = () => {
                req.off('drain', done);
                req.off('close', done);
                next();
              };
              req.on('drain', done);
              req.on('close', done);
            });
          }
          await new Promise((next) => setImmediate(next));
        }
      }
      if (!answered && !req.destroyed) req.end();
    })();
  });
}

/** What is wrong with an answer, or undefined when it follows the rules. */
function violation(r: FuzzRequest, answer: Answer): string | undefined {
  const { status } = answer;
  if (!(status >= 200 && status < 300) && !(status >= 400 && status < 500))
    return `status ${status} (neither 2xx nor 4xx)`;
  if (r.expect && !r.expect.includes(status)) return `status ${status}, expected one of ${r.expect.join(', ')}`;
  const requestId = answer.headers['x-request-id'];
  if (typeof requestId !== 'string' || !SAFE_REQUEST_ID.test(requestId))
    return `x-request-id ${JSON.stringify(requestId)} is not a safe token`;
  if (answer.headers['x-content-type-options'] !== 'nosniff') return 'no X-Content-Type-Options: nosniff';
  if (answer.headers['cache-control'] !== 'no-store')
    return `Cache-Control ${JSON.stringify(answer.headers['cache-control'])}, not no-store`;
  if (r.method === 'HEAD') return undefined;
  let body: any;
  try {
    body = JSON.parse(answer.body);
  } catch {
    return 'the body is not JSON';
  }
  if (status < 300) return undefined;
  if (typeof body?.code !== 'string' || !(ERROR_CODES as readonly string[]).includes(body.code))
    return `code ${JSON.stringify(body?.code)} is not in the catalogue`;
  if (ERROR_CATALOGUE[body.code as ErrorCode].status !== status || body.statusCode !== status)
    return `code ${body.code} / statusCode ${body.statusCode} does not match status ${status}`;
  if (typeof body.message !== 'string' || body.message.trim() === '') return 'no message';
  if (typeof body.requestId !== 'string' || body.requestId === '' || body.requestId !== requestId)
    return `requestId ${JSON.stringify(body.requestId)} is not the x-request-id`;
  return undefined;
}

describe('fuzz: hostile requests against the running service', () => {
  let emu: AwsEmulator;
  let h: Harness;
  let base: URL;
  let agent: Agent;
  const errorBodies: string[] = [];
  const statuses = new Map<number, number>();
  let sent = 0;

  beforeAll(async () => {
    emu = await AwsEmulator.start();
    seedWorld(emu);
    // As deployed: the endpoint variable the SDK reads is in the service's environment too.
    h = await startHarness({ emulator: emu, env: { AWS_ENDPOINT_URL: emu.url } });
    base = new URL(h.url);
    agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  });
  afterAll(async () => {
    agent.destroy();
    await h.close();
    await emu.close();
  });

  /** Sends every request, 16 at a time; returns the rule breaks with their reproducers. */
  async function fuzz(requests: readonly FuzzRequest[]): Promise<string[]> {
    const problems: string[] = [];
    let next = 0;
    const worker = async () => {
      while (next < requests.length) {
        const r = requests[next++];
        let answer: Answer;
        try {
          answer = await send(base, agent, r);
        } catch (e) {
          problems.push(`[${r.family}] ${(e as Error).message} ← ${describeRequest(r)}`);
          continue;
        } finally {
          sent++;
        }
        statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
        if (answer.status >= 400) errorBodies.push(answer.body);
        const problem = violation(r, answer);
        if (problem) problems.push(`[${r.family}] ${problem}: ${answer.body.slice(0, 300)} ← ${describeRequest(r)}`);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    return problems.slice(0, 20);
  }

  const families = mintFamilies(FUZZ_SEED);

  it.each(Object.keys(families).map((name) => [name, families[name].length]))(
    'POST /registry-auth: %s (%i requests)',
    async (name) => {
      expect(await fuzz(families[name])).toEqual([]);
    },
  );

  it('DELETE /registry-auth/cache: hostile eviction bodies', async () => {
    expect(await fuzz(evictionBodies(FUZZ_SEED + 20, 200))).toEqual([]);
  });

  it('POST /registry-auth/verify: hostile onboarding checks', async () => {
    expect(await fuzz(verifyBodies(FUZZ_SEED + 21, 150))).toEqual([]);
  });

  it('GET /onboarding/policies: hostile query strings', async () => {
    expect(await fuzz(policyQueries(FUZZ_SEED + 22, 150))).toEqual([]);
  });

  it('other methods and paths: 404 NOT_FOUND in the contract shape, never a crash', async () => {
    expect(await fuzz(methodsAndPaths(FUZZ_SEED + 23, 100))).toEqual([]);
  });

  it('afterwards: the process is alive, over a thousand requests were answered, no secret leaked', async () => {
    expect(sent).toBeGreaterThanOrEqual(1000);
    expect([...statuses.keys()].filter((s) => s >= 500)).toEqual([]);
    const live = await h.get('/health/live');
    expect(live.status).toBe(200);
    expect(live.json).toEqual({ status: 'ok' });
    // The service still mints after the storm.
    const ok = await h.post('/registry-auth', {
      registry: WORLD.customer.registry,
      roleArn: WORLD.customer.arn,
      externalId: WORLD.customer.externalId,
    });
    expect(ok.status).toBe(200);
    expectNoSecrets(h.logs, issuedSecrets(emu));
    expectNoSecrets(errorBodies, issuedSecrets(emu));
  });
});

/**
 * Regression tests for what the fuzz suite found. Each names the exact request that broke a
 * rule; they fail until the service is fixed.
 */
describe('fuzz findings', () => {
  const customer = { roleArn: WORLD.customer.arn, externalId: WORLD.customer.externalId };
  const staticKey = { accessKeyId: WORLD.staticUser.accessKeyId, secretAccessKey: WORLD.staticUser.secretAccessKey };

  /** The contract's error shape, for a 4xx answer read off the wire. */
  const expectContractError = (answer: Answer, status: number, code: ErrorCode) => {
    expect(answer.status).toBe(status);
    expect(JSON.parse(answer.body)).toEqual({
      statusCode: status,
      code,
      message: expect.any(String),
      requestId: expect.stringMatching(SAFE_REQUEST_ID),
    });
  };

  // FOUND BY FUZZING (registry-tricks): 500 INTERNAL "Unexpected answer from AWS (EndpointError)".
  // A FIPS or dual-stack registry while the SDK reaches ECR through an endpoint the service's
  // configuration does not see (here the harness sets AWS_ENDPOINT_URL for the SDK only; in a
  // deployment, presumably an `endpoint_url` in the shared AWS config file): the ECR client asks
  // for FIPS/dual-stack together with a custom endpoint, which the SDK refuses before any call.
  // With the endpoint in the service's environment too (the suite above), these are served.
  it.each([
    ['a dual-stack registry with a role', { registry: '123456789012.dkr-ecr.us-west-2.on.aws', ...customer }],
    ['a dual-stack FIPS registry with a role', { registry: '123456789012.dkr-ecr-fips.us-east-2.on.aws', ...customer }],
    [
      'a FIPS registry with a static key',
      { registry: '123456789012.dkr.ecr-fips.us-east-1.amazonaws.com', ...staticKey },
    ],
  ])('%s is served, never 500', async (_name, body) => {
    const h = await startHarness();
    try {
      const res = await h.post('/registry-auth', body);
      expect(res.status).toBe(200);
    } finally {
      await h.close();
    }
  });

  describe('on the running service', () => {
    let h: Harness;
    beforeAll(async () => {
      h = await startHarness();
    });
    afterAll(async () => h.close());

    // FOUND BY FUZZING (methods-paths): 400 with Fastify's own body and no request id,
    // {"error":"Bad Request","code":"FST_ERR_BAD_URL","message":"'/registry-auth/%ff' is not a valid url component","statusCode":400}
    // The path's percent-encoding is not UTF-8; the answer must be the contract's error.
    it("a path with invalid percent-encoding gets the contract's 400 INVALID_REQUEST (or 404 NOT_FOUND)", async () => {
      const res = await send(new URL(h.url), false, {
        family: 'regression',
        method: 'GET',
        path: '/registry-auth/%ff',
        headers: {},
      });
      expect([400, 404]).toContain(res.status);
      expectContractError(res, res.status, res.status === 400 ? 'INVALID_REQUEST' : 'NOT_FOUND');
    });

    // FOUND BY FUZZING (methods-paths, policies): requests that Node's HTTP parser refuses get
    // Fastify's default client-error answer instead of the contract's error, e.g. for a raw byte
    // 0xFF in the request target ("POST /registry-auth/\xff"):
    //   400 {"error":"Bad Request","message":"Client Error","statusCode":400}
    // and for a header block over 16 KiB ("GET /onboarding/policies?externalId=" + 17,000 × "a"):
    //   431 {"error":"Request Header Fields Too Large","message":"Exceeded maximum allowed HTTP header size","statusCode":431}
    // No request id, no security headers, and no Connection: close although the socket is then
    // destroyed, so a keep-alive client's next request on that connection fails with "socket hang up".
    it.each([
      [
        'a raw non-ASCII byte in the request target',
        {
          method: 'POST',
          path: '/registry-auth/\u00ff',
          headers: { 'content-type': 'application/json' },
          body: Buffer.from('{}'),
        },
      ],
      ['a request target over 16 KiB', { method: 'GET', path: `/registry-auth?x=${'a'.repeat(17_000)}`, headers: {} }],
      [
        'a header over 16 KiB',
        {
          method: 'POST',
          path: '/registry-auth',
          headers: { 'content-type': 'application/json', 'x-pad': 'a'.repeat(17_000) },
          body: Buffer.from('{}'),
        },
      ],
    ])('%s gets a contract error and Connection: close', async (_name, request) => {
      const res = await send(new URL(h.url), false, { family: 'regression', ...request });
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      const body = JSON.parse(res.body);
      expect(ERROR_CODES).toContain(body.code);
      expect(body).toEqual({
        statusCode: res.status,
        code: body.code,
        message: expect.any(String),
        requestId: expect.stringMatching(SAFE_REQUEST_ID),
      });
      expect(res.headers.connection).toBe('close');
    });
  });
});

import { ERROR_CODES, type ErrorCode } from '../../src/errors/error-codes';
import { WORLD } from '../fixtures/aws-world';
import { type Answer, SAFE_REQUEST_ID, send } from '../fuzz/wire';
import { type Harness, startHarness } from './harness';

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

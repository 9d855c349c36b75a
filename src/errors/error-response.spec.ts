import { NotFoundException, PayloadTooLargeException } from '@nestjs/common';
import { EcrAuthError } from './ecr-auth.error';
import { ERROR_CATALOGUE, ERROR_CODES, ErrorCode } from './error-codes';
import { toErrorResponse } from './error-response';

const REQUEST_ID = 'req-1';

// The status column of the contract's error table (docs: /work/shared/contract.md, "Errors").
const CONTRACT: Record<ErrorCode, number> = {
  INVALID_REQUEST: 400,
  UNSUPPORTED_REGISTRY: 400,
  INVALID_REGISTRY_KEY: 400,
  PARTITION_MISMATCH: 400,
  EXTERNAL_ID_REQUIRED: 400,
  UNAUTHENTICATED: 401,
  ACCOUNT_NOT_ALLOWED: 403,
  ASSUME_ROLE_DENIED: 403,
  STS_REGION_DISABLED: 403,
  INVALID_STATIC_CREDENTIALS: 403,
  ECR_ACCESS_DENIED: 403,
  NOT_FOUND: 404,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  JUMP_ROLE_FAILED: 502,
  SERVICE_CREDENTIALS_INVALID: 502,
  UPSTREAM_THROTTLED: 503,
  UPSTREAM_UNAVAILABLE: 503,
  UPSTREAM_TIMEOUT: 504,
  INTERNAL: 500,
};

describe('ERROR_CATALOGUE', () => {
  it('has one entry for each error code, and no other', () => {
    expect(Object.keys(ERROR_CATALOGUE).sort()).toEqual([...ERROR_CODES].sort());
    expect(new Set(ERROR_CODES).size).toBe(ERROR_CODES.length);
  });

  it.each(Object.entries(CONTRACT))('%s answers %i as the contract says', (code, status) => {
    expect(ERROR_CATALOGUE[code as ErrorCode].status).toBe(status);
  });

  it('covers every code of the contract table', () => {
    expect([...ERROR_CODES].sort()).toEqual(Object.keys(CONTRACT).sort());
  });
});

describe('toErrorResponse for EcrAuthError', () => {
  it.each([...ERROR_CODES])('%s → its catalogue status and the contract body', (code) => {
    const response = toErrorResponse(new EcrAuthError(code, `what to do about ${code}`), REQUEST_ID);
    expect(response.status).toBe(ERROR_CATALOGUE[code].status);
    expect(response.body).toEqual({
      statusCode: ERROR_CATALOGUE[code].status,
      code,
      message: `what to do about ${code}`,
      requestId: REQUEST_ID,
    });
    expect(response.headers).toEqual({
      'cache-control': 'no-store',
      ...(code === 'UNAUTHENTICATED' ? { 'www-authenticate': 'Bearer' } : {}),
    });
  });

  it.each([
    ['UPSTREAM_THROTTLED', 3],
    ['RATE_LIMITED', 42],
  ] as const)('%s with a retry delay sets retry-after', (code, seconds) => {
    const response = toErrorResponse(new EcrAuthError(code, 'wait', { retryAfterSeconds: seconds }), REQUEST_ID);
    expect(response.headers).toEqual({ 'cache-control': 'no-store', 'retry-after': String(seconds) });
  });

  it('flags an INTERNAL EcrAuthError as unexpected, with its cause for the log', () => {
    const cause = new Error('root cause');
    expect(toErrorResponse(new EcrAuthError('INTERNAL', 'x', { cause }), REQUEST_ID).unexpected).toBe(cause);
    const bare = new EcrAuthError('INTERNAL', 'x');
    expect(toErrorResponse(bare, REQUEST_ID).unexpected).toBe(bare);
  });

  it('does not flag an expected refusal', () => {
    expect(
      toErrorResponse(new EcrAuthError('ASSUME_ROLE_DENIED', 'x', { cause: new Error('c') }), REQUEST_ID).unexpected,
    ).toBeUndefined();
  });
});

describe('toErrorResponse for framework errors', () => {
  const fastify = (code: string, statusCode: number) =>
    Object.assign(new Error(`fastify says ${code}`), { code, statusCode });

  it.each([
    ['FST_ERR_CTP_BODY_TOO_LARGE', 413, 'PAYLOAD_TOO_LARGE'],
    ['FST_ERR_CTP_INVALID_MEDIA_TYPE', 415, 'UNSUPPORTED_MEDIA_TYPE'],
    ['FST_ERR_CTP_INVALID_JSON_BODY', 400, 'INVALID_REQUEST'],
    ['FST_ERR_CTP_EMPTY_JSON_BODY', 400, 'INVALID_REQUEST'],
    ['FST_ERR_CTP_INVALID_CONTENT_LENGTH', 400, 'INVALID_REQUEST'],
  ])('Fastify %s → %i %s, in the contract body', (fstCode, status, code) => {
    const response = toErrorResponse(fastify(fstCode, status), REQUEST_ID);
    expect(response).toMatchObject({
      status,
      body: { statusCode: status, code, requestId: REQUEST_ID },
      headers: { 'cache-control': 'no-store' },
    });
    expect(response.body.message).not.toContain('fastify says');
    expect(response.unexpected).toBeUndefined();
  });

  it.each([
    ['a Nest NotFoundException', new NotFoundException('Cannot GET /nope'), 404, 'NOT_FOUND'],
    ['an HttpException-like 404', { getStatus: (): number => 404, message: 'x' }, 404, 'NOT_FOUND'],
    ['an error with statusCode 404', Object.assign(new Error('x'), { statusCode: 404 }), 404, 'NOT_FOUND'],
    ['a 405', { getStatus: (): number => 405 }, 404, 'NOT_FOUND'],
    ['a Nest PayloadTooLargeException', new PayloadTooLargeException(), 413, 'PAYLOAD_TOO_LARGE'],
    ['an error with statusCode 415', Object.assign(new Error('x'), { statusCode: 415 }), 415, 'UNSUPPORTED_MEDIA_TYPE'],
    [
      'a 400 from the JSON parser (prototype key)',
      Object.assign(new SyntaxError('Object contains forbidden prototype property'), { statusCode: 400 }),
      400,
      'INVALID_REQUEST',
    ],
  ] as Array<[string, unknown, number, string]>)('%s → %i %s', (_why, error, status, code) => {
    expect(toErrorResponse(error, REQUEST_ID)).toMatchObject({ status, body: { statusCode: status, code } });
  });
});

describe('toErrorResponse for anything else', () => {
  it('an arbitrary Error → 500 INTERNAL, flagged unexpected, its message kept out of the body', () => {
    const error = new Error('db password is Qx7-secret');
    const response = toErrorResponse(error, REQUEST_ID);
    expect(response).toMatchObject({ status: 500, body: { statusCode: 500, code: 'INTERNAL', requestId: REQUEST_ID } });
    expect(response.unexpected).toBe(error);
    expect(JSON.stringify(response.body)).not.toContain('Qx7');
    expect(response.body.message).toMatch(/request id/);
  });

  it.each([undefined, null, 'a string', 42, { code: 'FST_UNKNOWN' }])('%j → 500 INTERNAL', (thrown) => {
    expect(toErrorResponse(thrown, REQUEST_ID)).toMatchObject({ status: 500, body: { code: 'INTERNAL' } });
  });
});

import {
  BadRequestException,
  ForbiddenException,
  NotFoundException,
  PayloadTooLargeException,
  UnsupportedMediaTypeException,
} from '@nestjs/common';
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
  OPERATOR_ONLY: 403,
  ASSUME_ROLE_DENIED: 403,
  STS_REGION_DISABLED: 403,
  INVALID_STATIC_CREDENTIALS: 403,
  ECR_ACCESS_DENIED: 403,
  NOT_FOUND: 404,
  REQUEST_TIMEOUT: 408,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  JUMP_ROLE_FAILED: 502,
  SERVICE_CREDENTIALS_INVALID: 502,
  UPSTREAM_TOKEN_TOO_SHORT: 502,
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
    expect(response.headers).toEqual(code === 'UNAUTHENTICATED' ? { 'www-authenticate': 'Bearer' } : {});
  });

  it.each([
    ['UPSTREAM_THROTTLED', 3],
    ['RATE_LIMITED', 42],
  ] as const)('%s with a retry delay sets retry-after', (code, seconds) => {
    const response = toErrorResponse(new EcrAuthError(code, 'wait', { retryAfterSeconds: seconds }), REQUEST_ID);
    expect(response.headers).toEqual({ 'retry-after': String(seconds) });
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

describe('toErrorResponse for Nest routing', () => {
  it('a NotFoundException (no route for the path or method) → 404 NOT_FOUND', () => {
    const response = toErrorResponse(new NotFoundException('Cannot GET /nope'), REQUEST_ID);
    expect(response).toMatchObject({ status: 404, body: { statusCode: 404, code: 'NOT_FOUND' } });
    expect(response.body.message).not.toContain('/nope');
    expect(response.unexpected).toBeUndefined();
  });

  it.each([
    [new PayloadTooLargeException(), 413, 'PAYLOAD_TOO_LARGE'],
    [new UnsupportedMediaTypeException(), 415, 'UNSUPPORTED_MEDIA_TYPE'],
    [new BadRequestException('parser detail'), 400, 'INVALID_REQUEST'],
  ] as const)('%s → %i %s, without its own message', (error, status, code) => {
    const response = toErrorResponse(error, REQUEST_ID);
    expect(response).toMatchObject({ status, body: { statusCode: status, code } });
    expect(response.body.message).not.toContain('detail');
  });

  it('any other HttpException is not the contract: 500 INTERNAL, flagged for the log', () => {
    const error = new ForbiddenException();
    expect(toErrorResponse(error, REQUEST_ID)).toMatchObject({
      status: 500,
      body: { code: 'INTERNAL' },
      unexpected: error,
    });
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

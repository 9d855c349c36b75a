/** The one error the emulator's handlers throw, and its rendering in each service's wire format. */
import type { ServiceName } from './emulator.types';
import { requestId } from './random.util';
import { xmlEscape } from './xml.util';

/** An AWS error answer: HTTP status, AWS error code, message. */
export class AwsError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = code;
  }
}

/** A wire answer. */
export interface WireResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  errorCode?: string;
}

export const STS_XMLNS = 'https://sts.amazonaws.com/doc/2011-06-15/';

/** STS (query protocol): `<ErrorResponse>` XML; the others (JSON 1.1): `{"__type","message"}`. */
export function renderError(service: ServiceName, err: AwsError): WireResponse {
  const rid = requestId();
  if (service === 'sts') {
    const type = err.status >= 500 ? 'Receiver' : 'Sender';
    const body =
      `<ErrorResponse xmlns="${STS_XMLNS}">\n  <Error>\n    <Type>${type}</Type>\n` +
      `    <Code>${xmlEscape(err.code)}</Code>\n    <Message>${xmlEscape(err.message)}</Message>\n  </Error>\n` +
      `  <RequestId>${rid}</RequestId>\n</ErrorResponse>\n`;
    return {
      status: err.status,
      headers: { 'content-type': 'text/xml', 'x-amzn-requestid': rid },
      body,
      errorCode: err.code,
    };
  }
  return {
    status: err.status,
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': rid, 'x-amzn-errortype': err.code },
    body: JSON.stringify({ __type: err.code, message: err.message }),
    errorCode: err.code,
  };
}

/** A success answer in the service's format. */
export function renderOk(service: ServiceName, body: string): WireResponse {
  const contentType = service === 'sts' ? 'text/xml' : 'application/x-amz-json-1.1';
  return { status: 200, headers: { 'content-type': contentType, 'x-amzn-requestid': requestId() }, body };
}

/** Authentication failures, per service (STS codes vs ECR codes and statuses). */
export const authErrors = {
  invalidToken: (s: ServiceName): AwsError =>
    s === 'sts'
      ? new AwsError(403, 'InvalidClientTokenId', 'The security token included in the request is invalid.')
      : new AwsError(400, 'UnrecognizedClientException', 'The security token included in the request is invalid.'),
  expired: (s: ServiceName): AwsError =>
    s === 'sts'
      ? new AwsError(400, 'ExpiredToken', 'The security token included in the request is expired')
      : new AwsError(400, 'ExpiredTokenException', 'The security token included in the request is expired'),
  badSignature: (s: ServiceName, message?: string): AwsError => {
    const m =
      message ??
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';
    return s === 'sts'
      ? new AwsError(403, 'SignatureDoesNotMatch', m)
      : new AwsError(400, 'InvalidSignatureException', m);
  },
  incomplete: (s: ServiceName, message: string): AwsError =>
    s === 'sts'
      ? new AwsError(400, 'IncompleteSignature', message)
      : new AwsError(400, 'IncompleteSignatureException', message),
  missing: (s: ServiceName): AwsError =>
    s === 'sts'
      ? new AwsError(403, 'MissingAuthenticationToken', 'Request is missing Authentication Token')
      : new AwsError(400, 'MissingAuthenticationTokenException', 'Missing Authentication Token'),
};

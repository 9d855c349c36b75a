/**
 * SigV4 header-signature verification, rebuilt from the request as received
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html).
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export interface ParsedAuthorization {
  accessKeyId: string;
  /** yyyymmdd of the credential scope */
  date: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
}

const ALGORITHM = 'AWS4-HMAC-SHA256';

/** Reads the credential scope alone (for routing and the call log); undefined when absent. */
export function readScope(
  header: string | undefined,
): { accessKeyId: string; region: string; service: string } | undefined {
  const m = /Credential=([^/,\s]*)\/[^/,\s]*\/([^/,\s]*)\/([^/,\s]*)\//.exec(header ?? '');
  return m ? { accessKeyId: m[1], region: m[2], service: m[3] } : undefined;
}

/** Parses an `Authorization: AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…` header. */
export function parseAuthorization(header: string): ParsedAuthorization | { error: string } {
  if (!header.startsWith(`${ALGORITHM} `))
    return { error: `Unsupported authorization type; only ${ALGORITHM} is accepted.` };
  const fields = new Map<string, string>();
  for (const part of header.slice(ALGORITHM.length + 1).split(',')) {
    const i = part.indexOf('=');
    if (i > 0) fields.set(part.slice(0, i).trim(), part.slice(i + 1).trim());
  }
  const missing = ['Credential', 'SignedHeaders', 'Signature'].filter((k) => !fields.get(k));
  if (missing.length) return { error: missing.map((k) => `Authorization header requires '${k}' parameter.`).join(' ') };
  const scope = fields.get('Credential')!.split('/');
  if (scope.length !== 5 || scope[4] !== 'aws4_request' || !/^\d{8}$/.test(scope[1]) || !scope[0]) {
    return {
      error: `Credential should be scoped to a valid region, service and date. Credential=${fields.get('Credential')}`,
    };
  }
  const signature = fields.get('Signature')!;
  if (!/^[0-9a-f]{64}$/.test(signature)) return { error: 'Signature must be 64 lower-case hexadecimal characters.' };
  return {
    accessKeyId: scope[0],
    date: scope[1],
    region: scope[2],
    service: scope[3],
    signedHeaders: fields
      .get('SignedHeaders')!
      .split(';')
      .map((h) => h.trim().toLowerCase()),
    signature,
  };
}

/** RFC 3986 escaping, as the SDK's signer does it. */
export function escapeUri(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function canonicalPath(rawPath: string): string {
  const segments: string[] = [];
  for (const seg of rawPath.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') segments.pop();
    else segments.push(safeDecode(seg));
  }
  const trailing = segments.length > 0 && rawPath.endsWith('/') ? '/' : '';
  const normalized = `/${segments.map(escapeUri).join('/')}${trailing}`;
  return escapeUri(normalized).replace(/%2F/g, '/');
}

function canonicalQuery(rawQuery: string): string {
  const pairs: Array<[string, string]> = [];
  for (const part of rawQuery.split('&')) {
    if (!part) continue;
    const i = part.indexOf('=');
    const k = safeDecode(i < 0 ? part : part.slice(0, i));
    const v = i < 0 ? '' : safeDecode(part.slice(i + 1));
    if (k.toLowerCase() === 'x-amz-signature') continue;
    pairs.push([escapeUri(k), escapeUri(v)]);
  }
  pairs.sort(([ak, av], [bk, bv]) => (ak < bk ? -1 : ak > bk ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
  return pairs.map(([k, v]) => `${k}=${v}`).join('&');
}

/** The request as received, for verification. */
export interface ReceivedRequest {
  method: string;
  /** path and query as on the wire */
  url: string;
  /** node's `rawHeaders` (name, value, name, value…) */
  rawHeaders: string[];
  body: Buffer;
}

export type VerifyResult = { ok: true } | { ok: false; message?: string };

export const sha256Hex = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string): Buffer => createHmac('sha256', key).update(data, 'utf8').digest();

/** Verifies the signature of `req` made with `secret`; `message` says why when it can. */
export function verifySignature(req: ReceivedRequest, auth: ParsedAuthorization, secret: string): VerifyResult {
  const headers = new Map<string, string[]>();
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i].toLowerCase();
    headers.set(name, [...(headers.get(name) ?? []), req.rawHeaders[i + 1]]);
  }
  if (!auth.signedHeaders.includes('host')) return { ok: false, message: "'Host' must be a signed header." };
  const amzDate = headers.get('x-amz-date')?.[0] ?? '';
  if (!/^\d{8}T\d{6}Z$/.test(amzDate))
    return { ok: false, message: "Request must contain a valid 'x-amz-date' header." };
  if (amzDate.slice(0, 8) !== auth.date) {
    return {
      ok: false,
      message: `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${auth.date}' != '${amzDate.slice(0, 8)}'`,
    };
  }
  for (const h of auth.signedHeaders) {
    if (!headers.has(h)) return { ok: false, message: `The header '${h}' is signed but absent.` };
  }
  const bodyHash = sha256Hex(req.body);
  const declared = headers.get('x-amz-content-sha256')?.[0];
  if (declared !== undefined && declared !== 'UNSIGNED-PAYLOAD' && declared !== bodyHash) {
    return { ok: false, message: "The provided 'x-amz-content-sha256' header does not match what was computed." };
  }
  const q = req.url.indexOf('?');
  const canonicalRequest = [
    req.method.toUpperCase(),
    canonicalPath(q < 0 ? req.url : req.url.slice(0, q)),
    canonicalQuery(q < 0 ? '' : req.url.slice(q + 1)),
    auth.signedHeaders
      .map(
        (h) =>
          `${h}:${headers
            .get(h)!
            .map((v) => v.trim().replace(/\s+/g, ' '))
            .join(',')}\n`,
      )
      .join(''),
    auth.signedHeaders.join(';'),
    declared ?? bodyHash,
  ].join('\n');
  const scope = `${auth.date}/${auth.region}/${auth.service}/aws4_request`;
  const stringToSign = `${ALGORITHM}\n${amzDate}\n${scope}\n${sha256Hex(canonicalRequest)}`;
  const key = hmac(hmac(hmac(hmac(`AWS4${secret}`, auth.date), auth.region), auth.service), 'aws4_request');
  const expected = createHmac('sha256', key).update(stringToSign, 'utf8').digest();
  const given = Buffer.from(auth.signature, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected) ? { ok: true } : { ok: false };
}

/** `yyyymmddThhmmssZ` → ms since the epoch. */
export function parseAmzDate(amzDate: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(amzDate);
  return m ? Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]) : NaN;
}

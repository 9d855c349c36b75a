import type { ClientRequest, IncomingMessage, RequestOptions } from 'node:http';

/** One `POST /registry-auth` exchange. */
export interface PostRequest {
  readonly url: URL;
  /** The API token, sent as `Authorization: Bearer`; none when the service needs none. */
  readonly token?: string;
  /** The JSON body. */
  readonly body: string;
  /** For the whole exchange: connect, send, answer. */
  readonly timeoutMs: number;
  /** Names the client in the service's request line; `docker-credential-ecr-auth` by default. */
  readonly userAgent?: string;
}

export interface PostResponse {
  readonly status: number;
  readonly text: string;
}

/** Sends the request; rejects with {@link ServiceUnreachableError} when no HTTP answer comes. */
export type PostFn = (request: PostRequest) => Promise<PostResponse>;

/** No HTTP answer (refused, DNS, TLS, reset, timeout): a transient failure. The message is safe to print. */
export class ServiceUnreachableError extends Error {
  override readonly name = 'ServiceUnreachableError';
}

const MAX_ANSWER_BYTES = 1024 * 1024;

const REASONS: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'host not found (DNS)',
  EAI_AGAIN: 'DNS lookup failed (EAI_AGAIN)',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ETIMEDOUT: 'connection timed out',
  EPIPE: 'connection closed while sending',
  EPROTO: 'TLS handshake failed (is the service serving HTTPS?)',
};

/**
 * `POST` over node:http or node:https (loaded on first use, so a warm `get` never pays for it).
 * Redirects are not followed: a 3xx is answered like any other status.
 */
export const postRegistryAuth: PostFn = async ({ url, token, body, timeoutMs, userAgent }) => {
  const transport = url.protocol === 'https:' ? await import('node:https') : await import('node:http');
  const origin = url.origin;
  return new Promise<PostResponse>((resolve, reject) => {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      accept: 'application/json',
      'content-length': String(Buffer.byteLength(body)),
      'user-agent': userAgent ?? 'docker-credential-ecr-auth',
    };
    if (token) headers.authorization = `Bearer ${token}`;
    // The exchange is cancelled by its signal (the house's rule for a call that can be aborted).
    const signal = AbortSignal.timeout(timeoutMs);
    const options: RequestOptions = { method: 'POST', headers, signal };
    let settled = false;
    const fail = (reason: string) => {
      if (settled) return;
      settled = true;
      req.destroy();
      reject(new ServiceUnreachableError(`cannot reach the service at ${origin}: ${reason}`));
    };
    signal.addEventListener('abort', () => fail(`no answer within ${timeoutMs} ms (ECR_AUTH_TIMEOUT_MS)`), {
      once: true,
    });
    const req: ClientRequest = transport.request(url, options, (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_ANSWER_BYTES) fail('the answer is too large');
        else chunks.push(chunk);
      });
      res.on('error', (e: NodeJS.ErrnoException) => fail(reasonOf(e)));
      res.on('end', () => {
        if (settled) return;
        settled = true;
        resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') });
      });
    });
    req.on('error', (e: NodeJS.ErrnoException) => fail(reasonOf(e)));
    req.end(body);
  });
};

function reasonOf(e: NodeJS.ErrnoException): string {
  const code = typeof e.code === 'string' ? e.code : undefined;
  if (code && REASONS[code]) return `${REASONS[code]} (${code})`;
  if (code && /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO/.test(code)) return `TLS verification failed (${code})`;
  return code ? `network error (${code})` : 'network error';
}

/** A token the service handed out. */
export interface ServiceToken {
  readonly password: string;
  /** Epoch milliseconds after which ECR refuses the password. */
  readonly expiresAtMs: number;
}

/**
 * The service's answer, judged: a token, or a failure whose message is one printable line
 * (the service's code and message, or why there was no answer). A failure is transient (a
 * cached token may stand in) on 429, 5xx and no answer at all; a 4xx is a refusal of this key.
 */
export type ServiceOutcome =
  { readonly token: ServiceToken } | { readonly transient: boolean; readonly message: string };

/** One `POST /registry-auth` through `post`, judged by {@link interpretAnswer}; never throws. */
export async function requestRegistryAuth(
  post: PostFn,
  request: PostRequest,
  nowMs: () => number,
): Promise<ServiceOutcome> {
  let status: number;
  let text: string;
  try {
    ({ status, text } = await post(request));
  } catch (e) {
    const reason = e instanceof ServiceUnreachableError ? e.message : 'cannot reach the service';
    return { transient: true, message: reason };
  }
  return interpretAnswer(status, text, nowMs());
}

const MAX_MESSAGE = 600;

/** Turns the service's answer into a token or a failure (see {@link ServiceOutcome}). */
export function interpretAnswer(status: number, text: string, nowMs: number): ServiceOutcome {
  let json: Record<string, unknown> | undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed))
      json = parsed as Record<string, unknown>;
  } catch {
    json = undefined;
  }
  if (status === 200) {
    const password = json?.password;
    const expiresAtMs = typeof json?.expiresAt === 'string' ? Date.parse(json.expiresAt) : NaN;
    if (typeof password === 'string' && password !== '' && Number.isFinite(expiresAtMs) && expiresAtMs > nowMs) {
      return { token: { password, expiresAtMs } };
    }
    return { transient: false, message: 'the service answered 200 without a usable password and expiresAt' };
  }
  const transient = status === 429 || status >= 500;
  const code = json?.code;
  const message = json?.message;
  if (typeof code === 'string' && /^[A-Z][A-Z0-9_]{1,63}$/.test(code) && typeof message === 'string') {
    const requestId =
      typeof json?.requestId === 'string' && /^[\w.:-]{1,128}$/.test(json.requestId)
        ? ` (request id ${json.requestId})`
        : '';
    return { transient, message: `${code}: ${oneLine(message)}${requestId}` };
  }
  return { transient, message: `the service answered HTTP ${status} without an error code` };
}

function oneLine(s: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are what is removed
  const flat = s.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  return flat.length > MAX_MESSAGE ? `${flat.slice(0, MAX_MESSAGE)}…` : flat;
}

/** Defence in depth: the service never echoes a secret, but should it, it stops here. */
export function redactSecrets(message: string, secrets: readonly (string | undefined)[]): string {
  let out = message;
  for (const s of secrets) if (s && s.length >= 2) out = out.split(s).join('[redacted]');
  return out;
}

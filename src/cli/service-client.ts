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
export const postRegistryAuth: PostFn = async ({ url, token, body, timeoutMs }) => {
  const transport = url.protocol === 'https:' ? await import('node:https') : await import('node:http');
  const origin = url.origin;
  return new Promise<PostResponse>((resolve, reject) => {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      accept: 'application/json',
      'content-length': String(Buffer.byteLength(body)),
      'user-agent': 'docker-credential-ecr-auth',
    };
    if (token) headers.authorization = `Bearer ${token}`;
    const options: RequestOptions = { method: 'POST', headers };
    let settled = false;
    const fail = (reason: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      reject(new ServiceUnreachableError(`cannot reach the service at ${origin}: ${reason}`));
    };
    const timer = setTimeout(() => fail(`no answer within ${timeoutMs} ms (ECR_AUTH_TIMEOUT_MS)`), timeoutMs);
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
        clearTimeout(timer);
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

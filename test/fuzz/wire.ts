/** Requests sent as raw bytes over node:http, and their answers as the wire carried them. */
import { Agent, type IncomingHttpHeaders, request } from 'node:http';
import { WORLD } from '../fixtures/aws-world';
import type { FuzzRequest } from './fuzz-request';

/** An answer read off the wire. */
export interface Answer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** How long one answer may take before the request counts as hung. */
export const ANSWER_TIMEOUT_MS = 10_000;
// The request id the service echoes: a sane token, never the caller's raw header.
export const SAFE_REQUEST_ID = /^[\w.:-]{1,128}$/;

/** Sends one request as bytes, over the given agent; chunked when asked. */
export function send(base: URL, agent: Agent | false, r: FuzzRequest): Promise<Answer> {
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

/** Reading request bodies and writing answers on node:http. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { WireResponse } from './aws-error';

/** Largest body read; the rest is discarded and the call refused. */
export const MAX_BODY_BYTES = 1024 * 1024;

/** Reads the body; `tooLarge` when it exceeds MAX_BODY_BYTES; undefined when the client went away. */
export function readBody(req: IncomingMessage): Promise<{ body: Buffer; tooLarge: boolean } | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve({ body: Buffer.concat(chunks), tooLarge }));
    req.on('error', () => resolve(undefined));
    req.on('close', () => {
      if (!req.complete) resolve(undefined);
    });
  });
}

/** Writes an answer with a `Date` header from the emulator clock (the SDK corrects clock skew from it). */
export function send(res: ServerResponse, answer: WireResponse, nowMs: number): void {
  if (res.headersSent || res.destroyed) return;
  const body = Buffer.from(answer.body, 'utf8');
  res.writeHead(answer.status, {
    ...answer.headers,
    date: new Date(nowMs).toUTCString(),
    'content-length': String(body.length),
  });
  res.end(body);
}

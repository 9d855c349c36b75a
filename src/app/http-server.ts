import { createServer as createHttpServer, IncomingMessage, RequestListener, Server, ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';

/** A handler that may answer a request itself (true) before Fastify sees it. */
export interface FrontHandler {
  handle?: (req: IncomingMessage, res: ServerResponse) => boolean;
}

/**
 * The HTTP(S) server Fastify runs on (its `serverFactory`), with the timeouts set here since
 * Fastify leaves a given server's to its maker: a request within 30 s, its headers within
 * 10 s (slow-loris), idle sockets closed after 30 s, keep-alive 65 s (longer than common load
 * balancers' 60 s). `front` answers the hot route before Fastify (api/fast-registry-auth.ts).
 */
export function serverFactory(tls: { cert: Buffer; key: Buffer } | undefined, front: FrontHandler) {
  return (fastifyHandler: RequestListener): Server => {
    const listener: RequestListener = (req, res) => {
      if (front.handle?.(req, res)) return;
      fastifyHandler(req, res);
    };
    const server = tls ? createHttpsServer(tls, listener) : createHttpServer(listener);
    server.requestTimeout = 30_000;
    server.headersTimeout = 10_000;
    server.keepAliveTimeout = 65_000;
    server.setTimeout(30_000);
    return server;
  };
}

import { createServer as createHttpServer, RequestListener, Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';

/**
 * The HTTP(S) server Fastify runs on (its `serverFactory`), with the timeouts set here since
 * Fastify leaves a given server's to its maker: a request within 30 s, its headers within
 * 10 s (slow-loris), idle sockets closed after 30 s, keep-alive 65 s (longer than common load
 * balancers' 60 s). A client too slow with its headers or its request is answered 408
 * (app/client-errors.ts).
 */
export function serverFactory(tls: { cert: Buffer; key: Buffer } | undefined) {
  return (handler: RequestListener): Server => {
    // Node checks the two timeouts only every connectionsCheckingInterval (30 s by default):
    // every half second, a slow client is cut within half a second of its time.
    const options = { connectionsCheckingInterval: 500 };
    const server = tls ? createHttpsServer({ ...tls, ...options }, handler) : createHttpServer(options, handler);
    server.requestTimeout = 30_000;
    server.headersTimeout = 10_000;
    server.keepAliveTimeout = 65_000;
    server.setTimeout(30_000);
    return server;
  };
}

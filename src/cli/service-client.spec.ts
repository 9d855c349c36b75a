import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo, createServer as createTcpServer, Socket } from 'node:net';
import { postRegistryAuth, ServiceUnreachableError } from './service-client';

/** A real local server per test: what it saw, and what it answers. */
async function serve(
  answer: (req: IncomingMessage, body: string, res: import('node:http').ServerResponse) => void,
): Promise<{
  server: Server;
  url: URL;
  seen: { headers: IncomingMessage['headers']; body: string; method?: string; path?: string }[];
}> {
  const seen: { headers: IncomingMessage['headers']; body: string; method?: string; path?: string }[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      seen.push({ headers: req.headers, body, method: req.method, path: req.url });
      answer(req, body, res);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/base/registry-auth`);
  return { server, url, seen };
}

const close = (server: { close(cb: () => void): void }) => new Promise<void>((r) => server.close(() => r()));

describe('postRegistryAuth', () => {
  it('POSTs JSON with the bearer token and returns status and text', async () => {
    const { server, url, seen } = await serve((_req, _body, res) => {
      res.writeHead(403, { 'content-type': 'application/json' });
      res.end('{"code":"ASSUME_ROLE_DENIED"}');
    });
    try {
      const res = await postRegistryAuth({ url, token: 'tok', body: '{"registry":"r"}', timeoutMs: 2000 });
      expect(res).toEqual({ status: 403, text: '{"code":"ASSUME_ROLE_DENIED"}' });
      expect(seen[0]).toMatchObject({ method: 'POST', path: '/base/registry-auth', body: '{"registry":"r"}' });
      expect(seen[0].headers).toMatchObject({ authorization: 'Bearer tok', 'content-type': 'application/json' });
    } finally {
      await close(server);
    }
  });

  it('sends no Authorization header without a token', async () => {
    const { server, url, seen } = await serve((_req, _body, res) => res.end('{}'));
    try {
      await postRegistryAuth({ url, body: '{}', timeoutMs: 2000 });
      expect(seen[0].headers.authorization).toBeUndefined();
    } finally {
      await close(server);
    }
  });

  it('does not follow a redirect', async () => {
    const { server, url, seen } = await serve((_req, _body, res) => {
      res.writeHead(307, { location: 'http://127.0.0.1:1/elsewhere' });
      res.end();
    });
    try {
      expect((await postRegistryAuth({ url, body: '{}', timeoutMs: 2000 })).status).toBe(307);
      expect(seen).toHaveLength(1);
    } finally {
      await close(server);
    }
  });

  it('rejects with the reason when the connection is refused', async () => {
    const tcp = createTcpServer();
    await new Promise<void>((r) => tcp.listen(0, '127.0.0.1', r));
    const port = (tcp.address() as AddressInfo).port;
    await close(tcp);
    const error = await postRegistryAuth({
      url: new URL(`http://127.0.0.1:${port}/registry-auth`),
      body: '{}',
      timeoutMs: 2000,
    }).catch((e: Error) => e);
    expect(error).toBeInstanceOf(ServiceUnreachableError);
    expect((error as Error).message).toBe(
      `cannot reach the service at http://127.0.0.1:${port}: connection refused (ECONNREFUSED)`,
    );
  });

  it('gives up after the timeout on a server that never answers', async () => {
    const sockets: Socket[] = [];
    const tcp = createTcpServer((s) => sockets.push(s));
    await new Promise<void>((r) => tcp.listen(0, '127.0.0.1', r));
    const port = (tcp.address() as AddressInfo).port;
    try {
      const error = await postRegistryAuth({
        url: new URL(`http://127.0.0.1:${port}/registry-auth`),
        body: '{}',
        timeoutMs: 200,
      }).catch((e: Error) => e);
      expect((error as Error).message).toMatch(/no answer within 200 ms \(ECR_AUTH_TIMEOUT_MS\)$/);
    } finally {
      sockets.forEach((s) => s.destroy());
      await close(tcp);
    }
  });

  it('names a TLS failure', async () => {
    // A plain-TCP server that answers garbage to the TLS handshake.
    const sockets: Socket[] = [];
    const tcp = createTcpServer((s) => {
      sockets.push(s);
      s.end('HTTP/1.1 400 Bad Request\r\n\r\n');
    });
    await new Promise<void>((r) => tcp.listen(0, '127.0.0.1', r));
    const port = (tcp.address() as AddressInfo).port;
    try {
      const error = await postRegistryAuth({
        url: new URL(`https://127.0.0.1:${port}/registry-auth`),
        body: '{}',
        timeoutMs: 2000,
      }).catch((e: Error) => e);
      expect(error).toBeInstanceOf(ServiceUnreachableError);
      expect((error as Error).message).toMatch(
        /^cannot reach the service at https:\/\/127\.0\.0\.1:\d+: TLS handshake failed \(is the service serving HTTPS\?\) \(EPROTO\)$/,
      );
    } finally {
      sockets.forEach((s) => s.destroy());
      await close(tcp);
    }
  });
});

'use strict';
// The floor a cache hit is compared with: node:http doing the least the same request
// needs: read the body, parse it, check the bearer token in constant time, answer the
// same JSON. Started by bench/throughput.ts as a child process.
const http = require('node:http');
const { createHash, timingSafeEqual } = require('node:crypto');

const token = process.env.BENCH_TOKEN;
const password = process.env.BENCH_PASSWORD;
const expected = createHash('sha256').update(token).digest();

const server = http.createServer((req, res) => {
  const auth = req.headers.authorization || '';
  const presented = createHash('sha256')
    .update(auth.startsWith('Bearer ') ? auth.slice(7) : '')
    .digest();
  if (!timingSafeEqual(presented, expected)) {
    res.writeHead(401, { 'content-type': 'application/json' });
    res.end('{"code":"UNAUTHENTICATED"}');
    return;
  }
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    const answer = JSON.stringify({
      registry: body.registry,
      username: 'AWS',
      password,
      expiresAt: new Date(Date.now() + 3_000_000).toISOString(),
    });
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
    res.end(answer);
  });
});
server.keepAliveTimeout = 65_000;
server.listen(0, '127.0.0.1', () => process.stdout.write(`listening ${server.address().port}\n`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));

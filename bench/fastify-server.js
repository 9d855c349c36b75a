'use strict';
// Plain Fastify doing what bench/bare-server.js does (parse the body, check the bearer token
// in constant time, answer the same JSON): the level the service's own stack starts from.
const fastify = require('fastify')({ logger: false });
const { createHash, timingSafeEqual } = require('node:crypto');

const expected = createHash('sha256').update(process.env.BENCH_TOKEN).digest();
const password = process.env.BENCH_PASSWORD;

fastify.addHook('onRequest', (req, reply, done) => {
  const auth = req.headers.authorization || '';
  const presented = createHash('sha256')
    .update(auth.startsWith('Bearer ') ? auth.slice(7) : '')
    .digest();
  if (!timingSafeEqual(presented, expected)) return reply.code(401).send({ code: 'UNAUTHENTICATED' });
  done();
});
fastify.post('/registry-auth', (req, reply) => {
  reply.header('cache-control', 'no-store');
  reply.send({
    registry: req.body.registry,
    username: 'AWS',
    password,
    expiresAt: new Date(Date.now() + 3_000_000).toISOString(),
  });
});
fastify
  .listen({ port: 0, host: '127.0.0.1' })
  .then(() => process.stdout.write(`listening ${fastify.server.address().port}\n`));
process.on('SIGTERM', () => fastify.close().then(() => process.exit(0)));

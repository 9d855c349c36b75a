import type { FastifyInstance } from 'fastify';
import { RegistryCredentialsService, auditFields } from '../credentials/registry-credentials.service';
import { parseBody, registryAuthBody } from './request-body';

/**
 * POST /registry-auth, the hot path, mounted on Fastify directly rather than as a Nest
 * controller: Nest's router, pipes and exception zones cost a fifth of a cache hit's CPU
 * time (docs/benchmarks.md). Errors still leave through the one HTTP error filter (Nest's
 * Fastify error handler), and the request line carries the audit fields.
 */
export function installRegistryAuthRoute(fastify: FastifyInstance, credentials: RegistryCredentialsService): void {
  fastify.post('/registry-auth', async (request) => {
    const identity = credentials.identify(parseBody(registryAuthBody, request.body), request.apiToken);
    request.audit = auditFields(identity);
    const { login, outcome } = await credentials.login(identity);
    request.cacheOutcome = outcome;
    request.audit.sessionName = login.sessionName;
    return { registry: login.registry, username: login.username, password: login.password, expiresAt: login.expiresAt.toISOString() };
  });
}

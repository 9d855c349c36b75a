import type { FastifyInstance } from 'fastify';
import type { ApiToken } from '../config/app-config';
import { AuditFields, RegistryCredentialsService, auditFields } from '../credentials/registry-credentials.service';
import type { CacheOutcome } from '../token-cache/token-cache.service';
import { parseBody, registryAuthBody } from './request-body';

/** What the request line learns of a mint while it is answered. */
export interface MintNotes {
  cache?: CacheOutcome;
  audit?: AuditFields;
}

/**
 * The answer of POST /registry-auth for a parsed JSON body, wherever the request came in:
 * validation, the local refusals, then the cache (or a mint). Notes the audit fields and
 * the cache outcome for the request line. Throws EcrAuthErrors.
 */
export async function answerRegistryAuth(
  credentials: RegistryCredentialsService,
  body: unknown,
  caller: ApiToken | undefined,
  notes: MintNotes,
) {
  const identity = credentials.identify(parseBody(registryAuthBody, body), caller);
  notes.audit = auditFields(identity);
  const { login, outcome } = await credentials.login(identity);
  notes.cache = outcome;
  notes.audit.sessionName = login.sessionName;
  return {
    registry: login.registry,
    username: login.username,
    password: login.password,
    expiresAt: login.expiresAt.toISOString(),
  };
}

/**
 * POST /registry-auth through Fastify. The exact path is answered ahead of Fastify on
 * node:http (fast-registry-auth.ts); this route serves the other spellings (a query string)
 * with the same behaviour, errors leaving through the one HTTP error filter.
 */
export function installRegistryAuthRoute(fastify: FastifyInstance, credentials: RegistryCredentialsService): void {
  fastify.post('/registry-auth', async (request) => {
    const notes: MintNotes = {};
    try {
      return await answerRegistryAuth(credentials, request.body, request.apiToken, notes);
    } finally {
      request.audit = notes.audit;
      request.cacheOutcome = notes.cache;
    }
  });
}

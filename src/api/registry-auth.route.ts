import { Logger } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';
import type { Caller } from '../auth/caller';
import { AuditFields, RegistryCredentialsService, auditFields } from '../credentials/registry-credentials.service';
import type { CacheOutcome } from '../token-cache/token-cache.service';
import { parseBody, registryAuthBody } from './request-body';

const ROUTE = '/registry-auth';

/** What the request line learns of a mint while it is answered. */
export interface MintNotes {
  cache?: CacheOutcome;
  audit?: AuditFields;
}

export interface RegistryAuthAnswer {
  registry: string;
  username: string;
  password: string;
  expiresAt: string;
}

/** The 200 answer's shape, for Fastify's serializer: compiled once, cheaper than JSON.stringify. */
const ANSWER_SCHEMA = {
  type: 'object',
  required: ['registry', 'username', 'password', 'expiresAt'],
  properties: {
    registry: { type: 'string' },
    username: { type: 'string' },
    password: { type: 'string' },
    expiresAt: { type: 'string' },
  },
} as const;

/**
 * The answer of POST /registry-auth for a parsed JSON body: validation, the local refusals,
 * then the cache (or a mint). Notes the audit fields and the cache outcome for the request
 * line. Throws EcrAuthErrors.
 */
export async function answerRegistryAuth(
  credentials: RegistryCredentialsService,
  body: unknown,
  caller: Caller | undefined,
  notes: MintNotes,
): Promise<RegistryAuthAnswer> {
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
 * POST /registry-auth, the service's hot route, on the Fastify instance itself: the bearer
 * check and headers of every route (app/http-hooks.ts) run before it, its body goes through
 * the one JSON parser, its errors through Nest's error filter like every route's, and
 * Fastify's own machinery (plugins, tracing) sees it. Not a Nest controller: Nest's per-call
 * execution context is work a cache hit does not need.
 */
export function installRegistryAuthRoute(fastify: FastifyInstance, credentials: RegistryCredentialsService): void {
  fastify.post(ROUTE, { schema: { response: { 200: ANSWER_SCHEMA } } }, async (request) => {
    const notes: MintNotes = {};
    try {
      return await answerRegistryAuth(credentials, request.body, request.caller, notes);
    } finally {
      request.audit = notes.audit;
      request.cacheOutcome = notes.cache;
    }
  });
  // Listed in the start-up log next to the routes Nest maps, under the route's own name.
  new Logger('RegistryAuthRoute').log(`Mapped {${ROUTE}, POST} route on Fastify`);
}

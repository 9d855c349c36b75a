import { Logger } from '@nestjs/common';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Caller } from '../auth/caller';
import { AuditFields, RegistryCredentialsService, auditFields } from '../credentials/registry-credentials.service';
import type { CacheOutcome } from '../token-cache/token-cache.service';
import { IdentityMemo } from './identity.memo';
import { ANSWER_SCHEMA, ANSWER_TYPE, RenderedAnswers } from './registry-auth.answer';
import { parseBody, registryAuthBody } from './request-body';

const ROUTE = '/registry-auth';
/** Distinct bodies remembered per replica (a body names one registry and key: few per caller). */
const KNOWN_BODIES = 1024;

/** What the request line learns of a mint while it is answered (the request's own fields). */
export interface MintNotes {
  cacheOutcome?: CacheOutcome;
  audit?: AuditFields;
}

/** What answering POST /registry-auth keeps from one request to the next. */
export interface RegistryAuthState {
  readonly credentials: RegistryCredentialsService;
  readonly known: IdentityMemo;
  readonly answers: RenderedAnswers;
}

/**
 * The answer of POST /registry-auth for a parsed JSON body, as JSON text: validation and the
 * local refusals (judged once per body and caller: IdentityMemo), then the cache (or a mint),
 * the text rendered once per identity and token (RenderedAnswers). Notes the audit fields and
 * the cache outcome for the request line. Throws EcrAuthErrors (a local refusal synchronously,
 * the cache's as a rejection).
 */
// No async/await: a cache hit's answer is one promise (the cache's) and one continuation.
export function answerRegistryAuth(
  state: RegistryAuthState,
  body: unknown,
  caller: Caller | undefined,
  notes: MintNotes,
  reply: Pick<FastifyReply, 'type'>,
): Promise<string> {
  const { credentials, known, answers } = state;
  const identity = known.identify(body, caller, () => credentials.identify(parseBody(registryAuthBody, body), caller));
  const audit = auditFields(identity);
  notes.audit = audit;
  return credentials.login(identity).then(({ login, outcome }) => {
    notes.cacheOutcome = outcome;
    audit.sessionName = login.sessionName;
    // Text with the type Fastify gives JSON it serializes: sent as it is.
    reply.type(ANSWER_TYPE);
    return answers.render(identity, login);
  });
}

/**
 * POST /registry-auth, the service's hot route, on the Fastify instance itself: the bearer
 * check and headers of every route (app/http-hooks.ts) run before it, its body goes through
 * the one JSON parser, its errors through Nest's error filter like every route's, and
 * Fastify's own machinery (plugins, tracing) sees it. Not a Nest controller: Nest's per-call
 * execution context is work a cache hit does not need.
 */
export function installRegistryAuthRoute(fastify: FastifyInstance, credentials: RegistryCredentialsService): void {
  const state = { credentials, known: new IdentityMemo(KNOWN_BODIES), answers: new RenderedAnswers() };
  // The request itself holds the notes: the request line reads them from it.
  fastify.post(ROUTE, { schema: { response: { 200: ANSWER_SCHEMA } } }, (request, reply) =>
    answerRegistryAuth(state, request.body, request.caller, request, reply),
  );
  // Listed in the start-up log next to the routes Nest maps, under the route's own name.
  new Logger('RegistryAuthRoute').log(`Mapped {${ROUTE}, POST} route on Fastify`);
}

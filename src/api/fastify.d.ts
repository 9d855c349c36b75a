import type { Caller } from '../auth/caller';
import type { AuditFields } from '../credentials/registry-credentials.service';
import type { ErrorCode } from '../errors/error-codes';
import type { CacheOutcome } from '../token-cache/cache-outcome';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who the request authenticated as (undefined when auth is off). */
    caller?: Caller;
    /** The contract code the request failed with, for the request log and metrics. */
    errorCode?: ErrorCode;
    /** How the token cache answered, for the request log. */
    cacheOutcome?: CacheOutcome;
    /** For mint requests: whom the request asked for (the audit fields of the request line). */
    audit?: AuditFields;
    /** The request's trace (the caller's, or its own) while tracing is on, for the request line. */
    traceId?: string;
  }
}

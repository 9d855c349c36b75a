import type { ApiToken } from '../config/app-config';
import type { ErrorCode } from '../errors/error-codes';
import type { CacheOutcome } from '../token-cache/token-cache.service';
import type { AuditFields } from '../credentials/registry-credentials.service';

declare module 'fastify' {
  interface FastifyRequest {
    /** The API token the request authenticated with (undefined when auth is off). */
    apiToken?: ApiToken;
    /** The contract code the request failed with, for the request log and metrics. */
    errorCode?: ErrorCode;
    /** How the token cache answered, for the request log. */
    cacheOutcome?: CacheOutcome;
    /** For mint requests: whom the request asked for (the audit fields of the request line). */
    audit?: AuditFields;
  }
}

import type { ApiToken } from '../config/app-config';

declare module 'fastify' {
  interface FastifyRequest {
    /** The API token the request authenticated with (undefined when auth is off). */
    apiToken?: ApiToken;
  }
}

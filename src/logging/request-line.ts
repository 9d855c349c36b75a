import type { Logger } from 'pino';
import type { AuditFields } from '../credentials/registry-credentials.service';
import type { Metrics } from '../metrics/metrics';
import type { CacheOutcome } from '../token-cache/cache-outcome';

/** What a request leaves behind: one log line and the request metrics. */
export interface RequestLine {
  readonly requestId: string;
  readonly method: string;
  /** The route pattern, never the raw URL (bounded, and no query string in the log). */
  readonly route: string;
  readonly status: number;
  readonly seconds: number;
  /** OK, or the contract's error code. */
  readonly code: string;
  readonly cache?: CacheOutcome;
  /** The caller: an API token's fingerprint, or a JWT's subject (with its issuer). */
  readonly caller?: string;
  readonly issuer?: string;
  /** For a mint request: whom it asked for. The line is then its audit record. */
  readonly audit?: AuditFields;
  /** The request's trace id while tracing is on. */
  readonly traceId?: string;
}

/**
 * One JSON line and the request metrics per request: method, route, status, duration,
 * request id, trace id (while tracing is on), outcome code, cache outcome and caller. For a
 * mint the same line carries the audit fields (registry, role ARN or access key id, access,
 * session name): one write per request.
 */
export function recordRequest(logger: Logger, metrics: Metrics, line: RequestLine): void {
  metrics.countRequest(line.method, line.route, line.code, line.seconds);
  const a = line.audit;
  // One object literal of one shape for every line (pino leaves out undefined fields): no
  // spread of the audit fields into a second object.
  logger.info(
    {
      requestId: line.requestId,
      traceId: line.traceId,
      method: line.method,
      route: line.route,
      status: line.status,
      durationMs: Math.round(line.seconds * 10_000) / 10,
      code: line.code,
      cache: line.cache,
      caller: line.caller,
      issuer: line.issuer,
      audit: a && 'registry-auth',
      registry: a?.registry,
      roleArn: a?.roleArn,
      accessKeyId: a?.accessKeyId,
      access: a?.access,
      sourceIdentity: a?.sourceIdentity,
      repositories: a?.repositories,
      sessionName: a?.sessionName,
    },
    'request',
  );
}

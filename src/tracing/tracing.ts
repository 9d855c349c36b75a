import type { FastifyInstance } from 'fastify';

/**
 * Tracing while it is on (the OpenTelemetry SDK behind it). Absent when tracing is off: the
 * spans made elsewhere go to the OpenTelemetry API's no-op tracer.
 */
export interface Tracing {
  /** What start-up logs: the export's protocol. */
  readonly description: string;
  /** Gives Fastify its server spans; before any hook or route is added. */
  instrument(fastify: FastifyInstance): void;
  /** Exports the spans still buffered and stops; never rejects. */
  shutdown(): Promise<void>;
}

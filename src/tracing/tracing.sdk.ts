import { FastifyOtelInstrumentation } from '@fastify/otel';
import { diag, DiagLogLevel, type DiagLogger, type Span } from '@opentelemetry/api';
import { setGlobalErrorHandler } from '@opentelemetry/core';
import { OTLPTraceExporter as JsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtobufExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { defaultResource, detectResources, envDetector, resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { bounded } from '../async/bounded';
import type { TracingSettings } from '../config/tracing-settings';
import type { Tracing } from './tracing';

/** What shutdown allows the last export (it runs inside the shutdown's close budget). */
const SHUTDOWN_MS = 2_000;

/**
 * The OpenTelemetry SDK, loaded only when tracing is on (tracing.bootstrap.ts): a Node tracer
 * provider (AsyncLocalStorage context, W3C trace context and baggage propagation, the sampler
 * and batch settings from the standard variables) exporting over OTLP/HTTP, and Fastify's own
 * instrumentation (@fastify/otel) for the server spans. Hook spans are off: a request is its
 * server span and its handler span, plus the spans the service makes (upstream calls, lock).
 */
export function startSdk(settings: TracingSettings, logger: Logger): Tracing {
  // The SDK's warnings and its errors (a failed export) as JSON lines: warn and up, an error
  // by its name and message only.
  const sdkLogger = logger.child({ component: 'opentelemetry' });
  diag.setLogger(jsonDiag(sdkLogger), DiagLogLevel.WARN);
  setGlobalErrorHandler((e) => sdkLogger.error({ error: describe(e) }, 'tracing: the SDK reported an error'));
  const exporter = settings.protocol === 'http/json' ? new JsonExporter() : new ProtobufExporter();
  const provider = new NodeTracerProvider({
    // OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES win over the default name.
    resource: defaultResource()
      .merge(resourceFromAttributes({ 'service.name': 'ecr-auth' }))
      .merge(detectResources({ detectors: [envDetector] })),
    spanProcessors: [new BatchSpanProcessor(exporter)],
  });
  provider.register();
  const fastifyOtel = new FastifyOtelInstrumentation({ instrumentHooks: false, requestHook: nameServerSpan });
  fastifyOtel.setTracerProvider(provider);
  return {
    description: `OTLP/HTTP (${settings.protocol})`,
    instrument(fastify: FastifyInstance) {
      // Applied to the root instance at once (as its own registerOnInitialization does), so
      // that its onRequest hook and its route wrapper precede every hook and route added later.
      fastifyOtel.plugin()(fastify, {}, () => undefined);
    },
    async shutdown() {
      await bounded(SHUTDOWN_MS, () => provider.shutdown());
    },
  };
}

/**
 * The server span: named by method and route template (`POST /registry-auth`), its path
 * without the query string, and its trace id handed to the request line. No header is read.
 */
export function nameServerSpan(span: Span, request: FastifyRequest): void {
  const route = request.routeOptions.url;
  span.updateName(route ? `${request.method} ${route}` : request.method);
  const q = request.url.indexOf('?');
  if (q >= 0) span.setAttribute('url.path', request.url.slice(0, q));
  request.traceId = span.spanContext().traceId;
}

function jsonDiag(logger: Logger): DiagLogger {
  const write =
    (level: 'error' | 'warn' | 'info' | 'debug' | 'trace') =>
    (message: string, ...args: unknown[]) =>
      logger[level]({ detail: args.map(describe) }, message);
  return {
    error: write('error'),
    warn: write('warn'),
    info: write('info'),
    debug: write('debug'),
    verbose: write('trace'),
  };
}

/** An error by its name and message only: no stack, nor the answer or options it may carry. */
function describe(arg: unknown): string {
  if (arg instanceof Error) return `${arg.name}: ${arg.message}`;
  return typeof arg === 'string' ? arg : typeof arg;
}

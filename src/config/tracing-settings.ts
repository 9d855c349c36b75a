import type { EnvReader } from './env-reader';

/** How spans leave the process: OTLP over HTTP, protobuf or JSON bodies. */
export type OtlpProtocol = 'http/protobuf' | 'http/json';

/**
 * Tracing, when it is on. Only the switches live here; the SDK reads the rest of its standard
 * variables itself (endpoint, headers, timeout, service name, resource attributes, sampler,
 * batch settings).
 */
export interface TracingSettings {
  readonly protocol: OtlpProtocol;
}

const SAMPLERS = [
  'always_on',
  'always_off',
  'traceidratio',
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
] as const;

/**
 * The OTEL_* switches: tracing is on when an OTLP endpoint is set (OTEL_EXPORTER_OTLP_ENDPOINT,
 * OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) or OTEL_TRACES_EXPORTER is `otlp`, and off with
 * OTEL_SDK_DISABLED=true or OTEL_TRACES_EXPORTER=none. Off: undefined, and the SDK is never
 * loaded. On, a value the SDK would quietly replace by its default (an unknown sampler, a ratio
 * out of range, gRPC) stops the start instead.
 */
export function readTracingSettings(r: EnvReader): TracingSettings | undefined {
  if (r.bool('OTEL_SDK_DISABLED', false)) return undefined;
  const exporters = r.list('OTEL_TRACES_EXPORTER');
  if (exporters.some((e) => e !== 'otlp' && e !== 'none'))
    r.problem('OTEL_TRACES_EXPORTER', 'must be otlp or none (traces leave over OTLP/HTTP only)');
  if (exporters.length > 0 && exporters.every((e) => e === 'none')) return undefined;
  const endpoint = r.str('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT') ?? r.str('OTEL_EXPORTER_OTLP_ENDPOINT');
  if (!endpoint && !exporters.includes('otlp')) return undefined;

  const protocolName = r.str('OTEL_EXPORTER_OTLP_TRACES_PROTOCOL')
    ? 'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL'
    : 'OTEL_EXPORTER_OTLP_PROTOCOL';
  const protocol = r.oneOf<OtlpProtocol>(protocolName, 'http/protobuf', ['http/protobuf', 'http/json']);
  const sampler = r.oneOf('OTEL_TRACES_SAMPLER', 'parentbased_always_on', SAMPLERS);
  const ratio = r.str('OTEL_TRACES_SAMPLER_ARG');
  if (sampler.endsWith('traceidratio') && ratio !== undefined && !isRatio(ratio))
    r.problem('OTEL_TRACES_SAMPLER_ARG', 'must be a number from 0 to 1 (the share of traces sampled)');
  return Object.freeze({ protocol });
}

function isRatio(raw: string): boolean {
  if (!/^(\d+(\.\d*)?|\.\d+)$/.test(raw)) return false;
  const n = Number(raw);
  return n >= 0 && n <= 1;
}

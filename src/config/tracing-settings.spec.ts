import { parseConfig } from './parse-config';
import { configError } from '../../test/fixtures/config-env';

const ENDPOINT = 'http://collector:4318';

describe('tracing settings (OTEL_*)', () => {
  it('is off without an OTLP endpoint or exporter', () => {
    expect(parseConfig({}).tracing).toBeUndefined();
    expect(parseConfig({ OTEL_SERVICE_NAME: 'x', OTEL_TRACES_SAMPLER: 'always_on' }).tracing).toBeUndefined();
  });

  it.each([
    { OTEL_EXPORTER_OTLP_ENDPOINT: ENDPOINT },
    { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${ENDPOINT}/v1/traces` },
    { OTEL_TRACES_EXPORTER: 'otlp' },
  ])('is on, protobuf by default, with %j', (env) => {
    expect(parseConfig(env).tracing).toEqual({ protocol: 'http/protobuf' });
  });

  it('honours http/json, the traces-specific protocol first', () => {
    const json = { OTEL_EXPORTER_OTLP_ENDPOINT: ENDPOINT, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' };
    expect(parseConfig(json).tracing).toEqual({ protocol: 'http/json' });
    expect(parseConfig({ ...json, OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/protobuf' }).tracing).toEqual({
      protocol: 'http/protobuf',
    });
  });

  it('is off with OTEL_SDK_DISABLED or OTEL_TRACES_EXPORTER=none, whatever the endpoint', () => {
    expect(parseConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: ENDPOINT, OTEL_SDK_DISABLED: 'true' }).tracing).toBeUndefined();
    expect(
      parseConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: ENDPOINT, OTEL_TRACES_EXPORTER: 'none' }).tracing,
    ).toBeUndefined();
  });

  it('refuses what the SDK would silently replace by a default', () => {
    expect(
      configError({
        OTEL_EXPORTER_OTLP_ENDPOINT: ENDPOINT,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc',
        OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
        OTEL_TRACES_SAMPLER_ARG: '1.5',
      }).problems,
    ).toEqual([
      'OTEL_EXPORTER_OTLP_PROTOCOL: must be one of http/protobuf, http/json',
      'OTEL_TRACES_SAMPLER_ARG: must be a number from 0 to 1 (the share of traces sampled)',
    ]);
    expect(configError({ OTEL_TRACES_EXPORTER: 'zipkin' }).problems).toEqual([
      'OTEL_TRACES_EXPORTER: must be otlp or none (traces leave over OTLP/HTTP only)',
    ]);
    expect(configError({ OTEL_TRACES_EXPORTER: 'otlp', OTEL_TRACES_SAMPLER: 'sometimes' }).problems).toEqual([
      expect.stringMatching(/^OTEL_TRACES_SAMPLER: must be one of always_on, /),
    ]);
  });

  it('accepts a 1 % parent-based ratio', () => {
    const env = {
      OTEL_TRACES_EXPORTER: 'otlp',
      OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
      OTEL_TRACES_SAMPLER_ARG: '0.01',
    };
    expect(parseConfig(env).tracing).toEqual({ protocol: 'http/protobuf' });
  });
});

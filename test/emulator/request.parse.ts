/** Tells which service and action a request is for, and reads its parameters. Never throws. */
import { AwsError } from './aws-error';
import type { ServiceName } from './emulator.types';
import { readScope } from './sigv4.verify';

export interface ParsedCall {
  service: ServiceName;
  action: string;
  region: string;
  accessKeyId: string;
  /** Flat parameters for the call log. */
  params: Record<string, string>;
  /** ECR's JSON input (an object). */
  input: Record<string, unknown>;
  /** Set when the body cannot be read in the service's protocol. */
  error?: AwsError;
}

const TARGETS: Array<[string, ServiceName]> = [
  ['AmazonEC2ContainerRegistry_V20150921.', 'ecr'],
  ['SpencerFrontendService.', 'ecr-public'],
];

const first = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v);

/**
 * The service comes from `x-amz-target` (ECR / ECR Public), else from the credential scope, else STS
 * (the form-encoded query protocol). A scope naming another service is refused later, at authentication.
 */
export function parseCall(
  url: string,
  headers: Record<string, string | string[] | undefined>,
  body: Buffer,
): ParsedCall {
  const scope = readScope(first(headers['authorization']));
  const target = first(headers['x-amz-target']) ?? '';
  const byTarget = TARGETS.find(([prefix]) => target.startsWith(prefix));
  const scoped =
    scope?.service === 'ecr' || scope?.service === 'ecr-public' ? (scope.service as ServiceName) : undefined;
  const service: ServiceName = byTarget?.[1] ?? scoped ?? 'sts';
  const base = { service, region: scope?.region ?? '', accessKeyId: scope?.accessKeyId ?? '' };

  if (service === 'sts') {
    const q = url.indexOf('?');
    const entries = [
      ...new URLSearchParams(q < 0 ? '' : url.slice(q + 1)),
      ...new URLSearchParams(body.toString('utf8')),
    ];
    const params = Object.fromEntries(entries) as Record<string, string>;
    return { ...base, action: params['Action'] ?? '', params, input: {} };
  }

  const action = byTarget ? target.slice(byTarget[0].length) : target.slice(target.indexOf('.') + 1);
  const text = body.toString('utf8').trim();
  let input: unknown;
  try {
    input = text ? JSON.parse(text) : {};
  } catch {
    input = undefined;
  }
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return {
      ...base,
      action,
      params: {},
      input: {},
      error: new AwsError(400, 'SerializationException', 'Start of structure or map found where not expected.'),
    };
  }
  const params = Object.fromEntries(
    Object.entries(input).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]),
  );
  return { ...base, action, params, input: input as Record<string, unknown> };
}

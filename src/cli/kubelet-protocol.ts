import { servableMs } from '../lifetime/lifetime.rule';

/**
 * The kubelet's exec credential provider protocol (`credentialprovider.kubelet.k8s.io`): the
 * request on stdin, the response on stdout, and the cache duration. Pure, no I/O.
 * https://kubernetes.io/docs/reference/config-api/kubelet-credentialprovider.v1/
 */

export const API_VERSIONS = [
  'credentialprovider.kubelet.k8s.io/v1',
  'credentialprovider.kubelet.k8s.io/v1beta1',
] as const;
export type ApiVersion = (typeof API_VERSIONS)[number];

/** The request, with the fields the provider reads; any other field is ignored. */
export interface CredentialProviderRequest {
  readonly apiVersion: ApiVersion;
  readonly image: string;
  /** The pod's service-account token (KEP-4412), when the kubelet is configured to pass one. */
  readonly serviceAccountToken?: string;
  readonly serviceAccountAnnotations: Readonly<Record<string, string>>;
}

/** A request that cannot be answered; the message quotes no value that could be a secret. */
export class MalformedRequestError extends Error {
  override readonly name = 'MalformedRequestError';
}

/** Longest service-account token accepted (a Kubernetes token is about 1 KB). */
export const MAX_SERVICE_ACCOUNT_TOKEN_LENGTH = 16 * 1024;

/**
 * Parses stdin. Unknown fields are ignored (newer kubelets add some); an empty
 * `serviceAccountToken` is none.
 * @throws MalformedRequestError: not JSON, not an object, another `kind`, an unknown
 *   `apiVersion`, no `image`, a token or annotations of the wrong shape.
 */
export function parseCredentialProviderRequest(text: string): CredentialProviderRequest {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // V8's message quotes the text, which may hold the service-account token: none of it.
    throw new MalformedRequestError('stdin is not JSON (expected a CredentialProviderRequest)');
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    throw new MalformedRequestError('stdin is not a JSON object (expected a CredentialProviderRequest)');
  const { kind, apiVersion, image, serviceAccountToken, serviceAccountAnnotations } = json as Record<string, unknown>;
  if (kind !== 'CredentialProviderRequest')
    throw new MalformedRequestError(`expected kind CredentialProviderRequest, got ${shown(kind)}`);
  if (!(API_VERSIONS as readonly unknown[]).includes(apiVersion))
    throw new MalformedRequestError(
      `unsupported apiVersion ${shown(apiVersion)} (expected ${API_VERSIONS.join(' or ')})`,
    );
  if (typeof image !== 'string' || image === '') throw new MalformedRequestError('the request names no image');
  if (serviceAccountToken !== undefined && serviceAccountToken !== null && typeof serviceAccountToken !== 'string')
    throw new MalformedRequestError('serviceAccountToken must be a string');
  const token = typeof serviceAccountToken === 'string' && serviceAccountToken !== '' ? serviceAccountToken : undefined;
  if (token !== undefined && (token.length > MAX_SERVICE_ACCOUNT_TOKEN_LENGTH || !/^[\x21-\x7e]+$/.test(token)))
    throw new MalformedRequestError(
      'serviceAccountToken is not a token (printable characters, no spaces, at most 16 KiB)',
    );
  const annotations: Record<string, string> = {};
  if (serviceAccountAnnotations !== undefined && serviceAccountAnnotations !== null) {
    if (typeof serviceAccountAnnotations !== 'object' || Array.isArray(serviceAccountAnnotations))
      throw new MalformedRequestError('serviceAccountAnnotations must be an object of strings');
    for (const [k, v] of Object.entries(serviceAccountAnnotations)) {
      if (typeof v !== 'string')
        throw new MalformedRequestError('serviceAccountAnnotations must be an object of strings');
      annotations[k] = v;
    }
  }
  return {
    apiVersion: apiVersion as ApiVersion,
    image,
    serviceAccountToken: token,
    serviceAccountAnnotations: annotations,
  };
}

/** One line of stdout: credentials for `auth`'s hosts, cached by the kubelet per registry. */
export function credentialProviderResponse(
  apiVersion: ApiVersion,
  cacheDuration: string,
  auth: Readonly<Record<string, { username: string; password: string }>>,
): string {
  return `${JSON.stringify({ kind: 'CredentialProviderResponse', apiVersion, cacheKeyType: 'Registry', cacheDuration, auth })}\n`;
}

/** The least the kubelet's cache stops short of the token's expiry. */
export const MIN_CACHE_MARGIN_MS = 60_000;
/** The share of the remaining life kept back when that is more: a pull started late must finish in time. */
export const CACHE_MARGIN_SHARE = 0.05;

/**
 * How long the kubelet may keep the credential: the token's remaining life less the larger of
 * 60 s and 5 % of it (36 min of a fresh 12-hour ECR token), in whole seconds, never negative.
 */
export function cacheDurationOf(expiresAtMs: number, nowMs: number): string {
  const left = expiresAtMs - nowMs;
  const margin = Math.max(MIN_CACHE_MARGIN_MS, left * CACHE_MARGIN_SHARE);
  return goDuration(Math.floor(servableMs(expiresAtMs, nowMs, margin) / 1000));
}

/** Whole seconds as Go's `time.Duration.String()` writes them: `11h24m0s`, `1m0s`, `59s`, `0s`. */
export function goDuration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = s % 60;
  if (h > 0) return `${h}h${m}m${rest}s`;
  if (m > 0) return `${m}m${rest}s`;
  return `${rest}s`;
}

/** A value for a message: short plain words only, anything else by its type. */
function shown(v: unknown): string {
  if (typeof v === 'string' && /^[\w./-]{1,100}$/.test(v)) return `"${v}"`;
  if (v === undefined) return 'none';
  return typeof v === 'string' ? 'another string' : `a ${v === null ? 'null' : typeof v}`;
}

import { parseRegistryHost } from '../registry/registry-host';
import { RegistryKey, sessionScopeOf } from './config-key';
import { HelperConfig, HelperConfigError, keyFor, loadHelperConfig, ReadTextFile } from './helper-config';
import { registryOfImage } from './image-reference';
import {
  cacheDurationOf,
  CredentialProviderRequest,
  credentialProviderResponse,
  MalformedRequestError,
  parseCredentialProviderRequest,
} from './kubelet-protocol';
import { PostFn, redactSecrets, requestRegistryAuth } from './service-client';

/** The provider's collaborators, injected so that the handler stays pure. */
export interface ProviderDeps {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly home: string | undefined;
  readonly readTextFile: ReadTextFile;
  readonly post: PostFn;
  /** Epoch milliseconds. */
  readonly now: () => number;
}

/** stdout carries the response only (nothing on failure); stderr one line on failure only. */
export interface ProviderResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: 0 | 1;
}

/** Service-account annotations that choose the registry key of a pod (with its token only). */
export const ROLE_ARN_ANNOTATION = 'ecr-auth/role-arn';
export const EXTERNAL_ID_ANNOTATION = 'ecr-auth/external-id';
export const USER_AGENT = 'ecr-auth-kubelet-credential-provider';
/** Larger stdin is refused: a request is an image name, a token of about 1 KB and a few annotations. */
export const MAX_REQUEST_BYTES = 64 * 1024;

/** Registry-key fields that never appear in output (the bearer tokens neither). */
const SECRET_FIELDS = ['externalId', 'secretAccessKey', 'sessionToken', 'password'] as const;

/**
 * Answers one `CredentialProviderRequest` (stdin) in the request's own `apiVersion`. Never
 * throws for expected failures. There is no file cache: the kubelet keeps the answer for
 * `cacheDuration`, and a service-account token's answer must not outlive the kubelet's memory.
 */
export async function handleCredentialProviderRequest(
  input: string,
  overflow: boolean,
  deps: ProviderDeps,
): Promise<ProviderResult> {
  if (overflow) return fail(`the request on stdin is larger than ${MAX_REQUEST_BYTES / 1024} KiB`);
  let request: CredentialProviderRequest;
  try {
    request = parseCredentialProviderRequest(input);
  } catch (e) {
    if (e instanceof MalformedRequestError) return fail(e.message);
    throw e;
  }
  const noCredentials = answer(request, '0s', {});
  const registry = registryOfImage(request.image);
  if (!registry) return noCredentials;
  let host: string;
  try {
    host = parseRegistryHost(registry.domain).host;
  } catch {
    // Not Amazon ECR (a look-alike included): the kubelet pulls without credentials.
    return noCredentials;
  }
  let config: HelperConfig;
  try {
    config = await loadHelperConfig(deps.env, deps.home, deps.readTextFile);
  } catch (e) {
    if (e instanceof HelperConfigError) return fail(e.message, [request.serviceAccountToken]);
    throw e;
  }
  const saToken = request.serviceAccountToken;
  const chosen = keyOf(request, config, host);
  if (typeof chosen === 'string') return fail(chosen);
  if (!chosen) return noCredentials;
  if (!config.endpoint) {
    return fail(`no service URL for ${host}: set ECR_AUTH_URL or "url" in ${config.file ?? 'the config file'}`);
  }
  const bearer = saToken ?? config.token;
  const outcome = await requestRegistryAuth(
    deps.post,
    {
      url: config.endpoint,
      token: bearer,
      body: JSON.stringify({ ...chosen, registry: host }),
      timeoutMs: config.timeoutMs,
      userAgent: USER_AGENT,
    },
    deps.now,
  );
  if ('token' in outcome) {
    return answer(request, cacheDurationOf(outcome.token.expiresAtMs, deps.now()), {
      [registry.host]: { username: 'AWS', password: outcome.token.password },
    });
  }
  return fail(outcome.message, [saToken, config.token, ...SECRET_FIELDS.map((f) => chosen[f])]);
}

/**
 * The registry key: with a service-account token, the annotations when they name a role;
 * otherwise (and without a token, always) the configuration's key for the host. Annotations
 * count only with the pod's own token, so a service account can never point the node's API
 * token at another role. The configuration's session scope for the host (`access`,
 * `sessionTags`, `repositories`) applies either way: the annotations choose the role, the node
 * decides how narrow and how tagged its sessions are.
 * @returns the key, `undefined` for none, or a message.
 */
function keyOf(
  request: CredentialProviderRequest,
  config: HelperConfig,
  host: string,
): RegistryKey | undefined | string {
  const configured = keyFor(config, host);
  if (request.serviceAccountToken !== undefined) {
    const roleArn = request.serviceAccountAnnotations[ROLE_ARN_ANNOTATION];
    const externalId = request.serviceAccountAnnotations[EXTERNAL_ID_ANNOTATION];
    if (roleArn) return { ...sessionScopeOf(configured), roleArn, ...(externalId ? { externalId } : {}) };
    if (externalId)
      return `the service account has the annotation ${EXTERNAL_ID_ANNOTATION} without ${ROLE_ARN_ANNOTATION}`;
  }
  return configured;
}

function answer(
  request: CredentialProviderRequest,
  cacheDuration: string,
  auth: Record<string, { username: string; password: string }>,
): ProviderResult {
  return { stdout: credentialProviderResponse(request.apiVersion, cacheDuration, auth), stderr: '', exitCode: 0 };
}

function fail(message: string, secrets: readonly (string | undefined)[] = []): ProviderResult {
  return { stdout: '', stderr: `${redactSecrets(`ecr-auth: ${message}`, secrets)}\n`, exitCode: 1 };
}
